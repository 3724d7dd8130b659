"""Fingerprints of what a run's results depend on besides the document: the generator itself (its code and
templates), the Python and the installed distributions it runs with. The caches of whole results (validation,
up_to_date.py) put them in their keys, so any change to the generator or to a library is a miss.

They are computed from contents (the code, the templates) and from the names of the installed distributions'
metadata folders (`black-24.10.0.dist-info`: a name and a version), never from modification times.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from pathlib import Path

from generator.templates_folder import TEMPLATES

_PACKAGE = Path(__file__).resolve().parent
FORMAT = b"specgen-fingerprint 1"


def _files(folder: Path, suffixes: tuple[str, ...] | None) -> list[Path]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [Path(root) / n for n in sorted(names) if suffixes is None or n.endswith(suffixes)]
    return found


def folder_digest(folder: Path, suffixes: tuple[str, ...] | None = None) -> bytes:
    """Every file below `folder` (its path relative to `folder` and its bytes), in a stable order."""
    digest = hashlib.sha256()
    for path in _files(folder, suffixes):
        data = path.read_bytes()
        name = path.relative_to(folder).as_posix().encode()
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.digest()


@functools.cache
def generator() -> bytes:
    """The generator's code and its built-in templates."""
    return hashlib.sha256(FORMAT + folder_digest(_PACKAGE, (".py",)) + folder_digest(TEMPLATES)).digest()


@functools.cache
def environment() -> bytes:
    """The Python running us and every distribution installed where it imports from (names and versions)."""
    names = []
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        names += [f"{entry}/{name}" for name in listing if name.endswith((".dist-info", ".egg-info", ".egg-link"))]
    text = "\n".join([sys.version, sys.executable, *sorted(names)])
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()


def of_run() -> bytes:
    """generator() and environment() together: what every cached result depends on."""
    return generator() + environment()
