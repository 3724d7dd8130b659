"""The client's view of an operation: the signatures of its methods and the runtime calls they return."""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.api.types import STRING, Const, Named, NoneValue, Nullable, TypeNode, UnionOf
from generator.python import layout, signatures, text
from generator.python.annotation import Part, PythonClass, render, render_parts
from generator.python.ir import Body, ClientFlavour, ClientMethod, Pagination, Param
from generator.python.layout import Brackets, Expression
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
    leading: tuple[Expression, ...] = (f'"{http_method}"', layout.Whole(text.literal(signatures.client_path(path, params))))
    call_args = signatures.call_args(params, body, refused, idempotency, with_body=True)
    read_args = signatures.call_args(params, body, refused, idempotency, with_body=False)
    if error_model:
        call_args, read_args = (f"error_model={error_model}", *call_args), (f"error_model={error_model}", *read_args)
    arguments = signatures.client_signatures(params, body)
    plain = _is_plain_type(result, views)
    returns = _RETURNS.get(result_kind, (result,))
    # The cast's type as a string: its own string literals in repr's quotes, as it has always been printed.
    cast = "" if plain or result_kind != "model" else text.literal(render(result, recorded=True))
    runtime_call = _RUNTIME_CALLS.get(result_kind)
    typed = () if runtime_call else (result_type,)
    page_args = (pagination.client_paging,) if pagination and pagination.client_paging else ()
    calls = _Calls(
        call=layout.call(f"self.{runtime_call or '_send'}", *leading, *typed, *call_args),
        cast=cast,
        page=layout.call("self._paginate", *leading, result_type, *page_args, *read_args),
        pages=layout.call("self._pages", *leading, result_type, *page_args, *read_args),
        stream=layout.call("self._stream", *leading, *(call_args if result_kind == "binary" else read_args)),
        events=layout.call("self._events", *leading, render(events_item), *call_args) if events_item else None,
    )
    shape = _Shape(
        named, result_kind, pagination, render_parts(returns), render(events_item) if events_item else "",
        [signatures.parameters(a, views.enum_literals) for a in (arguments.method, arguments.read, *arguments.overloads)],
    )
    return ClientMethod(
        arguments=arguments,
        returns=shape.returns,
        result_parts=returns,
        cast=cast,
        stream_name=named.stream,
        events_name=named.events,
        events_doc=doc if result_kind == "events" else (
            f"`{named.name}`, answered as server-sent events: iterate them as they arrive; a context manager closes early."
        ),
        example_call=signatures.example_call(named.name, params, body),
        sync=_flavour(shape, calls, asynchronous=False),
        asynchronous=_flavour(shape, calls, asynchronous=True),
    )


@dataclass(frozen=True)
class _Calls:
    """The runtime calls an operation's methods return."""

    call: Brackets
    cast: str
    page: Brackets
    pages: Brackets
    stream: Brackets
    events: Brackets | None


@dataclass(frozen=True)
class _Shape:
    """What an operation's methods are called, take and return, in either flavour."""

    named: MethodNames
    result_kind: str
    pagination: Pagination | None
    returns: str
    events_type: str
    parameters: list[tuple[Expression, ...]]  # of the method, of its read variants, then of each overload


# Method bodies are one level deeper than the `def` (at one level in its class).
_DEF, _BODY = 1, 2


def _flavour(shape: _Shape, calls: _Calls, *, asynchronous: bool) -> ClientFlavour:
    """Each `def` and `return` of one flavour: an async method awaits the runtime, a sync one returns its result."""
    maybe_async, maybe_await = ("async ", "await ") if asynchronous else ("", "")
    named, pagination = shape.named, shape.pagination
    method, read, *overloads = shape.parameters
    stream_parameters = method if shape.result_kind == "binary" else read

    def define(
        name: str, parameters: tuple[Expression, ...], returns: Expression, *, awaits: bool = True, stub: bool = False
    ) -> str:
        head = f"{maybe_async if awaits else ''}def {name}"
        return layout.definition(_DEF, head, parameters, returns, ": ..." if stub else ":")

    def give(runtime_call: Brackets, *, awaits: bool = True, cast: str = "") -> str:
        awaited = replace(runtime_call, head=(maybe_await if awaits else "") + runtime_call.head)
        if cast:
            return layout.statement(_BODY, layout.call("cast", cast, awaited), "return ")
        return layout.statement(_BODY, awaited, "return ")

    answers = shape.result_kind != "events"
    page_type = f"{pagination.item_type}" if pagination else ""
    stream_type = "AsyncContextManager[_rt.AsyncStreamedResponse]" if asynchronous else "ContextManager[_rt.StreamedResponse]"
    return ClientFlavour(
        overloads=tuple(define(named.name, o, shape.returns, stub=True) for o in overloads) if answers else (),
        method=define(named.name, method, shape.returns) if answers else "",
        call=give(calls.call, cast=calls.cast) if answers else "",
        events=define(named.events, method, Brackets(f"_rt.{'Async' if asynchronous else ''}EventStream", (shape.events_type,), "["))
        if calls.events else "",
        events_call=give(calls.events) if calls.events else "",
        iterator=define(pagination.iterator_name, read, Brackets("AsyncIterator" if asynchronous else "Iterator", (page_type,), "["),
                        awaits=False) if pagination else "",
        iterator_call=give(calls.page, awaits=False) if pagination else "",
        pages=define(pagination.pages_name, read,
                     Brackets(f"_rt.{'AsyncPage' if asynchronous else 'SyncPage'}", (page_type, shape.returns), "[")) if pagination else "",
        pages_call=give(calls.pages) if pagination else "",
        stream=define(named.stream, stream_parameters, stream_type, awaits=False) if named.stream else "",
        stream_call=give(calls.stream, awaits=False) if named.stream else "",
    )


def _is_plain_type(node: TypeNode, views: SchemaViews) -> bool:
    """True when mypy types `node` passed as a value as type[node]: not a union (nor an alias of one), Literal or None."""
    if isinstance(node, Named) and node.name in views.aliases:
        return _is_plain_type(views.aliases[node.name].type, views)
    return not isinstance(node, (UnionOf, Nullable, Const, NoneValue))
