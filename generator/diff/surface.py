"""The Python surface of the generated client and server, read from an Api through its public fields only.

What a user's code touches: client methods (and their streaming and page-walking twins) with their parameters,
server interface methods with the request objects they receive, model classes and their fields, enums and their
members, aliases, and the package, client and resource names. Each item keeps the wire identity it comes from
(method and path, parameter location and wire name, property name, enum value), which is how renames are found.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass, replace
from typing import Any

from generator.diff.change import MODELS
from generator.diff.wire import path_shape
from generator import paths
from generator.python.ir import Api, Argument, Operation, Resource
from generator.python.signatures import argument_annotation

CLIENT, SERVER = "client", "server"


@dataclass(frozen=True)
class Arg:
    name: str
    key: str  # wire identity: "query:limit", "path:#1", "body:name", "body"
    annotation: str
    keyword_only: bool
    required: bool
    position: int  # among the positional parameters, -1 when keyword-only


@dataclass(frozen=True)
class Method:
    target: str  # client or server
    owner: str  # how users reach it: "client.datasets" or the interface class "DatasetsApi"
    name: str
    wire: tuple[str, str]  # (HTTP method, path shape)
    variant: str  # call, stream, pages (client); implement (server)
    args: tuple[Arg, ...]
    returns: str
    request_class: str  # server: the request object's class, else ""

    @property
    def dotted(self) -> str:
        return f"{self.owner}.{self.name}"


@dataclass(frozen=True)
class Member:
    name: str
    key: str  # wire name of a field, value of an enum member
    annotation: str
    required: bool


@dataclass(frozen=True)
class TypeDef:
    kind: str  # model, input model, enum, alias
    name: str
    members: tuple[Member, ...]
    annotation: str  # an alias's type, else ""


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
    resources = tuple((r.tag, r.attr, r.class_name, r.interface_name) for r in api.resources)
    enums = {e.name: ", ".join(m.value for m in e.members) for e in api.enums}
    methods = tuple(m for r in api.resources for op in r.operations for m in _methods(r, op, enums))
    types = [
        *(TypeDef("input model" if m.is_input else "model", m.name,
                  tuple(Member(f.name, f.wire_name, f.type_expr, f.required) for f in m.fields), "") for m in api.models),
        *(TypeDef("enum", e.name, tuple(Member(x.name, x.value, "", True) for x in e.members), "") for e in api.enums),
        *(TypeDef("alias", a.name, (), a.type_expr) for a in api.aliases),
    ]
    return Surface(names, resources, methods, tuple(types))


def _methods(resource: Resource, op: Operation, enums: dict[str, str]) -> list[Method]:
    wire = (op.http_method.upper(), path_shape(op.path))
    placeholders = paths.placeholders(op.path)
    signatures = op.client.arguments
    # The last overload is the keyword form: there, body fields are as required as the document says.
    required = {a.name: a.required for a in signatures.overloads[-1]} if signatures.overloads else {}
    args: list[Arg] = []
    for argument in signatures.method:
        position = -1 if argument.keyword_only else len(args)
        args.append(Arg(argument.name, _key(argument, placeholders), argument_annotation(argument, enums),
                        argument.keyword_only, required.get(argument.name, argument.required), position))
    owner = f"client.{resource.attr}"
    found = [Method(CLIENT, owner, op.method_name, wire, "call", tuple(args), op.client.returns, "")]
    if op.client.stream_name:
        found.append(Method(CLIENT, owner, op.client.stream_name, wire, "stream", tuple(args), "", ""))
    if op.pagination is not None:
        found.append(Method(CLIENT, owner, op.pagination.iterator_name, wire, "pages", tuple(args), "", ""))
    if op.client.events_name and op.client.events_name != op.method_name:
        found.append(Method(CLIENT, owner, op.client.events_name, wire, "events", tuple(args), op.events_type, ""))
    request_fields = [
        Arg(p.name, _key(Argument(p.name, p.location, p.wire_name, p.type, p.required, True), placeholders),
            p.type_expr, True, p.required, -1)
        for p in op.params
    ]
    if op.body is not None:
        request_fields.append(Arg("body", "body", op.body.type_expr, True, op.body.required, -1))
    found.append(Method(SERVER, resource.interface_name, op.method_name, wire, "implement", tuple(request_fields),
                        op.server.result, op.server.request_class))
    return found


def _key(argument: Argument, placeholders: list[str]) -> str:
    """An argument's wire identity: a path parameter by its place in the path, so renaming it is no change."""
    if argument.location == "path" and argument.wire in placeholders:
        return f"path:#{placeholders.index(argument.wire) + 1}"
    return f"{argument.location}:{argument.wire}" if argument.location else "body"


def union_members(annotation: str) -> frozenset[str]:
    """`int | str | _rt.Unset` -> {"int", "str"}: the alternatives a value may take (Unset stands for "not sent",
    which `required` already says)."""
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return frozenset({annotation})
    members: list[str] = []

    def walk(node: ast.expr) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("Optional", "typing.Optional"):
            walk(node.slice)
            members.append("None")
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("Union", "typing.Union") and isinstance(node.slice, ast.Tuple):
            for element in node.slice.elts:
                walk(element)
        else:
            members.append(ast.unparse(node))

    walk(tree)
    return frozenset(m for m in members if m != "_rt.Unset")


def direction(old: str, new: str) -> str:
    """"same", "narrowed" (accepts less), "widened" (accepts more) or "changed". A read-only container accepts what
    its invariant twin does (`List[X]` -> `Sequence[X | str]` is widened), so an argument made more accepting is
    never reported as breaking its callers."""
    if old == new or union_members(old) == union_members(new):
        return "same"
    wider, narrower = _accepts(new, old), _accepts(old, new)
    if wider and narrower:
        return "same"
    return "widened" if wider else "narrowed" if narrower else "changed"


_READ_ONLY = {"List": {"List", "Sequence"}, "Sequence": {"Sequence"}, "Dict": {"Dict", "Mapping"}, "Mapping": {"Mapping"}}


def _accepts(outer: str, inner: str) -> bool:
    """Every value `inner` allows is one `outer` allows."""
    try:
        return _node_accepts(ast.parse(outer, mode="eval").body, ast.parse(inner, mode="eval").body)
    except SyntaxError:
        return outer == inner


def _members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) + _members(node.right)
    return [node]


def _node_accepts(outer: ast.expr, inner: ast.expr) -> bool:
    return all(any(_member_accepts(o, i) for o in _members(outer)) for i in _members(inner))


def _literal_values(node: ast.Subscript) -> set[str]:
    return {ast.unparse(e) for e in (node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice])}


def _member_accepts(outer: ast.expr, inner: ast.expr) -> bool:
    if ast.dump(outer) == ast.dump(inner):
        return True
    if not (isinstance(outer, ast.Subscript) and isinstance(inner, ast.Subscript)):
        return False
    head_out, head_in = ast.unparse(outer.value), ast.unparse(inner.value)
    if head_out == head_in == "Literal":
        return _literal_values(inner) <= _literal_values(outer)
    if head_out not in _READ_ONLY.get(head_in, set()):
        return False
    args_out = outer.slice.elts if isinstance(outer.slice, ast.Tuple) else [outer.slice]
    args_in = inner.slice.elts if isinstance(inner.slice, ast.Tuple) else [inner.slice]
    return len(args_out) == len(args_in) and all(_node_accepts(o, i) for o, i in zip(args_out, args_in))


def surface_to_json(value: Surface) -> Any:
    return asdict(value)


def surface_from_json(data: Any) -> Surface:
    """The inverse of surface_to_json; ValueError when `data` is not one (a damaged or foreign record)."""
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
