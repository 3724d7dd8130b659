"""What the in-memory fake does for each operation, read from the shape of its path and responses.

`coll/{id}` is an item (retrieve, update, destroy), `coll/{id}/verb` an item action, `coll/verb` a
collection action, `coll` the collection itself (list, create). A collection is a static segment that
some path follows with a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator import paths
from generator.api.types import Nullable, TypeNode, is_primitive
from generator.spec import OperationView

_ITEM_KINDS = {"get": "retrieve", "patch": "update", "put": "update", "delete": "destroy"}


@dataclass(frozen=True)
class Fake:
    kind: str  # list, create, retrieve, update, destroy, destroy_forbidden, action_create, action_read
    collection: str  # the path segment naming the store's collection
    id_wire: str  # the path parameter holding the item's id, "" for none
    unique_by: tuple[str, ...]  # x-unique-by: properties a create may not repeat (it answers 409)


def collections(templates: Iterable[str]) -> frozenset[str]:
    """Static path segments directly followed by a parameter somewhere in the document's paths."""
    found: set[str] = set()
    for path in templates:
        parts = paths.segments(str(path))
        found |= {a for a, b in zip(parts, parts[1:]) if paths.is_placeholder(b) and not paths.is_placeholder(a)}
    return frozenset(found)


def forbids(responses: Mapping[str, object]) -> bool:
    """The operation is documented as always refused: a 405 and no 2xx."""
    return "405" in responses and not any(str(s).startswith("2") for s in responses)


def fake_facts(op: OperationView, known: frozenset[str]) -> Fake:
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
    unique = op.extensions.get("x-unique-by")
    unique_by = tuple(str(u) for u in unique) if isinstance(unique, list) else ()
    return Fake(kind, collection, id_wire, unique_by)


def memory_call(kind: str, result_kind: str) -> str:
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


def id_kind(node: TypeNode) -> str:
    """How the fake makes and reads ids of this type: uuid, int or str."""
    if isinstance(node, Nullable):
        node = node.inner
    return "uuid" if is_primitive(node, "string", format="uuid") else "int" if is_primitive(node, "integer") else "str"
