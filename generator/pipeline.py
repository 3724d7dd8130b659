"""The pipeline, one pure function per stage: load -> refs -> validate -> model -> render -> format."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from generator.config import Settings
from generator.diff import history
from generator.diff.history import Regeneration
from generator.diff.surface import surface
from generator.errors import Problem, SpecError
from generator.format import PARALLEL_ABOVE, Formatter
from generator.format_cache import FormatCache
from generator.load import Document, load_document
from generator.python.build import build_api
from generator.python.names import NameClash
from generator.python.ir import Api
from generator.progress import Stages
from generator.refs import check_refs
from generator.render import copied_outputs, render
from generator import result_cache
from generator.result_cache import cached_warnings, remember_warnings, validation_key
from generator.rules import RuleSet
from generator.write import previously_formatted


def load_valid(
    spec_path: str,
    *,
    rules: RuleSet | None = None,
    lenient: bool = False,
    stages: Stages | None = None,
    cached: bool = False,
) -> tuple[Document, list[Problem]]:
    """The checked document and the warnings about it. `rules`: the whole rule set (the validate command);
    without it only what generation needs. `stages` times the two stages. `cached`: what generation needs is
    checked once per document (its bytes, result_cache.validation_key): the warnings are kept in the user's cache
    folder, and a document found there is not validated again (nor are the validator's libraries imported)."""
    stages = stages or Stages()
    with stages.stage("load and check references"):
        doc = check_refs(load_document(spec_path))
    with stages.stage("validate"):
        key = validation_key(doc.path, doc.digest, doc.inlined, lenient) if cached and rules is None else None
        if key is None:
            return doc, _validate(doc, rules, lenient)
        store = result_cache.store("validation")
        warnings = cached_warnings(store, key)
        if warnings is None:
            warnings = _validate(doc, rules, lenient)
            remember_warnings(store, key, warnings)
    return doc, warnings


def _validate(doc: Document, rules: RuleSet | None, lenient: bool) -> list[Problem]:
    from generator.validate import validate  # the validator's libraries take longer to import than it runs

    return validate(doc, rules=rules, lenient=lenient)


def generate_files(
    spec_path: str, *, lenient: bool = True, settings: Settings | None = None
) -> tuple[Api, dict[str, str], list[Problem]]:
    """Everything but the write: the model, the files to emit as {relative path: text}, and the warnings, each
    located in the document. `lenient` (the default) reports the OpenAPI schema problems generation can go past as
    warnings; `lenient=False` makes every one an error."""
    _doc, api, files, warnings = generate_from(spec_path, lenient=lenient, settings=settings)
    return api, files, warnings


def generate_from(
    spec_path: str,
    *,
    lenient: bool = True,
    settings: Settings | None = None,
    formatter: Formatter | None = None,
    stages: Stages | None = None,
) -> tuple[Document, Api, dict[str, str], list[Problem]]:
    """generate_files, with the validated document it generated from (regeneration records it)."""
    settings = settings or Settings()
    formatter = formatter or Formatter()
    stages = stages or Stages()
    doc, warnings = load_valid(spec_path, lenient=lenient, stages=stages, cached=formatter.cache is not None)
    try:
        api, files = _model_and_files(doc, settings, warnings, formatter, stages)
    except SpecError as exc:  # the warnings found before the failure are reported with it
        raise SpecError([*warnings, *exc.problems]) from None
    return doc, api, files, warnings


def _model_and_files(
    doc: Document, settings: Settings, warnings: list[Problem], formatter: Formatter, stages: Stages
) -> tuple[Api, dict[str, str]]:
    with stages.stage("model"):
        try:
            api = build_api(doc.data, os.path.basename(doc.path), doc.pointer_index(), settings)
        except NameClash as clash:
            raise SpecError([doc.problem(f.message, f.pointer, f.kind) for f in clash.findings]) from None
    # In the document's order (then the order found), whatever order the model happened to meet them in.
    found = [doc.problem(f.message, f.pointer, f.kind).as_warning() for f in api.warnings]
    warnings.extend(sorted(found, key=lambda problem: (problem.line, problem.column)))
    with stages.stage("render"):
        files = render(api, doc.data, settings, cached=formatter.cache is not None)
    with stages.stage("format"):
        return api, formatter.format_files(files, verbatim=copied_outputs(api, settings))


def output_files(
    spec_path: str,
    out: Path,
    *,
    lenient: bool = True,
    settings: Settings | None = None,
    reuse: bool = False,
    parallel: bool = False,
    stages: Stages | None = None,
) -> tuple[Regeneration, list[Problem]]:
    """Everything `generate` writes into `out`: the generated files, plus the record of the document and surface
    they came from and each generated project's changelog, compared with what `out` holds from the previous run.
    `reuse`: take black's output from the files of `out` and from the user's format cache where they are right
    (format.py); without it every file is formatted afresh. `parallel`: large outputs are formatted in worker
    processes (the command line's choice: see Formatter.parallel_above). `stages` times the stages and shows
    progress."""
    settings = settings or Settings()
    stages = stages or Stages()
    formatter = Formatter(FormatCache(), previously_formatted(out)) if reuse else Formatter()
    formatter.parallel_above = PARALLEL_ABOVE if parallel else None
    formatter.progress = stages.formatted
    doc, api, files, warnings = generate_from(
        spec_path, lenient=lenient, settings=settings, formatter=formatter, stages=stages
    )
    packages = {"client": api.client_package, "server": api.server_package}
    projects = {target: packages[target] for target in settings.targets}
    with stages.stage("compare with the previous output and record"):
        regeneration = history.record(out, doc.data, surface(api), files, os.path.basename(doc.path), projects)
    return dataclasses.replace(regeneration, format_keys=formatter.keys, document_digest=doc.digest, inlined=doc.inlined), warnings
