"""The pre-commit hooks of .pre-commit-hooks.yaml, run as pre-commit runs them (the entry, the hook's args, the
file names when the hook takes them) in a project that only has a [tool.specgen] table and an ordinary
bearer-auth document: no args, no scopes in the document."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTES = Path(__file__).resolve().parent / "config" / "notes.yaml"
# The hooks that need no repository history (specgen-diff compares git revisions: tests/diff test it).
HOOKS: list[dict[str, Any]] = [
    hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if hook["id"] != "specgen-diff"
]


def _run_hook(hook: dict[str, Any], project: Path, changed: list[str]) -> subprocess.CompletedProcess[str]:
    entry = shlex.split(hook["entry"])
    executable = Path(sys.executable).parent / entry[0]  # pre-commit installs the package's console script
    assert executable.is_file(), f"{executable} missing: install the package (pip install -e .)"
    files = changed if hook.get("pass_filenames", True) else []
    command = [str(executable), *entry[1:], *hook.get("args", []), *files]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(NOTES, tmp_path / "openapi.yaml")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")  # a YAML file that is no OpenAPI document
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "notes"\n\n[tool.specgen]\nspec = "openapi.yaml"\nout = "sdk"\n')
    return tmp_path


def test_the_hooks_pass_on_an_ordinary_bearer_auth_document_with_no_args(project: Path) -> None:
    assert [hook["id"] for hook in HOOKS] == ["specgen-validate", "specgen-check"]
    assert all("args" not in hook for hook in HOOKS)
    subprocess.run([str(Path(sys.executable).parent / "specgen"), "generate"], cwd=project, check=True, capture_output=True)
    for hook in HOOKS:
        result = _run_hook(hook, project, ["openapi.yaml", ".pre-commit-config.yaml"])
        assert result.returncode == 0, (hook["id"], result.stdout, result.stderr)


def test_the_hooks_fail_when_the_document_breaks_or_the_output_is_stale(project: Path) -> None:
    subprocess.run([str(Path(sys.executable).parent / "specgen"), "generate"], cwd=project, check=True, capture_output=True)
    spec = project / "openapi.yaml"
    spec.write_text(spec.read_text().replace("operationId: notes_create", "operationId: notes_list"))
    validate, check = HOOKS
    result = _run_hook(validate, project, ["openapi.yaml"])
    assert result.returncode == 1 and "[rule operation-id-unique]" in result.stderr
    spec.write_text(NOTES.read_text().replace("maxLength: 200", "maxLength: 100"))
    assert _run_hook(validate, project, ["openapi.yaml"]).returncode == 0
    result = _run_hook(check, project, [])
    assert result.returncode == 1 and "run: specgen generate" in result.stderr
