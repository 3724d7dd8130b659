"""Facts about our curated document itself, judged by a third-party JSON Schema validator, not by our code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

SPEC = Path(__file__).resolve().parent.parent / "spec" / "posthog.yaml"


def _document() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def _patch_bodies(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    bodies = []
    for path, item in document["paths"].items():
        operation = item.get("patch")
        if operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            bodies.append((path, schema))
    return bodies


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_patch_body_schema_has_no_required_property() -> None:
    document = _document()
    bodies = _patch_bodies(document)
    assert len(bodies) == 4
    for path, schema in bodies:
        assert not _resolve(document, schema).get("required"), path


@pytest.mark.parametrize("path", ["/api/environments/{project_id}/dataset_items/{id}/", "/api/environments/{project_id}/datasets/{id}/", "/api/projects/{project_id}/datasets/{id}/"])
def test_soft_delete_alone_is_a_valid_patch_body(path: str) -> None:
    document = _document()
    schema = dict(document["paths"][path]["patch"]["requestBody"]["content"]["application/json"]["schema"])
    schema["components"] = document["components"]  # so the validator resolves #/components/... itself
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors({"deleted": True})) == []
    assert list(validator.iter_errors({"deleted": "yes"})) != []  # the validator does judge the body
