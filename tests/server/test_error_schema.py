"""Errors in the document's own shape, end to end: tests/golden/error_schema generated into a temporary folder, its
server under uvicorn answering in `Failure` (the common schema) and `WrappedError` (one operation's own), and the
generated client (sync and async) exposing the parsed body and taking its message from it. A document without an
error schema answers RFC 9457 problem details (tests/golden/pagination).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.pipeline import generate_files
from generator.write import write_tree

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

SCRIPT = """
import asyncio
import socket
import threading
import time

import httpx
import uvicorn
from gadgets_client import AsyncGadgetsClient, AuthenticationError, BadRequestError, GadgetsClient, NotFoundError
from gadgets_client.models import Failure, WrappedError
from gadgets_server import create_app

with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
server = uvicorn.Server(uvicorn.Config(create_app(keys={"k": ["*"]}), port=port, log_level="warning", lifespan="off"))
threading.Thread(target=server.run, daemon=True).start()
while not server.started:
    time.sleep(0.02)
host = f"http://127.0.0.1:{port}"

# On the wire: the common schema, its roles filled (message, the status as the integer code, the attribute).
http = httpx.Client(base_url=host, headers={"Authorization": "Bearer k"})
missing = http.get("/gadgets/99/")
assert missing.status_code == 404 and missing.headers["content-type"] == "application/json", missing
assert missing.json() == {"message": "Not found.", "code": 404, "request_id": "", "field": None}, missing.text
invalid = http.post("/gadgets/", json={"name": "a", "size": "big"})
assert invalid.status_code == 400, invalid.text
assert invalid.json()["field"] == "size" and invalid.json()["code"] == 400, invalid.text
assert Failure.model_validate(invalid.json()).message == invalid.json()["message"]
unknown_method = http.put("/gadgets/")
assert unknown_method.status_code == 405 and set(unknown_method.json()) == {"message", "code", "request_id", "field"}
unauthenticated = httpx.get(f"{host}/gadgets/", headers={"Authorization": "Bearer wrong"})
assert unauthenticated.status_code == 401 and unauthenticated.json()["code"] == 401, unauthenticated.text
# The operation with its own schema: nested, its enum given its first member.
own = http.delete("/gadgets/99/")
assert own.status_code == 404 and own.json() == {"error": {"message": "Not found.", "kind": "invalid"}}, own.text


def check(error, model, message):
    assert isinstance(error.error_body, model), (type(error.error_body), error.error_body)
    assert error.detail == message, error.detail
    assert message.rstrip(".") in str(error), str(error)
    return error.error_body


def raised(call, kind):
    try:
        call()
    except kind as exc:
        return exc
    raise AssertionError(f"no {kind.__name__}")


with GadgetsClient("k", host=host, max_retries=0) as client:
    assert check(raised(lambda: client.gadgets.retrieve(99), NotFoundError), Failure, "Not found.").code == 404
    refused = raised(lambda: client.gadgets.create(name="a", extra_body={"size": "big"}), BadRequestError)
    assert check(refused, Failure, invalid.json()["message"]).field == "size"
    wrapped = check(raised(lambda: client.gadgets.destroy(99), NotFoundError), WrappedError, "Not found.")
    assert wrapped.error.kind.value == "invalid"
with GadgetsClient("wrong", host=host, max_retries=0) as client:
    check(raised(client.gadgets.list, AuthenticationError), Failure, unauthenticated.json()["message"])


async def main():
    async with AsyncGadgetsClient("k", host=host, max_retries=0) as client:
        for call, model in ((client.gadgets.retrieve, Failure), (client.gadgets.destroy, WrappedError)):
            try:
                await call(99)
            except NotFoundError as exc:
                check(exc, model, "Not found.")
            else:
                raise AssertionError("no NotFoundError")


asyncio.run(main())
server.should_exit = True
print("ok")
"""

PROBLEM_SCRIPT = """
from pages_server import create_app
from starlette.testclient import TestClient

with TestClient(create_app(keys={"k": ["*"]})) as http:
    answer = http.get("/nowhere/")
    assert answer.status_code == 404, answer
    assert answer.headers["content-type"] == "application/problem+json", answer.headers
    assert answer.json() == {
        "type": "about:blank", "title": "Not Found", "status": 404, "detail": "Not found.", "code": "not_found"
    }, answer.text
    unserved = http.get("/odd_things/", headers={"Authorization": "Bearer k"})
    assert unserved.status_code == 501 and unserved.json()["title"] == "Not Implemented", unserved.text
print("ok")
"""


def _run(tmp_path: Path, case: str, script: str) -> str:
    _api, files, _warnings = generate_files(str(GOLDEN / case / "spec.yaml"))
    write_tree(tmp_path / "out", files)
    paths = [str(tmp_path / "out" / "client"), str(tmp_path / "out" / "server")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def test_errors_in_the_documents_schema_emitted_and_exposed(tmp_path: Path) -> None:
    assert _run(tmp_path, "error_schema", SCRIPT).split()[-1] == "ok"


def test_no_error_schema_answers_problem_details(tmp_path: Path) -> None:
    assert _run(tmp_path, "pagination", PROBLEM_SCRIPT).split()[-1] == "ok"
