"""Hostile specs (issue #5): no injection, no escape from --out, no fetch, bounded, clear errors.

The corpus is in tests/hostile/ (its README lists each fixture and the behaviour it must get); the
tables below are the same list, as the tests read it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile.harness import (  # noqa: E402
    HOSTILE,
    MARKER,
    ROOT,
    assert_all_parse,
    cached_black,
    generate_to,
    import_in_subprocess,
    run_cli,
    tree_snapshot,
)

from generator import load, write  # noqa: E402
from generator.cli import main  # noqa: E402
from generator.errors import SpecError  # noqa: E402

# fixture -> what it attacks. Each must generate, every .py must parse and compile, importing every
# generated module (and building the app) must succeed and create no marker, nothing outside --out.
INJECTION = {
    "inject_docstrings.yaml": "triple quotes, backslashes, CR, CRLF in every prose field (docstrings, comments)",
    "inject_values.yaml": "quote-breaking payloads in enum values, defaults, examples, server URL, paths, 405 text, x-unique-by",
    "inject_names.yaml": "payloads as tags, operationIds, property/parameter/schema/security names, keywords, runtime names",
    "inject_jinja.yaml": "Jinja syntax ({{ }}, {% %}, {# #}, SSTI gadgets) in every kind of string",
    "inject_unicode.yaml": "U+2028/2029, NEL, FF, VT, FS-RS, NUL, RLO, BOM, astral characters in prose, values, names",
    "inject_crlf.yaml": "bare CR, CRLF and trailing backslashes in titles, summaries, defaults, enum values",
    "traverse_names.yaml": "path-like title, tags, operationIds, schema keys: ../../x, /etc/passwd, CON, nul.txt, ..\\..",
    "traverse_title_con.yaml": "a title that is a reserved device name",
    "traverse_title_empty.yaml": "a title with no usable character",
    "recursive_ok.yaml": "legitimate recursion through objects (tree, mutual recursion) still generates",
    "refs/split.yaml": "a legitimate file $ref to a sibling file in the same folder is inlined",
    "refs/long_chain.yaml": "200 chained pure $refs (no cycle) generate in bounded time",
    "inject_version.yaml": "a version with a trailing newline, astral characters and quotes in the title (TOML)",
    "names_runtime_params.yaml": "parameter names that are pydantic BaseModel attributes (model_config, from_orm)",
}


# fixture -> (our problem kind, a fragment of our own message or the pointer it is at): exit 1, FILE:LINE:COL or a
# pointer, no traceback. Only our words are asserted, never a library's (its wording changes between releases).
BROKEN = {
    "broken/yaml_syntax.yaml": ("syntax", "YAML/JSON syntax error"),
    "broken/json_syntax.json": ("syntax", "JSON syntax error"),
    "broken/json_trailing_comma.json": ("syntax", "JSON syntax error"),
    "broken/json_lone_surrogate.json": ("syntax", "(at /info/title)"),
    "broken/json_nan.json": ("syntax", "(at /x-limit)"),
    "broken/json_duplicate_key.json": ("syntax", "duplicate key 'paths'"),
    "broken/json_yaml_comment.json": ("syntax", "JSON syntax error"),
    "broken/not_mapping.yaml": ("openapi", "must be a mapping"),
    "broken/scalar.yaml": ("openapi", "must be a mapping"),
    "broken/empty.yaml": ("syntax", "empty document"),
    "broken/comment_only.yaml": ("syntax", "empty document"),
    "broken/missing_openapi.yaml": ("openapi", "missing 'openapi' field"),
    "broken/swagger2.yaml": ("openapi", "missing 'openapi' field"),
    "broken/version_4.yaml": ("openapi", "unsupported OpenAPI version"),
    "broken/version_number.yaml": ("openapi", "unsupported OpenAPI version"),
    "broken/undeclared_path_param.yaml": ("rule", "path parameter {petId}"),
    "broken/unresolvable_ref.yaml": ("reference", "does not resolve"),
    "broken/duplicate_key.yaml": ("syntax", "duplicate key"),
    "broken/duplicate_operation_id.yaml": ("rule", "operationId 'same' is also used"),
    "broken/python_tag.yaml": ("syntax", "unsupported YAML tag"),
    "broken/merge_key.yaml": ("syntax", "merge keys"),
    "broken/not_utf8.yaml": ("syntax", "not UTF-8"),
    "broken/paths_not_mapping.yaml": ("openapi", "(at /paths)"),
    "broken/ref_not_string.yaml": ("reference", "$ref must be a string"),
    "refs/remote_ref.yaml": ("reference", "never fetched"),
    "refs/outside_ref.yaml": ("reference", "leaves the document's folder"),
    "refs/nested_escape.yaml": ("reference", "leaves the document's folder"),
    "refs/missing_file_ref.yaml": ("reference", "no such file"),
    "refs/cycle_ref.yaml": ("reference", "$ref cycle with no object between"),
    "refs/pointer_cycle_ref.yaml": ("reference", "the whole document"),
    "refs/file_cycle.yaml": ("reference", "recursive"),
    "bounds/alias_bomb.yaml": ("limit", "alias bomb"),
    "bounds/recursive_alias.yaml": ("syntax", "recursive alias"),
    "bounds/deep_yaml.yaml": ("limit", "nesting deeper than"),
    "bounds/deep_json.json": ("limit", "nesting deeper than"),
    "bounds/deep_block.yaml": ("limit", "nesting deeper than"),
    "bounds/ref_bomb_allof.yaml": ("reference", "reference bomb"),
    "bounds/allof_cycle.yaml": ("reference", "allOf cycle"),
    "refs/file_ref_bomb.yaml": ("limit", "references expand the document"),
}

CLI_TIMEOUT = 60


def _located(line: str, spec: str) -> bool:
    """FILE:LINE:COL: error: ... or FILE: error: ... (at /pointer)."""
    head, _, rest = line.partition(": error: ")
    if not rest:
        return False
    parts = head.rsplit(":", 2)
    has_line = len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit()
    return has_line or " (at /" in rest


# -- injection --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, str], str]]:
    """Generate every injection fixture in process, then import them all in one child process."""
    generated: dict[str, tuple[Path, dict[str, str]]] = {}
    with cached_black():
        for name in INJECTION:
            work = tmp_path_factory.mktemp("inject")
            (work / "cwd").mkdir()
            generated[name] = (work, generate_to(HOSTILE / name, work / "out"))
    imported = import_in_subprocess([(work / "out", work / "cwd") for work, _ in generated.values()])
    return {name: (work, files, imported[str(work / "out")]) for name, (work, files) in generated.items()}


@pytest.mark.parametrize("name", list(INJECTION))
def test_injection_fixture_is_inert(name: str, injected: dict) -> None:
    work, files, imported = injected[name]
    assert_all_parse(files)
    assert imported == "imported", imported
    assert not (work / "cwd" / MARKER).exists(), "importing the generated code ran spec text"
    assert not list(work.rglob(MARKER))
    # Nothing outside --out: the work folder holds only out/ and the importer's cwd/.
    assert sorted(p.name for p in work.iterdir()) == ["cwd", "out"]
    assert sorted(p.name for p in (work / "out").iterdir()) == [".generated-files", "client", "server"]
    for path in files:
        assert (work / "out" / path).resolve().is_relative_to((work / "out").resolve())


def test_jinja_in_spec_text_is_printed_not_evaluated(injected: dict) -> None:
    _work, files, _ = injected["inject_jinja.yaml"]
    models = next(text for path, text in files.items() if path.startswith("client/") and path.endswith("models.py"))
    assert "{{ 7*7 }}" in models
    readme = files["server/README.md"]
    assert "{% for x in range(3) %}loop{% endfor %}" in readme
    assert "looplooploop" not in "".join(files.values())


def test_traversal_names_stay_inside_out(injected: dict) -> None:
    _work, files, _ = injected["traverse_names.yaml"]
    for path in files:
        write.check_relative(path)  # raises on anything unsafe
        assert ".." not in path.split("/") and not path.startswith("/")
    assert not Path("/tmp/escaped").exists() or not any(Path("/tmp/escaped").iterdir())


def test_device_name_title_is_not_a_device_folder(injected: dict) -> None:
    _work, files, _ = injected["traverse_title_con.yaml"]
    packages = {path.split("/")[1] for path in files if path.count("/") >= 2}
    assert packages and not any(p.lower() in ("con", "nul", "aux", "prn") for p in packages)


# -- output paths and the write stage ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["../x.py", "../../etc/passwd", "/etc/passwd", "a/../../b.py", "client/../../x", "CON", "client/con.py", "nul",
     "client/COM1.txt", "lpt9", "", "a//b", ".hidden", "a/./b", "a\\..\\b", "client/\x00.py", "c:/x", "a/\u2028b"],
)
def test_check_relative_refuses_unsafe_paths(path: str) -> None:
    with pytest.raises(SpecError):
        write.check_relative(path)


def test_write_tree_refuses_escape_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(SpecError):
        write.write_tree(out, {"client/ok.py": "x = 1\n", "../evil.py": "x = 2\n"})
    assert list(tmp_path.iterdir()) == []


def test_output_folder_symlink_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "out").symlink_to(target)
    with pytest.raises(SpecError, match="symlink"):
        write.write_tree(tmp_path / "out", {"a.py": "x = 1\n"})
    assert list(target.iterdir()) == []


def test_non_empty_foreign_folder_refused(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep")
    with pytest.raises(SpecError, match="not empty"):
        write.write_tree(tmp_path, {"a.py": "x = 1\n"})
    assert (tmp_path / "precious.txt").read_text() == "keep"


def test_symlinks_inside_out_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "models.py").write_text("x = 1\n")
    (outside / "keep.txt").write_text("keep")
    out = tmp_path / "out"
    write.write_tree(out, {"client/pkg/models.py": "x = 1\n", "client/pkg/other.py": "y = 2\n"})
    # A user (or attacker) swaps a generated file and a generated folder for symlinks to outside.
    (out / "client" / "pkg" / "models.py").unlink()
    (out / "client" / "pkg" / "models.py").symlink_to(outside / "models.py")
    before = tree_snapshot(outside)
    report = write.write_tree(out, {"client/pkg/models.py": "x = 1\n", "client/pkg/other.py": "y = 3\n"})
    assert report.written >= 1
    assert not (out / "client" / "pkg" / "models.py").is_symlink()
    assert tree_snapshot(outside) == before
    # Now the whole package folder is a link to outside: regenerating writes real folders, not through it.
    import shutil

    shutil.rmtree(out / "client" / "pkg")
    (out / "client" / "pkg").symlink_to(outside, target_is_directory=True)
    write.write_tree(out, {"client/pkg/models.py": "x = 2\n", "client/pkg/other.py": "y = 3\n"})
    assert not (out / "client" / "pkg").is_symlink()
    assert (out / "client" / "pkg" / "models.py").read_text() == "x = 2\n"
    assert tree_snapshot(outside) == before


def test_manifest_lines_are_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    out = tmp_path / "out"
    write.write_tree(out, {"a.py": "x = 1\n"})
    (out / write.MANIFEST).write_text("a.py\n../secret.txt\n/etc/passwd\n")
    diffs = write.drift(out, {"a.py": "x = 1\n"})
    assert not any("TOP SECRET" in d or "root:" in d for d in diffs)
    write.write_tree(out, {"a.py": "x = 1\n"})
    assert secret.read_text() == "TOP SECRET\n"


# -- broken input: exit 1, located, no traceback, bounded time ------------------------------------


def _check_failure(name: str, code: int, stderr: str, seconds: float, out: Path) -> None:
    assert code == 1, (code, stderr[-2000:])
    assert "Traceback" not in stderr and "unexpected" not in stderr
    kind, fragment = BROKEN[name]
    assert fragment in stderr, stderr[-2000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert any(re.search(rf"\[{kind}( [a-z-]+)?\]$", line) for line in lines), stderr[-2000:]  # [kind] or [kind rule]
    assert lines and all(_located(line, name) for line in lines), stderr[-2000:]
    assert seconds < 20, f"took {seconds:.1f}s"
    assert not out.exists(), "a failed generation wrote output"


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_spec_fails_cleanly(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In process, as the CLI runs it: exit 1, every line located, no output, bounded time."""
    started = time.monotonic()
    code = main(["generate", "--spec", str(HOSTILE / name), "--out", str(tmp_path / "out")])
    _check_failure(name, code, capsys.readouterr().err, time.monotonic() - started, tmp_path / "out")


# A process-level sample (exit status, stderr, no traceback) across load, refs, bounds and validate.
SUBPROCESS_SAMPLE = ["broken/yaml_syntax.yaml", "broken/undeclared_path_param.yaml", "refs/remote_ref.yaml", "bounds/alias_bomb.yaml"]


def _run_generate(name: str, out: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = run_cli("generate", "--spec", str(HOSTILE / name), "--out", str(out), timeout=CLI_TIMEOUT)
    return result, time.monotonic() - started


def test_broken_specs_fail_cleanly_as_a_process(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_run_generate, name, tmp_path / f"out{i}") for i, name in enumerate(SUBPROCESS_SAMPLE)}
    for i, name in enumerate(SUBPROCESS_SAMPLE):
        result, seconds = futures[name].result()
        _check_failure(name, result.returncode, result.stderr, seconds, tmp_path / f"out{i}")


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_spec_lenient_never_crashes(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--lenient turns schema problems into warnings; what is left must still fail cleanly, or generate."""
    code = main(["generate", "--lenient", "--spec", str(HOSTILE / name), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code in (0, 1), err[-2000:]
    assert "unexpected" not in err and "Traceback" not in err


def test_python_tag_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(HOSTILE / "broken/python_tag.yaml")]) == 1
    assert not (tmp_path / MARKER).exists()


def test_missing_file_and_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for spec, fragment in ((tmp_path / "nope.yaml", "cannot read"), (tmp_path, "folder")):
        assert main(["validate", str(spec)]) == 1
        assert fragment in capsys.readouterr().err


def test_fifo_spec_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    result = run_cli("validate", str(fifo), timeout=20)
    assert result.returncode == 1 and "not a regular file" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_huge_document_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(load.MAX_BYTES + 1)
    started = time.monotonic()
    with pytest.raises(SpecError, match="the limit is"):
        load.load_document(str(huge))
    assert time.monotonic() - started < 2
    with pytest.raises(SpecError, match="the limit is"):
        load.parse_document(b"openapi: x\n" + b" " * load.MAX_BYTES, "huge.yaml")


def test_node_limit_without_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_NODES", 1000)
    wide = b"openapi: '3.0.3'\nx: [" + b"0, " * 2000 + b"0]\n"
    with pytest.raises(SpecError, match="more than 1000 nodes"):
        load.parse_document(wide, "wide.yaml")


def test_very_deep_nesting_does_not_crash_the_interpreter(tmp_path: Path) -> None:
    """PyYAML's C composer recurses per level and segfaults near a million; our builder never recurses."""
    deep = tmp_path / "deep.yaml"
    deep.write_text("openapi: '3.0.3'\nx: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")
    result = run_cli("validate", str(deep), timeout=CLI_TIMEOUT)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert "nesting deeper than" in result.stderr and result.stderr.rstrip().endswith("[limit]")


def test_symlinked_ref_leaving_the_folder_refused(tmp_path: Path) -> None:
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    (secret_dir / "s.yaml").write_text("S: {type: string}\n")
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    (spec_dir / "link.yaml").symlink_to(secret_dir / "s.yaml")
    (spec_dir / "api.yaml").write_text(
        "openapi: '3.0.3'\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: 'link.yaml#/S'}\n"
    )
    result = run_cli("validate", "--lenient", str(spec_dir / "api.yaml"))
    assert result.returncode == 1 and "leaves the document's folder" in result.stderr, result.stderr


def test_remote_ref_is_never_fetched(tmp_path: Path) -> None:
    """A listening socket sees no connection while a spec with a $ref to it is checked."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: '3.0.3'\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        f"        '200': {{$ref: 'http://127.0.0.1:{port}/r.yaml'}}\n"
    )
    try:
        result = run_cli("generate", "--lenient", "--spec", str(spec), "--out", str(tmp_path / "out"))
        assert result.returncode == 1 and "never fetched" in result.stderr
        with pytest.raises(socket.timeout):
            server.accept()
    finally:
        server.close()


def test_debug_flag_is_the_only_way_to_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.cli as cli

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("internal")

    monkeypatch.setattr(cli, "output_files", boom)
    assert cli.main(["generate", "--spec", "x.yaml", "--out", str(tmp_path / "o")]) == 2
    with pytest.raises(RuntimeError):
        cli.main(["--debug", "generate", "--spec", "x.yaml", "--out", str(tmp_path / "o")])


def test_readme_lists_every_fixture() -> None:
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    fixtures = {p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*") if p.suffix in (".yaml", ".json")}
    fixtures = {f for f in fixtures if not f.startswith("refs/parts/")}
    missing = sorted(f for f in fixtures if f"`{f}`" not in readme)
    assert not missing, f"undocumented fixtures: {missing}"
    assert set(INJECTION) | set(BROKEN) <= fixtures


def test_root_is_the_repository() -> None:
    assert (ROOT / "generator" / "cli.py").is_file()
