"""Source fragments that depend on one operation's parameters and body: signatures, call arguments, paths."""

from __future__ import annotations

from collections.abc import Mapping

from generator import paths
from generator.model import text
from generator.model.ir import Body, Param
from generator.model.types import Primitive, TypeNode, render

OPTIONS = "**options: Unpack[_rt.RequestOptions]"


def _argument(name: str, node: TypeNode, required: bool, enums: Mapping[str, str]) -> str:
    """An argument's annotation: read-only `Sequence`/`Mapping` instead of the invariant `List`/`Dict` (so a list
    of literals or of a subtype passes), a UUID also as its text, an enum also as its values (`Literal[...]`)."""
    return f"{name}: {render(node, argument=True, enums=enums)}" + ("" if required else " | _rt.Unset = _rt.UNSET")


def _join(path: list[str], positional: list[str], keyword_only: list[str]) -> str:
    return ", ".join(["self", *path, *positional, *(["*", *keyword_only] if keyword_only else []), OPTIONS])


def client_signatures(
    params: tuple[Param, ...], body: Body | None, enums: Mapping[str, str]
) -> tuple[str, str, tuple[str, ...]]:
    """(method signature, signature without the body, overloads) as source, e.g.
    `self, project_id: str, body: DatasetInput | _rt.Unset = _rt.UNSET, *, name: str | _rt.Unset = _rt.UNSET,
    **options: Unpack[_rt.RequestOptions]`. Path parameters are positional or keyword, then the request model
    (when the body's fields are also keywords), the rest keyword-only. A body with required fields gets two
    overloads, so a type checker still requires them when no request model is given. `enums` maps each enum class
    to the literals of its values."""

    def _arg(name: str, node: TypeNode, required: bool) -> str:
        return _argument(name, node, required, enums)

    path = [_arg(p.name, p.type, True) for p in params if p.location == "path"]
    keywords = [_arg(p.name, p.type, p.required) for p in params if p.location != "path"]
    read = _join(path, [], keywords)
    if body is None or not body.fields:
        whole = [_arg("body", body.type, body.required)] if body is not None else []
        return _join(path, [], keywords + whole), read, ()
    model = [_arg("body", body.type, False)]
    signature = _join(path, model, keywords + [_arg(f.name, f.type, False) for f in body.fields])
    if not body.required or not any(f.required for f in body.fields):
        return signature, read, ()
    by_keywords = keywords + [_arg(f.name, f.type, f.required) for f in body.fields]
    return signature, read, (_join(path, [_arg("body", body.type, True)], keywords), _join(path, [], by_keywords))


def call_args(params: tuple[Param, ...], body: Body | None, hint: str, idempotency: str, *, with_body: bool) -> str:
    """The keyword arguments the client passes to the runtime, wire names as keys."""

    def mapping(pairs: list[tuple[str, str]]) -> str:
        return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"

    args = [f"path_params={mapping([(text.literal(p.name), p.name) for p in params if p.location == 'path'])}"]
    for location, keyword in (("query", "query"), ("header", "headers"), ("cookie", "cookies")):
        pairs = [(p.wire, p.value_expr) for p in params if p.location == location]
        if pairs:
            args.append(f"{keyword}={mapping(pairs)}")
    if with_body and body is not None:
        args.append("body=body")
        if body.fields:
            args.append(f"fields={mapping([(f.wire, f.name) for f in body.fields])}")
        if body.media_type != text.literal("application/json"):
            args.append(f"media_type={body.media_type}")
    if with_body and idempotency:
        args.append(f"idempotency={idempotency}")
    if with_body and hint:
        args.append(f"hint={hint}")
    return ", ".join([*args, "options=options"])


def route_params(params: tuple[Param, ...]) -> str:
    """((wire, name, location, explode), ...) for the server's binding."""
    return "(" + "".join(f"({p.wire}, {text.literal(p.name)}, {text.literal(p.location)}, {p.explode}), " for p in params) + ")"


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
    return placeholders.get(node.python, repr("...")) if isinstance(node, Primitive) else repr("...")
