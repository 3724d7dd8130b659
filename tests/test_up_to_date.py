"""`check` and a no-op `generate` answered from the record of the run that left --out as it is (up_to_date.py),
and validation results kept per document (result_cache.py): each answers only when nothing it depends on changed.
Every change of an input, of the generator, of a flag or of an output file falls back to the full run, which says
what changed; a damaged entry is a miss; --no-cache reads none of it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator.pipeline
from generator import fingerprint, validate, validation
from generator.cli import main
from generator.format_cache import MAGIC, digest

GOLDEN = Path(__file__).resolve().parent / "golden" / "enums"
REAL = Path(__file__).resolve().parent / "real"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def full_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The commands that ran the whole pipeline (the others were answered from an earlier run)."""
    runs: list[str] = []
    original = generator.pipeline.output_files

    def counting(spec_path: str, *args: object, **kwargs: object) -> object:
        runs.append(spec_path)
        return original(spec_path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.pipeline, "output_files", counting)
    yield runs


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The enums golden case's document, its Priority schema moved to a file it references."""
    folder = tmp_path / "project"
    folder.mkdir()
    text = (GOLDEN / "spec.yaml").read_text(encoding="utf-8")
    text = text.replace("priority: {$ref: '#/components/schemas/Priority'}", "priority: {$ref: 'parts.yaml#/Priority'}")
    (folder / "spec.yaml").write_text(text, encoding="utf-8")
    (folder / "parts.yaml").write_text("Priority:\n  type: integer\n  enum: [1, 2, 3]\n", encoding="utf-8")
    return folder


@pytest.fixture
def validated_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation in this process (not in a worker), where the tests count the validator's calls."""
    monkeypatch.setattr(validation, "cores", lambda: 1)


@pytest.fixture
def validator_calls(monkeypatch: pytest.MonkeyPatch, validated_here: None) -> list[object]:
    """Each call of the validator, which still runs."""
    calls: list[object] = []
    original = validate.validate

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "validate", counting)
    return calls


def _entry(path: Path, body: bytes) -> bytes:
    """A cache entry that passes the cache's own checks (key and hash), holding `body`."""
    return MAGIC + b" " + (path.parent.name + path.name).encode() + b" " + digest(body).encode() + b"\n" + body


def _run(command: str, project: Path, *extra: str) -> int:
    return main([command, "--spec", str(project / "spec.yaml"), "--out", str(project / "out"), *extra])


def test_unchanged_tree_is_answered_without_generating(
    project: Path, cache_home: Path, full_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("generate", project) == 0
    capsys.readouterr()
    assert _run("generate", project, "--no-cache") == 0  # the full run's own words for a no-op generate
    full = capsys.readouterr()
    assert "0 written" in full.out and len(full_runs) == 2

    assert _run("check", project) == 0
    assert _run("generate", project) == 0
    assert len(full_runs) == 2  # neither ran the pipeline
    fast = capsys.readouterr()
    assert fast.out.splitlines() == [f"{project / 'out'}: up to date with {project / 'spec.yaml'}", *full.out.splitlines()]
    assert fast.err == full.err


def test_warnings_are_reported_by_the_answer_as_by_the_full_run(
    tmp_path: Path, cache_home: Path, full_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(REAL / "example_wrong_type.yaml", tmp_path / "spec.yaml")
    assert _run("generate", tmp_path) == 0
    capsys.readouterr()
    assert _run("check", tmp_path, "--no-cache") == 0
    full = capsys.readouterr()
    assert "warning" in full.err
    assert _run("check", tmp_path) == 0
    assert capsys.readouterr() == full and len(full_runs) == 2


@pytest.mark.parametrize(
    "change",
    ["document", "referenced file", "templates folder", "generator code", "environment", "flag", "configuration"],
)
def test_every_changed_input_falls_back_to_the_full_run(
    project: Path, cache_home: Path, full_runs: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], change: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(project)
    templates = project / "templates"
    (templates / "client").mkdir(parents=True)
    readme = (fingerprint.TEMPLATES / "client" / "README.md.j2").read_text(encoding="utf-8")
    (templates / "client" / "README.md.j2").write_text(readme, encoding="utf-8")
    flags = ["--templates", str(templates)]
    assert _run("generate", project, *flags) == 0
    assert _run("check", project, *flags) == 0 and len(full_runs) == 1
    stale = 1  # what check says after the change, by the full run
    if change == "document":
        spec = project / "spec.yaml"
        spec.write_text(spec.read_text().replace("Where a ticket stands.", "Where a ticket is."), encoding="utf-8")
    elif change == "referenced file":
        (project / "parts.yaml").write_text("Priority:\n  type: integer\n  enum: [1, 2, 3, 4]\n", encoding="utf-8")
    elif change == "templates folder":
        (templates / "client" / "README.md.j2").write_text(readme + "\nOne more line.\n", encoding="utf-8")
    elif change == "generator code":
        monkeypatch.setattr(fingerprint, "generator", lambda: b"another generator")
        stale = 0  # the same output, found by the full run
    elif change == "environment":
        monkeypatch.setattr(fingerprint, "environment", lambda: b"another black")
        stale = 0
    elif change == "flag":
        flags += ["--target", "client"]  # the server is no longer generated
    elif change == "configuration":
        (project / "pyproject.toml").write_text('[tool.specgen]\nclient-package = "tickets"\n', encoding="utf-8")
    capsys.readouterr()
    assert _run("check", project, *flags) == stale
    assert len(full_runs) == 2
    if stale:
        assert "differ from" in capsys.readouterr().err
    assert _run("generate", project, *flags) == 0
    assert _run("check", project, *flags) == 0
    # The tree the full check found right, or the one generate wrote, is known: neither runs the pipeline again.
    assert len(full_runs) == (3 if stale else 2)


def test_a_link_pointed_elsewhere_is_a_changed_input(
    project: Path, cache_home: Path, full_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A referenced file reached through a symbolic link: pointing the link at another folder changes what the
    document holds, though the file the last run read is untouched."""
    for name, values in (("a", "[1, 2, 3]"), ("b", "[1, 2, 3, 4]")):
        (project / name).mkdir()
        (project / name / "parts.yaml").write_text(f"Priority:\n  type: integer\n  enum: {values}\n", encoding="utf-8")
    spec = project / "spec.yaml"
    spec.write_text(spec.read_text().replace("'parts.yaml#/Priority'", "'linked/parts.yaml#/Priority'"), encoding="utf-8")
    (project / "linked").symlink_to(project / "a", target_is_directory=True)
    assert _run("generate", project) == 0
    assert _run("check", project) == 0 and len(full_runs) == 1
    (project / "linked").unlink()
    (project / "linked").symlink_to(project / "b", target_is_directory=True)
    capsys.readouterr()
    assert _run("check", project) == 1 and len(full_runs) == 2
    assert "differ from" in capsys.readouterr().err


def test_generator_fingerprint_follows_its_code_and_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package, templates = tmp_path / "generator", tmp_path / "templates"
    shutil.copytree(Path(fingerprint.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(fingerprint.TEMPLATES, templates)
    monkeypatch.setattr(fingerprint, "_PACKAGE", package)
    monkeypatch.setattr(fingerprint, "TEMPLATES", templates)
    fingerprint.generator.cache_clear()
    try:
        seen = {fingerprint.generator()}
        with open(package / "render.py", "a", encoding="utf-8") as module:
            module.write("# edited\n")
        fingerprint.generator.cache_clear()
        seen.add(fingerprint.generator())
        (templates / "client" / "client.py.j2").write_text("edited\n", encoding="utf-8")
        fingerprint.generator.cache_clear()
        seen.add(fingerprint.generator())
        (package / "__pycache__").mkdir()
        (package / "__pycache__" / "x.pyc").write_bytes(b"compiled")  # not the code
        fingerprint.generator.cache_clear()
        assert fingerprint.generator() in seen and len(seen) == 3
    finally:
        fingerprint.generator.cache_clear()


@pytest.mark.parametrize("edit", ["edited", "deleted", "added to the manifest", "manifest deleted"])
def test_an_edited_output_is_still_reported(
    project: Path, cache_home: Path, full_runs: list[str], capsys: pytest.CaptureFixture[str], edit: str
) -> None:
    out = project / "out"
    assert _run("generate", project) == 0 and _run("check", project) == 0 and len(full_runs) == 1
    models = next(out.glob("client/*/models.py"))
    if edit == "edited":
        models.write_text(models.read_text() + "HAND_EDITED = 1\n")
    elif edit == "deleted":
        models.unlink()
    elif edit == "added to the manifest":
        with open(out / ".generated-files", "a", encoding="utf-8") as manifest:
            manifest.write("client/stray.py\n")
        (out / "client" / "stray.py").write_text("x = 1\n")
    else:
        (out / ".generated-files").unlink()
    capsys.readouterr()
    assert _run("check", project) == (0 if edit == "manifest deleted" else 1)
    assert len(full_runs) == 2
    shown = capsys.readouterr().out
    assert {"edited": "-HAND_EDITED = 1", "deleted": "(missing)", "added to the manifest": "-x = 1"}.get(edit, "") in shown
    if edit != "manifest deleted":  # (generate refuses a folder without its manifest)
        assert _run("generate", project) == 0 and _run("check", project) == 0 and len(full_runs) == 3


def test_damaged_entries_are_misses_and_no_cache_reads_none(
    project: Path, cache_home: Path, full_runs: list[str], monkeypatch: pytest.MonkeyPatch, validated_here: None
) -> None:
    assert _run("generate", project) == 0
    entries = sorted(p for p in (cache_home / "specgen" / "runs").rglob("*") if p.is_file())
    assert len(entries) == 1
    header, body = entries[0].read_bytes().split(b"\n", 1)
    wrong_shape = b'{"warnings": [], "summary": "not a list", "files": 1, "inlined": []}'
    for damaged in (b"", b"garbage", header + b"\n" + body + b" ", _entry(entries[0], wrong_shape)):
        entries[0].write_bytes(damaged)
        before = len(full_runs)
        assert _run("check", project) == 0 and len(full_runs) == before + 1
    assert _run("check", project) == 0 and len(full_runs) == before + 1  # the entry is whole again

    calls: list[object] = []
    monkeypatch.setattr(validate, "validate", lambda *a, **k: calls.append(a) or [])
    assert _run("check", project, "--no-cache") == 0
    assert len(full_runs) == before + 2 and len(calls) == 1  # validated again, not taken from its cache


def test_validation_is_kept_per_document(
    project: Path, cache_home: Path, capsys: pytest.CaptureFixture[str], validator_calls: list[object]
) -> None:
    calls = validator_calls
    shutil.copy(REAL / "example_wrong_type.yaml", project / "spec.yaml")
    assert _run("generate", project) == 0
    first = capsys.readouterr().err
    assert "warning" in first and len(calls) == 1
    shutil.rmtree(project / "out")
    assert _run("generate", project) == 0
    assert capsys.readouterr().err == first and len(calls) == 1  # the same warnings, not validated again
    for entry in (p for p in (cache_home / "specgen" / "validation").rglob("*") if p.is_file()):
        entry.write_bytes(_entry(entry, b'[{"file": 1}]'))  # a whole entry, but not a list of problems
    shutil.rmtree(project / "out")
    assert _run("generate", project) == 0
    assert capsys.readouterr().err == first and len(calls) == 2
    spec = project / "spec.yaml"
    spec.write_text(spec.read_text().replace("integer, example", "integer, minimum: 0, example"), encoding="utf-8")
    assert _run("check", project) == 1 and len(calls) == 3  # another document: validated again
    assert _warnings(capsys.readouterr().err) == _warnings(first)


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line]


def _places(warnings: list[str]) -> list[tuple[int, int, str]]:
    """(line, column, kind) of each warning."""
    found = [re.match(r".*?:(\d+):(\d+): warning: .*\[(\w+)\]$", line) for line in warnings]
    return [(int(m[1]), int(m[2]), m[3]) for m in found if m]


PROSE_SPEC = (REAL / "warned.yaml").read_text(encoding="utf-8")  # two schema warnings, one of the model


def test_a_prose_edit_is_not_validated_again(
    project: Path, cache_home: Path, capsys: pytest.CaptureFixture[str], validator_calls: list[object]
) -> None:
    """After an edit of descriptions or comments only, the previous validation's warnings are reported again, at
    their new lines; any other edit is validated again (validation.py, prose.py)."""
    calls = validator_calls
    spec = project / "spec.yaml"
    spec.write_text(PROSE_SPEC, encoding="utf-8")
    assert _run("generate", project) == 0
    first = _warnings(capsys.readouterr().err)
    assert _places(first) == [(8, 7, "openapi"), (17, 42, "openapi"), (5, 5, "unsupported")] and len(calls) == 1
    text = PROSE_SPEC.replace("description: ok", "description: |\n        all\n        ok", 1)
    spec.write_text("# three lines down\n" + text, encoding="utf-8")
    assert _run("generate", project) == 0 and len(calls) == 1
    moved = _warnings(capsys.readouterr().err)
    assert _places(moved) == [(11, 7, "openapi"), (20, 42, "openapi"), (6, 5, "unsupported")]  # further down
    assert [line.split(": ", 1)[1] for line in moved] == [line.split(": ", 1)[1] for line in first]
    for edit in ("operationId: getA", "operationId: getB"), ('default: "many"', 'default: "lots"'):
        spec.write_text(spec.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
        assert _run("generate", project) == 0
        assert len(calls) == 2 + (edit[0] != "operationId: getA")  # not prose: validated again
    assert _places(_warnings(capsys.readouterr().err))[-2:] == [(20, 42, "openapi"), (6, 5, "unsupported")]


def test_what_a_run_does_not_need_is_not_imported(project: Path, tmp_path: Path) -> None:
    """A check answered from the earlier run imports neither the pipeline nor black; a document validated before
    is not validated again, so the validator's libraries are not imported either."""
    probe = (
        "import sys\nimport generator.validation\nfrom generator.cli import main\n"
        "generator.validation.cores = lambda: 2\n"  # a core to spare, whatever this machine has
        "code = main(sys.argv[1:])\n"
        "print(code, *sorted(m for m in ('generator.pipeline', 'jinja2', 'black', 'openapi_spec_validator') "
        "if m in sys.modules))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache-home")}

    def loaded(*argv: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, env=env, cwd=ROOT)
        return done.stdout.splitlines()[-1].split()

    spec, out = str(project / "spec.yaml"), str(project / "out")
    cold = loaded("generate", "--spec", spec, "--out", out)
    # With a core to spare the validator runs in a worker process, and this one never imports it.
    assert cold == ["0", "black", "generator.pipeline", "jinja2"]
    assert loaded("check", "--spec", spec, "--out", out) == ["0"]
    assert loaded("generate", "--spec", spec, "--out", str(project / "another")) == [
        "0", "generator.pipeline", "jinja2"]  # fmt: skip  (formatted text from the cache, validation known)
