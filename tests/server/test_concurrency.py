"""No lost or duplicated writes: concurrent clients against the live server, and threads on the store itself."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

from posthog_server import Context, Store
from posthog_server.models import Dataset, DatasetInput, PatchedDataset, PaginatedDatasetList

from .conftest import ALL_KEY, LiveServer

N = 50


async def test_concurrent_creates_and_patches_through_async_client(live_server: LiveServer, project: str) -> None:
    from posthog_client import AsyncPostHogClient

    async with AsyncPostHogClient(ALL_KEY, host=live_server.url, max_retries=0) as client:
        created = await asyncio.gather(
            *(client.datasets.create(project, name=f"ds-{i}", metadata={"i": i}) for i in range(N))
        )
        ids = [dataset.id for dataset in created]
        assert len(set(ids)) == N
        patched = await asyncio.gather(
            *(client.datasets.update(project, dataset.id, description=f"patched-{dataset.name}") for dataset in created)
        )
        assert all(p.description == f"patched-{p.name}" for p in patched)
        page = await client.datasets.list(project, limit=1000)
        themes = await asyncio.gather(*(client.data_color_themes.create(project, name=f"t{i}") for i in range(N)))

    assert page.count == N and len(page.results) == N
    assert {d.id for d in page.results} == set(ids)
    for dataset in page.results:
        index = int(dataset.name.removeprefix("ds-"))
        assert dataset.metadata == {"i": index}
        assert dataset.description == f"patched-ds-{index}"
    theme_ids = sorted(theme.id for theme in themes)
    assert len(set(theme_ids)) == N and theme_ids == list(range(theme_ids[0], theme_ids[0] + N))


def _ctx(project: str, *, body: Any = None, id: Any = None, query: dict[str, Any] | None = None) -> Context:
    path: dict[str, Any] = {"project_id": project}
    if id is not None:
        path["id"] = id
    return Context(
        key="k",
        scopes=frozenset({"*"}),
        path=path,
        query=query or {},
        body=body,
        url="http://x/api/",
        base_url="http://x/",
    )


def test_store_is_thread_safe() -> None:
    store = Store()
    threads, per_thread = 8, 100
    results: list[list[Dataset]] = [[] for _ in range(threads)]

    def work(slot: int) -> None:
        for i in range(per_thread):
            row = store.create(_ctx("1", body=DatasetInput(name=f"{slot}-{i}")), "datasets", Dataset, id_kind="uuid")
            results[slot].append(row)
            store.update(
                _ctx("1", body=PatchedDataset(description=f"d{slot}-{i}"), id=row.id), "datasets", Dataset, id_kind="uuid"
            )

    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    page = store.list(_ctx("1", query={"limit": 10_000}), "datasets", PaginatedDatasetList, id_kind="uuid")
    assert page.count == threads * per_thread
    ids = {row.id for rows in results for row in rows}
    assert len(ids) == threads * per_thread and {d.id for d in page.results} == ids
    assert all(d.description == f"d{d.name}" for d in page.results)
    assert len(store.rows("datasets")) == threads * per_thread


def test_int_ids_are_unique_across_threads() -> None:
    from posthog_server.models import DataColorTheme, DataColorThemeInput

    store = Store()
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for i in range(200):
            theme = store.create(
                _ctx(str(uuid.uuid4()), body=DataColorThemeInput(name=str(i))), "themes", DataColorTheme, id_kind="int"
            )
            with lock:
                seen.append(theme.id)

    workers = [threading.Thread(target=work) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(seen) == list(range(1, 6 * 200 + 1))
