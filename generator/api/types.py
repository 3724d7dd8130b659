"""The type tree: what a value of a schema may be, as structure, saying nothing about any language. Each target
renders it (the Python annotations: python/annotation.py), and every later question (is it a list, a union, an id
of which kind, which names does it use) is asked of the tree, never of rendered text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass



@dataclass(frozen=True)
class Primitive:
    type: str  # the JSON Schema type: string, integer, number or boolean
    format: str = ""  # only a format that gives the value a type of its own: date-time, date, uuid, binary


@dataclass(frozen=True)
class Named:
    name: str  # the definition's key (api/schemas.py); in a target's views, the class or alias name
    kind: str  # "model", "enum" or "alias"


@dataclass(frozen=True)
class Const:
    value: str | int  # the one value (a bool is an int)


@dataclass(frozen=True)
class ListOf:
    item: TypeNode


@dataclass(frozen=True)
class MapOf:
    value: TypeNode  # keys are strings


@dataclass(frozen=True)
class Discriminator:
    """Which member a value is, told by one property (OpenAPI's discriminator, its implicit mapping made explicit)."""

    property: str  # the property's wire name
    tags: tuple[tuple[str, str], ...]  # (a value of the property, the generated model it selects), document order


@dataclass(frozen=True)
class UnionOf:
    members: tuple[TypeNode, ...]  # two or more, none of them None or Any
    discriminator: Discriminator | None = None  # set only when every member is a generated model it can select


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
STRING = Primitive("string")
FILE = FileValue()
# The formats the generated Python gives a type of their own; every other format is its type's plain value (and
# `binary` is a file: FileValue).
FORMATS = frozenset({"date-time", "date", "uuid"})

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
        members = tuple(substitute(member, names) for member in node.members)
        return UnionOf(members, node.discriminator if members == node.members else None)
    if isinstance(node, Nullable):
        return Nullable(substitute(node.inner, names))
    return node


def named(node: TypeNode) -> set[str]:
    """The generated classes and aliases `node` refers to."""
    return {n.name for n in walk(node) if isinstance(n, Named)}


def is_primitive(node: TypeNode, *json_types: str, format: str | None = None) -> bool:
    """`node` is a value of one of `json_types` (with exactly `format`, when given)."""
    return isinstance(node, Primitive) and node.type in json_types and format in (None, node.format)
