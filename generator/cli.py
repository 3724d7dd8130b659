"""Command line: `validate`, `generate`, `check` and `diff`. Errors are printed, never raised as tracebacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import diff_command
from generator.errors import Problem, SpecError
from generator.diff.history import Regeneration
from generator.pipeline import load_valid, output_files
from generator.write import drift, write_tree

DEFAULT_SPEC = "spec/posthog.yaml"
DEFAULT_OUT = "generated"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Spec-first client and server generator.")
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    commands = parser.add_subparsers(dest="command", required=True)
    check_spec = commands.add_parser("validate", help="validate a spec: OpenAPI schema plus our own rules")
    check_spec.add_argument("specs", nargs="*", metavar="SPEC", help=f"documents to validate (default {DEFAULT_SPEC})")
    check_spec.add_argument("--lenient", action="store_true", help="skip the policy rules (tags, scopes, examples)")
    for name, text in (("generate", "write the client and server into --out"), ("check", "fail with a diff if --out is stale")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--spec", default=DEFAULT_SPEC)
        command.add_argument("--out", default=DEFAULT_OUT)
        command.add_argument("--lenient", action="store_true", help="report OpenAPI schema problems as warnings and go on")
    diff_command.add_parser(commands, DEFAULT_SPEC)
    args = parser.parse_args(argv)
    try:
        if args.command == "diff":
            return diff_command.run(args)
        return _run(args)
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for a traceback)", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        problems = []
        for spec in args.specs or [DEFAULT_SPEC]:
            try:
                load_valid(spec, policy=not args.lenient)
                print(f"{spec}: valid")
            except SpecError as exc:
                problems.extend(exc.problems)
        if problems:
            raise SpecError(problems)
        return 0
    regeneration, warnings = _generate(args)
    for warning in warnings:
        print(warning, file=sys.stderr)
    out, files = Path(args.out), regeneration.files
    if args.command == "check":
        diffs = drift(out, files)
        sys.stdout.write("".join(diffs))
        if diffs:
            for line in regeneration.summary:
                print(line, file=sys.stderr)
            print(f"{len(diffs)} file(s) differ from {args.spec}; run: python -m generator generate --spec {args.spec} --out {args.out}", file=sys.stderr)
            return 1
        print(f"{out}: up to date with {args.spec}")
        return 0
    report = write_tree(out, files)
    for line in regeneration.summary:
        print(line)
    print(f"{out}: {report.written} written, {report.unchanged} unchanged, {report.removed} removed")
    return 0


def _generate(args: argparse.Namespace) -> tuple[Regeneration, list[Problem]]:
    """output_files; with --lenient, a crash on a document that broke the schema is that document's error."""
    try:
        return output_files(args.spec, Path(args.out), lenient=args.lenient)
    except (SpecError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if not args.lenient or args.debug:
            raise
        warnings: list[Problem] = []
        load_valid(args.spec, policy=False, warnings=warnings)
        for warning in warnings:
            print(warning, file=sys.stderr)
        reason = f"{type(exc).__name__}: {exc}"
        message = f"cannot generate from this document as it is ({reason}); fix the schema problems reported above"
        raise SpecError([Problem(args.spec, message, "", 1, 1, kind="openapi")]) from None
