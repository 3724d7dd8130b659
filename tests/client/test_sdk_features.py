"""The SDK features of the generated client against an in-process transport: per-call options, `with_options`,
request models, read-only inputs, naive datetimes, error kinds, page objects, idempotency keys and logging."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from client_support import HOST, KEY, LIST, LIST_ALL, Recorder, Sleeps, example

from posthog_client import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AsyncPage,
    AsyncPostHogClient,
    InvalidRequestError,
    PostHogClient,
    ServerError,
    SyncPage,
    UnprocessableEntityError,
)
from posthog_client.models import (
    DataColorThemeInput,
    DatasetInput,
    DatasetItemInput,
    OrderByItem,
    PaginatedDatasetList,
    PatchedDataset,
)

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "7"
DATASET = example("datasets_retrieve")[1]
U1 = UUID(DATASET["id"])
LIST_PATH = f"/api/projects/{PROJECT}/datasets/"
NAIVE = datetime(2024, 5, 1, 12, 30)
AWARE = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)


ITEM = example("dataset_items_retrieve")[1]
THEME = example("data_color_themes_retrieve")[1]


def ok(request: httpx.Request) -> httpx.Response:
    """The example of whatever the path names."""
    path = request.url.path
    return httpx.Response(200, json=ITEM if "dataset_items" in path else THEME if "color_themes" in path else DATASET)


def paged(total: int, per_page: int) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        more = offset + per_page < total
        rows = [{**DATASET, "id": str(UUID(int=n))} for n in range(offset, min(offset + per_page, total))]
        next_url = f"{HOST}{LIST_PATH}?limit={per_page}&offset={offset + per_page}" if more else None
        return httpx.Response(200, json={"count": total, "next": next_url, "previous": None, "results": rows})

    return handler


# ------------------------------------------------------------------------------------------- per-call options


def test_per_call_options_reach_the_request(client: Any, recorder: Recorder) -> None:
    recorder.handler = ok
    client.datasets.update(
        PROJECT,
        U1,
        name="n",
        timeout=2.5,
        extra_headers={"X-Trace": "t1", "User-Agent": "mine/1"},
        extra_query={"debug": "1", "flag": True},
        extra_body={"undocumented": [1, 2], "name": "from-extra"},
    )
    request = recorder.requests[-1]
    assert request.extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    assert request.headers["X-Trace"] == "t1" and request.headers["User-Agent"] == "mine/1"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert dict(request.url.params) == {"debug": "1", "flag": "true"}
    assert recorder.json_body() == {"name": "from-extra", "undocumented": [1, 2]}
    # Nothing of this call is left on the client for the next one.
    client.datasets.retrieve(PROJECT, U1)
    request = recorder.requests[-1]
    assert request.extensions["timeout"] == httpx.Timeout(30.0).as_dict()
    assert "X-Trace" not in request.headers and request.url.query == b""


def test_extra_query_on_a_list_and_none_timeout(client: Any, recorder: Recorder) -> None:
    recorder.handler = paged(1, 5)
    getattr(client.datasets, LIST)(PROJECT, limit=5, extra_query={"limit": 9, "x": "y"}, timeout=None)
    request = recorder.requests[-1]
    assert dict(request.url.params) == {"limit": "9", "x": "y"}  # extra_query replaces a documented value
    assert request.extensions["timeout"] == httpx.Timeout(None).as_dict()


def test_options_reach_iterators_pages_and_streams(client: Any, recorder: Recorder) -> None:
    recorder.handler = paged(3, 2)
    list(getattr(client.datasets, LIST_ALL)(PROJECT, limit=2, extra_headers={"X-A": "1"}))
    assert [r.headers.get("X-A") for r in recorder.requests] == ["1", "1"]
    getattr(client.datasets, f"{LIST}_pages")(PROJECT, extra_headers={"X-B": "2"})
    assert recorder.requests[-1].headers["X-B"] == "2"
    recorder.handler = lambda request: httpx.Response(200, content=b"a\nb\n")
    with client.dashboards.stream_tiles_stream(PROJECT, 1, extra_query={"q": "1"}) as stream:
        assert list(stream.iter_lines()) == ["a", "b"]
    assert recorder.requests[-1].url.params["q"] == "1"


def test_an_unknown_keyword_is_a_type_error(client: Any, recorder: Recorder) -> None:
    with pytest.raises(TypeError, match="limt"):
        getattr(client.datasets, LIST)(PROJECT, limt=3)
    assert recorder.requests == []


async def test_async_per_call_options(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = ok
    await aclient.datasets.create(PROJECT, name="n", timeout=1.0, extra_headers={"X-A": "a"}, extra_body={"e": 1})
    request = recorder.requests[-1]
    assert request.extensions["timeout"] == httpx.Timeout(1.0).as_dict() and request.headers["X-A"] == "a"
    assert recorder.json_body() == {"name": "n", "e": 1}


def test_with_options_is_a_configured_copy_sharing_the_pool(client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.handler = ok
    copy = client.with_options(timeout=3.0, max_retries=0, headers={"X-Team": "ml"})
    assert type(copy) is type(client) and copy is not client
    assert copy._http is client._http  # one connection pool
    assert copy.datasets._client is copy and client.datasets._client is client
    copy.datasets.retrieve(PROJECT, U1)
    request = recorder.requests[-1]
    assert request.extensions["timeout"] == httpx.Timeout(3.0).as_dict() and request.headers["X-Team"] == "ml"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    recorder.queue = [httpx.Response(503)]
    with pytest.raises(ServerError):
        copy.datasets.retrieve(PROJECT, U1)  # max_retries=0: no retry
    client.datasets.retrieve(PROJECT, U1)  # the original is unchanged: it retries, default timeout, no header
    assert "X-Team" not in recorder.requests[-1].headers
    assert recorder.requests[-1].extensions["timeout"] == httpx.Timeout(30.0).as_dict()
    other = client.with_options(api_key="phx_other", host="https://eu.posthog.com/")
    other.datasets.retrieve(PROJECT, U1)
    assert recorder.requests[-1].headers["Authorization"] == "Bearer phx_other"
    assert str(recorder.requests[-1].url).startswith("https://eu.posthog.com/api/")
    assert "phx_other" not in repr(other)


async def test_async_with_options(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = ok
    copy = aclient.with_options(headers={"X-A": "1"})
    assert copy._http is aclient._http
    await copy.datasets.retrieve(PROJECT, U1)
    assert recorder.requests[-1].headers["X-A"] == "1"


# --------------------------------------------------------------------------------------- models and inputs


def test_request_model_is_accepted_beside_keywords(client: Any, recorder: Recorder) -> None:
    recorder.handler = ok
    client.datasets.create(PROJECT, DatasetInput(name="m", description=None))
    assert recorder.json_body() == {"name": "m", "description": None}  # only the fields set, null kept
    client.datasets.create(PROJECT, body=DatasetInput(name="m"), description="kw")
    assert recorder.json_body() == {"name": "m", "description": "kw"}  # a keyword beside the model wins
    client.datasets.update(PROJECT, U1, PatchedDataset(deleted=True))
    assert recorder.json_body() == {"deleted": True}
    client.data_color_themes.create(PROJECT, DataColorThemeInput(name="t", colors=["#fff"]))
    assert recorder.json_body() == {"name": "t", "colors": ["#fff"]}
    client.dataset_items.create(PROJECT, DatasetItemInput(dataset=U1, ref_timestamp=AWARE))
    assert recorder.json_body() == {"dataset": str(U1), "ref_timestamp": "2024-05-01T12:30:00+00:00"}
    assert [r.method for r in recorder.requests] == ["POST", "POST", "PATCH", "POST", "POST"]


def test_sequences_tuples_and_uuid_text(client: Any, recorder: Recorder) -> None:
    recorder.handler = paged(1, 5)
    getattr(client.datasets, LIST)(PROJECT, order_by=("-created_at", OrderByItem.UPDATED_AT), id_in=[str(U1), U1])
    params = recorder.requests[-1].url.params
    assert params["order_by"] == "-created_at,updated_at" and params["id__in"] == f"{U1},{U1}"
    recorder.handler = ok
    client.datasets.retrieve(PROJECT, str(U1))
    assert recorder.requests[-1].url.path == f"{LIST_PATH}{U1}/"
    client.dataset_items.create(PROJECT, dataset=str(U1), input={"q": 1})
    assert recorder.json_body() == {"dataset": str(U1), "input": {"q": 1}}


def test_optional_constrained_fields_are_optional() -> None:
    """`Field(default=None, max_length=…)`: optional at runtime too, constraint kept."""
    assert PatchedDataset().model_dump(exclude_unset=True) == {}
    with pytest.raises(ValueError):
        PatchedDataset(name="x" * 401)


# ------------------------------------------------------------------------------------------ naive datetimes


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.dataset_items.create(PROJECT, dataset=U1, ref_timestamp=NAIVE),
        lambda c: c.dataset_items.create(PROJECT, DatasetItemInput(dataset=U1, ref_timestamp=NAIVE)),
        lambda c: c.dataset_items.update(PROJECT, U1, metadata={"at": [NAIVE]}),
        lambda c: c.datasets.create(PROJECT, name="n", extra_query={"since": NAIVE}),
        lambda c: c.datasets.retrieve(PROJECT, U1, extra_headers={"X-At": NAIVE}),
    ],
)
def test_naive_datetimes_are_refused_before_sending(call: Any, client: Any, recorder: Recorder) -> None:
    with pytest.raises(InvalidRequestError) as info:
        call(client)
    error = info.value
    assert isinstance(error, ApiError) and isinstance(error, ValueError)
    assert error.status_code == 0 and error.method in ("POST", "PATCH", "GET") and error.url.startswith(HOST)
    assert "2024-05-01T12:30:00" in str(error) and KEY not in str(error)
    assert recorder.requests == []


def test_aware_datetimes_keep_their_offset(client: Any, recorder: Recorder) -> None:
    recorder.handler = ok
    client.dataset_items.create(PROJECT, dataset=U1, ref_timestamp=AWARE.astimezone(timezone.utc))
    assert recorder.json_body()["ref_timestamp"] == "2024-05-01T12:30:00+00:00"


# ------------------------------------------------------------------------------------------------- errors


def test_timeout_is_an_api_timeout_error(client: Any, recorder: Recorder) -> None:
    cause = httpx.ReadTimeout("too slow")
    recorder.queue = [cause, cause, cause]
    with pytest.raises(ApiTimeoutError) as info:
        client.datasets.retrieve(PROJECT, U1)
    assert isinstance(info.value, ApiConnectionError) and info.value.__cause__ is cause
    assert len(recorder.requests) == 3  # retried like any connection error


def test_422_is_unprocessable_entity(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: httpx.Response(422, json={"detail": "Unprocessable."})
    with pytest.raises(UnprocessableEntityError) as info:
        client.datasets.create(PROJECT, name="n")
    assert info.value.status_code == 422 and info.value.detail == "Unprocessable."


# ------------------------------------------------------------------------------------------------- pages


def test_page_objects(client: Any, recorder: Recorder) -> None:
    recorder.handler = paged(5, 2)
    first = getattr(client.datasets, f"{LIST}_pages")(PROJECT, limit=2)
    assert isinstance(first, SyncPage) and isinstance(first.model, PaginatedDatasetList)
    assert [item.id for item in first.results] == [UUID(int=0), UUID(int=1)] and first.model.count == 5
    assert first.has_next_page() and len(recorder.requests) == 1
    second = first.next_page()
    assert [item.id for item in second.results] == [UUID(int=2), UUID(int=3)]
    assert str(recorder.requests[-1].url) == f"{HOST}{LIST_PATH}?limit=2&offset=2"
    pages = list(first)  # this page, then each following one, fetched again lazily
    assert [len(page.results) for page in pages] == [2, 2, 1]
    last = pages[-1]
    assert not last.has_next_page() and first.has_next_page()
    with pytest.raises(LookupError):
        last.next_page()
    assert [item.id for item in first.iter_items()] == [UUID(int=n) for n in range(5)]


def test_pages_stop_on_a_loop(client: Any, recorder: Recorder) -> None:
    looping = {"count": 9, "next": f"{HOST}{LIST_PATH}", "previous": None, "results": [DATASET]}
    recorder.handler = lambda request: httpx.Response(200, json=looping)
    first = getattr(client.datasets, f"{LIST}_pages")(PROJECT)
    assert not first.has_next_page() and len(list(first)) == 1


async def test_async_page_objects(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = paged(3, 2)
    first = await getattr(aclient.datasets, f"{LIST}_pages")(PROJECT, limit=2)
    assert isinstance(first, AsyncPage) and len(first.results) == 2 and first.has_next_page()
    second = await first.next_page()
    assert [item.id for item in second.results] == [UUID(int=2)] and not second.has_next_page()
    assert [len(page.results) async for page in first] == [2, 1]
    assert [item.id async for item in first.iter_items()] == [UUID(int=n) for n in range(3)]


# ----------------------------------------------------------------------------------------- idempotency keys


def test_configured_idempotency_header_on_retried_posts(recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [httpx.Response(503), httpx.ConnectError("reset")]
    recorder.handler = ok
    client = PostHogClient(KEY, transport=recorder.transport, idempotency_header="Idempotency-Key")
    client._sleep = sleeps  # type: ignore[method-assign]
    client.datasets.create(PROJECT, name="n")
    keys = [r.headers.get("Idempotency-Key") for r in recorder.requests]
    assert len(keys) == 3 and keys[0] and len(set(keys)) == 1  # one key, the same on every attempt
    UUID(keys[0])
    client.datasets.create(PROJECT, name="n")
    assert recorder.requests[-1].headers["Idempotency-Key"] != keys[0]  # a fresh key per call
    client.datasets.update(PROJECT, U1, name="n", idempotency_key="mine-1")
    assert recorder.requests[-1].headers["Idempotency-Key"] == "mine-1"
    client.datasets.retrieve(PROJECT, U1)
    assert "Idempotency-Key" not in recorder.requests[-1].headers  # GET needs none


def test_no_idempotency_key_unless_asked(client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [httpx.Response(503)]
    with pytest.raises(ServerError):
        client.datasets.create(PROJECT, name="n")
    assert len(recorder.requests) == 1 and "Idempotency-Key" not in recorder.requests[0].headers


async def test_async_idempotency_key(recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [httpx.Response(502)]
    recorder.handler = ok
    async with AsyncPostHogClient(KEY, transport=recorder.transport) as plain:
        keyed = plain.with_options(idempotency_header="X-Idem")
        keyed._sleep = sleeps.async_sleep  # type: ignore[method-assign]
        await keyed.datasets.create(PROJECT, name="n")
    keys = [r.headers["X-Idem"] for r in recorder.requests]
    assert len(keys) == 2 and keys[0] == keys[1]


# ---------------------------------------------------------------------------------------------------- logging


def test_logging_of_requests_answers_and_retries(
    recorder: Recorder, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    recorder.queue = [httpx.Response(503)]
    recorder.handler = ok
    client = PostHogClient(KEY, transport=recorder.transport)
    client._sleep = sleeps  # type: ignore[method-assign]
    with caplog.at_level(logging.DEBUG, logger="posthog_client"):
        client.datasets.retrieve(PROJECT, U1)
    url = f"{HOST}{LIST_PATH}{U1}/"
    messages = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert ("posthog_client", "DEBUG", f"request: GET {url} (attempt 1)") in messages
    assert ("posthog_client", "DEBUG", f"request: GET {url} (attempt 2)") in messages
    retry = [m for _, level, m in messages if level == "INFO"]
    assert len(retry) == 1 and retry[0].startswith(f"retrying GET {url} in ") and "after 503" in retry[0]
    answers = [m for _, _, m in messages if m.startswith("response: ")]
    assert len(answers) == 2 and " 200 OK in " in answers[1]
    assert all(KEY not in m for _, _, m in messages)


def test_logging_is_off_by_default(client: Any, recorder: Recorder, caplog: pytest.LogCaptureFixture) -> None:
    recorder.handler = ok
    with caplog.at_level(logging.WARNING):
        client.datasets.retrieve(PROJECT, U1)
    assert [r for r in caplog.records if r.name == "posthog_client"] == []


LOG_SCRIPT = """
import httpx
from posthog_client import PostHogClient

transport = httpx.MockTransport(lambda request: httpx.Response(204))
PostHogClient("{key}", transport=transport).data_color_themes.destroy("7", 3)
"""


@pytest.mark.parametrize(("value", "logged"), [("debug", True), ("", False)])
def test_log_environment_variable(value: str, logged: bool) -> None:
    env = {**os.environ, "POSTHOG_LOG": value, "PYTHONPATH": str(ROOT / "generated" / "client")}
    script = LOG_SCRIPT.format(key=KEY)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert ("posthog_client DEBUG request: DELETE" in result.stderr) is logged
    assert ("response: DELETE" in result.stderr) is logged and KEY not in result.stderr


def test_json_body_of_a_model_and_extra_body_together(client: Any, recorder: Recorder) -> None:
    recorder.handler = ok
    client.datasets.update(PROJECT, U1, PatchedDataset(name="a"), extra_body={"description": None})
    assert json.loads(recorder.bodies[-1]) == {"name": "a", "description": None}
