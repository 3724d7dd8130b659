"""Two documents compared on both levels, with the version verdict."""

from __future__ import annotations

import json
import os
from typing import Any

from generator.diff import semver
from generator.diff.change import Change, Report
from generator.diff.locate import Locator
from generator.diff.python_surface import compare_surfaces
from generator.diff.surface import surface
from generator.diff.wire import compare_wire
from generator.model.build import build_api
from generator.model.ir import Api


def compare(old_data: Any, new_data: Any, old_label: str, new_label: str,
            old_api: Api | None = None, new_api: Api | None = None) -> Report:
    """`old_api`/`new_api` when the caller has built them already (generate has); built here otherwise."""
    changes: list[Change] = compare_wire(old_data, new_data)
    old_api = old_api or build_api(old_data, os.path.basename(old_label))
    new_api = new_api or build_api(new_data, os.path.basename(new_label))
    python = compare_surfaces(surface(old_api), surface(new_api), Locator(old_data), Locator(new_data))
    changes.extend(sorted(set(python), key=Change.sort_key))
    old_version, new_version = _version(old_data), _version(new_data)
    verdict = semver.verdict(changes, _canonical(old_data) != _canonical(new_data))
    return Report(old_label, new_label, old_version, new_version, tuple(changes), verdict, semver.next_version(old_version, verdict))


def _version(data: Any) -> str:
    info = data.get("info") if isinstance(data, dict) else None
    return str(info.get("version") or "") if isinstance(info, dict) else ""


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str)
