"""`specgen diff` on files and on git history, and its exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.diff.documents import base

ROOT = Path(__file__).resolve().parents[2]


def _diff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "diff", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose api/openapi.json has two commits: the base document, then `limit` made required."""
    (tmp_path / "api").mkdir()
    spec = tmp_path / "api" / "openapi.json"
    spec.write_text(json.dumps(base()), encoding="utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first")
    changed = base()
    changed["paths"]["/tasks/{task_id}"]["get"]["parameters"][2]["required"] = True
    spec.write_text(json.dumps(changed), encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "limit required")
    return tmp_path


def test_revisions_from_git_history(repo: Path) -> None:
    result = _diff("HEAD~1:api/openapi.json", "api/openapi.json", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["old"]["source"] == "HEAD~1:api/openapi.json"
    wire = [(c["rule"], c["old"], c["new"]) for c in report["changes"] if c["level"] == "wire"]
    at = "/paths/~1tasks~1{task_id}/get/parameters/2"
    assert wire == [("parameter-became-required", at, at)]


def test_base_compares_the_configured_spec_with_the_working_tree(repo: Path) -> None:
    spec = repo / "api" / "openapi.json"
    document = json.loads(spec.read_text(encoding="utf-8"))
    document["paths"]["/tasks/{task_id}"]["get"]["parameters"].append({"name": "page", "in": "query", "schema": {"type": "integer"}})
    spec.write_text(json.dumps(document), encoding="utf-8")
    result = _diff("--base", "HEAD", "--spec", "api/openapi.json", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("HEAD:api/openapi.json -> api/openapi.json: 0 breaking, 3 non-breaking changes; minor: 1.2.3 -> 1.3.0")
    assert "info.version is 1.2.3: a minor version (1.3.0) is not announced" in result.stdout


def test_a_document_that_cannot_be_read_exits_2_with_a_located_error(repo: Path) -> None:
    missing_revision = _diff("nosuchrev:api/openapi.json", "api/openapi.json", cwd=repo)
    assert missing_revision.returncode == 2
    assert missing_revision.stderr.startswith("nosuchrev:api/openapi.json: error: git cannot read it")
    assert missing_revision.stderr.rstrip().endswith("[io]") and "Traceback" not in missing_revision.stderr
    (repo / "broken.yaml").write_text("openapi: 3.0.3\npaths: [\n", encoding="utf-8")
    broken = _diff("api/openapi.json", "broken.yaml", cwd=repo)
    assert broken.returncode == 2
    assert broken.stderr.startswith("broken.yaml:") and broken.stderr.rstrip().endswith("[syntax]"), broken.stderr
    usage = _diff("api/openapi.json", cwd=repo)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
