"""Page objects of paginated lists: one page's `results`, `has_next_page()`, `next_page()`, iteration over pages.

`Paging` says how a list pages (the generator reads it from the document): a next-page URL in the body (`next`),
a cursor in the body sent back as a query parameter (`cursor`), an offset or a page number moved by the number of
items (`offset`, `page`), or an RFC 8288 `Link: <…>; rel="next"` header (`link`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from .results import _result

if TYPE_CHECKING:
    from .http import AsyncClient, SyncClient, _BaseClient, _Request

_T = TypeVar("_T")
_M = TypeVar("_M")

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_NEXT_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


class Paging(NamedTuple):
    """How a list pages: `items` is the page model's attribute holding the items ("" when the page is a list);
    the others are wire names (the body field of the next URL or cursor, the query parameters moved and sent as
    the page size, the body fields of the total count and of the page count), "" where the API has none."""

    style: str = "next"
    items: str = "results"
    next: str = "next"
    param: str = "offset"
    limit: str = "limit"
    total: str = "count"
    pages: str = ""
    errors: Any = None  # the model error bodies are parsed into


def _link_next(header: str | None) -> str | None:
    """The target of the `rel="next"` link of an RFC 8288 `Link` header, or None."""
    for match in _LINK.finditer(header or ""):
        for rel in _NEXT_REL.finditer(match.group(2)):
            if "next" in (rel.group(1) or rel.group(2) or "").lower().split():
                return match.group(1).strip()
    return None


def _with_query(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return parts._replace(query=urlencode([*query, (name, value)])).geturl()


def _number(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _following(
    client: _BaseClient[Any, Any], paging: Paging, url: str, response: httpx.Response, count: int
) -> str | None:
    """The URL of the page after the one `url` answered with `response` (holding `count` items), or None."""
    if paging.style == "link":
        found = _link_next(response.headers.get("link"))
        return client._next_url(url, found) if found else None
    try:
        data = response.json()
    except ValueError:
        data = None
    body: Mapping[str, Any] = data if isinstance(data, dict) else {}
    if paging.style == "next":
        value = body.get(paging.next)
        return client._next_url(url, value) if isinstance(value, str) and value else None
    if paging.style == "cursor":
        value = body.get(paging.next)
        return _with_query(url, paging.param, str(value)) if value not in (None, "", False) else None
    if paging.style not in ("offset", "page") or count == 0:
        return None
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    asked = _number(query.get(paging.limit)) if paging.limit else None
    if asked is not None and count < asked:
        return None
    if paging.style == "offset":
        position = (_number(query.get(paging.param)) or 0) + count
        total = _number(body.get(paging.total)) if paging.total else None
        return None if total is not None and position >= total else _with_query(url, paging.param, str(position))
    page = _number(query.get(paging.param)) or 1
    pages = _number(body.get(paging.pages)) if paging.pages else None
    return None if pages is not None and page >= pages else _with_query(url, paging.param, str(page + 1))


class _BasePage(Generic[_T, _M]):
    def __init__(
        self,
        client: _BaseClient[Any, Any],
        model: _M,
        request: _Request,
        response: httpx.Response,
        seen: frozenset[str],
        paging: Paging,
        page_type: Any,
    ) -> None:
        self.model = model
        """The page as the API sent it (the page object, or the list of items)."""
        self.results: Sequence[_T] = getattr(model, paging.items) if paging.items else model  # type: ignore[assignment]
        """The items of this page."""
        # The URLs of this page and the ones before it: a next page pointing back to one of them ends the walk.
        self._request, self._seen, self._paging, self._type = request, seen, paging, page_type
        self._next_url = _following(client, paging, request.url, response, len(self.results))

    def has_next_page(self) -> bool:
        """True when the API points to a next page, other than this page or one before it."""
        return self._next_url is not None and self._next_url not in self._seen

    def _next_request(self) -> tuple[_Request, frozenset[str]]:
        if self._next_url is None or self._next_url in self._seen:
            raise LookupError("this is the last page: check has_next_page() first")
        return self._request._replace(url=self._next_url), self._seen | {self._next_url}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.results)} results, has_next_page={self.has_next_page()})"


class SyncPage(_BasePage[_T, _M]):
    """One page of a paginated list. Iterating it yields this page, then each following page, fetched lazily."""

    def __init__(
        self,
        client: SyncClient,
        model: _M,
        request: _Request,
        seen: frozenset[str],
        response: httpx.Response | None = None,
        paging: Paging = Paging(),
        page_type: Any = None,
    ) -> None:
        super().__init__(
            client, model, request, response or httpx.Response(200), seen, paging, page_type or type(model)
        )
        self._client = client

    def next_page(self) -> SyncPage[_T, _M]:
        """The following page (one request); a `LookupError` on the last page."""
        return _fetch_sync(self._client, self._type, *self._next_request(), self._paging)

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

    def __init__(
        self,
        client: AsyncClient,
        model: _M,
        request: _Request,
        seen: frozenset[str],
        response: httpx.Response | None = None,
        paging: Paging = Paging(),
        page_type: Any = None,
    ) -> None:
        super().__init__(
            client, model, request, response or httpx.Response(200), seen, paging, page_type or type(model)
        )
        self._client = client

    async def next_page(self) -> AsyncPage[_T, _M]:
        """The following page (one request); a `LookupError` on the last page."""
        return await _fetch_async(self._client, self._type, *self._next_request(), self._paging)

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


def _fetch_sync(
    client: SyncClient, page: type[_M], request: _Request, seen: frozenset[str], paging: Paging
) -> SyncPage[Any, _M]:
    response = client._request(request)
    return SyncPage(client, _result(page, response, "", paging.errors), request, seen, response, paging, page)


async def _fetch_async(
    client: AsyncClient, page: type[_M], request: _Request, seen: frozenset[str], paging: Paging
) -> AsyncPage[Any, _M]:
    response = await client._request(request)
    return AsyncPage(client, _result(page, response, "", paging.errors), request, seen, response, paging, page)
