"""Bases of the generated resource classes: `_send`, `_send_raw`, `_send_bytes`, `_send_text`, `_stream`, `_events`,
`_pages` and `_paginate`.

`**request` is `_BaseClient._prepare`'s keywords (path_params, query, body, fields, headers, cookies, media_type,
idempotency, options).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar, overload

from .errors import _checked
from .events import EVENT_STREAM, AsyncEventStream, EventStream
from .http import AsyncClient, SyncClient
from .pages import AsyncPage, SyncPage, _fetch_async, _fetch_sync, _M, _Page
from .results import AsyncStreamedResponse, RawResult, StreamedResponse, _result

_T = TypeVar("_T")


def _accepting(media_type: str, request: dict[str, Any]) -> dict[str, Any]:
    return {**request, "headers": {"Accept": media_type, **(request.get("headers") or {})}}


class SyncResource:
    """Base of the generated resource classes of a `SyncClient`."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client

    @overload
    def _send(self, method: str, path: str, result: type[_T], *, hint: str = "", **request: Any) -> _T: ...
    @overload
    def _send(self, method: str, path: str, result: None, *, hint: str = "", **request: Any) -> None: ...
    @overload
    def _send(self, method: str, path: str, result: object, *, hint: str = "", **request: Any) -> Any: ...
    def _send(self, method: str, path: str, result: Any, *, hint: str = "", **request: Any) -> Any:
        return _result(result, self._client._request(self._client._prepare(method, path, **request)), hint)

    def _send_raw(self, method: str, path: str, *, hint: str = "", **request: Any) -> RawResult:
        response = _checked(self._client._request(self._client._prepare(method, path, **request)), hint)
        return RawResult(response.status_code, response.headers, response.content)

    def _send_bytes(self, method: str, path: str, *, hint: str = "", **request: Any) -> bytes:
        return _checked(self._client._request(self._client._prepare(method, path, **request)), hint).content

    def _send_text(self, method: str, path: str, *, hint: str = "", **request: Any) -> str:
        return _checked(self._client._request(self._client._prepare(method, path, **request)), hint).text

    def _events(self, method: str, path: str, schema: Any, *, hint: str = "", **request: Any) -> EventStream[Any]:
        """Sent now (an error status raises here); the events are read as the caller iterates."""
        prepared = self._client._prepare(method, path, **_accepting(EVENT_STREAM, request))
        response = self._client._request(prepared, stream=True)
        if not response.is_success:
            response.read()
            response.close()
            _checked(response, hint)
        return EventStream(response, schema)

    @contextmanager
    def _stream(self, method: str, path: str, **request: Any) -> Iterator[StreamedResponse]:
        response = self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                response.read()
            yield StreamedResponse(_checked(response))
        finally:
            response.close()

    def _pages(self, method: str, path: str, page: type[_M], **request: Any) -> SyncPage[Any, _M]:
        prepared = self._client._prepare(method, path, **request)
        return _fetch_sync(self._client, page, prepared, frozenset({prepared.url}))

    def _paginate(self, method: str, path: str, page: type[_Page[_T]], **request: Any) -> Iterator[_T]:
        """Lazy: the first request is sent when the first item is asked for."""
        first: SyncPage[_T, Any] = self._pages(method, path, page, **request)
        yield from first.iter_items()


class AsyncResource:
    """Base of the generated resource classes of an `AsyncClient`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @overload
    async def _send(self, method: str, path: str, result: type[_T], *, hint: str = "", **request: Any) -> _T: ...
    @overload
    async def _send(self, method: str, path: str, result: None, *, hint: str = "", **request: Any) -> None: ...
    @overload
    async def _send(self, method: str, path: str, result: object, *, hint: str = "", **request: Any) -> Any: ...
    async def _send(self, method: str, path: str, result: Any, *, hint: str = "", **request: Any) -> Any:
        return _result(result, await self._client._request(self._client._prepare(method, path, **request)), hint)

    async def _send_raw(self, method: str, path: str, *, hint: str = "", **request: Any) -> RawResult:
        response = _checked(await self._client._request(self._client._prepare(method, path, **request)), hint)
        return RawResult(response.status_code, response.headers, response.content)

    async def _send_bytes(self, method: str, path: str, *, hint: str = "", **request: Any) -> bytes:
        return _checked(await self._client._request(self._client._prepare(method, path, **request)), hint).content

    async def _send_text(self, method: str, path: str, *, hint: str = "", **request: Any) -> str:
        return _checked(await self._client._request(self._client._prepare(method, path, **request)), hint).text

    async def _events(
        self, method: str, path: str, schema: Any, *, hint: str = "", **request: Any
    ) -> AsyncEventStream[Any]:
        """Sent now (an error status raises here); the events are read as the caller iterates."""
        prepared = self._client._prepare(method, path, **_accepting(EVENT_STREAM, request))
        response = await self._client._request(prepared, stream=True)
        if not response.is_success:
            await response.aread()
            await response.aclose()
            _checked(response, hint)
        return AsyncEventStream(response, schema)

    @asynccontextmanager
    async def _stream(self, method: str, path: str, **request: Any) -> AsyncIterator[AsyncStreamedResponse]:
        response = await self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                await response.aread()
            yield AsyncStreamedResponse(_checked(response))
        finally:
            await response.aclose()

    async def _pages(self, method: str, path: str, page: type[_M], **request: Any) -> AsyncPage[Any, _M]:
        prepared = self._client._prepare(method, path, **request)
        return await _fetch_async(self._client, page, prepared, frozenset({prepared.url}))

    async def _paginate(self, method: str, path: str, page: type[_Page[_T]], **request: Any) -> AsyncIterator[_T]:
        """Lazy: the first request is sent when the first item is asked for."""
        first: AsyncPage[_T, Any] = await self._pages(method, path, page, **request)
        async for item in first.iter_items():
            yield item
