"""The model step: a pure function from a document to the intermediate model, every fact decided."""

from __future__ import annotations

from ast import literal_eval
from pathlib import Path

import pytest
from typing import Any

from generator.load import load_document
from generator.python.build import build_api
from generator.python.ir import Api, Operation
from generator.api.types import ANY, Const, ListOf, MapOf, Named, NoneValue, Nullable, Primitive, UnionOf
from generator.python.annotation import render

ROOT = Path(__file__).resolve().parent.parent


def _posthog() -> Api:
    return build_api(load_document(str(ROOT / "spec" / "posthog.yaml")).data, "posthog.yaml")


def _op(api: Api, attr: str, method: str) -> Operation:
    resource = next(r for r in api.resources if r.attr == attr)
    return next(o for o in resource.operations if o.method_name == method)


def test_resources_and_method_names_come_from_tags_and_operation_ids() -> None:
    api = _posthog()
    assert [r.attr for r in api.resources] == ["dashboards", "data_color_themes", "dataset_items", "environment_datasets", "datasets"]
    assert [o.method_name for o in api.resources[-1].operations] == ["list", "create", "retrieve", "destroy", "update"]
    assert sum(len(r.operations) for r in api.resources) == 23
    assert api.client_class == "PostHogClient" and api.client_package == "posthog_client"
    # The model holds these only as Python literals: their values are asserted, not how they are spelled.
    assert literal_eval(api.api_key_env) == "POSTHOG_PERSONAL_API_KEY" and literal_eval(api.default_host) == "https://us.posthog.com"


def test_request_models_leave_out_read_only_fields_and_patch_bodies_are_partial() -> None:
    api = _posthog()
    models = {m.name: m for m in api.models}
    assert {f.name for f in models["Dataset"].fields} >= {"id", "created_at", "created_by", "team"}
    assert [f.name for f in models["DatasetInput"].fields] == ["name", "description", "metadata", "deleted"]
    assert [f.required for f in models["DatasetInput"].fields] == [True, False, False, False]
    assert not any(f.required for f in models["PatchedDataset"].fields)
    assert _op(api, "datasets", "create").body.type == Named("DatasetInput", "model")  # type: ignore[union-attr]
    assert _op(api, "datasets", "update").body.type == Named("PatchedDataset", "model")  # type: ignore[union-attr]


def test_parameters_scopes_pagination_and_behaviour() -> None:
    api = _posthog()
    listing = _op(api, "datasets", "list")
    params = {p.name: p for p in listing.params}
    id_in = params["id_in"]  # sent comma-separated (explode: false)
    assert (id_in.wire_name, id_in.location, id_in.explode) == ("id__in", "query", False) and isinstance(id_in.type, ListOf)
    assert params["order_by"].type == ListOf(Named("OrderByItem", "enum"))
    assert params["limit"].type == Primitive("integer") and not params["limit"].required
    assert literal_eval(listing.server.scopes) == ("dataset:read",)
    assert listing.pagination is not None and listing.pagination.item == Named("Dataset", "model")
    assert listing.result == Named("PaginatedDatasetList", "model")
    assert listing.server.behaviour.kind == "list" and listing.server.behaviour.id_kind == "uuid"
    destroy = _op(api, "datasets", "destroy")
    assert destroy.server.behaviour.memory_call == "forbid" and "deleted" in destroy.server.behaviour.detail
    unlisted = _op(api, "dashboards", "create_unlisted_dashboard")
    assert unlisted.result_kind == "raw" and unlisted.result == NoneValue()  # undocumented: the client returns the raw answer
    assert unlisted.server.behaviour.unique_by == ("tags",) and 409 in unlisted.error_statuses
    assert _op(api, "dashboards", "stream_tiles").client.stream_name == "stream_tiles_stream"


def _spec(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths or {}, "components": {"schemas": schemas}}


def test_unions_recursion_and_inline_names() -> None:
    api = build_api(
        _spec(
            {
                "Node": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                                                         "meta": {"type": "object", "properties": {"x": {"type": "integer"}}}}},
                "Either": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "string"}, {"type": "null"}]},
            }
        ),
        "t.yaml",
    )
    models = {m.name: m for m in api.models}
    assert models["Node"].fields[0].type == ListOf(Named("Node", "model"))
    assert models["Node"].fields[1].type == Named("NodeMeta", "model") and "NodeMeta" in models
    assert api.aliases[0].type == Nullable(UnionOf((Named("Node", "model"), Primitive("string"))))


def test_spec_text_reaches_the_model_only_escaped() -> None:
    api = build_api(
        _spec({"M": {"type": "object", "description": 'end """ here \\ and \r\n', "properties": {"a b": {"type": "string", "default": "x'\""}}}}),
        "t.yaml",
    )
    model = api.models[0]
    assert '"""' not in model.doc and "\r" not in model.doc
    field = model.fields[0]
    assert field.name == "a_b" and field.wire_name == "a b" and literal_eval(field.wire) == "a b"
    assert literal_eval(field.default_literal) == "x'\""


def test_write_only_fields_stay_out_of_responses_and_read_only_out_of_inputs() -> None:
    schemas = {
        "User": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "integer", "readOnly": True},
                "name": {"type": "string"},
                "password": {"type": "string", "writeOnly": True},
                "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
            },
        }
    }
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}
    ok = {"201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}}
    api = build_api(_spec(schemas, {"/users/": {"post": {"operationId": "create", "requestBody": body, "responses": ok}}}), "t")
    models = {m.name: m for m in api.models}
    assert [f.name for f in models["User"].fields] == ["id", "name", "mode"]
    assert [f.name for f in models["UserInput"].fields] == ["name", "password", "mode"]
    assert models["UserInput"].fields[-1].default_literal == "UserMode.FAST"


def test_resource_names_never_shadow_the_client_or_create_app() -> None:
    paths = {f"/{tag}/": {"get": {"tags": [tag], "responses": {"204": {"description": "ok"}}}} for tag in ("host", "close", "store")}
    api = build_api(_spec({}, paths), "t")
    assert [r.attr for r in api.resources] == ["host_", "close_", "store_"]


def test_annotations_are_rendered_from_the_type_tree() -> None:
    """One function renders every annotation; as an argument, containers are read-only and a UUID takes its text."""
    node = Nullable(UnionOf((ListOf(Primitive("string", "uuid")), Named("Mode", "enum"))))
    assert render(node) == "List[UUID] | Mode | None"
    assert render(node, argument=True) == "Sequence[UUID | str] | Mode | None"


def test_an_alias_that_refers_to_itself_becomes_any_where_the_cycle_closes() -> None:
    api = build_api(_spec({"Tree": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Tree"}}}), "t")
    assert api.aliases[0].name == "Tree" and api.aliases[0].type == MapOf(ANY)


def test_the_type_tree_keeps_json_types_and_formats_not_python_names() -> None:
    props = {
        "when": {"type": "string", "format": "date-time"},
        "mail": {"type": "string", "format": "email"},
        "count": {"type": "integer", "format": "int64"},
        "kind": {"const": "cat"},
    }
    api = build_api(_spec({"Pet": {"type": "object", "properties": props}}), "t")
    fields = {f.name: f.type for f in api.models[0].fields}
    assert fields["when"] == Primitive("string", "date-time")
    assert fields["mail"] == Primitive("string") and fields["count"] == Primitive("integer")
    assert fields["kind"] == Const("cat")


def test_client_arguments_are_facts_path_first_then_the_request_model_then_keywords() -> None:
    create = _op(_posthog(), "datasets", "create")
    method = create.client.arguments.method
    assert [(a.name, a.location, a.keyword_only) for a in method[:2]] == [("project_id", "path", False), ("body", "", False)]
    name = next(a for a in method if a.name == "name")
    assert (name.location, name.wire, name.type, name.required, name.keyword_only) == ("body", "name", Primitive("string"), False, True)
    by_model, by_keywords = create.client.arguments.overloads
    assert [a.name for a in by_model] == ["project_id", "body"] and by_model[1].required
    assert next(a for a in by_keywords if a.name == "name").required  # the document requires it
    assert [a.name for a in create.client.arguments.read] == ["project_id"]


def test_every_renaming_warning_names_the_node_it_is_about(tmp_path: Path) -> None:
    """Class names the model makes (resource classes, request objects, a member of a type list) that meet a taken
    name are moved with a warning located at the tag, the operation or the schema."""
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
        "paths:\n  /pets:\n    get:\n      operationId: list\n      tags: [pets]\n"
        "      responses: {'200': {description: ok}}\n"
        "components:\n  schemas:\n"
        "    PetsResource: {type: string}\n    PetsListRequest: {type: string}\n    BV1: {type: string}\n"
        "    B: {type: object, properties: {v: {type: [object, array], properties: {x: {type: string}}, items: {}}}}\n"
    )
    doc = load_document(str(spec_file))
    api = build_api(doc.data, "spec.yaml", doc.pointer_index())
    where = {message.split("'")[1]: pointer for message, pointer, _kind in api.warnings if message.startswith("class name")}
    assert where == {"PetsResource": "/paths/~1pets/get/tags", "PetsListRequest": "/paths/~1pets/get", "BV1": "/components/schemas/B/properties/v"}


def test_paging_reads_the_success_response_wherever_it_is_keyed() -> None:
    """A Link header documented under `2XX` (no numbered success) still makes the list page by the header."""
    array = {"type": "array", "items": {"type": "string"}}
    paths = {"/things": {"get": {
        "operationId": "list", "tags": ["things"],
        "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
        "responses": {"2XX": {"description": "ok", "headers": {"Link": {"schema": {"type": "string"}}},
                              "content": {"application/json": {"schema": array}}}},
    }}}
    [listing] = build_api(_spec({}, paths), "t").resources[0].operations
    assert listing.pagination is not None and listing.pagination.paging.style == "link"


def test_a_next_page_uri_in_the_body_pages_by_that_url_on_a_document_we_did_not_write() -> None:
    twilio = ROOT.parent / "shared" / "specs" / "big_twilio_api_v2010.yaml"
    if not twilio.is_file():
        pytest.skip("../shared/specs is not beside this checkout")
    doc = load_document(str(twilio))
    api = build_api(doc.data, twilio.name, doc.pointer_index())
    pagings = [op.pagination.paging for r in api.resources for op in r.operations if op.pagination]
    by_uri = [p for p in pagings if p.style == "next"]
    assert len(by_uri) == 60 and {(p.next, p.param, p.limit) for p in by_uri} == {("next_page_uri", "", "PageSize")}
    # The one list without a next_page_uri (its page object has none) pages by its Page parameter.
    assert [(p.style, p.param) for p in pagings if p.style != "next"] == [("page", "Page")]


def test_a_derived_input_model_never_takes_a_components_name() -> None:
    """`Widget` needs an input model (its `id` is read-only); the document also has a `WidgetInput` of its own. The
    derived model is the one renamed, with a warning naming both places, and each operation keeps its own body."""
    doc = load_document(str(ROOT / "tests" / "golden" / "name_collisions" / "spec.yaml"))
    api = build_api(doc.data, "spec.yaml", doc.pointer_index())
    create, create_input = _op(api, "widgets", "create"), _op(api, "widgets", "widget_inputs_create")
    assert create.body is not None and create.body.type == Named("WidgetInput2", "model")
    assert [f.wire_name for f in create.body.fields] == ["name"]
    assert create_input.body is not None and create_input.body.type == Named("WidgetInput", "model")
    assert [f.wire_name for f in create_input.body.fields] == ["colour"]
    renamed = [w for w in api.warnings if "WidgetInput2" in w[0]]
    assert renamed and "/components/schemas/WidgetInput" in renamed[0][0]
    assert renamed[0][1] == "/paths/~1widgets~1/post/requestBody/content/application~1json/schema"
