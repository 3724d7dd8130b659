"""Python annotations, rendered from the type tree by one function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.api.types import AnyValue, Const, FileValue, ListOf, MapOf, Named, Nullable, Primitive, TypeNode, UnionOf
from generator.python.text import literal

_PYTHON_PRIMITIVES = {
    ("string", ""): "str", ("string", "date-time"): "datetime", ("string", "date"): "date", ("string", "uuid"): "UUID",
    ("integer", ""): "int", ("number", ""): "float", ("boolean", ""): "bool",
}

# As an argument, read-only containers accept a list of a subtype, and a UUID also accepts its text.
_INPUT_PRIMITIVES = {"UUID": ("UUID", "str")}


def render(
    node: TypeNode, *, argument: bool = False, enums: Mapping[str, str] | None = None, recorded: bool = False
) -> str:
    """The annotation of `node`. `argument` renders it as a parameter accepts it: `Sequence`/`Mapping` for lists and
    maps, `UUID | str` for a UUID, and an enum named in `enums` (class -> the literals of its values) also as its
    values, `Mode | Literal["fast", "slow"]`. `recorded`: its string literals as the change report's records hold
    them (text.literal)."""
    return " | ".join(alternatives(node, argument=argument, enums=enums, recorded=recorded))


def alternatives(
    node: TypeNode, *, argument: bool = False, enums: Mapping[str, str] | None = None, recorded: bool = False
) -> tuple[str, ...]:
    """The annotation of `node` (render) as the alternatives its top-level `|` joins, outside any brackets."""
    enums = enums or {}
    if isinstance(node, UnionOf) and (node.discriminator is None or argument):
        return tuple(alt for m in node.members for alt in alternatives(m, argument=argument, enums=enums, recorded=recorded))
    if isinstance(node, Nullable):
        return (*alternatives(node.inner, argument=argument, enums=enums, recorded=recorded), "None")
    if isinstance(node, Named) and argument and node.name in enums:
        return (node.name, f"Literal[{enums[node.name]}]")
    if isinstance(node, Primitive) and argument and python_name(node) in _INPUT_PRIMITIVES:
        return _INPUT_PRIMITIVES[python_name(node)]
    return (_render(node, argument, enums, recorded),)


def _render(node: TypeNode, argument: bool, enums: Mapping[str, str], recorded: bool) -> str:
    """One alternative (`alternatives` takes apart unions, nullables, enum and UUID arguments)."""

    def inner(child: TypeNode) -> str:
        return render(child, argument=argument, enums=enums, recorded=recorded)

    def quoted(value: object) -> str:
        return literal(value, recorded=recorded)

    if isinstance(node, Primitive):
        return python_name(node)
    if isinstance(node, Named):
        return node.name
    if isinstance(node, Const):
        return f"Literal[{quoted(node.value)}]"
    if isinstance(node, ListOf):
        return f"{'Sequence' if argument else 'List'}[{inner(node.item)}]"
    if isinstance(node, MapOf):
        return f"{'Mapping' if argument else 'Dict'}[str, {inner(node.value)}]"
    if isinstance(node, UnionOf) and node.discriminator is not None and not argument:
        # pydantic picks the member by the property's value (a callable discriminator: members keep plain fields).
        tagged = " | ".join(f"Annotated[{inner(m)}, _rt.Tag({quoted(_name(m))})]" for m in node.members)
        choices = ", ".join(f"{quoted(value)}: {quoted(model)}" for value, model in node.discriminator.tags)
        return f"Annotated[{tagged}, _rt.discriminated({quoted(node.discriminator.property)}, {{{choices}}})]"
    if isinstance(node, AnyValue):
        return "Any"
    if isinstance(node, FileValue):
        return "_rt.File"  # each runtime's own: what a client sends, what a server receives
    return "None"


def _name(node: TypeNode) -> str:
    return node.name if isinstance(node, Named) else ""


def python_name(node: Primitive) -> str:
    """The Python type of a primitive: `str`, `datetime`, `UUID`, `int`..."""
    return _PYTHON_PRIMITIVES.get((node.type, node.format)) or _PYTHON_PRIMITIVES[(node.type, "")]


@dataclass(frozen=True)
class PythonClass:
    """A class a method returns that is no schema's type: `_rt.RawResult`, `_rt.Reply`, `_rt.Binary`, `bytes`."""

    name: str


@dataclass(frozen=True)
class Events:
    """A stream of server-sent events whose data are `item`s."""

    item: TypeNode


# One alternative of what a method returns.
Part = TypeNode | PythonClass | Events


def render_parts(parts: tuple[Part, ...]) -> str:
    """The annotation of a return that may be any of `parts`."""
    return " | ".join(
        p.name if isinstance(p, PythonClass) else f"_rt.Events[{render(p.item)}]" if isinstance(p, Events) else render(p)
        for p in parts
    )
