"""The in-memory implementation's behaviour, driven through the generated client (sync and async flavours)
against the server running under uvicorn."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from posthog_client import (
    AuthenticationError,
    ConflictError,
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
)
from posthog_client.models import Format, OrderByItem

from .conftest import ALL_KEY, OTHER_KEY, READ_KEY, LiveServer


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --------------------------------------------------------------------------------------------------- create / read


async def test_create_fills_server_fields(api: Any, project: str) -> None:
    before = utcnow()
    dataset = await api.datasets.create(project, name="Golden set", description="d", metadata={"k": [1, 2]})
    assert isinstance(dataset.id, uuid.UUID)
    assert dataset.name == "Golden set" and dataset.description == "d" and dataset.metadata == {"k": [1, 2]}
    assert before <= dataset.created_at <= utcnow()
    assert dataset.updated_at == dataset.created_at
    assert dataset.team == int(project)
    assert dataset.created_by.email == "dev@example.com"
    again = await api.datasets.create(project, name="second")
    assert again.created_by == dataset.created_by, "one stable user per API key"
    assert again.description is None and again.deleted is None
    fetched = await api.datasets.retrieve(project, dataset.id)
    assert fetched == dataset


async def test_created_by_differs_per_key(client_factory: Any, project: str) -> None:
    mine = await client_factory(ALL_KEY).datasets.create(project, name="a")
    theirs = await client_factory(OTHER_KEY).datasets.create(project, name="b")
    assert mine.created_by.id != theirs.created_by.id
    assert mine.created_by.uuid != theirs.created_by.uuid


async def test_int_ids_increase_per_collection(api: Any, project: str) -> None:
    first = await api.data_color_themes.create(project, name="one", colors=["#000"])
    second = await api.data_color_themes.create(project, name="two")
    assert isinstance(first.id, int) and second.id > first.id
    assert first.is_global is not None and first.created_by.email == "dev@example.com"
    assert (await api.data_color_themes.retrieve(project, first.id)).colors == ["#000"]


async def test_projects_never_see_each_other(api: Any, project: str) -> None:
    other = str(int(project) + 1)
    dataset = await api.datasets.create(project, name="private")
    assert (await api.datasets.list(other)).count == 0
    with pytest.raises(NotFoundError):
        await api.datasets.retrieve(other, dataset.id)
    with pytest.raises(NotFoundError):
        await api.datasets.update(other, dataset.id, name="stolen")
    assert (await api.datasets.retrieve(project, dataset.id)).name == "private"


async def test_environment_and_project_paths_share_datasets(api: Any, project: str) -> None:
    dataset = await api.environment_datasets.create(project, name="env")
    assert (await api.datasets.retrieve(project, dataset.id)).name == "env"
    assert [d.id for d in (await api.datasets.list(project)).results] == [dataset.id]


async def test_missing_rows_are_404(api: Any, project: str) -> None:
    with pytest.raises(NotFoundError):
        await api.datasets.retrieve(project, uuid.uuid4())
    with pytest.raises(NotFoundError):
        await api.data_color_themes.retrieve(project, 987654)
    with pytest.raises(NotFoundError):
        await api.dataset_items.update(project, uuid.uuid4(), deleted=True)


# --------------------------------------------------------------------------------------------------- update / delete


async def test_patch_sets_only_sent_fields(api: Any, project: str) -> None:
    dataset = await api.datasets.create(project, name="n", description="keep", metadata={"a": 1})
    updated = await api.datasets.update(project, dataset.id, metadata={"b": 2})
    assert updated.name == "n" and updated.description == "keep" and updated.metadata == {"b": 2}
    assert updated.created_at == dataset.created_at and updated.updated_at > dataset.updated_at
    cleared = await api.datasets.update(project, dataset.id, description=None)
    assert cleared.description is None and cleared.metadata == {"b": 2}
    assert await api.datasets.retrieve(project, dataset.id) == cleared


async def test_soft_delete_hides_rows(api: Any, project: str) -> None:
    keep = await api.datasets.create(project, name="keep")
    gone = await api.datasets.create(project, name="gone")
    with pytest.raises(MethodNotAllowedError) as info:
        await api.datasets.destroy(project, gone.id)
    assert info.value.status_code == 405 and "deleted" in (info.value.detail or "")
    deleted = await api.datasets.update(project, gone.id, deleted=True)
    assert deleted.deleted is True
    page = await api.datasets.list(project)
    assert page.count == 1 and [d.id for d in page.results] == [keep.id]
    with pytest.raises(NotFoundError):
        await api.datasets.retrieve(project, gone.id)


async def test_soft_delete_dataset_items(api: Any, project: str) -> None:
    item = await api.dataset_items.create(project, dataset=uuid.uuid4(), input={"q": 1}, output="a")
    with pytest.raises(MethodNotAllowedError):
        await api.dataset_items.destroy(project, item.id)
    await api.dataset_items.update(project, item.id, deleted=True)
    assert (await api.dataset_items.list(project)).count == 0
    with pytest.raises(NotFoundError):
        await api.dataset_items.retrieve(project, item.id)


async def test_hard_delete_of_themes(api: Any, project: str) -> None:
    theme = await api.data_color_themes.create(project, name="bye")
    assert await api.data_color_themes.destroy(project, theme.id) is None
    with pytest.raises(NotFoundError):
        await api.data_color_themes.retrieve(project, theme.id)
    with pytest.raises(NotFoundError):
        await api.data_color_themes.destroy(project, theme.id)


# --------------------------------------------------------------------------------------------------- lists


async def test_pagination_with_absolute_urls(api: Any, project: str, live_server: LiveServer) -> None:
    made = [await api.datasets.create(project, name=f"d{i}") for i in range(5)]
    first = await api.datasets.list(project, limit=2)
    assert first.count == 5 and len(first.results) == 2 and first.previous is None
    assert first.next is not None and first.next.startswith(f"{live_server.url}/api/projects/{project}/datasets/?")
    assert parse_qs(urlsplit(first.next).query) == {"limit": ["2"], "offset": ["2"]}
    middle = await api.datasets.list(project, limit=2, offset=2)
    assert middle.previous is not None and parse_qs(urlsplit(middle.previous).query) == {"limit": ["2"]}
    last = await api.datasets.list(project, limit=2, offset=4)
    assert last.next is None and len(last.results) == 1
    assert parse_qs(urlsplit(last.previous).query) == {"limit": ["2"], "offset": ["2"]}
    everything = await api.datasets.list_all(project, limit=2)
    assert [d.id for d in everything] == [d.id for d in reversed(made)], "default order: newest first"
    assert (await api.datasets.list(project, offset=10)).results == []


async def test_default_page_size_is_100(api: Any, project: str) -> None:
    for i in range(101):
        await api.data_color_themes.create(project, name=f"t{i}")
    page = await api.data_color_themes.list(project)
    assert page.count == 101 and len(page.results) == 100 and page.next is not None
    assert parse_qs(urlsplit(page.next).query) == {"limit": ["100"], "offset": ["100"]}


async def test_next_url_keeps_filters(api: Any, project: str) -> None:
    for i in range(3):
        await api.datasets.create(project, name=f"match {i}")
    await api.datasets.create(project, name="other")
    page = await api.datasets.list(project, search="MATCH", limit=1)
    assert page.count == 3
    assert parse_qs(urlsplit(page.next).query) == {"search": ["MATCH"], "limit": ["1"], "offset": ["1"]}
    assert len(await api.datasets.list_all(project, search="match", limit=1)) == 3


async def test_search_covers_name_description_metadata(api: Any, project: str) -> None:
    by_name = await api.datasets.create(project, name="Alpha Needle")
    by_description = await api.datasets.create(project, name="b", description="has a NEEDLE inside")
    by_metadata = await api.datasets.create(project, name="c", metadata={"tags": ["needlework"]})
    await api.datasets.create(project, name="d", description="nothing")
    found = await api.datasets.list(project, search="needle")
    assert {d.id for d in found.results} == {by_name.id, by_description.id, by_metadata.id}
    assert (await api.datasets.list(project, search="dev@example.com")).count == 0, "read-only fields not searched"
    assert (await api.datasets.list(project, search=str(by_name.id))).count == 0, "ids not searched"
    assert (await api.datasets.list(project, search="")).count == 4


async def test_id_in_filter(api: Any, project: str) -> None:
    a = await api.datasets.create(project, name="a")
    b = await api.datasets.create(project, name="b")
    await api.datasets.create(project, name="c")
    page = await api.datasets.list(project, id_in=[a.id, b.id, uuid.uuid4()])
    assert {d.id for d in page.results} == {a.id, b.id}


async def test_order_by(api: Any, project: str) -> None:
    a = await api.datasets.create(project, name="a")
    b = await api.datasets.create(project, name="b")
    c = await api.datasets.create(project, name="c")
    ascending = await api.datasets.list(project, order_by=[OrderByItem.CREATED_AT])
    assert [d.id for d in ascending.results] == [a.id, b.id, c.id]
    descending = await api.datasets.list(project, order_by=[OrderByItem.MINUS_CREATED_AT])
    assert [d.id for d in descending.results] == [c.id, b.id, a.id]
    await api.datasets.update(project, a.id, description="touched")
    recent = await api.datasets.list(project, order_by=[OrderByItem.MINUS_UPDATED_AT])
    assert recent.results[0].id == a.id


async def test_equality_filter_on_row_field(api: Any, project: str) -> None:
    one, two = uuid.uuid4(), uuid.uuid4()
    first = await api.dataset_items.create(project, dataset=one, input="x")
    await api.dataset_items.create(project, dataset=two, input="y")
    second = await api.dataset_items.create(project, dataset=one, input="z")
    page = await api.dataset_items.list(project, dataset=one)
    assert page.count == 2 and {i.id for i in page.results} == {first.id, second.id}
    assert (await api.dataset_items.list(project)).count == 3
    assert (await api.dataset_items.list(project, dataset=uuid.uuid4())).count == 0


# --------------------------------------------------------------------------------------------------- dashboards


async def test_create_from_template_json_returns_the_row(api: Any, project: str) -> None:
    raw = await api.dashboards.create_from_template_json(project, name="From template", pinned=True, tags=["x"])
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("application/json")
    row = raw.json()
    assert isinstance(row["id"], int) and row["name"] == "From template" and row["pinned"] is True
    again = (await api.dashboards.create_from_template_json(project, name="again", tags=["x"])).json()
    assert again["id"] > row["id"], "no uniqueness for this action"


async def test_unlisted_dashboard_unique_per_tag_per_project(api: Any, project: str) -> None:
    first = await api.dashboards.create_unlisted_dashboard(project, name="u", tags=["llm", "a"])
    assert first.status_code == 200
    with pytest.raises(ConflictError) as info:
        await api.dashboards.create_unlisted_dashboard(project, name="dup", tags=["b", "llm"])
    assert info.value.status_code == 409 and "llm" in (info.value.detail or "")
    assert (await api.dashboards.create_unlisted_dashboard(project, tags=["b"])).status_code == 200
    other = str(int(project) + 1)
    assert (await api.dashboards.create_unlisted_dashboard(other, tags=["llm"])).status_code == 200


async def test_stream_tiles(api: Any, project: str) -> None:
    row = (await api.dashboards.create_from_template_json(project, name="Tiles")).json()
    raw = await api.dashboards.stream_tiles(project, row["id"])
    lines = [json.loads(line) for line in raw.text.splitlines() if line]
    assert lines and lines[0]["type"] == "dashboard" and lines[0]["dashboard"]["id"] == row["id"]
    assert lines[0]["dashboard"]["name"] == "Tiles"
    text = await api.dashboards.stream_tiles(project, row["id"], format=Format.TXT)
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.splitlines()[0] == f"dashboard {row['id']}: Tiles"
    with pytest.raises(NotFoundError):
        await api.dashboards.stream_tiles(project, row["id"] + 10_000)
    with pytest.raises(NotFoundError):
        await api.dashboards.stream_tiles(str(int(project) + 1), row["id"])


async def test_stream_tiles_streamed(live_server: LiveServer, project: str) -> None:
    from posthog_client import AsyncPostHogClient, PostHogClient

    with PostHogClient(ALL_KEY, host=live_server.url) as client:
        row = client.dashboards.create_from_template_json(project, name="S").json()
        with client.dashboards.stream_tiles_stream(project, row["id"]) as stream:
            lines = list(stream.iter_lines())
        assert json.loads(lines[0])["dashboard"]["name"] == "S"
    async with AsyncPostHogClient(ALL_KEY, host=live_server.url) as async_client:
        async with async_client.dashboards.stream_tiles_stream(project, row["id"], format=Format.TXT) as astream:
            text = [line async for line in astream.aiter_lines()]
        assert text[0] == f"dashboard {row['id']}: S"


# --------------------------------------------------------------------------------------------------- auth


async def test_auth_errors_through_the_client(client_factory: Any, project: str) -> None:
    with pytest.raises(AuthenticationError):
        await client_factory(None).datasets.list(project)
    with pytest.raises(AuthenticationError):
        await client_factory("phx_wrong").datasets.list(project)
    reader = client_factory(READ_KEY)
    assert (await reader.datasets.list(project)).count == 0
    with pytest.raises(PermissionDeniedError) as info:
        await reader.datasets.create(project, name="x")
    assert "dataset:write" in (info.value.detail or "")
    with pytest.raises(PermissionDeniedError) as info:
        await reader.dashboards.create_unlisted_dashboard(project, tags=["t"])
    assert "dashboard:write" in (info.value.detail or "")
