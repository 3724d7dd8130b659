"""Load stage: read a YAML or JSON document safely and remember where every value sits.

Bounded by construction: a size limit before parsing, the safe (C when available) YAML parser,
and a walk over the composed node graph that counts every node it visits, so alias bombs and
absurd nesting are refused instead of expanded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.errors import Problem, SpecError, pointer_join

MAX_BYTES = 32 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 128

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps timestamps as strings (OpenAPI dates are strings)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_SCALARS = (str, int, float, bool, type(None))


@dataclass
class Document:
    """A loaded document: plain JSON-like data plus the line and column of each pointer."""

    path: str
    data: Any
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def problem(self, message: str, pointer: str) -> Problem:
        line, column = self.locate(pointer)
        return Problem(self.path, message, pointer, line, column)

    def locate(self, pointer: str) -> tuple[int, int]:
        while True:
            if pointer in self.positions:
                return self.positions[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]


def load_document(path: str) -> Document:
    display = os.path.relpath(path) if not os.path.isabs(path) else path
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise SpecError([Problem(display, f"document is {size} bytes; the limit is {MAX_BYTES}")])
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SpecError([Problem(display, f"cannot read: {exc.strerror or exc}")]) from None
    return parse_document(raw, display)


def parse_document(raw: bytes, display: str) -> Document:
    if not raw.strip():
        raise SpecError([Problem(display, "empty document", "", 1, 1)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError([Problem(display, f"not UTF-8 text: {exc.reason} at byte {exc.start}")]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = f"YAML/JSON syntax error: {exc.problem or exc.context}"
        raise SpecError([Problem(display, message, "", line, column)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(display, f"YAML/JSON syntax error: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise SpecError([Problem(display, "empty document", "", 1, 1)])
    builder = _Builder(display, loader)
    data = builder.build(node, "", 0)
    if builder.problems:
        raise SpecError(builder.problems)
    if not isinstance(data, dict):
        raise SpecError([Problem(display, "the document must be a mapping (an OpenAPI object)", "", 1, 1)])
    return Document(display, data, builder.positions)


class _Builder:
    """Turns composed YAML nodes into plain data, counting nodes and depth as it goes."""

    def __init__(self, display: str, loader: Any) -> None:
        self.display = display
        self.loader = loader
        self.positions: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.visited = 0

    def fail(self, message: str, pointer: str, node: yaml.Node) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.display, message, pointer, mark.line + 1, mark.column + 1))

    def build(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            self.fail(f"document expands to more than {MAX_NODES} nodes (alias bomb?)", pointer, node)
            raise SpecError(self.problems)
        if depth > MAX_DEPTH:
            self.fail(f"nesting deeper than {MAX_DEPTH} levels", pointer, node)
            raise SpecError(self.problems)
        self.positions.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, pointer_join(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.fail(f"unsupported YAML value: {getattr(exc, 'problem', exc)}", pointer, node)
            return None
        if not isinstance(value, _SCALARS):
            self.fail(f"unsupported YAML value of type {type(value).__name__}", pointer, node)
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail("YAML merge keys (<<) are not supported", pointer, key_node)
                continue
            key = self.build(key_node, pointer, depth + 1)
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                self.fail(f"mapping key {key!r} is not a string", pointer, key_node)
                continue
            key = str(key)
            child = pointer_join(pointer, key)
            if key in result:
                self.fail(f"duplicate key {key!r}", child, key_node)
                continue
            self.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        return result
