"""`generate` records what it generated from, reports what changed since, and keeps each project's changelog."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.diff import history
from tests.diff.documents import base

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_regeneration_summary_changelog_and_a_named_major_version(tmp_path: Path) -> None:
    spec, out = tmp_path / "tasks.json", tmp_path / "out"
    spec.write_text(json.dumps(base()), encoding="utf-8")
    first = _run("generate", "--spec", str(spec), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "first generation" in first.stdout
    changelog = (out / "client" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.endswith("## 1.2.3\n\nFirst generation from tasks.json; changes are recorded from here on.\n")
    before = _tree(out)

    again = _run("generate", "--spec", str(spec), "--out", str(out))  # the same document: nothing to write
    assert "0 written" in again.stdout and "no change since the previous output" in again.stdout
    assert _tree(out) == before

    renamed = base()
    renamed["paths"]["/tasks/{task_id}"]["get"]["operationId"] = "fetch_task"
    spec.write_text(json.dumps(renamed), encoding="utf-8")
    stale = _run("check", "--spec", str(spec), "--out", str(out))
    assert stale.returncode == 1 and "+- client method `client.tasks.get_task` renamed to `client.tasks.fetch_task`" in stale.stdout

    second = _run("generate", "--spec", str(spec), "--out", str(out))
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert f"{out}: since the previous output: 3 breaking, 0 non-breaking changes; major: 1.2.3 -> 2.0.0" in lines
    assert "  breaking: client method `client.tasks.get_task` renamed to `client.tasks.fetch_task`" in lines
    assert any(line.startswith("  NEW MAJOR VERSION:") and "2.0.0" in line for line in lines), second.stdout

    client_log = (out / "client" / "CHANGELOG.md").read_text(encoding="utf-8")
    server_log = (out / "server" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert client_log.index("## 1.2.3 (breaking: a major version, 2.0.0") < client_log.index("First generation")
    assert "client method `client.tasks.get_task` renamed to `client.tasks.fetch_task`" in client_log
    assert "server interface method" not in client_log  # each project's log holds its own part
    assert "server interface method `TasksApi.get_task` renamed to `TasksApi.fetch_task`" in server_log
    assert "client method" not in server_log

    assert _run("check", "--spec", str(spec), "--out", str(out)).returncode == 0
    settled = _tree(out)
    third = _run("generate", "--spec", str(spec), "--out", str(out))
    assert "0 written" in third.stdout and _tree(out) == settled


def test_after_a_prose_edit_the_old_surface_is_not_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Descriptions never change a type: the recorded surface takes the new surface's type trees instead of a second
    model built from the recorded document, and the report and the files are the same either way."""
    spec, out = tmp_path / "tasks.json", tmp_path / "out"
    spec.write_text(json.dumps(base()), encoding="utf-8")
    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 0
    described = base()
    described["paths"]["/tasks/{task_id}"]["get"]["description"] = "Fetch one task."
    described["paths"]["/tasks/{task_id}"]["get"]["responses"]["200"]["description"] = "the task"
    spec.write_text(json.dumps(described), encoding="utf-8")
    shutil.copytree(out, tmp_path / "rebuilt")
    rebuilt: list[object] = []
    original = history._rebuilt
    monkeypatch.setattr(history, "_rebuilt", lambda *a: rebuilt.append(a) or original(*a))
    capsys.readouterr()

    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 0 and rebuilt == []
    reused = capsys.readouterr().out.replace(str(out), "OUT")
    monkeypatch.setattr(history, "prose_changes", lambda old, new: None)  # as if it were any other edit
    assert main(["generate", "--spec", str(spec), "--out", str(tmp_path / "rebuilt")]) == 0 and len(rebuilt) == 1
    assert capsys.readouterr().out.replace(str(tmp_path / "rebuilt"), "OUT") == reused
    assert "patch: 1.2.3 -> 1.2.4" in reused
    assert _tree(out) == _tree(tmp_path / "rebuilt")
