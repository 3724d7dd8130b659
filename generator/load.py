"""Load stage: read a YAML or JSON document safely and remember where every value sits.

A file named .json is strict JSON (load_json.py); anything else is YAML 1.2, which JSON mostly is.

Bounded by construction: a size limit before parsing, the safe (C when available) YAML parser,
and a walk over the composed node graph that counts every node it visits, so alias bombs and
absurd nesting are refused instead of expanded.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.errors import Problem, SpecError, pointer_join
from generator.load_json import parse_json

MAX_BYTES = 32 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 128

_BOOL = "tag:yaml.org,2002:bool"
_CORE_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
# YAML 1.2's core scalars: timestamps stay strings (OpenAPI dates are strings), and only true/false are booleans
# (YAML 1.1 also reads `on`, `off`, `yes`, `no`, which are enum values in real specs).
_CORE_RESOLVERS = {
    first: [
        (tag, _CORE_BOOL if tag == _BOOL else regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp" and (tag != _BOOL or first in "tTfF")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _PythonLoader(yaml.SafeLoader):  # type: ignore[misc]
    """The pure-Python safe parser: slower, but with no limits of its own, so ours decide (see parse_document)."""

    yaml_implicit_resolvers = _CORE_RESOLVERS


_FastLoader: type = type("_FastLoader", (getattr(yaml, "CSafeLoader", _PythonLoader),), {"yaml_implicit_resolvers": _CORE_RESOLVERS})

_SCALARS = (str, int, float, bool, type(None))


@dataclass
class Document:
    """A loaded document: plain JSON-like data plus the line and column of each pointer."""

    path: str
    data: Any
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    digest: str = ""  # SHA-256 of the bytes parsed ("" when not parsed from bytes)
    # (path as referenced, real path, digest) of every file a $ref inlined (refs.check_refs): with `digest`, all the
    # bytes behind `data`, and where each reference led (a symbolic link on the way may be pointed elsewhere later)
    inlined: tuple[tuple[str, str, str], ...] = ()

    def problem(self, message: str, pointer: str, kind: str) -> Problem:
        line, column = self.locate(pointer)
        return Problem(self.path, message, pointer, line, column, kind)

    def pointer_index(self) -> dict[int, str]:
        """id() of every mapping and list in the data -> its JSON pointer (the first, where YAML aliases share one)."""
        index: dict[int, str] = {}
        stack: list[tuple[Any, str]] = [(self.data, "")]
        while stack:
            node, pointer = stack.pop()
            if id(node) in index:
                continue
            index[id(node)] = pointer
            children = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((child, pointer_join(pointer, key)) for key, child in children if isinstance(child, (dict, list)))
        return index

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
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError([Problem(display, "is a folder, not a spec file", kind="io")])
        if not stat.S_ISREG(info.st_mode):
            # A FIFO, a device or a socket could block or never end: read only regular files.
            raise SpecError([Problem(display, "not a regular file; refusing to read it", kind="io")])
        if info.st_size > MAX_BYTES:
            raise SpecError([Problem(display, f"document is {info.st_size} bytes; the limit is {MAX_BYTES}", kind="limit")])
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SpecError([Problem(display, f"cannot read: {exc.strerror or exc}", kind="io")]) from None
    if len(raw) > MAX_BYTES:
        raise SpecError([Problem(display, f"document is more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}", kind="limit")])
    return parse_document(raw, display)


def parse_document(raw: bytes, display: str) -> Document:
    if len(raw) > MAX_BYTES:
        raise SpecError([Problem(display, f"document is more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}", kind="limit")])
    if not raw.strip():
        raise SpecError([Problem(display, "empty document", "", 1, 1, kind="syntax")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError([Problem(display, f"not UTF-8 text: {exc.reason} at byte {exc.start}", "", line, column, kind="syntax")]) from None
    if display.lower().endswith(".json"):
        data, positions = parse_json(text, display, MAX_DEPTH, MAX_NODES)
        if not isinstance(data, dict):
            raise SpecError([Problem(display, "the document must be a mapping (an OpenAPI object)", "", 1, 1, kind="openapi")])
        return Document(display, data, positions, hashlib.sha256(raw).hexdigest())
    try:
        builder, found, data = _build(text, display, _FastLoader)
    except yaml.YAMLError:
        # libyaml has limits of its own (nesting depth, since 0.2.5) that can fire before ours, with its own words.
        # The pure-Python parser has none, so a failed fast parse is parsed again there: our limits (depth, size,
        # aliases) speak first and a true syntax error is reported the same way. It costs time only on failure.
        builder, found, data = _build(text, display, _PythonLoader)
    if not found:
        raise SpecError([Problem(display, "empty document", "", 1, 1, kind="syntax")])
    if builder.problems:
        raise SpecError(builder.problems)
    if not isinstance(data, dict):
        raise SpecError([Problem(display, "the document must be a mapping (an OpenAPI object)", "", 1, 1, kind="openapi")])
    return Document(display, data, builder.positions, hashlib.sha256(raw).hexdigest())


def _build(text: str, display: str, loader_class: type) -> tuple[_Builder, bool, Any]:
    loader = loader_class(text)
    builder = _Builder(display, loader)
    try:
        found, data = builder.run()
        return builder, found, data
    except yaml.MarkedYAMLError as exc:
        if loader_class is not _PythonLoader:
            raise
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = f"YAML/JSON syntax error: {exc.problem or exc.context}"
        raise SpecError([Problem(display, message, "", line, column, kind="syntax")]) from None
    except yaml.YAMLError as exc:
        if loader_class is not _PythonLoader:
            raise
        raise SpecError([Problem(display, f"YAML/JSON syntax error: {exc}", kind="syntax")]) from None
    finally:
        loader.dispose()


_STR = "tag:yaml.org,2002:str"
_MAP_TAGS = (None, "!", "tag:yaml.org,2002:map")
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")
_NO_KEY = object()
_SKIP = object()


class _Frame:
    """A mapping or sequence being built, with its expanded size and height so far."""

    __slots__ = ("value", "pointer", "anchor", "count", "height", "key", "mark")

    def __init__(self, value: Any, pointer: str, anchor: str | None, mark: Any) -> None:
        self.value = value
        self.pointer = pointer
        self.anchor = anchor
        self.count = 1
        self.height = 1
        self.key: Any = _NO_KEY
        self.mark = mark


class _Builder:
    """Builds plain data straight from parser events, with no recursion.

    PyYAML's (C) composer recurses once per nesting level and crashes the interpreter on deep
    input; here the parser's events drive an explicit stack, so nesting is refused at MAX_DEPTH.
    An alias is not copied: it reuses the anchored value, whose expanded size and height are known,
    so an alias bomb is refused by arithmetic before anything is expanded.
    """

    def __init__(self, display: str, loader: Any) -> None:
        self.display = display
        self.loader = loader
        self.positions: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.visited = 0
        # anchor -> (value, expanded node count, height); None while the anchored node is open.
        self.anchors: dict[str, tuple[Any, int, int] | None] = {}

    def fail(self, message: str, pointer: str, mark: Any, kind: str = "syntax") -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        self.problems.append(Problem(self.display, message, pointer, line, column, kind))

    def fatal(self, message: str, pointer: str, mark: Any, kind: str = "syntax") -> None:
        self.fail(message, pointer, mark, kind)
        raise SpecError(self.problems)

    def run(self) -> tuple[bool, Any]:
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            loader.get_event()
            return False, None
        loader.get_event()  # DocumentStart
        data = self._document()
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise yaml.MarkedYAMLError(
                "expected a single document in the stream", None, "but found another document", event.start_mark
            )
        loader.get_event()
        return True, data

    def _child_pointer(self, stack: list[_Frame], mark: Any) -> str:
        if not stack:
            return ""
        top = stack[-1]
        if isinstance(top.value, list):
            pointer = pointer_join(top.pointer, len(top.value))
            self.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))
            return pointer
        if top.key is _NO_KEY or top.key is _SKIP:
            return top.pointer  # a key (or a value being dropped): located at its mapping
        return pointer_join(top.pointer, top.key)

    def _document(self) -> Any:
        loader = self.loader
        stack: list[_Frame] = []
        result: Any = None
        while True:
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                pointer = self._child_pointer(stack, mark)
                self.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))
                self._count(1, pointer, mark)
                if len(stack) >= MAX_DEPTH:
                    self.fatal(f"nesting deeper than {MAX_DEPTH} levels", pointer, mark, "limit")
                is_map = isinstance(event, yaml.MappingStartEvent)
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    self.fail(f"unsupported YAML tag {event.tag!r}", pointer, mark)
                if event.anchor is not None:
                    self.anchors[event.anchor] = None
                stack.append(_Frame({} if is_map else [], pointer, event.anchor, mark))
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, frame.count, frame.height)
                done: tuple[Any, int, int] = (frame.value, frame.count, frame.height)
            elif isinstance(event, yaml.AliasEvent):
                pointer = self._child_pointer(stack, mark)
                self.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))
                if event.anchor not in self.anchors:
                    self.fatal(f"undefined alias *{event.anchor}", pointer, mark)
                anchored = self.anchors[event.anchor]
                if anchored is None:
                    self.fatal(f"alias *{event.anchor} refers to a node that contains it (a recursive alias)", pointer, mark)
                assert anchored is not None
                self._count(anchored[1], pointer, mark)
                if len(stack) + anchored[2] > MAX_DEPTH:
                    self.fatal(f"nesting deeper than {MAX_DEPTH} levels (through alias *{event.anchor})", pointer, mark, "limit")
                done = anchored
            elif isinstance(event, yaml.ScalarEvent):
                pointer = self._child_pointer(stack, mark)
                self.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))
                self._count(1, pointer, mark)
                value = self._scalar(event, pointer, stack)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
                done = (value, 1, 0)
            else:  # pragma: no cover - the parser emits nothing else inside a document
                raise yaml.MarkedYAMLError("unexpected YAML event", None, type(event).__name__, mark)
            if not stack:
                return done[0]
            self._attach(stack[-1], done, mark)

    def _count(self, nodes: int, pointer: str, mark: Any) -> None:
        self.visited += nodes
        if self.visited > MAX_NODES:
            self.fatal(f"document expands to more than {MAX_NODES} nodes (alias bomb?)", pointer, mark, "limit")

    def _attach(self, parent: _Frame, done: tuple[Any, int, int], mark: Any) -> None:
        value, count, height = done
        parent.count += count
        parent.height = max(parent.height, height + 1)
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if parent.key is _NO_KEY:
            parent.key = self._key(parent, value, mark)
            return
        if parent.key is not _SKIP:
            parent.value[parent.key] = value
        parent.key = _NO_KEY

    def _key(self, parent: _Frame, key: Any, mark: Any) -> Any:
        if key is _MERGE:
            self.fail("YAML merge keys (<<) are not supported", parent.pointer, mark)
            return _SKIP
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            shown = repr(key) if isinstance(key, _SCALARS) else f"of type {type(key).__name__}"
            self.fail(f"mapping key {shown} is not a string", parent.pointer, mark)
            return _SKIP
        key = str(key)
        child = pointer_join(parent.pointer, key)
        if key in parent.value:
            self.fail(f"duplicate key {key!r}", child, mark)
            return _SKIP
        self.positions[child] = (mark.line + 1, mark.column + 1)
        return key

    def _scalar(self, event: Any, pointer: str, stack: list[_Frame]) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        if tag == "tag:yaml.org,2002:merge" and stack and isinstance(stack[-1].value, dict) and stack[-1].key is _NO_KEY:
            return _MERGE
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.fail(f"unsupported YAML value: {getattr(exc, 'problem', None) or exc}", pointer, event.start_mark)
            return None
        if not isinstance(value, _SCALARS):
            self.fail(f"unsupported YAML value of type {type(value).__name__}", pointer, event.start_mark)
            return None
        return value


_MERGE = object()
