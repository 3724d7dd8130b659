"""Source fragments that depend on one operation's parameters and body: signatures, call arguments, paths."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from generator import paths
from generator.python import layout, text
from generator.python.layout import Expression, Hinted
from generator.python.ir import Argument, Body, Param, Signatures
from generator.api.types import Primitive, TypeNode
from generator.python.annotation import alternatives, python_name

OPTIONS = "**options: Unpack[_rt.RequestOptions]"


def client_signatures(params: tuple[Param, ...], body: Body | None) -> Signatures:
    """Path parameters are positional or keyword, then the request model (when the body's fields are also
    keywords), the rest keyword-only. A body with required fields gets two overloads, so a type checker still
    requires them when no request model is given."""
    path = [Argument(p.name, "path", p.wire_name, p.type, True, False) for p in params if p.location == "path"]
    keywords = [
        Argument(p.name, p.location, p.wire_name, p.type, p.required, True) for p in params if p.location != "path"
    ]
    read = (*path, *keywords)
    if body is None or not body.fields:
        whole = [Argument("body", "", "", body.type, body.required, True)] if body is not None else []
        return Signatures((*read, *whole), read, ())

    def fields(required: bool) -> list[Argument]:
        return [Argument(f.name, "body", f.wire_name, f.type, f.required and required, True) for f in body.fields]

    model = Argument("body", "", "", body.type, False, False)
    method = (*path, model, *keywords, *fields(False))
    if not body.required or not any(f.required for f in body.fields):
        return Signatures(method, read, ())
    by_model = (*path, replace(model, required=True), *keywords)
    return Signatures(method, read, (by_model, (*read, *fields(True))))


def parameters(arguments: tuple[Argument, ...], enums: Mapping[str, str]) -> tuple[Expression, ...]:
    """Each parameter's source, `self`, `*` and `**options` included. An argument's annotation is read-only
    (`Sequence`/`Mapping`, so a list of literals or of a subtype passes), a UUID also takes its text and an enum
    also its values (`Literal[...]`); `enums` maps each enum class to the literals of its values."""
    parts: list[Expression] = ["self"]
    for index, argument in enumerate(arguments):
        if argument.keyword_only and (index == 0 or not arguments[index - 1].keyword_only):
            parts.append("*")
        if argument.required:
            parts.append(f"{argument.name}: {argument_annotation(argument, enums)}")
        else:
            parts.append(Hinted(argument.name, argument_alternatives(argument, enums), "_rt.UNSET"))
    return (*parts, OPTIONS)


def argument_annotation(argument: Argument, enums: Mapping[str, str], *, recorded: bool = False) -> str:
    """`recorded`: as the change report's records print it (text.literal)."""
    return " | ".join(argument_alternatives(argument, enums, recorded=recorded))


def argument_alternatives(argument: Argument, enums: Mapping[str, str], *, recorded: bool = False) -> tuple[str, ...]:
    """The alternatives of an argument's annotation: its type's, and `_rt.Unset` when it may be left out."""
    found = alternatives(argument.type, argument=True, enums=enums, recorded=recorded)
    return found if argument.required else (*found, "_rt.Unset")


def call_args(
    params: tuple[Param, ...], body: Body | None, hint: str, idempotency: str, *, with_body: bool
) -> tuple[Expression, ...]:
    """The keyword arguments the client passes to the runtime, wire names as keys."""

    def mapping(keyword: str, pairs: list[tuple[str, str]]) -> Expression:
        return layout.display(f"{keyword}=", "{", tuple(f"{key}: {value}" for key, value in pairs))

    args = [mapping("path_params", [(text.literal(p.name), p.name) for p in params if p.location == "path"])]
    for location, keyword in (("query", "query"), ("header", "headers"), ("cookie", "cookies")):
        pairs = [(p.wire, p.value_expr) for p in params if p.location == location]
        if pairs:
            args.append(mapping(keyword, pairs))
    if with_body and body is not None:
        args.append("body=body")
        if body.fields:
            args.append(mapping("fields", [(f.wire, f.name) for f in body.fields]))
        if body.media_type != text.literal("application/json"):
            args.append(f"media_type={body.media_type}")
    if with_body and idempotency:
        args.append(f"idempotency={idempotency}")
    if with_body and hint:
        args.append(f"hint={hint}")
    return (*args, "options=options")


def route_params(params: tuple[Param, ...]) -> str:
    """((wire, name, location, explode), ...) for the server's binding, laid out as black prints it as the
    `params=` argument of a route (app.py: two levels deep)."""
    items = tuple(f"({p.wire}, {text.literal(p.name)}, {text.literal(p.location)}, {p.explode})" for p in params)
    return layout.comma_after_each(2, items, "params=", ",")


def request_field(param: Param) -> str:
    """The parameter as a field of the server's request model."""
    alias = f"alias={param.wire}" if param.needs_alias else ""
    if param.required:
        return f"{param.name}: {param.type_expr}" + (f" = Field({alias})" if alias else "")
    return f"{param.name}: {param.type_expr} | None = " + (f"Field(default=None, {alias})" if alias else "None")


def server_path(path: str, params: tuple[Param, ...]) -> str:
    """Route placeholders must be identifiers: use each parameter's Python name."""
    by_wire = {p.wire: p.name for p in params if p.location == "path"}
    return paths.fill(path, lambda name: "{" + by_wire.get(text.literal(name), "_") + "}")


def client_path(path: str, params: tuple[Param, ...]) -> str:
    """Placeholders become Python names (safe for format_map); any other brace is doubled to stay literal."""
    by_wire = {p.wire: p.name for p in params if p.location == "path"}
    return "".join(
        "{" + by_wire.get(text.literal(piece), "_") + "}" if is_name else piece.replace("{", "{{").replace("}", "}}")
        for piece, is_name in paths.split(path)
    )


def example_call(method_name: str, params: tuple[Param, ...], body: Body | None) -> str:
    """One call for the README, with placeholder values for the required arguments."""
    args = [f"{p.name}={_placeholder(p.type)}" for p in params if p.required]
    if body is not None:
        args += [f"{f.name}={_placeholder(f.type)}" for f in body.fields if f.required]
    return f"{method_name}({', '.join(args)})"


def _placeholder(node: TypeNode) -> str:
    placeholders = {"int": "1", "float": "1.0", "bool": "True"}
    return placeholders.get(python_name(node), repr("...")) if isinstance(node, Primitive) else repr("...")
