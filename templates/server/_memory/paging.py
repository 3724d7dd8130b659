"""How the fake answers one page of a list, in any of the styles the generator reads from the document.

`Paging` gives the wire names (the generator decides them): the items array of the page object ("" when the
answer is the array itself), the body fields of the next URL or cursor, previous URL, total and page count, the
query parameters of the position and of the page size, and whether the position counts pages or items. The fake
keeps its cursors and next URLs to itself: a cursor is the offset of the next item, as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .query import _int_or_zero, _positive
from .values import Row


class Paging(NamedTuple):
    style: str = "next"  # next, cursor, offset, page, link or all
    items: str = "results"
    next: str = "next"
    previous: str = "previous"
    param: str = "offset"
    limit: str = "limit"
    total: str = "count"
    pages: str = ""
    numbered: bool = False


def _with(url: str, values: Mapping[str, str], drop: Sequence[str] = ()) -> str:
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in values and k not in drop]
    return urlunsplit(parts._replace(query=urlencode([*kept, *values.items()])))


def _window(paging: Paging, query: Mapping[str, Any], url: str, page_size: int) -> tuple[int, int]:
    """(offset, limit) asked for: declared parameters from `query`, the fake's own from the URL."""
    raw = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))

    def given(name: str) -> Any:
        return query.get(name, raw.get(name)) if name else None

    limit = min(_positive(given(paging.limit)), 10_000) or page_size
    if paging.style == "all":
        return 0, 2**31
    position = max(_int_or_zero(given(paging.param or "offset")), 0)
    if paging.numbered:
        return (max(position, 1) - 1) * limit, limit
    return position, limit


def page_answer(
    paging: Paging, rows: list[Row], query: Mapping[str, Any], url: str, page_size: int
) -> tuple[Any, dict[str, str]]:
    """(the page as JSON data, the response headers) for the rows of the whole list."""
    offset, limit = _window(paging, query, url, page_size)
    chosen = rows[offset : offset + limit]
    if paging.style == "all" and not paging.items:
        return chosen, {}
    more = offset + limit < len(rows)
    param = paging.param or "offset"
    sized = {paging.limit: str(limit)} if paging.limit else {}
    step = offset // limit + 2 if paging.numbered else offset + limit
    back = max(offset // limit, 1) if paging.numbered else max(offset - limit, 0)
    next_url = _with(url, {**sized, param: str(step)}) if more else None
    # The first page's URL leaves the offset out (as a client asking for it would).
    previous = {**sized, param: str(back)} if back else sized
    previous_url = _with(url, previous, drop=(param,)) if offset > 0 else None
    headers = {"Link": f'<{next_url}>; rel="next"'} if paging.style == "link" and next_url else {}
    if not paging.items:
        return chosen, headers
    body: dict[str, Any] = {paging.items: chosen}
    if paging.next:
        body[paging.next] = (str(offset + limit) if more else None) if paging.style == "cursor" else next_url
    if paging.previous:
        body[paging.previous] = previous_url
    if paging.total:
        body[paging.total] = len(rows)
    if paging.pages:
        body[paging.pages] = max(-(-len(rows) // limit), 1)
    return body, headers
