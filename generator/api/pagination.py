"""How a list operation pages: written rules over its result schema, query parameters and response headers, or
the operation's `x-pagination` object where the rules cannot tell.

The rules, in order (names compared case-insensitively, the first listed name that is present wins):
1. the success response documents a `Link` header (RFC 8288): style `link`;
2. the page object has an array of items (`results`, `data`, `items`, …, else its only array property) and
   a next-page URL (`next`, `next_url`, …): style `next`;
3. … a cursor field (`next_cursor`, `next_page_token`, …) and the operation a cursor parameter (`cursor`,
   `after`, `page_token`, …): style `cursor`;
4. … an offset parameter (`offset`, `skip`, `start`): style `offset`;
5. … a page-number parameter (`page`, `page_number`, …): style `page`.
A result that is a plain array with none of these is one page of everything (`all`). A list whose page object
has an array but matches no rule is unclassified: the operation builder warns, naming `x-pagination`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import Finding, pointer_join
from generator.spec import OperationView
from generator.spec.schema import SchemaView

@dataclass(frozen=True)
class Paging:
    """How a list pages, as plain wire names ("" where the page has no such part)."""

    style: str  # next (a next-page URL in the body), cursor, offset, page, link (RFC 8288 header), all (one page)
    items: str  # the array of items in the page object; "" when the answer is the array itself
    next: str  # the next page's URL (style next) or cursor (style cursor)
    previous: str  # the previous page's URL
    param: str  # the query parameter moved from page to page: the offset, page number or cursor
    limit: str  # the query parameter of the page size
    total: str  # the count of every item
    pages: str  # the count of pages
    numbered: bool = False  # `param` counts pages (1, 2, …) rather than items


STYLES = ("next", "cursor", "offset", "page", "link", "all")
ITEM_FIELDS = (
    "results", "data", "items", "records", "entries", "values", "elements", "objects", "nodes", "rows", "hits",
)
NEXT_FIELDS = (
    "next", "next_url", "nexturl", "next_page_url", "nextpageurl", "next_page_uri", "nextpageuri", "next_link",
    "nextlink", "@odata.nextlink",
)
PREVIOUS_FIELDS = ("previous", "prev", "previous_url", "prev_url", "previous_page_url")
CURSOR_FIELDS = (
    "next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "next_token", "nexttoken",
    "continuation_token", "continuationtoken", "end_cursor", "endcursor", "cursor", "after",
)
CURSOR_PARAMS = (
    "cursor", "after", "page_token", "pagetoken", "next_token", "nexttoken", "continuation_token",
    "continuationtoken", "starting_after", "page_cursor", "token",
)
OFFSET_PARAMS = ("offset", "skip", "start")
PAGE_PARAMS = ("page", "page_number", "pagenumber", "page_no", "p")
LIMIT_PARAMS = (
    "limit", "per_page", "perpage", "page_size", "pagesize", "size", "max_results", "maxresults", "take", "top",
    "count",
)
TOTAL_FIELDS = (
    "count", "total", "total_count", "totalcount", "total_results", "totalresults", "total_items", "totalitems",
)
PAGES_FIELDS = ("total_pages", "totalpages", "pages", "page_count", "pagecount", "num_pages", "last_page", "lastpage")
_KEYS = ("items", "next", "previous", "param", "limit", "total", "pages")


def _first(names: tuple[str, ...], present: Mapping[str, str]) -> str:
    """The document's spelling of the first of `names` present (`present` maps lower case to as written)."""
    return next((present[n] for n in names if n in present), "")


def _is_array(schema: SchemaView | None) -> bool:
    return schema is not None and "array" in schema.types


def paging(
    op: OperationView,
    target: SchemaView,
    props: Mapping[str, SchemaView | None],
    headers: tuple[str, ...],
    warnings: list[Finding],
) -> tuple[Paging | None, str]:
    """(how the list pages, or None; the items array of a page the rules could not classify, or "").
    `target` is the result schema (`$ref` followed), `props` its properties, each followed, when it is an object."""
    query = {p.name.lower(): p.name for p in op.parameters if p.location == "query"}
    fields = {str(name).lower(): str(name) for name in props}
    arrays = {k: v for k, v in fields.items() if _is_array(props[v])}
    only = next(iter(arrays.values())) if len(arrays) == 1 else ""
    items = "" if _is_array(target) else (_first(ITEM_FIELDS, arrays) or only)
    limit = _first(LIMIT_PARAMS, query)
    position = _first(OFFSET_PARAMS, query) or _first(PAGE_PARAMS, query) or _first(CURSOR_PARAMS, query)
    found: Paging | None = None
    total, pages, previous = _first(TOTAL_FIELDS, fields), _first(PAGES_FIELDS, fields), _first(PREVIOUS_FIELDS, fields)
    if items or _is_array(target):
        next_url, cursor = _first(NEXT_FIELDS, fields), _first(CURSOR_FIELDS, fields)
        if any(h.lower() == "link" for h in headers):
            numbered = bool(position) and position == _first(PAGE_PARAMS, query)
            found = Paging("link", items, "", previous, position, limit, total, pages, numbered)
        elif next_url and not _is_array(props.get(next_url)):
            found = Paging("next", items, next_url, previous, _first(OFFSET_PARAMS, query), limit, total, pages)
        elif cursor and _first(CURSOR_PARAMS, query):
            found = Paging("cursor", items, cursor, "", _first(CURSOR_PARAMS, query), limit, total, pages)
        elif _first(OFFSET_PARAMS, query):
            found = Paging("offset", items, "", "", _first(OFFSET_PARAMS, query), limit, total, pages)
        elif _first(PAGE_PARAMS, query):
            found = Paging("page", items, "", "", _first(PAGE_PARAMS, query), limit, total, pages, True)
        elif _is_array(target):
            found = Paging("all", "", "", "", "", "", "", "")
    declared = op.extensions.get("x-pagination")
    if declared is not None:
        guess = found or Paging("", items, "", previous, "", limit, total, pages)
        return _declared(op, declared, guess, fields, query, warnings), ""
    return found, items if found is None else ""


def _declared(
    op: OperationView, value: Any, guess: Paging, fields: Mapping[str, str], query: Mapping[str, str],
    warnings: list[Finding],
) -> Paging | None:
    """`x-pagination`: `false`, a style name, or an object with `style` and any of the wire names in `_KEYS`
    (each a property of the page object, or for `param` and `limit` a query parameter of the operation); what
    it leaves out is what the rules found (`guess`)."""
    pointer = pointer_join(op.pointer, "x-pagination")
    if value is False:
        return None
    if isinstance(value, str):
        value = {"style": value}
    if not isinstance(value, dict) or value.get("style") not in STYLES:
        expected = f"false, one of {', '.join(STYLES)}, or an object with a style expected"
        warnings.append(Finding(f"x-pagination ignored: {expected}", pointer, "extension"))
        return guess if guess.style else None
    base = guess
    chosen: dict[str, str] = {"style": str(value["style"])}
    for key in _KEYS:
        given = value.get(key)
        if given is None:
            chosen[key] = getattr(base, key)
            continue
        known = query if key in ("param", "limit") else fields
        if not isinstance(given, str) or (given and given.lower() not in known):
            where = "query parameter" if key in ("param", "limit") else "property of the page"
            warnings.append(Finding(f"x-pagination {key} {given!r} ignored: no such {where}", pointer_join(pointer, key), "extension"))
            chosen[key] = getattr(base, key)
            continue
        chosen[key] = given
    unknown = sorted(str(k) for k in value if k not in (*_KEYS, "style"))
    if unknown:
        warnings.append(Finding(f"x-pagination: unknown key {unknown[0]!r} ignored", pointer, "extension"))
    numbered = chosen["style"] == "page" or (chosen["style"] == "link" and chosen["param"].lower() in PAGE_PARAMS)
    return Paging(**chosen, numbered=numbered)
