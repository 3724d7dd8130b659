"""The Python surface of the generated client and server, read from an Api through its public fields only.

What a user's code touches: client methods (and their streaming and page-walking twins) with their parameters,
server interface methods with the request objects they receive, model classes and their fields, enums and their
members, aliases, and the package, client and resource names. Each item keeps the wire identity it comes from
(method and path, parameter location and wire name, property name, enum value), which is how renames are found.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from generator import paths
from generator.diff.accepts import Typed, argument as argument_type, text, value
from generator.diff.wire import path_shape
from generator.python.ir import Api, Argument, Operation, Resource
from generator.python.signatures import argument_annotation
from generator.python.text import literal

CLIENT, SERVER = "client", "server"
# The type trees are what the surface is compared by; a record holds the annotations as printed (what users' code was
# written against, shown in messages), and the trees are found again from the document it holds (see with_types).
_TREE: dict[str, bool] = {"recorded": False}


@dataclass(frozen=True)
class Arg:
    name: str
    key: str  # wire identity: "query:limit", "path:#1", "body:name", "body"
    annotation: str  # as printed, `_rt.Unset` included
    keyword_only: bool
    required: bool
    position: int  # among the positional parameters, -1 when keyword-only
    type: Typed | None = field(default=None, compare=False, metadata=_TREE)


@dataclass(frozen=True)
class Method:
    target: str  # client or server
    owner: str  # how users reach it: "client.datasets" or the interface class "DatasetsApi"
    name: str
    wire: tuple[str, str]  # (HTTP method, path shape)
    variant: str  # call, stream, pages, events (client); implement (server)
    args: tuple[Arg, ...]
    returns: str  # as printed, "" where the variant's return is not compared
    request_class: str  # server: the request object's class, else ""
    result: Typed | None = field(default=None, compare=False, metadata=_TREE)

    @property
    def dotted(self) -> str:
        return f"{self.owner}.{self.name}"


@dataclass(frozen=True)
class Member:
    name: str
    key: str  # wire name of a field, value of an enum member
    annotation: str  # a field's, as printed; "" for an enum member
    required: bool
    type: Typed | None = field(default=None, compare=False, metadata=_TREE)


@dataclass(frozen=True)
class TypeDef:
    kind: str  # model, input model, enum, alias
    name: str
    members: tuple[Member, ...]
    annotation: str  # an alias's type as printed, else ""
    type: Typed | None = field(default=None, compare=False, metadata=_TREE)


@dataclass(frozen=True)
class Surface:
    names: tuple[tuple[str, str, str], ...]  # (target, what, name): packages, client classes
    resources: tuple[tuple[str, str, str, str], ...]  # (tag, client attribute, client class, server interface)
    methods: tuple[Method, ...]
    types: tuple[TypeDef, ...]


def surface(api: Api) -> Surface:
    names = (
        (CLIENT, "client package", api.client_package),
        (CLIENT, "client class", api.client_class),
        (CLIENT, "async client class", api.async_client_class),
        (SERVER, "server package", api.server_package),
    )
    # Literals in the quotes records have always held them in (text.literal): a record made before black's quotes
    # were printed compares equal.
    resources = tuple((literal(r.tag_name, recorded=True), r.attr, r.class_name, r.interface_name) for r in api.resources)
    enums = {e.name: tuple(literal(m.data, recorded=True) for m in e.members) for e in api.enums}
    methods = tuple(m for r in api.resources for op in r.operations for m in _methods(r, op, enums))
    types = [
        *(TypeDef("input model" if m.is_input else "model", m.name,
                  tuple(_member(f.name, f.wire_name, value(f.type), f.required) for f in m.fields), "") for m in api.models),
        *(TypeDef("enum", e.name, tuple(Member(x.name, key, "", True) for x, key in zip(e.members, enums[e.name])), "")
          for e in api.enums),
        *(TypeDef("alias", a.name, (), text(value(a.type)), value(a.type)) for a in api.aliases),
    ]
    return Surface(names, resources, methods, tuple(types))


def _member(name: str, key: str, typed: Typed, required: bool) -> Member:
    return Member(name, key, text(typed), required, typed)


def _methods(resource: Resource, op: Operation, enums: dict[str, tuple[str, ...]]) -> list[Method]:
    wire = (op.http_method.upper(), path_shape(op.path))
    placeholders = paths.placeholders(op.path)
    signatures = op.client.arguments
    # The last overload is the keyword form: there, body fields are as required as the document says.
    required = {a.name: a.required for a in signatures.overloads[-1]} if signatures.overloads else {}
    literals = {name: ", ".join(values) for name, values in enums.items()}
    args: list[Arg] = []
    for argument in signatures.method:
        position = -1 if argument.keyword_only else len(args)
        args.append(Arg(argument.name, _key(argument, placeholders), argument_annotation(argument, literals, recorded=True),
                        argument.keyword_only, required.get(argument.name, argument.required), position,
                        argument_type(argument.type, enums)))
    owner = f"client.{resource.attr}"
    found = [_method(CLIENT, owner, op.method_name, wire, "call", args, _client_result(op))]
    if op.client.stream_name:
        found.append(_method(CLIENT, owner, op.client.stream_name, wire, "stream", args, value()))
    if op.pagination is not None:
        found.append(_method(CLIENT, owner, op.pagination.iterator_name, wire, "pages", args, value()))
    if op.client.events_name and op.client.events_name != op.method_name and op.events_item is not None:
        found.append(_method(CLIENT, owner, op.client.events_name, wire, "events", args, value(op.events_item)))
    request_fields = [
        Arg(p.name, _key(Argument(p.name, p.location, p.wire_name, p.type, p.required, True), placeholders),
            text(value(p.type)), True, p.required, -1, value(p.type))
        for p in op.params
    ]
    if op.body is not None:
        body = value(op.body.type)
        request_fields.append(Arg("body", "body", text(body), True, op.body.required, -1, body))
    found.append(_method(SERVER, resource.interface_name, op.method_name, wire, "implement", request_fields,
                         _server_result(op), op.server.request_class))
    return found


def _method(target: str, owner: str, name: str, wire: tuple[str, str], variant: str, args: list[Arg], result: Typed,
            request_class: str = "") -> Method:
    return Method(target, owner, name, wire, variant, tuple(args), text(result), request_class, result)


def _client_result(op: Operation) -> Typed:
    """What the client method returns (an events-only answer has its own method, the events variant)."""
    return value(*op.client.result_parts)


def _server_result(op: Operation) -> Typed:
    """What an implementation returns."""
    return value(*op.server.result_parts)


def _key(argument: Argument, placeholders: list[str]) -> str:
    """An argument's wire identity: a path parameter by its place in the path, so renaming it is no change."""
    if argument.location == "path" and argument.wire in placeholders:
        return f"path:#{placeholders.index(argument.wire) + 1}"
    return f"{argument.location}:{argument.wire}" if argument.location else "body"


def with_types(recorded: Surface, built: Surface | None) -> Surface:
    """A surface read from a record, with each annotation's tree taken from `built` (the surface this generator
    makes of the recorded document) wherever `built` prints the same annotation there; elsewhere (no such item, or an
    earlier generator printed it otherwise) the annotation is known as printed only."""
    methods = {(m.target, m.wire, m.variant): m for m in built.methods} if built is not None else {}
    types = {t.name: t for t in built.types} if built is not None else {}

    def typed(printed: str, source: Arg | Method | Member | TypeDef | None) -> Typed | None:
        if source is None:
            return None
        tree, source_text = (source.result, source.returns) if isinstance(source, Method) else (source.type, source.annotation)
        return tree if source_text == printed else None

    def method(m: Method) -> Method:
        twin = methods.get((m.target, m.wire, m.variant))
        twin_args = {a.key: a for a in twin.args} if twin is not None else {}
        args = tuple(replace(a, type=typed(a.annotation, twin_args.get(a.key))) for a in m.args)
        return replace(m, args=args, result=typed(m.returns, twin))

    def type_def(t: TypeDef) -> TypeDef:
        twin = types.get(t.name)
        if t.kind == "enum":
            return t
        twin_members = {x.key: x for x in twin.members} if twin is not None else {}
        members = tuple(replace(x, type=typed(x.annotation, twin_members.get(x.key))) for x in t.members)
        return replace(t, members=members, type=typed(t.annotation, twin) if t.kind == "alias" else None)

    return replace(recorded, methods=tuple(method(m) for m in recorded.methods), types=tuple(type_def(t) for t in recorded.types))


def surface_to_json(value: Surface) -> Any:
    """The surface as the record holds it: names, wire identities and annotations as printed (not the trees)."""
    return _recorded(value)


def _recorded(item: Any) -> Any:
    if is_dataclass(item) and not isinstance(item, type):
        return {f.name: _recorded(getattr(item, f.name)) for f in fields(item) if f.metadata.get("recorded", True)}
    if isinstance(item, tuple):
        return [_recorded(x) for x in item]
    return item


def surface_from_json(data: Any) -> Surface:
    """The inverse of surface_to_json (the trees are added by with_types); ValueError when `data` is not one (a
    damaged or foreign record)."""
    try:
        return Surface(
            names=tuple((str(a), str(b), str(c)) for a, b, c in data["names"]),
            resources=tuple((str(a), str(b), str(c), str(d)) for a, b, c, d in data["resources"]),
            methods=tuple(
                Method(**{**m, "wire": tuple(m["wire"]), "args": tuple(Arg(**a) for a in m["args"])}) for m in data["methods"]
            ),
            types=tuple(TypeDef(**{**t, "members": tuple(Member(**x) for x in t["members"])}) for t in data["types"]),
        )
    except (TypeError, KeyError, ValueError) as exc:
        raise ValueError(f"not a recorded surface ({type(exc).__name__})") from None
