"""The in-memory store behind the generated `memory.py`: a working, thread-safe fake of a REST API.

Conventions (not tied to one API): rows are scoped by the values of the path parameters other than the
item's id (e.g. `project_id`), so one project never sees another's; the server fills read-only fields (`id`,
`created_at`, `updated_at`, `created_by`, `team`, anything else required); a row whose `deleted` is true is
soft-deleted; lists paginate with `limit`/`offset` and absolute `next`/`previous` URLs.

`Store` is here; list filtering and paging are in `_query_memory`, server-set values in `_synth_memory`, and
value and annotation helpers in `_values_memory`.
"""

from __future__ import annotations

import builtins
import itertools
import json
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import pydantic

from .query import _filter, _int_or_zero, _item_type, _order, _page_url, _positive, _values
from .._runtime import Context, Reply, conflict, not_allowed, not_found
from .synth import _Synth
from .values import _ID_NAMES, Row, _jsonable, _key, _now, _wire

__all__ = ["DEFAULT_PAGE_SIZE", "Store"]

M = TypeVar("M", bound=pydantic.BaseModel)

DEFAULT_PAGE_SIZE = 100
"""Page size of list operations when the client sends no `limit`."""

_USER_FIELDS = ("created_by", "updated_by", "last_modified_by", "owner", "user")
_TEAM_FIELDS = ("team", "team_id", "project", "project_id", "environment", "environment_id")
_TIMESTAMP_FIELDS = ("created_at", "updated_at")

Scope = tuple[tuple[str, str], ...]


@dataclass
class _Entry:
    seq: int
    data: Row
    unique_by: tuple[str, ...] = ()


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
        # Only documented fields are written: unknown ones a body model keeps (extra="allow") never reach a row.
        documented = Store._writable_names(ctx)
        return {key: value for key, value in data.items() if key in documented}

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
        """Create a row from the request body; the server fills the read-only fields. Fields the client did not
        send are left out (neither stored nor answered as null); an explicit null is kept."""
        scope, _ = self._split_path(ctx, item=False)
        writable = self._writable_names(ctx)
        data = self._body(ctx, exclude_unset=True)
        with self._lock:
            self._writable[collection] = writable
            synth = _Synth(ctx.key, self._team(scope), _now())
            row = self._server_fields(result_type, writable, synth)
            row.update({key: value for key, value in data.items() if key not in row})
            id_value = self._new_id(collection, id_kind)
            row["id"] = id_value
            result = result_type.model_validate(row)
            stored = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
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
            entry.data = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
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
