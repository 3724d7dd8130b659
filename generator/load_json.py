"""Strict JSON (RFC 8259) for documents named .json, with the line and column of every pointer.

The standard library decodes (escapes and surrogate pairs included, no trailing commas, no comments); NaN and
Infinity, duplicate keys (the scan finds them) and lone surrogates are refused. A scan of the tokens, run first, enforces our depth and
size limits before anything recursive runs, and records where each member and element starts.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.errors import Problem, SpecError, pointer_join

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)
_LITERAL = re.compile(r"true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json(text: str, display: str, max_depth: int, max_nodes: int) -> tuple[Any, dict[str, tuple[int, int]]]:
    """The data and {pointer: (line, column)}; SpecError with a located problem when the text is not strict JSON."""
    positions = _positions(text, display, max_depth, max_nodes)
    try:
        data = json.loads(text)  # NaN and Infinity were refused by the scan
    except json.JSONDecodeError as exc:
        raise SpecError([Problem(display, f"JSON syntax error: {exc.msg}", "", exc.lineno, exc.colno, kind="syntax")]) from None
    except RecursionError as exc:  # pragma: no cover - the scan refuses deep nesting first
        raise SpecError([Problem(display, f"JSON syntax error: {exc}", "", 1, 1, kind="syntax")]) from None
    _refuse_lone_surrogates(data, "", display, positions)
    return data, positions


def _positions(text: str, display: str, max_depth: int, max_nodes: int) -> dict[str, tuple[int, int]]:
    positions: dict[str, tuple[int, int]] = {}
    # Each open container: [pointer, is_object, next index or pending key, expecting a key].
    stack: list[list[Any]] = []
    line, line_start, scanned, nodes = 1, 0, 0, 0
    key: str | None = None
    for match in _TOKEN.finditer(text):
        start = match.start()
        line += text.count("\n", scanned, start)
        newline = text.rfind("\n", scanned, start)
        line_start = newline + 1 if newline >= 0 else line_start
        scanned = start
        where = (line, start - line_start + 1)
        token = match.group()
        if token in ",:":
            continue
        if token in "}]":
            if stack:
                stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is not None and top[1] and key is None:  # a member's name
            try:
                key = json.loads(token)
            except ValueError:
                return positions  # not JSON: the decoder says where
            if not isinstance(key, str):
                return positions
            member = pointer_join(top[0], key)
            if member in positions:
                raise SpecError([Problem(display, f"duplicate key {key!r}", member, *where, kind="syntax")])
            positions[member] = where
            continue
        if top is None:
            pointer = ""
        elif top[1]:
            pointer, key = pointer_join(top[0], key), None
        else:
            pointer = pointer_join(top[0], top[2])
            top[2] += 1
        positions.setdefault(pointer, where)
        if token[0] not in '{["' and not _LITERAL.fullmatch(token):
            raise SpecError([Problem(display, f"JSON syntax error: {token[:40]!r} is not a JSON value", pointer, *where, kind="syntax")])
        nodes += 1
        if nodes > max_nodes:
            raise SpecError([Problem(display, f"document has more than {max_nodes} nodes", pointer, *where, kind="limit")])
        if token in "{[":
            if len(stack) >= max_depth:
                raise SpecError([Problem(display, f"nesting deeper than {max_depth} levels", pointer, *where, kind="limit")])
            stack.append([pointer, token == "{", 0])
    return positions


def _refuse_lone_surrogates(data: Any, pointer: str, display: str, positions: dict[str, tuple[int, int]]) -> None:
    stack: list[tuple[Any, str]] = [(data, pointer)]
    while stack:
        node, at = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            child_pointer = pointer_join(at, key)
            texts = [key, child] if isinstance(node, dict) else [child]
            if any(isinstance(t, str) and _LONE_SURROGATE.search(t) for t in texts):
                line, column = positions.get(child_pointer, (1, 1))
                message = "a \\u escape names half of a surrogate pair: not Unicode text"
                raise SpecError([Problem(display, message, child_pointer, line, column, kind="syntax")])
            if isinstance(child, (dict, list)):
                stack.append((child, child_pointer))
