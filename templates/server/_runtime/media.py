"""Media types other than JSON: uploaded files (`File`), and answers as bytes, a byte stream, text or events."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeAlias, TypeVar

import pydantic
from starlette.concurrency import iterate_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response, StreamingResponse

from .base import json_text

EVENT_STREAM = "text/event-stream"
_T = TypeVar("_T")


@dataclass(frozen=True)
class UploadedFile:
    """A file the client sent: a multipart file part, or a whole binary request body."""

    content: bytes
    filename: str | None = None
    content_type: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.size} bytes, {self.content_type!r})"


def _as_upload(value: Any) -> UploadedFile:
    if isinstance(value, UploadedFile):
        return value
    if isinstance(value, (bytes, bytearray)):
        return UploadedFile(bytes(value))
    if isinstance(value, str):  # a multipart part sent without a filename is text
        return UploadedFile(value.encode())
    raise ValueError("a file was expected")


def _described(value: UploadedFile) -> str:
    """In JSON (the in-memory fake's rows), a file is its name: its bytes are no JSON value."""
    return value.filename or ""


File = Annotated[
    UploadedFile,
    pydantic.PlainValidator(_as_upload),
    pydantic.PlainSerializer(_described, return_type=str, when_used="json"),
]
"""What an implementation receives for a binary property or a binary request body."""


async def read_upload(value: Any) -> Any:
    """A form value with Starlette's `UploadFile` read into an `UploadedFile`; any other value as is."""
    if isinstance(value, UploadFile):
        return UploadedFile(await value.read(), value.filename, value.content_type)
    return value


@dataclass(frozen=True)
class ServerEvent:
    """One server-sent event; an implementation may also yield the data alone (a model, any JSON value, or text)."""

    data: Any
    event: str | None = None
    id: str | None = None
    retry: int | None = None


Events: TypeAlias = Iterable[_T | ServerEvent] | AsyncIterable[_T | ServerEvent]
"""What an operation answering `text/event-stream` returns: its events, sent one by one as they are yielded."""

Binary: TypeAlias = bytes | Iterable[bytes] | AsyncIterable[bytes]
"""What an operation answering binary content returns: the bytes, or chunks streamed as they are yielded."""


def _event_bytes(item: Any) -> bytes:
    event = item if isinstance(item, ServerEvent) else ServerEvent(item)
    data = event.data
    text = data if isinstance(data, str) else json_text(data)
    lines = [f"event: {_one_line(event.event)}"] if event.event else []
    lines += [f"id: {_one_line(event.id)}"] if event.id is not None else []
    lines += [f"retry: {int(event.retry)}"] if event.retry is not None else []
    lines += [f"data: {line}" for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return ("\n".join(lines) + "\n\n").encode()


def _one_line(value: str) -> str:
    return " ".join(str(value).splitlines())


async def _chunks(source: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[Any]:
    """Sync iterables run in a worker thread (an implementation may block between items)."""
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        async for item in iterate_in_threadpool(iter(source)):
            yield item


async def _sse(source: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[bytes]:
    async for item in _chunks(source):
        yield _event_bytes(item)


def _is_stream(value: Any) -> bool:
    """A generator or other iterator (a list, a dict, a model or text is a JSON value instead)."""
    return isinstance(value, (Iterator, AsyncIterator)) or (
        isinstance(value, (Iterable, AsyncIterable))
        and not isinstance(value, (str, bytes, bytearray, list, tuple, dict, pydantic.BaseModel))
    )


def media_response(result: Any, status: int, produces: str, events: bool) -> Response | None:
    """The answer of a result in the operation's documented media type, or None for JSON."""
    if (produces == EVENT_STREAM and isinstance(result, (Iterable, AsyncIterable))) or (events and _is_stream(result)):
        headers = {"cache-control": "no-cache", "x-accel-buffering": "no"}
        return StreamingResponse(_sse(result), status_code=status, media_type=EVENT_STREAM, headers=headers)
    if not produces or produces == EVENT_STREAM:
        return None
    if isinstance(result, str):
        return Response(result.encode(), status_code=status, media_type=produces)
    if isinstance(result, (bytes, bytearray)):
        return Response(bytes(result), status_code=status, media_type=produces)
    if isinstance(result, (Iterable, AsyncIterable)):
        return StreamingResponse(_chunks(result), status_code=status, media_type=produces)
    return None
