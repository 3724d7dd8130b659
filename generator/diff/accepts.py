"""What one place of the Python surface accepts or yields, compared as type trees.

A client parameter accepts more than its tree says: a read-only container of a subtype, a UUID's text, an enum's
values. So each place is first put in one normal form: its alternatives as a set (a union flattened, null one
alternative, every literal value in one set, containers holding the normal form of what they contain); then one
form accepts another when each alternative of the other is accepted by one of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.python.annotation import Events, Part, PythonClass, render
from generator.python.text import literal
from generator.api.types import (
    NONE, STRING, AnyValue, Const, ListOf, MapOf, Named, Nullable, Primitive, TypeNode, UnionOf, is_primitive,
    walk,
)


@dataclass(frozen=True)
class Typed:
    """The type of one place: its alternatives as printed (a return may be a model or events), whether it is a client
    method's parameter, and for a parameter the values of each enum it names (Python literals), which it accepts too."""

    parts: tuple[Part, ...]
    argument: bool = False
    enums: tuple[tuple[str, tuple[str, ...]], ...] = ()


def argument(node: TypeNode, enum_values: Mapping[str, tuple[str, ...]]) -> Typed:
    """`node` as a client method's parameter accepts it."""
    used = sorted({n.name for n in walk(node) if isinstance(n, Named) and n.name in enum_values})
    return Typed((node,), True, tuple((name, enum_values[name]) for name in used))


def value(*parts: Part) -> Typed:
    """A value as a model field, a request field or a return holds it."""
    return Typed(parts)


def text(typed: Typed) -> str:
    """The annotation as printed (without `_rt.Unset`: whether an argument may be left out is `required`), its
    string literals in the records' quotes (text.literal)."""
    enums = {name: ", ".join(values) for name, values in typed.enums}
    return " | ".join(_render(part, typed.argument, enums) for part in typed.parts)


def _render(part: Part, as_argument: bool, enums: dict[str, str]) -> str:
    if isinstance(part, PythonClass):
        return part.name
    if isinstance(part, Events):
        return f"_rt.Events[{render(part.item, recorded=True)}]"
    return render(part, argument=as_argument, enums=enums, recorded=True)


def top_names(typed: Typed) -> set[str]:
    """The generated classes the place may be directly (not inside a container)."""
    return {alt.name for alt in normal(typed) if isinstance(alt, ClassName)}


def direction(old: Typed, new: Typed) -> str:
    """"same", "narrowed" (accepts less), "widened" (accepts more) or "changed"."""
    before, after = normal(old), normal(new)
    if before == after:
        return "same"
    wider, narrower = accepts(after, before), accepts(before, after)
    if wider and narrower:
        return "same"
    return "widened" if wider else "narrowed" if narrower else "changed"


# The normal form: a frozenset of alternatives, each a leaf of the tree, a PythonClass or one of these.


@dataclass(frozen=True)
class Container:
    kind: str  # list, map (string keys) or events
    content: frozenset[object]  # the normal form of an item, a value, an event's data


@dataclass(frozen=True)
class ClassName:
    name: str  # a generated class or alias, by its name (a schema that became an alias of the same name is the same name)


@dataclass(frozen=True)
class Literals:
    values: frozenset[str]  # Python literals


def normal(typed: Typed) -> frozenset[object]:
    enums = dict(typed.enums)
    return _form(a for part in typed.parts for a in _alternatives(part, typed.argument, enums))


def _form(alternatives: Iterator[object]) -> frozenset[object]:
    found: set[object] = set()
    values: set[str] = set()
    for alt in alternatives:
        if isinstance(alt, Literals):
            values |= alt.values
        else:
            found.add(alt)
    return frozenset(found | ({Literals(frozenset(values))} if values else set()))


def _alternatives(part: Part, argument: bool, enums: dict[str, tuple[str, ...]]) -> Iterator[object]:
    if isinstance(part, UnionOf):  # a discriminator decides how a value is read, not which values there are
        for member in part.members:
            yield from _alternatives(member, argument, enums)
    elif isinstance(part, Nullable):
        yield from _alternatives(part.inner, argument, enums)
        yield NONE
    elif isinstance(part, Const):
        yield Literals(frozenset({literal(part.value, recorded=True)}))
    elif isinstance(part, ListOf):
        yield Container("list", _form(_alternatives(part.item, argument, enums)))
    elif isinstance(part, MapOf):
        yield Container("map", _form(_alternatives(part.value, argument, enums)))
    elif isinstance(part, Events):
        yield Container("events", _form(_alternatives(part.item, argument, enums)))
    elif isinstance(part, Named):
        yield ClassName(part.name)
        if argument and part.name in enums:
            yield Literals(frozenset(enums[part.name]))  # an enum parameter takes its values too
    else:
        yield part
        if argument and isinstance(part, Primitive) and is_primitive(part, "string", format="uuid"):
            yield STRING  # a UUID parameter takes its text too


def accepts(outer: frozenset[object], inner: frozenset[object]) -> bool:
    """Every value `inner` allows is one `outer` allows."""
    return all(any(_accepts(o, i) for o in outer) for i in inner)


def _accepts(outer: object, inner: object) -> bool:
    if outer == inner or isinstance(outer, AnyValue):
        return True
    if isinstance(outer, Literals) and isinstance(inner, Literals):
        return inner.values <= outer.values
    if isinstance(outer, Container) and isinstance(inner, Container):
        return outer.kind == inner.kind and accepts(outer.content, inner.content)
    return False

