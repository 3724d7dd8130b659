"""What a regeneration changed, recorded in the output folder.

`generate` writes `specgen/record.json` beside the client and server: the document it generated from (file
references inlined) and the Python surface it generated. The next run compares the new document with the recorded
one (wire) and the new surface with the recorded one (Python; the recorded surface is what users' code was written
against, even when the generator itself has changed since). The record holds annotations as printed; their type trees,
which the comparison reads, are made again from the recorded document, and an annotation this generator no longer
prints the same is compared as printed. Each project's CHANGELOG.md gains an entry when its
part changed; the entry holds no date, so the same document generates the same bytes, `generate` twice is a no-op
and `check` stays a pure comparison.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diff.change import MODELS, WIRE, Change, Report
from generator.diff.compare import compare
from generator.diff.report import headline
from generator.diff.surface import Surface, surface, surface_from_json, surface_to_json, with_types
from generator.load import MAX_BYTES
from generator.prose import prose_changes
from generator.python.build import build_api

RECORD = "specgen/record.json"
CHANGELOGS = {"client": "client/CHANGELOG.md", "server": "server/CHANGELOG.md"}
MOST_SHOWN = 10


@dataclass(frozen=True)
class Regeneration:
    files: dict[str, str]  # the generated files plus the record and the changelogs
    summary: tuple[str, ...]  # what to tell the user, one line each
    report: Report | None  # None when there is no previous record to compare with
    new_major: bool  # a breaking change whose major version info.version does not announce
    format_keys: Mapping[str, str] = field(default_factory=dict)  # for the manifest: see write.write_tree
    # The bytes generated from (load.Document's digest and inlined): what up_to_date.py records
    document_digest: str = ""
    inlined: tuple[tuple[str, str, str], ...] = ()


def record(out: Path, data: Any, new_surface: Surface, files: dict[str, str], source: str, package: dict[str, str]) -> Regeneration:
    """`data` the validated document, `package` the project names of the targets generated (changelog titles)."""
    data = json.loads(json.dumps(data))  # as the record will hold it: JSON types, string keys
    previous, why_not = _previous(out)
    files = dict(files)
    files[RECORD] = json.dumps({"spec": data, "surface": surface_to_json(new_surface)}, indent=1, ensure_ascii=False) + "\n"
    report = None
    if previous is not None:
        old_data, recorded = previous
        # Prose (descriptions, summaries) never changes a type: the new surface's trees are the old surface's too.
        same_types = old_data == data or prose_changes(old_data, data) is not None
        old_surface = with_types(recorded, new_surface if same_types else _rebuilt(old_data, source))
        report = compare(old_data, data, f"{out.name} (previous)", source, old_surface, new_surface)
    for target, path in CHANGELOGS.items():
        if target in package:  # only the projects this run generates
            files[path] = _changelog(_read(out / path), report, target, package[target], source, data)
    summary = _summary(out, report, why_not)
    new_major = report is not None and report.verdict == "major" and not report.announced
    return Regeneration(files, summary, report, new_major)


def _previous(out: Path) -> tuple[tuple[Any, Surface] | None, str]:
    text = _read(out / RECORD)
    if text is None:
        return None, "no record of the document behind the previous output" if (out / ".generated-files").is_file() else "first generation"
    try:
        stored = json.loads(text)
        return (stored["spec"], surface_from_json(stored["surface"])), ""
    except (ValueError, KeyError, TypeError, RecursionError):
        return None, f"{RECORD} is damaged; comparing from this run on"


def _rebuilt(data: Any, source: str) -> Surface | None:
    """The surface this generator makes of a recorded document, for its type trees (the record holds annotations as
    printed); None when it makes none (a rule added since refuses the document, or the record is damaged): then
    the recorded annotations are compared as printed."""
    if not isinstance(data, dict):
        return None
    try:
        return surface(build_api(data, source))
    except Exception:  # the trees only sharpen the comparison; a record must never stop a generation
        return None


def _read(path: Path) -> str | None:
    """A file of the previous output, never through a symlink, bounded."""
    current = path
    while current != current.parent:
        if current.is_symlink():
            return None
        current = current.parent
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def unchanged_summary(out: Path) -> tuple[str, ...]:
    """What a run says when the document and surface are the recorded ones (nothing to compare finds a change)."""
    return (f"{out}: no change since the previous output",)


def _summary(out: Path, report: Report | None, why_not: str) -> tuple[str, ...]:
    if report is None:
        return (f"{out}: {why_not}; recorded in {RECORD}, changes are reported from the next run on",)
    if report.verdict == "none":
        return unchanged_summary(out)
    lines = [f"{out}: since the previous output: {headline(report)}"]
    shown = report.breaking[:MOST_SHOWN]
    lines += [f"  breaking: {c.message}" for c in shown]
    if len(report.breaking) > MOST_SHOWN:
        lines.append(f"  ... and {len(report.breaking) - MOST_SHOWN} more breaking (specgen diff shows them all)")
    if report.verdict == "major" and not report.announced:
        suggested = report.next_version or "a new major version"
        lines.append(f"  NEW MAJOR VERSION: the generated client and server break their users' code; this is {suggested}, "
                     f"but info.version says {report.new_version or 'nothing'}: bump it in the document")
    return tuple(lines)


_TITLE = "# Changelog of {package}\n\nWritten by specgen on every regeneration that changes this project's API, newest first.\n"


def _changelog(existing: str | None, report: Report | None, target: str, package: str, source: str, data: Any) -> str:
    title = _TITLE.format(package=package)
    if existing is None or not existing.startswith(title):
        info = data.get("info") if isinstance(data, dict) else None
        version = str(info.get("version") or "") if isinstance(info, dict) else ""
        existing = f"{title}\n## {version or 'unversioned'}\n\nFirst generation from {source}; changes are recorded from here on.\n"
    if report is None:
        return existing
    changes = [c for c in report.changes if c.level == WIRE or c.target in (target, MODELS)]
    if not changes:
        return existing
    return f"{title}\n{_entry(report, changes)}{existing[len(title):]}"


def _entry(report: Report, changes: list[Change]) -> str:
    heading = report.new_version or "unversioned"
    if report.verdict == "major" and not report.announced:
        heading += f" (breaking: a major version, {report.next_version or 'new'}, that info.version does not announce)"
    lines = [f"## {heading}", "", f"{report.verdict.capitalize()} change from {report.old_version or 'unversioned'}.", ""]
    for title, group in (("Breaking", [c for c in changes if c.breaking]), ("Other changes", [c for c in changes if not c.breaking])):
        if group:
            lines += [f"{title}:", ""]
            lines += [f"- {c.message} ({c.level}, at `{c.new or c.old}`)" for c in group]
            lines.append("")
    return "\n".join(lines)
