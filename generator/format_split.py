"""Splitting a rendered module where black's work on one part cannot depend on another, so each part is
formatted (and cached) on its own: an edit to one operation reformats its class, not the whole file.

The parts are cut only before a top-level `class` or `def` (or its first decorator) separated from the previous
top-level statement by empty lines alone (no comment), when that statement is not a `...` stub: black formats a
definition by itself and always puts exactly two empty lines before it, whatever was there, so formatting the parts and joining them with two empty lines gives
black's output for the whole module (tests/test_format_cache.py compares both on every golden case and on
generated/). Text that is not valid Python, or that has `fmt:` directives, is one part.
"""

from __future__ import annotations

import ast

SEPARATOR = "\n\n\n"
_DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _is_stub(statement: ast.stmt) -> bool:
    """A definition whose body is `...` alone: black may keep what follows it closer than two lines."""
    if not isinstance(statement, _DEFINITIONS) or len(statement.body) != 1:
        return False
    only = statement.body[0]
    return isinstance(only, ast.Expr) and isinstance(only.value, ast.Constant) and only.value.value is Ellipsis


def parts(text: str) -> list[str]:
    """The module's text in parts, each ending with a newline; a single part when it cannot be cut."""
    if "fmt: off" in text or "fmt:off" in text or "fmt: skip" in text or "fmt:skip" in text:
        return [text]
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return [text]  # black will say what is wrong with it
    lines = text.split("\n")
    cuts: list[tuple[int, int]] = []  # (end of one part, start of the next), 0-based line indexes, end exclusive
    for previous, statement in zip(module.body, module.body[1:]):
        if not isinstance(statement, _DEFINITIONS) or _is_stub(previous):
            continue
        first = statement.decorator_list[0] if statement.decorator_list else statement
        end, start = previous.end_lineno or previous.lineno, first.lineno - 1
        if start > end and all(not line.strip() for line in lines[end:start]):
            cuts.append((end, start))
    if not cuts:
        return [text]
    pieces, begin = [], 0
    for end, start in cuts:
        pieces.append("\n".join(lines[begin:end]) + "\n")
        begin = start
    return pieces + ["\n".join(lines[begin:])]


def join(formatted: list[str]) -> str:
    """Black's output for the whole module from its output for each part."""
    return SEPARATOR.join([part.rstrip("\n") for part in formatted[:-1]] + formatted[-1:])
