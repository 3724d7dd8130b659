"""`specgen diff OLD NEW`: what changed between two versions of a document, for the users of its output.

Exit 1 when a change breaks them (unless --allow-breaking), 0 otherwise, 2 when a document cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from generator.diff.report import FORMATS, render
from generator.errors import SpecError

CANNOT_READ = 2


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "diff", parents=parents, help="report wire and Python changes between two versions of a spec, with the version they make",
        description="OLD and NEW are files or REV:path from git history (HEAD~1:api.yaml). With --base REV, OLD is "
        "the spec at REV and NEW the spec in the working tree. Exit 1 on a breaking change, 2 when a document "
        "cannot be read.",
    )
    command.add_argument("documents", nargs="*", metavar="OLD NEW", help="two documents: files or REV:path")
    command.add_argument("--base", metavar="REV", help="compare the spec at REV (e.g. origin/main) with the working tree's")
    command.add_argument("--spec", help="the spec --base compares (default: spec in the configuration)")
    command.add_argument("--format", choices=FORMATS, default="text")
    command.add_argument("--allow-breaking", action="store_true", help="exit 0 even when a change is breaking")


def run(args: argparse.Namespace) -> int:
    from generator.diff.compare import compare  # with the model: imported only for this command
    from generator.diff.sources import read_document

    if args.base is not None and not args.documents and args.spec:
        old_name, new_name = f"{args.base}:{args.spec}", args.spec
    elif args.base is None and len(args.documents) == 2:
        old_name, new_name = args.documents
    else:
        print("error: give OLD and NEW, or --base REV (alone)", file=sys.stderr)
        return CANNOT_READ
    try:
        old, new = read_document(old_name), read_document(new_name)
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return CANNOT_READ
    report = compare(old.data, new.data, old_name, new_name)
    sys.stdout.write(render(report, args.format))
    return 1 if report.breaking and not args.allow_breaking else 0
