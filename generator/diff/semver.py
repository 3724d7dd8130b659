"""The semantic-version verdict: major on a breaking change, minor on any other contract change (an addition, a
relaxed rule), patch when only the text changed (descriptions, examples), none when the documents are the same."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.diff.change import Change

_NUMBERS = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def verdict(changes: Iterable[Change], documents_differ: bool) -> str:
    changes = list(changes)
    if any(c.breaking for c in changes):
        return "major"
    if changes:
        return "minor"
    return "patch" if documents_differ else "none"


def numbers(version: str) -> tuple[int, int, int] | None:
    match = _NUMBERS.match(version.strip())
    if not match:
        return None
    return (int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))


def next_version(old: str, kind: str) -> str:
    """The version after `old` for a change of `kind`; "" when `old` has no leading numbers (e.g. "latest")."""
    parts = numbers(old)
    if parts is None:
        return ""
    major, minor, patch = parts
    bumped = {
        "major": (major + 1, 0, 0),
        "minor": (major, minor + 1, 0),
        "patch": (major, minor, patch + 1),
        "none": (major, minor, patch),
    }[kind]
    return ".".join(str(n) for n in bumped)


def at_least(version: str, wanted: str) -> bool:
    have, need = numbers(version), numbers(wanted)
    return have is not None and need is not None and have >= need
