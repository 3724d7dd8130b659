"""A user's script of the generated client, using every feature: `test_user_script.py` runs `mypy --strict` on it
(and each line marked as an expected error must be one). It is type-checked, not run."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import datetime, timezone
from typing import assert_type
from uuid import UUID

import httpx

from posthog_client import (
    ApiConnectionError,
    ApiError,
    ApiResponse,
    ApiTimeoutError,
    AsyncPage,
    AsyncPostHogClient,
    InvalidRequestError,
    NotFoundError,
    PostHogClient,
    RawResult,
    RequestOptions,
    ResponseValidationError,
    SyncPage,
    UnprocessableEntityError,
    with_raw_response,
    with_raw_response_async,
)
from posthog_client.models import (
    DataColorTheme,
    DataColorThemeInput,
    Dataset,
    DatasetInput,
    DatasetItem,
    DatasetItemInput,
    PaginatedDatasetList,
    PatchedDataColorTheme,
    PatchedDataset,
    PatchedDatasetItem,
)

logging.getLogger("posthog_client").setLevel(logging.DEBUG)
WHEN = datetime(2024, 5, 1, tzinfo=timezone.utc)


def sync_use(client: PostHogClient, id: UUID) -> None:
    # Per-call options on every method, and a configured copy sharing the pool.
    options: RequestOptions = {"timeout": 5.0, "extra_headers": {"X-Trace": "1"}}
    assert_type(client.datasets.retrieve("1", id, **options), Dataset)
    client.datasets.retrieve("1", id, timeout=httpx.Timeout(2.0), extra_query={"a": 1}, idempotency_key="k")
    client.datasets.update("1", id, name="n", extra_body={"x": [1]}, timeout=None)
    patient: PostHogClient = client.with_options(timeout=60.0, max_retries=5, headers={"X-Team": "ml"})
    assert_type(patient.datasets.list("1"), PaginatedDatasetList)
    keyed = PostHogClient(idempotency_header="Idempotency-Key").with_options(idempotency_header=None)
    keyed.close()

    # Request models or keywords; Sequence inputs; UUIDs as text.
    assert_type(client.datasets.create("1", name="n"), Dataset)
    assert_type(client.datasets.create("1", DatasetInput(name="n")), Dataset)
    assert_type(client.datasets.create("1", body=DatasetInput(name="n", description=None)), Dataset)
    assert_type(client.environment_datasets.update("1", str(id), PatchedDataset(deleted=True)), Dataset)
    client.datasets.update("1", id, description=None)  # sent as null
    client.datasets.update("1", id, deleted=True)  # soft delete
    client.data_color_themes.create("1", DataColorThemeInput(name="t"))
    assert_type(client.data_color_themes.update("1", 3, PatchedDataColorTheme()), DataColorTheme)
    item = client.dataset_items.create("1", DatasetItemInput(dataset=id, ref_timestamp=WHEN))
    assert_type(item, DatasetItem)
    client.dataset_items.create("1", dataset=str(id), metadata={"k": "v"})
    client.dataset_items.update("1", "0b7d…", PatchedDatasetItem(deleted=True))
    client.datasets.list("1", order_by=["-created_at"], id_in=[id, str(id)], limit=10)
    client.datasets.list("1", order_by=("created_at", "-updated_at"))
    client.dashboards.create_from_template_json("1", tags=("a", "b"), last_refresh=WHEN)

    # Optional constrained fields are optional.
    PatchedDataset()
    PatchedDataColorTheme(colors=None)

    # Iterators and page objects.
    assert_type(client.datasets.list_all("1"), Iterator[Dataset])
    first = client.datasets.list_pages("1", limit=2)
    assert_type(first, SyncPage[Dataset, PaginatedDatasetList])
    assert_type(first.results[0], Dataset)
    assert_type(first.model.count, int)
    if first.has_next_page():
        assert_type(first.next_page(), SyncPage[Dataset, PaginatedDatasetList])
    for page in first:
        assert_type(page.results[0], Dataset)
    for dataset in first.iter_items():
        assert_type(dataset, Dataset)

    # Raw responses and streaming.
    assert_type(client.datasets.destroy("1", id), None)
    assert_type(with_raw_response(client.datasets.retrieve)("1", id), ApiResponse[Dataset])
    assert_type(client.dashboards.stream_tiles("1", 2), RawResult)
    with client.dashboards.stream_tiles_stream("1", 2, timeout=60.0) as stream:
        for line in stream.iter_lines():
            assert_type(line, str)

    # Errors.
    try:
        client.datasets.retrieve("1", id)
    except NotFoundError as error:
        assert_type(error.status_code, int)
    except UnprocessableEntityError:
        pass
    except ResponseValidationError as error:
        assert error.response is not None
        print(error.errors[0]["loc"])
    except ApiTimeoutError:
        pass
    except InvalidRequestError:
        pass
    except ApiConnectionError:
        pass
    except ApiError as error:
        print(error.detail)


async def async_use(client: AsyncPostHogClient, id: UUID) -> None:
    assert_type(await client.datasets.retrieve("1", str(id), timeout=1.0), Dataset)
    assert_type(await client.datasets.create("1", DatasetInput(name="n")), Dataset)
    copy: AsyncPostHogClient = client.with_options(timeout=1.0)
    assert_type(await copy.datasets.update("1", id, name="n", extra_headers={"A": "b"}), Dataset)
    assert_type(await with_raw_response_async(client.datasets.retrieve)("1", id), ApiResponse[Dataset])
    assert_type(await with_raw_response_async(client.datasets.update)("1", id, name="n"), ApiResponse[Dataset])
    assert_type(client.datasets.list_all("1", order_by=["-created_at"]), AsyncIterator[Dataset])
    first = await client.datasets.list_pages("1")
    assert_type(first, AsyncPage[Dataset, PaginatedDatasetList])
    if first.has_next_page():
        assert_type(await first.next_page(), AsyncPage[Dataset, PaginatedDatasetList])
    async for page in first:
        assert_type(page.results, Sequence[Dataset])
    async for dataset in first.iter_items():
        assert_type(dataset, Dataset)
    async with client.dashboards.stream_tiles_stream("1", 2) as stream:
        async for line in stream.aiter_lines():
            assert_type(line, str)


def wrong(client: PostHogClient, id: UUID) -> None:
    client.datasets.create("1")  # E: `name` is required without a request model
    client.datasets.create("1", DatasetInput(name="n"), name="m")  # E: a model, or keywords for required fields
    client.datasets.retrieve("1", 5)  # E: an id is a UUID or its text
    client.datasets.retrieve("1", id, timeout="soon")  # E: per-call options are typed
    client.datasets.retrieve("1", id, extra_query=[1])  # E: extra_query is a mapping
    client.datasets.list("1", order_by=["created"])  # E: only the documented orderings
    client.datasets.list("1", limt=3)  # E: no such keyword
    client.with_options(max_retries="3")  # E: settings are typed
    with_raw_response(client.datasets.retrieve)("1", id, extra=1)  # E: ParamSpec keeps the signature


asyncio.run(async_use(AsyncPostHogClient(), UUID(int=1)))
