"""Each generated module's imports, decided from the source the model gives it: nothing unused is imported."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.model.ir import Alias, EnumClass, ModelClass, Resource

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# module -> names it provides, in the order imports are written (standard library, then third party).
_SOURCES = (
    ("collections.abc", ("AsyncIterator", "Iterator", "Mapping", "Sequence")),
    ("contextlib", ("AbstractAsyncContextManager", "AbstractContextManager")),
    ("datetime", ("date", "datetime")),
    ("enum", ("Enum",)),
    ("typing", ("Annotated", "Any", "ClassVar", "Dict", "List", "Literal", "TypeAlias", "cast")),
    ("uuid", ("UUID",)),
    ("fastapi", ("APIRouter", "FastAPI")),
    ("pydantic", ("Field",)),
)
_STANDARD = {"collections.abc", "contextlib", "datetime", "enum", "typing", "uuid"}
_ALIASES = {"AbstractAsyncContextManager": "AsyncContextManager", "AbstractContextManager": "ContextManager"}


def identifiers(source: str) -> set[str]:
    """The names a piece of source uses (string contents included: a superset is harmless here)."""
    return set(_IDENTIFIER.findall(source))


def import_lines(snippets: Iterable[str]) -> tuple[str, ...]:
    """`from typing import Any, List` lines for the names the snippets use: the standard library, a blank
    line, third-party packages, and a closing blank line before the module's own imports."""
    used = {name for snippet in snippets for name in identifiers(snippet)}
    groups: dict[bool, list[str]] = {True: [], False: []}
    for module, provided in _SOURCES:
        lines = groups[module in _STANDARD]
        wanted = [
            f"{name} as {_ALIASES[name]}" if name in _ALIASES else name
            for name in provided
            if (_ALIASES.get(name, name)) in used
        ]
        lines += [f"from {module} import {name}" for name in wanted] if module == "contextlib" else (
            [f"from {module} import {', '.join(wanted)}"] if wanted else []
        )
    blocks = [group for group in (groups[True], groups[False]) if group]
    return tuple(line for block in blocks for line in [*block, ""])


def used_models(snippets: Iterable[str], model_names: tuple[str, ...]) -> tuple[str, ...]:
    used = {name for snippet in snippets for name in identifiers(snippet)}
    return tuple(sorted(name for name in model_names if name in used))


def models_snippets(models: tuple[ModelClass, ...], enums: tuple[EnumClass, ...], aliases: tuple[Alias, ...]) -> list[str]:
    snippets = [f"{f.annotation} {f.default}" for m in models for f in m.fields]
    snippets += [f"TypeAlias {a.type_expr}" for a in aliases]
    snippets += ["Enum"] if enums else []
    return snippets


def client_snippets(resources: tuple[Resource, ...]) -> list[str]:
    snippets = ["ClassVar"]
    for op in (op for r in resources for op in r.operations):
        snippets += [op.client_signature, op.result_annotation, op.client_call, "cast" if op.client_cast else ""]
        if op.pagination:
            snippets += [op.pagination.item_type, op.page_call, "Iterator AsyncIterator"]
        if op.stream_name:
            snippets += ["ContextManager AsyncContextManager"]
    return snippets


def requests_snippets(resources: tuple[Resource, ...]) -> list[str]:
    ops = [op for r in resources for op in r.operations]
    return [p.request_field for op in ops for p in op.params] + [op.body.type_expr for op in ops if op.body]


def interface_snippets(resources: tuple[Resource, ...]) -> list[str]:
    return [op.server_result for r in resources for op in r.operations]


def memory_snippets(resources: tuple[Resource, ...]) -> list[str]:
    ops = [op for r in resources for op in r.operations if op.behaviour.memory_call != "unsupported"]
    return [f"{op.server_result} {op.behaviour.memory_args}" for op in ops]


def app_snippets(resources: tuple[Resource, ...]) -> list[str]:
    return ["APIRouter FastAPI Mapping"] + [op.body.type_expr for r in resources for op in r.operations if op.body]
