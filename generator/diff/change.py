"""One reported change and the report that gathers them."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diff.semver import at_least

WIRE = "wire"
PYTHON = "python"


@dataclass(frozen=True)
class Change:
    """`rule` is a stable identifier for scripts and tests (the message may change). `old` and `new` are JSON
    pointers into each document: where the thing is, or for an addition (removal) the nearest place that exists in
    the old (new) document. `target` says whose code it touches: "client", "server" or "models" (both); "" on the
    wire."""

    level: str
    rule: str
    breaking: bool
    message: str
    old: str
    new: str
    target: str = ""

    def sort_key(self) -> tuple[object, ...]:
        return (not self.breaking, self.level != WIRE, self.old, self.new, self.rule, self.message)


@dataclass(frozen=True)
class Report:
    old_label: str
    new_label: str
    old_version: str  # info.version of each document, as written
    new_version: str
    changes: tuple[Change, ...]
    verdict: str  # major, minor, patch or none
    next_version: str  # suggested from old_version; "" when old_version has no numbers to bump
    notes: tuple[str, ...] = field(default=())

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def announced(self) -> bool:
        """Whether the new document's info.version already is (at least) the suggested version."""
        return self.verdict == "none" or bool(self.next_version) and at_least(self.new_version, self.next_version)


MODELS = "models"
