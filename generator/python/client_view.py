"""The client's view of an operation: the signatures of its methods and the runtime calls they return."""

from __future__ import annotations

from generator.api.types import STRING, Const, Named, NoneValue, Nullable, TypeNode, UnionOf
from generator.python import signatures, text
from generator.python.annotation import Part, PythonClass, render, render_parts
from generator.python.ir import Argument, Body, ClientMethod, Pagination, Param
from generator.python.naming import MethodNames
from generator.python.schemas import SchemaViews

# What the client method returns for a result that is not a JSON schema (an event stream: see the template).
_RETURNS: dict[str, tuple[Part, ...]] = {
    "raw": (PythonClass("_rt.RawResult"),), "binary": (PythonClass("bytes"),), "text": (STRING,), "events": (),
}
_RUNTIME_CALLS = {"raw": "_send_raw", "binary": "_send_bytes", "text": "_send_text"}


def client_method(
    views: SchemaViews, named: MethodNames, *, http_method: str, path: str, params: tuple[Param, ...],
    body: Body | None, result: TypeNode, result_kind: str, pagination: Pagination | None,
    events_item: TypeNode | None, error_model: str, refused: str, idempotency: str, doc: str,
) -> ClientMethod:
    """`refused`: the literal of the 405's description when the operation is always refused; `idempotency`: the
    literal of its idempotency header; `doc`: the operation's docstring."""
    result_type = render(result)
    client_path = text.literal(signatures.client_path(path, params))
    call_args = signatures.call_args(params, body, refused, idempotency, with_body=True)
    read_args = signatures.call_args(params, body, refused, idempotency, with_body=False)
    if error_model:
        call_args, read_args = f"error_model={error_model}, {call_args}", f"error_model={error_model}, {read_args}"
    arguments = signatures.client_signatures(params, body)

    def source(args: tuple[Argument, ...]) -> str:
        return signatures.signature_source(args, views.enum_literals)

    signature, read_signature = source(arguments.method), source(arguments.read)
    runtime_call = _RUNTIME_CALLS.get(result_kind)
    if runtime_call:
        call = f'self.{runtime_call}("{http_method}", {client_path}, {call_args})'
    else:
        call = f'self._send("{http_method}", {client_path}, {result_type}, {call_args})'
    page_args = ", ".join(a for a in (pagination.client_paging if pagination else "", read_args) if a)
    stream_args = call_args if result_kind == "binary" else read_args
    plain = _is_plain_type(result, views)
    returns = _RETURNS.get(result_kind, (result,))
    return ClientMethod(
        signature=signature,
        read_signature=read_signature,
        overloads=tuple(source(o) for o in arguments.overloads),
        arguments=arguments,
        returns=render_parts(returns),
        result_parts=returns,
        call=call,
        cast="" if plain or result_kind != "model" else text.literal(result_type),
        page_call=f'self._paginate("{http_method}", {client_path}, {result_type}, {page_args})' if pagination else "",
        pages_call=f'self._pages("{http_method}", {client_path}, {result_type}, {page_args})' if pagination else "",
        stream_name=named.stream,
        stream_signature=signature if result_kind == "binary" else read_signature,
        stream_call=f'self._stream("{http_method}", {client_path}, {stream_args})' if named.stream else "",
        events_name=named.events,
        events_call=f'self._events("{http_method}", {client_path}, {render(events_item)}, {call_args})' if events_item else "",
        events_doc=doc if result_kind == "events" else (
            f"`{named.name}`, answered as server-sent events: iterate them as they arrive; a context manager closes early."
        ),
        example_call=signatures.example_call(named.name, params, body),
    )


def _is_plain_type(node: TypeNode, views: SchemaViews) -> bool:
    """True when mypy types `node` passed as a value as type[node]: not a union (nor an alias of one), Literal or None."""
    if isinstance(node, Named) and node.name in views.aliases:
        return _is_plain_type(views.aliases[node.name].type, views)
    return not isinstance(node, (UnionOf, Nullable, Const, NoneValue))
