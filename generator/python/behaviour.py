"""What the in-memory server does for each operation, read from the shape of its path and responses.

`coll/{id}` is an item (retrieve, update, destroy), `coll/{id}/verb` an item action, `coll/verb` a
collection action, `coll` the collection itself (list, create). A collection is a static segment that
some path follows with a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from generator import paths
from generator.python import text
from generator.api.pagination import Paging
from generator.python.ir import Behaviour, Operation, Param, Resource
from generator.api.types import Nullable, TypeNode, is_primitive
from generator.spec import OperationView

_ITEM_KINDS = {"get": "retrieve", "patch": "update", "put": "update", "delete": "destroy"}


def collections(templates: Iterable[str]) -> frozenset[str]:
    """Static path segments directly followed by a parameter somewhere in the document's paths."""
    found: set[str] = set()
    for path in templates:
        parts = paths.segments(str(path))
        found |= {a for a, b in zip(parts, parts[1:]) if paths.is_placeholder(b) and not paths.is_placeholder(a)}
    return frozenset(found)


def forbids(responses: Mapping[str, Any]) -> bool:
    """The operation is documented as always refused: a 405 and no 2xx."""
    return "405" in responses and not any(str(s).startswith("2") for s in responses)


def behaviour(
    op: OperationView, params: tuple[Param, ...], known: frozenset[str],
    *, result_model: str | None, result_id_type: TypeNode, result_kind: str, paging: Paging | None, not_allowed: str,
    result_type: str,
) -> Behaviour:
    method = op.method
    segments = paths.segments(op.path)
    is_param = [paths.is_placeholder(s) for s in segments]
    kind, collection, id_wire = "action_create", "items", ""
    if len(segments) >= 2 and is_param[-1] and not is_param[-2]:
        collection, id_wire = segments[-2], segments[-1][1:-1]
        kind = _ITEM_KINDS.get(method, "action_create")
    elif segments and not is_param[-1] and segments[-1] in known:
        collection, kind = segments[-1], {"get": "list", "post": "create"}.get(method, "action_create")
    elif len(segments) >= 3 and not is_param[-1] and is_param[-2] and not is_param[-3] and segments[-3] in known:
        collection, id_wire = segments[-3], segments[-2][1:-1]
        kind = "action_read" if method == "get" else "action_create"
    elif len(segments) >= 2 and not is_param[-1] and not is_param[-2] and segments[-2] in known:
        collection, kind = segments[-2], "action_read" if method == "get" else "action_create"
    elif segments and not is_param[-1]:
        collection, kind = segments[-1], {"get": "list", "post": "create"}.get(method, "action_create")
    if kind == "destroy" and forbids(op.responses):
        kind = "destroy_forbidden"
    id_param = next((p for p in params if p.location == "path" and p.wire == text.literal(id_wire)), None)
    id_kind = _id_kind(id_param.type if id_param else result_id_type)
    unique = op.extensions.get("x-unique-by")
    unique_by = text.literal(tuple(str(u) for u in unique) if isinstance(unique, list) else ())
    if kind == "list" and paging is not None and result_kind == "model":
        return Behaviour(kind, text.literal(collection), id_kind, unique_by, "list", result_type, not_allowed, paging)
    call = _memory_call(kind, result_kind if result_model or result_kind != "model" else "other")
    return Behaviour(kind, text.literal(collection), id_kind, unique_by, call, result_model or "", not_allowed)


def _memory_call(kind: str, result_kind: str) -> str:
    """Which in-memory behaviour fits; anything the store cannot honour is left to answer 501."""
    if kind == "list":
        return "unsupported"
    if kind in ("create", "retrieve", "update"):
        return kind if result_kind == "model" else "unsupported"
    if kind == "destroy":
        return "destroy" if result_kind == "none" else "unsupported"
    if kind == "destroy_forbidden":
        return "forbid"
    return kind if result_kind in ("raw", "text", "binary") else "unsupported"


def _id_kind(node: TypeNode) -> str:
    if isinstance(node, Nullable):
        node = node.inner
    return "uuid" if is_primitive(node, "string", format="uuid") else "int" if is_primitive(node, "integer") else "str"


def unify_id_kinds(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    """A collection's id kind comes from its `{id}` path parameter wherever one declares it."""
    declared: dict[str, str] = {}
    for resource in resources:
        for op in resource.operations:
            if op.behaviour.kind in ("retrieve", "update", "destroy", "destroy_forbidden", "action_read"):
                declared.setdefault(op.behaviour.collection, op.behaviour.id_kind)

    def unified(op: Operation) -> Operation:
        kind = declared.get(op.behaviour.collection, op.behaviour.id_kind)
        return replace(op, behaviour=replace(op.behaviour, id_kind=kind))

    return tuple(replace(r, operations=tuple(unified(op) for op in r.operations)) for r in resources)
