"""Operations to resources: the names of resources, methods and parameters, and the types of parameters, bodies,
results and pages; each target's view of an operation is made in client_view.py and server_view.py."""

from __future__ import annotations

from dataclasses import replace

from generator import paths
from generator.api import media
from generator.api.operations import Operation as OperationFacts
from generator.api.operations import Parameter, error_schema, page_items
from generator.api.pagination import Paging
from generator.api.types import FILE, NONE, ListOf, Named, Primitive, TypeNode
from generator.errors import pointer_join
from generator.python import names, signatures, text
from generator.python.behaviour import unify_id_kinds
from generator.python.client_view import client_method
from generator.python.ir import Body, Field, Operation, Pagination, Param, Resource
from generator.python.schemas import SchemaTypes
from generator.python.server_view import server_route
from generator.spec import OperationView, SpecView
from generator.spec.schema import SchemaView

STR = Primitive("string")
# Names a client method signature may not use for a parameter.
_PARAM_RESERVED = names.KEYWORDS | names.RUNTIME_NAMES | {"self", "_rt", "result", "cast", "body", "overload"}
# The per-call options every method takes in `**options` (the client runtime's RequestOptions).
_PARAM_RESERVED |= {"timeout", "extra_headers", "extra_query", "extra_body", "idempotency_key"}
# `list` stays a valid method name (client.datasets.list): annotations spell it List.
_METHOD_RESERVED = (names.RUNTIME_NAMES - {"list", "dict"}) | {"close"}
# A resource is an attribute of the client, and a keyword of create_app: neither may be shadowed.
_RESOURCE_RESERVED = names.RUNTIME_NAMES | {
    "host", "api_key", "close", "aclose", "max_retries", "backoff", "retry_non_idempotent", "http_client",
    "transport", "headers", "keys", "store", "max_body_bytes", "with_options", "idempotency_header",
}


def build_resources(
    spec: SpecView, types: SchemaTypes, facts: dict[int, OperationFacts], common: str = ""
) -> tuple[Resource, ...]:
    """`facts`: each operation's (api/operations.py), by id() of its view. `common`: the document's common error
    model (`common_error_model`), which operations need not name."""
    by_tag: dict[str, list[OperationFacts]] = {}
    for op in spec.operations:
        tags = op.tags or (_fallback_tag(op.path),)
        by_tag.setdefault(str(tags[0]), []).append(facts[id(op)])
    tag_names = list(by_tag)
    tag_views = [spec.tags.get(t) for t in tag_names]
    places = [view.pointer if view else pointer_join(by_tag[t][0].view.pointer, "tags") for t, view in zip(tag_names, tag_views)]
    overrides = [names.override(view.raw if view else None, p, reserved=_RESOURCE_RESERVED) for view, p in zip(tag_views, places)]
    candidates = [o or names.snake(t, reserved=_RESOURCE_RESERVED, fallback="api") for t, o in zip(tag_names, overrides)]
    fixed = [o is not None for o in overrides]
    attrs = names.unique(candidates, "resource", types.warnings, raws=tag_names, places=places, fixed=fixed)
    tag_docs = {name: view.description for name, view in spec.tags.items()}
    resources = []
    for tag, attr, place in zip(tag_names, attrs, places):
        base = names.pascal(attr)
        resource_operations = _operations(spec, types, tag, attr, by_tag[tag], common)
        resources.append(
            Resource(
                tag=text.literal(tag),
                attr=attr,
                class_name=types.fresh(f"{base}Resource", place=place, key=(tag, "Resource")),
                async_class_name=types.fresh(f"Async{base}Resource", place=place, key=(tag, "AsyncResource")),
                interface_name=types.fresh(f"{base}Api", place=place, key=(tag, "Api")),
                memory_class=types.fresh(f"Memory{base}Api", place=place, key=(tag, "MemoryApi")),
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
    spec: SpecView, types: SchemaTypes, tag: str, attr: str, entries: list[OperationFacts], common: str
) -> tuple[Operation, ...]:
    prefix = names.snake(tag).rstrip("_") + "_"
    candidates = []
    places = [op.view.pointer for op in entries]
    overrides = [names.override(op.view.raw, op.view.pointer, reserved=_METHOD_RESERVED) for op in entries]
    for op, override in zip(entries, overrides):
        raw = op.view.operation_id or f"{op.view.method}_{op.view.path}"
        name = names.snake(str(raw), fallback="call")
        name = name[len(prefix):] if name.startswith(prefix) and len(name) > len(prefix) else name
        candidates.append(override or names.snake(name, reserved=_METHOD_RESERVED))
    fixed = [o is not None for o in overrides]
    method_names = names.unique(candidates, f"{tag} method", types.warnings, places=places, fixed=fixed)
    taken = set(method_names)
    return tuple(
        _operation(spec, types, attr, op, method_name, taken, common) for op, method_name in zip(entries, method_names)
    )


def _operation(
    spec: SpecView, types: SchemaTypes, attr: str, facts: OperationFacts, method_name: str, taken: set[str], common: str
) -> Operation:
    op, success = facts.view, facts.success
    path, method = op.path, op.method
    context = names.pascal(f"{attr}_{method_name}")
    params = _params(types, facts.parameters, context)
    body = _body(types, facts, context, {p.name for p in params})
    result_kind = success.kind
    result = types.type_of(success.schema, context + "Response").full if success.schema is not None else NONE
    pagination = None
    paging = facts.paging
    items = page_items(spec, success.schema, paging)
    items_attr = _items_attr(types, result, paging.items) if paging is not None else ""
    if paging is not None and paging.style != "all" and items is not None and bool(items_attr) == bool(paging.items):
        item_type = types.type_of(items, context + "Item").full
        iterator, pages = _fresh(f"{method_name}_all", taken, types, op), _fresh(f"{method_name}_pages", taken, types, op)
        pagination = Pagination(item_type, iterator, pages, paging, items_attr)
    events_item = _events(types, facts, context) if result_kind in ("model", "events") else None
    refused = text.literal(facts.refused) if facts.refused is not None else ""
    summary = op.summary or op.operation_id or f"{method.upper()} {path}"
    documented = [f"    {p.name}: {p.doc}" for p in params if p.doc]
    args = "Args:\n" + "\n".join(documented) if documented else ""
    doc = text.wrap("\n\n".join(d for d in (text.one_line(summary), text.docstring(op.description), args) if d))
    idempotency = text.literal(facts.idempotency_header) if facts.idempotency_header else ""
    own_errors = _error_model(types, facts, context)
    error_model = own_errors if own_errors != common else ""
    client = client_method(
        types, name=method_name, http_method=method.upper(), path=path, params=params, body=body, result=result,
        result_kind=result_kind, pagination=pagination, events_item=events_item, error_model=error_model,
        refused=refused, idempotency=idempotency, fresh=lambda candidate: _fresh(candidate, taken, types, op),
    )
    server = server_route(
        types, facts, context=context, params=params, result=result, events_item=events_item, refused=refused,
        result_id_type=_result_id_type(spec, success.schema, types, paging),
    )
    return Operation(
        method_name=method_name,
        http_method=method.upper(),
        path=path,
        summary=text.one_line(summary),
        doc=doc + ("\n" if "\n" in doc else ""),
        params=params,
        body=body,
        success_status=success.status,
        result=result,
        result_kind=result_kind,
        result_media=text.literal(media.essence(success.media_type)) if result_kind in ("binary", "text", "events") else "",
        events_item=events_item,
        error_statuses=facts.error_statuses,
        pagination=pagination,
        idempotency_header=idempotency,
        error_model=error_model,
        client=client,
        server=server,
    )


def _error_model(types: SchemaTypes, facts: OperationFacts, context: str) -> str:
    """The model class of the operation's error schema, or "" (none, or not an object)."""
    schema = facts.error_schema
    node = types.type_of(schema, context + "Error").full if schema is not None else None
    return node.name if isinstance(node, Named) and node.kind == "model" else ""


def common_error_model(spec: SpecView, types: SchemaTypes) -> str:
    """The document's common error model: the component schema most operations answer their errors with (the
    first met on a tie), "" where none does."""
    counts: dict[str, int] = {}
    for op in spec.operations:
        schema = error_schema(op)
        key = schema.component if schema is not None else None
        name = types.component_names.get(key) if key else None
        if name in types.models:
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else ""


def _fresh(candidate: str, taken: set[str], types: SchemaTypes, op: OperationView) -> str:
    """A method name derived from another (`list_all`, `stream_tiles_stream`) that no other method has."""
    name = names.unique([*sorted(taken), candidate], "method", types.warnings, places=[op.pointer] * (len(taken) + 1))[-1]
    taken.add(name)
    return name


def _result_id_type(spec: SpecView, result: SchemaView | None, types: SchemaTypes, paging: Paging | None) -> TypeNode:
    """The type of the `id` of a result, or of its page items."""
    if result is None:
        return STR
    props, _ = result.target.merged_properties()
    if "id" in props:
        return types.type_of(props["id"], "Id").node
    page = page_items(spec, result, paging)
    return _result_id_type(spec, page, types, None) if page is not None else STR


def _params(types: SchemaTypes, parameters: tuple[Parameter, ...], context: str) -> tuple[Param, ...]:
    overrides = [names.override(p.view.raw, p.view.pointer, reserved=_PARAM_RESERVED) for p in parameters]
    py_names = names.unique(
        [o or names.snake(p.view.name, reserved=_PARAM_RESERVED, fallback="param") for p, o in zip(parameters, overrides)],
        f"{context} parameter",
        types.warnings,
        places=[p.view.pointer for p in parameters],
        fixed=[o is not None for o in overrides],
    )
    result = []
    for py, param in zip(py_names, parameters):
        wire_name, location = param.view.name, param.view.location
        info = types.type_of(param.view.schema, names.pascal(wire_name))
        by_value = not param.explode and location == "query" and isinstance(info.node, ListOf)
        draft = Param(
            name=py,
            wire=text.literal(wire_name),
            wire_name=wire_name,
            location=location,
            type=info.full,
            required=param.required,
            explode=param.explode,
            doc=text.one_line(param.view.description),
            value_expr=f"_rt.csv({py})" if by_value else py,
            request_field="",
        )
        result.append(replace(draft, request_field=signatures.request_field(draft)))
    return tuple(result)


def _body(types: SchemaTypes, facts: OperationFacts, context: str, param_names: set[str]) -> Body | None:
    request = facts.body
    if request is None:
        return None
    media_type, every, kind, schema = text.literal(request.media_type), request.media_types, request.kind, request.schema
    if kind in ("text", "binary", "events", "any"):
        node: TypeNode = STR if kind == "text" else FILE
        return Body(node, media_type, request.required, (), every, kind)
    partial = facts.view.method == "patch"
    key = schema.component
    model = None
    if key in types.component_names and types.component_names[key] in types.models:
        source = types.models[types.component_names[key]]
        if partial and (types.needs_input_model(source) or any(f.required for f in source.fields)):
            model = types.input_model(types.component_names[key] + "Patch", source, partial=True, place=schema.pointer)
        elif types.needs_input_model(source):
            model = types.input_model(types.component_names[key] + "Input", source, partial=False, place=schema.pointer)
        else:
            model = types.as_request_body(key, source)
    elif not key and (schema.properties or schema.alternatives("allOf")):
        model = types.inline_input(context + "Body", schema, partial=partial)
    if model is None:
        node = types.type_of(schema, context + "Body").full
        return Body(node, media_type, request.required, (), every, kind)
    clash = {f.name for f in model.fields} & param_names or any(f.name in _PARAM_RESERVED for f in model.fields)
    fields: tuple[Field, ...] = () if clash else model.fields
    return Body(Named(model.name, "model"), media_type, request.required, fields, every, kind)


def _events(types: SchemaTypes, facts: OperationFacts, context: str) -> TypeNode | None:
    """The type of each event's data when the success response may be an event stream (`str` when undocumented)."""
    success = facts.success
    if not success.has_events:
        return None
    return types.type_of(success.events, context + "Event").full if success.events is not None else STR


def _items_attr(types: SchemaTypes, page: TypeNode, wire: str) -> str:
    """The Python name of the page model's field holding the items ("" when the page is the list itself)."""
    if not wire or not isinstance(page, Named) or page.name not in types.models:
        return ""
    return next((f.name for f in types.models[page.name].fields if f.wire_name == wire), "")
