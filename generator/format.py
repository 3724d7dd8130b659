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
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import Problem, SpecError
from generator.format_cache import FormatCache
from generator import collector, format_split
from generator.format_split import join, parts

if TYPE_CHECKING:
    import black

# black is imported only when a file is formatted (a no-op run or check formats nothing): the mode is described
# here for the key, as set in _mode(); what black's other settings default to is decided by its version.
LINE_LENGTH = 120  # black's; generator/python/layout.py prints to it too
_MODE_DESCRIPTION = f"target-versions py311, line-length {LINE_LENGTH}"
# Above this many characters to format (about two seconds of black), the work is shared among processes.
PARALLEL_ABOVE = 200_000


@functools.cache
def _mode() -> black.Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)


@functools.cache
def _formatter() -> bytes:
    try:  # black's own record of its version, cheaper than importing black
        version = str(importlib.import_module("_black_version").version)
    except (ImportError, AttributeError):
        from importlib import metadata

        version = metadata.version("black")
    # A module formatted in parts is stored as if black had formatted it whole: the cutting is part of the formatter.
    cutting = hashlib.sha256(Path(format_split.__file__).read_bytes()).hexdigest()
    return f"specgen-format 1\0black {version}\0{_MODE_DESCRIPTION}\0split {cutting}\0".encode()


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
    progress: Callable[[int, int], None] | None = None  # (parts formatted, parts to format), after each
    # Characters to format before more processes are worth their start; None: never. Worker processes are spawned,
    # and spawning re-imports the caller's main module: only the command line, whose main module is ours, uses them
    # (a library caller's script without a main guard would run again in every worker, one read from stdin fails).
    parallel_above: int | None = None
    keys: dict[str, str] = field(default_factory=dict)  # every formatted file's key, filled as it formats
    formatted: int = 0

    def format_files(self, files: dict[str, str], verbatim: frozenset[str] = frozenset()) -> dict[str, str]:
        """Black on every rendered Python file; `verbatim` files (copied runtimes, kept black-clean in
        templates/ by a test) are passed through, which saves most of a small spec's generation time.
        A file is formatted in parts (format_split.py), each cached; a text black has already formatted
        (earlier, or elsewhere in this run) is not formatted again."""
        result: dict[str, str] = {}
        planned: dict[str, list[list[str]]] = {}  # path -> the keys of its pieces, for the files black must format
        todo: dict[str, tuple[str, str]] = {}  # key -> (first path, text) of each part black must format
        done: dict[str, str] = {}  # key -> black's output, for the parts found in the cache
        for path, text in files.items():
            if not path.endswith(".py") or path in verbatim:
                result[path] = text
                continue
            file_key = self.keys[path] = key(text)
            earlier = self.reuse(path, file_key) if self.reuse else None
            if earlier is None:
                earlier = self._cached(file_key)
            if earlier is not None:
                result[path] = earlier
                continue
            planned[path] = []
            with collector.paused():  # cutting builds the module's syntax tree: millions of objects, no cycles
                cut = parts(text)
            for pieces in cut:
                planned[path].append([])
                for piece in pieces:
                    piece_key = key(piece)
                    planned[path][-1].append(piece_key)
                    if piece_key not in todo and piece_key not in done:
                        cached = self._cached(piece_key)
                        if cached is None:
                            todo[piece_key] = (path, piece)
                        else:
                            done[piece_key] = cached
        done.update(self._format(todo))
        for path, part_keys in planned.items():
            joined = join([[done[piece_key] for piece_key in piece_keys] for piece_keys in part_keys])
            result[path] = joined if joined is not None else format_one(path, files[path])
            if self.cache is not None and sum(map(len, part_keys)) > 1:
                self.cache.put(self.keys[path], result[path])
        return {path: result[path] for path in files}

    def _cached(self, text_key: str) -> str | None:
        return self.cache.get(text_key) if self.cache is not None else None

    def _format(self, todo: dict[str, tuple[str, str]]) -> dict[str, str]:
        """{key: formatted text}; in several processes when there is enough to format and more than one core."""
        jobs = sorted(todo.items(), key=lambda job: -len(job[1][1]))  # the longest first: the pool ends together
        workers = min(cores(), len(jobs))
        done: dict[str, str] = {}
        parallel = self.parallel_above is not None and sum(len(text) for _p, text in todo.values()) > self.parallel_above
        if workers > 1 and parallel:
            context = multiprocessing.get_context("spawn")  # fresh workers: black only, not a copy of this process
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                outcomes = pool.map(
                    _format_or_error,
                    [path for _key, (path, _text) in jobs],
                    [t for _k, (_p, t) in jobs],
                    chunksize=max(1, len(jobs) // (workers * 32)),
                )
                for (file_key, _job), outcome in zip(jobs, outcomes):
                    done[file_key] = self._finished(file_key, outcome, len(jobs), len(done) + 1)
        else:
            for file_key, (path, text) in jobs:
                done[file_key] = self._finished(file_key, _format_or_error(path, text), len(jobs), len(done) + 1)
        return done

    def _finished(self, file_key: str, outcome: tuple[str, Problem | None], total: int, count: int) -> str:
        formatted, problem = outcome
        if problem is not None:
            raise SpecError([problem])
        self.formatted += 1
        if self.cache is not None:
            self.cache.put(file_key, formatted)
        if self.progress is not None:
            self.progress(count, total)
        return formatted


def cores() -> int:
    """The cores this process may run on (a container or a CPU affinity may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _format_or_error(path: str, text: str) -> tuple[str, Problem | None]:
    """format_one for a worker process: its error returned as data."""
    try:
        return format_one(path, text), None
    except SpecError as error:
        return "", error.problems[0]


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
