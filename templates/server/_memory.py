"""The in-memory store behind the generated `memory.py`: a working, thread-safe fake of a REST API.

Conventions (not tied to one API): rows are scoped by the values of the path parameters other than the
item's id (e.g. `project_id`), so one project never sees another's; the server fills read-only fields (`id`,
`created_at`, `updated_at`, `created_by`, `team`, anything else required); a row whose `deleted` is true is
soft-deleted; lists paginate with `limit`/`offset` and absolute `next`/`previous` URLs.
"""

from __future__ import annotations

import builtins
import enum
import hashlib
import itertools
import json
import threading
import types
import typing
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, NoReturn, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pydantic
import pydantic_core

from ._runtime import Context, Reply, conflict, not_allowed, not_found

__all__ = ["DEFAULT_PAGE_SIZE", "Store"]

M = TypeVar("M", bound=pydantic.BaseModel)

DEFAULT_PAGE_SIZE = 100
"""Page size of list operations when the client sends no `limit`."""

_NOT_FILTERS = frozenset({"search", "limit", "offset", "format", "order_by", "ordering"})
_ID_NAMES = ("id", "pk", "uuid")
_USER_FIELDS = ("created_by", "updated_by", "last_modified_by", "owner", "user")
_TEAM_FIELDS = ("team", "team_id", "project", "project_id", "environment", "environment_id")
_TIMESTAMP_FIELDS = ("created_at", "updated_at")

Row = dict[str, Any]
Scope = tuple[tuple[str, str], ...]


@dataclass
class _Entry:
    seq: int
    data: Row
    unique_by: tuple[str, ...] = ()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    return pydantic_core.to_jsonable_python(value, by_alias=True)


def _key(value: Any) -> str:
    """A hashable, comparable spelling of a JSON value (ids, filter values)."""
    value = _jsonable(value)
    if isinstance(value, str):
        return value.lower() if _looks_like_uuid(value) else value
    return json.dumps(value, sort_keys=True)


def _looks_like_uuid(value: str) -> bool:
    if len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `None`, and whether `None` was allowed."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        nullable = len(args) != len(typing.get_args(annotation))
        if len(args) == 1:
            inner, inner_nullable = _strip_optional(args[0])
            return inner, nullable or inner_nullable
        return annotation, nullable
    return annotation, annotation is type(None)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def _wire(name: str, info: pydantic.fields.FieldInfo) -> str:
    return info.alias or name


def _is_text_or_json(annotation: Any) -> tuple[bool, bool]:
    """(is a string field, is a free-form JSON field)."""
    inner, _ = _strip_optional(annotation)
    if inner is str:
        return True, False
    if inner is Any or inner is object:
        return False, True
    origin = typing.get_origin(inner)
    if inner is dict or origin is dict or origin is Mapping:
        return False, True
    return False, False


class _Synth:
    """Values for server-set fields, fitted to the annotation of the model's field."""

    def __init__(self, key: str, team: Any, now: str) -> None:
        self.key = key
        self.team = team
        self.now = now
        digest = hashlib.sha256(key.encode()).hexdigest()
        self.user_id = int(digest[:7], 16) % 1_000_000 + 1
        self.user_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"spec-server-user:{digest}")
        self.user_conventions: dict[str, Any] = {
            "id": self.user_id,
            "pk": self.user_id,
            "uuid": str(self.user_uuid),
            "distinct_id": digest[:32],
            "first_name": "Dev",
            "last_name": "User",
            "name": "Dev User",
            "email": "dev@example.com",
            "is_email_verified": True,
        }

    def user(self, annotation: Any) -> Any:
        inner, _ = _strip_optional(annotation)
        if _is_model(inner):
            return self.model(inner, self.user_conventions)
        if inner is int:
            return self.user_id
        if inner is uuid.UUID:
            return str(self.user_uuid)
        if inner is str:
            return self.user_conventions["email"]
        skip = ("pk", "name")
        return {name: value for name, value in self.user_conventions.items() if name not in skip}

    def team_value(self, annotation: Any) -> Any:
        inner, _ = _strip_optional(annotation)
        text = str(self.team)
        if inner is str:
            return text
        if inner is int:
            return int(text) if text.isdigit() else 1
        return self.value(annotation)

    def model(self, model: type[pydantic.BaseModel], conventions: Mapping[str, Any]) -> Row:
        row: Row = {}
        for name, info in model.model_fields.items():
            wire = _wire(name, info)
            if wire in conventions or name in conventions:
                row[wire] = conventions.get(wire, conventions.get(name))
            elif info.is_required():
                row[wire] = self.value(info.annotation)
        return row

    def value(self, annotation: Any) -> Any:
        inner, nullable = _strip_optional(annotation)
        if nullable or inner is Any or inner is object or inner is None:
            return None
        if typing.get_origin(inner) is typing.Literal:
            return typing.get_args(inner)[0]
        if isinstance(inner, type):
            if issubclass(inner, enum.Enum):
                return next(iter(inner)).value
            if inner is bool:
                return False
            if issubclass(inner, int):
                return 0
            if issubclass(inner, float):
                return 0.0
            if issubclass(inner, str):
                return ""
            if issubclass(inner, datetime):
                return self.now
            if issubclass(inner, date):
                return self.now[:10]
            if issubclass(inner, uuid.UUID):
                return str(uuid.uuid4())
            if issubclass(inner, pydantic.BaseModel):
                return self.model(inner, {})
        origin = typing.get_origin(inner)
        if origin in (list, tuple, set, frozenset) or inner in (list, tuple, set, frozenset):
            return []
        if origin is dict or inner is dict:
            return {}
        return None


class Store:
    """Rows of every collection, in memory. Thread-safe: each call holds one lock while it reads or writes."""

    def __init__(self, *, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.page_size = page_size
        self._lock = threading.Lock()
        self._rows: dict[str, dict[Scope, dict[str, _Entry]]] = {}
        self._next_int: dict[str, int] = {}
        self._writable: dict[str, frozenset[str]] = {}
        self._seq = itertools.count(1)

    # ----------------------------------------------------------------------------------- helpers

    @staticmethod
    def _split_path(ctx: Context, *, item: bool) -> tuple[Scope, Any]:
        """(scope of the row, id value or None). The id is the path parameter `id` (else the last one)."""
        names = builtins.list(ctx.path)
        id_name: str | None = None
        if item and names:
            id_name = next((name for name in _ID_NAMES if name in ctx.path), names[-1])
        scope = tuple((name, _key(ctx.path[name])) for name in sorted(names) if name != id_name)
        return scope, (ctx.path[id_name] if id_name is not None else None)

    def _new_id(self, collection: str, id_kind: str) -> Any:
        if id_kind == "int":
            value = self._next_int.get(collection, 0) + 1
            self._next_int[collection] = value
            return value
        return str(uuid.uuid4())

    def _bucket(self, collection: str, scope: Scope) -> dict[str, _Entry]:
        return self._rows.setdefault(collection, {}).setdefault(scope, {})

    def _live(self, collection: str, scope: Scope, id_value: Any) -> _Entry:
        entry = self._rows.get(collection, {}).get(scope, {}).get(_key(id_value))
        if entry is None or entry.data.get("deleted") is True:
            not_found()
        return entry

    @staticmethod
    def _team(scope: Scope) -> str:
        return scope[0][1] if scope else "1"

    @staticmethod
    def _body(ctx: Context, *, exclude_unset: bool) -> Row:
        if ctx.body is None:
            return {}
        data = ctx.body.model_dump(mode="json", by_alias=True, exclude_unset=exclude_unset)
        return dict(data)

    @staticmethod
    def _writable_names(ctx: Context) -> frozenset[str]:
        if ctx.body is None:
            return frozenset()
        fields = type(ctx.body).model_fields
        return frozenset(_wire(name, info) for name, info in fields.items())

    def _server_fields(self, result_type: type[pydantic.BaseModel], writable: frozenset[str], synth: _Synth) -> Row:
        row: Row = {}
        for name, info in result_type.model_fields.items():
            wire = _wire(name, info)
            if wire in writable:
                continue
            if wire in _TIMESTAMP_FIELDS:
                row[wire] = synth.now
            elif wire in _USER_FIELDS:
                row[wire] = synth.user(info.annotation)
            elif wire in _TEAM_FIELDS:
                row[wire] = synth.team_value(info.annotation)
            elif info.is_required():
                row[wire] = synth.value(info.annotation)
        return row

    # ----------------------------------------------------------------------------------- CRUD

    def create(self, ctx: Context, collection: str, result_type: type[M], *, id_kind: str = "int") -> M:
        """Create a row from the request body; the server fills the read-only fields."""
        scope, _ = self._split_path(ctx, item=False)
        writable = self._writable_names(ctx)
        data = self._body(ctx, exclude_unset=False)
        with self._lock:
            self._writable[collection] = writable
            synth = _Synth(ctx.key, self._team(scope), _now())
            row = self._server_fields(result_type, writable, synth)
            row.update({key: value for key, value in data.items() if key not in row})
            id_value = self._new_id(collection, id_kind)
            row["id"] = id_value
            result = result_type.model_validate(row)
            stored = result.model_dump(mode="json", by_alias=True)
            self._bucket(collection, scope)[_key(id_value)] = _Entry(next(self._seq), stored)
        return result

    def retrieve(self, ctx: Context, collection: str, result_type: type[M], *, id_kind: str = "int") -> M:
        """The row named by the path, 404 if missing or soft-deleted."""
        scope, id_value = self._split_path(ctx, item=True)
        with self._lock:
            data = dict(self._live(collection, scope, id_value).data)
        return result_type.model_validate(data)

    def update(self, ctx: Context, collection: str, result_type: type[M], *, id_kind: str = "int") -> M:
        """PATCH: set only the fields the client sent; `updated_at` moves on."""
        scope, id_value = self._split_path(ctx, item=True)
        changes = self._body(ctx, exclude_unset=True)
        wires = {_wire(name, info) for name, info in result_type.model_fields.items()}
        with self._lock:
            entry = self._live(collection, scope, id_value)
            merged = {**entry.data, **{k: v for k, v in changes.items() if k != "id"}}
            if "updated_at" in wires:
                merged["updated_at"] = _now()
            result = result_type.model_validate(merged)
            entry.data = result.model_dump(mode="json", by_alias=True)
        return result

    def destroy(self, ctx: Context, collection: str, *, id_kind: str = "int", unique_by: Sequence[str] = ()) -> None:
        """Hard delete; 404 if missing."""
        scope, id_value = self._split_path(ctx, item=True)
        with self._lock:
            self._live(collection, scope, id_value)
            del self._rows[collection][scope][_key(id_value)]

    def forbid(self, detail: str) -> NoReturn:
        """405 for an operation the API refuses (e.g. hard delete of a soft-deleted model)."""
        not_allowed(detail)

    def list(self, ctx: Context, collection: str, page_type: type[M], *, id_kind: str = "int") -> M:
        """One page: filters (`search`, `<field>__in`, equality), `order_by`, `limit`/`offset`."""
        scope, _ = self._split_path(ctx, item=False)
        item_type = _item_type(page_type)
        with self._lock:
            bucket = self._rows.get(collection, {}).get(scope, {})
            rows = [(entry.seq, dict(entry.data)) for entry in bucket.values() if entry.data.get("deleted") is not True]
            writable = self._writable.get(collection)
        rows = _filter(rows, ctx.query, item_type, writable)
        rows = _order(rows, ctx.query.get("order_by"), item_type)
        count = len(rows)
        limit = _positive(ctx.query.get("limit")) or self.page_size
        offset = max(_int_or_zero(ctx.query.get("offset")), 0)
        page = [data for _, data in rows[offset : offset + limit]]
        next_url = _page_url(ctx.url, limit, offset + limit) if offset + limit < count else None
        previous_url = _page_url(ctx.url, limit, max(offset - limit, 0)) if offset > 0 else None
        return page_type.model_validate({"count": count, "next": next_url, "previous": previous_url, "results": page})

    # ----------------------------------------------------------------------------------- actions

    def action_create(
        self, ctx: Context, collection: str, *, id_kind: str = "int", unique_by: Sequence[str] = ()
    ) -> Reply:
        """An action that creates a row from its body (200 with the row); 409 if a `unique_by` value is taken."""
        scope, _ = self._split_path(ctx, item=False)
        data = self._body(ctx, exclude_unset=True)
        unique = tuple(unique_by)
        with self._lock:
            bucket = self._bucket(collection, scope)
            for name in unique:
                wanted = _values(data.get(name))
                if not wanted:
                    continue
                for entry in bucket.values():
                    if name not in entry.unique_by or entry.data.get("deleted") is True:
                        continue
                    taken = wanted & _values(entry.data.get(name))
                    if taken:
                        conflict(f"An object with this {name} already exists: {', '.join(sorted(taken))}.")
            synth = _Synth(ctx.key, self._team(scope), _now())
            id_value = self._new_id(collection, "int" if id_kind not in ("int", "uuid") else id_kind)
            row: Row = {"id": id_value, **{k: v for k, v in data.items() if k != "id"}}
            row.setdefault("created_at", synth.now)
            row.setdefault("created_by", synth.user(Any))
            row.setdefault("team", synth.team_value(int))
            bucket[_key(id_value)] = _Entry(next(self._seq), row, unique)
            payload = json.dumps(row)
        return Reply(200, payload.encode(), "application/json")

    def action_read(
        self, ctx: Context, collection: str, *, id_kind: str = "int", unique_by: Sequence[str] = ()
    ) -> Reply:
        """Stream the row named by the path and its parts (`tiles`): NDJSON, or text lines with `format=txt`."""
        scope, id_value = self._split_path(ctx, item=True)
        with self._lock:
            row = json.loads(json.dumps(self._live(collection, scope, id_value).data))
        singular = collection[:-1] if collection.endswith("s") else collection
        parts = row.get("tiles") if isinstance(row.get("tiles"), builtins.list) else []
        fmt = _jsonable(ctx.query.get("format")) or "json"
        if fmt == "txt":

            def text_lines() -> Iterator[str]:
                yield f"{singular} {row['id']}: {row.get('name') or ''}\n"
                for index, part in enumerate(parts):
                    yield f"tile {index}: {json.dumps(part)}\n"

            return Reply(200, media_type="text/plain; charset=utf-8", stream=text_lines())

        def json_lines() -> Iterator[str]:
            yield json.dumps({"type": singular, singular: row}) + "\n"
            for index, part in enumerate(parts):
                yield json.dumps({"type": "tile", "order": index, "tile": part}) + "\n"

        return Reply(200, media_type="application/x-ndjson", stream=json_lines())

    # ----------------------------------------------------------------------------------- inspection

    def rows(self, collection: str) -> builtins.list[Row]:
        """Every stored row of a collection (all scopes, soft-deleted ones too), in creation order."""
        with self._lock:
            entries = [entry for bucket in self._rows.get(collection, {}).values() for entry in bucket.values()]
            return [dict(entry.data) for entry in sorted(entries, key=lambda entry: entry.seq)]

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
            self._next_int.clear()
            self._writable.clear()


# --------------------------------------------------------------------------------------------------- list helpers


def _item_type(page_type: type[pydantic.BaseModel]) -> type[pydantic.BaseModel] | None:
    info = page_type.model_fields.get("results")
    if info is None:
        return None
    inner, _ = _strip_optional(info.annotation)
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
