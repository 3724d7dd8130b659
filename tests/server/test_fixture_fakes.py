"""The in-memory fake of documents other than PostHog's: it fills what it cannot derive (tests/golden/fake_synthesis)
and answers no 5xx other than the 501 of the operations `generate` warned about, under schemathesis, on the
pagination, error-schema and synthesis fixtures.

Each fixture is generated into a temporary folder and served by `python -m <server> --port N` in a subprocess.
`SCHEMATHESIS_MAX_EXAMPLES` bounds each run (default 5), `SCHEMATHESIS_PHASES` picks the phases (default
`fuzzing,stateful`; `examples,coverage,fuzzing,stateful` for the full run).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from generator.pipeline import generate_files
from generator.write import write_tree

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
KEY = "fixture-key"


@contextmanager
def serving(case: str, tmp_path: Path) -> Iterator[str]:
    api, files, _warnings = generate_files(str(GOLDEN / case / "spec.yaml"))
    tmp_path.mkdir(parents=True, exist_ok=True)
    write_tree(tmp_path / "out", files)
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({KEY: ["*"]}), encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "out" / "server")}
    log = (tmp_path / "server.log").open("wb")
    command = [sys.executable, "-m", api.server_package, "--port", str(port), "--keys-file", str(keys)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "server.log").read_text())
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_the_fake_fills_required_fields_it_cannot_derive(tmp_path: Path) -> None:
    """A create answers 201 with every required field valid under its constraints; a list's items and page
    object get what the stored rows lack; the operation `generate` warned about answers 501; rows are only hidden
    where the document says how a row is soft-deleted."""
    _api, _files, warnings = generate_files(str(GOLDEN / "fake_synthesis" / "spec.yaml"))
    assert [(w.pointer, w.line > 1) for w in warnings] == [("/paths/~1gauges~1{id}~1readings~1/put", True)]
    with serving("fake_synthesis", tmp_path) as url:
        http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"})
        created = http.post("/gauges/", json={"label": "a"})
        assert created.status_code == 201, created.text
        gauge = created.json()
        assert 5 <= gauge["score"] <= 10 and 3 <= len(gauge["slug"]) <= 8 and len(gauge["tags"]) >= 2, gauge
        assert gauge["state"] in ("new", "used") and gauge["reading"]["value"] > 0, gauge
        assert gauge["reading"]["unit"] in ("kPa", "bar"), gauge
        updated = http.patch(f"/gauges/{gauge['id']}/", json={"note": "n"})
        assert updated.status_code == 200 and updated.json() == {**gauge, "note": "n"}, updated.text
        page = http.get("/gauges/", params={"limit": 1})
        assert page.status_code == 200, page.text
        assert page.json()["total"] == 1 and len(page.json()["generated_by"]) >= 4, page.text
        assert len(page.json()["items"][0]["checksum"]) >= 2, page.text
        assert http.put(f"/gauges/{gauge['id']}/readings/").status_code == 501
        # No x-soft-delete in this document: `deleted` is an ordinary field.
        kept = http.post("/gauges/", json={"label": "b", "deleted": True}).json()
        assert http.get(f"/gauges/{kept['id']}/").json()["deleted"] is True
        assert http.get("/gauges/").json()["total"] == 2


CONVENTIONS_SCRIPT = """
from gauges_server import Store, create_app
from gauges_server._memory import Conventions
from starlette.testclient import TestClient

for conventions, expected in ((Conventions(), None), (Conventions(user_fields=("made_by",)), "dev@example.com")):
    app = create_app(keys={"k": {"scopes": ["*"]}}, store=Store(conventions=conventions))
    with TestClient(app, headers={"Authorization": "Bearer k"}) as http:
        assert http.post("/gauges/", json={"label": "a"}).json().get("made_by") == expected
print("ok")
"""


def test_the_fields_the_fake_fills_with_the_caller_are_configured(tmp_path: Path) -> None:
    _api, files, _warnings = generate_files(str(GOLDEN / "fake_synthesis" / "spec.yaml"))
    write_tree(tmp_path / "out", files)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "out" / "server")}
    result = subprocess.run([sys.executable, "-c", CONVENTIONS_SCRIPT], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and result.stdout.split()[-1] == "ok", result.stderr[-3000:]


def _schemathesis() -> str:
    found = Path(sys.executable).parent / "schemathesis"
    if found.exists():
        return str(found)
    which = shutil.which("schemathesis")
    if which is None:
        pytest.skip("schemathesis is not installed")
    return which


def test_schemathesis_finds_no_server_error(tmp_path: Path) -> None:
    """`not_a_server_error` over every operation but the ones `generate` warned it cannot serve (those 501), on
    each fixture; the three runs go side by side."""
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    with ExitStack() as stack:
        runs = []
        for case in ("pagination", "error_schema", "fake_synthesis"):
            _api, _files, warnings = generate_files(str(GOLDEN / case / "spec.yaml"))
            unserved = sorted({w.pointer.split("/")[2].replace("~1", "/") for w in warnings if "501" in w.message})
            url = stack.enter_context(serving(case, tmp_path / case))
            command = [
                _schemathesis(),
                "run",
                str(GOLDEN / case / "spec.yaml"),
                "--url",
                url,
                "--header",
                f"Authorization: Bearer {KEY}",
                "--checks",
                "not_a_server_error",
                "--phases",
                os.environ.get("SCHEMATHESIS_PHASES", "fuzzing,stateful"),
                "--max-examples",
                os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"),
                "--seed",
                "20240601",
                "--workers",
                "1",
                "--request-timeout",
                "20",
            ]
            for path in unserved:
                command += ["--exclude-path", path]
            out = (tmp_path / case / "schemathesis.txt").open("w")
            runs.append(
                (
                    case,
                    subprocess.Popen(command, cwd=tmp_path / case, stdout=out, stderr=subprocess.STDOUT, env=env),
                    out,
                )
            )
        for case, process, out in runs:
            process.wait(timeout=600)
            out.close()
            output = (tmp_path / case / "schemathesis.txt").read_text()
            assert process.returncode == 0, case + ":\n" + output[-4000:]
            assert "No issues found" in output, case + ":\n" + output[-2000:]
