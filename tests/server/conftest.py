"""Fixtures of the server tests: in-process apps, live uvicorn servers on free ports (in this process, over the
in-memory and the SQLite store, or as `python -m posthog_server` processes), and the clients.

`tests/conftest.py` puts `generated/server` and `generated/client` on `sys.path`.
"""

from __future__ import annotations

import inspect
import json
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import uvicorn

from posthog_server import Store, create_app
from posthog_server._memory import open_store

ROOT = Path(__file__).resolve().parents[2]

ALL_KEY = "phx_test_all"
READ_KEY = "phx_test_dataset_read"
THEME_KEY = "phx_test_project_write"
OTHER_KEY = "phx_test_other_user"

KEYS: dict[str, list[str]] = {
    ALL_KEY: ["*"],
    READ_KEY: ["dataset:read"],
    THEME_KEY: ["project:write"],
    OTHER_KEY: ["*"],
}

_projects = itertools.count(int(time.time() * 1000) % 10_000_000 * 100, 10)


@pytest.fixture
def project() -> str:
    """A project id of its own (numeric), so tests never see each other's rows."""
    return str(next(_projects))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    def __init__(self, url: str, store: Store) -> None:
        self.url = url
        self.store = store


@contextmanager
def run_server(app: Any, store: Store) -> Iterator[LiveServer]:
    """Serve `app` with uvicorn in a thread on 127.0.0.1 and a free port until the block ends."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", store)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session", params=["memory", "sqlite"])
def live_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app under uvicorn, its data in memory or in a SQLite file (every behaviour test runs on both)."""
    store = Store() if request.param == "memory" else open_store(str(tmp_path_factory.mktemp("db") / "live.sqlite"))
    with run_server(create_app(keys=KEYS, store=store), store) as server:
        yield server
    store.close()


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    """A keys file granting `ALL_KEY` every scope, for `server_process`."""
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({ALL_KEY: ["*"]}), encoding="utf-8")
    return path


class ServerProcess:
    """`python -m posthog_server` in a subprocess; its stderr (the log) goes to a file."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path, log_handle: IO[bytes]) -> None:
        self.process = process
        self.url = url
        self.log = log
        self._log_handle = log_handle

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log_handle.close()


def server_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "posthog_server", *args]


def server_env(**extra: str) -> dict[str, str]:
    paths = [str(ROOT / "generated" / "server"), str(ROOT / "generated" / "client")]
    env = {name: value for name, value in os.environ.items() if not name.startswith("POSTHOG_API_KEYS")}
    return {**env, "PYTHONPATH": os.pathsep.join(paths), **extra}


@contextmanager
def server_process(args: Sequence[str], log: Path, *, key: str = ALL_KEY) -> Iterator[ServerProcess]:
    """Start the server's command line on a free loopback port; yield once it answers `key`; stop it after."""
    port = _free_port()
    handle = log.open("ab")
    process = subprocess.Popen(
        server_command("--port", str(port), "--log-level", "info", *args),
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=server_env(),
        cwd=log.parent,
    )
    server = ServerProcess(process, f"http://127.0.0.1:{port}", log, handle)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{server.log_text()[-2000:]}")
            try:
                answer = httpx.get(
                    f"{server.url}/api/projects/1/datasets/", headers={"Authorization": f"Bearer {key}"}, timeout=2
                )
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + server.log_text()[-2000:])
            time.sleep(0.1)
        yield server
    finally:
        server.stop()


@pytest.fixture
def app_store() -> Store:
    return Store()


@pytest.fixture
def app(app_store: Store) -> Any:
    return create_app(keys=KEYS, store=app_store)


@pytest.fixture
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of a fresh app, authenticated with the all-scopes key."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"Authorization": f"Bearer {ALL_KEY}"}
    ) as client:
        yield client


# --------------------------------------------------------------------------------------------------- clients


class Awaitable:
    """Makes the sync and the async generated client look alike: every call is awaited; iterators become lists."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not callable(attr) or inspect.isclass(attr):
            return Awaitable(attr)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            if hasattr(result, "__anext__"):
                return [item async for item in result]
            if inspect.isgenerator(result):
                return list(result)
            return result

        return call


@pytest.fixture(params=["sync", "async"])
async def api(request: pytest.FixtureRequest, live_server: LiveServer) -> AsyncIterator[Any]:
    """The generated client (sync or async flavour) against the live server, all-scopes key."""
    from posthog_client import AsyncPostHogClient, PostHogClient

    if request.param == "sync":
        sync_client = PostHogClient(ALL_KEY, host=live_server.url, max_retries=0)
        try:
            yield Awaitable(sync_client)
        finally:
            sync_client.close()
    else:
        async_client = AsyncPostHogClient(ALL_KEY, host=live_server.url, max_retries=0)
        try:
            yield Awaitable(async_client)
        finally:
            await async_client.aclose()


@pytest.fixture(params=["sync", "async"])
async def client_factory(request: pytest.FixtureRequest, live_server: LiveServer) -> AsyncIterator[Any]:
    """`factory(key)` → an awaitable-wrapped client (sync or async flavour) with that key."""
    from posthog_client import AsyncPostHogClient, PostHogClient

    made: list[Any] = []

    def factory(key: str | None) -> Any:
        client: Any
        if request.param == "sync":
            client = PostHogClient(key, host=live_server.url, max_retries=0)
        else:
            client = AsyncPostHogClient(key, host=live_server.url, max_retries=0)
        made.append(client)
        return Awaitable(client)

    yield factory
    for client in made:
        if hasattr(client, "aclose"):
            await client.aclose()
        else:
            client.close()


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()
