"""Load on the generated server: concurrent clients create objects, then read every one back through every page.

For each configuration (in memory; `--db`; `--db --workers 2`) it starts `python -m posthog_server` on a free
loopback port, lets `--clients` concurrent clients (one keep-alive connection each) create `--objects` objects
between them (datasets and data color themes, half each: uuid and integer ids), then has every client walk every
page of both lists. It prints request throughput, p50/p99 latency, and the counts that must be zero: objects lost
(created but not listed), duplicated (an id issued twice or listed twice in one walk) and 5xx answers. Exit
status 1 if any of them is not zero.

Bounded: every request has a timeout, the whole run a deadline, the server is stopped and its files removed.
Each client is a bare HTTP/1.1 connection on asyncio streams (a full client such as httpx costs more CPU per
request than the server does, and would be what is measured); they share the machine with the server, so the
figures are a floor, not the server's ceiling.

Run: `.venv/bin/python benchmarks/server_load.py [--objects 3000] [--clients 32] [--modes memory,db,db-workers]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-" + os.urandom(12).hex()
PROJECT = "7"
COLLECTIONS = {
    "datasets": f"/api/projects/{PROJECT}/datasets/",
    "data_color_themes": f"/api/environments/{PROJECT}/data_color_themes/",
}
MODES = {"memory": [], "db": ["--db", "{db}"], "db-workers": ["--db", "{db}", "--workers", "2"]}
REQUEST_TIMEOUT = 30.0
RUN_DEADLINE = 600.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def record(self, started: float, status: int) -> None:
        self.latencies.append(time.perf_counter() - started)
        self.statuses[status] += 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(mode: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    (folder / "keys.json").write_text(json.dumps({KEY: ["*"]}))
    extra = [arg.format(db=folder / "load.sqlite") for arg in MODES[mode]]
    command = [sys.executable, "-m", "posthog_server", "--port", str(port), "--keys-file", str(folder / "keys.json")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "generated" / "server"), os.environ.get("PYTHONPATH", "")]),
    }
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen([*command, "--log-level", "warning", *extra], stdout=log, stderr=log, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{mode}: the server exited: {(folder / 'server.log').read_text()[-1000:]}")
        try:
            if httpx.get(url + COLLECTIONS["datasets"], headers={"Authorization": f"Bearer {KEY}"}).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{mode}: the server did not start")


class Connection:
    """One keep-alive HTTP/1.1 connection to the server, just enough of the protocol for JSON answers."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, target: str, body: Any = None) -> tuple[int, Any]:
        return await asyncio.wait_for(self._request(method, target, body), REQUEST_TIMEOUT)

    async def _request(self, method: str, target: str, body: Any) -> tuple[int, Any]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        payload = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {target} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {KEY}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        writer.write(head.encode() + b"\r\n" + payload)
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await reader.readexactly(length)
        return status, json.loads(data) if data else None

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            await self.streams[1].wait_closed()


async def create_all(url: str, objects: int, clients: int, tally: Tally) -> dict[str, list[Any]]:
    created: dict[str, list[Any]] = {name: [] for name in COLLECTIONS}
    names = list(COLLECTIONS)

    async def client(slot: int) -> None:
        connection = Connection(url)
        for n in range(slot, objects, clients):
            collection = names[n % 2]
            started = time.perf_counter()
            status, answer = await connection.request("POST", COLLECTIONS[collection], {"name": f"load-{n}"})
            tally.record(started, status)
            if status == 201:
                created[collection].append(answer["id"])
        await connection.close()

    await asyncio.gather(*(client(slot) for slot in range(clients)))
    return created


async def read_all(url: str, clients: int, tally: Tally) -> list[dict[str, list[Any]]]:
    async def client() -> dict[str, list[Any]]:
        seen: dict[str, list[Any]] = {name: [] for name in COLLECTIONS}
        connection = Connection(url)
        for collection, path in COLLECTIONS.items():
            target: str | None = path
            while target:
                started = time.perf_counter()
                status, page = await connection.request("GET", target)
                tally.record(started, status)
                if status != 200:
                    break
                seen[collection] += [item["id"] for item in page["results"]]
                target = _target(page["next"]) if page["next"] else None
        await connection.close()
        return seen

    return list(await asyncio.gather(*(client() for _ in range(clients))))


def _target(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def report(phase: str, tally: Tally, seconds: float) -> str:
    count = len(tally.latencies)
    return (
        f"  {phase:<7} {count:>6} requests in {seconds:6.2f} s = {count / seconds:7.0f} req/s"
        f"   p50 {percentile(tally.latencies, 0.5) * 1000:7.1f} ms   p99 {percentile(tally.latencies, 0.99) * 1000:7.1f} ms"
    )


async def run_mode(mode: str, objects: int, clients: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="server-load-") as tmp:
        process, url = start_server(mode, Path(tmp))
        try:
            writes, reads = Tally(), Tally()
            started = time.perf_counter()
            created = await asyncio.wait_for(create_all(url, objects, clients, writes), RUN_DEADLINE)
            write_seconds = time.perf_counter() - started
            started = time.perf_counter()
            walks = await asyncio.wait_for(read_all(url, clients, reads), RUN_DEADLINE)
            read_seconds = time.perf_counter() - started
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    made = sum(len(ids) for ids in created.values())
    duplicated = sum(len(ids) - len(set(ids)) for ids in created.values())
    lost = 0
    for walk in walks:
        for collection, ids in walk.items():
            duplicated += len(ids) - len(set(ids))
            lost += len(set(created[collection]) - set(ids))
    statuses = writes.statuses + reads.statuses
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    other = {status: count for status, count in statuses.items() if status not in (200, 201) and status < 500}
    print(
        f"{mode}: {clients} clients, {made} objects created, each client read back {sum(len(v) for v in walks[0].values())}"
    )
    print(report("create", writes, write_seconds))
    print(report("read", reads, read_seconds))
    print(f"  lost {lost}   duplicated {duplicated}   5xx {server_errors}   other non-2xx {sum(other.values())}")
    return made == objects and lost == 0 and duplicated == 0 and server_errors == 0 and not other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of: {', '.join(MODES)}")
    args = parser.parse_args()
    modes = [mode for mode in args.modes.split(",") if mode]
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown:
        parser.error(f"unknown mode {unknown[0]!r}")
    ok = all([asyncio.run(run_mode(mode, args.objects, args.clients)) for mode in modes])
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
