"""Reference pass: check every $ref before anything follows one.

Refused: URLs (never fetched), files outside the document's folder, pointers that resolve to
nothing, and cycles made only of references. Relative file references inside the folder are
inlined, so later stages see one self-contained document.
"""

from __future__ import annotations

import os
import re
from typing import Any

from generator.errors import Problem, SpecError, pointer_join, pointer_parts
from generator.load import Document, load_document

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
MAX_FILES = 64


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


def check_refs(doc: Document) -> Document:
    """Return the document with file references inlined; raise SpecError listing every bad $ref."""
    problems: list[Problem] = []
    root = os.path.dirname(os.path.realpath(doc.path)) if os.path.exists(doc.path) else os.getcwd()
    cache: dict[str, Document] = {}
    data = _walk(doc, doc, doc.data, "", root, cache, problems, ())
    if not problems:
        _check_local(doc, data, problems)
    if problems:
        raise SpecError(problems)
    return Document(doc.path, data, doc.positions)


def _walk(
    top: Document, here: Document, node: Any, pointer: str, root: str,
    cache: dict[str, Document], problems: list[Problem], stack: tuple[str, ...],
) -> Any:
    if isinstance(node, list):
        return [_walk(top, here, v, pointer_join(pointer, i), root, cache, problems, stack) for i, v in enumerate(node)]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if "$ref" in node and not isinstance(ref, str):
        problems.append(here.problem("$ref must be a string", pointer_join(pointer, "$ref")))
        return node
    if isinstance(ref, str) and not ref.startswith("#"):
        return _inline_file(top, here, node, ref, pointer, root, cache, problems, stack)
    if isinstance(ref, str) and here is not top:
        # A local pointer inside an inlined file refers to that file: inline its target too.
        return _inline_target(top, here, ref, pointer, root, cache, problems, stack)
    return {k: _walk(top, here, v, pointer_join(pointer, k), root, cache, problems, stack) for k, v in node.items()}


def _inline_file(
    top: Document, here: Document, node: dict[str, Any], ref: str, pointer: str, root: str,
    cache: dict[str, Document], problems: list[Problem], stack: tuple[str, ...],
) -> Any:
    at = pointer_join(pointer, "$ref")
    if _SCHEME.match(ref):
        problems.append(here.problem(f"remote $ref {ref!r} refused: references are never fetched", at))
        return node
    file_part, _, fragment = ref.partition("#")
    target = os.path.realpath(os.path.join(os.path.dirname(os.path.realpath(here.path)), file_part))
    if os.path.commonpath([root, target]) != root:
        problems.append(here.problem(f"$ref {ref!r} leaves the document's folder; refused", at))
        return node
    if target not in cache:
        if len(cache) >= MAX_FILES:
            problems.append(here.problem(f"more than {MAX_FILES} referenced files", at))
            return node
        if not os.path.isfile(target):
            problems.append(here.problem(f"$ref {ref!r}: no such file", at))
            return node
        try:
            cache[target] = load_document(target)
        except SpecError as exc:
            problems.extend(exc.problems)
            return node
    return _inline_target(top, cache[target], "#" + fragment, pointer, root, cache, problems, stack)


def _inline_target(
    top: Document, here: Document, ref: str, pointer: str, root: str,
    cache: dict[str, Document], problems: list[Problem], stack: tuple[str, ...],
) -> Any:
    key = f"{here.path}{ref}"
    if key in stack:
        problems.append(here.problem(f"$ref {ref!r} in a referenced file is recursive; not supported", pointer))
        return {}
    try:
        target = resolve_pointer(here.data, ref)
    except KeyError:
        problems.append(here.problem(f"$ref {ref!r} does not resolve in {here.path}", pointer_join(pointer, "$ref")))
        return {}
    return _walk(top, here, target, ref.lstrip("#"), root, cache, problems, stack + (key,))


def _check_local(doc: Document, data: Any, problems: list[Problem]) -> None:
    """Every local $ref must resolve, and no chain of pure references may loop."""
    for pointer, ref in _local_refs(data, ""):
        try:
            resolve_pointer(data, ref)
        except KeyError:
            problems.append(doc.problem(f"$ref {ref!r} does not resolve", pointer_join(pointer, "$ref")))
            continue
        seen = [ref]
        target = resolve_pointer(data, ref)
        while isinstance(target, dict) and isinstance(target.get("$ref"), str) and target["$ref"].startswith("#"):
            nxt = target["$ref"]
            if nxt in seen:
                chain = " -> ".join(seen + [nxt])
                problems.append(doc.problem(f"$ref cycle with no object between: {chain}", pointer_join(pointer, "$ref")))
                break
            seen.append(nxt)
            try:
                target = resolve_pointer(data, nxt)
            except KeyError:
                break


def _local_refs(node: Any, pointer: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found.append((at, ref))
            stack.extend((v, pointer_join(at, k)) for k, v in current.items())
        elif isinstance(current, list):
            stack.extend((v, pointer_join(at, i)) for i, v in enumerate(current))
    found.sort()
    return found
