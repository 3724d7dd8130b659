"""Spec text reaches code only through these: escaped docstrings and Python literals."""

from __future__ import annotations

import math
import re
import textwrap
from typing import Any

MAX_DOC = 4000


def _escape_char(ch: str) -> str:
    if ch == "\n" or (ch.isprintable() and ch != "\\"):
        return ch
    if ch == "\\":
        return "\\\\"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def docstring(text: object) -> str:
    """Body of a triple-quoted docstring: no quote, backslash or control character can end it early."""
    if not isinstance(text, str):
        return ""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_DOC:
        text = text[:MAX_DOC].rstrip() + " …"
    return wrap(_escape(text))


def indented(doc: str, width: int) -> str:
    """A docstring's text (docstring(), one_line()) printed in a body `width` spaces deep, as black prints it: each
    line after the first indented, an empty one left empty, and the closing quotes' own line (after a final
    newline) indented too. Black leaves alone a docstring with a backslash at the end of a line: so does this."""
    if re.search(r"\\\s*\n", doc):
        return doc
    first, *rest = doc.split("\n")
    # Black takes off the indentation the lines after the first have in common before indenting them.
    common = min((len(line) - len(line.lstrip(" ")) for line in rest if line.strip()), default=0)
    rest = [line[common:] for line in rest]
    pad = " " * width
    return "\n".join([first, *(pad + line if line else "" for line in rest[:-1]), *(pad + line for line in rest[-1:])])


def _escape(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join("".join(_escape_char(ch) for ch in line) for line in lines).replace('"', '\\"')


def wrap(doc: str, width: int = 100) -> str:
    """Long docstring lines wrapped at spaces (black leaves docstrings alone); an indented line's
    continuation is indented four more."""
    wrapped: list[str] = []
    for line in doc.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        more = indent + "    " if indent else ""
        wrapped += textwrap.wrap(line, width, subsequent_indent=more, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(wrapped)


def one_line(text: object, limit: int = 200) -> str:
    """A docstring-safe single line (summaries, README headings)."""
    if not isinstance(text, str):
        return ""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return _escape(flat)


def literal(value: Any, *, recorded: bool = False) -> str:
    """A Python literal for a JSON-like value, strings quoted as black prints them (so black has nothing to change);
    repr escapes every string. `recorded`: strings in repr's own quotes, the form the change report's records hold."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, str):
        return repr(value) if recorded else _black_quoted(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, tuple):
        return "(" + "".join(f"{literal(v, recorded=recorded)}, " for v in value).rstrip(" ") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v, recorded=recorded) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k), recorded=recorded)}: {literal(v, recorded=recorded)}" for k, v in value.items()) + "}"
    return literal(str(value), recorded=recorded)


def _black_quoted(value: str) -> str:
    """repr's literal, in the quotes black prefers: double, unless the text holds more double quotes than single
    ones (then black keeps single quotes, which escape fewer). Built from repr's escaping: only the quote changes."""
    printed = repr(value)
    if value.count('"') > value.count("'") or printed[0] == '"':
        return printed  # repr already chose as black does: single quotes around a double quote, else double
    body, index, out = printed[1:-1], 0, ['"']
    while index < len(body):
        pair = body[index : index + 2]
        if pair[0] == "\\":  # an escape: keep it whole, but a single quote needs none between double quotes
            out.append("'" if pair == "\\'" else pair)
            index += 2
            continue
        out.append('\\"' if pair[0] == '"' else pair[0])
        index += 1
    return "".join(out) + '"'


def toml_string(text: object) -> str:
    """A TOML basic string: quote, backslash and control characters escaped, the rest kept as UTF-8.

    (JSON's ensure_ascii escaping is not enough: it writes astral characters as surrogate pairs,
    which TOML refuses.)
    """
    flat = " ".join(str(text).split()) if text is not None else ""
    return '"' + "".join(_toml_char(ch) for ch in flat) + '"'


def _toml_char(ch: str) -> str:
    if ch == '"':
        return '\\"'
    if ch == "\\":
        return "\\\\"
    code = ord(ch)
    if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or not ch.isprintable():
        return f"\\u{code:04X}" if code < 0x10000 and not 0xD800 <= code <= 0xDFFF else "\\uFFFD" if code < 0x10000 else f"\\U{code:08X}"
    return ch


def markdown(text: object) -> str:
    """Spec prose for a README: plain text with HTML and code fences neutralised."""
    if not isinstance(text, str):
        return ""
    cleaned = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text.replace("\r\n", "\n"))
    parts = cleaned.replace("```", "'''").split("`")
    if len(parts) % 2 == 0:  # an unbalanced backtick: no code spans at all
        parts = ["'".join(parts)]
    # Inside a code span markdown renders nothing as HTML, so only the prose between spans is escaped.
    return "`".join(p if i % 2 else p.replace("<", "&lt;").replace(">", "&gt;") for i, p in enumerate(parts)).strip()
