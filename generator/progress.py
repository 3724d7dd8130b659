"""What a long run tells its user while it works: with -v, each stage's time as it ends; on a terminal, once a
run has taken more than about two seconds, one line saying what it is doing (rewritten in place, cleared at the
end). Nothing is printed to a pipe or a file unless -v asks for it."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

QUIET_FOR = 2.0  # seconds before a progress line appears


class Stages:
    def __init__(self, verbose: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.verbose = verbose
        self.live = self.stream.isatty()
        self.started = time.perf_counter()
        self.line_shown = False

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        self._line(name)
        try:
            yield
        finally:
            seconds = time.perf_counter() - began
            if self.verbose:
                self._clear()
                print(f"specgen: {name}: {seconds:.2f} s", file=self.stream)

    def formatted(self, done: int, total: int) -> None:
        """The format stage's progress: parts black has formatted, of those it must (format_split.py)."""
        self._line(f"formatting with black: {done}/{total} parts")

    def finish(self) -> None:
        self._clear()
        if self.verbose:
            print(f"specgen: total: {time.perf_counter() - self.started:.2f} s", file=self.stream)

    def _line(self, text: str) -> None:
        if self.live and time.perf_counter() - self.started > QUIET_FOR:
            self.stream.write(f"\r\033[Kspecgen: {text} ...")
            self.stream.flush()
            self.line_shown = True

    def _clear(self) -> None:
        if self.line_shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.line_shown = False
