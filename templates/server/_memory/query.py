"""List operations of the in-memory store: filters, search, ordering and `limit`/`offset` page URLs."""

from __future__ import annotations

import builtins
import json
import typing
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pydantic

from .values import _ID_NAMES, Row, _is_model, _is_text_or_json, _jsonable, _key, _strip_optional, _wire

_NOT_FILTERS = frozenset({"search", "limit", "offset", "format", "order_by", "ordering"})


_P = TypeVar("_P")
_ADAPTERS: dict[Any, pydantic.TypeAdapter[Any]] = {}


def _validated(page_type: type[_P], data: Any) -> _P:
    """`data` validated as `page_type` (a model, or a list of models)."""
    adapter = _ADAPTERS.get(page_type)
    if adapter is None:
        adapter = _ADAPTERS[page_type] = pydantic.TypeAdapter(page_type)
    result: _P = adapter.validate_python(data)
    return result


def _item_type(page_type: Any, items: str) -> type[pydantic.BaseModel] | None:
    """The model of a page's items: of the array `items` of the page model, or of the page when it is a list."""
    if items:
        fields = page_type.model_fields if _is_model(page_type) else {}
        info = next((info for name, info in fields.items() if _wire(name, info) == items), None)
        if info is None:
            return None
        annotation = info.annotation
    else:
        annotation = page_type
    inner, _ = _strip_optional(annotation)
    args = typing.get_args(inner)
    if args and _is_model(args[0]):
        item: type[pydantic.BaseModel] = args[0]
        return item
    return None


def _field_annotations(item_type: type[pydantic.BaseModel] | None) -> dict[str, Any]:
    if item_type is None:
        return {}
    return {_wire(name, info): info.annotation for name, info in item_type.model_fields.items()}


def _values(value: Any) -> set[str]:
    if value is None or value == "" or value == []:
        return set()
    if isinstance(value, (builtins.list, tuple, set)):
        return {_key(item) for item in value if item is not None}
    return {_key(value)}


def _filter(
    rows: builtins.list[tuple[int, Row]],
    query: Mapping[str, Any],
    item_type: type[pydantic.BaseModel] | None,
    writable: frozenset[str] | None,
) -> builtins.list[tuple[int, Row]]:
    fields = _field_annotations(item_type)
    search = query.get("search")
    if isinstance(search, str) and search:
        needle = search.lower()
        text_fields: builtins.list[str] = []
        json_fields: builtins.list[str] = []
        for name, annotation in fields.items():
            if name in _ID_NAMES or (writable is not None and name not in writable):
                continue
            is_text, is_json = _is_text_or_json(annotation)
            if is_text:
                text_fields.append(name)
            elif is_json:
                json_fields.append(name)

        def matches(row: Row) -> bool:
            for name in text_fields:
                value = row.get(name)
                if isinstance(value, str) and needle in value.lower():
                    return True
            for name in json_fields:
                value = row.get(name)
                if value is not None and needle in json.dumps(value, ensure_ascii=False).lower():
                    return True
            return False

        rows = [(seq, row) for seq, row in rows if matches(row)]
    for name, value in query.items():
        if name in _NOT_FILTERS or value is None:
            continue
        if name.endswith("__in"):
            field = name[: -len("__in")]
            if field not in fields:
                continue
            wanted = _values(value)
            rows = [(seq, row) for seq, row in rows if _key(row.get(field)) in wanted]
        elif name in fields:
            wanted_key = _key(value)
            rows = [(seq, row) for seq, row in rows if _key(row.get(name)) == wanted_key]
    return rows


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, json.dumps(value, sort_keys=True))


def _order(
    rows: builtins.list[tuple[int, Row]], order_by: Any, item_type: type[pydantic.BaseModel] | None
) -> builtins.list[tuple[int, Row]]:
    fields = _field_annotations(item_type)
    terms: builtins.list[str] = []
    if order_by:
        raw = order_by if isinstance(order_by, (builtins.list, tuple)) else [order_by]
        terms = [str(_jsonable(term)) for term in raw if term]
    if not terms:
        terms = ["-created_at"] if "created_at" in fields else []
    # Ties keep a stable order: newest first when the default (descending) order applies, else insertion order.
    descending_default = bool(terms) and terms[0].startswith("-")
    ordered = sorted(rows, key=lambda pair: pair[0], reverse=descending_default)
    for term in reversed(terms):
        name = term.lstrip("-")
        if fields and name not in fields:
            continue
        ordered = sorted(ordered, key=lambda pair: _sort_key(pair[1].get(name)), reverse=term.startswith("-"))
    return ordered


def _positive(value: Any) -> int:
    try:
        number = int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0
    return number if number > 0 else 0


def _int_or_zero(value: Any) -> int:
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _page_url(url: str, limit: int, offset: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("limit", "offset")]
    query.append(("limit", str(limit)))
    if offset > 0:
        query.append(("offset", str(offset)))
    return urlunsplit(parts._replace(query=urlencode(query)))
