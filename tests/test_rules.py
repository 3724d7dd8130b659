"""Validation rule sets: the default set passes real documents, every example is checked at every level, each
opinionated rule fires when switched on, and each --format reports the same problems."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.rules import FIXED, RULES

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "specs"
NOTES = Path(__file__).resolve().parent / "config" / "notes.yaml"
# Documents the OpenAPI schema itself rejects, so no rule set can pass them: the exception, with the reason.
SCHEMA_INVALID = {
    "opc_baseline_openapi_3.0.json": "openapi-python-client's test document breaks the 3.0 schema on purpose: a "
    "non-string where a string must be, a response that is neither a Response nor a $ref, an operation with 'title'",
}


@pytest.fixture(autouse=True)
def _no_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no pyproject.toml is found, so the default rule set applies (unless a test writes one)."""
    monkeypatch.chdir(tmp_path)


def _rules(tmp_path: Path, **severities: str) -> str:
    lines = "".join(f'{name} = "{severity}"\n' for name, severity in severities.items())
    (tmp_path / "rules.toml").write_text(f"[tool.specgen.rules]\n{lines}")
    return str(tmp_path / "rules.toml")


def test_default_rules_pass_every_schema_valid_shared_document(capsys: pytest.CaptureFixture[str]) -> None:
    documents = sorted(p for p in SHARED.iterdir() if p.suffix in (".yaml", ".json"))
    assert len(documents) >= 10
    valid = [str(p) for p in documents if p.name not in SCHEMA_INVALID]
    assert main(["validate", *valid]) == 0, capsys.readouterr().err[-3000:]
    for name in SCHEMA_INVALID:
        assert main(["validate", str(SHARED / name)]) == 1
        errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
        assert errors and all(line.endswith("[openapi]") for line in errors), errors


def test_default_rules_report_wrong_examples_as_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Twilio's document has examples that break its own schemas: reported (warn by default), exit 0."""
    assert main(["validate", str(SHARED / "big_twilio_api_v2010.yaml")]) == 0
    err = capsys.readouterr().err
    assert re.search(r":\d+:\d+: warning: example does not match its schema: .* \[rule example-valid\]", err), err[:2000]


EXAMPLES_SPEC = """
openapi: "{version}"
info: {{title: Examples, version: "1"}}
paths:
  /things/{{id}}:
    parameters:
      - {{name: id, in: path, required: true, schema: {{type: integer}}, example: seven}}
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Thing"}}
              example: {{name: 5}}
        "404":
          description: the media type's named examples
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Thing"}}
              examples:
                wrong: {{value: {{name: [1]}}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {{type: string, example: 42}}
        tags:
          type: array
          items: {{type: string, maxLength: 3, example: toolong}}
      example: {{name: "x", tags: "not a list"}}
"""


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_every_example_is_checked_at_every_level(version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "examples.yaml"
    spec.write_text(EXAMPLES_SPEC.format(version=version))
    assert main(["validate", "--config", _rules(tmp_path, **{"example-valid": "error"}), str(spec)]) == 1
    pointers = set(re.findall(r"\(at ([^)]*)\) \[rule example-valid\]", capsys.readouterr().err))
    assert pointers == {
        "/paths/~1things~1{id}/parameters/0/example",  # a parameter's example
        "/paths/~1things~1{id}/get/responses/200/content/application~1json/example/name",  # a media type's
        "/paths/~1things~1{id}/get/responses/404/content/application~1json/examples/wrong/value/name",  # named
        "/components/schemas/Thing/properties/name/example",  # a property's own example: 42 for a string
        "/components/schemas/Thing/properties/tags/items/example",  # an item's, at any depth
        "/components/schemas/Thing/example/tags",  # the schema's own
    }


def test_schema_examples_list_of_3_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "examples.yaml"
    spec.write_text(
        'openapi: "3.1.0"\ninfo: {title: E, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
        "    Count: {type: integer, examples: [1, two, 3]}\n"
    )
    assert main(["validate", "--config", _rules(tmp_path, **{"example-valid": "error"}), str(spec)]) == 1
    assert "(at /components/schemas/Count/examples/1) [rule example-valid]" in capsys.readouterr().err


OPINIONATED = sorted(name for name, rule in RULES.items() if rule.default == "off")
# A document that breaks every opinionated rule once: no tag, no operationId, no summary, no security, no scopes.
BARE = 'openapi: "3.0.3"\ninfo: {title: Bare, version: "1"}\npaths:\n  /ping:\n    get:\n      responses: {"200": {description: ok}}\n'


@pytest.mark.parametrize("rule", OPINIONATED)
def test_each_opinionated_rule_is_off_by_default_and_fires_when_switched_on(rule: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "bare.yaml"
    spec.write_text(BARE)
    assert main(["validate", str(spec)]) == 0
    assert "[rule" not in capsys.readouterr().err
    assert main(["validate", "--config", _rules(tmp_path, **{rule: "error"}), str(spec)]) == 1
    err = capsys.readouterr().err
    assert f"bare.yaml:5:5: error: " in err and err.rstrip().endswith(f"(at /paths/~1ping/get) [rule {rule}]"), err
    assert err.count("[rule ") == 1  # only the rule switched on
    assert main(["validate", "--config", _rules(tmp_path, **{rule: "warn"}), str(spec)]) == 0
    assert f"warning: " in capsys.readouterr().err
    assert main(["validate", "--lenient", "--config", _rules(tmp_path, **{rule: "error"}), str(spec)]) == 0


def test_opinionated_rules_pass_a_document_that_keeps_them(tmp_path: Path) -> None:
    spec = tmp_path / "kept.yaml"
    spec.write_text(
        'openapi: "3.0.3"\ninfo: {title: Kept, version: "1"}\ncomponents:\n  securitySchemes:\n'
        "    key: {type: http, scheme: bearer}\npaths:\n  /ping:\n    get:\n      operationId: ping\n"
        "      summary: Ping\n      tags: [health]\n      security: [{key: ['health:read']}]\n"
        '      responses: {"200": {description: ok}}\n'
    )
    assert main(["validate", "--config", _rules(tmp_path, **{rule: "error" for rule in OPINIONATED}), str(spec)]) == 0


def test_rules_generation_needs_cannot_be_switched_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "dup.yaml"
    spec.write_text(
        'openapi: "3.0.3"\ninfo: {title: D, version: "1"}\npaths:\n'
        '  /a: {get: {operationId: same, responses: {"200": {description: ok}}}}\n'
        '  /b: {get: {operationId: same, responses: {"200": {description: ok}}}}\n'
    )
    assert main(["validate", "--config", _rules(tmp_path, **{name: "off" for name in FIXED}), str(spec)]) == 1
    assert "[rule operation-id-unique]" in capsys.readouterr().err


# -- --format ---------------------------------------------------------------------------------------------------


def _notes_with_rules(tmp_path: Path) -> list[str]:
    return ["--config", _rules(tmp_path, **{"operation-tags": "error", "operation-summary": "warn"}), str(NOTES)]


def test_format_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "text", *_notes_with_rules(tmp_path)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert f"{NOTES}:46:5: error: operation has no tag (at /paths/~1notes~1{{id}}~1/get) [rule operation-tags]" in lines
    assert sum(": warning: operation has no summary" in line for line in lines) == 3
    assert captured.out == ""  # "valid" is said only of a valid document


def test_format_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", *_notes_with_rules(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    [document] = report["documents"]
    assert document["file"] == str(NOTES) and document["valid"] is False
    errors = [p for p in document["problems"] if p["severity"] == "error"]
    assert errors == [
        {
            "file": str(NOTES), "line": 46, "column": 5, "pointer": "/paths/~1notes~1{id}~1/get", "severity": "error",
            "kind": "rule", "rule": "operation-tags", "message": "operation has no tag",
        }
    ]  # fmt: skip
    assert sorted({p["rule"] for p in document["problems"] if p["severity"] == "warning"}) == ["operation-summary"]
    assert main(["validate", "--format", "json", str(NOTES)]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True


def test_format_github(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "github", *_notes_with_rules(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"::error file={NOTES},line=46,col=5,title=specgen rule operation-tags::operation has no tag (at /paths/~1notes~1{{id}}~1/get)" in lines
    assert sum(line.startswith(f"::warning file={NOTES},line=") for line in lines) == 3
    assert all(re.fullmatch(r"::(error|warning) file=[^,]+,line=\d+,col=\d+,title=[^:]+::.+", line) for line in lines), lines


def test_format_github_escapes_what_would_end_a_property(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    spec = folder / "bare.yaml"
    spec.write_text(BARE.replace("/ping", "/ping%\n      # ,:"))
    main(["validate", "--format", "github", "--config", _rules(tmp_path, **{"operation-tags": "error"}), str(spec)])
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("::error file=") and "a%2Cb%3Ac/bare.yaml,line=" in line
