"""Bases of the generated resource classes: `_send`, `_send_raw`, `_send_bytes`, `_send_text`, `_stream`, `_events`,
`_pages` and `_paginate`.

`**request` is `_BaseClient._prepare`'s keywords (path_params, query, body, fields, headers, cookies, media_type,
idempotency, options).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar, overload

import httpx

from .errors import _checked
from .events import EVENT_STREAM, AsyncEventStream, EventStream
from .http import AsyncClient, SyncClient
from .pages import AsyncPage, Paging, SyncPage, _fetch_async, _fetch_sync, _M
from .results import AsyncStreamedResponse, RawResult, StreamedResponse, _result

_T = TypeVar("_T")


def _accepting(media_type: str, request: dict[str, Any]) -> dict[str, Any]:
    return {**request, "headers": {"Accept": media_type, **(request.get("headers") or {})}}


class SyncResource:
    """Base of the generated resource classes of a `SyncClient`."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client

    @overload
    def _send(
        self, method: str, path: str, result: type[_T], *, hint: str = "", error_model: Any = None, **request: Any
    ) -> _T: ...
    @overload
    def _send(
        self, method: str, path: str, result: None, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> None: ...
    @overload
    def _send(
        self, method: str, path: str, result: object, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> Any: ...
    def _send(
        self, method: str, path: str, result: Any, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> Any:
        response = self._client._request(self._client._prepare(method, path, **request))
        return _result(result, response, hint, error_model or self._client._settings.error_model)

    def _answer(self, method: str, path: str, hint: str, error_model: Any, request: dict[str, Any]) -> httpx.Response:
        """The answer to the request, read whole; an error status raises ApiError."""
        response = self._client._request(self._client._prepare(method, path, **request))
        return _checked(response, hint, error_model or self._client._settings.error_model)

    def _send_raw(
        self, method: str, path: str, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> RawResult:
        response = self._answer(method, path, hint, error_model, request)
        return RawResult(response.status_code, response.headers, response.content)

    def _send_bytes(self, method: str, path: str, *, hint: str = "", error_model: Any = None, **request: Any) -> bytes:
        return self._answer(method, path, hint, error_model, request).content

    def _send_text(self, method: str, path: str, *, hint: str = "", error_model: Any = None, **request: Any) -> str:
        return self._answer(method, path, hint, error_model, request).text

    def _events(
        self, method: str, path: str, schema: Any, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> EventStream[Any]:
        """Sent now (an error status raises here); the events are read as the caller iterates."""
        prepared = self._client._prepare(method, path, **_accepting(EVENT_STREAM, request))
        response = self._client._request(prepared, stream=True)
        if not response.is_success:
            response.read()
            response.close()
            _checked(response, hint, error_model or self._client._settings.error_model)
        return EventStream(response, schema)

    @contextmanager
    def _stream(self, method: str, path: str, *, error_model: Any = None, **request: Any) -> Iterator[StreamedResponse]:
        response = self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                response.read()
            yield StreamedResponse(_checked(response, "", error_model or self._client._settings.error_model))
        finally:
            response.close()

    def _pages(
        self,
        method: str,
        path: str,
        page: type[_M],
        *,
        paging: Paging = Paging(),
        error_model: Any = None,
        **request: Any,
    ) -> SyncPage[Any, _M]:
        prepared = self._client._prepare(method, path, **request)
        errors = error_model or self._client._settings.error_model
        return _fetch_sync(self._client, page, prepared, frozenset({prepared.url}), paging._replace(errors=errors))

    def _paginate(
        self, method: str, path: str, page: Any, *, paging: Paging = Paging(), **request: Any
    ) -> Iterator[Any]:
        """Lazy: the first request is sent when the first item is asked for."""
        first: SyncPage[Any, Any] = self._pages(method, path, page, paging=paging, **request)
        yield from first.iter_items()


class AsyncResource:
    """Base of the generated resource classes of an `AsyncClient`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @overload
    async def _send(
        self, method: str, path: str, result: type[_T], *, hint: str = "", error_model: Any = None, **request: Any
    ) -> _T: ...
    @overload
    async def _send(
        self, method: str, path: str, result: None, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> None: ...
    @overload
    async def _send(
        self, method: str, path: str, result: object, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> Any: ...
    async def _send(
        self, method: str, path: str, result: Any, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> Any:
        response = await self._client._request(self._client._prepare(method, path, **request))
        return _result(result, response, hint, error_model or self._client._settings.error_model)

    async def _answer(
        self, method: str, path: str, hint: str, error_model: Any, request: dict[str, Any]
    ) -> httpx.Response:
        """The answer to the request, read whole; an error status raises ApiError."""
        response = await self._client._request(self._client._prepare(method, path, **request))
        return _checked(response, hint, error_model or self._client._settings.error_model)

    async def _send_raw(
        self, method: str, path: str, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> RawResult:
        response = await self._answer(method, path, hint, error_model, request)
        return RawResult(response.status_code, response.headers, response.content)

    async def _send_bytes(
        self, method: str, path: str, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> bytes:
        return (await self._answer(method, path, hint, error_model, request)).content

    async def _send_text(
        self, method: str, path: str, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> str:
        return (await self._answer(method, path, hint, error_model, request)).text

    async def _events(
        self, method: str, path: str, schema: Any, *, hint: str = "", error_model: Any = None, **request: Any
    ) -> AsyncEventStream[Any]:
        """Sent now (an error status raises here); the events are read as the caller iterates."""
        prepared = self._client._prepare(method, path, **_accepting(EVENT_STREAM, request))
        response = await self._client._request(prepared, stream=True)
        if not response.is_success:
            await response.aread()
            await response.aclose()
            _checked(response, hint, error_model or self._client._settings.error_model)
        return AsyncEventStream(response, schema)

    @asynccontextmanager
    async def _stream(
        self, method: str, path: str, *, error_model: Any = None, **request: Any
    ) -> AsyncIterator[AsyncStreamedResponse]:
        response = await self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                await response.aread()
            yield AsyncStreamedResponse(_checked(response, "", error_model or self._client._settings.error_model))
        finally:
            await response.aclose()

    async def _pages(
        self,
        method: str,
        path: str,
        page: type[_M],
        *,
        paging: Paging = Paging(),
        error_model: Any = None,
        **request: Any,
    ) -> AsyncPage[Any, _M]:
        prepared = self._client._prepare(method, path, **request)
        errors = error_model or self._client._settings.error_model
        return await _fetch_async(
            self._client, page, prepared, frozenset({prepared.url}), paging._replace(errors=errors)
        )

    async def _paginate(
        self, method: str, path: str, page: Any, *, paging: Paging = Paging(), **request: Any
    ) -> AsyncIterator[Any]:
        """Lazy: the first request is sent when the first item is asked for."""
        first: AsyncPage[Any, Any] = await self._pages(method, path, page, paging=paging, **request)
        async for item in first.iter_items():
            yield item
