"""The Python views of the API model's operations, grouped into resources: parameters, bodies, results and pages
with their Python names and types; each target's own view is made in client_view.py and server_view.py."""

from __future__ import annotations

from dataclasses import replace

from generator.api import media
from generator.api.model import ApiModel, Group, TypedOperation
from generator.api.types import ListOf, Named
from generator.python import signatures, text
from generator.python.behaviour import unify_id_kinds
from generator.python.client_view import client_method
from generator.python.ir import Body, Field, Operation, Pagination, Param, Resource
from generator.python.naming import PARAM_RESERVED, MethodNames, Names
from generator.python.schemas import SchemaViews
from generator.python.server_view import server_route


def build_resources(model: ApiModel, names: Names, views: SchemaViews, common: str) -> tuple[Resource, ...]:
    """`common`: the class of the document's common error model, which operations need not name."""
    return unify_id_kinds(tuple(_resource(group, names, views, common) for group in model.groups))


def _resource(group: Group, names: Names, views: SchemaViews, common: str) -> Resource:
    named = names.resources[group.tag]
    description = group.view.description if group.view else None
    return Resource(
        tag=text.literal(group.tag),
        tag_name=group.tag,
        attr=named.attr,
        class_name=named.class_name,
        async_class_name=named.async_class_name,
        interface_name=named.interface_name,
        memory_class=named.memory_class,
        router_name=f"{named.attr}_router",
        doc=text.docstring(description or f"Operations tagged {group.tag}."),
        operations=tuple(_operation(op, names.methods[op.key], views, common) for op in group.operations),
    )


def _operation(typed: TypedOperation, named: MethodNames, views: SchemaViews, common: str) -> Operation:
    facts = typed.facts
    op, success = facts.view, facts.success
    path, method = op.path, op.method
    params = _params(typed, named.params, views)
    body = _body(typed, views, {p.name for p in params})
    result = views.node(typed.result)
    pagination = None
    if typed.page_item is not None and facts.paging is not None:
        page = typed.result  # a model whenever its items are a property (api/model.py)
        items_attr = views.visible_field(page.name, facts.paging.items) if isinstance(page, Named) and facts.paging.items else ""
        pagination = Pagination(views.node(typed.page_item), named.iterator, named.pages, facts.paging, items_attr)
    events_item = views.node(typed.events) if typed.events is not None else None
    refused = text.literal(facts.refused) if facts.refused is not None else ""
    summary = op.summary or op.operation_id or f"{method.upper()} {path}"
    documented = [f"    {p.name}: {p.doc}" for p in params if p.doc]
    args = "Args:\n" + "\n".join(documented) if documented else ""
    doc = text.wrap("\n\n".join(d for d in (text.one_line(summary), text.docstring(op.description), args) if d))
    idempotency = text.literal(facts.idempotency_header) if facts.idempotency_header else ""
    doc += "\n" if "\n" in doc else ""  # a docstring of several lines ends with its own line
    own_errors = views.name(typed.error_model) if typed.error_model else ""
    error_model = own_errors if own_errors != common else ""
    client = client_method(
        views, named, http_method=method.upper(), path=path, params=params, body=body, result=result,
        result_kind=success.kind, pagination=pagination, events_item=events_item, error_model=error_model,
        refused=refused, idempotency=idempotency, doc=doc,
    )
    server = server_route(
        views, facts, method_name=named.name, request_class=named.request_class, params=params, result=result,
        events_item=events_item, refused=refused, result_id_type=views.node(typed.result_id),
    )
    return Operation(
        method_name=named.name,
        http_method=method.upper(),
        path=path,
        summary=text.one_line(summary),
        doc=doc,
        params=params,
        body=body,
        success_status=success.status,
        result=result,
        result_kind=success.kind,
        result_media=text.literal(media.essence(success.media_type)) if success.kind in ("binary", "text", "events") else "",
        events_item=events_item,
        error_statuses=facts.error_statuses,
        pagination=pagination,
        idempotency_header=idempotency,
        error_model=error_model,
        client=client,
        server=server,
    )


def _params(typed: TypedOperation, py_names: tuple[str, ...], views: SchemaViews) -> tuple[Param, ...]:
    result = []
    for py, param, info in zip(py_names, typed.facts.parameters, typed.parameters):
        wire_name, location = param.view.name, param.view.location
        by_value = not param.explode and location == "query" and isinstance(info.node, ListOf)
        draft = Param(
            name=py,
            wire=text.literal(wire_name),
            wire_name=wire_name,
            location=location,
            type=views.node(info.full),
            required=param.required,
            explode=param.explode,
            doc=text.one_line(param.view.description),
            value_expr=f"_rt.csv({py})" if by_value else py,
            request_field="",
        )
        result.append(replace(draft, request_field=signatures.request_field(draft)))
    return tuple(result)


def _body(typed: TypedOperation, views: SchemaViews, param_names: set[str]) -> Body | None:
    request, body = typed.facts.body, typed.body
    if request is None or body is None:
        return None
    media_type = text.literal(request.media_type)
    fields: tuple[Field, ...] = ()
    if body.model:
        model = views.models[views.name(body.model)]
        clash = {f.name for f in model.fields} & param_names or any(f.name in PARAM_RESERVED for f in model.fields)
        fields = () if clash else model.fields
    return Body(views.node(body.type), media_type, request.required, fields, request.media_types, request.kind)
