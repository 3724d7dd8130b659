"""Two documents compared on both levels, with the version verdict."""

from __future__ import annotations

import json
import os
from typing import Any

from generator.diff import semver
from generator.diff.change import Change, Report
from generator.diff.locate import Locator
from generator.diff.python_surface import compare_surfaces
from generator.diff.surface import Surface, surface
from generator.diff.wire import compare_wire
from generator.python.build import build_api


def compare(old_data: Any, new_data: Any, old_label: str, new_label: str,
            old_surface: Surface | None = None, new_surface: Surface | None = None) -> Report:
    """The surfaces are built from the documents unless given: regeneration gives the one recorded with the
    previous output, which is what users' code was written against even if the generator has changed since."""
    changes: list[Change] = compare_wire(old_data, new_data)
    old_surface = old_surface or surface(build_api(old_data, os.path.basename(old_label)))
    new_surface = new_surface or surface(build_api(new_data, os.path.basename(new_label)))
    python = compare_surfaces(old_surface, new_surface, Locator(old_data), Locator(new_data))
    changes.extend(python)
    old_version, new_version = _version(old_data), _version(new_data)
    differ = _canonical(old_data) != _canonical(new_data) or old_surface != new_surface
    verdict = semver.verdict(changes, differ)
    return Report(old_label, new_label, old_version, new_version, tuple(changes), verdict, semver.next_version(old_version, verdict))


def _version(data: Any) -> str:
    info = data.get("info") if isinstance(data, dict) else None
    return str(info.get("version") or "") if isinstance(info, dict) else ""


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str)
