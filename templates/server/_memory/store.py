"""`Store`: the REST behaviour of the generated fake, over any `Backend` (in memory by default, SQLite with `--db`).

Conventions (not tied to one API): rows are scoped by the values of the path parameters other than the
item's id (e.g. `project_id`), so one project never sees another's; the server fills read-only fields (`id`,
the caller, scope and timestamp fields `Conventions` names, anything else required); a row of a collection the document
soft-deletes (`x-soft-delete`, registered with `soft_delete`) is hidden once it holds the marker; lists page in
the style the document gives them (`paging`).

Every call is one backend transaction, so it is atomic whatever the backend and however many processes share it.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, NoReturn, TypeVar

import pydantic

from .._runtime import ApiError, Context, Reply, conflict, not_allowed, not_found
from .backend import Backend, MemoryBackend, Record, Records
from .paging import Paging, page_answer
from .query import _filter, _item_type, _order, _validated, _values
from .synth import _plain_int, _Synth
from .values import _ID_NAMES, Row, _jsonable, _key, _now, _wire

__all__ = ["DEFAULT_PAGE_SIZE", "Conventions", "Store"]

M = TypeVar("M", bound=pydantic.BaseModel)
P = TypeVar("P")

DEFAULT_PAGE_SIZE = 100
"""Page size of list operations when the client sends no `limit`."""


class Conventions(NamedTuple):
    """The names of the read-only fields the fake fills with the caller, the scope or the time; pass your own to
    `Store(conventions=...)` where an API names them otherwise. An action's row gets the first of each."""

    user_fields: tuple[str, ...] = ("created_by", "updated_by", "last_modified_by", "owner", "user")
    """Filled with the user the key acts as (a model of it, its id, uuid or email, as the field's type says)."""
    scope_fields: tuple[str, ...] = ("team", "team_id", "project", "project_id", "environment", "environment_id")
    """Filled with the first path value scoping the row (e.g. the project id of `/projects/{project_id}/…`)."""
    created_fields: tuple[str, ...] = ("created_at",)
    """Set to the time of the create."""
    updated_fields: tuple[str, ...] = ("updated_at",)
    """Set to the time of the create and of every update."""


_IDENTITY_SECRET = "identity-secret"

Scope = tuple[tuple[str, str], ...]


class Store:
    """The rows of every collection, kept by `backend` (a `MemoryBackend` unless given)."""

    def __init__(
        self,
        backend: Backend | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        conventions: Conventions = Conventions(),
    ) -> None:
        self.backend: Backend = backend if backend is not None else MemoryBackend()
        self.page_size = page_size
        self.conventions = conventions
        self._identities: dict[str, Row] = {}
        self._writable: dict[str, frozenset[str]] = {}
        self._soft_deleted: dict[str, Row] = {}

    def soft_delete(self, collection: str, marker: Row) -> None:
        """Rows of `collection` holding every field of `marker` with its value are soft-deleted: reads, lists and
        uniqueness checks skip them (the document's `x-soft-delete`)."""
        self._soft_deleted[collection] = dict(marker)

    # ----------------------------------------------------------------------------------- helpers

    @staticmethod
    def _split_path(ctx: Context, *, item: bool) -> tuple[Scope, Any]:
        """(scope of the row, id value or None). The id is the path parameter `id` (else the last one)."""
        names = builtins.list(ctx.path)
        id_name: str | None = None
        if item and names:
            id_name = next((name for name in _ID_NAMES if name in ctx.path), names[-1])
        for value in ctx.path.values():
            if isinstance(value, str) and value.isnumeric() and not _plain_int(value):
                not_found()  # a number spelt otherwise (`²`, `①`, 4,400 digits) names nothing here
        scope = tuple((name, _key(ctx.path[name])) for name in sorted(names) if name != id_name)
        return scope, (ctx.path[id_name] if id_name is not None else None)

    @staticmethod
    def _scope_name(scope: Scope) -> str:
        return json.dumps(scope)

    @staticmethod
    def _new_id(records: Records, collection: str, id_kind: str) -> Any:
        return records.next_id(collection) if id_kind == "int" else str(uuid.uuid4())

    def _live(self, records: Records, collection: str, scope: Scope, id_value: Any) -> Record:
        record = records.get(collection, Store._scope_name(scope), _key(id_value))
        if record is None or self._hidden(collection, record.data):
            not_found()
        return record

    def _hidden(self, collection: str, data: Row) -> bool:
        """Soft-deleted (see `soft_delete`): lists and reads skip it."""
        marker = self._soft_deleted.get(collection)
        return marker is not None and all(data.get(name) == value for name, value in marker.items())

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

    def _remember_writable(self, records: Records, collection: str, writable: frozenset[str]) -> None:
        """Which fields clients write (search looks at those only), kept with the data so every worker knows."""
        if self._writable.get(collection) != writable:
            records.set_meta(f"writable:{collection}", json.dumps(sorted(writable)))
            self._writable[collection] = writable

    def _known_writable(self, records: Records, collection: str) -> frozenset[str] | None:
        if collection not in self._writable:
            stored = records.meta(f"writable:{collection}")
            if stored is None:
                return None
            self._writable[collection] = frozenset(json.loads(stored))
        return self._writable[collection]

    def identity(self, ctx: Context) -> Row:
        """The user the request's key acts as: its configured fields over a random identity (`id`, `uuid`) that
        is stored, so it stays the same across workers and, with a database, restarts. The stored identity is
        found by a keyed hash of the key whose secret lives in the store; no answer carries anything of it."""
        stored = self._identities.get(ctx.key)
        if stored is None:
            with self.backend.transaction(write=True) as records:
                secret = records.meta(_IDENTITY_SECRET)
                if secret is None:
                    secret = secrets.token_hex(32)
                    records.set_meta(_IDENTITY_SECRET, secret)
                name = "identity:" + hmac.new(bytes.fromhex(secret), ctx.key.encode(), hashlib.sha256).hexdigest()
                found = records.meta(name)
                if found is None:
                    found = json.dumps({"id": secrets.randbelow(2**31 - 1) + 1, "uuid": str(uuid.uuid4())})
                    records.set_meta(name, found)
            stored = json.loads(found)
            self._identities[ctx.key] = stored
        return {**stored, **ctx.user}

    @staticmethod
    def _built(result_type: type[M], row: Row, synth: _Synth) -> M:
        """The answer model from `row`, every required field filled; a field the model refuses gets a value of its
        type. Where that is still not enough the fake cannot serve the call: a 501, never a 500."""
        row = synth.fill(result_type, row)
        try:
            return result_type.model_validate(row)
        except pydantic.ValidationError as exc:
            row = synth.repair(result_type, row, exc)
        try:
            return result_type.model_validate(row)
        except pydantic.ValidationError:
            raise ApiError(
                501, f"The in-memory server cannot build a valid {result_type.__name__} here.", code="not_implemented"
            ) from None

    def _server_fields(self, result_type: type[pydantic.BaseModel], writable: frozenset[str], synth: _Synth) -> Row:
        row: Row = {}
        for name, info in result_type.model_fields.items():
            wire = _wire(name, info)
            if wire in writable:
                continue
            if wire in self.conventions.created_fields or wire in self.conventions.updated_fields:
                row[wire] = synth.now
            elif wire in self.conventions.user_fields:
                row[wire] = synth.user(info.annotation)
            elif wire in self.conventions.scope_fields:
                row[wire] = synth.team_value(info.annotation)
            elif info.is_required():
                row[wire] = synth.field_value(result_type, name, info)
        return row

    # ----------------------------------------------------------------------------------- CRUD

    def create(self, ctx: Context, collection: str, result_type: type[M], *, id_kind: str = "int") -> M:
        """Create a row from the request body; the server fills the read-only fields. Fields the client did not
        send are left out (neither stored nor answered as null); an explicit null is kept."""
        scope, _ = self._split_path(ctx, item=False)
        writable = self._writable_names(ctx)
        data = self._body(ctx, exclude_unset=True)
        identity = self.identity(ctx)
        with self.backend.transaction(write=True) as records:
            synth = _Synth(identity, self._team(scope), _now())
            row = self._server_fields(result_type, writable, synth)
            row.update({key: value for key, value in data.items() if key not in row})
            id_value = self._new_id(records, collection, id_kind)
            row["id"] = id_value
            result = self._built(result_type, row, synth)
            stored = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
            self._remember_writable(records, collection, writable)
            records.insert(collection, self._scope_name(scope), _key(id_value), stored)
        return result

    def retrieve(self, ctx: Context, collection: str, result_type: type[M], *, id_kind: str = "int") -> M:
        """The row named by the path, 404 if missing or soft-deleted."""
        scope, id_value = self._split_path(ctx, item=True)
        with self.backend.transaction(write=False) as records:
            data = dict(self._live(records, collection, scope, id_value).data)
        return result_type.model_validate(data)

    def update(self, ctx: Context, collection: str, result_type: type[M], *, id_kind: str = "int") -> M:
        """PATCH: set only the fields the client sent; `updated_at` moves on."""
        scope, id_value = self._split_path(ctx, item=True)
        changes = self._body(ctx, exclude_unset=True)
        wires = {_wire(name, info) for name, info in result_type.model_fields.items()}
        synth = _Synth(self.identity(ctx), self._team(scope), _now())
        with self.backend.transaction(write=True) as records:
            record = self._live(records, collection, scope, id_value)
            merged = {**record.data, **{k: v for k, v in changes.items() if k != "id"}}
            for wire in wires & set(self.conventions.updated_fields):
                merged[wire] = _now()
            result = self._built(result_type, merged, synth)
            stored = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
            records.replace(collection, self._scope_name(scope), record.key, stored)
        return result

    def destroy(self, ctx: Context, collection: str, *, id_kind: str = "int", unique_by: Sequence[str] = ()) -> None:
        """Hard delete; 404 if missing."""
        scope, id_value = self._split_path(ctx, item=True)
        with self.backend.transaction(write=True) as records:
            record = self._live(records, collection, scope, id_value)
            records.delete(collection, self._scope_name(scope), record.key)

    def forbid(self, detail: str) -> NoReturn:
        """405 for an operation the API refuses (e.g. hard delete of a soft-deleted model)."""
        not_allowed(detail)

    def list(
        self, ctx: Context, collection: str, page_type: type[P], *, id_kind: str = "int", paging: Paging = Paging()
    ) -> P:
        """One page (in the list's `paging` style): filters (`search`, `<field>__in`, equality), `order_by`, the
        page size and position; a `Link` header where the list pages by it. Other required fields of the page
        object are synthesised."""
        scope, _ = self._split_path(ctx, item=False)
        item_type = _item_type(page_type, paging.items)
        with self.backend.transaction(write=False) as records:
            found = records.scan(collection, self._scope_name(scope))
            writable = self._known_writable(records, collection)
        rows = [(record.seq, record.data) for record in found if not self._hidden(collection, record.data)]
        rows = _filter(rows, ctx.query, item_type, writable)
        rows = _order(rows, ctx.query.get("order_by"), item_type)
        synth = _Synth(self.identity(ctx), self._team(scope), _now())
        items = [synth.fill(item_type, data) if item_type else data for _, data in rows]
        body, headers = page_answer(paging, items, ctx.query, ctx.url, self.page_size)
        ctx.response_headers.update(headers)
        if isinstance(body, dict) and isinstance(page_type, type) and issubclass(page_type, pydantic.BaseModel):
            body = {**self._server_fields(page_type, frozenset(body), synth), **body}
        try:
            return _validated(page_type, body)
        except pydantic.ValidationError:
            raise ApiError(
                501, "The in-memory server cannot build a valid page of this list.", code="not_implemented"
            ) from None

    # ----------------------------------------------------------------------------------- actions

    def action_create(
        self, ctx: Context, collection: str, *, id_kind: str = "int", unique_by: Sequence[str] = ()
    ) -> Reply:
        """An action that creates a row from its body (200 with the row); 409 if a `unique_by` value is taken."""
        scope, _ = self._split_path(ctx, item=False)
        data = self._body(ctx, exclude_unset=True)
        unique = tuple(unique_by)
        identity = self.identity(ctx)
        with self.backend.transaction(write=True) as records:
            if unique:
                self._check_unique(records.scan(collection, self._scope_name(scope)), data, unique, collection)
            synth = _Synth(identity, self._team(scope), _now())
            row: Row = {k: v for k, v in data.items() if k != "id"}
            conventions = self.conventions
            for names, value in (
                (conventions.created_fields, synth.now),
                (conventions.user_fields, synth.user(Any)),
                (conventions.scope_fields, synth.team_value(int)),
            ):
                if names:
                    row.setdefault(names[0], value)
            id_value = self._new_id(records, collection, "int" if id_kind not in ("int", "uuid") else id_kind)
            row = {"id": id_value, **row}
            records.insert(collection, self._scope_name(scope), _key(id_value), row, unique)
        return Reply(200, json.dumps(row).encode(), "application/json")

    def _check_unique(self, found: builtins.list[Record], data: Row, unique: tuple[str, ...], collection: str) -> None:
        for name in unique:
            wanted = _values(data.get(name))
            if not wanted:
                continue
            for record in found:
                if name not in record.unique_by or self._hidden(collection, record.data):
                    continue
                taken = wanted & _values(record.data.get(name))
                if taken:
                    conflict(f"An object with this {name} already exists: {', '.join(sorted(taken))}.")

    def action_read(
        self, ctx: Context, collection: str, *, id_kind: str = "int", unique_by: Sequence[str] = ()
    ) -> Reply:
        """Stream the row named by the path and its parts (`tiles`): NDJSON, or text lines with `format=txt`."""
        scope, id_value = self._split_path(ctx, item=True)
        with self.backend.transaction(write=False) as records:
            row = json.loads(json.dumps(self._live(records, collection, scope, id_value).data))
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
        with self.backend.transaction(write=False) as records:
            return [dict(record.data) for record in records.scan(collection, None)]

    def clear(self) -> None:
        self.backend.clear()
        self._identities.clear()
        self._writable.clear()

    def close(self) -> None:
        self.backend.close()
