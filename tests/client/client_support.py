"""Helpers of the generated-client tests: a recording mock transport, clients wired to it, the spec's examples."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from posthog_client import AsyncPostHogClient, PostHogClient

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "spec" / "posthog.yaml").read_text(encoding="utf-8"))
KEY = "phx_test_key_do_not_leak_123"
HOST = "https://us.posthog.com"

# The generator may rename `list` (it shadows the builtin in class bodies): follow whichever name it emits.
LIST = "list" if hasattr(__import__("posthog_client.client").client.DatasetsResource, "list") else "list_"
LIST_ALL = LIST + "_all"


def operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId → (METHOD, path template, operation) for every operation of the spec."""
    found = {}
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                found[op["operationId"]] = (method.upper(), path, op)
    return found


def example(operation_id: str) -> tuple[int, Any]:
    """The first success status of an operation and its JSON example (a deep copy), or (status, None)."""
    responses = operations()[operation_id][2]["responses"]
    status = min(int(s) for s in responses if str(s).startswith("2"))
    content = responses[str(status)].get("content", {}).get("application/json", {})
    return status, copy.deepcopy(content.get("example"))


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Recorder:
    """A mock server: answers with `handler` (or the queued responses, in order) and records every request."""

    handler: Handler | None = None
    queue: list[httpx.Response | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        if self.queue:
            answer = self.queue.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        assert self.handler is not None, f"unexpected request {request.method} {request.url}"
        return self.handler(request)

    def json_body(self, index: int = -1) -> Any:
        return json.loads(self.bodies[index])

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


class Sleeps(list[float]):
    """A fake `_sleep` that records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(recorder: Recorder, sleeps: Sleeps) -> Any:
    with PostHogClient(KEY, transport=recorder.transport) as sync_client:
        sync_client._sleep = sleeps  # type: ignore[method-assign]
        yield sync_client


@pytest.fixture
async def aclient(recorder: Recorder, sleeps: Sleeps) -> Any:
    async with AsyncPostHogClient(KEY, transport=recorder.transport) as async_client:
        async_client._sleep = sleeps.async_sleep  # type: ignore[method-assign]
        yield async_client
