"""Whole results in the user's cache folder, beside the format cache: the warnings a document's validation found
(`validated`), and which output folders are up to date with which inputs (up_to_date.py).

Entries are stored the way the format cache stores black's output (format_cache.FormatCache: found by key, the key
and the hash of the body checked on every read), and a body that does not read back as the value expected is a
miss too: a damaged entry costs the work it would have saved, never a wrong result.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from generator import fingerprint
from generator.errors import Problem
from generator.format_cache import FormatCache, default_folder

VALIDATION_FORMAT = b"specgen-validation 1"
_PROBLEM_FIELDS = frozenset(f.name for f in dataclasses.fields(Problem))


def store(kind: str) -> FormatCache:
    """The cache of one kind of result: ~/.cache/specgen/KIND (or under $XDG_CACHE_HOME)."""
    return FormatCache(default_folder().parent / kind)


def problems_to_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(problem) for problem in problems]


def problems_from_json(value: Any) -> list[Problem] | None:
    """The problems problems_to_json wrote; None when `value` is anything else."""
    if not isinstance(value, list):
        return None
    problems = []
    for item in value:
        if not isinstance(item, dict) or set(item) != set(_PROBLEM_FIELDS):
            return None
        for name, field_value in item.items():
            allowed = (str, type(None)) if name == "pointer" else (int,) if name in ("line", "column") else (str,)
            if not isinstance(field_value, allowed) or isinstance(field_value, bool):
                return None
        problems.append(Problem(**item))
    return problems


def validation_key(path: str, digest: str, inlined: tuple[tuple[str, str, str], ...], lenient: bool) -> str | None:
    """What validating a document depends on: its bytes and those of every file it references (their digests,
    load.Document), the path its problems name, the leniency, and the generator and libraries doing it. None for a
    document not read from bytes (nothing to key it by)."""
    if not digest:
        return None
    described = json.dumps([path, digest, [list(pair) for pair in inlined], lenient]).encode()
    return hashlib.sha256(VALIDATION_FORMAT + fingerprint.of_run() + described).hexdigest()


def latest_validation_key(path: str, lenient: bool) -> str:
    """Where the last validation of the document at `path`, whatever its bytes, is kept (validation.py compares
    the next version with it: an edit of prose only keeps its warnings)."""
    described = json.dumps(["latest", path, lenient]).encode()
    return hashlib.sha256(VALIDATION_FORMAT + fingerprint.of_run() + described).hexdigest()


def cached_warnings(cache: FormatCache, key: str) -> list[Problem] | None:
    text = cache.get(key)
    if text is None:
        return None
    try:
        return problems_from_json(json.loads(text))
    except ValueError:
        return None


def remember_warnings(cache: FormatCache, key: str, warnings: list[Problem]) -> None:
    cache.put(key, json.dumps(problems_to_json(warnings)))
