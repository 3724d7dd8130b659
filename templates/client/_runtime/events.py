"""Server-sent events (`text/event-stream`): each event yielded as soon as its blank line arrives."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx
import pydantic

from .errors import _invalid_body
from .results import _parse

_T = TypeVar("_T")
EVENT_STREAM = "text/event-stream"


class Event(Generic[_T]):
    """One event: `event` (its type, "message" by default), `id`, `retry`, the `text` of its data lines, and
    `data`, that text read as the documented schema (JSON, or the text itself when the schema is a string)."""

    __slots__ = ("event", "text", "id", "retry", "_schema", "_response")

    def __init__(
        self, text: str, event: str, id: str | None, retry: int | None, schema: Any, response: httpx.Response
    ) -> None:
        self.text, self.event, self.id, self.retry = text, event, id, retry
        self._schema, self._response = schema, response

    @property
    def data(self) -> _T:
        if self._schema is str:
            return self.text  # type: ignore[return-value]
        try:
            parsed: _T = _parse(self._schema, self.text.encode())
        except pydantic.ValidationError as exc:
            raise _invalid_body(self._response, exc) from exc
        return parsed

    def json(self) -> Any:
        return json.loads(self.text)

    def __repr__(self) -> str:
        return f"Event(event={self.event!r}, id={self.id!r}, text={self.text[:60]!r})"


class _Decoder:
    """The event-stream format (WHATWG HTML, "server-sent events"), fed one line at a time."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.event = ""
        self.last_id: str | None = None
        self.retry: int | None = None

    def feed(self, line: str) -> tuple[str, str, str | None, int | None] | None:
        """A complete event when `line` is the blank line ending one, else None."""
        if not line:
            if not self.data:
                self.event = ""
                return None
            found = ("\n".join(self.data), self.event or "message", self.last_id, self.retry)
            self.data, self.event = [], ""
            return found
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self.data.append(value)
        elif name == "event":
            self.event = value
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry = int(value)
        return None


def _decoded(lines: Iterable[str], schema: Any, response: httpx.Response) -> Iterator[Event[Any]]:
    decoder = _Decoder()
    for line in lines:
        if (found := decoder.feed(line)) is not None:
            yield Event(*found, schema, response)


def _is_event_stream(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower() == EVENT_STREAM


def _whole(response: httpx.Response, schema: Any) -> Event[Any]:
    """An answer that is no event stream (a server may answer JSON however it was asked) is one event."""
    return Event(response.text, "message", None, None, schema, response)


class EventStream(Generic[_T]):
    """The events of an answer, as they arrive: iterate it; use it as a context manager (or call `close()`) to stop
    early. The connection is closed when the stream ends."""

    def __init__(self, response: httpx.Response, schema: Any) -> None:
        self.response, self._schema = response, schema

    def __iter__(self) -> Iterator[Event[_T]]:
        try:
            if not _is_event_stream(self.response):
                self.response.read()
                yield _whole(self.response, self._schema)
                return
            yield from _decoded(self.response.iter_lines(), self._schema, self.response)
        finally:
            self.response.close()

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncEventStream(Generic[_T]):
    """The events of an answer, as they arrive: `async for` it; use it as an async context manager (or call
    `aclose()`) to stop early. The connection is closed when the stream ends."""

    def __init__(self, response: httpx.Response, schema: Any) -> None:
        self.response, self._schema = response, schema

    async def __aiter__(self) -> AsyncIterator[Event[_T]]:
        decoder = _Decoder()
        try:
            if not _is_event_stream(self.response):
                await self.response.aread()
                yield _whole(self.response, self._schema)
                return
            async for line in self.response.aiter_lines():
                if (found := decoder.feed(line)) is not None:
                    yield Event(*found, self._schema, self.response)
        finally:
            await self.response.aclose()

    async def aclose(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
