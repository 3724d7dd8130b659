"""Each generated module's imports, collected from the type trees and facts of what it prints: nothing unused."""

from __future__ import annotations

from collections.abc import Iterable

from generator.python import layout
from generator.python.annotation import Events, PythonClass, python_name
from generator.python.ir import Alias, EnumClass, Field, ModelClass, Operation, Resource
from generator.api.types import AnyValue, Const, FileValue, ListOf, MapOf, Named, Primitive, TypeNode, UnionOf, walk

# module -> names it provides, in the order imports are written (standard library, then third party).
_SOURCES = (
    ("collections.abc", ("AsyncIterator", "Iterator", "Mapping", "Sequence")),
    ("contextlib", ("AbstractAsyncContextManager", "AbstractContextManager")),
    ("datetime", ("date", "datetime")),
    ("enum", ("Enum",)),
    ("typing", ("Annotated", "Any", "ClassVar", "Dict", "List", "Literal", "TypeAlias", "Unpack", "cast", "overload")),
    ("uuid", ("UUID",)),
    ("fastapi", ("APIRouter", "FastAPI")),
    ("pydantic", ("Field",)),
)
_STANDARD = {"collections.abc", "contextlib", "datetime", "enum", "typing", "uuid"}
_ALIASES = {"AbstractAsyncContextManager": "AsyncContextManager", "AbstractContextManager": "ContextManager"}
_IMPORTED_PRIMITIVES = {"date", "datetime", "UUID"}


def uses(node: TypeNode, *, argument: bool = False) -> set[str]:
    """The names an annotation rendered from `node` uses: typing and standard-library names, generated classes."""
    found: set[str] = set()
    for part in walk(node):
        if isinstance(part, Primitive) and python_name(part) in _IMPORTED_PRIMITIVES:
            found.add(python_name(part))
        elif isinstance(part, ListOf):
            found.add("Sequence" if argument else "List")
        elif isinstance(part, MapOf):
            found.add("Mapping" if argument else "Dict")
        elif isinstance(part, Const):
            found.add("Literal")
        elif isinstance(part, AnyValue):
            found.add("Any")
        elif isinstance(part, UnionOf) and part.discriminator is not None and not argument:
            found.add("Annotated")
        elif isinstance(part, Named):
            found.add(part.name)
            if argument and part.kind == "enum":
                found.add("Literal")  # an enum argument also takes its values (annotation.render)
    return found


def import_lines(used: set[str]) -> tuple[str, ...]:
    """`from typing import Any, List` lines for the names used: the standard library, a blank line, third-party
    packages, and a closing blank line before the module's own imports."""
    groups: dict[bool, list[str]] = {True: [], False: []}
    for module, provided in _SOURCES:
        lines = groups[module in _STANDARD]
        wanted = [
            f"{name} as {_ALIASES[name]}" if name in _ALIASES else name
            for name in provided
            if (_ALIASES.get(name, name)) in used
        ]
        lines += [f"from {module} import {name}" for name in wanted] if module == "contextlib" else (
            [layout.import_from(module, tuple(wanted))] if wanted else []
        )
    blocks = [group for group in (groups[True], groups[False]) if group]
    return tuple(line for block in blocks for line in [*block, ""])


def used_models(used: set[str], model_names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(name for name in model_names if name in used))


def models_import(names: tuple[str, ...]) -> str:
    """`from .models import …` for `names`, as black prints it; "" for none."""
    return layout.import_from(".models", names) if names else ""


def _field(field: Field, *, argument: bool = False) -> set[str]:
    found = uses(field.type, argument=argument)
    if not argument and not field.required and not field.nullable:
        found.add("Annotated")  # Annotated[X | None, _rt.NotNull]
    if not argument and field.extras:
        found.add("Field")
    return found


def models_uses(models: tuple[ModelClass, ...], enums: tuple[EnumClass, ...], aliases: tuple[Alias, ...]) -> set[str]:
    found = {name for m in models for f in m.fields for name in _field(f)}
    for alias in aliases:
        found |= {"TypeAlias"} | uses(alias.type)
    return found | ({"Enum"} if enums else set())


def _signature(op: Operation, *, with_body: bool) -> set[str]:
    found = {"Unpack"}  # **options: Unpack[_rt.RequestOptions]
    for param in op.params:
        found |= uses(param.type, argument=True)
    if with_body and op.body is not None:
        found |= uses(op.body.type, argument=True)
        for field in op.body.fields:
            found |= uses(field.type, argument=True)
    return found


def client_uses(resources: tuple[Resource, ...]) -> set[str]:
    found = {"ClassVar"}
    for op in (op for r in resources for op in r.operations):
        found |= _signature(op, with_body=True) | uses(op.result)
        found |= {"cast"} if op.client.cast else set()
        found |= {op.error_model} if op.error_model else set()
        found |= {"overload"} if op.client.sync.overloads else set()
        if op.pagination:
            found |= uses(op.pagination.item) | _signature(op, with_body=False) | {"Iterator", "AsyncIterator"}
        if op.client.stream_name:
            found |= {"ContextManager", "AsyncContextManager"}
        if op.events_item is not None:
            found |= uses(op.events_item)
    return found


def _operations(resources: tuple[Resource, ...]) -> Iterable[Operation]:
    return (op for r in resources for op in r.operations)


def requests_uses(resources: tuple[Resource, ...]) -> set[str]:
    found: set[str] = set()
    for op in _operations(resources):
        for param in op.params:
            found |= uses(param.type) | ({"Field"} if param.needs_alias else set())
        found |= uses(op.body.type) if op.body else set()
    return found


def _server_result(op: Operation) -> set[str]:
    """The names the interface method's return uses (runtime classes are reached through `_rt`)."""
    parts = op.server.result_parts
    return {name for p in parts if not isinstance(p, PythonClass) for name in uses(p.item if isinstance(p, Events) else p)}


def interface_uses(resources: tuple[Resource, ...]) -> set[str]:
    return {name for op in _operations(resources) for name in _server_result(op)}


def memory_uses(resources: tuple[Resource, ...]) -> set[str]:
    found: set[str] = set()
    for op in _operations(resources):
        if op.server.behaviour.memory_call != "unsupported":
            found |= _server_result(op) | ({op.server.behaviour.result_model} if op.server.behaviour.result_model else set())
    return found


def app_uses(resources: tuple[Resource, ...]) -> set[str]:
    found = {"APIRouter", "FastAPI", "Mapping"}
    found |= {op.error_model for op in _operations(resources) if op.error_model}
    return found | {name for op in _operations(resources) if op.body for name in uses(op.body.type)}


def media_exports(resources: tuple[Resource, ...], models: tuple[ModelClass, ...]) -> dict[str, tuple[str, ...]]:
    """The runtime's media names each package re-exports: file types where a file is sent, event types where an
    answer may be an event stream."""
    trees = [f.type for m in models for f in m.fields] + [op.body.type for op in _operations(resources) if op.body]
    files = any(isinstance(node, FileValue) for tree in trees for node in walk(tree))
    events = any(op.events_item is not None for op in _operations(resources))
    client = (("AsyncEventStream", "Event", "EventStream") if events else ()) + (("File",) if files else ())
    server = (("ServerEvent",) if events else ()) + (("UploadedFile",) if files else ())
    return {"client": client, "server": server}
