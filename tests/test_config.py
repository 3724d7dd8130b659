"""The [tool.specgen] configuration: one test per key (what it changes in the output or the run), the located
errors of a broken table, and the command line without a document."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Callable

import pytest

from generator.cli import main
from generator.config import CONFIG_KEYS, load_settings
from generator.pipeline import generate_files

NOTES = Path(__file__).resolve().parent / "config" / "notes.yaml"


def _project(tmp_path: Path, table: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding api/notes.yaml and a pyproject.toml with `table`; the working directory is a
    sub-folder, so the configuration is found by walking up."""
    (tmp_path / "api").mkdir(parents=True)
    shutil.copy(NOTES, tmp_path / "api" / "notes.yaml")
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.specgen]\nspec = "api/notes.yaml"\n{table}')
    work = tmp_path / "src"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def _generated(tmp_path: Path, table: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    _project(tmp_path, table, monkeypatch)
    settings = load_settings()
    assert settings.spec is not None
    _api, files, _warnings = generate_files(settings.spec, settings=settings)
    return files


def _pyproject(files: dict[str, str], side: str) -> dict[str, object]:
    project = tomllib.loads(files[f"{side}/pyproject.toml"])["project"]
    assert isinstance(project, dict)
    return project


# key -> (lines added to [tool.specgen], a check of the generated files)
OUTPUT_CASES: dict[str, tuple[str, Callable[[dict[str, str]], None]]] = {
    "targets": ('targets = ["client"]\n', lambda f: _only(f, "client/")),
    "client-package": ('client-package = "notes_sdk"\n', lambda f: _has(f, "client/notes_sdk/client.py")),
    "server-package": ('server-package = "notes_api"\n', lambda f: _has(f, "server/notes_api/app.py")),
    "client-project": ('client-project = "acme-notes"\n', lambda f: _equal(_pyproject(f, "client").get("name"), "acme-notes")),
    "server-project": ('server-project = "acme-notes-server"\n', lambda f: _equal(_pyproject(f, "server").get("name"), "acme-notes-server")),
    "version": ('version = "3.0.1rc1"\n', lambda f: _equal([_pyproject(f, s).get("version") for s in ("client", "server")], ["3.0.1rc1"] * 2)),
    "description": ('description = "Notes, \\"typed\\"."\n', lambda f: _equal(_pyproject(f, "client").get("description"), 'Notes, "typed".')),
    "license": ('license = "MIT"\n', lambda f: _equal(_pyproject(f, "server").get("license"), {"text": "MIT"})),
    "authors": (
        'authors = [{name = "Ada", email = "ada@example.com"}, {email = "team@example.com"}]\n',
        lambda f: _equal(_pyproject(f, "client").get("authors"), [{"name": "Ada", "email": "ada@example.com"}, {"email": "team@example.com"}]),
    ),
    "development-key-prefix": ('development-key-prefix = "notes_dev_"\n', lambda f: _in('"notes_dev_"', _server_file(f, "__main__.py"))),
    "invalid-key-message": ('invalid-key-message = "Unknown notes key."\n', lambda f: _in('"Unknown notes key."', _server_file(f, "app.py"))),
}  # fmt: skip


def _only(files: dict[str, str], prefix: str) -> None:
    assert files and all(path.startswith(prefix) for path in files), sorted(files)


def _has(files: dict[str, str], path: str) -> None:
    assert path in files, sorted(files)


def _equal(actual: object, expected: object) -> None:
    assert actual == expected


def _in(fragment: str, text: str) -> None:
    assert fragment in text, text


def _server_file(files: dict[str, str], name: str) -> str:
    return next(text for path, text in files.items() if path.startswith("server/") and path.endswith("/" + name))


@pytest.mark.parametrize("key", list(OUTPUT_CASES))
def test_output_key(key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table, check = OUTPUT_CASES[key]
    default = _generated(tmp_path / "default", "", monkeypatch)
    configured = _generated(tmp_path / "configured", table, monkeypatch)
    check(configured)
    with pytest.raises(AssertionError):
        check(default)  # the check can fail: without the key the output is different


def test_spec_key_lets_every_command_run_without_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path, "", monkeypatch)
    assert main(["validate"]) == 0
    assert "notes.yaml: valid" in capsys.readouterr().out
    assert main(["generate"]) == 0
    assert (tmp_path / "generated" / "client" / "notes_client" / "client.py").is_file()
    assert main(["check"]) == 0


def test_out_key_is_relative_to_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, 'out = "build/sdk"\n', monkeypatch)
    assert main(["generate"]) == 0
    assert (tmp_path / "build" / "sdk" / "server" / "notes_server" / "app.py").is_file()
    assert main(["check", "--out", str(tmp_path / "elsewhere")]) == 1  # the flag wins over the table


def test_templates_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "templates" / "client").mkdir(parents=True)
    (tmp_path / "templates" / "client" / "README.md.j2").write_text("# {{ api.client_package }}, our way\n")
    files = _generated(tmp_path, 'templates = "templates"\n', monkeypatch)
    assert files["client/README.md"] == "# notes_client, our way\n"


def test_rules_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path, "[tool.specgen.rules]\noperation-tags = 'error'\noperation-summary = 'warn'\n", monkeypatch)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "error: operation has no tag (at /paths/~1notes~1{id}~1/get) [rule operation-tags]" in err
    assert err.count("warning: operation has no summary") == 3


SERVER_SCRIPT = """
import asyncio, runpy, sys

import httpx
import uvicorn
from {package} import create_app


async def answer() -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(keys={{"good": ["*"]}}))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/notes/", headers={{"Authorization": "Bearer wrong"}})


response = asyncio.run(answer())
print(response.status_code, response.json()["detail"])
uvicorn.run = lambda *args, **kwargs: None  # serve() prints the development key, then would run the server
sys.argv = ["{package}"]
runpy.run_module("{package}", run_name="__main__")
"""


@pytest.mark.parametrize(
    "table, spec_extension, status_line, key_prefix",
    [
        ("", "", "401 Invalid API key.", "Bearer dev_"),  # neutral defaults
        ("", "      x-specgen-server: {development-key-prefix: nt_, invalid-key-message: No such key.}\n", "401 No such key.", "Bearer nt_"),
        ('development-key-prefix = "notes_dev_"\ninvalid-key-message = "Unknown notes key."\n',
         "      x-specgen-server: {development-key-prefix: nt_, invalid-key-message: No such key.}\n",
         "401 Unknown notes key.", "Bearer notes_dev_"),  # the configuration wins over the document
    ],
)  # fmt: skip
def test_the_server_says_what_the_document_or_configuration_says_about_keys(
    table: str, spec_extension: str, status_line: str, key_prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, table, monkeypatch)
    spec = project / "api" / "notes.yaml"
    spec.write_text(spec.read_text().replace("      scheme: bearer\n", "      scheme: bearer\n" + spec_extension))
    assert main(["generate"]) == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTES_")}
    env["PYTHONPATH"] = str(project / "generated" / "server")
    script = SERVER_SCRIPT.format(package="notes_server")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0] == status_line
    assert any(line.strip().startswith(f"Authorization: {key_prefix}") for line in lines), lines


def test_every_key_has_a_test() -> None:
    tested = set(OUTPUT_CASES) | {"spec", "out", "templates", "rules"}
    assert tested == set(CONFIG_KEYS)


# -- a broken table is a located error, exit 2 -----------------------------------------------------------------


@pytest.mark.parametrize(
    "table, line, column, fragment",
    [
        ("  colour = 'blue'\n", 6, 3, "unknown key 'colour'"),
        ("targets = 'client'\n", 6, 1, "targets:"),
        ("version = 2\n", 6, 1, "version:"),
        ("client-package = 'my-client'\n", 6, 1, "client-package:"),
        ("authors = ['Ada']\n", 6, 1, "authors:"),
        ("[tool.specgen.rules]\n\noperation-tag = 'error'\n", 8, 1, "unknown rule 'operation-tag'"),
        ("[tool.specgen.rules]\noperation-tags = 'fatal'\n", 7, 1, "operation-tags: severity"),
        ("out = \n", 6, 7, "not valid TOML"),
    ],
)
def test_broken_configuration_is_located(
    table: str, line: int, column: int, fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, table, monkeypatch)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{tmp_path / 'pyproject.toml'}:{line}:{column}: error: "), err
    assert fragment in err and err.endswith("[config]") and "Traceback" not in err


def test_config_flag_reads_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path, "", monkeypatch)
    other = tmp_path / "specgen.toml"
    other.write_text("[tool.specgen.rules]\noperation-tags = 'error'\n")
    assert main(["validate", str(tmp_path / "api" / "notes.yaml")]) == 0
    assert main(["validate", "--config", str(other), str(tmp_path / "api" / "notes.yaml")]) == 1
    (tmp_path / "empty.toml").write_text("[tool.other]\n")
    capsys.readouterr()
    assert main(["validate", "--config", str(tmp_path / "empty.toml")]) == 2
    assert "no [tool.specgen] table" in capsys.readouterr().err


# -- the command line ------------------------------------------------------------------------------------------


def test_no_document_and_no_configuration_says_how_to_give_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml from here up (tmp folders live outside the checkout)
    for command in (["validate"], ["generate"], ["check"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "[tool.specgen]" in err and "--spec" in err and "posthog" not in err


def test_help_names_specgen_and_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: specgen ") and "exit status:" in out and "130" in out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("specgen ")


def test_a_malformed_server_extension_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "notes.yaml"
    spec.write_text(NOTES.read_text().replace("      scheme: bearer\n", "      scheme: bearer\n      x-specgen-server: {development-key-prefix: 'a b', colour: red}\n"))
    assert main(["generate", "--spec", str(spec), "--out", str(tmp_path / "out")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": error: ")[0] for line in lines] == [f"{spec}:59:26", f"{spec}:59:57"]
    assert all(line.endswith("[extension]") for line in lines) and "colour" in lines[1]
