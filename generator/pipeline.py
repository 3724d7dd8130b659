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
from generator import collector, validation
from generator.rules import RuleSet
from generator.write import previously_formatted


def load_valid(
    spec_path: str,
    *,
    rules: RuleSet | None = None,
    lenient: bool = False,
    stages: Stages | None = None,
) -> tuple[Document, list[Problem]]:
    """The checked document and the warnings about it. `rules`: the whole rule set (the validate command);
    without it only what generation needs. `stages` times the two stages."""
    stages = stages or Stages()
    doc = _load(spec_path, stages)
    with stages.stage("validate"):
        from generator.validate import validate  # the validator's libraries take longer to import than it runs

        return doc, validate(doc, rules=rules, lenient=lenient)


def _load(spec_path: str, stages: Stages) -> Document:
    with stages.stage("load and check references"), collector.paused():
        return check_refs(load_document(spec_path))


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
    parallel: bool = False,
) -> tuple[Document, Api, dict[str, str], list[Problem]]:
    """generate_files, with the validated document it generated from (regeneration records it). `parallel`: the
    document is validated in a worker process while the model is built, rendered and formatted (validation.py)."""
    settings = settings or Settings()
    formatter = formatter or Formatter()
    stages = stages or Stages()
    doc = _load(spec_path, stages)
    with stages.stage("validate"):
        checking = validation.start(doc, lenient=lenient, cached=formatter.cache is not None, background=parallel)
        if checking.worker is None:  # validated already: its errors stop the run before the model is built
            warnings = checking.result()
    try:
        try:
            api, files, found = _model_and_files(doc, settings, formatter, stages)
        except Exception as exc:
            # The document's own errors explain a failure on it: they come first, as if validated first.
            warnings = _wait(checking, stages)
            if isinstance(exc, SpecError):  # the warnings found before the failure are reported with it
                raise SpecError([*warnings, *exc.problems]) from None
            raise
        warnings = _wait(checking, stages)
    finally:
        checking.close()
    return doc, api, files, [*warnings, *found]


def _wait(checking: validation.Validation, stages: Stages) -> list[Problem]:
    if checking.worker is None:
        return checking.result()
    with stages.stage("wait for the validation's worker"):
        return checking.result()


def _model_and_files(
    doc: Document, settings: Settings, formatter: Formatter, stages: Stages
) -> tuple[Api, dict[str, str], list[Problem]]:
    """The model, the formatted files, and the model's warnings (located, in the document's order)."""
    with stages.stage("model"), collector.paused():
        try:
            api = build_api(doc.data, os.path.basename(doc.path), doc.pointer_index(), settings)
        except NameClash as clash:
            raise SpecError([doc.problem(f.message, f.pointer, f.kind) for f in clash.findings]) from None
    # In the document's order (then the order found), whatever order the model happened to meet them in.
    found = [doc.problem(f.message, f.pointer, f.kind).as_warning() for f in api.warnings]
    found.sort(key=lambda problem: (problem.line, problem.column))
    with stages.stage("render"), collector.paused():
        files = render(api, doc.data, settings, cached=formatter.cache is not None)
    with stages.stage("format"):
        return api, formatter.format_files(files, verbatim=copied_outputs(api, settings)), found


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
    (format.py); without it every file is formatted afresh. `parallel`: the document is validated, and large
    outputs are formatted, in worker processes (the command line's choice: see Formatter.parallel_above). `stages` times the stages and shows
    progress."""
    settings = settings or Settings()
    stages = stages or Stages()
    formatter = Formatter(FormatCache(), previously_formatted(out)) if reuse else Formatter()
    formatter.parallel_above = PARALLEL_ABOVE if parallel else None
    formatter.progress = stages.formatted
    doc, api, files, warnings = generate_from(
        spec_path, lenient=lenient, settings=settings, formatter=formatter, stages=stages, parallel=parallel
    )
    packages = {"client": api.client_package, "server": api.server_package}
    projects = {target: packages[target] for target in settings.targets}
    with stages.stage("compare with the previous output and record"), collector.paused():
        regeneration = history.record(out, doc.data, surface(api), files, os.path.basename(doc.path), projects)
    return dataclasses.replace(regeneration, format_keys=formatter.keys, document_digest=doc.digest, inlined=doc.inlined), warnings
