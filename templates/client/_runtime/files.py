"""Binary request content: `File` (an upload: bytes, a binary file object, or a `(filename, content,
content_type)` tuple) as a multipart file part or a whole request body, file objects streamed in chunks."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import IO, Annotated, Any

from pydantic_core import core_schema

FileContent = bytes | IO[bytes]
FileTuple = tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
CHUNK_SIZE = 64 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def is_file(value: Any) -> bool:
    """bytes, a binary file object, or a `(filename, content[, content_type])` tuple."""
    if isinstance(value, (bytes, bytearray, memoryview)) or _is_file_object(value):
        return True
    return isinstance(value, tuple) and len(value) in (2, 3) and is_file(value[1]) and not isinstance(value[1], tuple)


def _is_file_object(value: Any) -> bool:
    return callable(getattr(value, "read", None)) and not isinstance(value, (str, bytes))


class _FileSchema:
    """Pydantic takes any `is_file` value as is (a file object is not copied, nor read, before sending)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_checked_file)


def _checked_file(value: Any) -> Any:
    if isinstance(value, str):  # text where a JSON answer documents binary content
        return value.encode()
    if not is_file(value):
        raise ValueError("a file is bytes, a binary file object, or a (filename, content, content_type) tuple")
    return value


File = Annotated[FileContent | FileTuple, _FileSchema()]
"""What a binary property or body accepts: `b"..."`, `open(path, "rb")`, or `("a.png", content, "image/png")`."""


def file_part(name: str, value: Any) -> tuple[str, tuple[str, Any, str]]:
    """One multipart file part: the filename (the tuple's, the file object's, else the field name) and the content
    type (the tuple's, else application/octet-stream)."""
    filename, content, content_type = _unpacked(value)
    if filename is None:
        path = getattr(content, "name", None)
        filename = os.path.basename(path) if isinstance(path, str) and path else name
    if isinstance(content, (bytearray, memoryview)):
        content = bytes(content)
    return name, (filename, content, content_type or DEFAULT_CONTENT_TYPE)


def _unpacked(value: Any) -> tuple[str | None, Any, str | None]:
    if isinstance(value, tuple):
        return value[0], value[1], value[2] if len(value) == 3 else None
    return None, value, None


def content_type_of(value: Any) -> str | None:
    """The content type a `(filename, content, content_type)` tuple names, else None."""
    return value[2] if isinstance(value, tuple) and len(value) == 3 and is_file(value) else None


def body_content(value: Any, *, asynchronous: bool) -> Any:
    """A whole binary request body as httpx `content`: bytes, or a re-readable chunk stream of a file object."""
    content = _unpacked(value)[1]
    if not _is_file_object(content):
        return bytes(content)
    return AsyncFileStream(content) if asynchronous else FileStream(content)


class _Rewindable:
    """A file object read in chunks as the request is sent; read again from its start on a retry when it can seek."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.start = file.tell() if _seekable(file) else None

    def _rewind(self) -> None:
        if self.start is not None:
            self.file.seek(self.start)


class FileStream(_Rewindable):
    def __iter__(self) -> Iterator[bytes]:
        self._rewind()
        while chunk := self.file.read(CHUNK_SIZE):
            yield chunk


class AsyncFileStream(_Rewindable):
    """For the async client, which sends async iterables only (the file is still read in the calling thread)."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._rewind()
        while chunk := self.file.read(CHUNK_SIZE):
            yield chunk


def _seekable(file: IO[bytes]) -> bool:
    try:
        return bool(file.seekable())
    except (AttributeError, OSError, ValueError):
        return False
