"""One pair of small documents per Python-surface rule: what stops working in code written against the old
generated client or server, the exact rule, whose code it touches, and the pointer in each document."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from generator.diff.change import PYTHON
from generator.diff.compare import compare
from tests.diff.documents import TASK, base

Doc = dict[str, Any]
GET, PUT = f"{TASK}/get", f"{TASK}/put"


def _get(doc: Doc) -> Doc:
    return doc["paths"]["/tasks/{task_id}"]["get"]


def _python(old: Doc, new: Doc) -> list[tuple[str, str, bool, str, str, str]]:
    report = compare(old, new, "old.yaml", "new.yaml")
    return [(c.target, c.rule, c.breaking, c.message, c.old, c.new) for c in report.changes if c.level == PYTHON]


def _rename_operation(doc: Doc) -> None:
    _get(doc)["operationId"] = "fetch_task"


def _rename_placeholder(doc: Doc) -> None:
    item = doc["paths"].pop("/tasks/{task_id}")
    for operation in item.values():
        operation["parameters"][0]["name"] = "id"
    doc["paths"]["/tasks/{id}"] = item


def _two_path_parameters(doc: Doc) -> None:
    operation = doc["paths"].pop("/tasks/{task_id}")["get"]
    operation["parameters"].insert(0, {"name": "project_id", "in": "path", "required": True, "schema": {"type": "string"}})
    doc["paths"]["/projects/{project_id}/tasks/{task_id}"] = {"get": operation}


def _swap_path_parameters(doc: Doc) -> None:
    _two_path_parameters(doc)
    parameters = doc["paths"]["/projects/{project_id}/tasks/{task_id}"]["get"]["parameters"]
    parameters[0], parameters[1] = parameters[1], parameters[0]


def _path_parameter_to_query(doc: Doc) -> None:
    operation = doc["paths"]["/tasks/{task_id}"].pop("get")
    operation["parameters"][0]["in"] = "query"
    doc["paths"]["/tasks"] = {"get": operation}


def _rename_schema(doc: Doc) -> None:
    schemas = doc["components"]["schemas"]
    schemas["Todo"] = schemas.pop("Task")
    doc.update(json.loads(json.dumps(doc).replace('"#/components/schemas/Task"', '"#/components/schemas/Todo"')))


def _rename_tag(doc: Doc) -> None:
    for operation in doc["paths"]["/tasks/{task_id}"].values():
        operation["tags"] = ["todos"]


def _input_field_required(doc: Doc) -> None:
    doc["components"]["schemas"]["TaskInput"]["required"].append("size")


def _output_field_optional(doc: Doc) -> None:
    doc["components"]["schemas"]["Task"]["required"].remove("id")


def _narrow_limit(doc: Doc) -> None:
    _get(doc)["parameters"][2]["schema"] = {"type": "integer"}


def _limit_int_or_str(doc: Doc) -> None:
    _get(doc)["parameters"][2]["schema"] = {"anyOf": [{"type": "integer"}, {"type": "string"}]}


def _drop_done(doc: Doc) -> None:
    doc["components"]["schemas"]["Task"]["properties"]["state"]["enum"].remove("done")


SERVER_RENAME = "an implementation overriding `get_task` is no longer called (the operation answers 501)"
TWO = "/paths/~1projects~1{project_id}~1tasks~1{task_id}/get"

CASES: list[tuple[str, Callable[[Doc], None] | None, Callable[[Doc], None], list[tuple[str, str, bool, str, str, str]]]] = [
    ("operationId renamed", None, _rename_operation, [
        ("client", "method-renamed", True, "client method `client.tasks.get_task` renamed to `client.tasks.fetch_task`",
         f"{GET}/operationId", f"{GET}/operationId"),
        ("server", "class-renamed", True, "request class `TasksGetTaskRequest` renamed to `TasksFetchTaskRequest`",
         f"{GET}/operationId", f"{GET}/operationId"),
        ("server", "server-method-renamed", True,
         f"server interface method `TasksApi.get_task` renamed to `TasksApi.fetch_task`: {SERVER_RENAME}", f"{GET}/operationId", f"{GET}/operationId"),
    ]),
    ("path placeholder renamed: the wire is the same, the keyword is not", None, _rename_placeholder, [
        ("client", "parameter-renamed", True, "parameter `task_id` of `client.tasks.get_task` renamed to `id`",
         f"{GET}/parameters/0", "/paths/~1tasks~1{id}/get/parameters/0"),
        ("client", "parameter-renamed", True, "parameter `task_id` of `client.tasks.update_task` renamed to `id`",
         f"{PUT}/parameters/0", "/paths/~1tasks~1{id}/put/parameters/0"),
        ("server", "parameter-renamed", True, "request field `task_id` of `TasksApi.get_task` renamed to `id`",
         f"{GET}/parameters/0", "/paths/~1tasks~1{id}/get/parameters/0"),
        ("server", "parameter-renamed", True, "request field `task_id` of `TasksApi.update_task` renamed to `id`",
         f"{PUT}/parameters/0", "/paths/~1tasks~1{id}/put/parameters/0"),
    ]),
    ("path parameters declared in another order: positions swap", _two_path_parameters, _swap_path_parameters, [
        ("client", "parameter-moved", True, "parameter `project_id` of `client.tasks.get_task` moved from position 1 to 2",
         f"{TWO}/parameters/0", f"{TWO}/parameters/1"),
        ("client", "parameter-moved", True, "parameter `task_id` of `client.tasks.get_task` moved from position 2 to 1",
         f"{TWO}/parameters/1", f"{TWO}/parameters/0"),
    ]),
    ("path parameter sent in the query: keyword-only", None, _path_parameter_to_query, [
        ("client", "parameter-became-keyword-only", True, "parameter `task_id` of `client.tasks.get_task` became keyword-only",
         f"{GET}/parameters/0", "/paths/~1tasks/get/parameters/0"),
    ]),
    ("annotation narrowed", _limit_int_or_str, _narrow_limit, [
        ("client", "annotation-narrowed", True, "parameter `limit` of `client.tasks.get_task`: `int | str | _rt.Unset` -> `int | _rt.Unset`",
         f"{GET}/parameters/2", f"{GET}/parameters/2"),
        ("server", "annotation-narrowed", False, "request field `limit` of `TasksApi.get_task`: `int | str` -> `int`",
         f"{GET}/parameters/2", f"{GET}/parameters/2"),
    ]),
    ("schema renamed: class renamed", None, _rename_schema, [
        ("client", "return-changed", True, "`client.tasks.get_task` returns `Todo` instead of `Task`", f"{GET}/operationId", f"{GET}/operationId"),
        ("client", "return-changed", True, "`client.tasks.update_task` returns `Todo` instead of `Task`", f"{PUT}/operationId", f"{PUT}/operationId"),
        ("server", "return-changed", True, "`TasksApi.get_task` returns `Todo` instead of `Task`", f"{GET}/operationId", f"{GET}/operationId"),
        ("server", "return-changed", True, "`TasksApi.update_task` returns `Todo` instead of `Task`", f"{PUT}/operationId", f"{PUT}/operationId"),
        ("models", "class-renamed", True, "model `Task` renamed to `Todo`", "/components/schemas/Task", "/components/schemas/Todo"),
        ("models", "annotation-changed", True, "field `Todo.state`: `TaskState` -> `TodoState`",
         "/components/schemas/Task/properties/state", "/components/schemas/Todo/properties/state"),
        ("models", "class-renamed", True, "enum `TaskState` renamed to `TodoState`",
         "/components/schemas/Task/properties/state", "/components/schemas/Todo/properties/state"),
    ]),
    ("tag renamed: resource, classes and interface renamed", None, _rename_tag, [
        ("client", "method-renamed", True, "client method `client.tasks.get_task` renamed to `client.todos.get_task`", f"{GET}/operationId", f"{GET}/operationId"),
        ("client", "class-renamed", True, "client class `TasksResource` renamed to `TodosResource`", f"{GET}/tags", f"{GET}/tags"),
        ("client", "resource-renamed", True, "client attribute `client.tasks` renamed to `client.todos`", f"{GET}/tags", f"{GET}/tags"),
        ("client", "method-renamed", True, "client method `client.tasks.update_task` renamed to `client.todos.update_task`", f"{PUT}/operationId", f"{PUT}/operationId"),
        ("server", "class-renamed", True, "request class `TasksGetTaskRequest` renamed to `TodosGetTaskRequest`", f"{GET}/operationId", f"{GET}/operationId"),
        ("server", "server-method-renamed", True,
         f"server interface method `TasksApi.get_task` renamed to `TodosApi.get_task`: {SERVER_RENAME}", f"{GET}/operationId", f"{GET}/operationId"),
        ("server", "class-renamed", True, "server interface `TasksApi` renamed to `TodosApi` (implementations subclass it)", f"{GET}/tags", f"{GET}/tags"),
        ("server", "class-renamed", True, "request class `TasksUpdateTaskRequest` renamed to `TodosUpdateTaskRequest`", f"{PUT}/operationId", f"{PUT}/operationId"),
        ("server", "server-method-renamed", True,
         "server interface method `TasksApi.update_task` renamed to `TodosApi.update_task`: an implementation overriding `update_task` is no longer called (the operation answers 501)",
         f"{PUT}/operationId", f"{PUT}/operationId"),
    ]),
    ("enum value removed: member removed", None, _drop_done, [
        ("models", "member-removed", True, "member `TaskState.DONE` removed",
         "/components/schemas/Task/properties/state/enum/1", "/components/schemas/Task/properties/state"),
    ]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_one_change_its_python_findings(case: tuple[Any, ...]) -> None:
    _name, change_both, change_new, expected = case
    old, new = base(), base()
    if change_both is not None:
        change_both(old)
    change_new(new)
    assert _python(old, new) == expected


def test_a_required_keyword_of_the_client_is_breaking_an_optional_one_is_not() -> None:
    required, optional = base(), base()
    _get(required)["parameters"].append({"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}})
    _get(optional)["parameters"].append({"name": "page", "in": "query", "schema": {"type": "integer"}})
    assert ("client", "parameter-added", True) in [c[:3] for c in _python(base(), required)]
    assert [c[:3] for c in _python(base(), optional) if c[0] == "client"] == [("client", "parameter-added", False)]


def test_field_made_required_breaks_constructors_of_an_input_model_and_optional_breaks_readers_of_an_output_model() -> None:
    made_required = base()
    _input_field_required(made_required)
    assert ("models", "field-became-required", True, "field `TaskInput.size` became required",
            "/components/schemas/TaskInput/properties/size", "/components/schemas/TaskInput/properties/size") in _python(base(), made_required)
    made_optional = base()
    _output_field_optional(made_optional)
    assert ("models", "field-became-optional", True, "field `Task.id` became optional",
            "/components/schemas/Task/properties/id", "/components/schemas/Task/properties/id") in _python(base(), made_optional)
