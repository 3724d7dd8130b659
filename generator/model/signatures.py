"""Source fragments that depend on one operation's parameters and body: signatures, call arguments, paths."""

from __future__ import annotations

import re

from generator.model import text
from generator.model.ir import Body, Param

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def client_signature(params: tuple[Param, ...], body: Body | None) -> str:
    """`self, project_id: str, *, limit: int | _rt.Unset = _rt.UNSET`: path parameters positional or keyword,
    the rest keyword-only, required before optional; body fields flattened into keywords."""
    path = [f"{p.name}: {p.type_expr}" for p in params if p.location == "path"]
    required = [f"{p.name}: {p.type_expr}" for p in params if p.location != "path" and p.required]
    optional = [f"{p.name}: {p.type_expr} | _rt.Unset = _rt.UNSET" for p in params if p.location != "path" and not p.required]
    if body is not None and body.fields:
        required += [f"{f.name}: {f.type_expr}" for f in body.fields if f.required]
        optional += [f"{f.name}: {f.type_expr} | _rt.Unset = _rt.UNSET" for f in body.fields if not f.required]
    elif body is not None:
        (required if body.required else optional).append(
            f"body: {body.type_expr}" if body.required else f"body: {body.type_expr} | _rt.Unset = _rt.UNSET"
        )
    keyword_only = required + optional
    return ", ".join(["self", *path, *(["*", *keyword_only] if keyword_only else [])])


def call_args(params: tuple[Param, ...], body: Body | None, hint: str, *, with_body: bool) -> str:
    """The keyword arguments the client passes to the runtime, wire names as keys."""

    def mapping(pairs: list[tuple[str, str]]) -> str:
        return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"

    args = [f"path_params={mapping([(text.literal(p.name), p.name) for p in params if p.location == 'path'])}"]
    for location, keyword in (("query", "query"), ("header", "headers"), ("cookie", "cookies")):
        pairs = [(p.wire, p.value_expr) for p in params if p.location == location]
        if pairs:
            args.append(f"{keyword}={mapping(pairs)}")
    if with_body and body is not None:
        args.append(f"body={mapping([(f.wire, f.name) for f in body.fields])}" if body.fields else "body=body")
        if body.media_type != text.literal("application/json"):
            args.append(f"media_type={body.media_type}")
    if with_body and hint:
        args.append(f"hint={hint}")
    return ", ".join(args)


def route_params(params: tuple[Param, ...]) -> str:
    """((wire, name, location, explode), ...) for the server's binding."""
    return "(" + "".join(f"({p.wire}, {text.literal(p.name)}, {text.literal(p.location)}, {p.explode}), " for p in params) + ")"


def request_field(param: Param) -> str:
    """The parameter as a field of the server's request model."""
    alias = "" if text.literal(param.name) == param.wire else f"alias={param.wire}"
    if param.required:
        return f"{param.name}: {param.type_expr}" + (f" = Field({alias})" if alias else "")
    return f"{param.name}: {param.type_expr} | None = " + (f"Field(None, {alias})" if alias else "None")


def server_path(path: str, params: tuple[Param, ...]) -> str:
    """Route placeholders must be identifiers: use each parameter's Python name."""
    by_wire = {p.wire: p.name for p in params if p.location == "path"}
    return _PLACEHOLDER.sub(lambda m: "{" + by_wire.get(text.literal(m.group(1)), "_") + "}", path)


def client_path(path: str, params: tuple[Param, ...]) -> str:
    """Placeholders become Python names (safe for format_map); any other brace is doubled to stay literal."""
    by_wire = {p.wire: p.name for p in params if p.location == "path"}
    pieces = []
    last = 0
    for match in _PLACEHOLDER.finditer(path):
        pieces.append(path[last : match.start()].replace("{", "{{").replace("}", "}}"))
        pieces.append("{" + by_wire.get(text.literal(match.group(1)), "_") + "}")
        last = match.end()
    pieces.append(path[last:].replace("{", "{{").replace("}", "}}"))
    return "".join(pieces)


def example_call(method_name: str, params: tuple[Param, ...], body: Body | None) -> str:
    """One call for the README, with placeholder values for the required arguments."""
    placeholders = {"int": "1", "float": "1.0", "bool": "True"}
    args = [f"{p.name}={placeholders.get(p.type_expr, repr('...'))}" for p in params if p.required]
    if body is not None:
        args += [f"{f.name}={placeholders.get(f.type_expr, repr('...'))}" for f in body.fields if f.required]
    return f"{method_name}({', '.join(args)})"
