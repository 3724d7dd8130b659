"""Lines as black prints them (width 120), for the few shapes the views print: a `def` and its parameters, a call, a
subscript, a collection display, a `from … import …`. Printed that way, a piece black is given is already its output,
and black formats it in one pass instead of two (issue 12). Exactness is a matter of speed only, never of the result:
black still formats everything, and where a shape is not one this module is sure of (an item too long for its line,
which black would split further inside; text that is not ASCII; a tuple written with a comma after its last item)
it answers the line as one, for black to wrap. What it must never do is print a trailing comma black would not:
black keeps a collection that ends with one split one item a line, so a wrong one would change black's output.

The rules, learned from black itself (tests/test_layout.py holds them to it on generated shapes):
- a statement that fits on its line stays on it;
- else it is split at its last pair of brackets (a `def` at its parameters' parentheses), the head ending with the
  opening bracket and the tail starting with the closing one on lines of their own, and the items between:
  - on one line, one indent deeper, when they fit there, they are more than one item of a call, subscript or
    `def`, and the source has no trailing comma (nothing here prints one);
  - else one a line, each followed by a comma (a `def`'s single parameter, a display's and an import's items
    always), each item laid out by the same rules when it is itself an expression ending in brackets;
- a string literal longer than its line stays whole on it (`Whole`); a parameter's union annotation goes between
  parentheses of its own lines, one alternative a line if need be (`Hinted`); an assignment is split at its value's
  brackets, else its value goes between parentheses, else it is split at its annotation's brackets (`assignment`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.format import LINE_LENGTH

WIDTH = LINE_LENGTH
INDENT = "    "
_CLOSING = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Brackets:
    """An expression that ends with a pair of brackets: `head` (what comes before the opening bracket, with no
    brackets of its own: `self._send`, `fields=`, `Literal`, "" for a display) and the comma-separated items."""

    head: str
    items: tuple[Expression, ...]
    opening: str = "("
    display: bool = False  # a list, set, dict or tuple display: black splits it one item a line
    comma_after_each: bool = False  # a tuple display written `(a, b,)` (text.literal's): left to black (see _magic)


@dataclass(frozen=True)
class Hinted:
    """A parameter `name: annotation = default` whose annotation is a union of `alternatives` (`X | _rt.Unset`): too
    long for its line, black puts the annotation alone on a line between parentheses of their own, or, when it does
    not fit there either, one alternative a line."""

    name: str
    alternatives: tuple[str, ...]  # two or more
    default: str

    @property
    def annotation(self) -> str:
        return " | ".join(self.alternatives)


@dataclass(frozen=True)
class Whole:
    """An item black cannot split however long (one string literal, one name): it stays whole on its line."""

    text: str


Expression = str | Brackets | Hinted | Whole  # a str: an item black never has to split (it fits, or this is unsure)


def _magic(expression: Expression) -> bool:
    """A tuple of two items or more written with a comma after the last: black keeps it one item a line however
    short ("magic trailing comma"), which this module does not model."""
    if not isinstance(expression, Brackets):
        return False
    return (expression.comma_after_each and len(expression.items) > 1) or any(map(_magic, expression.items))


def flat(expression: Expression) -> str:
    """The expression on one line."""
    if isinstance(expression, str):
        return expression
    if isinstance(expression, Whole):
        return expression.text
    if isinstance(expression, Hinted):
        return f"{expression.name}: {expression.annotation} = {expression.default}"
    if expression.comma_after_each:
        inside = "".join(f"{flat(item)}, " for item in expression.items).rstrip(" ")
        return f"{expression.head}({inside})"
    inside = ", ".join(flat(item) for item in expression.items)
    return f"{expression.head}{expression.opening}{inside}{_CLOSING[expression.opening]}"


def call(head: str, *items: Expression) -> Brackets:
    return Brackets(head, tuple(items))


def display(head: str, opening: str, items: tuple[Expression, ...]) -> Brackets:
    return Brackets(head, items, opening, display=True)


def statement(depth: int, expression: Expression, prefix: str = "") -> str:
    """`prefix + expression` as black prints it at `depth` (levels of four spaces), without the first line's
    indentation and without a final newline."""
    found = None if _magic(expression) else _lines(depth, expression, prefix, "", def_parameters=False)
    if found is None:
        return prefix + flat(expression)
    return "\n".join(found)[depth * len(INDENT) :]


def definition(depth: int, head: str, parameters: tuple[Expression, ...], returns: Expression, end: str = ":") -> str:
    """`head(parameters) -> returns` and `end` (":" or ": ...") as black prints a `def` (`head`: "def name") at
    `depth`, the first line's indentation left out: split at its parameters' parentheses, and the line of the
    closing one split in turn (at the return annotation's last brackets) when it is too long."""
    indent = INDENT * depth
    whole = f"{head}({', '.join(map(flat, parameters))}) -> {flat(returns)}{end}"
    if not whole.isascii() or len(indent + whole) <= WIDTH or any(map(_magic, (*parameters, returns))):
        return whole
    opening = indent + head + "("
    body = _items(depth, Brackets(head, parameters), def_parameters=True)
    closing = _lines(depth, returns, ") -> ", end, def_parameters=False)
    if len(opening) > WIDTH or body is None or closing is None:
        return whole
    return "\n".join([opening, *body, *closing])[len(indent) :]


def assignment(depth: int, name: str, annotation: Expression, value: Expression) -> str:
    """`name: annotation = value` as black prints it at `depth` (the first line's indentation left out), the first
    of these that fits: split at the value's brackets; the value alone on a line between parentheses; split at the
    annotation's brackets."""
    indent = INDENT * depth
    target = f"{name}: {flat(annotation)}"
    whole = f"{target} = {flat(value)}"
    if not whole.isascii() or len(indent + whole) <= WIDTH or _magic(annotation) or _magic(value):
        return whole
    found: list[str] | None = None
    if isinstance(value, Brackets) and len(f"{indent}{target} = {value.head}{value.opening}") <= WIDTH:
        found = _lines(depth, value, f"{target} = ", "", def_parameters=False)
    elif isinstance(value, str) and any(bracket in value for bracket in "([{"):
        found = None  # a value with brackets of its own: black may split those instead
    elif len(f"{indent}{target} = (") <= WIDTH and len(indent + INDENT + flat(value)) <= WIDTH:
        found = [f"{indent}{target} = (", f"{indent}{INDENT}{flat(value)}", f"{indent})"]
    elif isinstance(annotation, Brackets):
        found = _lines(depth, annotation, f"{name}: ", f" = {flat(value)}", def_parameters=False)
    return whole if found is None else "\n".join(found)[len(indent) :]


def comma_after_each(depth: int, items: tuple[str, ...], prefix: str, suffix: str) -> str:
    """A tuple display written with a comma after every item, `(a, b, )`, as black prints it as the value in
    `prefix + value + suffix` at `depth` (returned without `prefix` and `suffix`): two items or more one a line,
    the comma after the last one keeping it so however short ("magic trailing comma"); one item `(a,)`."""
    written = "(" + "".join(f"{item}, " for item in items) + ")"
    indent = INDENT * depth
    if not items:
        return "()"
    if len(items) == 1:
        single = f"({items[0]},)"
        fits = (indent + prefix + single + suffix).isascii() and len(indent + prefix + single + suffix) <= WIDTH
        return single if fits else written
    lines = [f"{indent}{INDENT}{item}," for item in items]
    if not all(line.isascii() and len(line) <= WIDTH for line in lines) or len(indent + prefix + "(") > WIDTH:
        return written
    return "\n".join(["(", *lines, indent + ")"])


def import_from(module: str, names: tuple[str, ...]) -> str:
    """`from module import names` as black prints it (at the top level)."""
    one_line = f"from {module} import {', '.join(names)}"
    if len(one_line) <= WIDTH:
        return one_line
    return "\n".join([f"from {module} import (", *(f"{INDENT}{name}," for name in names), ")"])


def _lines(depth: int, expression: Expression, prefix: str, suffix: str, *, def_parameters: bool) -> list[str] | None:
    indent = INDENT * depth
    one_line = indent + prefix + flat(expression) + suffix
    if not one_line.isascii():
        return None  # black measures such text by display width (a CJK character counts two): left to black
    if len(one_line) <= WIDTH or isinstance(expression, Whole):
        return [one_line]
    if isinstance(expression, Hinted):
        return _hinted(indent, expression, suffix)
    if isinstance(expression, str) or not expression.items or expression.comma_after_each:
        return None  # nothing to split at; or a tuple `(a,)`, whose comma black keeps when it splits it
    head = indent + prefix + expression.head + expression.opening
    tail = indent + _CLOSING[expression.opening] + suffix
    if len(head) > WIDTH or len(tail) > WIDTH:
        return None
    body = _items(depth, expression, def_parameters=def_parameters)
    return None if body is None else [head, *body, tail]


def _items(depth: int, expression: Brackets, *, def_parameters: bool) -> list[str] | None:
    """The lines between the brackets of `expression` split at `depth`."""
    items = expression.items
    together = INDENT * (depth + 1) + ", ".join(flat(item) for item in items)
    if len(items) > 1 and not expression.display and len(together) <= WIDTH:
        return [together]
    if len(items) == 1 and not def_parameters:
        return _lines(depth + 1, items[0], "", "", def_parameters=False)  # one item: no comma is added
    body = []
    for item in items:
        lines = _lines(depth + 1, item, "", ",", def_parameters=False)
        if lines is None:
            return None
        body += lines
    return body


def _hinted(indent: str, parameter: Hinted, suffix: str) -> list[str] | None:
    inner = indent + INDENT
    annotation = [inner + parameter.annotation]
    if len(annotation[0]) > WIDTH:
        first, *rest = parameter.alternatives
        annotation = [inner + first, *(f"{inner}| {alternative}" for alternative in rest)]
    lines = [f"{indent}{parameter.name}: (", *annotation, f"{indent}) = {parameter.default}{suffix}"]
    return lines if all(len(line) <= WIDTH for line in lines) else None
