"""The server's view of an operation: its route, request object, interface method and what the fake does."""

from __future__ import annotations

from generator.api.operations import Operation as OperationFacts
from generator.api.types import NONE, STRING, Named, TypeNode
from generator.errors import Finding
from generator.python import layout, signatures, text
from generator.python.annotation import Events, Part, PythonClass, render, render_parts
from generator.python.behaviour import behaviour
from generator.python.ir import Param, ServerRoute
from generator.python.schemas import SchemaViews


def server_route(
    views: SchemaViews, facts: OperationFacts, *, method_name: str, request_class: str, params: tuple[Param, ...],
    result: TypeNode, result_id_type: TypeNode, events_item: TypeNode | None, refused: str,
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
    parts = _result(result_kind, result, events_item)
    parameters = ("self", f"request: requests.{request_class}", "ctx: _rt.Context")
    return ServerRoute(
        method=layout.definition(1, f"async def {method_name}", parameters, render_parts(parts)),
        request_class=request_class,
        path=text.literal(signatures.server_path(op.path, params)),
        result=render_parts(parts),
        result_parts=parts,
        scopes=text.literal(facts.scopes),
        route_params=signatures.route_params(params),
        behaviour=served,
        soft_delete=tuple((text.literal(wire), text.literal(value)) for wire, value in facts.soft_delete),
    )


def _result(result_kind: str, result: TypeNode, events_item: TypeNode | None) -> tuple[Part, ...]:
    """What the implementation returns: a model (or events too), bytes or a stream, text, events; a Reply is
    accepted wherever the in-memory fake may answer one."""
    events: tuple[Part, ...] = (Events(events_item),) if events_item is not None else ()
    reply = PythonClass("_rt.Reply")
    found: dict[str, tuple[Part, ...]] = {
        "raw": (reply,), "none": (NONE,), "binary": (PythonClass("_rt.Binary"), reply), "text": (STRING, reply),
        "events": events,
    }
    return found.get(result_kind, (result, *events))
