"""The type tree: what a value of a schema may be, as structure. Annotations are rendered from it by one function,
and every later question (is it a list, a union, an id of which kind, which names does it use) is asked of the
tree, never of the rendered text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Primitive:
    name: str  # the Python type: str, int, float, bool, bytes, datetime, date, UUID


@dataclass(frozen=True)
class Named:
    name: str  # a generated class or alias
    kind: str  # "model", "enum" or "alias"


@dataclass(frozen=True)
class Const:
    value: str  # Python literal of the one value


@dataclass(frozen=True)
class ListOf:
    item: TypeNode


@dataclass(frozen=True)
class MapOf:
    value: TypeNode  # keys are strings


@dataclass(frozen=True)
class UnionOf:
    members: tuple[TypeNode, ...]  # two or more, none of them None or Any


@dataclass(frozen=True)
class Nullable:
    inner: TypeNode  # the value, or null


@dataclass(frozen=True)
class AnyValue:
    pass


@dataclass(frozen=True)
class NoneValue:
    pass


@dataclass(frozen=True)
class FileValue:
    """Binary content: an uploaded file (`format: binary`, or 3.1's `contentMediaType`), or a whole binary body."""


TypeNode = Primitive | Named | Const | ListOf | MapOf | UnionOf | Nullable | AnyValue | NoneValue | FileValue

ANY = AnyValue()
NONE = NoneValue()
FILE = FileValue()

# As an argument, read-only containers accept a list of a subtype, and a UUID also accepts its text.
_INPUT_PRIMITIVES = {"UUID": "UUID | str"}


def render(node: TypeNode, *, argument: bool = False, enums: Mapping[str, str] | None = None) -> str:
    """The annotation of `node`. `argument` renders it as a parameter accepts it: `Sequence`/`Mapping` for lists and
    maps, `UUID | str` for a UUID, and an enum named in `enums` (class -> the literals of its values) also as its
    values, `Mode | Literal['fast', 'slow']`."""
    return _render(node, argument, enums or {})


def _render(node: TypeNode, argument: bool, enums: Mapping[str, str]) -> str:
    if isinstance(node, Primitive):
        return _INPUT_PRIMITIVES.get(node.name, node.name) if argument else node.name
    if isinstance(node, Named):
        return f"{node.name} | Literal[{enums[node.name]}]" if argument and node.name in enums else node.name
    if isinstance(node, Const):
        return f"Literal[{node.value}]"
    if isinstance(node, ListOf):
        return f"{'Sequence' if argument else 'List'}[{_render(node.item, argument, enums)}]"
    if isinstance(node, MapOf):
        return f"{'Mapping' if argument else 'Dict'}[str, {_render(node.value, argument, enums)}]"
    if isinstance(node, UnionOf):
        return " | ".join(_render(member, argument, enums) for member in node.members)
    if isinstance(node, Nullable):
        return f"{_render(node.inner, argument, enums)} | None"
    if isinstance(node, AnyValue):
        return "Any"
    if isinstance(node, FileValue):
        return "_rt.File"  # each runtime's own: what a client sends, what a server receives
    return "None"


def walk(node: TypeNode) -> Iterator[TypeNode]:
    """`node` and every node inside it."""
    yield node
    if isinstance(node, ListOf):
        yield from walk(node.item)
    elif isinstance(node, MapOf):
        yield from walk(node.value)
    elif isinstance(node, UnionOf):
        for member in node.members:
            yield from walk(member)
    elif isinstance(node, Nullable):
        yield from walk(node.inner)


def or_none(node: TypeNode, nullable: bool) -> TypeNode:
    """`node`, or null too (Any and None already include null)."""
    return Nullable(node) if nullable and not isinstance(node, (AnyValue, NoneValue, Nullable)) else node


def substitute(node: TypeNode, names: frozenset[str]) -> TypeNode:
    """`node` with every reference to one of `names` replaced by Any (a reference that would close a cycle)."""
    if isinstance(node, Named) and node.name in names:
        return ANY
    if isinstance(node, ListOf):
        return ListOf(substitute(node.item, names))
    if isinstance(node, MapOf):
        return MapOf(substitute(node.value, names))
    if isinstance(node, UnionOf):
        return UnionOf(tuple(substitute(member, names) for member in node.members))
    if isinstance(node, Nullable):
        return Nullable(substitute(node.inner, names))
    return node


def named(node: TypeNode) -> set[str]:
    """The generated classes and aliases `node` refers to."""
    return {n.name for n in walk(node) if isinstance(n, Named)}


def is_primitive(node: TypeNode, *names: str) -> bool:
    return isinstance(node, Primitive) and node.name in names
