"""The pipeline, one pure function per stage: load -> refs -> validate -> model -> render -> format."""

from __future__ import annotations

from generator.format import format_files
from generator.load import Document, load_document
from generator.model.build import build_api
from generator.model.ir import Api
from generator.refs import check_refs
from generator.render import render
from generator.validate import validate


def load_valid(spec_path: str, *, policy: bool) -> Document:
    doc = check_refs(load_document(spec_path))
    validate(doc, policy=policy)
    return doc


def generate_files(spec_path: str, *, policy: bool = False) -> tuple[Api, dict[str, str]]:
    """Everything but the write: the files to emit, as {relative path: text}."""
    doc = load_valid(spec_path, policy=policy)
    api = build_api(doc.data, doc.path)
    return api, format_files(render(api))
