"""The API model: the document's operations, grouped by their first tag, each with its facts (api/operations.py)
and its types (api/schemas.py); every definition; the document's common error model. Language-neutral: the
targets name and print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.api.operations import Operation, error_schema, operations, page_items
from generator.api.schemas import Definition, Hint, SchemaTypes, TypeInfo, write_visible
from generator.api.types import FILE, NONE, STRING, Named, TypeNode
from generator.errors import Finding, pointer_join
from generator import paths
from generator.spec import SpecView, TagView
from generator.spec.schema import SchemaView

@dataclass(frozen=True)
class RequestBody:
    type: TypeNode  # what the server validates: a model, or any other type
    model: str  # the key of the model definition whose fields a client may pass one by one, "" for none


@dataclass(frozen=True)
class TypedOperation:
    facts: Operation
    key: str  # its JSON pointer: the base of the names of the classes it defines
    parameters: tuple[TypeInfo, ...]  # the type of each of facts.parameters
    body: RequestBody | None
    result: TypeNode  # the success answer's JSON type (NONE when there is none, or it is not JSON)
    page_item: TypeNode | None  # the type of each item when the list's pages can be walked
    events: TypeNode | None  # the type of each event's data when the answer may be an event stream
    error_model: str  # the key of the model definition of its error schema, "" for none
    result_id: TypeNode  # the type of the `id` of the result (or of its page items): the fake's ids


@dataclass(frozen=True)
class Group:
    tag: str
    view: TagView | None  # the document's tag object, if any
    pointer: str  # where a finding about the group points: its tag object, else its first operation's tags
    operations: tuple[TypedOperation, ...]


@dataclass(frozen=True)
class ApiModel:
    groups: tuple[Group, ...]  # in the order their tags are first met
    definitions: dict[str, Definition]
    listed: tuple[str, ...]  # the definitions in the order the output lists them
    met: tuple[tuple[str, str], ...]  # definitions, operations and groups in the order met
    common_error: str  # the key of the model most operations answer errors with, "" for none


def api_model(spec: dict[str, Any], view: SpecView, warnings: list[Finding]) -> ApiModel:
    schemas = SchemaTypes(spec, view.schemas)
    schemas.build_components()
    facts = operations(view, warnings)
    common = _common_error(view, schemas)
    by_tag: dict[str, list[Operation]] = {}
    for op in view.operations:
        tags = op.tags or (_fallback_tag(op.path),)
        by_tag.setdefault(str(tags[0]), []).append(facts[id(op)])
    groups = []
    for tag, entries in by_tag.items():
        typed = []
        for entry in entries:
            typed.append(_typed(view, schemas, entry))
            schemas.met.append(("operation", entry.view.pointer))
        schemas.met.append(("group", tag))
        tag_view = view.tags.get(tag)
        pointer = tag_view.pointer if tag_view else pointer_join(entries[0].view.pointer, "tags")
        groups.append(Group(tag, tag_view, pointer, tuple(typed)))
    return ApiModel(tuple(groups), schemas.definitions, tuple(schemas.listed), tuple(schemas.met), common)


def _fallback_tag(path: str) -> str:
    static = [s for s in paths.segments(path) if not paths.is_placeholder(s)]
    return static[0] if static else "default"


def _common_error(view: SpecView, schemas: SchemaTypes) -> str:
    """The component model most operations answer their errors with (the first met on a tie), "" where none does."""
    counts: dict[str, int] = {}
    for op in view.operations:
        schema = error_schema(op)
        definition = schemas.component(schema.component if schema is not None else None)
        if definition is not None and definition.kind == "model":
            counts[definition.key] = counts.get(definition.key, 0) + 1
    return max(counts, key=lambda key: counts[key]) if counts else ""


def _typed(view: SpecView, schemas: SchemaTypes, facts: Operation) -> TypedOperation:
    key, success = facts.view.pointer, facts.success
    base = Hint(key)
    parameters = tuple(schemas.type_of(p.view.schema, Hint("").then(p.view.name, raw=True)) for p in facts.parameters)
    body = _body(schemas, facts, base)
    result = schemas.type_of(success.schema, base.then("Response")).full if success.schema is not None else NONE
    page_item = None
    paging = facts.paging
    items = page_items(view, success.schema, paging)
    if paging is not None and paging.style != "all" and items is not None and _has_items(schemas, result, paging.items) == bool(paging.items):
        page_item = schemas.type_of(items, base.then("Item")).full
    events = None
    if success.kind in ("model", "events") and success.has_events:
        events = schemas.type_of(success.events, base.then("Event")).full if success.events is not None else STRING
    error = schemas.type_of(facts.error_schema, base.then("Error")).full if facts.error_schema is not None else None
    error_model = error.name if isinstance(error, Named) and error.kind == "model" else ""
    return TypedOperation(facts, key, parameters, body, result, page_item, events, error_model, _result_id(view, schemas, success.schema, facts))


def _has_items(schemas: SchemaTypes, page: TypeNode, wire: str) -> bool:
    """The page is a model with a (readable) property `wire` holding the items."""
    if not wire or not isinstance(page, Named) or page.name not in schemas.definitions:
        return False
    definition = schemas.definitions[page.name]
    return definition.kind == "model" and any(p.wire == wire for p in write_visible(definition))


def _result_id(view: SpecView, schemas: SchemaTypes, result: SchemaView | None, facts: Operation | None) -> TypeNode:
    if result is None:
        return STRING
    props, _ = result.target.merged_properties()
    if "id" in props:
        return schemas.type_of(props["id"], Hint("").then("Id")).node
    page = page_items(view, result, facts.paging if facts is not None else None)
    return _result_id(view, schemas, page, None) if page is not None else STRING


def _body(schemas: SchemaTypes, facts: Operation, base: Hint) -> RequestBody | None:
    request = facts.body
    if request is None:
        return None
    if request.kind in ("text", "binary", "events", "any"):
        return RequestBody(STRING if request.kind == "text" else FILE, "")
    schema, partial = request.schema, facts.view.method == "patch"
    component = schemas.component(schema.component)
    model: Definition | None = None
    if component is not None and component.kind == "model":
        visible = write_visible(component)
        needs_input = any(p.read_only or p.write_only for p in component.properties)
        if partial and (needs_input or any(p.required for p in visible)):
            model = schemas.input_model(component, partial=True, place=schema.pointer)
        elif needs_input:
            model = schemas.input_model(component, partial=False, place=schema.pointer)
        else:
            model = schemas.as_request_body(component)
    elif not schema.component and (schema.properties or schema.alternatives("allOf")):
        model = schemas.inline_input(base.then("Body"), schema, partial=partial)
    if model is None:
        return RequestBody(schemas.type_of(schema, base.then("Body")).full, "")
    return RequestBody(Named(model.key, "model"), model.key)
