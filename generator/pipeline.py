"""The pipeline, one pure function per stage: load -> refs -> validate -> model -> render -> format."""

from __future__ import annotations

import os
from pathlib import Path

from generator.diff import history
from generator.diff.history import Regeneration
from generator.diff.surface import surface
from generator.errors import Problem
from generator.format import format_files
from generator.load import Document, load_document
from generator.model.build import build_api
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
    _doc, api, files, warnings = generate_from(spec_path, lenient=lenient)
    return api, files, warnings


def generate_from(spec_path: str, *, lenient: bool = False) -> tuple[Document, Api, dict[str, str], list[Problem]]:
    """generate_files, with the validated document it generated from (regeneration records it)."""
    warnings: list[Problem] = []
    doc = load_valid(spec_path, policy=False, warnings=warnings if lenient else None)
    api = build_api(doc.data, os.path.basename(doc.path), doc.pointer_index())
    warnings.extend(doc.problem(message, pointer, "naming").as_warning() for message, pointer in api.warnings)
    return doc, api, format_files(render(api), verbatim=copied_outputs(api)), warnings


def output_files(spec_path: str, out: Path, *, lenient: bool = False) -> tuple[Regeneration, list[Problem]]:
    """Everything `generate` writes into `out`: the generated files, plus the record of the document and surface
    they came from and each project's changelog, compared with what `out` holds from the previous run."""
    doc, api, files, warnings = generate_from(spec_path, lenient=lenient)
    projects = {"client": api.client_package, "server": api.server_package}
    return history.record(out, doc.data, surface(api), files, os.path.basename(doc.path), projects), warnings
