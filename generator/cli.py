"""Command line: `validate`, `generate`, `check` and `diff`. Errors are printed, never raised as tracebacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import diff_command
from generator.config import TARGETS, ConfigError, Settings, load_settings, with_overrides
from generator.errors import Problem, SpecError
from generator.progress import Stages
from generator.report import FORMATS, report
from generator.rules import RULES, RuleSet
from generator.up_to_date import Fingerprint, Known

if TYPE_CHECKING:
    from generator.diff.history import Regeneration
    from generator.load import Document

# The pipeline (the model, Jinja2, the diff) is imported only when a run needs it: a `check` or `generate` that
# up_to_date.py answers imports none of it.

OK, FAILED, USAGE = 0, 1, 2
EXIT_CODES = """exit status:
  0    success: the document is valid, the output was written or is up to date
  1    the document has errors, the output is stale, or it cannot be written
  2    a command-line or configuration error (no document given, an unknown key in [tool.specgen], ...),
       or an unexpected error in specgen itself (run with --debug for a traceback)
  130  interrupted (Ctrl-C); the previous output is untouched"""
CONFIGURATION = """configuration: the [tool.specgen] table of the nearest pyproject.toml (from the current folder up), or the
file given with --config; command-line flags override it. See README.md, "Configuration"."""
NO_SPEC = (
    "no OpenAPI document given: pass one (specgen validate api.yaml, specgen generate --spec api.yaml), "
    'or set spec = "api.yaml" in the [tool.specgen] table of your pyproject.toml (or a file given with --config)'
)


def _version() -> str:
    from importlib import metadata  # a tenth of a check's time: only for --version

    try:
        return metadata.version("specgen")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


class _Version(argparse.Action):
    """--version, the version looked up only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        print(f"specgen {_version()}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specgen",
        description="Spec-first generator: a typed Python client and a FastAPI server stub from an OpenAPI 3.0/3.1 document.",
        epilog=f"{CONFIGURATION}\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", help="read [tool.specgen] from FILE instead of the nearest pyproject.toml")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{validate,generate,check,diff}")
    rules = ", ".join(f"{name} ({rule.default})" for name, rule in RULES.items())
    validate = commands.add_parser(
        "validate", parents=[common], help="validate documents: the OpenAPI schema plus a rule set",
        epilog=f"rules (default severity): {rules}\n\n{EXIT_CODES}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    validate.add_argument("specs", nargs="*", metavar="SPEC", help="documents to validate (default: spec in the configuration)")
    validate.add_argument(
        "--lenient", action="store_true",
        help="for documents you do not own: only the correctness rules, whatever the configuration switches on; "
        "examples that do not match their schema are warnings",
    )  # fmt: skip
    validate.add_argument("--format", choices=FORMATS, default="text", help="text (default), json, or github (workflow annotations)")
    for name, text in (("generate", "write the client and server into --out"), ("check", "fail with a diff if --out is stale")):
        command = commands.add_parser(
            name, parents=[common], help=text, epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        command.add_argument("--spec", help="the OpenAPI document (default: spec in the configuration)")
        command.add_argument("--out", help="the output folder (default: out in the configuration, else generated)")
        command.add_argument("--target", choices=TARGETS, action="append", help="generate only this (repeatable; default: both)")
        command.add_argument("--templates", metavar="DIR", help="a folder of templates replacing the built-in ones")
        command.add_argument(
            "--lenient", action="store_true",
            help="accepted for old scripts: generate always reports the OpenAPI schema problems it can go past as "
            "warnings (`specgen validate` reports them as errors)",
        )  # fmt: skip
        command.add_argument(
            "--no-cache", action="store_true",
            help="use no cache: format every file afresh (neither the format cache in ~/.cache/specgen nor the files "
            "of --out), validate again, and run the whole pipeline even when nothing changed since the last run",
        )  # fmt: skip
        command.add_argument("-v", "--verbose", action="store_true", help="print each stage's time")
    diff_command.add_parser(commands, parents=[common])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ConfigError as exc:
        print(exc.problem, file=sys.stderr)
        return USAGE
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return FAILED
    except (KeyboardInterrupt, Exception) as exc:
        if _by_interrupt(exc):
            print("interrupted; the previous output is untouched", file=sys.stderr)
            return 130
        if args.debug:
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for a traceback)", file=sys.stderr)
        return USAGE


def _by_interrupt(error: BaseException) -> bool:
    """Ctrl-C, or an error raised because it arrived inside code that wraps what it catches (Python wraps an
    exception raised while a class is being created, a dataclass say, in a RuntimeError)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.command == "validate":
        return _validate(args, settings)
    if args.command == "diff":
        args.spec = args.spec or settings.spec
        return diff_command.run(args)
    targets = tuple(t for t in TARGETS if t in args.target) if args.target else None
    settings = with_overrides(settings, spec=args.spec, out=args.out, targets=targets, templates=args.templates)
    if settings.spec is None:
        print(f"error: {NO_SPEC}", file=sys.stderr)
        return USAGE
    stages = Stages(verbose=args.verbose)
    fingerprint = None
    if not args.no_cache:
        with stages.stage("compare the inputs and --out with earlier runs"):
            fingerprint = Fingerprint.taken(settings)
            known = fingerprint.lookup() if fingerprint is not None else None
        if known is not None:
            return _known(args, settings, stages, known)
    regeneration, warnings = _generate(args, settings, stages)
    for warning in warnings:
        print(warning, file=sys.stderr)
    out, files = Path(settings.out), regeneration.files
    if args.command == "check":
        from generator.write import drift

        with stages.stage("compare with --out"):
            diffs = drift(out, files)
        stages.finish()
        sys.stdout.write("".join(diffs))
        if diffs:
            for line in regeneration.summary:
                print(line, file=sys.stderr)
            again = f"specgen generate --spec {settings.spec} --out {settings.out}"
            print(f"{len(diffs)} file(s) differ from {settings.spec}; run: {again}", file=sys.stderr)
            return FAILED
        if fingerprint is not None:
            _remember(fingerprint, regeneration, warnings, regeneration.summary, checked=True)
        print(f"{out}: up to date with {settings.spec}")
        return OK
    from generator.diff.history import unchanged_summary
    from generator.write import write_tree

    with stages.stage("write"):
        result = write_tree(out, files, regeneration.format_keys)
        if fingerprint is not None:
            _remember(fingerprint, regeneration, warnings, unchanged_summary(out), checked=False)
    stages.finish()
    for line in regeneration.summary:
        print(line)
    print(f"{out}: {result.written} written, {result.unchanged} unchanged, {result.removed} removed")
    return OK


def _known(args: argparse.Namespace, settings: Settings, stages: Stages, known: Known) -> int:
    """What the full run would say, from the run that left --out as it is (up_to_date.py)."""
    stages.finish()
    for warning in known.warnings:
        print(warning, file=sys.stderr)
    out = Path(settings.out)
    if args.command == "check":
        print(f"{out}: up to date with {settings.spec}")
    else:
        for line in known.summary:
            print(line)
        print(f"{out}: 0 written, {known.files} unchanged, 0 removed")
    return OK


def _remember(
    fingerprint: Fingerprint, regeneration: Regeneration, warnings: list[Problem], summary: tuple[str, ...], *, checked: bool
) -> None:
    fingerprint.remember(
        regeneration.files, dict(regeneration.format_keys), regeneration.document_digest, regeneration.inlined,
        warnings, summary, checked=checked,
    )  # fmt: skip


def output_files(*args: Any, **kwargs: Any) -> tuple[Regeneration, list[Problem]]:
    """pipeline.output_files, imported when first called."""
    from generator.pipeline import output_files

    return output_files(*args, **kwargs)


def load_valid(*args: Any, **kwargs: Any) -> tuple[Document, list[Problem]]:
    """pipeline.load_valid, imported when first called."""
    from generator.pipeline import load_valid

    return load_valid(*args, **kwargs)


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    specs = args.specs or ([settings.spec] if settings.spec else [])
    if not specs:
        print(f"error: {NO_SPEC}", file=sys.stderr)
        return USAGE
    rules = RuleSet.configured(settings.rule_severities, lenient=args.lenient)
    checked: list[tuple[str, list[Problem]]] = []
    for spec in specs:
        try:
            checked.append((spec, load_valid(spec, rules=rules)[1]))
        except SpecError as exc:
            checked.append((spec, exc.problems))
    report(args.format, checked)
    failed = any(p.severity == "error" for _spec, problems in checked for p in problems)
    return FAILED if failed else OK


def _generate(args: argparse.Namespace, settings: Settings, stages: Stages) -> tuple[Regeneration, list[Problem]]:
    """output_files; a crash on a document that broke the OpenAPI schema is that document's error, reported after
    the schema problems that explain it."""
    spec = str(settings.spec)
    try:
        reuse = not args.no_cache
        return output_files(spec, Path(settings.out), settings=settings, reuse=reuse, parallel=True, stages=stages)
    except (SpecError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if args.debug or _by_interrupt(exc):
            raise
        try:
            warnings = load_valid(spec, lenient=True)[1]
        except SpecError:
            warnings = []
        if not any(w.kind == "openapi" for w in warnings):
            raise  # a valid document: a generator bug, reported as one
        reason = f"{type(exc).__name__}: {exc}"
        message = f"cannot generate from this document as it is ({reason}); fix the schema problems reported above"
        raise SpecError([*warnings, Problem(spec, message, "", 0, 0, kind="openapi")]) from None
