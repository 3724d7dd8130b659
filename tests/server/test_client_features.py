"""The client's SDK features against the generated server (uvicorn on loopback, the in-memory store): per-call
options, `with_options`, request models, read-only inputs, the naive-datetime rule (client and server alike),
error kinds, page objects, idempotency keys and logging; and the README's examples, run as they are."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from posthog_client import (
    ApiTimeoutError,
    AsyncPostHogClient,
    InvalidRequestError,
    MethodNotAllowedError,
    NotFoundError,
    PostHogClient,
)
from posthog_client.models import DatasetInput, DatasetItemInput, PatchedDataset

from posthog_server import Store, create_app

from .conftest import ALL_KEY, KEYS, LiveServer, run_server

ROOT = Path(__file__).resolve().parents[2]
AWARE = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)


@pytest.fixture
def client(live_server: LiveServer) -> Any:
    with PostHogClient(ALL_KEY, host=live_server.url, max_retries=0) as sync_client:
        yield sync_client


def test_request_models_keywords_and_patch_null_vs_unset(client: Any, project: str) -> None:
    created = client.datasets.create(project, DatasetInput(name="evals", description="first"), metadata={"a": 1})
    assert (created.name, created.description, created.metadata) == ("evals", "first", {"a": 1})
    renamed = client.datasets.update(project, created.id, name="renamed")  # description unset: kept
    assert (renamed.name, renamed.description) == ("renamed", "first")
    cleared = client.datasets.update(project, str(created.id), PatchedDataset(description=None))  # sent as null
    assert (cleared.name, cleared.description) == ("renamed", None)


def test_soft_delete_and_405(client: Any, project: str) -> None:
    created = client.environment_datasets.create(project, name="doomed")
    with pytest.raises(MethodNotAllowedError):
        client.environment_datasets.destroy(project, created.id)
    client.environment_datasets.update(project, created.id, deleted=True)
    with pytest.raises(NotFoundError):
        client.environment_datasets.retrieve(project, created.id)


def test_per_call_options_and_with_options(client: Any, project: str) -> None:
    client.datasets.create(project, name="alpha", extra_body={"description": "via extra_body"})
    client.datasets.create(project, name="beta")
    found = client.datasets.list(project, extra_query={"search": "alpha"}, timeout=5.0, extra_headers={"X-A": "1"})
    assert [(d.name, d.description) for d in found.results] == [("alpha", "via extra_body")]
    patient = client.with_options(timeout=10.0, headers={"X-Team": "ml"})
    assert patient._http is client._http
    assert [d.name for d in patient.datasets.list(project, order_by=("created_at",)).results] == ["alpha", "beta"]


def test_sequences_and_uuid_text(client: Any, project: str) -> None:
    one = client.datasets.create(project, name="one")
    two = client.datasets.create(project, name="two")
    client.datasets.create(project, name="three")
    page = client.datasets.list(project, id_in=(str(one.id), two.id), order_by=["-created_at"])
    assert [d.name for d in page.results] == ["two", "one"]
    assert client.datasets.retrieve(project, str(one.id)).id == one.id


def test_naive_datetimes_the_same_rule_in_client_and_server(client: Any, live_server: LiveServer, project: str) -> None:
    dataset = client.datasets.create(project, name="d")
    with pytest.raises(InvalidRequestError):
        client.dataset_items.create(project, dataset=dataset.id, ref_timestamp=datetime(2024, 5, 1, 12, 30))
    raw = httpx.post(
        f"{live_server.url}/api/environments/{project}/dataset_items/",
        json={"dataset": str(dataset.id), "ref_timestamp": "2024-05-01T12:30:00"},
        headers={"Authorization": f"Bearer {ALL_KEY}"},
    )
    assert raw.status_code == 400 and raw.json()["attr"] == "ref_timestamp" and raw.json()["code"] == "invalid"
    item = client.dataset_items.create(project, DatasetItemInput(dataset=dataset.id, ref_timestamp=AWARE))
    assert item.ref_timestamp == AWARE


def test_timeout_is_an_api_timeout_error(client: Any, project: str) -> None:
    """A per-call timeout against a host that accepts the connection and never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        host = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(ApiTimeoutError) as info:
            client.with_options(host=host).datasets.list(project, timeout=0.2)
    assert info.value.status_code == 0 and info.value.url.startswith(host)
    assert client.datasets.list(project, timeout=5.0).count == 0  # the live server answers in time


def test_page_objects_against_the_server(client: Any, project: str) -> None:
    for n in range(5):
        client.datasets.create(project, name=f"d{n}")
    first = client.datasets.list_pages(project, limit=2, order_by=["created_at"])
    assert [d.name for d in first.results] == ["d0", "d1"] and first.model.count == 5 and first.has_next_page()
    assert [d.name for d in first.next_page().results] == ["d2", "d3"]
    assert [[d.name for d in page.results] for page in first] == [["d0", "d1"], ["d2", "d3"], ["d4"]]
    assert [d.name for d in first.iter_items()] == [f"d{n}" for n in range(5)]


async def test_async_features_against_the_server(live_server: LiveServer, project: str) -> None:
    async with AsyncPostHogClient(ALL_KEY, host=live_server.url, idempotency_header="Idempotency-Key") as client:
        for n in range(3):
            await client.datasets.create(project, DatasetInput(name=f"a{n}"), timeout=5.0)
        first = await client.datasets.list_pages(project, limit=2, order_by=["created_at"])
        assert [len(page.results) async for page in first] == [2, 1]
        copy = client.with_options(max_retries=0)
        assert [d.name async for d in copy.datasets.list_all(project, limit=1, order_by=["created_at"])] == [
            "a0",
            "a1",
            "a2",
        ]


def test_idempotency_key_and_logging_against_the_server(
    live_server: LiveServer, project: str, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [seen.append]})
    with PostHogClient(ALL_KEY, host=live_server.url, http_client=http, idempotency_header="Idempotency-Key") as client:
        with caplog.at_level(logging.DEBUG, logger="posthog_client"):
            client.datasets.create(project, name="keyed", idempotency_key="key-123")
            client.datasets.create(project, name="fresh")
    assert seen[0].headers["Idempotency-Key"] == "key-123"
    UUID(seen[1].headers["Idempotency-Key"])
    lines = [r.getMessage() for r in caplog.records if r.name == "posthog_client"]
    assert any(line.startswith("request: POST ") for line in lines)
    assert sum(" 201 Created in " in line for line in lines) == 2
    assert all(ALL_KEY not in line for line in lines)


def test_readme_examples_run_against_the_server(tmp_path: Path) -> None:
    """Every Python block of the generated README, in order, as one script, against a fresh server: the key and host
    from the environment it documents, the project id its placeholder, and the dashboard its streaming example
    reads created first."""
    store = Store()
    with run_server(create_app(keys=KEYS, store=store), store) as live_server:
        _run_readme(live_server, tmp_path)


def _run_readme(live_server: LiveServer, tmp_path: Path) -> None:
    with PostHogClient(ALL_KEY, host=live_server.url) as client:
        client.dashboards.create_from_template_json("example", name="board")
    readme = (ROOT / "generated" / "client" / "README.md").read_text(encoding="utf-8")
    examples = readme.split("## Examples", 1)[1].split("## Resources", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", examples, flags=re.S)
    assert len(blocks) >= 10
    script = tmp_path / "readme.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    env = {
        **os.environ,
        "POSTHOG_PERSONAL_API_KEY": ALL_KEY,
        "POSTHOG_HOST": live_server.url,
        "PYTHONPATH": str(ROOT / "generated" / "client"),
    }
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "404 Not found." in result.stdout  # the errors example caught its NotFoundError
    assert '"name": "board"' in result.stdout  # the streaming example read the dashboard


def test_uuid4_ids_of_another_project_are_not_found(client: Any, project: str) -> None:
    with pytest.raises(NotFoundError):
        client.datasets.retrieve(project, str(uuid4()))
