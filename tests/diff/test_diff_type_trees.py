"""The Python surface compares type trees, not the annotations' text: where the text misled (a union written in
another order, a discriminated union, Any), and where a record holds only the text (the trees are found again from
the document it holds)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.diff import history
from generator.diff.accepts import argument, direction, text, value
from generator.python.annotation import Events, PythonClass
from generator.diff.change import PYTHON
from generator.diff.compare import compare
from generator.diff.surface import surface, surface_from_json, surface_to_json, with_types
from generator.load import load_document
from generator.python.build import build_api
from generator.python.ir import Api
from generator.api.types import ANY, NONE, STRING, Const, ListOf, MapOf, Named, Nullable, Primitive, UnionOf
from tests.diff.documents import base

ROOT = Path(__file__).resolve().parents[2]
Doc = dict[str, Any]
A, B = Named("A", "model"), Named("B", "model")
INT = Primitive("integer")


def _python(old: Doc, new: Doc) -> list[tuple[str, str, bool, str]]:
    report = compare(old, new, "old.yaml", "new.yaml")
    return [(c.target, c.rule, c.breaking, c.message) for c in report.changes if c.level == PYTHON]


def test_a_list_made_to_take_another_member_is_widened_inside_a_nullable() -> None:
    old, new = Nullable(ListOf(A)), Nullable(ListOf(UnionOf((A, B))))
    assert direction(argument(old, {}), argument(new, {})) == "widened"
    assert direction(value(new), value(old)) == "narrowed"
    assert direction(value(MapOf(A)), value(MapOf(B))) == "changed"


def test_members_in_another_order_or_repeated_are_the_same_type() -> None:
    assert direction(value(UnionOf((INT, STRING, A))), value(UnionOf((A, STRING, INT, STRING)))) == "same"
    assert direction(value(ListOf(UnionOf((INT, STRING)))), value(ListOf(UnionOf((STRING, INT))))) == "same"
    assert direction(value(Nullable(A)), value(UnionOf((A, NONE)))) == "same"


def test_as_an_argument_a_uuid_takes_its_text_and_an_enum_its_values() -> None:
    uuid = Primitive("string", "uuid")
    assert direction(argument(STRING, {}), argument(uuid, {})) == "widened"  # `UUID | str` still takes a str
    assert direction(value(STRING), value(uuid)) == "changed"  # a field read as a UUID is no longer a str
    mode = Named("Mode", "enum")
    values = {"Mode": ("'fast'", "'slow'")}
    assert direction(argument(Const("fast"), {}), argument(mode, values)) == "widened"
    assert direction(argument(UnionOf((Const("fast"), Const("slow"))), {}), argument(mode, values)) == "widened"
    assert direction(argument(mode, values), argument(mode, {"Mode": ("'fast'",)})) == "narrowed"
    assert text(argument(ListOf(mode), values)) == "Sequence[Mode | Literal['fast', 'slow']]"


def test_any_takes_every_value() -> None:
    assert direction(value(INT), value(ANY)) == "widened"
    assert direction(value(ListOf(ANY)), value(ListOf(A))) == "narrowed"


def test_results_compare_their_events_and_the_runtime_classes() -> None:
    chunk = Named("Chunk", "model")
    before, after = value(A, Events(UnionOf((chunk, STRING)))), value(A, Events(chunk))
    assert direction(before, after) == "narrowed" and text(after) == "A | _rt.Events[Chunk]"
    assert direction(value(PythonClass("bytes")), value(STRING)) == "changed"


def _label(members: list[Doc]) -> Doc:
    doc = base()
    doc["components"]["schemas"]["Label"] = {"anyOf": members}
    doc["components"]["schemas"]["Task"]["properties"]["label"] = {"$ref": "#/components/schemas/Label"}
    return doc


INTEGER, TEXT, FLAG = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}


def test_an_alias_is_changed_when_its_tree_changes_not_when_its_members_are_reordered() -> None:
    assert _python(_label([INTEGER, TEXT]), _label([TEXT, INTEGER])) == []  # the text compared, this was breaking
    assert _python(_label([INTEGER, TEXT]), _label([INTEGER, TEXT, FLAG])) == [
        ("models", "alias-changed", True, "`Label` is `int | str | bool` instead of `int | str`")
    ]


def _with_parts(items: Doc) -> Doc:
    doc = base()
    schemas = doc["components"]["schemas"]
    schemas["A"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    schemas["B"] = {"type": "object", "properties": {"b": {"type": "string"}}}
    schemas["TaskInput"]["properties"]["parts"] = {"type": "array", "nullable": True, "items": items}
    return doc


def test_a_list_argument_taking_another_member_breaks_no_caller() -> None:
    ref_a, ref_b = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
    found = _python(_with_parts(ref_a), _with_parts({"anyOf": [ref_a, ref_b]}))
    assert ("client", "annotation-widened", False,
            "parameter `parts` of `client.tasks.update_task`: `Sequence[A] | None | _rt.Unset` -> `Sequence[A | B] | None | _rt.Unset`") in found
    assert ("models", "annotation-widened", False, "field `TaskInput.parts`: `List[A] | None` -> `List[A | B] | None`") in found
    assert not any(breaking for _, _, breaking, _ in found)


def test_a_parameter_that_takes_any_value_breaks_no_caller_but_an_implementation_reading_it() -> None:
    new = base()
    new["paths"]["/tasks/{task_id}"]["get"]["parameters"][2]["schema"] = {}
    assert _python(base(), new) == [  # the text compared, both were "changed" and breaking
        ("server", "annotation-widened", True, "request field `limit` of `TasksApi.get_task`: `int` -> `Any`"),
        ("client", "annotation-widened", False, "parameter `limit` of `client.tasks.get_task`: `int | _rt.Unset` -> `Any | _rt.Unset`"),
    ]


def _pets(members: list[str], mapping: dict[str, str]) -> Doc:
    ref = "#/components/schemas/"
    pet = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}}
    doc = base()
    schemas = doc["components"]["schemas"]
    schemas.update({name: copy.deepcopy(pet) for name in ("Cat", "Dog", "Bird")})
    schemas["TaskInput"]["properties"]["pet"] = {
        "oneOf": [{"$ref": ref + m} for m in members],
        "discriminator": {"propertyName": "kind", "mapping": {k: ref + v for k, v in mapping.items()}},
    }
    return doc


def test_a_discriminated_union_is_compared_by_its_members() -> None:
    cats_and_dogs = _pets(["Cat", "Dog"], {"cat": "Cat", "dog": "Dog"})
    assert _python(cats_and_dogs, _pets(["Dog", "Cat"], {"dog": "Dog", "cat": "Cat"})) == []
    found = _python(cats_and_dogs, _pets(["Cat", "Dog", "Bird"], {"cat": "Cat", "dog": "Dog", "bird": "Bird"}))
    assert [(target, rule, breaking) for target, rule, breaking, message in found if "`pet`" in message or ".pet`" in message] == [
        ("client", "annotation-widened", False), ("models", "annotation-widened", False),
    ]


# Results: what the surface derives from the operation's result kind is what the generated code prints.


def _apis() -> list[Api]:
    documents = [ROOT / "spec" / "posthog.yaml", *sorted((ROOT / "tests" / "golden").glob("*/spec.yaml"))]
    apis = []
    for path in documents:
        if "broken" not in path.parent.name:
            apis.append(build_api(load_document(str(path)).data, path.name))
    return apis


def test_the_results_of_the_surface_are_what_the_generated_methods_return() -> None:
    kinds = set()
    for api in _apis():
        found = {(m.target, m.owner, m.name): m for m in surface(api).methods}
        for resource in api.resources:
            for op in resource.operations:
                kinds.add(op.result_kind)
                if op.result_kind != "events":
                    assert found["client", f"client.{resource.attr}", op.method_name].returns == op.client.returns
                assert found["server", resource.interface_name, op.method_name].returns == op.server.result
    assert kinds == {"model", "none", "raw", "binary", "text", "events"}


# The record holds annotations as printed; the trees come back from the document it holds.


def test_the_committed_record_gets_every_tree_back_from_its_document() -> None:
    stored = json.loads((ROOT / "generated" / "specgen" / "record.json").read_text(encoding="utf-8"))
    recorded = surface_from_json(stored["surface"])
    typed = with_types(recorded, history._rebuilt(stored["spec"], "posthog.yaml"))
    assert all(a.type is not None for m in typed.methods for a in m.args)
    assert all(m.result is not None for m in typed.methods)
    assert all(x.type is not None for t in typed.types if t.kind != "enum" for x in t.members)
    assert surface_to_json(typed) == stored["surface"]  # the record's format is unchanged: no tree is written


def test_a_record_compares_as_the_documents_do_and_as_printed_where_the_generator_prints_otherwise(tmp_path: Path) -> None:
    old, new = base(), base()
    new["paths"]["/tasks/{task_id}"]["get"]["parameters"][2]["schema"] = {}
    first = history.record(tmp_path, old, surface(build_api(old, "t.json")), {}, "t.json", {"client": "tasks_client"})
    (tmp_path / "specgen").mkdir()
    (tmp_path / history.RECORD).write_text(first.files[history.RECORD], encoding="utf-8")
    later = history.record(tmp_path, new, surface(build_api(new, "t.json")), {}, "t.json", {"client": "tasks_client"})
    assert later.report is not None
    assert [(c.rule, c.breaking) for c in later.report.changes if c.level == PYTHON] == [
        ("annotation-widened", True), ("annotation-widened", False),
    ]
    # A record written by a generator that printed `int` otherwise: that annotation is compared as printed.
    stored = json.loads(first.files[history.RECORD])
    get_task = next(m for m in stored["surface"]["methods"] if m["target"] == "client" and m["name"] == "get_task")
    limit = next(a for a in get_task["args"] if a["name"] == "limit")
    limit["annotation"] = "builtins.int | _rt.Unset"
    (tmp_path / history.RECORD).write_text(json.dumps(stored), encoding="utf-8")
    later = history.record(tmp_path, new, surface(build_api(new, "t.json")), {}, "t.json", {"client": "tasks_client"})
    assert later.report is not None
    assert [(c.target, c.rule, c.breaking) for c in later.report.changes if c.level == PYTHON] == [
        ("client", "annotation-changed", True), ("server", "annotation-widened", True),
    ]


@pytest.mark.parametrize("damaged", ["not a document", {"components": {"schemas": 3}}])
def test_a_record_whose_document_cannot_be_modelled_is_compared_as_printed_not_a_traceback(tmp_path: Path, damaged: Any) -> None:
    assert history._rebuilt(damaged, "t.json") is None
    tasks = surface(build_api(base(), "t.json"))
    (tmp_path / "specgen").mkdir()
    (tmp_path / history.RECORD).write_text(json.dumps({"spec": damaged, "surface": surface_to_json(tasks)}), encoding="utf-8")
    later = history.record(tmp_path, base(), tasks, {}, "t.json", {"client": "tasks_client"})
    assert later.report is not None and not [c for c in later.report.changes if c.level == PYTHON]
