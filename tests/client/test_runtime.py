"""Behaviour of the client runtime: pagination, retries, errors, configuration, raw access and streaming."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from itertools import islice
from typing import Any
from uuid import UUID

import httpx
import pydantic
import pytest
from client_support import HOST, KEY, LIST, LIST_ALL, Recorder, Sleeps, example

import posthog_client
from posthog_client import (
    ApiConnectionError,
    ApiError,
    ApiResponse,
    AsyncPostHogClient,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
    PostHogClient,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    with_raw_response,
    with_raw_response_async,
)
from posthog_client import _runtime as rt
from posthog_client.models import Dataset, PatchedDataset, Format, PaginatedDatasetList

PROJECT = "7"
DATASET = example("datasets_retrieve")[1]
U1 = UUID(DATASET["id"])
LIST_PATH = f"/api/projects/{PROJECT}/datasets/"


def dataset(n: int) -> dict[str, Any]:
    return {**DATASET, "id": str(UUID(int=n)), "name": f"dataset {n}"}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


# ------------------------------------------------------------------------------------------------ pagination


def paged_server(total: int, per_page: int, next_host: str = HOST) -> Any:
    """A server of `total` datasets in pages of `per_page`, with absolute `next` URLs on `next_host`."""

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        limit = int(request.url.params.get("limit", per_page))
        more = offset + limit < total
        page = {
            "count": total,
            "next": f"{next_host}{LIST_PATH}?limit={limit}&offset={offset + limit}" if more else None,
            "previous": None,
            "results": [dataset(n) for n in range(offset, min(offset + limit, total))],
        }
        return json_response(200, page)

    return handler


def test_list_all_follows_next_across_pages(client: Any, recorder: Recorder) -> None:
    recorder.handler = paged_server(total=7, per_page=3)
    items = list(getattr(client.datasets, LIST_ALL)(PROJECT, limit=3, search="x"))
    assert [item.id for item in items] == [UUID(int=n) for n in range(7)]
    assert all(isinstance(item, Dataset) for item in items)
    assert [str(r.url) for r in recorder.requests] == [
        f"{HOST}{LIST_PATH}?limit=3&search=x",
        f"{HOST}{LIST_PATH}?limit=3&offset=3",
        f"{HOST}{LIST_PATH}?limit=3&offset=6",
    ]
    assert all(r.headers["Authorization"] == f"Bearer {KEY}" for r in recorder.requests)


def test_list_returns_one_page(client: Any, recorder: Recorder) -> None:
    recorder.handler = paged_server(total=7, per_page=3)
    page = getattr(client.datasets, LIST)(PROJECT, limit=3)
    assert isinstance(page, PaginatedDatasetList) and page.count == 7 and len(page.results) == 3
    assert page.next == f"{HOST}{LIST_PATH}?limit=3&offset=3"
    assert len(recorder.requests) == 1


async def test_async_list_all_follows_next_across_pages(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = paged_server(total=5, per_page=2)
    items = [item async for item in getattr(aclient.datasets, LIST_ALL)(PROJECT, limit=2)]
    assert [item.id for item in items] == [UUID(int=n) for n in range(5)]
    assert len(recorder.requests) == 3
    page = await getattr(aclient.datasets, LIST)(PROJECT, limit=2, offset=2)
    assert [item.id for item in page.results] == [UUID(int=2), UUID(int=3)]


def test_pagination_is_lazy(client: Any, recorder: Recorder) -> None:
    recorder.handler = paged_server(total=10, per_page=2)
    iterator = getattr(client.datasets, LIST_ALL)(PROJECT, limit=2)
    assert recorder.requests == []
    assert next(iterator).id == UUID(int=0)
    assert len(recorder.requests) == 1


def test_pagination_stops_on_a_repeated_url(client: Any, recorder: Recorder) -> None:
    looping = {"count": 9, "next": f"{HOST}{LIST_PATH}?offset=1", "previous": None, "results": [dataset(1)]}
    recorder.handler = lambda request: json_response(200, looping)
    assert len(list(islice(getattr(client.datasets, LIST_ALL)(PROJECT), 10))) == 2  # not 10: it stopped
    assert len(recorder.requests) == 2


def test_pagination_keeps_the_key_on_the_configured_host(client: Any, recorder: Recorder) -> None:
    """A `next` on another origin (http://, a proxy's name) is followed on the configured host."""
    recorder.handler = paged_server(total=4, per_page=2, next_host="http://internal-proxy:8000")
    assert len(list(getattr(client.datasets, LIST_ALL)(PROJECT, limit=2))) == 4
    assert str(recorder.requests[1].url) == f"{HOST}{LIST_PATH}?limit=2&offset=2"


def test_pagination_error_on_a_later_page(client: Any, recorder: Recorder) -> None:
    recorder.queue = [
        json_response(
            200, {"count": 2, "next": f"{HOST}{LIST_PATH}?offset=1", "previous": None, "results": [dataset(0)]}
        ),
        json_response(404, {"detail": "Not found."}),
    ]
    iterator = getattr(client.datasets, LIST_ALL)(PROJECT)
    assert next(iterator).id == UUID(int=0)
    with pytest.raises(NotFoundError):
        next(iterator)


# --------------------------------------------------------------------------------------------------- retries


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retries_then_succeeds(status: int, client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [json_response(status, {"detail": "busy"}), json_response(status, {})]
    recorder.handler = lambda request: json_response(200, DATASET)
    assert client.datasets.retrieve(PROJECT, U1).id == U1
    assert len(recorder.requests) == 3
    # Exponential backoff with jitter: attempt n waits within [backoff * 2**n / 2, backoff * 2**n].
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500, 501])
def test_other_statuses_are_not_retried(status: int, client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.handler = lambda request: json_response(status, {"detail": "no"})
    with pytest.raises(ApiError):
        client.datasets.retrieve(PROJECT, U1)
    assert len(recorder.requests) == 1 and sleeps == []


def test_jitter_varies(recorder: Recorder) -> None:
    client = PostHogClient(KEY, transport=recorder.transport, max_retries=30, backoff=1e-6)
    delays = {client._retry_delay("GET", 3, None) for _ in range(20)}
    assert len(delays) > 1


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("3", 3.0), ("0.5", 0.5), ("3600", 60.0), ("-4", 0.0)],
)
def test_retry_after_seconds_is_honoured_and_capped(
    retry_after: str, expected: float, client: Any, recorder: Recorder, sleeps: Sleeps
) -> None:
    recorder.queue = [json_response(429, {"detail": "slow down"}, {"Retry-After": retry_after})]
    recorder.handler = lambda request: json_response(200, DATASET)
    client.datasets.retrieve(PROJECT, U1)
    assert sleeps == [expected]


def test_retry_after_http_date(client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    recorder.queue = [json_response(503, {}, {"Retry-After": when})]
    recorder.handler = lambda request: json_response(200, DATASET)
    client.datasets.retrieve(PROJECT, U1)
    assert len(sleeps) == 1 and 17 <= sleeps[0] <= 20


def test_bad_retry_after_falls_back_to_backoff(client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [json_response(503, {}, {"Retry-After": "soon"})]
    recorder.handler = lambda request: json_response(200, DATASET)
    client.datasets.retrieve(PROJECT, U1)
    assert len(sleeps) == 1 and 0.25 <= sleeps[0] <= 0.5


def test_post_is_not_retried_by_default(client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [json_response(503, {"detail": "down"})]
    recorder.handler = lambda request: json_response(201, DATASET)
    with pytest.raises(ServerError):
        client.datasets.create(PROJECT, name="x")
    assert len(recorder.requests) == 1 and sleeps == []


@pytest.mark.parametrize("call", ["create", "update"])
def test_post_and_patch_retried_when_allowed(call: str, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [json_response(503, {}), httpx.ConnectError("refused")]
    recorder.handler = lambda request: json_response(200, DATASET)
    client = PostHogClient(KEY, transport=recorder.transport, retry_non_idempotent=True)
    client._sleep = sleeps  # type: ignore[method-assign]
    args = (PROJECT,) if call == "create" else (PROJECT, U1)
    assert getattr(client.datasets, call)(*args, name="x").id == U1
    assert len(recorder.requests) == 3 and len(sleeps) == 2
    assert all(json.loads(body) == {"name": "x"} for body in recorder.bodies)


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_max_retries_is_respected(max_retries: int, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.handler = lambda request: json_response(429, {"detail": "Request was throttled."})
    client = PostHogClient(KEY, transport=recorder.transport, max_retries=max_retries)
    client._sleep = sleeps  # type: ignore[method-assign]
    with pytest.raises(RateLimitError) as info:
        client.datasets.retrieve(PROJECT, U1)
    assert len(recorder.requests) == max_retries + 1 and len(sleeps) == max_retries
    assert info.value.detail == "Request was throttled."


def test_connection_errors_are_retried_then_wrapped(client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    cause = httpx.ConnectError("connection refused")
    recorder.queue = [cause, cause, cause]
    with pytest.raises(ApiConnectionError) as info:
        client.datasets.retrieve(PROJECT, U1)
    error = info.value
    assert len(recorder.requests) == 3 and len(sleeps) == 2
    assert error.__cause__ is cause and isinstance(error, ApiError)
    assert error.status_code == 0 and error.method == "GET" and error.response is None
    assert error.url == f"{HOST}/api/projects/{PROJECT}/datasets/{U1}/"
    assert "connection refused" in str(error) and KEY not in str(error)


def test_connection_error_recovers(client: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [httpx.ReadTimeout("slow")]
    recorder.handler = lambda request: json_response(200, DATASET)
    assert client.datasets.retrieve(PROJECT, U1).id == U1 and len(sleeps) == 1


async def test_async_retries(aclient: Any, recorder: Recorder, sleeps: Sleeps) -> None:
    recorder.queue = [json_response(429, {}, {"Retry-After": "2"}), httpx.ConnectError("x")]
    recorder.handler = lambda request: json_response(200, DATASET)
    assert (await aclient.datasets.retrieve(PROJECT, U1)).id == U1
    assert sleeps[0] == 2.0 and len(sleeps) == 2 and len(recorder.requests) == 3


async def test_async_post_not_retried_and_connection_error_wrapped(aclient: Any, recorder: Recorder) -> None:
    recorder.queue = [httpx.ConnectError("refused")]
    with pytest.raises(ApiConnectionError):
        await aclient.datasets.create(PROJECT, name="x")
    assert len(recorder.requests) == 1


async def test_async_default_sleep_really_waits(recorder: Recorder) -> None:
    recorder.queue = [json_response(503, {}, {"Retry-After": "0.01"})]
    recorder.handler = lambda request: json_response(200, DATASET)
    async with AsyncPostHogClient(KEY, transport=recorder.transport) as client:
        assert (await client.datasets.retrieve(PROJECT, U1)).id == U1


# ---------------------------------------------------------------------------------------------------- errors

ERRORS = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (405, MethodNotAllowedError),
    (409, ConflictError),
    (429, RateLimitError),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
    (418, ApiError),
]
HINT = 'Hard delete of this model is not allowed. Use a patch API call to set "deleted" to true'


@pytest.mark.parametrize(("status", "cls"), ERRORS)
def test_error_statuses_map_to_classes(status: int, cls: type[ApiError], recorder: Recorder) -> None:
    body = {"type": "invalid_request", "code": "x", "detail": "Something\nwent wrong.", "attr": None}
    recorder.handler = lambda request: json_response(status, body)
    client = PostHogClient(KEY, transport=recorder.transport, max_retries=0)
    with pytest.raises(ApiError) as info:
        client.datasets.destroy(PROJECT, U1)
    error = info.value
    url = f"{HOST}/api/projects/{PROJECT}/datasets/{U1}/"
    assert type(error) is cls
    assert (error.status_code, error.method, error.url) == (status, "DELETE", url)
    assert error.detail == "Something\nwent wrong." and json.loads(error.body) == body
    assert error.response is not None and error.response.status_code == status
    message = str(error)
    assert "\n" not in message and KEY not in message and KEY not in repr(error)
    assert message.startswith(f"{status} {httpx.codes.get_reason_phrase(status)}: DELETE {url}: Something went wrong")
    assert (HINT in message) is (status == 405)


def test_405_message_shape(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: json_response(405, {"detail": 'Method "DELETE" not allowed.'})
    with pytest.raises(MethodNotAllowedError) as info:
        client.dataset_items.destroy(PROJECT, U1)
    assert str(info.value) == (
        f"405 Method Not Allowed: DELETE {HOST}/api/environments/{PROJECT}/dataset_items/{U1}/: "
        f'Method "DELETE" not allowed. {HINT}'
    )


@pytest.mark.parametrize("content", [b"", b"<html>Bad gateway</html>", b"[1, 2]", b"{not json"])
def test_error_without_json_detail(content: bytes, recorder: Recorder) -> None:
    recorder.handler = lambda request: httpx.Response(404, content=content)
    client = PostHogClient(KEY, transport=recorder.transport)
    with pytest.raises(NotFoundError) as info:
        client.datasets.retrieve(PROJECT, U1)
    assert info.value.detail is None and info.value.body == content.decode()
    assert str(info.value) == f"404 Not Found: GET {HOST}/api/projects/{PROJECT}/datasets/{U1}/"


async def test_async_errors(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: json_response(409, {"detail": "Unlisted dashboard exists."})
    with pytest.raises(ConflictError) as info:
        await aclient.dashboards.create_unlisted_dashboard(PROJECT, tags=["x"])
    assert info.value.status_code == 409 and info.value.detail == "Unlisted dashboard exists."


@pytest.mark.parametrize("content", [b'{"id": "not-a-uuid"}', b"{not json", b"[]"])
def test_invalid_response_body_raises_response_validation_error(
    content: bytes, client: Any, recorder: Recorder
) -> None:
    """A 2xx body that does not match its schema is an ApiError too, carrying the raw answer."""
    recorder.handler = lambda request: httpx.Response(200, content=content)
    with pytest.raises(ResponseValidationError) as info:
        client.datasets.retrieve(PROJECT, U1)
    error = info.value
    assert isinstance(error, ApiError) and isinstance(error.__cause__, pydantic.ValidationError)
    assert error.status_code == 200 and error.method == "GET" and error.body == content.decode()
    assert error.response is not None and error.response.content == content
    assert error.errors and all("loc" in e and "input" not in e for e in error.errors)
    assert str(error).startswith(f"200 OK: GET {HOST}/api/projects/{PROJECT}/datasets/{U1}/: ")
    assert "\n" not in str(error) and KEY not in str(error)


# ------------------------------------------------------------------------------------------- configuration


def test_key_never_in_repr(client: Any) -> None:
    text = repr(client)
    assert KEY not in text and "us.posthog.com" in text
    assert KEY not in repr(client.datasets._client) and KEY not in str(client)


def test_environment_configuration(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> None:
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", "phx_from_env")
    monkeypatch.setenv("POSTHOG_HOST", "https://eu.posthog.com/")
    recorder.handler = lambda request: json_response(200, DATASET)
    with PostHogClient(transport=recorder.transport) as client:
        client.datasets.retrieve(PROJECT, U1)
    request = recorder.requests[0]
    assert str(request.url) == f"https://eu.posthog.com/api/projects/{PROJECT}/datasets/{U1}/"
    assert request.headers["Authorization"] == "Bearer phx_from_env"
    assert "phx_from_env" not in repr(client)
    with PostHogClient("phx_explicit", host="https://ph.example.com/base", transport=recorder.transport) as client:
        client.datasets.retrieve(PROJECT, U1)
    assert str(recorder.requests[1].url) == f"https://ph.example.com/base/api/projects/{PROJECT}/datasets/{U1}/"
    assert recorder.requests[1].headers["Authorization"] == "Bearer phx_explicit"


def test_defaults_without_environment(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> None:
    monkeypatch.delenv("POSTHOG_PERSONAL_API_KEY", raising=False)
    monkeypatch.delenv("POSTHOG_HOST", raising=False)
    recorder.handler = lambda request: json_response(401, {"detail": "Authentication credentials were not provided."})
    client = PostHogClient(transport=recorder.transport)
    assert client.host == "https://us.posthog.com"
    with pytest.raises(AuthenticationError):
        client.datasets.retrieve(PROJECT, U1)
    assert "Authorization" not in recorder.requests[0].headers


def test_timeout_and_custom_http_client(recorder: Recorder) -> None:
    client = PostHogClient(KEY, timeout=5.0, transport=recorder.transport)
    assert client._http.timeout == httpx.Timeout(5.0)
    assert PostHogClient(KEY)._http.timeout == httpx.Timeout(30.0)
    recorder.handler = lambda request: json_response(200, DATASET)
    http = httpx.Client(transport=recorder.transport, headers={"X-Proxy": "1"})
    with PostHogClient(KEY, http_client=http, headers={"X-Extra": "2"}) as client:
        client.datasets.retrieve(PROJECT, U1)
    request = recorder.requests[0]
    assert request.headers["X-Proxy"] == "1" and request.headers["X-Extra"] == "2"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert http.is_closed


def test_context_managers_close_the_pool(recorder: Recorder) -> None:
    with PostHogClient(KEY, transport=recorder.transport) as client:
        assert not client._http.is_closed
    assert client._http.is_closed


async def test_async_context_manager_and_env(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> None:
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", "phx_async_env")
    recorder.handler = lambda request: json_response(200, DATASET)
    async with AsyncPostHogClient(transport=recorder.transport, host="http://localhost:8010") as client:
        await client.datasets.retrieve(PROJECT, U1)
        assert "phx_async_env" not in repr(client)
    assert client._http.is_closed
    assert recorder.requests[0].headers["Authorization"] == "Bearer phx_async_env"
    assert recorder.requests[0].url.host == "localhost"


def test_one_pool_per_client(recorder: Recorder) -> None:
    client = PostHogClient(KEY, transport=recorder.transport)
    assert client.datasets._client is client and client.dataset_items._client is client
    assert PostHogClient(KEY, transport=recorder.transport)._http is not client._http


# ------------------------------------------------------------------------------------------------ raw access


def test_with_raw_response(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: json_response(200, DATASET, {"X-Request-Id": "abc"})
    raw = with_raw_response(client.datasets.retrieve)(PROJECT, id=U1)
    assert isinstance(raw, ApiResponse)
    assert raw.status_code == 200 and raw.headers["X-Request-Id"] == "abc"
    assert isinstance(raw.parsed, Dataset) and raw.parsed.id == U1
    assert raw.http_response.request.method == "GET"


def test_with_raw_response_after_retries_and_for_none(client: Any, recorder: Recorder) -> None:
    recorder.queue = [json_response(503, {}), httpx.Response(204)]
    raw = with_raw_response(client.data_color_themes.destroy)(PROJECT, 3)
    assert raw.status_code == 204 and raw.parsed is None


def test_with_raw_response_needs_a_request(client: Any) -> None:
    with pytest.raises(TypeError):
        with_raw_response(getattr(client.datasets, LIST_ALL))(PROJECT)


async def test_with_raw_response_async(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: json_response(201, DATASET, {"X-Request-Id": "def"})
    raw = await with_raw_response_async(aclient.datasets.create)(PROJECT, name="x")
    assert raw.status_code == 201 and raw.headers["X-Request-Id"] == "def" and raw.parsed.id == U1


def test_raw_response_capture_does_not_leak_between_calls(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: json_response(200, DATASET)
    client.datasets.retrieve(PROJECT, U1)
    assert rt._captured.get() is None


# ------------------------------------------------------------------------------------------------- streaming

LINES = ["event: tile", 'data: {"id": 1}', "", "event: tile", 'data: {"id": 2}', ""]


def test_stream_tiles_line_by_line(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: httpx.Response(
        200, content="\n".join(LINES).encode(), headers={"Content-Type": "text/event-stream"}
    )
    with client.dashboards.stream_tiles_stream(PROJECT, 12) as stream:
        assert stream.status_code == 200 and stream.headers["Content-Type"] == "text/event-stream"
        lines = list(stream.iter_lines())
    assert lines == LINES[:-1]
    assert str(recorder.requests[0].url) == f"{HOST}/api/environments/{PROJECT}/dashboards/12/stream_tiles/"


def test_stream_reads_as_it_arrives(client: Any, recorder: Recorder) -> None:
    produced: list[int] = []

    def body() -> Any:
        for n in range(3):
            produced.append(n)
            yield f"line {n}\n".encode()

    recorder.handler = lambda request: httpx.Response(200, stream=_IterStream(body()))
    with client.dashboards.stream_tiles_stream(PROJECT, 12) as stream:
        iterator = stream.iter_lines()
        assert next(iterator) == "line 0" and produced == [0]
        assert list(iterator) == ["line 1", "line 2"]


class _IterStream(httpx.SyncByteStream):
    def __init__(self, chunks: Any) -> None:
        self.chunks = chunks

    def __iter__(self) -> Any:
        yield from self.chunks


def test_stream_bytes_and_text_and_errors(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: httpx.Response(200, content=b"abc\xc3\xa4")
    with client.dashboards.stream_tiles_stream(PROJECT, 1, format=Format.TXT) as stream:
        assert b"".join(stream.iter_bytes()) == b"abc\xc3\xa4"
    with client.dashboards.stream_tiles_stream(PROJECT, 1) as stream:
        assert "".join(stream.iter_text()) == "abcä"
    assert recorder.requests[0].url.params["format"] == "txt"
    recorder.handler = lambda request: json_response(404, {"detail": "Not found."})
    with pytest.raises(NotFoundError) as info:
        with client.dashboards.stream_tiles_stream(PROJECT, 1):
            pass  # pragma: no cover
    assert info.value.detail == "Not found."


async def test_async_stream(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: httpx.Response(200, content="\n".join(LINES).encode())
    async with aclient.dashboards.stream_tiles_stream(PROJECT, 12) as stream:
        lines = [line async for line in stream.aiter_lines()]
    assert lines == LINES[:-1]
    async with aclient.dashboards.stream_tiles_stream(PROJECT, 12) as stream:
        assert b"".join([chunk async for chunk in stream.aiter_bytes()]).startswith(b"event: tile")
    async with aclient.dashboards.stream_tiles_stream(PROJECT, 12) as stream:
        assert "".join([text async for text in stream.aiter_text()]).endswith('data: {"id": 2}\n')
    recorder.handler = lambda request: json_response(403, {"detail": "No scope."})
    with pytest.raises(PermissionDeniedError):
        async with aclient.dashboards.stream_tiles_stream(PROJECT, 12):
            pass  # pragma: no cover


def test_format_txt_gives_text(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: httpx.Response(200, text="tile 1\ntile 2\n")
    result = client.dashboards.stream_tiles(PROJECT, 12, format=Format.TXT)
    assert result.text == "tile 1\ntile 2\n" and result.content == b"tile 1\ntile 2\n"
    assert result.headers["Content-Type"].startswith("text/plain")
    assert recorder.requests[0].url.query == b"format=txt"


async def test_async_format_txt_gives_text(aclient: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: httpx.Response(200, text="tile 1\n")
    assert (await aclient.dashboards.stream_tiles(PROJECT, 12, format=Format.TXT)).text == "tile 1\n"


# -------------------------------------------------------------------------------------------- serialisation


def test_unset_and_csv() -> None:
    assert not posthog_client.UNSET and repr(posthog_client.UNSET) == "UNSET"
    assert rt.csv(posthog_client.UNSET) is posthog_client.UNSET
    assert rt.csv([Format.JSON, 2, True, UUID(int=1)]) == f"json,2,true,{UUID(int=1)}"


def test_query_rules() -> None:
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    query = {"a": [1, 2], "b": rt.csv(["x", "y z"]), "c": rt.UNSET, "d": None, "e": False, "f": when, "g": Format.TXT}
    assert rt._query(query) == "?a=1&a=2&b=x,y%20z&e=false&f=2024-01-02T03%3A04%3A05%2B00%3A00&g=txt"
    assert rt._query({"c": rt.UNSET}) == "" and rt._query(None) == ""


def test_path_parameters_are_percent_encoded(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: json_response(200, DATASET)
    client.datasets.retrieve("a/b?c#d e", U1)
    assert recorder.requests[0].url.raw_path == f"/api/projects/a%2Fb%3Fc%23d%20e/datasets/{U1}/".encode()
    client.datasets.retrieve("@current", U1)
    assert recorder.requests[1].url.raw_path == f"/api/projects/@current/datasets/{U1}/".encode()


def test_model_and_bytes_and_form_bodies(client: Any, recorder: Recorder) -> None:
    recorder.handler = lambda request: json_response(200, DATASET)
    resource = client.datasets
    path = "/api/projects/{project_id}/datasets/{id}/"
    params = {"project_id": PROJECT, "id": U1}
    resource._send("PATCH", path, Dataset, path_params=params, body=PatchedDataset(description=None))
    assert recorder.json_body() == {"description": None}
    resource._send("PATCH", path, Dataset, path_params=params, body={"metadata": PatchedDataset(name="n"), "x": rt.UNSET})
    assert recorder.json_body() == {"metadata": {"name": "n"}}
    resource._send("POST", path, None, path_params=params, body=b"\x00raw", media_type="application/octet-stream")
    assert recorder.bodies[-1] == b"\x00raw"
    assert recorder.requests[-1].headers["Content-Type"] == "application/octet-stream"
    form = {"name": "n", "tags": ["a"], "skip": rt.UNSET, "none": None}
    resource._send("POST", path, None, path_params=params, body=form, media_type="application/x-www-form-urlencoded")
    assert recorder.bodies[-1] == b"name=n&tags=a"  # lists as repeated keys, as the server reads them
    assert recorder.requests[-1].headers["Content-Type"] == "application/x-www-form-urlencoded"
    resource._send("POST", path, None, path_params=params, body={"name": "n"}, media_type="multipart/form-data")
    assert recorder.requests[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="name"\r\n\r\nn\r\n' in recorder.bodies[-1]


def test_non_model_results_use_a_cached_type_adapter(
    client: Any, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Any] = []
    real = pydantic.TypeAdapter

    def counting(tp: Any) -> Any:
        built.append(tp)
        return real(tp)

    monkeypatch.setattr(rt.pydantic, "TypeAdapter", counting)
    recorder.handler = lambda request: json_response(200, [DATASET, DATASET])
    for _ in range(3):
        result = client.datasets._send("GET", "/x/", list[Dataset], path_params={})
        assert [item.id for item in result] == [U1, U1]
    assert built == [list[Dataset]]
    recorder.handler = lambda request: json_response(200, DATASET)
    client.datasets.retrieve(PROJECT, U1)
    assert built == [list[Dataset]]  # models go through model_validate_json


def test_models_extra_policies() -> None:
    assert Dataset.model_validate({**DATASET, "new": 1}).model_extra == {"new": 1}
    patch = PatchedDataset.model_validate({"name": "n", "unknown": 1})
    assert patch.model_dump(exclude_unset=True) == {"name": "n"}
