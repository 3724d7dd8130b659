"""How `validate` reports: text (FILE:LINE:COL lines), json (one document) or github (workflow annotations)."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from generator.errors import Problem

FORMATS = ("text", "json", "github")


def report(fmt: str, checked: list[tuple[str, list[Problem]]], out: TextIO | None = None, err: TextIO | None = None) -> None:
    """`checked`: each document with every problem found in it (errors and warnings)."""
    out, err = out or sys.stdout, err or sys.stderr
    if fmt == "json":
        documents = [
            {"file": spec, "valid": not _errors(problems), "problems": [_as_dict(p) for p in problems]}
            for spec, problems in checked
        ]
        json.dump({"valid": all(d["valid"] for d in documents), "documents": documents}, out, indent=2)
        out.write("\n")
        return
    for spec, problems in checked:
        for problem in problems:
            if fmt == "github":
                out.write(github_annotation(problem) + "\n")
            else:
                print(problem, file=err)
        if fmt == "text" and not _errors(problems):
            print(f"{spec}: valid", file=out)


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _as_dict(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "pointer": problem.pointer,
        "severity": problem.severity,
        "kind": problem.kind,
        "rule": problem.rule or None,
        "message": problem.message,
    }


def github_annotation(problem: Problem) -> str:
    """`::error file=F,line=L,col=C,title=T::message`, escaped as the workflow command syntax requires."""
    command = "error" if problem.severity == "error" else "warning"
    properties = [f"file={_property(problem.file)}"]
    if problem.line:
        properties += [f"line={problem.line}", f"col={problem.column or 1}"]
    title = f"specgen {problem.kind}" + (f" {problem.rule}" if problem.rule else "")
    properties.append(f"title={_property(title)}")
    at = f" (at {problem.pointer})" if problem.pointer else ""
    return f"::{command} {','.join(properties)}::{_data(problem.message + at)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
