"""A report printed as text for people, JSON for tools, or Markdown for a pull-request comment."""

from __future__ import annotations

import json

from generator.diff.change import WIRE, Change, Report

FORMATS = ("text", "json", "markdown")


def headline(report: Report) -> str:
    breaking = len(report.breaking)
    others = len(report.changes) - breaking
    counts = f"{breaking} breaking, {others} non-breaking change{'s' if others != 1 else ''}"
    if report.verdict == "none":
        return "no change"
    version = f"{report.verdict}: {report.old_version or '?'} -> {report.next_version}" if report.next_version else report.verdict
    return f"{counts}; {version}"


def version_note(report: Report) -> str:
    """Whether the new document's info.version says what the changes are."""
    if report.verdict in ("none", "patch") or not report.next_version:
        return ""
    if report.announced:
        return f"info.version {report.new_version} announces it"
    return f"info.version is {report.new_version or 'unset'}: a {report.verdict} version ({report.next_version}) is not announced"


def render(report: Report, form: str) -> str:
    return {"text": _text, "json": _json, "markdown": _markdown}[form](report)


def _text(report: Report) -> str:
    lines = [f"{report.old_label} -> {report.new_label}: {headline(report)}"]
    if note := version_note(report):
        lines.append(note)
    for title, group in (("breaking", report.breaking), ("non-breaking", tuple(c for c in report.changes if not c.breaking))):
        if group:
            lines.append(f"{title}:")
            lines.extend(f"  [{c.level}] {c.message}\n      {c.rule}; old {c.old or '-'}; new {c.new or '-'}" for c in group)
    return "\n".join(lines) + "\n"


def change_dict(change: Change) -> dict[str, object]:
    return {
        "level": change.level,
        "target": change.target,
        "rule": change.rule,
        "breaking": change.breaking,
        "message": change.message,
        "old": change.old,
        "new": change.new,
    }


def _json(report: Report) -> str:
    document = {
        "old": {"source": report.old_label, "version": report.old_version},
        "new": {"source": report.new_label, "version": report.new_version},
        "verdict": report.verdict,
        "next_version": report.next_version,
        "announced": report.announced,
        "breaking": len(report.breaking),
        "changes": [change_dict(c) for c in report.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report) -> str:
    lines = [f"### API changes: {_cell(headline(report))}", ""]
    if note := version_note(report):
        lines += [f"**{_cell(note)}**", ""]
    if report.changes:
        lines += ["| | level | change | old | new |", "|---|---|---|---|---|"]
        for c in report.changes:
            mark = "breaking" if c.breaking else "ok"
            level = c.level if c.level == WIRE else f"python ({c.target})"
            lines.append(f"| {mark} | {level} | {_cell(c.message)} | `{_cell(c.old) or '-'}` | `{_cell(c.new) or '-'}` |")
        lines.append("")
    lines.append(f"<sub>{_cell(report.old_label)} → {_cell(report.new_label)}, by specgen diff</sub>")
    return "\n".join(lines) + "\n"
