"""Problems found in a spec, reported together as FILE:LINE:COL: error: message (at /pointer)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    pointer: str | None = ""  # None: the problem is about a file that is not the document (configuration, template)
    line: int = 0
    column: int = 0
    kind: str = "invalid"  # one of KINDS: what sort of problem, stable for scripts and tests (the message may change)
    severity: str = "error"  # or "warning": reported, and generation goes on
    rule: str = ""  # the validation rule that found it (kind "rule"), see generator/rules.py

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        at = f" (at {_shorten(self.pointer or '/')})" if self.pointer is not None else ""
        kind = f"{self.kind} {self.rule}" if self.rule else self.kind
        return f"{where}: {self.severity}: {self.message}{at} [{kind}]"

    def as_warning(self) -> Problem:
        return replace(self, severity="warning")

    def for_rule(self, rule: str) -> Problem:
        return replace(self, rule=rule)


KINDS = {
    "io": "the file cannot be read",
    "syntax": "not well-formed YAML or JSON, or a YAML feature we refuse",
    "limit": "one of our size, depth or expansion limits",
    "reference": "a $ref that is refused, missing or cyclic",
    "openapi": "the document breaks the OpenAPI schema",
    "rule": "one of the validation rules; the rule is named after the kind: [rule operation-tags]",
    "config": "the [tool.specgen] configuration is not valid",
    "extension": "one of specgen's x- extensions in the document has the wrong shape",
    "template": "a template (a custom one, usually) cannot be read or rendered",
    "output": "the output folder cannot be written safely",
    "naming": "two names in the document become the same Python name; one was changed",
    "unsupported": "the generated code cannot do what the document describes (the fake answers 501, a pattern no "
    "engine compiles is not checked, a list's paging is unknown)",
    "internal": "a generator bug",
}


MAX_POINTER_SHOWN = 200


def _shorten(pointer: str) -> str:
    """Deep pointers (a refused 128-level nesting) are shown by their two ends."""
    if len(pointer) <= MAX_POINTER_SHOWN:
        return pointer
    head, tail = pointer[:100].rsplit("/", 1)[0], pointer[-100:].split("/", 1)[-1]
    return f"{head}/…/{tail}"


class SpecError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def pointer_join(pointer: str, key: object) -> str:
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{token}"


class Finding(NamedTuple):
    """A finding of the model stage: the pipeline locates it in the file and makes it a Problem of its kind."""

    message: str
    pointer: str  # the JSON pointer of the node it is about
    kind: str = "naming"  # one of KINDS


def pointer_parts(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("#").split("/")[1:]]
