"""The server's view of an operation: its route, request object, interface method and what the fake does."""

from __future__ import annotations

from generator.api.operations import Operation as OperationFacts
from generator.api.types import Named, TypeNode
from generator.errors import Finding
from generator.python import signatures, text
from generator.python.annotation import render
from generator.python.behaviour import behaviour
from generator.python.ir import Param, ServerRoute
from generator.python.schemas import SchemaViews


def server_route(
    views: SchemaViews, facts: OperationFacts, *, request_class: str, params: tuple[Param, ...], result: TypeNode,
    result_id_type: TypeNode, events_item: TypeNode | None, refused: str,
) -> ServerRoute:
    """`result_id_type`: the type of the id of the result (or of its page items), for the fake; `refused`: the
    literal of the 405's description when the operation is always refused."""
    op, result_kind, result_type = facts.view, facts.success.kind, render(result)
    result_model = result.name if isinstance(result, Named) and result.kind == "model" else None
    served = behaviour(
        facts, params, result_model=result_model, result_id_type=result_id_type, result_kind=result_kind,
        not_allowed=refused, result_type=result_type,
    )
    if served.kind == "list" and facts.unclassified_items:
        views.warnings.append(Finding(
            f"cannot tell how this list pages (its items are in {facts.unclassified_items!r}): declare x-pagination"
            " on the operation (style next, cursor, offset, page, link or all)",
            op.pointer,
            "unsupported",
        ))
    if served.memory_call == "unsupported":
        views.warnings.append(Finding(
            f"the in-memory server cannot serve this operation ({served.kind}): it answers 501", op.pointer, "unsupported"
        ))
    return ServerRoute(
        request_class=request_class,
        path=text.literal(signatures.server_path(op.path, params)),
        result=_result(result_kind, result_type, events_item),
        scopes=text.literal(facts.scopes),
        route_params=signatures.route_params(params),
        behaviour=served,
        soft_delete=tuple((text.literal(wire), text.literal(value)) for wire, value in facts.soft_delete),
    )


def _result(result_kind: str, result_type: str, events_item: TypeNode | None) -> str:
    """What the implementation returns: a model (or events too), bytes or a stream, text, events, a Reply."""
    events = f"_rt.Events[{render(events_item)}]" if events_item is not None else ""
    if result_kind == "model" and events:
        return f"{result_type} | {events}"
    # A Reply is always accepted; the in-memory fake answers text and binary actions with one.
    found = {"raw": "_rt.Reply", "none": "None", "binary": "_rt.Binary | _rt.Reply", "text": "str | _rt.Reply"}
    found["events"] = events
    return found.get(result_kind, result_type)
