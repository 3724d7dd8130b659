"""The pipeline, one pure function per stage: load -> refs -> validate -> model -> render -> format."""

from __future__ import annotations

import os
from generator.errors import Problem, SpecError
from generator.format import format_files
from generator.load import Document, load_document
from generator.model.build import build_api
from generator.model.names import NameClash
from generator.model.ir import Api
from generator.refs import check_refs
from generator.render import copied_outputs, render
from generator.validate import validate


def load_valid(spec_path: str, *, policy: bool, warnings: list[Problem] | None = None) -> Document:
    doc = check_refs(load_document(spec_path))
    validate(doc, policy=policy, warnings=warnings)
    return doc


def generate_files(spec_path: str, *, lenient: bool = False) -> tuple[Api, dict[str, str], list[Problem]]:
    """Everything but the write: the model, the files to emit as {relative path: text}, and the warnings, each
    located in the document. `lenient` turns OpenAPI schema problems into warnings."""
    warnings: list[Problem] = []
    doc = load_valid(spec_path, policy=False, warnings=warnings if lenient else None)
    try:
        api = build_api(doc.data, os.path.basename(doc.path), doc.pointer_index())
    except NameClash as clash:
        raise SpecError([doc.problem(message, pointer, "naming") for message, pointer in clash.findings]) from None
    warnings.extend(doc.problem(message, pointer, "naming").as_warning() for message, pointer in api.warnings)
    return api, format_files(render(api), verbatim=copied_outputs(api)), warnings
