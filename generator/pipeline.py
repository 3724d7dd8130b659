"""The pipeline, one pure function per stage: load -> refs -> validate -> model -> render -> format."""

from __future__ import annotations

import os
from dataclasses import replace

from generator.format import format_files
from generator.load import Document, load_document
from generator.model.build import build_api
from generator.model.ir import Api
from generator.refs import check_refs
from generator.render import copied_outputs, render
from generator.validate import validate


def load_valid(spec_path: str, *, policy: bool, warnings: list[str] | None = None) -> Document:
    doc = check_refs(load_document(spec_path))
    validate(doc, policy=policy, warnings=warnings)
    return doc


def generate_files(spec_path: str, *, lenient: bool = False) -> tuple[Api, dict[str, str]]:
    """Everything but the write: the files to emit, as {relative path: text}.

    `lenient` turns OpenAPI schema problems into warnings (returned in `api.warnings`).
    """
    schema_warnings: list[str] = []
    doc = load_valid(spec_path, policy=False, warnings=schema_warnings if lenient else None)
    api = build_api(doc.data, os.path.basename(doc.path))
    if schema_warnings:
        api = replace(api, warnings=tuple(schema_warnings) + api.warnings)
    return api, format_files(render(api), verbatim=copied_outputs(api))
