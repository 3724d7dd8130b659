"""The validate stage of a generation (validation.py): the worker process finds what this process finds, and only
prose edits are taken as unchanged for validation (prose.py)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import validation
from generator.errors import SpecError
from generator.load import load_document
from generator.pipeline import generate_from
from generator.prose import prose_changes
from generator.refs import check_refs

WARNED = (Path(__file__).resolve().parent / "real" / "warned.yaml").read_text(encoding="utf-8")
BLOCKED = 'openapi: 3.0.3\ninfo: {title: blocked, version: "1"}\npaths: []\n'


def _outcome(spec: Path, parallel: bool) -> list[str]:
    try:
        return [str(p) for p in generate_from(str(spec), parallel=parallel)[3]]
    except SpecError as error:
        return ["error", *map(str, error.problems)]


@pytest.mark.parametrize("text", [WARNED, BLOCKED], ids=["warnings", "a blocking error"])
def test_the_worker_finds_what_this_process_finds(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "cores", lambda: 2)  # a core to spare, whatever this machine has
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    doc = check_refs(load_document(str(spec)))
    answer = validation._Worker(doc, lenient=True).outcome()
    assert answer is not None and answer == validation._validate(doc, lenient=True)  # the worker's own answer
    assert validation.start(doc, lenient=True, cached=False, background=True).worker is not None
    in_worker = _outcome(spec, parallel=True)
    assert in_worker == _outcome(spec, parallel=False)
    assert ("error" in in_worker) == (text is BLOCKED) and len(in_worker) >= 2


def test_a_worker_for_a_file_changed_since_is_not_believed(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(WARNED, encoding="utf-8")
    doc = check_refs(load_document(str(spec)))
    spec.write_text(BLOCKED, encoding="utf-8")  # after this process read it, before the worker does
    worker = validation._Worker(doc, lenient=True)
    assert worker.outcome() is None  # and Validation.result() validates what this process read instead


DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1", "description": "about"},
    "paths": {
        "/a": {
            "get": {
                "summary": "get a",
                "parameters": [{"name": "q", "in": "query", "description": "a query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"example": {"description": "x"}}}}},
            }
        }
    },
    "components": {"schemas": {"S": {"properties": {"description": {"type": "string", "description": "prose"}}}}},
    "x-extra": {"description": "read by a tool"},
}


def _edited(pointer: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(DOC)
    node = doc
    for key in pointer[:-1]:
        node = node[key]
    node[pointer[-1]] = value
    return doc


TAGS = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\ntags:\n- {name: a, description: %s}\n- {name: a, description: old words}\npaths: {}\n'


def test_an_edit_inside_the_node_of_a_warning_is_validated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warning may quote the whole node it is about (two equal tags), prose included: an edit inside it validates
    again, and the warnings are those of a fresh validation."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"

    def warnings(text: str, cached: bool) -> list[str]:
        spec.write_text(TAGS % text, encoding="utf-8")
        doc = check_refs(load_document(str(spec)))
        return [str(w) for w in validation.start(doc, lenient=True, cached=cached, background=False).result()]

    assert warnings("old words", cached=True)  # remembered, to compare the next version with
    assert warnings("new words", cached=True) == warnings("new words", cached=False)
    # Items made equal by an edit of their words break a rule on the list, not on a word.
    assert prose_changes(yaml_data(TAGS % "other words"), yaml_data(TAGS % "old words")) is None


def yaml_data(text: str) -> Any:
    return yaml.safe_load(text)


def test_prose_edits_are_told_apart_from_the_rest() -> None:
    assert prose_changes(DOC, copy.deepcopy(DOC)) == []
    get = ["paths", "/a", "get"]
    assert prose_changes(DOC, _edited(["info", "description"], "new")) == ["/info/description"]
    assert prose_changes(DOC, _edited([*get, "summary"], "new")) == ["/paths/~1a/get/summary"]
    assert prose_changes(DOC, _edited([*get, "parameters", 0, "description"], "new")) == [
        "/paths/~1a/get/parameters/0/description"
    ]
    deep = ["components", "schemas", "S", "properties", "description", "description"]
    assert prose_changes(DOC, _edited(deep, "new")) == ["/components/schemas/S/properties/description/description"]
    not_prose = [
        ([*get, "operationId"], "x"),  # a key added
        (["info", "title"], "new"),  # a string, not prose
        ([*get, "responses", "200", "content", "application/json", "example", "description"], "y"),  # an example
        (["x-extra", "description"], "another"),  # an extension's
        (["info", "description"], 1),  # another type
        ([*get, "parameters", 0, "schema", "type"], "number"),
    ]
    for pointer, value in not_prose:
        assert prose_changes(DOC, _edited(pointer, value)) is None, pointer
    added = _edited([*get, "description"], "now described")  # an operation may have a description, or not
    assert prose_changes(DOC, added) == ["/paths/~1a/get/description"]
    assert prose_changes(added, DOC) == ["/paths/~1a/get/description"]
    assert prose_changes(DOC, _edited([*get, "description"], 1)) is None
    assert prose_changes(DOC, _edited(["paths", "/a", "description"], "a path item's")) is None  # only operations
    named = ["components", "schemas", "S", "properties", "description"]  # a property named so, wrongly a string
    assert prose_changes(_edited(named, "a"), _edited(named, "b")) is None
    with_int = _edited([*get, "parameters", 0, "schema", "minimum"], 1)
    assert prose_changes(with_int, _edited([*get, "parameters", 0, "schema", "minimum"], 1.0)) is None
    assert prose_changes(with_int, _edited([*get, "parameters", 0, "schema", "minimum"], True)) is None
