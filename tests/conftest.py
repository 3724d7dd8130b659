"""Shared test set-up: the generated packages importable from the checkout, and the golden-update flag."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT / "generated" / "client", ROOT / "generated" / "server", ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

# The format cache of every run in the suite, subprocesses included: a folder of its own, never the user's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="specgen-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="regenerate every expected tree under tests/golden/ (then review the diff)"
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the whole run: the libraries every generated package imports (pydantic, FastAPI, httpx)
    are analysed once instead of once per mypy run, which was most of each run's time. mypy checks each cached
    module against its source, so a package generated afresh under the same name is checked again."""
    return tmp_path_factory.mktemp("mypy-cache")
