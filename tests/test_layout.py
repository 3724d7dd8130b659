"""generator/python/layout.py against black itself: on generated shapes (long and short names, nested calls and
displays, widths around 120), what layout prints is either black's output or the line left whole for black.

Exactness is only speed, but a wrong split could change black's output (a trailing comma black would not have
written keeps a collection exploded), so every layout printed must be black's."""

from __future__ import annotations

import random

import black
import pytest

from generator.format import MODE
from generator.python import layout
from generator.python.layout import Brackets, Expression

_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz_"


def _name(rng: random.Random, longest: int) -> str:
    return rng.choice("xzqjkv") + "".join(rng.choice(_NAME_CHARS) for _ in range(rng.randint(0, longest)))


def _atom(rng: random.Random, longest: int, where: str) -> Expression:
    """An item black never splits, for a call's, a dict's, a list's or a subscript's brackets."""
    if where == "call" and rng.random() < 0.05:  # a string longer than a line, perhaps
        return layout.Whole(f'"/{_name(rng, rng.choice([50, 150]))}/{{id}}"')  # type: ignore[return-value]
    simple = rng.choice([f'"{_name(rng, longest)}"', _name(rng, longest), f"_rt.{_name(rng, longest)}",
                         f'"{_name(rng, longest // 2)}é中́"'])  # not ASCII: a CJK character is two wide
    if where == "call" and rng.random() < 0.5:
        return f"{_name(rng, 8)}={simple}"
    if where == "dict":
        return f'"{_name(rng, longest)}": {simple}'
    return simple


def _expression(rng: random.Random, depth: int, longest: int, where: str = "statement") -> Expression:
    """A call, subscript, list or dict display whose items may be such expressions in turn."""
    kind = rng.choice(["call", "subscript", "list", "dict"])
    items: list[Expression] = []
    for _ in range(rng.randint(1 if kind == "subscript" else 0, 5)):
        nested = depth < 2 and rng.random() < 0.3
        items.append(_expression(rng, depth + 1, longest, kind) if nested else _atom(rng, longest, kind))
    head = ""
    if where == "call" and rng.random() < 0.4:
        head = f"{_name(rng, 8)}="
    elif where == "dict":
        head = f'"{_name(rng, longest)}": '
    if kind == "dict":
        return layout.display(head, "{", tuple(items))
    if kind == "list":
        return layout.display(head, "[", tuple(items))
    name = rng.choice([_name(rng, 12), f"self.{_name(rng, 12)}", f"_rt.{_name(rng, 8)}"])
    if kind == "subscript":
        return Brackets(head + name, tuple(items), "[")
    return layout.call(head + (rng.choice(["", "await "]) if depth == 0 and not head else "") + name, *items)


def _nest(depth: int, line: str) -> str:
    """`line` at `depth` inside classes and functions, so black sees it indented as it will be."""
    opening = [INDENT * level + (f"class C{level}:" if level % 2 == 0 else f"def f{level}(self):") for level in range(depth)]
    return "\n".join([*opening, line]) + "\n"


INDENT = layout.INDENT


def _agrees(depth: int, printed: str, whole: str) -> None:
    """`printed` is black's output, or the line left `whole`."""
    source = _nest(depth, INDENT * depth + printed)
    formatted = black.format_str(source, mode=MODE)
    if printed != whole:
        assert formatted == source, f"layout printed\n{source}\nblack prints\n{formatted}"
    else:  # left whole: black decides, and a line that fits must be black's already
        if source.isascii() and max(len(line) for line in source.splitlines()) <= layout.WIDTH and "/{id}" not in source:
            assert formatted == source


@pytest.mark.parametrize("seed", range(6))
def test_statements_are_printed_as_black_prints_them(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(120):
        depth = rng.randint(0, 3)
        expression = _expression(rng, 0, rng.choice([6, 14, 30]))
        prefix = rng.choice(["return ", ""])
        printed = layout.statement(depth, expression, prefix)
        _agrees(depth, printed, prefix + layout.flat(expression))


def _widths(depth: int, head: str, make: "callable") -> list[Expression]:
    """Expressions made by `make(n)` whose one-line form ends at 119, 120 and 121 characters at `depth`."""
    found = []
    for target in (119, 120, 121, 123):
        for n in range(0, 200):
            expression = make(n)
            if len(INDENT * depth + head + layout.flat(expression)) == target:
                found.append(expression)
                break
    return found


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_edges_of_the_width(depth: int) -> None:
    def make(n: int) -> Expression:
        return layout.call("self._send", '"GET"', f'"/{"x" * n}"', layout.display("path_params=", "{", ('"id": id',)),
                           "options=options")

    for expression in _widths(depth, "return ", make):
        _agrees(depth, layout.statement(depth, expression, "return "), "return " + layout.flat(expression))
    for count in range(1, 40):  # the items of a call alone: at some count they no longer fit on one line together
        expression = layout.call("self._send", *(f"argument_{i}=value_{i}" for i in range(count)))
        _agrees(depth, layout.statement(depth, expression, "return "), "return " + layout.flat(expression))


@pytest.mark.parametrize("seed", range(4))
def test_definitions_are_printed_as_black_prints_them(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(150):
        depth = rng.randint(0, 2)
        parameters = ["self"] if rng.random() < 0.8 else []
        for index in range(rng.randint(0, 6)):
            if index == 2 and rng.random() < 0.5:
                parameters.append("*")
            parameters.append(_parameter(rng))
        if rng.random() < 0.7:
            parameters.append("**options: Unpack[_rt.RequestOptions]")
        name = _name(rng, rng.choice([5, 30]))
        returns = rng.choice([
            "None", _name(rng, 30), Brackets("_rt.Page", (_name(rng, rng.choice([20, 60])), _name(rng, rng.choice([20, 60]))), "["),
            Brackets("Iterator", (_name(rng, rng.choice([20, 110])),), "["),
        ])
        end = rng.choice([":", ": ..."])
        head = rng.choice(["def ", "async def "]) + name
        printed = layout.definition(depth, head, tuple(parameters), returns, end)
        body = "" if end.endswith("...") else "\n" + INDENT * (depth + 1) + "pass"
        whole = f"{head}({', '.join(map(layout.flat, parameters))}) -> {layout.flat(returns)}{end}"
        _agrees_definition(depth, printed + body, whole + body)


def _annotation(rng: random.Random) -> str:
    """An annotation of names, subscripts and literals, from short to longer than a line."""
    values = ", ".join(f'"{_name(rng, rng.choice([3, 12]))}"' for _ in range(rng.randint(1, 12)))
    return rng.choice([
        _name(rng, 20),
        f"{_name(rng, 10)} | Literal[{values}]",
        f"Sequence[{_name(rng, 10)} | Literal[{values}]]",
        f"Literal[{values}]",
        f"{_name(rng, 30)} | {_name(rng, 30)} | None",
    ])


def _alternative(rng: random.Random) -> str:
    """One alternative of a union: no `|` outside its brackets."""
    values = ", ".join(f'"{_name(rng, rng.choice([3, 12]))}"' for _ in range(rng.randint(1, 12)))
    return rng.choice([_name(rng, rng.choice([5, 30])), f"Literal[{values}]", f"Sequence[{_name(rng, 10)} | Literal[{values}]]"])


def _parameter(rng: random.Random) -> Expression:
    name = _name(rng, rng.choice([5, 20, 40]))
    if rng.random() < 0.6:
        choices = tuple(_alternative(rng) for _ in range(rng.randint(1, 4)))
        return layout.Hinted(name, (*choices, "_rt.Unset"), "_rt.UNSET")
    return f"{name}: {_annotation(rng)}"


def _agrees_definition(depth: int, printed: str, whole: str) -> None:
    _agrees(depth, printed, whole)


def test_imports_are_printed_as_black_prints_them() -> None:
    for count in range(1, 30):
        names = tuple(f"ModelNumber{i}" for i in range(count))
        printed = layout.import_from(".models", names)
        assert black.format_str(printed + "\n", mode=MODE) == printed + "\n"


@pytest.mark.parametrize("depth", [0, 1])
def test_long_return_annotations_are_split_as_black_splits_them(depth: int) -> None:
    parameters = ("self", "account_sid: str", "*", layout.Hinted("page_size", ("int", "_rt.Unset"), "_rt.UNSET"),
                  "**options: Unpack[_rt.RequestOptions]")
    for first in range(10, 120, 7):
        for second in (5, 40, 70, 110):
            returns = Brackets("_rt.SyncPage", ("Item" + "x" * first, "Page" + "y" * second), "[")
            for end in (":", ": ..."):
                printed = layout.definition(depth, "async def list_pages", parameters, returns, end)
                whole = f"async def list_pages({', '.join(map(layout.flat, parameters))}) -> {layout.flat(returns)}{end}"
                body = "" if end.endswith("...") else "\n" + INDENT * (depth + 1) + "pass"
                _agrees(depth, printed + body, whole + body)


@pytest.mark.parametrize("depth", [1, 2])
def test_a_comma_after_each_item_is_printed_as_black_prints_it(depth: int) -> None:
    rng = random.Random(depth)
    for count in range(0, 6):
        for _ in range(20):
            items = tuple(f'("{_name(rng, rng.choice([5, 60]))}", "{_name(rng, 30)}", "query", True)' for _ in range(count))
            printed = layout.comma_after_each(depth, items, "params=", ",")
            written = "(" + "".join(f"{item}, " for item in items) + ")"
            # an argument of a call one level up that is split one argument a line (as app.py's routes are)
            call = f"_rt.route(\n{INDENT * depth}router,\n{INDENT * depth}params={printed},\n{INDENT * (depth - 1)})"
            source = _nest(depth - 1, INDENT * (depth - 1) + call)
            formatted = black.format_str(source, mode=MODE)
            if printed != written:
                assert formatted == source
            else:
                assert formatted != source or count == 0


def _field_annotation(rng: random.Random) -> str:
    n = rng.choice([5, 20, 60, 80, 100, 110])
    return rng.choice([
        f"{_name(rng, n)} | None", "str | None", f"List[{_name(rng, n)}] | None", f"Annotated[{_name(rng, n)} | None, _rt.NotNull]",
        f"Dict[str, {_name(rng, n)}]", f'Literal["{_name(rng, n)}", "{_name(rng, 10)}"] | None', _name(rng, n),
        f"{_name(rng, n)} | {_name(rng, n)} | None",
    ])


@pytest.mark.parametrize("seed", range(3))
def test_assignments_are_printed_as_black_prints_them(seed: int) -> None:
    """A model's fields: `name: annotation = Field(...)` and `name: annotation = default`."""
    rng = random.Random(200 + seed)
    for _ in range(500):
        name = _name(rng, rng.choice([5, 30]))
        annotation: Expression = _field_annotation(rng)
        if rng.random() < 0.4:
            inner = rng.choice([f"{_name(rng, rng.choice([20, 60, 100]))} | None", _name(rng, rng.choice([20, 60, 100]))])
            annotation = rng.choice([Brackets("Annotated", (inner, "_rt.NotNull"), "["), Brackets("List", (inner,), "[")])
        if rng.random() < 0.5:
            keywords = [f"max_length={rng.randint(1, 99)}", f'pattern="^{_name(rng, rng.choice([5, 40]))}$"', f'alias="{_name(rng, 20)}"']
            value: Expression = layout.call("Field", *(["default=None"] * (rng.random() < 0.7)), *keywords[: rng.randint(0, 3)])
        else:
            value = rng.choice(["None", '"x"', "_rt.UNSET", "Mode.FAST", '["a", "b"]'])
        whole = f"{name}: {layout.flat(annotation)} = {layout.flat(value)}"
        _agrees(1, layout.assignment(1, name, annotation, value), whole)


def test_a_tuple_written_with_a_comma_after_its_last_item_is_left_to_black() -> None:
    """Black keeps such a tuple of two items or more one item a line however short: layout does not model it."""
    single = Brackets("unique_by=", (f'"{"w" * 130}"',), display=True, comma_after_each=True)
    assert layout.statement(2, layout.call("self._store.destroy", "ctx", single), "return ").endswith(",))")  # kept whole
    for count, left_whole in ((0, False), (1, False), (2, True), (3, True)):
        unique_by = Brackets("unique_by=", tuple(f'"wire{i}"' for i in range(count)), display=True, comma_after_each=True)
        call = layout.call("self._store.destroy", "ctx", '"a_collection_with_a_rather_long_name_for_the_store"', 'id_kind="int"',
                           *(f"argument_number_{i}=value_{i}" for i in range(3)), unique_by)
        printed = layout.statement(2, call, "return ")
        assert (printed == "return " + layout.flat(call)) is left_whole
        if not left_whole:
            _agrees(2, printed, "return " + layout.flat(call))
