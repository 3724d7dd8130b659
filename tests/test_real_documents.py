"""What real documents do that ours does not: schema problems generation goes past, strict JSON, names that are
JSON Reference keywords, patterns pydantic's default engine cannot compile (fixtures under tests/real/)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import SpecError
from generator.load import load_document
from generator.pipeline import generate_files, load_valid
from generator.rules import RuleSet
from generator.write import write_tree

REAL = Path(__file__).resolve().parent / "real"

# fixture -> the pointer its schema problem is at (never the document's root)
GOES_PAST = {
    "operation_title.yaml": "/paths/~1a/get/title",
    "const_in_30.yaml": "/paths/~1a/get/responses/200/content/application~1json/schema/properties/kind/const",
    "enum_default_outside.yaml": "/paths/~1a/get/parameters/0/schema/default",
    "object_default_null.yaml": "/paths/~1a/get/responses/200/content/application~1json/schema/properties/meta/default",
    "allof_required_undefined.yaml": "/components/schemas/B/required",
}


@pytest.mark.parametrize("name", sorted(GOES_PAST))
def test_generate_goes_past_a_schema_problem_with_a_located_warning(name: str) -> None:
    _api, files, warnings = generate_files(str(REAL / name))
    assert files
    schema = [w for w in warnings if w.kind == "openapi"]
    assert schema and all(w.severity == "warning" for w in schema)
    assert {w.pointer for w in schema} == {GOES_PAST[name]}
    assert all(w.line > 1 for w in schema)


@pytest.mark.parametrize("name", sorted(GOES_PAST))
def test_validate_reports_the_same_problem_as_an_error(name: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_valid(str(REAL / name), rules=RuleSet.configured())
    errors = [p for p in caught.value.problems if p.kind == "openapi"]
    assert errors and all(p.severity == "error" for p in errors)
    assert {p.pointer for p in errors} == {GOES_PAST[name]}


def test_object_default_null_is_reported_once_per_finding_not_as_a_wrong_container() -> None:
    with pytest.raises(SpecError) as caught:
        load_valid(str(REAL / "object_default_null.yaml"), rules=RuleSet.configured())
    schema = [p for p in caught.value.problems if p.kind == "openapi"]
    assert len(schema) == len({(p.message, p.pointer) for p in schema}) <= 2


def test_an_example_of_the_wrong_type_is_generated_past_and_a_validate_error() -> None:
    _api, _files, warnings = generate_files(str(REAL / "example_wrong_type.yaml"))
    assert not [w for w in warnings if w.kind == "openapi"]
    with pytest.raises(SpecError) as caught:
        load_valid(str(REAL / "example_wrong_type.yaml"), rules=RuleSet.configured({"example-valid": "error"}))
    [problem] = [p for p in caught.value.problems if p.rule == "example-valid"]
    assert problem.pointer.endswith("/properties/count/example") and problem.severity == "error"


def test_cli_generate_exits_0_and_prints_located_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--spec", str(REAL / "operation_title.yaml"), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "operation_title.yaml:7:7: warning:" in err and "(at /paths/~1a/get/title) [openapi]" in err
    assert main(["validate", str(REAL / "operation_title.yaml")]) == 1
    assert "operation_title.yaml:7:7: error:" in capsys.readouterr().err


def test_warnings_found_before_a_failure_are_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--spec", str(REAL / "clash_after_warning.yaml"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert ": warning: " in err and "(at /paths/~1a/get/title) [openapi]" in err
    assert ": error: " in err and "[naming]" in err


SCHEMA_5 = (
    "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n"
    "          content:\n            application/json:\n              schema: 5\n"
)


@pytest.mark.parametrize(
    "version, body, pointer, line",
    [
        ("3.0.3", "paths:\n  /a:\n    get: [not, an, operation]\n", "/paths/~1a/get", 5),
        ("3.0.3", SCHEMA_5, "/paths/~1a/get/responses/200/content/application~1json/schema", 12),
        ("3.1.0", SCHEMA_5, "/paths/~1a/get/responses/200/content/application~1json/schema", 12),
    ],
)
def test_a_value_where_a_mapping_must_be_stops_generation(tmp_path: Path, version: str, body: str, pointer: str, line: int) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(f'openapi: {version}\ninfo: {{title: x, version: "1"}}\n{body}')
    with pytest.raises(SpecError) as caught:
        generate_files(str(spec))
    [problem] = caught.value.problems
    assert (problem.kind, problem.severity, problem.pointer, problem.line) == ("openapi", "error", pointer, line)


# -- strict JSON --------------------------------------------------------------------------------------


def test_json_escapes_and_surrogate_pairs_decode_and_every_node_is_located(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    lines = [
        "{",
        '  "openapi": "3.0.3",',
        '  "info": {"title": "caf\\u00e9 \\ud83d\\ude00", "version": "1"},',
        '  "paths": {"/a": {"get": {"operationId": "getA", "title": "x",',
        '    "responses": {"200": {"description": "ok"}}}}}',
        "}",
    ]
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = load_document(str(spec))
    assert doc.data["info"]["title"] == "café \U0001F600"
    assert doc.locate("/info/title") == (3, lines[2].index('"title"') + 1)
    assert doc.locate("/paths/~1a/get/responses/200") == (5, lines[4].index('"200"') + 1)
    _api, _files, warnings = generate_files(str(spec))
    [warning] = [w for w in warnings if w.kind == "openapi"]
    assert (warning.pointer, warning.line, warning.column) == ("/paths/~1a/get/title", 4, lines[3].index('"title"') + 1)


# -- names and patterns, at runtime --------------------------------------------------------------------

RUNTIME = """
import sys
from fastapi.testclient import TestClient
import refprop_client.models as refs
import patterns_client.models as words
import patterns_server.app as app

value = refs.JsonSchema.model_validate({"$ref": "#/a", "$id": "urn:x"})
assert (value.ref, value.id) == ("#/a", "urn:x"), value
assert value.model_dump(by_alias=True, exclude_none=True) == {"$ref": "#/a", "$id": "urn:x"}

assert words.Word(double="aa", not_admin="bob").double == "aa"
for bad in ({"double": "ab"}, {"double": "aa", "not_admin": "admin"}):
    try:
        words.Word.model_validate(bad)
    except Exception:
        pass
    else:
        raise SystemExit(f"accepted {bad}")
assert words.Word(double="aa", broken="anything").broken == "anything"

http = TestClient(app.create_app(keys={"k": ["*"]}))
headers = {"Authorization": "Bearer k"}
assert http.post("/words", json={"double": "ab"}, headers=headers).status_code == 400
assert http.post("/words", json={"double": "aa"}, headers=headers).status_code < 500
print("ok")
"""


def test_ref_named_properties_and_python_only_patterns_work_at_runtime(tmp_path: Path) -> None:
    paths = []
    for name in ("ref_named_properties.yaml", "patterns.yaml"):
        _api, files, warnings = generate_files(str(REAL / name))
        out = tmp_path / name
        write_tree(out, files)
        paths += [str(out / "client"), str(out / "server")]
        if name == "patterns.yaml":
            [dropped] = [w for w in warnings if "compiles in no regular-expression engine" in w.message]
            assert dropped.pointer == "/components/schemas/Word/properties/broken/pattern" and dropped.kind == "unsupported"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run([sys.executable, "-c", RUNTIME], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


# -- names longer than a file system allows ------------------------------------------------------------


def _titled(tmp_path: Path, title: str) -> Path:
    spec = tmp_path / f"api{len(list(tmp_path.glob('*.yaml')))}.yaml"
    spec.write_text(
        f'openapi: 3.0.3\ninfo: {{title: "{title}", version: "1"}}\npaths:\n  /a:\n    get:\n      operationId: getA\n'
        "      responses:\n        '200': {description: ok}\n",
        encoding="utf-8",
    )
    return spec


def test_a_title_longer_than_a_file_name_may_be_gives_short_distinct_stable_packages(tmp_path: Path) -> None:
    long = "Very Long Enterprise Service Name " * 20  # 680 characters: a 600-byte folder name would be refused
    first, again, other = (_titled(tmp_path, t) for t in (long + "One", long + "One", long + "Two"))
    api, files, _warnings = generate_files(str(first))
    assert len(api.client_package.encode()) <= 64 and api.client_package.endswith("_client")
    assert api.client_package.startswith("verylongenterpriseservicename")
    assert generate_files(str(again))[0].client_package == api.client_package
    assert generate_files(str(other))[0].client_package != api.client_package
    write_tree(tmp_path / "out", files)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "out" / "client")}
    check = f"import {api.client_package}.client"
    assert subprocess.run([sys.executable, "-c", check], env=env, capture_output=True).returncode == 0


def test_required_names_no_allof_part_defines_are_found_in_a_property_named_like_a_keyword(tmp_path: Path) -> None:
    """Our check (run when the validator reports such names, unplaced) walks the document's objects as every other
    walk does: a property called `example` (or `enum`, `default`) is a schema like any other; only the *values* of
    those keywords are skipped."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    A: {type: object, properties: {a: {type: string}}}\n    Box:\n      type: object\n      properties:\n"
        "        example:\n          allOf: [{$ref: '#/components/schemas/A'}]\n          required: [zzz]\n"
        "    B:\n      allOf: [{$ref: '#/components/schemas/A'}]\n      required: [zzz]\n",
        encoding="utf-8",
    )
    problems = [p for p in load_valid(str(spec), lenient=True)[1] if "which no part of the allOf defines" in p.message]
    assert sorted((p.pointer, p.kind) for p in problems) == [
        ("/components/schemas/B/required", "openapi"), ("/components/schemas/Box/properties/example/required", "openapi")
    ]
