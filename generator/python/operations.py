"""Operations to resources: names, parameters, bodies, results, pagination and scopes."""

from __future__ import annotations

import re
from dataclasses import replace

from generator import paths
from generator.errors import Finding, pointer_join
from generator.api import media
from generator.python import names, signatures, text
from generator.python.behaviour import behaviour, collections, forbids, unify_id_kinds
from generator.python.ir import Argument, Body, Field, Operation, Pagination, Param, Resource
from generator.api.pagination import Paging, paging as detect_paging
from generator.python.schemas import SchemaTypes
from generator.api.types import FILE, NONE, Const, ListOf, Named, NoneValue, Nullable, Primitive, TypeNode, UnionOf
from generator.python.annotation import render

STR = Primitive("string")
from generator.spec import OperationView, SpecView
from generator.spec.schema import SchemaView

# Names a client method signature may not use for a parameter.
_PARAM_RESERVED = names.KEYWORDS | names.RUNTIME_NAMES | {"self", "_rt", "result", "cast", "body", "overload"}
# The per-call options every method takes in `**options` (the client runtime's RequestOptions).
_PARAM_RESERVED |= {"timeout", "extra_headers", "extra_query", "extra_body", "idempotency_key"}
_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
# `list` stays a valid method name (client.datasets.list): annotations spell it List.
_METHOD_RESERVED = (names.RUNTIME_NAMES - {"list", "dict"}) | {"close"}
# A resource is an attribute of the client, and a keyword of create_app: neither may be shadowed.
_RESOURCE_RESERVED = names.RUNTIME_NAMES | {
    "host", "api_key", "close", "aclose", "max_retries", "backoff", "retry_non_idempotent", "http_client",
    "transport", "headers", "keys", "store", "max_body_bytes", "with_options", "idempotency_header",
}


def build_resources(spec: SpecView, types: SchemaTypes, common: str = "") -> tuple[Resource, ...]:
    """`common`: the document's common error model (`common_error_model`), which operations need not name."""
    by_tag: dict[str, list[OperationView]] = {}
    for op in spec.operations:
        tags = op.tags or (_fallback_tag(op.path),)
        by_tag.setdefault(str(tags[0]), []).append(op)
    tag_names = list(by_tag)
    tag_views = [spec.tags.get(t) for t in tag_names]
    places = [view.pointer if view else pointer_join(by_tag[t][0].pointer, "tags") for t, view in zip(tag_names, tag_views)]
    overrides = [names.override(view.raw if view else None, p, reserved=_RESOURCE_RESERVED) for view, p in zip(tag_views, places)]
    candidates = [o or names.snake(t, reserved=_RESOURCE_RESERVED, fallback="api") for t, o in zip(tag_names, overrides)]
    fixed = [o is not None for o in overrides]
    attrs = names.unique(candidates, "resource", types.warnings, raws=tag_names, places=places, fixed=fixed)
    tag_docs = {name: view.description for name, view in spec.tags.items()}
    known = collections(spec.paths)
    resources = []
    for tag, attr, place in zip(tag_names, attrs, places):
        base = names.pascal(attr)
        resource_operations = _operations(spec, types, tag, attr, by_tag[tag], known, common)
        resources.append(
            Resource(
                tag=text.literal(tag),
                attr=attr,
                class_name=types.fresh(f"{base}Resource", place=place),
                async_class_name=types.fresh(f"Async{base}Resource", place=place),
                interface_name=types.fresh(f"{base}Api", place=place),
                memory_class=types.fresh(f"Memory{base}Api", place=place),
                router_name=f"{attr}_router",
                doc=text.docstring(tag_docs.get(tag) or f"Operations tagged {tag}."),
                operations=resource_operations,
            )
        )
    return unify_id_kinds(tuple(resources))


def _fallback_tag(path: str) -> str:
    static = [s for s in paths.segments(path) if not paths.is_placeholder(s)]
    return static[0] if static else "default"


def _operations(
    spec: SpecView, types: SchemaTypes, tag: str, attr: str, entries: list[OperationView], known: frozenset[str],
    common: str,
) -> tuple[Operation, ...]:
    prefix = names.snake(tag).rstrip("_") + "_"
    candidates = []
    places = [op.pointer for op in entries]
    overrides = [names.override(op.raw, op.pointer, reserved=_METHOD_RESERVED) for op in entries]
    for op, override in zip(entries, overrides):
        raw = op.operation_id or f"{op.method}_{op.path}"
        name = names.snake(str(raw), fallback="call")
        name = name[len(prefix):] if name.startswith(prefix) and len(name) > len(prefix) else name
        candidates.append(override or names.snake(name, reserved=_METHOD_RESERVED))
    fixed = [o is not None for o in overrides]
    method_names = names.unique(candidates, f"{tag} method", types.warnings, places=places, fixed=fixed)
    taken = set(method_names)
    return tuple(
        _operation(spec, types, attr, op, method_name, taken, known, common)
        for op, method_name in zip(entries, method_names)
    )


def _operation(
    spec: SpecView, types: SchemaTypes, attr: str, op: OperationView, method_name: str, taken: set[str],
    known: frozenset[str], common: str,
) -> Operation:
    path, method = op.path, op.method
    context = names.pascal(f"{attr}_{method_name}")
    params = _params(types, op, context)
    body = _body(types, op, context, {p.name for p in params})
    status, result_node, result_kind, result_schema = _result(types, op, context)
    result_type = render(result_node)
    pagination = None
    paging, unclassified = _paging(types, op, result_schema) if method == "get" else (None, "")
    page_items = _page_items(types, result_schema, paging)
    items_attr = _items_attr(types, result_node, paging.items) if paging is not None else ""
    if paging is not None and paging.style != "all" and page_items is not None and bool(items_attr) == bool(paging.items):
        item_type = types.type_of(page_items, context + "Item").full
        iterator, pages = _fresh(f"{method_name}_all", taken, types, op), _fresh(f"{method_name}_pages", taken, types, op)
        pagination = Pagination(item_type, iterator, pages, paging, items_attr)
    # A binary answer streams for any method (the variant takes the body too); an undocumented one for GET only.
    streamable = (method == "get" and result_kind == "raw") or result_kind == "binary"
    events_item = _events(types, op, context) if result_kind in ("model", "events") else None
    responses = op.responses
    errors = tuple(sorted({int(s) for s in responses if s.isdigit() and int(s) >= 400}))
    not_allowed = ""
    if forbids(responses):
        refused = responses["405"]
        not_allowed = text.literal(" ".join((refused.description if refused else "").split()))
    summary = op.summary or op.operation_id or f"{method.upper()} {path}"
    documented = [f"    {p.name}: {p.doc}" for p in params if p.doc]
    args = "Args:\n" + "\n".join(documented) if documented else ""
    doc = text.wrap("\n\n".join(d for d in (text.one_line(summary), text.docstring(op.description), args) if d))
    client_path = text.literal(signatures.client_path(path, params))
    http_method = method.upper()
    idempotency = _idempotency_header(spec, op, types.warnings)
    call_args = signatures.call_args(params, body, not_allowed, idempotency, with_body=True)
    read_args = signatures.call_args(params, body, not_allowed, idempotency, with_body=False)
    arguments = signatures.client_signatures(params, body)

    def source(args: tuple[Argument, ...]) -> str:
        return signatures.signature_source(args, types.enum_literals)

    signature, read_signature = source(arguments.method), source(arguments.read)
    plain = _is_plain_type(result_node, types)
    own_errors = _error_model(types, op, context)
    error_model = own_errors if own_errors != common else ""
    if error_model:
        call_args, read_args = f"error_model={error_model}, {call_args}", f"error_model={error_model}, {read_args}"
    stream_args = call_args if result_kind == "binary" else read_args
    page_args = ", ".join(a for a in (pagination.client_paging if pagination else "", read_args) if a)
    runtime_call = {"raw": "_send_raw", "binary": "_send_bytes", "text": "_send_text"}.get(result_kind)
    if runtime_call:
        client_call = f'self.{runtime_call}("{http_method}", {client_path}, {call_args})'
    else:
        client_call = f'self._send("{http_method}", {client_path}, {result_type}, {call_args})'
    result_model = result_node.name if isinstance(result_node, Named) and result_node.kind == "model" else None
    served = behaviour(
        op, params, known, result_model=result_model, result_id_type=_result_id_type(result_schema, types, paging),
        result_kind=result_kind, paging=paging, not_allowed=not_allowed, result_type=result_type,
    )
    if served.kind == "list" and unclassified:
        types.warnings.append((
            f"cannot tell how this list pages (its items are in {unclassified!r}): declare x-pagination on the"
            " operation (style next, cursor, offset, page, link or all)",
            op.pointer,
        ))
    if served.memory_call == "unsupported":
        types.warnings.append((f"the in-memory server cannot serve this operation ({served.kind}): it answers 501", op.pointer))
    return Operation(
        method_name=method_name,
        http_method=http_method,
        path=path,
        summary=text.one_line(summary),
        doc=doc + ("\n" if "\n" in doc else ""),
        params=params,
        body=body,
        success_status=status,
        result=result_node,
        result_annotation=_ANNOTATIONS.get(result_kind, result_type),
        result_kind=result_kind,
        result_media=text.literal(media.essence(_success_media(op))) if result_kind in ("binary", "text", "events") else "",
        client_signature=signature,
        read_signature=read_signature,
        client_overloads=tuple(source(o) for o in arguments.overloads),
        arguments=arguments,
        client_call=client_call,
        client_cast="" if plain or result_kind != "model" else text.literal(result_type),
        page_call=f'self._paginate("{http_method}", {client_path}, {result_type}, {page_args})' if pagination else "",
        pages_call=f'self._pages("{http_method}", {client_path}, {result_type}, {page_args})' if pagination else "",
        stream_call=f'self._stream("{http_method}", {client_path}, {stream_args})' if streamable else "",
        stream_signature=signature if result_kind == "binary" else read_signature,
        events_item=events_item,
        events_name=_events_name(method_name, result_kind, events_item, taken, types, op),
        events_call=f'self._events("{http_method}", {client_path}, {render(events_item)}, {call_args})' if events_item else "",
        stream_name=_fresh(f"{method_name}_stream", taken, types, op) if streamable else "",
        error_statuses=errors,
        pagination=pagination,
        scopes=text.literal(tuple(_scopes(op))),
        request_class=types.fresh(f"{context}Request", place=op.pointer),
        server_path=text.literal(signatures.server_path(path, params)),
        server_result=_server_result(result_kind, result_type, events_item),
        behaviour=served,
        example_call=signatures.example_call(method_name, params, body),
        route_params=signatures.route_params(params),
        idempotency_header=idempotency,
        soft_delete=_soft_delete(op, types.warnings),
        error_model=error_model,
    )


# What the client method returns for a result that is not a JSON schema (an event stream: see the template).
_ANNOTATIONS = {"raw": "_rt.RawResult", "binary": "bytes", "text": "str", "events": ""}


def _server_result(result_kind: str, result_type: str, events_item: TypeNode | None) -> str:
    """What the server implementation returns: a model (or events too), bytes or a stream, text, events, a Reply."""
    events = f"_rt.Events[{render(events_item)}]" if events_item is not None else ""
    if result_kind == "model" and events:
        return f"{result_type} | {events}"
    # A Reply is always accepted; the in-memory fake answers text and binary actions with one.
    found = {"raw": "_rt.Reply", "none": "None", "binary": "_rt.Binary | _rt.Reply", "text": "str | _rt.Reply"}
    found["events"] = events
    return found.get(result_kind, result_type)


def _events_name(
    method_name: str, result_kind: str, item: TypeNode | None, taken: set[str], types: SchemaTypes, op: OperationView
) -> str:
    """An operation answering only events is the events method; one answering JSON too gets `…_events` besides."""
    if item is None:
        return ""
    return method_name if result_kind == "events" else _fresh(f"{method_name}_events", taken, types, op)


def _success_media(op: OperationView) -> str:
    response = op.responses.get(_success(op)[1])
    found = media.preferred(response.content) if response is not None else None
    return found.media_type if found is not None else ""


def _error_schema(op: OperationView) -> SchemaView | None:
    """The operation's error schema: of its first documented 4xx response with a JSON body, else of `4XX`, else
    of `default` (unless `default` is its success)."""
    responses = op.responses
    codes = sorted(s for s in responses if s.isdigit() and 400 <= int(s) < 500)
    success = any(s.isdigit() and 200 <= int(s) < 300 or s == "2XX" for s in responses)
    for status in [*codes, "4XX", *(["default"] if success else [])]:
        response = responses.get(status)
        found = media.preferred(response.content) if response is not None else None
        if found is not None and found.schema is not None and media.kind(found.media_type) == "json":
            return found.schema
    return None


def _error_model(types: SchemaTypes, op: OperationView, context: str) -> str:
    """The model class of the operation's error schema, or "" (none, or not an object)."""
    schema = _error_schema(op)
    node = types.type_of(schema, context + "Error").full if schema is not None else None
    return node.name if isinstance(node, Named) and node.kind == "model" else ""


def common_error_model(spec: SpecView, types: SchemaTypes) -> str:
    """The document's common error model: the component schema most operations answer their errors with (the
    first met on a tie), "" where none does."""
    counts: dict[str, int] = {}
    for op in spec.operations:
        schema = _error_schema(op)
        key = schema.component if schema is not None else None
        name = types.component_names.get(key) if key else None
        if name in types.models:
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else ""


def _soft_delete(op: OperationView, warnings: list[Finding]) -> tuple[tuple[str, str], ...]:
    """`x-soft-delete` on a refused DELETE: the JSON object the PATCH of the same path sends instead."""
    pointer = pointer_join(op.pointer, "x-soft-delete")
    value = op.extensions.get("x-soft-delete")
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        warnings.append(("x-soft-delete ignored: a non-empty object of body fields expected", pointer))
        return ()
    return tuple((text.literal(str(k)), text.literal(v)) for k, v in value.items())


def _idempotency_header(spec: SpecView, op: OperationView, warnings: list[Finding]) -> str:
    """`x-idempotency-key` on the operation, else on the document for POST and PATCH: `true` (the header is
    `Idempotency-Key`), a header name, or `false`. The client then sends a fresh key in that header, the same on
    every attempt, and may retry the request. The literal of the header name, or ""."""
    pointer = pointer_join(op.pointer, "x-idempotency-key")
    fallback = spec.extensions.get("x-idempotency-key") if op.method in ("post", "patch") else None
    value = op.extensions.get("x-idempotency-key", fallback)
    if value is True:
        return text.literal("Idempotency-Key")
    if isinstance(value, str) and _HEADER_NAME.fullmatch(value):
        return text.literal(value)
    if value not in (None, False):
        warnings.append((f"x-idempotency-key {value!r} ignored: true, false or a header name expected", pointer))
    return ""


def _fresh(candidate: str, taken: set[str], types: SchemaTypes, op: OperationView) -> str:
    """A method name derived from another (`list_all`, `stream_tiles_stream`) that no other method has."""
    name = names.unique([*sorted(taken), candidate], "method", types.warnings, places=[op.pointer] * (len(taken) + 1))[-1]
    taken.add(name)
    return name


def _result_id_type(result: SchemaView | None, types: SchemaTypes, paging: Paging | None) -> TypeNode:
    """The type of the `id` of a result, or of its page items."""
    if result is None:
        return STR
    props, _ = result.target.merged_properties()
    if "id" in props:
        return types.type_of(props["id"], "Id").node
    page = _page_items(types, result, paging)
    return _result_id_type(page, types, None) if page is not None else STR


def _is_plain_type(node: TypeNode, types: SchemaTypes) -> bool:
    """True when mypy types `node` passed as a value as type[node]: not a union (nor an alias of one), Literal or None."""
    if isinstance(node, Named) and node.name in types.aliases:
        return _is_plain_type(types.aliases[node.name].type, types)
    return not isinstance(node, (UnionOf, Nullable, Const, NoneValue))


def _params(types: SchemaTypes, op: OperationView, context: str) -> tuple[Param, ...]:
    ordered = sorted(op.parameters, key=lambda p: (p.location != "path", not p.required))
    overrides = [names.override(p.raw, p.pointer, reserved=_PARAM_RESERVED) for p in ordered]
    py_names = names.unique(
        [o or names.snake(p.name, reserved=_PARAM_RESERVED, fallback="param") for p, o in zip(ordered, overrides)],
        f"{context} parameter",
        types.warnings,
        places=[p.pointer for p in ordered],
        fixed=[o is not None for o in overrides],
    )
    result = []
    for py, param in zip(py_names, ordered):
        info = types.type_of(param.schema, names.pascal(param.name))
        required = param.required or param.location == "path"
        # OpenAPI's default style is form (exploded) in the query and cookies, simple (comma-joined) elsewhere.
        style = param.style or ("form" if param.location in ("query", "cookie") else "simple")
        explode = bool(style == "form" if param.explode is None else param.explode)
        draft = Param(
            name=py,
            wire=text.literal(param.name),
            wire_name=param.name,
            location=param.location,
            type=info.full,
            required=required,
            explode=explode,
            doc=text.one_line(param.description),
            value_expr=f"_rt.csv({py})" if not explode and param.location == "query" and isinstance(info.node, ListOf) else py,
            request_field="",
        )
        result.append(replace(draft, request_field=signatures.request_field(draft)))
    return tuple(result)


def _body(types: SchemaTypes, op: OperationView, context: str, param_names: set[str]) -> Body | None:
    request = op.body
    found = media.preferred(request.content) if request is not None else None
    if request is None or found is None:
        return None
    media_type = found.media_type
    every = tuple(m.media_type for m in request.content)
    schema = found.schema or types.reader.empty(found.pointer)
    kind = media.kind(media_type)
    if kind in ("text", "binary", "events", "any"):
        node: TypeNode = STR if kind == "text" else FILE
        return Body(node, text.literal(media_type), request.required, (), every, kind)
    partial = op.method == "patch"
    key = schema.component
    model = None
    if key in types.component_names and types.component_names[key] in types.models:
        source = types.models[types.component_names[key]]
        if partial and (types.needs_input_model(source) or any(f.required for f in source.fields)):
            model = types.input_model(types.component_names[key] + "Patch", source, partial=True)
        elif types.needs_input_model(source):
            model = types.input_model(types.component_names[key] + "Input", source, partial=False)
        else:
            model = types.as_request_body(key, source)
    elif not key and (schema.properties or schema.alternatives("allOf")):
        model = types.inline_input(context + "Body", schema, partial=partial)
    if model is None:
        node = types.type_of(schema, context + "Body").full
        return Body(node, text.literal(media_type), request.required, (), every, kind)
    clash = {f.name for f in model.fields} & param_names or any(f.name in _PARAM_RESERVED for f in model.fields)
    fields: tuple[Field, ...] = () if clash else model.fields
    return Body(Named(model.name, "model"), text.literal(media_type), request.required, fields, every, kind)


def _success(op: OperationView) -> tuple[int, str]:
    """The success status and the key of its response."""
    responses = op.responses
    statuses = sorted(int(s) for s in responses if s.isdigit() and 200 <= int(s) < 300)
    key = str(statuses[0]) if statuses else ("2XX" if "2XX" in responses else "default")
    return (statuses[0] if statuses else 200), key


def _result(types: SchemaTypes, op: OperationView, context: str) -> tuple[int, TypeNode, str, SchemaView | None]:
    status, key = _success(op)
    response = op.responses.get(key)
    found = media.preferred(response.content) if response is not None else None
    if found is None:
        return status, NONE, "none" if status == 204 or response is None else "raw", None
    schema = found.schema
    kind = media.kind(found.media_type)
    if kind in ("binary", "text", "events"):
        return status, NONE, kind, None
    if kind != "json" or schema is None:
        return status, NONE, "raw", None
    return status, types.type_of(schema, context + "Response").full, "model", schema


def _events(types: SchemaTypes, op: OperationView, context: str) -> TypeNode | None:
    """The type of each event's data when the success response may be an event stream (`str` when undocumented)."""
    response = op.responses.get(_success(op)[1])
    stream = media.events(response.content) if response is not None else None
    if stream is None:
        return None
    return types.type_of(stream.schema, context + "Event").full if stream.schema is not None else STR


def _paging(types: SchemaTypes, op: OperationView, schema: SchemaView | None) -> tuple[Paging | None, str]:
    """How the list pages (api/pagination.py), from the success response's schema and headers."""
    if schema is None:
        return None, ""
    target = schema.target
    props: dict[str, SchemaView | None] = {}
    if "array" not in target.types:
        props = {k: v.target if v is not None else None for k, v in target.merged_properties()[0].items()}
    response = op.responses.get(_success(op)[1])
    return detect_paging(op, target, props, response.headers if response else (), types.warnings)


def _page_items(types: SchemaTypes, schema: SchemaView | None, paging: Paging | None) -> SchemaView | None:
    """The schema of a page's items."""
    if paging is None or schema is None:
        return None
    target = schema.target
    holder: SchemaView | None = target
    if paging.items:
        holder = target.merged_properties()[0].get(paging.items)
        holder = holder.target if holder is not None else None
    return (holder.items or types.reader.empty(holder.pointer)) if holder is not None else None


def _items_attr(types: SchemaTypes, page: TypeNode, wire: str) -> str:
    """The Python name of the page model's field holding the items ("" when the page is the list itself)."""
    if not wire or not isinstance(page, Named) or page.name not in types.models:
        return ""
    return next((f.name for f in types.models[page.name].fields if f.wire_name == wire), "")


def _scopes(op: OperationView) -> list[str]:
    for requirement in op.security:
        if isinstance(requirement, dict):
            for scopes in requirement.values():
                if isinstance(scopes, list) and scopes:
                    return [str(s) for s in scopes]
    return []
