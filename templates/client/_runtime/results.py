"""What calls return: parsed bodies (`_parse`), `RawResult`, streamed responses and `with_raw_response`."""

from __future__ import annotations

import contextvars
import gc
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import httpx
import pydantic

from .errors import _checked, _invalid_body

_T = TypeVar("_T")
_P = ParamSpec("_P")


@dataclass(frozen=True, slots=True)
class RawResult:
    """The answer of an operation whose response body the API does not describe."""

    status_code: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class StreamedResponse:
    """A response read as it arrives, inside the `with` block of a `…_stream` method."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response, self.status_code, self.headers = response, response.status_code, response.headers

    def iter_bytes(self) -> Iterator[bytes]:
        return self.http_response.iter_bytes()

    def iter_text(self) -> Iterator[str]:
        return self.http_response.iter_text()

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()


class AsyncStreamedResponse:
    """A response read as it arrives, inside the `async with` block of a `…_stream` method."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response, self.status_code, self.headers = response, response.status_code, response.headers

    def aiter_bytes(self) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes()

    def aiter_text(self) -> AsyncIterator[str]:
        return self.http_response.aiter_text()

    def aiter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()


@dataclass(frozen=True, slots=True)
class ApiResponse(Generic[_T]):
    """What `with_raw_response(method)(...)` returns: the parsed result and the HTTP response it came from."""

    status_code: int
    headers: httpx.Headers
    parsed: _T
    http_response: httpx.Response


_captured: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar("_captured", default=None)


def _raw(parsed: _T, box: list[httpx.Response]) -> ApiResponse[_T]:
    if not box:
        raise TypeError("with_raw_response: the method sent no request (iterators are not supported)")
    return ApiResponse(box[-1].status_code, box[-1].headers, parsed, box[-1])


def with_raw_response(fn: Callable[_P, _T]) -> Callable[_P, ApiResponse[_T]]:
    """`with_raw_response(client.datasets.retrieve)(project_id, id)` → `ApiResponse[Dataset]`."""

    def call(*args: _P.args, **kwargs: _P.kwargs) -> ApiResponse[_T]:
        box: list[httpx.Response] = []
        token = _captured.set(box)
        try:
            parsed = fn(*args, **kwargs)
        finally:
            _captured.reset(token)
        return _raw(parsed, box)

    return call


def with_raw_response_async(fn: Callable[_P, Awaitable[_T]]) -> Callable[_P, Awaitable[ApiResponse[_T]]]:
    """`await with_raw_response_async(client.datasets.retrieve)(project_id, id)` → `ApiResponse[Dataset]`."""

    async def call(*args: _P.args, **kwargs: _P.kwargs) -> ApiResponse[_T]:
        box: list[httpx.Response] = []
        token = _captured.set(box)
        try:
            parsed = await fn(*args, **kwargs)
        finally:
            _captured.reset(token)
        return _raw(parsed, box)

    return call


_parsers: dict[Any, Callable[[bytes], Any]] = {}


def _parse(result: Any, content: bytes) -> Any:
    """Pydantic models through `model_validate_json`, any other type through a `TypeAdapter` built once."""
    if result is None:
        return None
    parser = _parsers.get(result)
    if parser is None:
        is_model = isinstance(result, type) and issubclass(result, pydantic.BaseModel)
        parser = result.model_validate_json if is_model else pydantic.TypeAdapter(result).validate_json
        _parsers[result] = parser
    if len(content) < 4096 or not gc.isenabled():
        return parser(content)
    # A large page builds thousands of objects that all stay alive: collecting while building them is pure waste
    # (it made a 100-item page ~40% slower), so the collector waits until they are built.
    gc.disable()
    try:
        return parser(content)
    finally:
        gc.enable()


def _result(result: Any, response: httpx.Response, hint: str = "", error_model: Any = None) -> Any:
    """An answer's parsed body: an `ApiError` for an error status, a `ResponseValidationError` for a success body
    that does not match its schema."""
    content = _checked(response, hint, error_model).content
    try:
        return _parse(result, content)
    except pydantic.ValidationError as exc:
        raise _invalid_body(response, exc) from exc
