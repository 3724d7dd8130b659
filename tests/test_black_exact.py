"""What we print is already what black prints (issue 12: black then does one pass instead of two), checked with
black itself as the oracle. Exactness is a speed matter only: black still formats everything."""

from __future__ import annotations

import ast
import random

import black
import pytest

from generator.format import MODE
from generator.python.text import literal

# Characters a string from a spec may hold that matter to quoting and escaping.
_PIECES = ["a", "'", '"', "\\", "\n", "\t", "\r", "\x00", "\x7f", "é", "\u2028", "\U0001f600", "\ud800", " ", "{",
           '"""', "'''", "\\N{DASH}", "\\x41", "\x85", "}"]


def _strings(count: int) -> list[str]:
    rng = random.Random(12)
    found = ["", "a", "'", '"', "'\"", "\"'\"", "\\'", '\\"', "it's", 'say "hi"', "''\"", "\"\"'"]
    found += ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8))) for _ in range(count)]
    return found


@pytest.mark.parametrize("recorded", [False, True])
def test_a_literal_means_its_string(recorded: bool) -> None:
    for value in _strings(1500):
        assert ast.literal_eval(literal(value, recorded=recorded)) == value


def test_a_literal_is_quoted_as_black_quotes_it() -> None:
    for value in _strings(1500):
        source = f"x = {literal(value)}\n"
        assert black.format_str(source, mode=MODE) == source, value


def test_a_recorded_literal_keeps_the_quotes_records_hold() -> None:
    for value in _strings(200):
        assert literal(value, recorded=True) == repr(value)
