"""Property: arbitrary strings in every position of a small spec never change the generated code's structure.

Each example is written as JSON (ASCII-escaped, so control characters survive the file), generated
in process, written to a temporary folder; every .py must parse and compile, and importing both
packages (under fresh names, the working folder set to the example's folder) must succeed and create
no marker file. A spec the generator refuses must be refused with a SpecError, never a crash.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile.harness import MARKER, assert_all_parse, import_in_process  # noqa: E402

from generator.errors import SpecError  # noqa: E402
from generator.pipeline import generate_files  # noqa: E402
from generator.write import write_tree  # noqa: E402

# Any character but surrogates, with the characters that end strings, comments and lines weighted in.
_NASTY = ['"""', "'''", '"', "'", "\\", "\r", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\x0c", "\x00", "{{ 7*7 }}", "{%", "#",
          "'); open('HOSTILE_MARKER','w'); ('", '"""; open("HOSTILE_MARKER","w") #', "\\N{", "\\x", "%s", "${x}", "\U0001F600", "\u202e"]
_CHARS = st.characters(blacklist_categories=("Cs",))
TEXT = st.lists(st.one_of(st.text(_CHARS, max_size=8), st.sampled_from(_NASTY)), max_size=4).map("".join)
NAME = TEXT.filter(lambda s: s.strip() != "")
# Path template names: the OpenAPI validator reads templates with str.format rules, so no format syntax.
PATH_NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="{}[]:!./"), min_size=1, max_size=12)
# What a YAML stream may hold raw (YAML 1.1 printable set); anything else is written as a JSON escape
# (NEL, LS and PS are line breaks to YAML, so they are escaped too.)
_NOT_YAML_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def as_json(spec: dict[str, Any]) -> str:
    """JSON that PyYAML reads back exactly: astral characters raw (escaped they would become surrogate
    pairs, which PyYAML reads as two lone surrogates), characters a YAML stream may not hold escaped."""
    text = json.dumps(spec, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
SEGMENT = TEXT.map(lambda s: s.replace("{", "(").replace("}", ")").replace("/", "|"))
SCHEMA_KEY = st.from_regex(r"\A[A-Za-z0-9._-]{1,12}\Z")


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    schema_key = draw(SCHEMA_KEY)
    enum = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    prop_names = draw(st.lists(NAME, min_size=1, max_size=4, unique=True))
    props: dict[str, Any] = {}
    for index, name in enumerate(prop_names):
        kind = index % 3
        if kind == 0:
            props[name] = {"type": "string", "description": draw(TEXT), "default": draw(TEXT), "example": draw(TEXT)}
        elif kind == 1:
            props[name] = {"type": "string", "enum": enum, "default": draw(st.sampled_from(enum)), "title": draw(TEXT)}
        else:
            props[name] = {"type": "array", "items": {"$ref": f"#/components/schemas/{schema_key}"}, "description": draw(TEXT)}
    path_param = draw(PATH_NAME)
    tag = draw(TEXT)
    query_name, header_name, cookie_name = draw(st.lists(NAME, min_size=3, max_size=3))
    op_ids = draw(st.lists(NAME, min_size=2, max_size=2, unique=True))
    path = "/" + draw(SEGMENT) + "/{" + path_param + "}"
    return {
        "openapi": draw(st.sampled_from(["3.0.3", "3.1.0"])),
        "info": {"title": draw(TEXT), "version": draw(TEXT), "description": draw(TEXT)},
        "servers": [{"url": draw(TEXT), "description": draw(TEXT)}],
        "tags": [{"name": tag, "description": draw(TEXT)}],
        "x-anything": draw(TEXT),
        "paths": {
            path: {
                "parameters": [{"name": path_param, "in": "path", "required": True, "schema": {"type": "string"}, "description": draw(TEXT)}],
                "get": {
                    "tags": [tag],
                    "operationId": op_ids[0],
                    "summary": draw(TEXT),
                    "description": draw(TEXT),
                    "x-unique-by": [draw(TEXT)],
                    "parameters": [
                        {"name": query_name, "in": "query", "schema": {"type": "string", "enum": enum, "default": enum[0]}, "example": draw(TEXT)},
                        {"name": header_name, "in": "header", "schema": {"type": "string"}, "description": draw(TEXT)},
                        {"name": cookie_name, "in": "cookie", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": draw(TEXT),
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_key}"}, "example": {"k": draw(TEXT)}}},
                        }
                    },
                },
                "delete": {
                    "tags": [draw(TEXT)],
                    "operationId": op_ids[1],
                    "responses": {"405": {"description": draw(TEXT)}},
                },
            }
        },
        "components": {
            "schemas": {
                schema_key: {
                    "type": "object",
                    "description": draw(TEXT),
                    "required": [prop_names[0]],
                    "properties": props,
                }
            }
        },
    }


@pytest.fixture(scope="module")
def fast_black() -> Any:
    """black is only layout (it keeps the AST); skipping it keeps 30 examples to seconds. We parse the raw
    rendered code ourselves. The fixture corpus in test_hostile.py runs with black."""
    import black

    original = black.format_str
    black.format_str = lambda src_contents, *, mode: src_contents  # type: ignore[assignment]
    try:
        yield
    finally:
        black.format_str = original


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(spec=specs())
def test_arbitrary_strings_never_change_code_structure(spec: dict[str, Any], fast_black: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        spec_path = work / "spec.json"
        spec_path.write_text(as_json(spec), encoding="utf-8")
        try:
            _api, files, _warnings = generate_files(str(spec_path))
        except SpecError as exc:  # refused cleanly is fine; note why, so a run shows how often
            event(f"refused: {exc.problems[0].message[:60]}")
            return
        event("generated")
        assert_all_parse(files)
        out = work / "out"
        write_tree(out, files)
        for path in files:
            assert (out / path).resolve().is_relative_to(out.resolve())
        run = work / "cwd"
        run.mkdir()
        before = os.getcwd()
        os.chdir(run)
        try:
            import_in_process(out)
        finally:
            os.chdir(before)
        assert not (run / MARKER).exists() and not (Path(before) / MARKER).exists()
        assert sorted(p.name for p in work.iterdir()) == ["cwd", "out", "spec.json"]
