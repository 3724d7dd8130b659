"""What we print is already what black prints (issue 12: black then does one pass instead of two), checked with
black itself as the oracle. Exactness is a speed matter only: black still formats everything."""

from __future__ import annotations

import ast
import os
import random
from pathlib import Path

import black
import pytest

from generator.format import MODE
from generator.format_split import parts
from generator.python.text import literal

ROOT = Path(__file__).resolve().parent.parent

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


def _rendered_modules(spec: str) -> dict[str, str]:
    """The rendered (not yet formatted) Python modules of `spec`, runtimes aside (they are copied, not formatted)."""
    from generator.config import Settings
    from generator.pipeline import load_valid
    from generator.python.build import build_api
    from generator.render import render

    document, _warnings = load_valid(spec, lenient=True)
    api = build_api(document.data, os.path.basename(document.path), document.pointer_index())
    files = render(api, document.data, Settings())
    return {p: t for p, t in files.items() if p.endswith(".py") and "/_runtime/" not in p and "/_memory/" not in p}


def _exact_share(text: str) -> tuple[int, int]:
    """(pieces black leaves as they are, pieces) of a module, cut as the format stage cuts it."""
    pieces = [piece for part in parts(text) for piece in part]
    return sum(black.format_str(piece, mode=MODE) == piece for piece in pieces), len(pieces)


def test_most_of_what_posthog_renders_is_black_output_already() -> None:
    """A regression guard: measured 67 of 67 client pieces and 185 of 196 in all when this was written."""
    modules = _rendered_modules(str(ROOT / "spec" / "posthog.yaml"))
    client = next(text for path, text in modules.items() if path.endswith("/client.py"))
    exact, total = _exact_share(client)
    assert exact / total >= 0.95, f"client.py: {exact} of {total} pieces are black's output"
    shares = [_exact_share(text) for text in modules.values()]
    exact, total = sum(e for e, _t in shares), sum(t for _e, t in shares)
    assert exact / total >= 0.9, f"{exact} of {total} pieces are black's output"


def test_a_docstring_is_indented_as_black_indents_it() -> None:
    from generator.python.text import docstring, indented

    rng = random.Random(7)
    words = ["word", "a" * 30, "\\", '"', "'''", "\n", "\n\n", "\r\n", "  indented", "\t", "é", "x\\\n"]
    for _ in range(400):
        doc = docstring("".join(rng.choice(words) + rng.choice([" ", ""]) for _ in range(rng.randint(1, 40))))
        if not doc or doc.endswith('"'):
            continue  # black pads a docstring ending with a quote with a space: left to black
        source = f'class C:\n    def f(self) -> None:\n        """{indented(doc, 8)}"""\n'
        assert black.format_str(source, mode=MODE) == source, doc
