"""Splitting a rendered module where black's work on one part cannot depend on another, so each part is
formatted (and cached) on its own: an edit to one operation reformats its method, not the whole file.

The parts are cut only before a top-level `class` or `def` (or its first decorator) separated from the previous
top-level statement by empty lines alone (no comment), when that statement is not a `...` stub: black formats a
definition by itself and always puts exactly two empty lines before it, whatever was there, so formatting the parts
and joining them with two empty lines gives black's output for the whole module. A top-level class is cut the same
way between its methods: a method that follows another method (not a stub) after empty lines alone is formatted as
the only method of a class of its own (`METHOD_HEADER`, at the same depth, so wrapped at the same width), and
black, which puts exactly one empty line between two methods, gives the class from its first part and those
methods with that header taken off. tests/test_format_cache.py compares both ways on real output. Text that is not
valid Python, or that has `fmt:` directives, is one part.
"""

from __future__ import annotations

import ast
import bisect

SEPARATOR = "\n\n\n"
METHOD_HEADER = "class _:\n"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEFINITIONS = (ast.ClassDef, *_FUNCTIONS)


def _is_stub(statement: ast.stmt) -> bool:
    """A definition whose body is `...` alone: black may keep what follows it closer than two lines."""
    if not isinstance(statement, _DEFINITIONS) or len(statement.body) != 1:
        return False
    only = statement.body[0]
    return isinstance(only, ast.Expr) and isinstance(only.value, ast.Constant) and only.value.value is Ellipsis


def parts(text: str) -> list[list[str]]:
    """The module's text in parts, each a list of pieces for black (the first a module of its own, the others
    methods under METHOD_HEADER), each ending with a newline; a single piece when it cannot be cut."""
    if "fmt: off" in text or "fmt:off" in text or "fmt: skip" in text or "fmt:skip" in text:
        return [[text]]
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return [[text]]  # black will say what is wrong with it
    lines = text.split("\n")
    top = _cuts(module.body, lines)
    pieces, begin = [], 0
    classes = [statement for statement in module.body if isinstance(statement, ast.ClassDef)]
    starts = [cls.lineno - 1 for cls in classes]
    for end, start in [*top, (len(lines), len(lines))]:
        part = "\n".join(lines[begin:end]) + ("\n" if end < len(lines) else "")
        index = bisect.bisect_left(starts, begin)  # the part's first class, if it has one
        has_class = index < len(starts) and starts[index] < end
        pieces.append(_methods(part, lines, begin, end, classes[index]) if has_class else [part])
        begin = start
    return pieces


def _cuts(body: list[ast.stmt], lines: list[str], methods_only: bool = False) -> list[tuple[int, int]]:
    """(end of one piece, start of the next) before each definition of `body` that may be cut off: 0-based line
    indexes, end exclusive. `methods_only`: only where a function follows a function."""
    cuts = []
    for previous, statement in zip(body, body[1:]):
        if not isinstance(statement, _DEFINITIONS) or _is_stub(previous):
            continue
        if methods_only and not (isinstance(previous, _FUNCTIONS) and isinstance(statement, _FUNCTIONS)):
            continue
        first = statement.decorator_list[0] if statement.decorator_list else statement
        end, start = previous.end_lineno or previous.lineno, first.lineno - 1
        if start > end and all(not line.strip() for line in lines[end:start]):
            cuts.append((end, start))
    return cuts


def _methods(part: str, lines: list[str], begin: int, end: int, cls: ast.ClassDef) -> list[str]:
    """A part holding a top-level class, cut between its methods."""
    cuts = _cuts(cls.body, lines, methods_only=True)
    if not cuts:
        return [part]
    pieces, start_of_piece = [], begin
    for cut_end, cut_start in cuts:
        text = "\n".join(lines[start_of_piece:cut_end]) + "\n"
        pieces.append(text if start_of_piece == begin else METHOD_HEADER + text)
        start_of_piece = cut_start
    last = "\n".join(lines[start_of_piece:end]) + ("\n" if end < len(lines) else "")
    return pieces + [METHOD_HEADER + last]


def join(formatted: list[list[str]]) -> str | None:
    """Black's output for the whole module from its output for each piece; None when a method's piece does not
    start with the header it was given (never expected: the caller formats the whole module instead)."""
    modules = []
    for pieces in formatted:
        if any(not piece.startswith(METHOD_HEADER) for piece in pieces[1:]):
            return None
        modules.append(pieces[0] + "".join("\n" + piece[len(METHOD_HEADER) :] for piece in pieces[1:]))
    return SEPARATOR.join([module.rstrip("\n") for module in modules[:-1]] + modules[-1:])
