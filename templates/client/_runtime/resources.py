"""Bases of the generated resource classes: `_send`, `_send_raw`, `_stream` and `_paginate`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Protocol, TypeVar, overload

from .errors import _checked
from .http import AsyncClient, SyncClient
from .results import AsyncStreamedResponse, RawResult, StreamedResponse, _parse

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class _Page(Protocol[_T_co]):
    @property
    def results(self) -> Sequence[_T_co]: ...

    @property
    def next(self) -> str | None: ...


class SyncResource:
    """Base of the generated resource classes of a `SyncClient`. `**request` is `_BaseClient._prepare`'s."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client

    @overload
    def _send(self, method: str, path: str, result: type[_T], *, hint: str = "", **request: Any) -> _T: ...
    @overload
    def _send(self, method: str, path: str, result: None, *, hint: str = "", **request: Any) -> None: ...
    @overload
    def _send(self, method: str, path: str, result: object, *, hint: str = "", **request: Any) -> Any: ...
    def _send(self, method: str, path: str, result: Any, *, hint: str = "", **request: Any) -> Any:
        response = self._client._request(self._client._prepare(method, path, **request))
        return _parse(result, _checked(response, hint).content)

    def _send_raw(self, method: str, path: str, *, hint: str = "", **request: Any) -> RawResult:
        response = _checked(self._client._request(self._client._prepare(method, path, **request)), hint)
        return RawResult(response.status_code, response.headers, response.content)

    @contextmanager
    def _stream(self, method: str, path: str, **request: Any) -> Iterator[StreamedResponse]:
        response = self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                response.read()
            yield StreamedResponse(_checked(response))
        finally:
            response.close()

    def _paginate(self, method: str, path: str, page: type[_Page[_T]], **request: Any) -> Iterator[_T]:
        prepared = self._client._prepare(method, path, **request)
        seen = {prepared.url}
        while True:
            parsed: _Page[_T] = _parse(page, _checked(self._client._request(prepared)).content)
            yield from parsed.results
            url = self._client._next_url(prepared.url, parsed.next) if parsed.next else None
            if url is None or url in seen:
                return
            seen.add(url)
            prepared = prepared._replace(url=url)


class AsyncResource:
    """Base of the generated resource classes of an `AsyncClient`. `**request` is `_BaseClient._prepare`'s."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @overload
    async def _send(self, method: str, path: str, result: type[_T], *, hint: str = "", **request: Any) -> _T: ...
    @overload
    async def _send(self, method: str, path: str, result: None, *, hint: str = "", **request: Any) -> None: ...
    @overload
    async def _send(self, method: str, path: str, result: object, *, hint: str = "", **request: Any) -> Any: ...
    async def _send(self, method: str, path: str, result: Any, *, hint: str = "", **request: Any) -> Any:
        response = await self._client._request(self._client._prepare(method, path, **request))
        return _parse(result, _checked(response, hint).content)

    async def _send_raw(self, method: str, path: str, *, hint: str = "", **request: Any) -> RawResult:
        response = _checked(await self._client._request(self._client._prepare(method, path, **request)), hint)
        return RawResult(response.status_code, response.headers, response.content)

    @asynccontextmanager
    async def _stream(self, method: str, path: str, **request: Any) -> AsyncIterator[AsyncStreamedResponse]:
        response = await self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                await response.aread()
            yield AsyncStreamedResponse(_checked(response))
        finally:
            await response.aclose()

    async def _paginate(self, method: str, path: str, page: type[_Page[_T]], **request: Any) -> AsyncIterator[_T]:
        prepared = self._client._prepare(method, path, **request)
        seen = {prepared.url}
        while True:
            parsed: _Page[_T] = _parse(page, _checked(await self._client._request(prepared)).content)
            for item in parsed.results:
                yield item
            url = self._client._next_url(prepared.url, parsed.next) if parsed.next else None
            if url is None or url in seen:
                return
            seen.add(url)
            prepared = prepared._replace(url=url)
