"""Schemas to type trees and definitions, saying nothing about any language.

A schema that becomes a class of its own (an object model, an enum of strings or integers, a component that is
neither, an alias) is a `Definition`; a type tree refers to it by `Named(key, kind)`, its key being its JSON
pointer (a suffix tells apart what one schema gives twice). A definition does not know its name: it carries a
`Hint` (the component's key, or the name of what it was met in plus a suffix) from which the target's naming pass
decides it (python/naming.py). Definitions are kept in the order they are met, which is the order names are given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.api import types
from generator.api.types import (
    ANY, FILE, FORMATS, NONE, Const, Discriminator, ListOf, MapOf, Named, Primitive, TypeNode, UnionOf,
)
from generator.errors import pointer_join
from generator.api.usage import request_only_schemas
from generator.spec.schema import COMPONENT_PREFIX, SchemaReader, SchemaView


@dataclass(frozen=True)
class Hint:
    """What a class's name is made of: the name of `base` (a definition's or an operation's key; nothing when ""),
    then each part, a name from the document (`raw`, which the target spells in its own way, e.g. a property's
    wire name) or fixed text ("Item", "Response", "2"). The target may then respell the whole (`respell`)."""

    base: str
    parts: tuple[tuple[str, bool], ...] = ()  # (text, raw)
    respell: bool = True

    def then(self, text: str, *, raw: bool = False) -> Hint:
        return Hint(self.base, (*self.parts, (text, raw)), self.respell)


@dataclass(frozen=True)
class TypeInfo:
    node: TypeNode  # the value's type, without null
    nullable: bool  # null is a value too
    enums: tuple[str, ...] = ()  # the enum definitions a value of this type may be (a default is one of their members)

    @property
    def full(self) -> TypeNode:
        """The type with null where null is a value."""
        return types.or_none(self.node, self.nullable)


@dataclass(frozen=True)
class Property:
    wire: str  # the JSON property name
    schema: SchemaView  # as written (a $ref stays a $ref); an empty one when the property gives none
    required: bool
    info: TypeInfo

    @property
    def read_only(self) -> bool:
        return self.schema.read_only or self.schema.target.read_only

    @property
    def write_only(self) -> bool:
        return self.schema.write_only or self.schema.target.write_only


@dataclass
class Definition:
    key: str
    kind: str  # model, enum or alias
    hint: Hint
    place: str  # the JSON pointer a finding about its name points at
    schema: SchemaView
    doc: str | None  # the description (or a component's title), raw
    properties: tuple[Property, ...] = ()  # a model's, allOf members merged, in order
    is_input: bool = False  # a request body only: unknown and read-only fields are ignored
    source: str = ""  # a component's request form: that component's key (its fields are the component's)
    request_form: bool = False  # its fields as a request carries them: read-only ones left out
    partial: bool = False  # …a PATCH body: every field optional
    values: tuple[Any, ...] = ()  # an enum's values
    base: str = ""  # an enum's: "str" or "int"
    alias: TypeInfo | None = None  # an alias's type
    component: str = ""  # a component schema's key ("" for any other definition)


@dataclass
class SchemaTypes:
    spec: dict[str, Any]
    reader: SchemaReader
    definitions: dict[str, Definition] = field(default_factory=dict)  # by key, in the order met
    # The order definitions are listed in the output: a component after what its fields define, an inline model
    # before (the same as the order met for everything else).
    listed: list[str] = field(default_factory=list)
    # What is met, in order: ("definition", key), and the markers the caller adds ("operation", key) and
    # ("group", tag); a target names its classes in this order.
    met: list[tuple[str, str]] = field(default_factory=list)
    request_only: frozenset[str] = frozenset()  # component keys no response, parameter or header uses
    components: dict[str, SchemaView | None] = field(default_factory=dict)
    _enum_by_values: dict[tuple[Hint, tuple[str, ...]], str] = field(default_factory=dict)
    _inputs: dict[tuple[str, bool], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.request_only = request_only_schemas(self.spec)
        self.components = self.reader.components()

    def build_components(self) -> None:
        for key, view in self.components.items():
            self._define(key, view or self.reader.empty(component_pointer(key)))

    # -- definitions ----------------------------------------------------------------------------
    def _new(self, key: str, kind: str, hint: Hint, place: str, schema: SchemaView, doc: str | None) -> Definition:
        unique, counter = key, 2
        while unique in self.definitions:
            unique, counter = f"{key}@{counter}", counter + 1
        definition = Definition(unique, kind, hint, place, schema, doc)
        self.definitions[unique] = definition
        self.met.append(("definition", unique))
        return definition

    def _define(self, component: str, schema: SchemaView) -> None:
        key = component_pointer(component)
        hint = Hint(key)
        doc = schema.description or schema.title
        if enum_base(schema):
            self._enum(self._new(key, "enum", hint, key, schema, doc), schema)
        elif is_object_model(schema):
            self._model(self._new(key, "model", hint, key, schema, doc), schema)
        else:
            definition = self._new(key, "alias", hint, key, schema, doc)
            definition.alias = self.type_of(schema, Hint(key))
        self.definitions[key].component = component
        self.listed.append(key)

    def _enum(self, definition: Definition, schema: SchemaView) -> None:
        definition.values = tuple(enum_values(schema))
        definition.base = enum_base(schema) or "str"

    def _model(self, definition: Definition, schema: SchemaView) -> None:
        props, required = schema.merged_properties()
        found = []
        for wire, view in props.items():
            prop = view or self.reader.empty(schema.pointer)
            found.append(Property(wire, prop, wire in required, self.type_of(prop, Hint(definition.key).then(wire, raw=True))))
        definition.properties = tuple(found)

    def inline_enum(self, hint: Hint, schema: SchemaView) -> str:
        values = tuple(str(v) for v in enum_values(schema))
        if (hint, values) not in self._enum_by_values:
            definition = self._new(schema.pointer, "enum", hint, schema.pointer, schema, schema.description)
            self._enum(definition, schema)
            self.listed.append(definition.key)
            self._enum_by_values[(hint, values)] = definition.key
        return self._enum_by_values[(hint, values)]

    def input_model(self, source: Definition, *, partial: bool, place: str) -> Definition:
        """The request form of a component model: read-only fields left out, write-only ones in; for PATCH every
        field optional. Named after the component (`Input`, `Patch`)."""
        if (source.key, partial) not in self._inputs:
            hint = Hint(source.key, (("Patch" if partial else "Input", False),), respell=False)
            definition = self._new(source.key + ("#patch" if partial else "#input"), "model", hint, place, source.schema, source.doc)
            definition.properties, definition.is_input = source.properties, True
            definition.source, definition.request_form, definition.partial = source.key, True, partial
            self.listed.append(definition.key)
            self._inputs[(source.key, partial)] = definition.key
        return self.definitions[self._inputs[(source.key, partial)]]

    def inline_input(self, hint: Hint, schema: SchemaView, *, partial: bool) -> Definition:
        """An inline request-body object becomes an input model directly (no response twin)."""
        definition = self._new(schema.pointer, "model", hint, schema.pointer, schema, schema.description)
        definition.is_input, definition.request_form, definition.partial = True, True, partial
        self._model(definition, schema)
        self.listed.append(definition.key)
        return definition

    def as_request_body(self, definition: Definition) -> Definition:
        """A component used as a body as it is: an input model (unknown fields ignored) when no response uses it."""
        if definition.key[len(COMPONENT_KEY):] in self.request_only:
            definition.is_input = True
        return definition

    def component(self, key: str | None) -> Definition | None:
        """The definition of a component schema, by its key."""
        return self.definitions.get(component_pointer(key)) if key is not None else None

    # -- types ------------------------------------------------------------------------------------
    def type_of(self, schema: SchemaView | None, hint: Hint) -> TypeInfo:
        if schema is None:
            return TypeInfo(ANY, False)
        nullable = schema.nullable
        if schema.ref is not None:
            key = schema.component
            if key is not None and key in self.components:
                target = schema.target
                inner_null = target.nullable or "null" in target.types or None in target.enum
                made = component_kind(target)
                pointer = component_pointer(key)
                return TypeInfo(Named(pointer, made), nullable or inner_null, (pointer,) if made == "enum" else ())
            return self.type_of(schema.target, hint)
        kinds = schema.types
        if kinds == ["null"]:
            return TypeInfo(NONE, True)
        if "null" in kinds:
            nullable, kinds = True, [t for t in kinds if t != "null"]
        const = schema.const
        if const is None or isinstance(const, (str, int)):  # bools are ints; floats are no Literal
            return TypeInfo(Const(const) if const is not None else NONE, nullable)
        if schema.has_enum:
            nullable = nullable or None in schema.enum
            if enum_base(schema):
                key = self.inline_enum(hint, schema)
                return TypeInfo(Named(key, "enum"), nullable, (key,))
        for keyword in ("oneOf", "anyOf"):
            members = schema.alternatives(keyword)
            if members:
                return self._union(members, hint, nullable, schema.discriminator)
        all_of = schema.alternatives("allOf")
        if all_of:
            if len(all_of) == 1 and not schema.properties:
                inner = self.type_of(all_of[0], hint)
                return TypeInfo(inner.node, nullable or inner.nullable, inner.enums)
            return TypeInfo(Named(self._inline_model(hint, schema), "model"), nullable)
        if len(kinds) > 1:
            return self._union([self.reader.derived(schema, {**schema.raw, "type": t}) for t in kinds], hint, nullable)
        kind = kinds[0] if kinds else ("object" if schema.has_properties else None)
        if kind == "object":
            if schema.properties:
                return TypeInfo(Named(self._inline_model(hint, schema), "model"), nullable)
            extra = schema.additional_properties
            value = self.type_of(extra, hint.then("Value")).full if extra is not None else ANY
            return TypeInfo(MapOf(value), nullable)
        if kind == "array":
            items = self.type_of(schema.items, hint.then("Item")) if schema.items is not None else None
            return TypeInfo(ListOf(items.full if items else ANY), nullable)
        if kind == "string":
            fmt = schema.format
            if fmt == "binary" or (schema.content_media_type and not schema.content_encoding):
                return TypeInfo(FILE, nullable)
            return TypeInfo(Primitive("string", fmt if fmt in FORMATS else ""), nullable)
        if kind == "null":
            return TypeInfo(NONE, nullable)
        if kind in ("integer", "number", "boolean"):
            return TypeInfo(Primitive(kind), nullable)
        return TypeInfo(ANY, nullable)

    def _union(
        self, members: list[SchemaView | None], hint: Hint, nullable: bool, discriminator: tuple[str, dict[str, str]] | None = None
    ) -> TypeInfo:
        nodes: list[TypeNode] = []
        enums: list[str] = []
        for index, member in enumerate(members):
            info = self.type_of(member, hint.then(f"{index + 1}") if len(members) > 1 else hint)
            nullable = nullable or info.nullable or info.node == NONE
            if info.node not in nodes and info.node != NONE:
                nodes.append(info.node)
            enums.extend(e for e in info.enums if e not in enums)
        if ANY in nodes or not nodes:
            return TypeInfo(ANY, nullable)
        if len(nodes) == 1:
            return TypeInfo(nodes[0], nullable, tuple(enums))
        return TypeInfo(UnionOf(tuple(nodes), self._discriminator(discriminator, members, nodes)), nullable, tuple(enums))

    def _discriminator(
        self, discriminator: tuple[str, dict[str, str]] | None, members: list[SchemaView | None], nodes: list[TypeNode]
    ) -> Discriminator | None:
        """The discriminator's property and its values -> models: the mapping first, then each member's schema key
        (OpenAPI's implicit mapping). None unless every member is a referenced component model."""
        if discriminator is None:
            return None
        keys = [m.component if m is not None else None for m in members]
        if len(keys) != len(nodes) or None in keys or not all(isinstance(n, Named) and n.kind == "model" for n in nodes):
            return None
        chosen = {component_pointer(k) for k in keys if k is not None}
        tags: dict[str, str] = {}
        for value, target in discriminator[1].items():
            # a mapping value is a reference, or a bare schema name
            key = target[len(COMPONENT_PREFIX):] if target.startswith(COMPONENT_PREFIX) else None if target.startswith("#") else target
            if key is not None and key in self.components and component_pointer(key) in chosen:
                tags[value] = component_pointer(key)
        for key in keys:
            if key is not None and component_pointer(key) not in tags.values():
                tags.setdefault(key, component_pointer(key))
        return Discriminator(discriminator[0], tuple(tags.items()))

    def _inline_model(self, hint: Hint, schema: SchemaView) -> str:
        definition = self._new(schema.pointer, "model", hint, schema.pointer, schema, schema.description)
        self.listed.append(definition.key)  # before its fields' classes: the order met
        self._model(definition, schema)
        return definition.key


COMPONENT_KEY = "/components/schemas/"


def component_pointer(key: str) -> str:
    """A component schema's definition key: its JSON pointer."""
    return pointer_join(COMPONENT_KEY.rstrip("/"), key)


def enum_values(schema: SchemaView) -> list[Any]:
    seen: list[Any] = []
    for v in schema.enum:
        if v is not None and isinstance(v, (str, int, float, bool)) and v not in seen:
            seen.append(v)
    return seen


def enum_base(schema: SchemaView) -> str | None:
    """"str" or "int" when every enum value is one (an enum class), else None (the schema's type serves)."""
    values = enum_values(schema)
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None


def is_object_model(schema: SchemaView) -> bool:
    """Properties, or an allOf that merges several members (or adds required names) into one object."""
    all_of = schema.alternatives("allOf")
    return schema.has_properties or (all_of is not None and (len(all_of) > 1 or schema.lists_required))


def component_kind(schema: SchemaView) -> str:
    """What a component schema becomes: an enum, a model or an alias."""
    return "enum" if enum_base(schema) else "model" if is_object_model(schema) else "alias"


def write_visible(definition: Definition) -> tuple[Property, ...]:
    """The properties a response carries (write-only ones left out)."""
    return tuple(p for p in definition.properties if not p.write_only)
