"""`mypy --strict` on a user's script that uses every feature of the generated client (tests/client/user_script.py):
no error, except on the lines marked `# E:`, which must each be one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCRIPT = HERE / "user_script.py"


def test_user_script_passes_mypy_strict(tmp_path: Path) -> None:
    env = {**os.environ, "MYPYPATH": str(ROOT / "generated" / "client")}
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path), str(SCRIPT)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    flagged = {int(line.split(":")[1]) for line in result.stdout.splitlines() if ": error:" in line}
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    expected = {n + 1 for n, text in enumerate(lines) if "# E:" in text}
    assert len(expected) == 8
    assert flagged == expected, result.stdout
