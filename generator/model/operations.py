"""Operations to resources: parameters, bodies, results, pagination, scopes and in-memory behaviour."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator.model import names, text
from generator.model.ir import Behaviour, Body, Field, Operation, Pagination, Param, Resource
from generator.model.schemas import COMPONENT_PREFIX, SchemaTypes
from generator.validate import HTTP_METHODS, deref

_JSON = re.compile(r"^application/([a-z0-9.+-]*\+)?json$")
_FORM = ("application/x-www-form-urlencoded", "multipart/form-data")
_PARAM = re.compile(r"^\{[^{}]*\}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Names a client method signature may not use for a parameter.
_PARAM_RESERVED = names.KEYWORDS | names.RUNTIME_NAMES | {"self", "_rt", "result", "cast", "body"}
# `list` stays a valid method name (client.datasets.list): annotations spell it List.
_METHOD_RESERVED = (names.RUNTIME_NAMES - {"list", "dict"}) | {"close"}


def build_resources(spec: dict[str, Any], types: SchemaTypes) -> tuple[Resource, ...]:
    by_tag: dict[str, list[tuple[str, str, dict[str, Any], dict[str, Any]]]] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                tags = op.get("tags") or [_fallback_tag(path)]
                by_tag.setdefault(str(tags[0]), []).append((path, method, item, op))
    tags = list(by_tag)
    attrs = names.unique([names.snake(t, reserved=names.RUNTIME_NAMES, fallback="api") for t in tags], "resource", types.warnings)
    tag_docs = {t.get("name"): t.get("description") for t in spec.get("tags") or [] if isinstance(t, dict)}
    resources = []
    for tag, attr in zip(tags, attrs):
        base = names.pascal(attr)
        operations = _operations(spec, types, tag, by_tag[tag])
        resources.append(
            Resource(
                tag=text.literal(tag),
                attr=attr,
                class_name=types.fresh(f"{base}Resource"),
                async_class_name=types.fresh(f"Async{base}Resource"),
                interface_name=types.fresh(f"{base}Api"),
                router_name=f"{attr}_router",
                doc=text.docstring(tag_docs.get(tag) or f"Operations tagged {tag}."),
                operations=operations,
            )
        )
    return _unify_id_kinds(tuple(resources))


def _unify_id_kinds(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    """A collection's id kind comes from its `{id}` path parameter wherever one declares it."""
    declared: dict[str, str] = {}
    for resource in resources:
        for op in resource.operations:
            if op.behaviour.kind in ("retrieve", "update", "destroy", "destroy_forbidden", "action_read"):
                declared.setdefault(op.behaviour.collection, op.behaviour.id_kind)

    def unified(op: Operation) -> Operation:
        kind = declared.get(op.behaviour.collection, op.behaviour.id_kind)
        return replace(op, behaviour=replace(op.behaviour, id_kind=kind))

    return tuple(replace(r, operations=tuple(unified(op) for op in r.operations)) for r in resources)


def _fallback_tag(path: str) -> str:
    static = [s for s in path.split("/") if s and not _PARAM.match(s)]
    return static[0] if static else "default"


def _operations(spec: dict[str, Any], types: SchemaTypes, tag: str, entries: list[Any]) -> tuple[Operation, ...]:
    prefix = names.snake(tag).rstrip("_") + "_"
    candidates = []
    for path, method, _item, op in entries:
        raw = op.get("operationId") or f"{method}_{path}"
        name = names.snake(str(raw), fallback="call")
        name = name[len(prefix):] if name.startswith(prefix) and len(name) > len(prefix) else name
        candidates.append(names.snake(name, reserved=_METHOD_RESERVED))
    method_names = names.unique(candidates, f"{tag} method", types.warnings)
    taken = set(method_names)
    operations = []
    for (path, method, item, op), method_name in zip(entries, method_names):
        operations.append(_operation(spec, types, tag, path, method, item, op, method_name, taken))
    return tuple(operations)


def _operation(
    spec: dict[str, Any], types: SchemaTypes, tag: str, path: str, method: str,
    item: dict[str, Any], op: dict[str, Any], method_name: str, taken: set[str],
) -> Operation:
    context = names.pascal(f"{tag}_{method_name}")
    params = _params(spec, types, item, op, context)
    body = _body(spec, types, op, method, context, {p.name for p in params})
    status, result_type, result_kind, result_schema = _result(spec, types, op, context)
    pagination = None
    page_items = _page_items(types, result_schema)
    if page_items is not None and method == "get":
        iterator = names.unique([*sorted(taken), f"{method_name}_all"], "iterator", types.warnings)[-1]
        taken.add(iterator)
        pagination = Pagination(types.type_of(page_items, context + "Item").annotation(), iterator)
    responses = op.get("responses") or {}
    errors = tuple(sorted({int(s) for s in responses if str(s).isdigit() and int(s) >= 400}))
    not_allowed = ""
    if "405" in responses and not any(str(s).startswith("2") for s in responses):
        not_allowed = text.literal(" ".join(str(deref(spec, responses["405"]).get("description") or "").split()))
    summary = op.get("summary") or op.get("operationId") or f"{method.upper()} {path}"
    documented = [f"    {p.name}: {p.doc}" for p in params if p.doc]
    args = "Args:\n" + "\n".join(documented) if documented else ""
    doc = "\n\n".join(d for d in (text.one_line(summary), text.docstring(op.get("description")), args) if d)
    return Operation(
        method_name=method_name,
        http_method=method.upper(),
        path=text.literal(path),
        summary=text.one_line(summary),
        doc=doc,
        params=params,
        body=body,
        success_status=status,
        result_type=result_type,
        result_kind=result_kind,
        result_is_class=_is_plain_type(result_type, types),
        result_annotation="_rt.RawResult" if result_kind == "raw" else result_type,
        error_statuses=errors,
        pagination=pagination,
        streamable=method == "get" and result_kind == "raw",
        scopes=text.literal(tuple(_scopes(spec, op))),
        request_class=types.fresh(f"{context}Request"),
        server_path=text.literal(_server_path(path, params)),
        client_path=text.literal(_client_path(path, params)),
        server_result={"raw": "_rt.Reply", "none": "None"}.get(result_kind, result_type),
        behaviour=_behaviour(
            path, method, op, params, result_schema, types, result_kind if result_kind != "model" or result_type in types.models else "other", pagination is not None
        ),
        not_allowed_detail=not_allowed,
        example_call=_example(method_name, params, body),
        client_params=_client_params(params, body),
        call_args=_call_args(params, body, not_allowed, with_body=True),
        read_args=_call_args(params, body, not_allowed, with_body=False),
        route_params="(" + "".join(f"({p.wire}, {text.literal(p.name)}, {text.literal(p.location)}, {p.explode}), " for p in params) + ")",
    )


def _is_plain_type(expr: str, types: SchemaTypes) -> bool:
    """True when mypy types `expr` passed as a value as type[expr]: not a union (nor an alias of one), Literal or None."""
    if expr in types.aliases:
        return _is_plain_type(types.aliases[expr].type_expr, types)
    depth = 0
    for ch in expr:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            return False
    return expr != "None" and not expr.startswith("Literal[")


def _client_params(params: tuple[Param, ...], body: Body | None) -> tuple[str, ...]:
    """Path parameters first (positional or keyword), then keyword-only: required ones, then optional."""
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
    return tuple(path + (["*"] + keyword_only if keyword_only else []))


def _call_args(params: tuple[Param, ...], body: Body | None, hint: str, *, with_body: bool) -> tuple[str, ...]:
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
    return tuple(args)


def _params(spec: dict[str, Any], types: SchemaTypes, item: dict[str, Any], op: dict[str, Any], context: str) -> tuple[Param, ...]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = deref(spec, raw)
        if isinstance(param, dict) and isinstance(param.get("name"), str) and param.get("in") in ("path", "query", "header", "cookie"):
            merged[(param["name"], param["in"])] = param
    ordered = sorted(merged.values(), key=lambda p: (p["in"] != "path", not p.get("required"), 0))
    py_names = names.unique(
        [names.snake(p["name"], reserved=_PARAM_RESERVED, fallback="param") for p in ordered], f"{context} parameter", types.warnings
    )
    result = []
    for py, param in zip(py_names, ordered):
        schema = param.get("schema") if isinstance(param.get("schema"), dict) else {}
        info = types.type_of(schema, context + names.pascal(param["name"]) if "enum" not in str(schema) else names.pascal(param["name"]))
        required = bool(param.get("required")) or param["in"] == "path"
        style_explode = param.get("explode", param.get("style", "form") == "form")
        result.append(
            Param(
                name=py,
                wire=text.literal(param["name"]),
                location=param["in"],
                type_expr=info.annotation(),
                required=required,
                explode=bool(style_explode),
                default="" if required else "UNSET",
                doc=text.one_line(param.get("description")),
                value_expr=f"_rt.csv({py})" if not style_explode and info.expr.startswith("List[") else py,
            )
        )
    return tuple(result)


def _media(content: Any) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(content, dict) or not content:
        return None
    for media, value in content.items():
        if _JSON.match(str(media).split(";")[0].strip()):
            return str(media), value if isinstance(value, dict) else {}
    for media, value in content.items():
        if str(media) in _FORM:
            return str(media), value if isinstance(value, dict) else {}
    media, value = next(iter(content.items()))
    return str(media), value if isinstance(value, dict) else {}


def _body(spec: dict[str, Any], types: SchemaTypes, op: dict[str, Any], method: str, context: str, param_names: set[str]) -> Body | None:
    request = deref(spec, op.get("requestBody"))
    found = _media(request.get("content")) if isinstance(request, dict) else None
    if found is None:
        return None
    media, media_object = found
    schema = media_object.get("schema") if isinstance(media_object.get("schema"), dict) else {}
    if not (_JSON.match(media) or media in _FORM):
        return Body("bytes", text.literal(media), bool(request.get("required")), (), False)
    partial = method == "patch"
    ref = schema.get("$ref")
    key = ref[len(COMPONENT_PREFIX):] if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX) else None
    model = None
    if key in types.component_names and types.component_names[key] in types.models:
        source = types.models[types.component_names[key]]
        if partial:
            model = types.input_model(types.component_names[key] + "Patch", source, partial=True)
        elif any(f.read_only for f in source.fields):
            model = types.input_model(types.component_names[key] + "Input", source, partial=False)
        else:
            model = source
    elif not key and (schema.get("properties") or schema.get("allOf")):
        name = types.type_of(schema, context + "Body").expr
        model = types.input_model(name, types.models[name], partial=partial) if name in types.models else None
    if model is None:
        return Body(types.type_of(schema, context + "Body").annotation(), text.literal(media), bool(request.get("required")), (), partial)
    clash = {f.name for f in model.fields} & param_names or any(f.name in _PARAM_RESERVED for f in model.fields)
    fields: tuple[Field, ...] = () if clash else model.fields
    return Body(model.name, text.literal(media), bool(request.get("required")), fields, partial)


def _result(spec: dict[str, Any], types: SchemaTypes, op: dict[str, Any], context: str) -> tuple[int, str, str, Any]:
    responses = op.get("responses") or {}
    statuses = sorted(int(s) for s in responses if str(s).isdigit() and 200 <= int(s) < 300)
    key = str(statuses[0]) if statuses else ("2XX" if "2XX" in responses else "default")
    status = statuses[0] if statuses else 200
    response = deref(spec, responses.get(key))
    found = _media(response.get("content")) if isinstance(response, dict) else None
    if found is None:
        return status, "None", "none" if status == 204 or not isinstance(response, dict) or status >= 300 else "raw", None
    media, media_object = found
    schema = media_object.get("schema")
    if not _JSON.match(media.split(";")[0].strip()) or not isinstance(schema, dict):
        return status, "None", "raw", None
    return status, types.type_of(schema, context + "Response").annotation(), "model", schema


def _page_items(types: SchemaTypes, schema: Any) -> Any:
    target = types.deref(schema)
    if not isinstance(target, dict):
        return None
    props, _ = types.properties(target, "")
    results = types.deref(props.get("results"))
    if "next" in props and isinstance(results, dict) and "array" in str(results.get("type")):
        return results.get("items") or {}
    return None


def _scopes(spec: dict[str, Any], op: dict[str, Any]) -> list[str]:
    security = op.get("security", spec.get("security")) or []
    for requirement in security:
        if isinstance(requirement, dict):
            for scopes in requirement.values():
                if isinstance(scopes, list) and scopes:
                    return [str(s) for s in scopes]
    return []


def _server_path(path: str, params: tuple[Param, ...]) -> str:
    """Route placeholders must be identifiers: use each parameter's Python name."""
    by_wire = {p.wire: p.name for p in params if p.location == "path"}
    return _PLACEHOLDER.sub(lambda m: "{" + by_wire.get(text.literal(m.group(1)), "_") + "}", path)


def _client_path(path: str, params: tuple[Param, ...]) -> str:
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


def _behaviour(
    path: str, method: str, op: dict[str, Any], params: tuple[Param, ...], result: Any, types: SchemaTypes,
    result_kind: str, paginated: bool,
) -> Behaviour:
    """Classify by path shape: `coll/{id}` is an item, `coll/{id}/verb` an item action, `coll/verb` a collection action."""
    segments = [s for s in path.split("/") if s]
    collections = _collections(types.spec)
    is_param = [bool(_PARAM.match(s)) for s in segments]
    kind, collection, id_wire = "", "items", ""
    if len(segments) >= 2 and is_param[-1] and not is_param[-2]:
        collection, id_wire = segments[-2], segments[-1][1:-1]
        kind = {"get": "retrieve", "patch": "update", "put": "update", "delete": "destroy"}.get(method, "action_create")
    elif segments and not is_param[-1] and segments[-1] in collections:
        collection = segments[-1]
        kind = {"get": "list", "post": "create"}.get(method, "action_create")
    elif len(segments) >= 3 and not is_param[-1] and is_param[-2] and not is_param[-3] and segments[-3] in collections:
        collection, id_wire = segments[-3], segments[-2][1:-1]
        kind = "action_read" if method == "get" else "action_create"
    elif len(segments) >= 2 and not is_param[-1] and not is_param[-2] and segments[-2] in collections and segments[-1] not in collections:
        collection, kind = segments[-2], "action_read" if method == "get" else "action_create"
    elif segments and not is_param[-1]:
        collection = segments[-1]
        kind = {"get": "list", "post": "create"}.get(method, "action_create")
    responses = op.get("responses") or {}
    if kind == "destroy" and "405" in responses and not any(str(s).startswith("2") for s in responses):
        kind = "destroy_forbidden"
    id_param = next((p for p in params if p.location == "path" and p.wire == text.literal(id_wire)), None)
    id_kind = _id_kind(id_param.type_expr if id_param else _result_id_type(result, types))
    unique = op.get("x-unique-by")
    unique_by = tuple(str(u) for u in unique) if isinstance(unique, list) else ()
    kind = kind or "action_create"
    return Behaviour(kind, text.literal(collection), id_kind, text.literal(unique_by), _memory_call(kind, result_kind, paginated))


def _memory_call(kind: str, result_kind: str, paginated: bool) -> str:
    """Which in-memory behaviour fits; anything the store cannot honour is left to answer 501."""
    if kind == "list":
        return "list" if paginated else "unsupported"
    if kind in ("create", "retrieve", "update"):
        return kind if result_kind == "model" else "unsupported"
    if kind == "destroy":
        return "destroy" if result_kind == "none" else "unsupported"
    if kind == "destroy_forbidden":
        return "forbid"
    return kind if result_kind == "raw" else "unsupported"


def _collections(spec: dict[str, Any]) -> set[str]:
    """Static path segments directly followed by a parameter somewhere in the document."""
    found = set()
    for path in spec.get("paths") or {}:
        segments = [s for s in str(path).split("/") if s]
        found |= {a for a, b in zip(segments, segments[1:]) if _PARAM.match(b) and not _PARAM.match(a)}
    return found


def _id_kind(type_expr: str) -> str:
    return "uuid" if type_expr.startswith("UUID") else "int" if type_expr.startswith("int") else "str"


def _result_id_type(result: Any, types: SchemaTypes) -> str:
    target = types.deref(result)
    if not isinstance(target, dict):
        return "str"
    props, _ = types.properties(target, "")
    if "id" in props:
        return types.type_of(props["id"], "Id").expr
    page = _page_items(types, result)
    return _result_id_type(page, types) if page is not None else "str"


def _example(method_name: str, params: tuple[Param, ...], body: Body | None) -> str:
    placeholders = {"int": "1", "float": "1.0", "bool": "True"}
    args = [f"{p.name}={placeholders.get(p.type_expr, repr('...'))}" for p in params if p.required]
    if body is not None:
        args += [f"{f.name}={placeholders.get(f.type_expr, repr('...'))}" for f in body.fields if f.required]
    return f"{method_name}({', '.join(args)})"
