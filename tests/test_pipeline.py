"""The committed output, drift detection, determinism and the validate command on the curated spec."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.pipeline import generate_files, output_files
from generator.write import drift

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "posthog.yaml"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT, env=env)


def test_generated_folder_matches_a_fresh_generation() -> None:
    regeneration, _warnings = output_files(str(SPEC), ROOT / "generated")
    assert regeneration.report is not None and regeneration.report.verdict == "none"
    diffs = drift(ROOT / "generated", regeneration.files)
    assert not diffs, "".join(diffs) + "\ngenerated/ is stale: run python -m generator generate"


def test_validate_accepts_the_curated_spec() -> None:
    result = _cli("validate", "spec/posthog.yaml")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_validate_reports_a_broken_copy_with_file_line_column(tmp_path: Path) -> None:
    broken = tmp_path / "posthog.yaml"
    text = SPEC.read_text(encoding="utf-8")
    text = text.replace("operationId: datasets_list", "operationId: datasets_create", 1)
    text = text.replace("in: query", "in: qurey", 1)
    broken.write_text(text, encoding="utf-8")
    result = _cli("validate", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line]
    assert lines and all(line.startswith(f"{broken}:") for line in lines), result.stderr
    assert any("'datasets_create'" in line for line in lines), result.stderr
    assert any("qurey" in line and "(at /components/parameters/" in line for line in lines), result.stderr
    for line in lines:
        location = line.split(": error: ")[0].rsplit(":", 2)
        assert location[1].isdigit() and location[2].isdigit(), line


def test_check_passes_on_main_and_fails_with_a_diff_after_a_description_edit(tmp_path: Path) -> None:
    assert _cli("check").returncode == 0
    edited = tmp_path / "posthog.yaml"
    original = "description: A UUID string identifying this dataset item."
    edited.write_text(
        SPEC.read_text(encoding="utf-8").replace(original, "description: The dataset item's UUID, edited.", 1),
        encoding="utf-8",
    )
    assert "UUID, edited" in edited.read_text(encoding="utf-8")
    result = _cli("check", "--spec", str(edited))
    assert result.returncode == 1
    added = [line for line in result.stdout.splitlines() if line.startswith("+") and "UUID, edited" in line]
    assert added, result.stdout
    assert "run: specgen generate" in result.stderr


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_output_is_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    digests = set()
    for seed in ("0", "12345"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = _cli("generate", "--out", str(out), env=env)
        assert result.returncode == 0, result.stderr
        digests.add(_tree_digest(out))
    assert len(digests) == 1


def test_generate_rewrites_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("generate", "--out", str(out)).returncode == 0
    models = next(out.glob("client/*/models.py"))
    before = models.stat().st_mtime_ns
    stale = out / "client" / "stale.py"
    stale.write_text("# from an older spec\n")
    (out / ".generated-files").write_text((out / ".generated-files").read_text() + "client/stale.py\n")
    cache = out / "client" / "__pycache__"
    cache.mkdir()
    (cache / "x.pyc").write_bytes(b"cache")
    result = _cli("generate", "--out", str(out))
    assert result.returncode == 0
    assert "0 written" in result.stdout and "1 removed" in result.stdout
    assert models.stat().st_mtime_ns == before
    assert not stale.exists()
    assert (cache / "x.pyc").read_bytes() == b"cache"  # files the generator never made are left alone


def test_generate_refuses_a_foreign_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = _cli("generate", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "refusing to overwrite" in result.stderr
    assert (tmp_path / "precious.txt").read_text() == "keep me"
    shutil.rmtree(tmp_path / "client", ignore_errors=True)


def test_runtime_templates_are_black_clean() -> None:
    """They are copied verbatim, not formatted at generation time, so they must already be formatted."""
    import black

    from generator.format import MODE

    for path in sorted((ROOT / "templates").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, f"{path} is not black-formatted: run black -l 120 on it"


def test_every_warning_is_located_at_the_node_it_is_about() -> None:
    """Naming warnings carry FILE:LINE:COL and the pointer of the name that was changed, not 1:1 (at /)."""
    spec = ROOT / "tests" / "golden" / "odd_names" / "spec.yaml"
    _, _, warnings = generate_files(str(spec))
    assert warnings, "odd_names has colliding names"
    assert {w.kind for w in warnings} == {"naming", "unsupported"}  # renamed names; operations the fake answers 501
    for warning in warnings:
        assert warning.severity == "warning"
        assert warning.pointer.startswith(("/paths/", "/components/")), warning
        assert warning.line > 1 and f":{warning.line}:{warning.column}: warning: " in str(warning)
