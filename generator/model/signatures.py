"""Source fragments that depend on one operation's parameters and body: signatures, call arguments, paths."""

from __future__ import annotations

import re
from collections.abc import Mapping

from generator.model import text
from generator.model.ir import Body, Param

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


OPTIONS = "**options: Unpack[_rt.RequestOptions]"
# Outside string literals, the names of an annotation.
_INPUT_TOKENS = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|\b([A-Za-z_][A-Za-z0-9_]*)\b""")
_INPUT_NAMES = {"List": "Sequence", "Dict": "Mapping", "UUID": "UUID | str"}


def input_type(expr: str, enums: Mapping[str, str]) -> str:
    """An argument's annotation: read-only `Sequence`/`Mapping` instead of the invariant `List`/`Dict` (so a list
    of literals or of a subtype passes), a UUID also as its text, an enum also as its values (`Literal[...]`).
    `enums` maps each enum class to the literals of its values."""
    names = {**_INPUT_NAMES, **{name: f"{name} | Literal[{values}]" for name, values in enums.items()}}
    return _INPUT_TOKENS.sub(lambda m: m.group(1) or names.get(m.group(2), m.group(2)), expr)


def client_signatures(
    params: tuple[Param, ...], body: Body | None, enums: Mapping[str, str]
) -> tuple[str, str, tuple[str, ...]]:
    """(method signature, signature without the body, overloads) as source, e.g.
    `self, project_id: str, body: DatasetInput | _rt.Unset = _rt.UNSET, *, name: str | _rt.Unset = _rt.UNSET,
    **options: Unpack[_rt.RequestOptions]`. Path parameters are positional or keyword, then the request model
    (when the body's fields are also keywords), the rest keyword-only. A body with required fields gets two
    overloads, so a type checker still requires them when no request model is given."""

    def arg(name: str, expr: str, required: bool) -> str:
        return f"{name}: {input_type(expr, enums)}" + ("" if required else " | _rt.Unset = _rt.UNSET")

    path = [arg(p.name, p.type_expr, True) for p in params if p.location == "path"]
    keywords = [arg(p.name, p.type_expr, p.required) for p in params if p.location != "path"]
    read = _join(path, [], keywords)
    if body is None or not body.fields:
        whole = [arg("body", body.type_expr, body.required)] if body is not None else []
        return _join(path, [], keywords + whole), read, ()
    model = [arg("body", body.type_expr, False)]
    signature = _join(path, model, keywords + [arg(f.name, f.type_expr, False) for f in body.fields])
    if not body.required or not any(f.required for f in body.fields):
        return signature, read, ()
    by_keywords = keywords + [arg(f.name, f.type_expr, f.required) for f in body.fields]
    return signature, read, (_join(path, [arg("body", body.type_expr, True)], keywords), _join(path, [], by_keywords))


def _join(path: list[str], positional: list[str], keyword_only: list[str]) -> str:
    return ", ".join(["self", *path, *positional, *(["*", *keyword_only] if keyword_only else []), OPTIONS])


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
    alias = "" if text.literal(param.name) == param.wire else f"alias={param.wire}"
    if param.required:
        return f"{param.name}: {param.type_expr}" + (f" = Field({alias})" if alias else "")
    return f"{param.name}: {param.type_expr} | None = " + (f"Field(default=None, {alias})" if alias else "None")


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
