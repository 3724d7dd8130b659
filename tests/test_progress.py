"""-v prints each stage's time; on a terminal a progress line appears once a run is long, and is cleared."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from generator import progress, validation
from generator.cli import main

SPEC = Path(__file__).resolve().parent / "golden" / "enums" / "spec.yaml"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_verbose_prints_every_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "cores", lambda: 2)  # a core to spare: the validator runs meanwhile
    assert main(["generate", "--spec", str(SPEC), "--out", str(tmp_path / "out"), "-v"]) == 0
    lines = capsys.readouterr().err.splitlines()
    stages = [line.split(": ")[1] for line in lines if line.startswith("specgen: ")]
    assert stages == ["compare the inputs and --out with earlier runs", "load and check references", "validate",
                      "model", "render", "format", "wait for the validation's worker", "compare with the previous output and record", "write",
                      "total"]  # fmt: skip
    assert all(line.endswith(" s") for line in lines if line.startswith("specgen: "))
    assert main(["check", "--spec", str(SPEC), "--out", str(tmp_path / "out")]) == 0
    assert "specgen: " not in capsys.readouterr().err  # without -v, and not on a terminal: nothing
    assert main(["check", "--spec", str(SPEC), "--out", str(tmp_path / "out"), "-v"]) == 0
    stages = [line.split(": ")[1] for line in capsys.readouterr().err.splitlines() if line.startswith("specgen: ")]
    assert stages == ["compare the inputs and --out with earlier runs", "total"]  # nothing changed: no other stage


def test_progress_line_on_a_terminal_only_after_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(progress, "QUIET_FOR", 3600.0)  # however slow this machine is, the run is "short"
    stages = progress.Stages(stream=terminal)
    with stages.stage("model"):
        stages.formatted(1, 3)
    assert terminal.getvalue() == ""  # a short run says nothing
    monkeypatch.setattr(progress, "QUIET_FOR", -1.0)
    with stages.stage("format"):
        stages.formatted(2, 3)
    stages.finish()
    shown = terminal.getvalue()
    assert "specgen: format ..." in shown and "formatting with black: 2/3 parts" in shown
    assert shown.endswith("\r\033[K")  # cleared at the end

    pipe = io.StringIO()
    quiet = progress.Stages(stream=pipe)
    with quiet.stage("format"):
        quiet.formatted(2, 3)
    quiet.finish()
    assert pipe.getvalue() == ""
