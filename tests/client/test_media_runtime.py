"""The client runtime's media machinery on its own (no spec): the server-sent events format, file values, and a
file object streamed again from its start when the request is retried."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from posthog_client import _runtime as rt
from posthog_client._runtime.events import _Decoder
from posthog_client._runtime.files import file_part, is_file


def _decode(text: str) -> list[tuple[str, str, str | None, int | None]]:
    decoder, found = _Decoder(), []
    for line in text.splitlines():
        if (event := decoder.feed(line)) is not None:
            found.append(event)
    return found


def test_event_stream_format() -> None:
    text = (
        ": a comment\r\n"
        "data: one\r\n\r\n"
        "event: delta\nid: 7\nretry: 300\ndata:two\ndata:  three\n\n"
        'data: {"n": 1}\n\n'
        "id\n\n"  # no data: nothing dispatched, the last id is reset to ""
        "event: lost\ndata: never ended"
    )
    assert _decode(text) == [
        ("one", "message", None, None),
        ("two\n three", "delta", "7", 300),
        ('{"n": 1}', "message", "7", 300),
    ]


def test_file_values() -> None:
    assert is_file(b"x") and is_file(io.BytesIO(b"x")) and is_file(("a.txt", b"x", "text/plain"))
    assert is_file(("a.txt", io.BytesIO(b"x")))
    assert not is_file("text") and not is_file(("a", "b")) and not is_file(["a"]) and not is_file(None)
    assert file_part("f", b"x") == ("f", ("f", b"x", "application/octet-stream"))
    assert file_part("f", ("a.png", b"x", "image/png")) == ("f", ("a.png", b"x", "image/png"))


class _Client(rt.SyncClient):
    _settings = rt.Settings(api_key_env="X_KEY", host_env="X_HOST", default_host="http://h", user_agent="t/1")


def _client(handler: Any) -> _Client:
    client = _Client(api_key="k", transport=httpx.MockTransport(handler), max_retries=1)
    client._sleep = lambda seconds: None  # type: ignore[method-assign]
    return client


def test_a_streamed_file_is_sent_again_on_a_retry() -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        return httpx.Response(503 if len(bodies) == 1 else 200, content=b"ok")

    content = bytes(range(256)) * 1000
    handle = io.BytesIO(b"skip" + content)
    handle.read(4)  # sent from where the file stands, as a file object is
    with _client(handler) as client:
        result = rt.SyncResource(client)._send_bytes(
            "PUT", "/f", path_params={}, body=handle, media_type="application/octet-stream", idempotency="K"
        )
    assert result == b"ok" and bodies == [content, content]


def test_event_stream_errors_raise_before_iterating() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept"] == "text/event-stream"
        return httpx.Response(404, json={"detail": "gone"})

    with _client(handler) as client, pytest.raises(rt.NotFoundError):
        rt.SyncResource(client)._events("GET", "/e", str, path_params={})


def test_event_data_not_matching_its_schema_is_a_response_validation_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=b'data: {"n": "x"}\n\ndata: plain\n\n', headers={"content-type": "text/event-stream"}
        )

    with _client(handler) as client:
        with rt.SyncResource(client)._events("GET", "/e", dict[str, int], path_params={}) as events:
            first, second = list(events)
    with pytest.raises(rt.ResponseValidationError):
        first.data
    assert first.json() == {"n": "x"} and second.text == "plain"


def test_an_answer_that_is_no_event_stream_is_one_event() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"n": 1})

    with _client(handler) as client:
        events = list(rt.SyncResource(client)._events("POST", "/e", dict[str, int], path_params={}))
    assert [(e.event, e.data) for e in events] == [("message", {"n": 1})]
