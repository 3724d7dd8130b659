"""The SDK features on a document that is not PostHog's (a small task tracker, generated into a temporary folder):
per-call options, request models, Sequence/Literal/UUID-text inputs, page objects, `x-idempotency-key`, the
naive-datetime rule and the README, called through the generated client against the generated server, and the
client's types checked with `mypy --strict` on a user script."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.pipeline import generate_files
from generator.write import write_tree

SPEC = """
openapi: 3.0.3
info: {title: Tasks, version: "2.1.0"}
servers: [{url: "https://tasks.example.com"}]
x-idempotency-key: Request-Token
paths:
  /boards/{board}/tasks/:
    parameters:
      - {name: board, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: tasks_list
      tags: [tasks]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
        - name: state
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string, enum: [open, done]}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/TaskPage"}}}
    post:
      operationId: tasks_create
      tags: [tasks]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}
      responses:
        "201":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}
  /boards/{board}/tasks/{id}/:
    parameters:
      - {name: board, in: path, required: true, schema: {type: string, format: uuid}}
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: tasks_retrieve
      tags: [tasks]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}
    patch:
      operationId: tasks_update
      tags: [tasks]
      x-idempotency-key: false
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/TaskUpdate"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}
components:
  schemas:
    Task:
      type: object
      required: [id, title]
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string, maxLength: 50}
        points: {type: integer, minimum: 0}
        due: {type: string, format: date-time, nullable: true}
        labels: {type: object, additionalProperties: {type: string}}
    TaskUpdate:
      type: object
      properties:
        title: {type: string, maxLength: 50}
        points: {type: integer, minimum: 0}
        due: {type: string, format: date-time, nullable: true}
    TaskPage:
      type: object
      required: [count, results]
      properties:
        count: {type: integer}
        next: {type: string, nullable: true}
        previous: {type: string, nullable: true}
        results: {type: array, items: {$ref: "#/components/schemas/Task"}}
"""

SCRIPT = """
import asyncio
from datetime import datetime, timezone
from uuid import UUID

import httpx
from tasks_client import AsyncTasksClient, InvalidRequestError, AsyncPage
from tasks_client.models import TaskInput, TaskUpdate
from tasks_server import create_app

BOARD = UUID(int=7)
seen = []


async def record(request):
    seen.append(request)


async def main():
    app = create_app(keys={"k": ["*"]})
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), event_hooks={"request": [record]})
    async with AsyncTasksClient("k", host="http://test", http_client=http) as client:
        when = datetime(2024, 1, 2, 3, 4, tzinfo=timezone.utc)
        first = await client.tasks.create(str(BOARD), TaskInput(title="a", points=1), labels={"x": "y"})
        assert (first.title, first.points, first.labels) == ("a", 1, {"x": "y"}), first
        assert seen[-1].headers["Request-Token"], "x-idempotency-key on the document: POST carries a key"
        await client.tasks.create(BOARD, title="b", due=when, idempotency_key="mine", timeout=5.0)
        assert seen[-1].headers["Request-Token"] == "mine"
        await client.tasks.create(BOARD, title="c", extra_body={"points": 3}, extra_headers={"X-A": "1"})
        assert seen[-1].headers["X-A"] == "1"

        updated = await client.tasks.update(BOARD, first.id, TaskUpdate(due=None), title="a2")
        assert (updated.title, updated.due, updated.points) == ("a2", None, 1), updated
        assert "Request-Token" not in seen[-1].headers, "x-idempotency-key: false on the PATCH"

        try:
            await client.tasks.update(BOARD, first.id, due=datetime(2024, 1, 2))
        except InvalidRequestError:
            pass
        else:
            raise AssertionError("a naive datetime was sent")

        page = await client.tasks.list_pages(BOARD, limit=2, state=["open"], extra_query={"offset": 0})
        assert isinstance(page, AsyncPage) and page.model.count == 3 and page.has_next_page()
        assert [len(p.results) async for p in page] == [2, 1]
        assert sorted([t.title async for t in client.tasks.list_all(BOARD, limit=1)]) == ["a2", "b", "c"]
        assert (await client.tasks.retrieve(str(BOARD), first.id)).title == "a2"
    print("ok")


asyncio.run(main())
"""

USER_SCRIPT = """
from uuid import UUID

from tasks_client import SyncPage, TasksClient
from tasks_client.models import Task, TaskInput, TaskPage, TaskUpdate


def use(client: TasksClient) -> None:
    client.tasks.create("b", title="t", labels={"a": "b"}, timeout=1.0)
    client.tasks.create(UUID(int=1), TaskInput(title="t"))
    client.tasks.update("b", 1, TaskUpdate())
    first: SyncPage[Task, TaskPage] = client.tasks.list_pages("b", state=["open", "done"])
    first.next_page()
    client.tasks.list("b", state=("open",), extra_query={"x": 1})
    client.tasks.create("b")  # E: title required
    client.tasks.list("b", state=["closed"])  # E: not a documented state
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tasks")
    (root / "tasks.yaml").write_text(SPEC)
    api, files, _warnings = generate_files(str(root / "tasks.yaml"))
    assert (api.client_package, api.server_package) == ("tasks_client", "tasks_server")
    write_tree(root / "out", files)
    return root / "out"


def test_features_through_the_generated_client_and_server(generated: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated / "client"), str(generated / "server")])}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.split()[-1] == "ok"


def test_user_script_types(generated: Path, tmp_path: Path) -> None:
    script = tmp_path / "use_tasks.py"
    script.write_text(USER_SCRIPT)
    env = {**os.environ, "MYPYPATH": str(generated / "client")}
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--cache-dir",
        str(tmp_path / "c"),
        str(script),
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    flagged = {int(line.split(":")[1]) for line in result.stdout.splitlines() if ": error:" in line}
    expected = {n + 1 for n, line in enumerate(USER_SCRIPT.splitlines()) if "# E:" in line}
    assert flagged == expected, result.stdout


def test_readme_is_built_from_this_document(generated: Path) -> None:
    readme = (generated / "client" / "README.md").read_text()
    assert "created = client.tasks.create(board, title='example')" in readme
    assert "client.tasks.update(board, created.id, title='renamed')" in readme
    assert "client.tasks.list_pages(board)" in readme and "AsyncTasksClient" in readme
    assert "PostHog" not in readme and "posthog" not in readme
