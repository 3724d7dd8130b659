"""The in-memory fake's view of an operation: the fake's facts (api/behaviour.py) with the Python names and
literals the server templates print."""

from __future__ import annotations

from dataclasses import replace

from generator.api.behaviour import id_kind, memory_call
from generator.api.operations import Operation as OperationFacts
from generator.api.types import TypeNode
from generator.python import text
from generator.python.ir import Behaviour, Operation, Param, Resource


def behaviour(
    facts: OperationFacts, params: tuple[Param, ...], *, result_model: str | None, result_id_type: TypeNode,
    result_kind: str, not_allowed: str, result_type: str,
) -> Behaviour:
    fake = facts.fake
    id_param = next((p for p in params if p.location == "path" and p.wire_name == fake.id_wire), None)
    kind_of_id = id_kind(id_param.type if id_param else result_id_type)
    collection, unique_by = text.literal(fake.collection), tuple(fake.unique_by)
    if fake.kind == "list" and facts.paging is not None and result_kind == "model":
        return Behaviour(fake.kind, collection, kind_of_id, unique_by, "list", result_type, not_allowed, facts.paging)
    call = memory_call(fake.kind, result_kind if result_model or result_kind != "model" else "other")
    return Behaviour(fake.kind, collection, kind_of_id, unique_by, call, result_model or "", not_allowed)


def unify_id_kinds(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    """A collection's id kind comes from its `{id}` path parameter wherever one declares it."""
    declared: dict[str, str] = {}
    for resource in resources:
        for op in resource.operations:
            if op.server.behaviour.kind in ("retrieve", "update", "destroy", "destroy_forbidden", "action_read"):
                declared.setdefault(op.server.behaviour.collection, op.server.behaviour.id_kind)

    def unified(op: Operation) -> Operation:
        served = op.server.behaviour
        kind = declared.get(served.collection, served.id_kind)
        return replace(op, server=replace(op.server, behaviour=replace(served, id_kind=kind)))

    return tuple(replace(r, operations=tuple(unified(op) for op in r.operations)) for r in resources)
