"""`mypy --strict`, in one run, on the generated client package and on a user's script that uses every feature of it
(tests/client/user_script.py): no error in the package, none in the script except on the lines marked `# E:`,
which must each be one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLIENT = ROOT / "generated" / "client"
SCRIPT = HERE / "user_script.py"


def test_client_and_user_script_pass_mypy_strict(tmp_path: Path) -> None:
    env = {**os.environ, "MYPYPATH": str(CLIENT)}
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path)]
    command += [str(CLIENT / "posthog_client"), str(SCRIPT)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert all(line.startswith(str(SCRIPT.relative_to(ROOT))) for line in errors), result.stdout
    flagged = {int(line.split(":")[1]) for line in errors}
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    expected = {n + 1 for n, text in enumerate(lines) if "# E:" in text}
    assert len(expected) == 9
    assert flagged == expected, result.stdout
