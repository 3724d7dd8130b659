"""The API model is language-neutral and the Python names are decided in one pass over it."""

from __future__ import annotations

import ast
from pathlib import Path

from generator.api.model import api_model
from generator.api.types import ListOf, Named, Primitive, walk
from generator.errors import Finding
from generator.load import load_document
from generator.python.naming import name_everything
from generator.spec import read_spec

ROOT = Path(__file__).resolve().parent.parent


def _model(path: Path):  # type: ignore[no-untyped-def]
    doc = load_document(str(path))
    warnings: list[Finding] = []
    model = api_model(doc.data, read_spec(doc.data, doc.pointer_index()), warnings)
    return model, warnings


def test_the_api_layer_imports_nothing_of_a_target() -> None:
    for module in (ROOT / "generator" / "api").glob("*.py"):
        tree = ast.parse(module.read_text())
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith("generator.python")], module.name


def test_types_refer_to_definitions_by_key_and_definitions_carry_no_name() -> None:
    model, _ = _model(ROOT / "spec" / "posthog.yaml")
    listing = next(op for g in model.groups for op in g.operations if op.facts.view.operation_id == "datasets_list")
    assert listing.result == Named("/components/schemas/PaginatedDatasetList", "model")
    assert listing.facts.paging is not None and listing.facts.paging.style == "next"
    assert listing.page_item == Named("/components/schemas/Dataset", "model")
    dataset = model.definitions["/components/schemas/Dataset"]
    assert dataset.component == "Dataset" and not hasattr(dataset, "name")
    by_wire = {p.wire: p for p in dataset.properties}
    assert by_wire["id"].info.node == Primitive("string", "uuid") and by_wire["id"].required
    for definition in model.definitions.values():
        for prop in definition.properties:
            for node in walk(prop.info.full):
                assert not isinstance(node, Named) or node.name in model.definitions


def test_media_and_results_are_facts() -> None:
    model, _ = _model(ROOT / "tests" / "golden" / "media_types" / "spec.yaml")
    kinds = {op.facts.view.operation_id: (op.facts.body.kind if op.facts.body else "", op.facts.success.kind)
             for g in model.groups for op in g.operations}
    assert ("multipart", "model") in kinds.values() and any(result == "binary" for _, result in kinds.values())


def test_the_naming_pass_maps_every_definition_and_operation() -> None:
    model, warnings = _model(ROOT / "tests" / "golden" / "name_collisions" / "spec.yaml")
    names = name_everything(model, "T", warnings)
    assert (names.client_class, names.client_package) == ("TClient", "t_client")
    assert set(names.classes) == set(model.definitions)
    assert names.classes["/components/schemas/TClient"] == "TClient2"
    assert names.classes["/components/schemas/WidgetInput"] == "WidgetInput"
    assert names.classes["/components/schemas/Widget#input"] == "WidgetInput2"
    assert {op.key for g in model.groups for op in g.operations} == set(names.methods)
    fields = names.fields["/components/schemas/TClient"]
    assert len(set(fields)) == len(fields) == 5  # user-name, user_name and userName stay apart
    assert any("WidgetInput2" in w.message and w.kind == "naming" for w in warnings)


def test_a_list_of_a_primitive_stays_a_tree() -> None:
    model, _ = _model(ROOT / "tests" / "golden" / "parameters" / "spec.yaml")
    lists = [info.node for g in model.groups for op in g.operations for info in op.parameters if isinstance(info.node, ListOf)]
    assert lists and all(isinstance(node.item, (Primitive, Named)) for node in lists)


def test_responses_and_security_are_facts_per_status_and_media_type() -> None:
    model, _ = _model(ROOT / "spec" / "posthog.yaml")
    destroy = next(op for g in model.groups for op in g.operations if op.facts.view.operation_id == "datasets_destroy")
    assert [r.status for r in destroy.facts.responses] == ["401", "403", "404", "405"]
    listing = next(op for g in model.groups for op in g.operations if op.facts.view.operation_id == "datasets_list")
    [ok] = [r for r in listing.facts.responses if r.status == "200"]
    assert [media for media, _ in ok.content] == ["application/json"]
    assert ("PersonalAPIKey", ("dataset:read",)) in [s for requirement in listing.facts.security for s in requirement]
