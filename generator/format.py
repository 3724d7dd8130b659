"""Format stage: black, in process, on every Python file; nothing touches disk but the format cache.

Black's output depends only on its input, its version and its mode, so every file has a key (`key`) and black
runs only when no earlier result for that key is at hand: the file as the previous run wrote it (when the manifest
says it was formatted from the same key and the file is unchanged since; `write.previously_formatted`), else the
user's format cache (`format_cache.py`), else black itself.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Any

from generator.errors import Problem, SpecError
from generator.format_cache import FormatCache

if TYPE_CHECKING:
    import black

# black is imported only when a file is formatted (a no-op run or check formats nothing): the mode is described
# here for the key, as set in _mode(); what black's other settings default to is decided by its version.
_MODE_DESCRIPTION = "target-versions py311, line-length 120"


@functools.cache
def _mode() -> black.Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311}, line_length=120)


@functools.cache
def _formatter() -> bytes:
    try:  # black's own record of its version, cheaper than importing black
        version = str(importlib.import_module("_black_version").version)
    except (ImportError, AttributeError):
        version = metadata.version("black")
    return f"specgen-format 1\0black {version}\0{_MODE_DESCRIPTION}\0".encode()


def __getattr__(name: str) -> Any:
    if name == "MODE":  # black's mode, as the tests compare the copied runtimes with it
        return _mode()
    raise AttributeError(name)


Reuse = Callable[[str, str], "str | None"]  # (path, key) -> the formatted text the previous run wrote, if still right


def key(text: str) -> str:
    """What black's output for `text` depends on, hashed: the text, black's version and our mode."""
    return hashlib.sha256(_formatter() + text.encode("utf-8")).hexdigest()


@dataclass
class Formatter:
    cache: FormatCache | None = None
    reuse: Reuse | None = None
    keys: dict[str, str] = field(default_factory=dict)  # every formatted file's key, filled as it formats
    reused: int = 0
    formatted: int = 0

    def format_files(self, files: dict[str, str], verbatim: frozenset[str] = frozenset()) -> dict[str, str]:
        """Black on every rendered Python file; `verbatim` files (copied runtimes, kept black-clean in
        templates/ by a test) are passed through, which saves most of a small spec's generation time."""
        result: dict[str, str] = {}
        for path, text in files.items():
            if not path.endswith(".py") or path in verbatim:
                result[path] = text
                continue
            result[path] = self._one(path, text)
        return result

    def _one(self, path: str, text: str) -> str:
        file_key = self.keys[path] = key(text)
        earlier = self.reuse(path, file_key) if self.reuse else None
        if earlier is None and self.cache is not None:
            earlier = self.cache.get(file_key)
        if earlier is not None:
            self.reused += 1
            return earlier
        formatted = format_one(path, text)
        self.formatted += 1
        if self.cache is not None:
            self.cache.put(file_key, formatted)
        return formatted


def format_one(path: str, text: str) -> str:
    import black

    try:
        formatted = black.format_str(text, mode=_mode())
        # black only parses; compiling also catches what the parser lets through (a repeated argument).
        compile(formatted, path, "exec", dont_inherit=True)
    except Exception as exc:  # a template bug: say which file, never a traceback
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(
            [Problem(path, f"generated code does not compile (a generator bug): {first}", kind="internal")]
        ) from None
    return formatted


def format_files(files: dict[str, str], verbatim: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every Python file through black, nothing reused."""
    return Formatter().format_files(files, verbatim)
