"""Every operation of the spec, through the sync and the async client, against a mock transport.

Each case states the call, the exact request it must produce (method, path, query, headers, JSON body) and answers
with the spec's example (plus fields a newer server might add), then checks the parsed result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

import httpx
import pytest
from client_support import HOST, KEY, LIST, Recorder, example, operations

from posthog_client import ApiError, MethodNotAllowedError, RawResult
from posthog_client.models import (
    DataColorTheme,
    Dataset,
    DatasetItem,
    Format,
    OrderByItem,
    PaginatedDataColorThemeList,
    PaginatedDatasetItemList,
    PaginatedDatasetList,
    RestrictionLevelEnum,
    UserBasic,
)

PROJECT = "7"
U1 = UUID("497f6eca-6276-4993-bfeb-53cbbbba6f08")
U2 = UUID("d93f2be0-02b1-4d87-8b6e-fc5cba21ed8d")
WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
NO_BODY = object()
EXTRA = {"added_in_a_later_version": {"nested": [1, 2]}}
NOT_ALLOWED = {"type": "invalid_request", "code": "method_not_allowed", "detail": 'Method "DELETE" not allowed.'}
HINT = 'Hard delete of this model is not allowed. Use a patch API call to set "deleted" to true'


@dataclass(frozen=True)
class Case:
    operation_id: str
    call: str  # "resource.method"
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    path_values: dict[str, str] = field(default_factory=dict)
    query: tuple[str, ...] = ()  # the exact "name=value" pairs of the query string, in any order
    body: Any = NO_BODY  # the exact JSON body, or NO_BODY
    result: type | None = None  # the parsed type; None for no result
    answer: tuple[int, Any] | None = None  # (status, JSON) when the spec has no example
    raises: type[ApiError] | None = None


def dataset_family(tag: str) -> list[Case]:
    """The five dataset operations, the same under /api/environments/ and /api/projects/."""
    return [
        Case(
            f"{tag}_list",
            f"{tag}.{LIST}",
            (PROJECT,),
            {
                "id_in": [U1, U2],
                "order_by": [OrderByItem.MINUS_CREATED_AT, OrderByItem.UPDATED_AT],
                "limit": 100,
                "offset": 0,
                "search": "eval set/ä",
            },
            query=(
                f"id__in={U1},{U2}",
                "limit=100",
                "offset=0",
                "order_by=-created_at,updated_at",
                "search=eval%20set%2F%C3%A4",
            ),
            result=PaginatedDatasetList,
        ),
        Case(
            f"{tag}_create",
            f"{tag}.create",
            (PROJECT,),
            {"name": "Evals", "description": None, "metadata": {"owner": "ml", "tags": ["a"]}},
            body={"name": "Evals", "description": None, "metadata": {"owner": "ml", "tags": ["a"]}},
            result=Dataset,
        ),
        Case(f"{tag}_retrieve", f"{tag}.retrieve", (PROJECT, U1), path_values={"id": str(U1)}, result=Dataset),
        Case(
            f"{tag}_destroy",
            f"{tag}.destroy",
            (PROJECT, U1),
            path_values={"id": str(U1)},
            answer=(405, NOT_ALLOWED),
            raises=MethodNotAllowedError,
        ),
        Case(
            f"{tag}_update",
            f"{tag}.update",
            (PROJECT, U1),
            {"name": "Renamed", "deleted": None},
            path_values={"id": str(U1)},
            body={"name": "Renamed", "deleted": None},
            result=Dataset,
        ),
    ]


CASES = [
    Case(
        "dashboards_stream_tiles",
        "dashboards.stream_tiles",
        (PROJECT, 12),
        {"format": Format.JSON},
        path_values={"id": "12"},
        query=("format=json",),
        result=RawResult,
        answer=(200, {"tiles": [{"id": 1}]}),
    ),
    Case(
        "dashboards_create_from_template_json",
        "dashboards.create_from_template_json",
        (PROJECT,),
        {
            "name": "From template",
            "pinned": True,
            "tags": ["a", "b"],
            "restriction_level": RestrictionLevelEnum.VALUE_37,
            "last_refresh": WHEN,
            "data_color_theme_id": None,
            "create_in_folder": "Shared/Team",
        },
        body={
            "name": "From template",
            "pinned": True,
            "data_color_theme_id": None,
            "tags": ["a", "b"],
            "restriction_level": 37,
            "last_refresh": "2024-05-01T12:30:00+00:00",
            "_create_in_folder": "Shared/Team",
        },
        result=RawResult,
        answer=(200, {"id": 99}),
    ),
    Case(
        "dashboards_create_unlisted_dashboard",
        "dashboards.create_unlisted_dashboard",
        (PROJECT,),
        {"format": Format.JSON, "tags": ["llm-analytics"], "use_template": "llm"},
        query=("format=json",),
        body={"tags": ["llm-analytics"], "use_template": "llm"},
        result=RawResult,
        answer=(200, {"id": 100}),
    ),
    Case(
        "data_color_themes_list",
        f"data_color_themes.{LIST}",
        (PROJECT,),
        {"limit": 2, "offset": 4},
        query=("limit=2", "offset=4"),
        result=PaginatedDataColorThemeList,
    ),
    Case(
        "data_color_themes_create",
        "data_color_themes.create",
        (PROJECT,),
        {"name": "Brand", "colors": ["#ff0000", "#00ff00"]},
        body={"name": "Brand", "colors": ["#ff0000", "#00ff00"]},
        result=DataColorTheme,
    ),
    Case(
        "data_color_themes_retrieve",
        "data_color_themes.retrieve",
        (PROJECT, 3),
        path_values={"id": "3"},
        result=DataColorTheme,
    ),
    Case("data_color_themes_destroy", "data_color_themes.destroy", (PROJECT, 3), path_values={"id": "3"}),
    Case(
        "data_color_themes_update",
        "data_color_themes.update",
        (PROJECT, 3),
        {"colors": None},
        path_values={"id": "3"},
        body={"colors": None},
        result=DataColorTheme,
    ),
    Case(
        "dataset_items_list",
        f"dataset_items.{LIST}",
        (PROJECT,),
        {"dataset": U2, "limit": 10},
        query=(f"dataset={U2}", "limit=10"),
        result=PaginatedDatasetItemList,
    ),
    Case(
        "dataset_items_create",
        "dataset_items.create",
        (PROJECT,),
        {"dataset": U2, "input": {"q": "hi"}, "output": None, "ref_timestamp": WHEN, "deleted": False},
        body={
            "dataset": str(U2),
            "input": {"q": "hi"},
            "output": None,
            "ref_timestamp": "2024-05-01T12:30:00+00:00",
            "deleted": False,
        },
        result=DatasetItem,
    ),
    Case(
        "dataset_items_retrieve",
        "dataset_items.retrieve",
        (PROJECT, U1),
        path_values={"id": str(U1)},
        result=DatasetItem,
    ),
    Case(
        "dataset_items_destroy",
        "dataset_items.destroy",
        (PROJECT, U1),
        path_values={"id": str(U1)},
        answer=(405, NOT_ALLOWED),
        raises=MethodNotAllowedError,
    ),
    Case(
        "dataset_items_update",
        "dataset_items.update",
        (PROJECT, U1),
        {"deleted": True, "ref_trace_id": None},
        path_values={"id": str(U1)},
        body={"ref_trace_id": None, "deleted": True},
        result=DatasetItem,
    ),
    *dataset_family("environment_datasets"),
    *dataset_family("datasets"),
]


def test_the_cases_cover_every_operation_once() -> None:
    assert sorted(case.operation_id for case in CASES) == sorted(operations())
    assert len(CASES) == 23


def with_extras(value: Any) -> Any:
    """The example with a field no version of the spec knows, in every object that has an id."""
    if isinstance(value, dict):
        value = {k: with_extras(v) for k, v in value.items()}
        return {**value, **EXTRA} if "id" in value else value
    return [with_extras(v) for v in value] if isinstance(value, list) else value


def answer_for(case: Case) -> tuple[int, Any]:
    if case.answer is not None:
        return case.answer
    status, body = example(case.operation_id)
    return status, with_extras(body)


def handler_for(case: Case, recorder: Recorder) -> None:
    status, body = answer_for(case)
    content = b"" if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if content else {}
    recorder.handler = lambda request: httpx.Response(status, content=content, headers=headers)


def check_request(case: Case, recorder: Recorder) -> None:
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    method, template, _ = operations()[case.operation_id]
    path = template.replace("{project_id}", PROJECT)
    for name, value in case.path_values.items():
        path = path.replace("{" + name + "}", value)
    assert request.method == method
    assert f"{request.url.scheme}://{request.url.host}" == HOST
    assert request.url.raw_path.split(b"?")[0].decode() == path
    query = request.url.query.decode()
    assert sorted(query.split("&") if query else []) == sorted(case.query)
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["User-Agent"].startswith("posthog_client/")
    if case.body is NO_BODY:
        assert recorder.bodies[0] == b""
        assert "Content-Type" not in request.headers
    else:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(recorder.bodies[0]) == case.body


def wire(model: Any, name: str) -> Any:
    """A field by its wire name (the Python name may differ, e.g. `uuid_` for `uuid`)."""
    fields = type(model).model_fields
    return getattr(model, next(k for k, info in fields.items() if (info.alias or k) == name))


def check_user(user: Any) -> None:
    assert isinstance(user, UserBasic)
    assert wire(user, "uuid") == UUID("095be615-a8ad-4c33-8e9c-c7612fbf6c9f")
    assert isinstance(wire(user, "uuid"), UUID)
    assert user.email == "user@example.com"


def check_item(item: Any) -> None:
    """Typed fields are parsed (UUIDs, aware datetimes, the nested user) and the unknown field is kept."""
    assert isinstance(item.created_at, datetime)
    assert item.created_at == datetime(2019, 8, 24, 14, 15, 22, tzinfo=timezone.utc)
    check_user(item.created_by)
    assert item.model_extra == EXTRA and item.created_by.model_extra == EXTRA
    if isinstance(item, (Dataset, DatasetItem)):
        assert item.id == U1 and isinstance(item.id, UUID)
        assert isinstance(item.updated_at, datetime)
    if isinstance(item, DatasetItem):
        assert item.dataset == U2 and item.ref_timestamp == item.created_at


def check_result(case: Case, result: Any) -> None:
    status, body = answer_for(case)
    if case.result is None:
        assert result is None
        return
    assert type(result) is case.result
    if isinstance(result, RawResult):
        assert result.status_code == status and result.json() == body
        assert result.headers["Content-Type"] == "application/json"
        return
    # Nothing lost, nothing invented: the model dumps back to exactly what the server sent.
    assert json.loads(result.model_dump_json(by_alias=True)) == body
    items = result.results if hasattr(result, "results") else [result]
    assert items
    for item in items:
        check_item(item)
    if hasattr(result, "results"):
        assert result.count == 123 and result.next == "http://api.example.org/accounts/?offset=400&limit=100"


def check_error(case: Case, error: ApiError) -> None:
    assert type(error) is case.raises
    assert error.status_code == 405 and error.method == "DELETE"
    assert error.detail == NOT_ALLOWED["detail"]
    assert str(error).endswith(HINT) and "\n" not in str(error)
    assert KEY not in str(error)


def resolve(client: Any, call: str) -> Any:
    resource, method = call.split(".")
    return getattr(getattr(client, resource), method)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.operation_id)
def test_sync_operation(case: Case, client: Any, recorder: Recorder) -> None:
    handler_for(case, recorder)
    if case.raises:
        with pytest.raises(ApiError) as info:
            resolve(client, case.call)(*case.args, **case.kwargs)
        check_error(case, info.value)
    else:
        check_result(case, resolve(client, case.call)(*case.args, **case.kwargs))
    check_request(case, recorder)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.operation_id)
async def test_async_operation(case: Case, aclient: Any, recorder: Recorder) -> None:
    handler_for(case, recorder)
    if case.raises:
        with pytest.raises(ApiError) as info:
            await resolve(aclient, case.call)(*case.args, **case.kwargs)
        check_error(case, info.value)
    else:
        check_result(case, await resolve(aclient, case.call)(*case.args, **case.kwargs))
    check_request(case, recorder)
