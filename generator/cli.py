"""Command line: `validate`, `generate`, `check` and `diff`. Errors are printed, never raised as tracebacks."""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path

from generator import diff_command
from generator.config import TARGETS, ConfigError, Settings, load_settings, with_overrides
from generator.diff.history import Regeneration
from generator.errors import Problem, SpecError
from generator.pipeline import load_valid, output_files
from generator.progress import Stages
from generator.report import FORMATS, report
from generator.rules import RULES, RuleSet
from generator.write import drift, write_tree

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
    try:
        return metadata.version("specgen")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specgen",
        description="Spec-first generator: a typed Python client and a FastAPI server stub from an OpenAPI 3.0/3.1 document.",
        epilog=f"{CONFIGURATION}\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"specgen {_version()}")
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
            help="format every file afresh: reuse neither the format cache (~/.cache/specgen) nor the files of --out",
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
    except KeyboardInterrupt:
        print("interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for a traceback)", file=sys.stderr)
        return USAGE


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
    regeneration, warnings = _generate(args, settings, stages)
    for warning in warnings:
        print(warning, file=sys.stderr)
    out, files = Path(settings.out), regeneration.files
    if args.command == "check":
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
        print(f"{out}: up to date with {settings.spec}")
        return OK
    with stages.stage("write"):
        result = write_tree(out, files, regeneration.format_keys)
    stages.finish()
    for line in regeneration.summary:
        print(line)
    print(f"{out}: {result.written} written, {result.unchanged} unchanged, {result.removed} removed")
    return OK


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
        if args.debug:
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
