"""The generated client passes `mypy --strict`, and its types reach user code as documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "generated" / "client"

USER_CODE = """
from collections.abc import Iterator
from typing import Any, assert_type
from uuid import UUID

from posthog_client import ApiResponse, AsyncPostHogClient, PostHogClient, RawResult, with_raw_response
from posthog_client import with_raw_response_async
from posthog_client.models import Dataset, PaginatedDatasetList


def sync_use(client: PostHogClient, id: UUID) -> None:
    assert_type(client.datasets.retrieve("1", id), Dataset)
    assert_type(client.datasets.destroy("1", id), None)
    assert_type(client.datasets.{list}("1", limit=2), PaginatedDatasetList)
    assert_type(client.datasets.{list}_all("1"), Iterator[Dataset])
    assert_type(client.dashboards.stream_tiles("1", 2), RawResult)
    assert_type(with_raw_response(client.datasets.retrieve)("1", id), ApiResponse[Dataset])
    with client.dashboards.stream_tiles_stream("1", 2) as stream:
        for line in stream.iter_lines():
            assert_type(line, str)


async def async_use(client: AsyncPostHogClient, id: UUID) -> None:
    assert_type(await client.datasets.retrieve("1", id), Dataset)
    assert_type(await with_raw_response_async(client.datasets.update)("1", id, name="n"), ApiResponse[Dataset])
    async for item in client.datasets.{list}_all("1"):
        assert_type(item, Dataset)


def wrong(client: PostHogClient, id: UUID) -> None:
    client.datasets.retrieve("1", 5)  # E: the id is a UUID (or its text)
    with_raw_response(client.datasets.retrieve)("1", id, extra=1)  # E: ParamSpec keeps the signature
"""


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": str(CLIENT)}
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_generated_client_passes_mypy_strict() -> None:
    result = mypy(str(CLIENT / "posthog_client"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_types_reach_user_code(tmp_path: Path) -> None:
    from client_support import LIST

    source = tmp_path / "user_code.py"
    source.write_text(USER_CODE.replace("{list}", LIST), encoding="utf-8")
    result = mypy(str(source))
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    lines = USER_CODE.splitlines()
    flagged = {int(line.split(":")[1]) for line in errors}
    expected = {n + 1 for n, text in enumerate(lines) if "# E:" in text}
    assert flagged == expected, result.stdout
