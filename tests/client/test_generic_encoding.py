"""How the client runtime turns argument values into header, path and form text, independently of any spec."""

from __future__ import annotations

from datetime import date
from enum import Enum
from urllib.parse import parse_qsl
from uuid import UUID

import httpx
from posthog_client import _runtime as rt
from posthog_client._runtime.encoding import _body, _path_segment, _text


class Color(str, Enum):
    RED = "red"
    BLUE = "blue"


class Level(Enum):
    ONE = 1


def test_text_of_scalars() -> None:
    assert _text("a b") == "a b"
    assert _text(True) == "true" and _text(False) == "false"
    assert _text(3) == "3" and _text(1.5) == "1.5"
    assert _text(Color.RED) == "red" and _text(Level.ONE) == "1"
    assert _text(date(2024, 1, 2)) == "2024-01-02"
    assert _text(UUID(int=1)) == "00000000-0000-0000-0000-000000000001"


def test_text_of_lists_is_simple_style() -> None:
    """OpenAPI "simple" style: elements comma-joined, each converted like a scalar; never a Python repr."""
    assert _text([1, 2]) == "1,2"
    assert _text((True, False)) == "true,false"
    assert _text([Color.RED, Color.BLUE]) == "red,blue"
    assert _text([]) == ""
    assert _path_segment([1, 2]) == "1,2"
    assert _path_segment(["a b", "c/d"]) == "a%20b,c%2Fd"


def _sent(transport_requests: list[httpx.Request]) -> httpx.Request:
    assert len(transport_requests) == 1
    return transport_requests[0]


def _client(seen: list[httpx.Request]) -> rt.SyncClient:
    class Client(rt.SyncClient):
        _settings = rt.Settings(api_key_env="X_KEY", host_env="X_HOST", default_host="http://h", user_agent="t/1")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    return Client(api_key="k", transport=httpx.MockTransport(handler))


def test_list_header_and_path_values_are_comma_joined() -> None:
    seen: list[httpx.Request] = []
    with _client(seen) as client:
        resource = rt.SyncResource(client)
        resource._send(
            "GET", "/things/{ids}/", None, path_params={"ids": [1, 2]}, headers={"X-Ids": [1, 2], "X-Flag": True}
        )
    request = _sent(seen)
    assert request.url.path == "/things/1,2/"
    assert request.headers["x-ids"] == "1,2"
    assert request.headers["x-flag"] == "true"


FORM = {
    "tags": ["a", "b c", "d,e"],
    "flag": True,
    "off": False,
    "kind": Color.BLUE,
    "count": 4,
    "ids": [1, 2],
    "gone": rt.UNSET,
    "none": None,
}
EXPECTED = [
    ("tags", "a"),
    ("tags", "b c"),
    ("tags", "d,e"),
    ("flag", "true"),
    ("off", "false"),
    ("kind", "blue"),
    ("count", "4"),
    ("ids", "1"),
    ("ids", "2"),
]


def test_urlencoded_form_repeats_list_keys() -> None:
    seen: list[httpx.Request] = []
    with _client(seen) as client:
        rt.SyncResource(client)._send(
            "POST", "/f/", None, path_params={}, body=FORM, media_type="application/x-www-form-urlencoded"
        )
    request = _sent(seen)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(request.content.decode()) == EXPECTED


def test_multipart_form_repeats_list_keys() -> None:
    kwargs = _body(FORM, "multipart/form-data")
    request = httpx.Request("POST", "http://h/f/", **kwargs)
    boundary = request.headers["content-type"].split("boundary=")[1]
    parts = request.read().decode().split("--" + boundary)[1:-1]
    fields = []
    for part in parts:
        head, _, value = part.partition("\r\n\r\n")
        fields.append((head.split('name="')[1].split('"')[0], value.removesuffix("\r\n")))
    assert fields == EXPECTED


def test_form_nested_object_is_json() -> None:
    request = httpx.Request("POST", "http://h/f/", **_body({"meta": {"a": 1}}, "application/x-www-form-urlencoded"))
    assert parse_qsl(request.read().decode()) == [("meta", '{"a": 1}')]
    request = httpx.Request("POST", "http://h/f/", **_body({"meta": {"a": 1}}, "multipart/form-data"))
    assert '\r\n\r\n{"a": 1}\r\n' in request.read().decode()
