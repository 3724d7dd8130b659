"""Golden cases: each tests/golden/<case>/ holds a spec, a README and the expected output tree.

Regenerate every expected tree with `pytest tests/test_golden.py --update-goldens`, then review the diff.
A case with `expected_error.txt` instead pins the generator's error text for a broken spec.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.pipeline import generate_files
from generator.render import copied_outputs
from generator.write import write_tree

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file())
UPDATE = "pytest tests/test_golden.py --update-goldens"


def _expected_files(case: Path) -> dict[str, str]:
    expected = case / "expected"
    return {p.relative_to(expected).as_posix(): p.read_text(encoding="utf-8") for p in sorted(expected.rglob("*")) if p.is_file()}


def _generated(case: Path) -> dict[str, str]:
    """The rendered files; verbatim copies (runtimes, py.typed) are the same for every spec, so not repeated here."""
    api, files, _warnings = generate_files(str(case / "spec.yaml"))
    copied = copied_outputs(api)
    return {path: text for path, text in files.items() if path not in copied}


@pytest.mark.parametrize("name", CASES)
def test_golden_case(name: str, update_goldens: bool) -> None:
    case = GOLDEN / name
    error_file = case / "expected_error.txt"
    if error_file.exists() or name.startswith("broken"):
        with pytest.raises(SpecError) as caught:
            generate_files(str(case / "spec.yaml"))
        text = "\n".join(str(p).replace(str(case), "<case>") for p in caught.value.problems) + "\n"
        if update_goldens:
            error_file.write_text(text, encoding="utf-8")
        assert text == error_file.read_text(encoding="utf-8"), f"error text changed; run {UPDATE}"
        return
    actual = _generated(case)
    if update_goldens:
        shutil.rmtree(case / "expected", ignore_errors=True)
        for path, text in actual.items():
            target = case / "expected" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = _expected_files(case)
    diffs = []
    for path in sorted(set(actual) | set(expected)):
        if actual.get(path) != expected.get(path):
            diffs.extend(
                difflib.unified_diff(
                    expected.get(path, "").splitlines(keepends=True), actual.get(path, "").splitlines(keepends=True),
                    fromfile=f"expected/{path}", tofile=f"generated/{path}",
                )
            )
    assert not diffs, "".join(diffs) + f"\ngolden output of {name} differs; if the change is intended run {UPDATE}"


def test_golden_output_type_checks(tmp_path: Path, mypy_cache: Path) -> None:
    """Every golden case, generated with its runtimes, passes mypy --strict."""
    packages: list[str] = []
    for name in CASES:
        if name.startswith("broken"):
            continue
        _, files, _warnings = generate_files(str(GOLDEN / name / "spec.yaml"))
        write_tree(tmp_path / name, files)
        for side in ("client", "server"):
            packages += [str(p) for p in (tmp_path / name / side).iterdir() if (p / "__init__.py").exists()]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), *packages],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
