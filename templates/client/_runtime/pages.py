"""Page objects of paginated lists: one page's `results`, `has_next_page()`, `next_page()`, iteration over pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from .results import _result

if TYPE_CHECKING:
    from .http import AsyncClient, SyncClient, _Request

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class _Page(Protocol[_T_co]):
    """What a page model has: this page's items and the URL of the next page."""

    @property
    def results(self) -> Sequence[_T_co]: ...

    @property
    def next(self) -> str | None: ...


_M = TypeVar("_M", bound=_Page[Any])


class _BasePage(Generic[_T, _M]):
    def __init__(self, model: _M, request: _Request, next_url: str | None, seen: frozenset[str]) -> None:
        self.model = model
        """The page as the API sent it (`count`, `next`, … and `results`)."""
        self.results: Sequence[_T] = model.results
        """The items of this page."""
        # The URLs of this page and the ones before it: a `next` pointing back to one of them ends the walk.
        self._request, self._next_url, self._seen = request, next_url, seen

    def has_next_page(self) -> bool:
        """True when the API gave a `next` URL, other than that of this page or one before it."""
        return self._next_url is not None and self._next_url not in self._seen

    def _next_request(self) -> tuple[_Request, frozenset[str]]:
        if self._next_url is None or self._next_url in self._seen:
            raise LookupError("this is the last page: check has_next_page() first")
        return self._request._replace(url=self._next_url), self._seen | {self._next_url}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.results)} results, has_next_page={self.has_next_page()})"


class SyncPage(_BasePage[_T, _M]):
    """One page of a paginated list. Iterating it yields this page, then each following page, fetched lazily."""

    def __init__(self, client: SyncClient, model: _M, request: _Request, seen: frozenset[str]) -> None:
        next_url = client._next_url(request.url, model.next) if model.next else None
        super().__init__(model, request, next_url, seen)
        self._client = client

    def next_page(self) -> SyncPage[_T, _M]:
        """The following page (one request); a `LookupError` on the last page."""
        return _fetch_sync(self._client, type(self.model), *self._next_request())

    def __iter__(self) -> Iterator[SyncPage[_T, _M]]:
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def iter_items(self) -> Iterator[_T]:
        """Every item of this page and the following ones."""
        for page in self:
            yield from page.results


class AsyncPage(_BasePage[_T, _M]):
    """One page of a paginated list. `async for` over it yields this page, then each following page."""

    def __init__(self, client: AsyncClient, model: _M, request: _Request, seen: frozenset[str]) -> None:
        next_url = client._next_url(request.url, model.next) if model.next else None
        super().__init__(model, request, next_url, seen)
        self._client = client

    async def next_page(self) -> AsyncPage[_T, _M]:
        """The following page (one request); a `LookupError` on the last page."""
        return await _fetch_async(self._client, type(self.model), *self._next_request())

    async def __aiter__(self) -> AsyncIterator[AsyncPage[_T, _M]]:
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    async def iter_items(self) -> AsyncIterator[_T]:
        """Every item of this page and the following ones."""
        async for page in self:
            for item in page.results:
                yield item


def _fetch_sync(client: SyncClient, page: type[_M], request: _Request, seen: frozenset[str]) -> SyncPage[Any, _M]:
    return SyncPage(client, _result(page, client._request(request)), request, seen)


async def _fetch_async(
    client: AsyncClient, page: type[_M], request: _Request, seen: frozenset[str]
) -> AsyncPage[Any, _M]:
    return AsyncPage(client, _result(page, await client._request(request)), request, seen)
