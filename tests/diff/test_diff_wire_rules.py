"""One pair of small documents per wire rule: the exact rule, whether it breaks, and the pointer in each document.

Each case changes one thing in a copy of the base document, and the report must hold exactly that one change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.diff.wire import compare_wire
from tests.diff.documents import TASK, base

Doc = dict[str, Any]


def _get(doc: Doc) -> Doc:
    return doc["paths"]["/tasks/{task_id}"]["get"]


def _put(doc: Doc) -> Doc:
    return doc["paths"]["/tasks/{task_id}"]["put"]


def _schema(doc: Doc, name: str) -> Doc:
    return doc["components"]["schemas"][name]


def _move_get(doc: Doc) -> None:
    operation = doc["paths"]["/tasks/{task_id}"].pop("get")
    operation["parameters"][0]["name"] = "id"
    doc["paths"]["/todos/{id}"] = {"get": operation}


def _get_becomes_post(doc: Doc) -> None:
    doc["paths"]["/tasks/{task_id}"]["post"] = doc["paths"]["/tasks/{task_id}"].pop("get")


def _status_201(doc: Doc) -> None:
    _get(doc)["responses"] = {"201": _get(doc)["responses"]["200"]}


def _csv_too(doc: Doc) -> None:
    _get(doc)["responses"]["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}


# (case, change to the OLD copy or None, change to the NEW copy, rule, breaking, old pointer, new pointer)
CASES: list[tuple[str, Callable[[Doc], None] | None, Callable[[Doc], None], str, bool, str, str]] = [
    ("operation removed", None, lambda d: d["paths"]["/tasks/{task_id}"].pop("put"),
     "operation-removed", True, f"{TASK}/put", TASK),
    ("operation added", None, lambda d: d["paths"]["/tasks/{task_id}"].update(delete={"operationId": "delete_task", "responses": {"204": {"description": "gone"}}}),
     "operation-added", False, TASK, f"{TASK}/delete"),
    ("path changed", None, _move_get, "operation-moved", True, f"{TASK}/get", "/paths/~1todos~1{id}/get"),
    ("method changed", None, _get_becomes_post, "operation-moved", True, f"{TASK}/get", f"{TASK}/post"),
    ("required parameter added", None, lambda d: _get(d)["parameters"].append({"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}}),
     "parameter-added-required", True, f"{TASK}/get", f"{TASK}/get/parameters/3"),
    ("optional parameter added", None, lambda d: _get(d)["parameters"].append({"name": "page", "in": "query", "schema": {"type": "integer"}}),
     "parameter-added", False, f"{TASK}/get", f"{TASK}/get/parameters/3"),
    ("parameter removed", None, lambda d: _get(d)["parameters"].pop(1),
     "parameter-removed", True, f"{TASK}/get/parameters/1", f"{TASK}/get"),
    ("parameter moved to a header", None, lambda d: _get(d)["parameters"][1].update({"in": "header"}),
     "parameter-moved", True, f"{TASK}/get/parameters/1", f"{TASK}/get/parameters/1"),
    ("parameter became required", None, lambda d: _get(d)["parameters"][1].update({"required": True}),
     "parameter-became-required", True, f"{TASK}/get/parameters/1", f"{TASK}/get/parameters/1"),
    ("parameter became optional", lambda d: _get(d)["parameters"][1].update({"required": True}), lambda d: None,
     "parameter-became-optional", False, f"{TASK}/get/parameters/1", f"{TASK}/get/parameters/1"),
    ("parameter type narrowed", None, lambda d: _get(d)["parameters"][2]["schema"].update({"maximum": 50}),
     "request-type-narrowed", True, f"{TASK}/get/parameters/2/schema/maximum", f"{TASK}/get/parameters/2/schema/maximum"),
    ("parameter type widened", None, lambda d: _get(d)["parameters"][2]["schema"].update({"type": "number"}),
     "request-type-widened", False, f"{TASK}/get/parameters/2/schema", f"{TASK}/get/parameters/2/schema"),
    ("parameter type changed", None, lambda d: _get(d)["parameters"][1]["schema"].update({"type": "string"}),
     "request-type-changed", True, f"{TASK}/get/parameters/1/schema", f"{TASK}/get/parameters/1/schema"),
    ("request property added as required", None,
     lambda d: (_schema(d, "TaskInput")["properties"].update(owner={"type": "string"}), _schema(d, "TaskInput")["required"].append("owner")),
     "request-property-added-required", True, "/components/schemas/TaskInput/properties", "/components/schemas/TaskInput/properties/owner"),
    ("optional request property added", None, lambda d: _schema(d, "TaskInput")["properties"].update(owner={"type": "string"}),
     "request-property-added", False, "/components/schemas/TaskInput/properties", "/components/schemas/TaskInput/properties/owner"),
    ("request property narrowed", None, lambda d: _schema(d, "TaskInput")["properties"]["title"].update(maxLength=50),
     "request-type-narrowed", True, "/components/schemas/TaskInput/properties/title/maxLength", "/components/schemas/TaskInput/properties/title/maxLength"),
    ("request property became required", None, lambda d: _schema(d, "TaskInput")["required"].append("size"),
     "request-property-became-required", True, "/components/schemas/TaskInput/properties/size", "/components/schemas/TaskInput/properties/size"),
    ("request enum value removed", None, lambda d: _schema(d, "TaskInput")["properties"]["state"]["enum"].pop(),
     "request-enum-value-removed", True, "/components/schemas/TaskInput/properties/state/enum/1", "/components/schemas/TaskInput/properties/state/enum"),
    ("request enum value added", None, lambda d: _schema(d, "TaskInput")["properties"]["state"]["enum"].append("archived"),
     "request-enum-value-added", False, "/components/schemas/TaskInput/properties/state/enum", "/components/schemas/TaskInput/properties/state/enum/2"),
    ("response property removed", None, lambda d: _schema(d, "Task")["properties"].pop("note"),
     "response-property-removed", True, "/components/schemas/Task/properties/note", "/components/schemas/Task/properties"),
    ("response property made nullable", None, lambda d: _schema(d, "Task")["properties"]["title"].update(nullable=True),
     "response-became-nullable", True, "/components/schemas/Task/properties/title", "/components/schemas/Task/properties/title"),
    ("response property made optional", None, lambda d: _schema(d, "Task")["required"].remove("title"),
     "response-property-became-optional", True, "/components/schemas/Task/properties/title", "/components/schemas/Task/properties/title"),
    ("response property added", None, lambda d: _schema(d, "Task")["properties"].update(owner={"type": "string"}),
     "response-property-added", False, "/components/schemas/Task/properties", "/components/schemas/Task/properties/owner"),
    ("response enum value added", None, lambda d: _schema(d, "Task")["properties"]["state"]["enum"].append("archived"),
     "response-enum-value-added", True, "/components/schemas/Task/properties/state/enum", "/components/schemas/Task/properties/state/enum/2"),
    ("response enum value removed", None, lambda d: _schema(d, "Task")["properties"]["state"]["enum"].pop(),
     "response-enum-value-removed", False, "/components/schemas/Task/properties/state/enum/1", "/components/schemas/Task/properties/state/enum"),
    ("response type widened", None, lambda d: _schema(d, "Task")["properties"]["id"].update(type="number"),
     "response-type-widened", True, "/components/schemas/Task/properties/id", "/components/schemas/Task/properties/id"),
    ("success status changed", None, _status_201, "success-status-changed", True, f"{TASK}/get/responses/200", f"{TASK}/get/responses/201"),
    ("success status removed", None, lambda d: _put(d)["responses"].pop("204"),
     "success-status-removed", True, f"{TASK}/put/responses/204", f"{TASK}/put/responses"),
    ("response media type removed", _csv_too, lambda d: None,
     "response-media-type-removed", True, f"{TASK}/get/responses/200/content/text~1csv", f"{TASK}/get/responses/200/content"),
    ("request media type added", None, lambda d: _put(d)["requestBody"]["content"].update({"text/plain": {"schema": {"type": "string"}}}),
     "request-media-type-added", False, f"{TASK}/put/requestBody/content", f"{TASK}/put/requestBody/content/text~1plain"),
    ("request body became required", lambda d: _put(d)["requestBody"].update(required=False), lambda d: None,
     "request-body-became-required", True, f"{TASK}/put/requestBody", f"{TASK}/put/requestBody"),
    ("security scheme added", None,
     lambda d: (d["components"]["securitySchemes"].update(oauth={"type": "http", "scheme": "bearer"}), _get(d)["security"][0].update(oauth=[])),
     "security-scheme-added", True, f"{TASK}/get/security", f"{TASK}/get/security/0/oauth"),
    ("security scope added", None, lambda d: _get(d)["security"][0]["key"].append("tasks:admin"),
     "security-scope-added", True, f"{TASK}/get/security/0/key", f"{TASK}/get/security/0/key/1"),
    ("security scope removed", None, lambda d: _get(d)["security"][0]["key"].clear(),
     "security-scope-removed", False, f"{TASK}/get/security/0/key/0", f"{TASK}/get/security/0/key"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_one_change_one_finding(case: tuple[Any, ...]) -> None:
    _name, change_old, change_new, rule, breaking, old_pointer, new_pointer = case
    old, new = base(), base()
    if change_old is not None:
        change_old(old)
    change_new(new)
    found = [(c.rule, c.breaking, c.old, c.new) for c in compare_wire(old, new)]
    assert found == [(rule, breaking, old_pointer, new_pointer)]


def test_the_same_document_has_no_change() -> None:
    assert compare_wire(base(), base()) == []


def test_a_shared_schema_is_reported_once_where_it_is_defined() -> None:
    new = base()
    _schema(new, "Task")["properties"].pop("id")  # Task answers both GET and PUT
    found = compare_wire(base(), new)
    assert [(c.rule, c.old) for c in found] == [("response-property-removed", "/components/schemas/Task/properties/id")]
