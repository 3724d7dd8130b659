"""Reference pass: check every $ref before anything follows one.

Refused: URLs (never fetched), files outside the document's folder, pointers that resolve to
nothing, and cycles made only of references. Relative file references inside the folder are
inlined, so later stages see one self-contained document.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from generator.errors import Problem, SpecError, pointer_join, pointer_parts
from generator.load import MAX_BYTES, MAX_DEPTH, MAX_NODES, Document, load_document

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
MAX_FILES = 64
# Paths through schema composition (allOf/anyOf/oneOf/items/not, references followed) from any one
# schema. The OpenAPI validator and the model walk these paths without memory, so ten allOf references
# to a schema that itself has ten, nine levels deep, would take 10^9 steps.
MAX_FANOUT = 100_000
_COMPOSED = ("allOf", "anyOf", "oneOf")
# A mapping under one of these keys maps names to objects: its own `$ref` or `$id` key is a name (a property
# called "$ref"), never a reference. Under LITERALS sit values, which hold no references whatever their keys.
NAME_MAPS = frozenset({"properties", "patternProperties"})
LITERALS = frozenset({"example", "default", "enum", "const"})


def child_context(key: str, pointer: str) -> bool | None:
    """For a child of an object (not of a name map): True when the child is a name map, None when it is a value
    to leave alone, False when it is an object like any other."""
    if key in LITERALS:
        return None
    return key in NAME_MAPS or pointer == "/components"


def resolve_pointer(data: Any, pointer: str) -> Any:
    """Follow a JSON pointer such as '#/components/schemas/Pet'; KeyError when absent."""
    node = data
    for part in pointer_parts(pointer):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(pointer)
    return node


def deref(data: Any, node: Any) -> Any:
    """The node a chain of local `$ref`s names (the node itself when it is no reference); {} when one does
    not resolve. Bounded: check_refs has already refused cycles made only of references."""
    hops = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#") and hops < 64:
        try:
            node = resolve_pointer(data, node["$ref"])
        except KeyError:
            return {}
        hops += 1
    return node


def check_refs(doc: Document) -> Document:
    """Return the document with file references inlined; raise SpecError listing every bad $ref."""
    root = os.path.dirname(os.path.realpath(doc.path)) if os.path.exists(doc.path) else os.getcwd()
    walk = _Walk(doc, root)
    data = walk.walk(doc, doc.data, "", (), 0)
    problems = walk.problems
    if not problems:
        _check_local(doc, data, problems)
    if not problems:
        _check_fanout(doc, data, problems)
    if not problems:
        _check_allof_cycles(doc, data, problems)
    if problems:
        raise SpecError(problems)
    inlined = tuple(
        (joined, target, walk.cache[target].digest) for joined, target in sorted(walk.resolved.items()) if target in walk.cache
    )
    return Document(doc.path, data, doc.positions, doc.digest, inlined)


class _Walk:
    """Copies the document, inlining file references, within a budget of nodes, depth and bytes.

    Inlining copies a target at every place that refers to it, so references inside referenced files
    could multiply (ten refs to a node holding ten refs ...): the copy is refused past MAX_NODES.
    """

    def __init__(self, top: Document, root: str) -> None:
        self.top = top
        self.root = root
        self.cache: dict[str, Document] = {}
        self.resolved: dict[str, str] = {}  # each file reference as written, made absolute -> the file it reached
        self.problems: list[Problem] = []
        self.nodes = 0
        self.bytes = 0
        self.done: dict[str, tuple[Any, int]] = {}  # file#pointer -> (inlined value, its node count)

    def fatal(self, here: Document, message: str, pointer: str) -> None:
        self.problems.append(here.problem(message, pointer, "limit"))
        raise SpecError(self.problems)

    def walk(self, here: Document, node: Any, pointer: str, stack: tuple[str, ...], depth: int, names: bool = False) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fatal(here, f"references expand the document to more than {MAX_NODES} nodes", pointer)
        if depth > MAX_DEPTH:
            self.fatal(here, f"references nest the document deeper than {MAX_DEPTH} levels", pointer)
        if isinstance(node, list):
            return [self.walk(here, v, pointer_join(pointer, i), stack, depth + 1) for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        if names:
            return {k: self.walk(here, v, pointer_join(pointer, k), stack, depth + 1) for k, v in node.items()}
        ref = node.get("$ref")
        if "$ref" in node and not isinstance(ref, str):
            self.problems.append(here.problem("$ref must be a string", pointer_join(pointer, "$ref"), "reference"))
            return node
        if isinstance(ref, str) and not ref.startswith("#"):
            return self.inline_file(here, node, ref, pointer, stack, depth)
        if isinstance(ref, str) and here is not self.top:
            # A local pointer inside an inlined file refers to that file: inline its target too.
            return self.inline_target(here, ref, pointer, stack, depth)
        walked: dict[str, Any] = {}
        for key, value in node.items():
            context = child_context(key, pointer)
            at = pointer_join(pointer, key)
            walked[key] = value if context is None else self.walk(here, value, at, stack, depth + 1, context)
        return walked

    def inline_file(self, here: Document, node: dict[str, Any], ref: str, pointer: str, stack: tuple[str, ...], depth: int) -> Any:
        at = pointer_join(pointer, "$ref")
        if _SCHEME.match(ref):
            self.problems.append(here.problem(f"remote $ref {ref!r} refused: references are never fetched", at, "reference"))
            return node
        file_part, _, fragment = ref.partition("#")
        joined = os.path.abspath(os.path.join(os.path.dirname(os.path.realpath(here.path)), file_part))
        target = os.path.realpath(joined)
        self.resolved[joined] = target
        if os.path.commonpath([self.root, target]) != self.root:
            self.problems.append(here.problem(f"$ref {ref!r} leaves the document's folder; refused", at, "reference"))
            return node
        if target not in self.cache:
            if len(self.cache) >= MAX_FILES:
                self.problems.append(here.problem(f"more than {MAX_FILES} referenced files", at, "limit"))
                return node
            if not os.path.isfile(target):
                self.problems.append(here.problem(f"$ref {ref!r}: no such file", at, "reference"))
                return node
            self.bytes += os.path.getsize(target)
            if self.bytes > MAX_BYTES:
                self.fatal(here, f"referenced files add up to more than {MAX_BYTES} bytes", at)
            try:
                self.cache[target] = load_document(target)
            except SpecError as exc:
                self.problems.extend(exc.problems)
                return node
        return self.inline_target(self.cache[target], "#" + fragment, pointer, stack, depth)

    def inline_target(self, here: Document, ref: str, pointer: str, stack: tuple[str, ...], depth: int) -> Any:
        key = f"{here.path}{ref}"
        if key in stack:
            self.problems.append(here.problem(f"$ref {ref!r} in a referenced file is recursive; not supported", ref.lstrip("#"), "reference"))
            return {}
        if key in self.done:  # inlined before: the same value again, its size counted without copying it
            value, size = self.done[key]
            self.nodes += size
            if self.nodes > MAX_NODES:
                self.fatal(here, f"references expand the document to more than {MAX_NODES} nodes", ref.lstrip("#"))
            return value
        try:
            target = resolve_pointer(here.data, ref)
        except KeyError:
            self.problems.append(here.problem(f"$ref {ref!r} does not resolve in {here.path}", pointer_join(pointer, "$ref"), "reference"))
            return {}
        before = self.nodes
        value = self.walk(here, target, ref.lstrip("#"), stack + (key,), depth + 1)
        self.done[key] = (value, self.nodes - before)
        return value


def _check_local(doc: Document, data: Any, problems: list[Problem]) -> None:
    """Every local $ref must resolve, and no chain of pure references may loop."""
    for pointer, ref in _local_refs(data, ""):
        if not pointer_parts(ref):
            problems.append(doc.problem(f"$ref {ref!r} points at the whole document, which contains it", pointer_join(pointer, "$ref"), "reference"))
            continue
        try:
            resolve_pointer(data, ref)
        except KeyError:
            problems.append(doc.problem(f"$ref {ref!r} does not resolve", pointer_join(pointer, "$ref"), "reference"))
            continue
        seen = [ref]
        target = resolve_pointer(data, ref)
        while isinstance(target, dict) and isinstance(target.get("$ref"), str) and target["$ref"].startswith("#"):
            nxt = target["$ref"]
            if nxt in seen:
                chain = " -> ".join(seen + [nxt])
                problems.append(doc.problem(f"$ref cycle with no object between: {chain}", pointer_join(pointer, "$ref"), "reference"))
                break
            seen.append(nxt)
            try:
                target = resolve_pointer(data, nxt)
            except KeyError:
                break


def objects(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object of the document below `node` with its pointer: not the name maps (`properties`, `schemas`…),
    whose keys are names, and nothing inside a value such as an `example` or an `enum` (a property may still be
    called `example`)."""
    stack: list[tuple[Any, str, bool]] = [(node, pointer, False)]
    while stack:
        current, at, names = stack.pop()
        if isinstance(current, dict) and names:
            stack.extend((v, pointer_join(at, k), False) for k, v in current.items())
        elif isinstance(current, dict):
            yield at, current
            for key, value in current.items():
                context = child_context(key, at)
                if context is not None:
                    stack.append((value, pointer_join(at, key), context))
        elif isinstance(current, list):
            stack.extend((v, pointer_join(at, i), False) for i, v in enumerate(current))


def _local_refs(node: Any, pointer: str) -> list[tuple[str, str]]:
    found = [(at, ref) for at, current in objects(node, pointer) if isinstance(ref := current.get("$ref"), str)]
    return sorted((at, ref) for at, ref in found if ref.startswith("#"))


def _composed(node: dict[str, Any]) -> list[Any]:
    children: list[Any] = []
    for key in _COMPOSED:
        if isinstance(node.get(key), list):
            children.extend(node[key])
    items = node.get("items")
    children.extend(items if isinstance(items, list) else [items] if isinstance(items, dict) else [])
    if isinstance(node.get("not"), dict):
        children.append(node["not"])
    return children


def _follow(data: Any, node: Any) -> dict[str, Any] | None:
    target = deref(data, node)
    return target if isinstance(target, dict) else None


def _check_fanout(doc: Document, data: Any, problems: list[Problem]) -> None:
    """Refuse a reference bomb: a schema whose composition, references followed, has too many paths.

    Counted once per schema (memoised, iterative); a reference back to a schema being counted (legit
    recursion) counts as one.
    """
    counts: dict[int, int] = {}
    open_ = -1
    end = object()
    for pointer, start in _dicts(data):
        if id(start) in counts:
            continue
        counts[id(start)] = open_
        stack: list[list[Any]] = [[start, iter(_composed(start)), 1]]
        while stack:
            frame = stack[-1]
            child = next(frame[1], end)
            if child is end:
                stack.pop()
                counts[id(frame[0])] = frame[2]
                if stack:
                    stack[-1][2] += frame[2]
                if frame[2] > MAX_FANOUT:
                    message = f"schema composition (allOf/anyOf/oneOf/items) expands to more than {MAX_FANOUT} paths (a reference bomb?)"
                    problems.append(doc.problem(message, pointer, "reference"))
                    return
                continue
            target = _follow(data, child)
            if target is None or counts.get(id(target)) == open_:
                frame[2] += 1
            elif id(target) in counts:
                frame[2] += counts[id(target)]
            else:
                counts[id(target)] = open_
                stack.append([target, iter(_composed(target)), 1])


def _dicts(node: Any) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        current, at = stack.pop()
        if isinstance(current, dict):
            found.append((at, current))
            stack.extend((v, pointer_join(at, k)) for k, v in current.items())
        elif isinstance(current, list):
            stack.extend((v, pointer_join(at, i)) for i, v in enumerate(current))
    found.sort(key=lambda pair: pair[0])
    return found


def _check_allof_cycles(doc: Document, data: Any, problems: list[Problem]) -> None:
    """A schema that is, through allOf references, part of itself has no meaning and no end: refuse it."""
    state: dict[str, int] = {}  # pointer -> 1 while being walked, 2 when done
    for start, node in _dicts(data):
        if start in state or not isinstance(node.get("allOf"), list):
            continue
        path: list[str] = [start]
        state[start] = 1
        stack: list[tuple[str, Any]] = [(start, iter(_allof_members(data, start, node)))]
        while stack:
            at, members = stack[-1]
            step = next(members, None)
            if step is None:
                stack.pop()
                path.pop()
                state[at] = 2
                continue
            target_at, target = step
            if state.get(target_at) == 1:
                chain = " -> ".join("#" + p for p in path[path.index(target_at):] + [target_at])
                problems.append(doc.problem(f"allOf cycle: a schema composed of itself: {chain}", target_at, "reference"))
                return
            if target_at not in state:
                state[target_at] = 1
                path.append(target_at)
                stack.append((target_at, iter(_allof_members(data, target_at, target))))


def _allof_members(data: Any, pointer: str, node: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    members = []
    all_of = node.get("allOf")
    for index, member in enumerate(all_of if isinstance(all_of, list) else []):
        at = pointer_join(pointer_join(pointer, "allOf"), index)
        hops = 0
        while isinstance(member, dict) and isinstance(member.get("$ref"), str) and member["$ref"].startswith("#") and hops < 64:
            at = member["$ref"][1:]
            try:
                member = resolve_pointer(data, member["$ref"])
            except KeyError:
                member = None
            hops += 1
        if isinstance(member, dict):
            members.append((at, member))
    return members
