"""Every operation, sync and async, with every optional parameter used at least once, judged by a third party:
Prism (`@stoplight/prism-cli`, pinned in tools/prism/package.json and its lock file, installed there by `npm ci`)
mocks spec/posthog.yaml on loopback and validates every request against it. A valid request gets a 2xx (or the
405 it asks for with `Prefer`); an invalid one a 400/422 and a "did not pass the validation rules" log line. A
deliberately wrong request in the same run shows that the judge can say no.

Skipped, with the reason, when Node.js or npm is absent (or Prism cannot be installed).
"""

from __future__ import annotations

import inspect
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from client_support import LIST

from posthog_client import ApiError, AsyncPostHogClient, MethodNotAllowedError, PostHogClient, RawResult
from posthog_client.models import (
    DashboardInput,
    DataColorThemeInput,
    DatasetInput,
    DatasetItemInput,
    Format,
    OrderByItem,
    PatchedDataColorTheme,
    PatchedDataset,
    PatchedDatasetItem,
    RestrictionLevelEnum,
)

ROOT = Path(__file__).resolve().parents[2]
PRISM_DIR = ROOT / "tools" / "prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
PROJECT = "12345"
U1 = UUID("497f6eca-6276-4993-bfeb-53cbbbba6f08")
WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
REJECTED = "did not pass the validation rules"
FORBIDDEN = {"extra_headers": {"Prefer": "code=405"}}  # ask Prism for the documented 405 of a refused DELETE


def _pinned_version() -> str:
    return str(json.loads((PRISM_DIR / "package.json").read_text())["devDependencies"]["@stoplight/prism-cli"])


def _install() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are needed to run Prism (the request validator); not found on PATH")
    installed = PRISM_DIR / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    if PRISM.exists() and installed.exists():
        if json.loads(installed.read_text())["version"] == _pinned_version():
            return
    npm = [shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    done = subprocess.run(npm, cwd=PRISM_DIR, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not PRISM.exists():
        pytest.skip(f"npm ci could not install Prism in tools/prism: {done.stderr.strip()[-500:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Prism:
    def __init__(self, url: str, log: Path) -> None:
        self.url, self.log = url, log

    def mark(self) -> int:
        return len(self.log.read_text(encoding="utf-8", errors="replace"))

    def rejections_since(self, mark: int) -> int:
        return self.log.read_text(encoding="utf-8", errors="replace")[mark:].count(REJECTED)


@contextmanager
def mock(spec: Path, log: Path) -> Iterator[Prism]:
    """Prism mocking `spec` on loopback (installed first, or the test skipped), its log in `log`."""
    _install()
    port = _free_port()
    command = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=PRISM_DIR)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Prism did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield Prism(f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    with mock(ROOT / "spec" / "posthog.yaml", tmp_path_factory.mktemp("prism") / "prism.log") as server:
        yield server


# (resource, method, args, kwargs, expected): every optional parameter and body field at least once, the request
# model form of every body, every per-call option. `expected` is "ok", "raw", "none" or "405".
CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any], str]] = [
    ("dashboards", "stream_tiles", (PROJECT, 1), {"format": Format.JSON}, "raw"),
    ("dashboards", "stream_tiles", (PROJECT, 1), {"format": "txt", "timeout": 20.0}, "raw"),
    (
        "dashboards",
        "create_from_template_json",
        (PROJECT,),
        {
            "format": "json",
            "name": "From template",
            "description": "d",
            "pinned": True,
            "last_accessed_at": WHEN,
            "deleted": False,
            "breakdown_colors": {"a": "#fff"},
            "data_color_theme_id": None,
            "tags": ("a", "b"),
            "restriction_level": RestrictionLevelEnum.VALUE_37,
            "last_refresh": None,
            "use_template": "llm",
            "use_dashboard": 3,
            "delete_insights": True,
            "create_in_folder": "Shared",
        },
        "raw",
    ),
    ("dashboards", "create_from_template_json", (PROJECT, DashboardInput(name=None, tags=["x"])), {}, "raw"),
    (
        "dashboards",
        "create_unlisted_dashboard",
        (PROJECT,),
        {
            "format": Format.TXT,
            "name": "u",
            "description": "",
            "pinned": False,
            "last_accessed_at": None,
            "deleted": False,
            "breakdown_colors": None,
            "data_color_theme_id": 1,
            "tags": ["llm"],
            "restriction_level": 21,
            "last_refresh": WHEN,
            "use_template": "llm",
            "use_dashboard": None,
            "delete_insights": False,
            "create_in_folder": "Unfiled",
        },
        "raw",
    ),
    (
        "dashboards",
        "create_unlisted_dashboard",
        (PROJECT, DashboardInput(tags=["llm"], last_refresh=WHEN, data_color_theme_id=2)),
        {"extra_body": {"description": "from extra_body"}},
        "raw",
    ),
    ("data_color_themes", LIST, (PROJECT,), {"limit": 2, "offset": 4}, "ok"),
    ("data_color_themes", "create", (PROJECT,), {"name": "Brand", "colors": ["#f00"]}, "ok"),
    ("data_color_themes", "create", (PROJECT, DataColorThemeInput(name="Brand")), {}, "ok"),
    ("data_color_themes", "retrieve", (PROJECT, 3), {"extra_query": {"unknown_but_harmless": "1"}}, "ok"),
    ("data_color_themes", "update", (PROJECT, 3), {"name": "New", "colors": None}, "ok"),
    ("data_color_themes", "update", (PROJECT, 3, PatchedDataColorTheme(colors={"a": 1})), {}, "ok"),
    ("data_color_themes", "destroy", (PROJECT, 3), {"idempotency_key": "k-1"}, "none"),
    ("dataset_items", LIST, (PROJECT,), {"dataset": U1, "limit": 10, "offset": 0}, "ok"),
    (
        "dataset_items",
        "create",
        (PROJECT,),
        {
            "dataset": str(U1),
            "input": {"q": "hi"},
            "output": None,
            "metadata": [1],
            "ref_trace_id": "t",
            "ref_timestamp": WHEN,
            "ref_source_id": None,
            "deleted": False,
        },
        "ok",
    ),
    ("dataset_items", "create", (PROJECT, DatasetItemInput(dataset=U1, ref_timestamp=None)), {}, "ok"),
    ("dataset_items", "retrieve", (PROJECT, str(U1)), {}, "ok"),
    (
        "dataset_items",
        "update",
        (PROJECT, U1),
        {
            "dataset": U1,
            "input": 1,
            "output": "o",
            "metadata": None,
            "ref_trace_id": None,
            "ref_timestamp": None,
            "ref_source_id": "s",
            "deleted": True,
        },
        "ok",
    ),
    ("dataset_items", "update", (PROJECT, U1, PatchedDatasetItem(deleted=True)), {}, "ok"),
    ("dataset_items", "destroy", (PROJECT, U1), FORBIDDEN, "405"),
]
for _family in ("environment_datasets", "datasets"):
    CALLS += [
        (
            _family,
            LIST,
            (PROJECT,),
            {
                "id_in": [U1, str(U1)],
                "order_by": ["-created_at", OrderByItem.UPDATED_AT],
                "limit": 100,
                "offset": 0,
                "search": "eval set/ä",
            },
            "ok",
        ),
        (_family, "create", (PROJECT,), {"name": "Evals", "description": None, "metadata": {}, "deleted": False}, "ok"),
        (_family, "create", (PROJECT, DatasetInput(name="Evals")), {"extra_headers": {"X-Trace": "1"}}, "ok"),
        (_family, "retrieve", (PROJECT, U1), {}, "ok"),
        (_family, "update", (PROJECT, U1), {"name": "R", "description": "d", "metadata": None, "deleted": True}, "ok"),
        (_family, "update", (PROJECT, str(U1), PatchedDataset(description=None)), {}, "ok"),
        (_family, "destroy", (PROJECT, U1), FORBIDDEN, "405"),
    ]


def test_the_calls_use_every_operation_and_every_optional_parameter() -> None:
    """Read from the generated methods' signatures, so a new parameter cannot be forgotten here."""
    client = PostHogClient("k", host="http://127.0.0.1:9")
    used: dict[tuple[str, str], set[str]] = {}
    for resource, method, args, kwargs, _ in CALLS:
        names = list(inspect.signature(getattr(getattr(client, resource), method)).parameters)
        used.setdefault((resource, method), set()).update(names[: len(args)], kwargs)
    options: set[str] = set()
    for resource in ("dashboards", "data_color_themes", "dataset_items", "environment_datasets", "datasets"):
        for name, method in inspect.getmembers(getattr(client, resource), inspect.ismethod):
            if name.startswith("_") or name.endswith(("_all", "_pages", "_stream")):
                continue
            parameters = inspect.signature(method).parameters
            wanted = {p for p, info in parameters.items() if info.kind is not inspect.Parameter.VAR_KEYWORD}
            assert wanted <= used.get((resource, name), set()), (resource, name, wanted - used[(resource, name)])
            options |= used[(resource, name)] - set(parameters)
    assert options == {"timeout", "extra_headers", "extra_query", "extra_body", "idempotency_key"}
    client.close()


def _check(expected: str, call: Any) -> None:
    if expected == "405":
        with pytest.raises(MethodNotAllowedError):
            call()
        return
    _check_result(expected, call())


def _check_result(expected: str, result: Any) -> None:
    assert isinstance(result, RawResult) if expected == "raw" else (result is None) is (expected == "none")


def test_every_operation_sync(prism: Prism) -> None:
    mark = prism.mark()
    with PostHogClient("phx_prism", host=prism.url, max_retries=0) as client:
        for resource, method, args, kwargs, expected in CALLS:
            _check(expected, lambda: getattr(getattr(client, resource), method)(*args, **kwargs))
        # The variants: an iterator's first item, a page object, a stream.
        assert next(iter(getattr(client.datasets, f"{LIST}_all")(PROJECT, limit=1, order_by=["created_at"])))
        assert getattr(client.dataset_items, f"{LIST}_pages")(PROJECT, dataset=U1).results
        with client.dashboards.stream_tiles_stream(PROJECT, 2, format=Format.TXT) as stream:
            assert stream.status_code == 200
    assert prism.rejections_since(mark) == 0, prism.log.read_text()[mark:][-3000:]


async def test_every_operation_async(prism: Prism) -> None:
    mark = prism.mark()
    async with AsyncPostHogClient("phx_prism", host=prism.url, max_retries=0) as client:
        for resource, method, args, kwargs, expected in CALLS:
            call = getattr(getattr(client, resource), method)
            if expected == "405":
                with pytest.raises(MethodNotAllowedError):
                    await call(*args, **kwargs)
            else:
                _check_result(expected, await call(*args, **kwargs))
        async for item in getattr(client.environment_datasets, f"{LIST}_all")(PROJECT, search="x"):
            assert item.id
            break
        page = await getattr(client.data_color_themes, f"{LIST}_pages")(PROJECT, limit=1)
        assert page.results
        async with client.dashboards.stream_tiles_stream(PROJECT, 2) as stream:
            assert stream.status_code == 200
    assert prism.rejections_since(mark) == 0, prism.log.read_text()[mark:][-3000:]


@pytest.mark.parametrize(
    "wrong",
    [
        lambda c: c.datasets.retrieve(PROJECT, "not-a-uuid"),  # the client takes text for a UUID; Prism checks it
        lambda c: c.datasets.create(PROJECT, name="x", extra_body={"name": 5}),  # name must be a string
        lambda c: getattr(c.datasets, LIST)(PROJECT, extra_query={"limit": "many"}),  # limit is an integer
    ],
)
def test_prism_rejects_a_wrong_request(prism: Prism, wrong: Any) -> None:
    mark = prism.mark()
    with PostHogClient("phx_prism", host=prism.url, max_retries=0) as client:
        with pytest.raises(ApiError) as info:
            wrong(client)
    assert info.value.status_code in (400, 422)
    assert prism.rejections_since(mark) == 1
