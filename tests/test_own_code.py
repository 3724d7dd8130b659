"""The generator's own code passes mypy --strict (pyproject.toml's [tool.mypy]), as the code it generates does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_generator_passes_mypy_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / ".mypy"), "generator"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-6000:]


def test_every_package_of_the_generator_is_installed() -> None:
    """pyproject.toml lists the packages explicitly: one left out is missing from a wheel, and `specgen` installed
    from it fails on import (generator.spec and generator.diff once were)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "generator").rglob("__init__.py")
    }
    assert found <= listed, sorted(found - listed)
