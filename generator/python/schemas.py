"""Schemas to Python types: component models, enums and aliases, and type expressions for inline schemas.

One `SchemaTypes` collects every named definition as it is met; names are reserved on first use,
so a later schema with the same name is resolved by the written rule in names.unique.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from typing import Any

from generator.api import types
from generator.python import annotation, names, patterns, text
from generator.python.classes import ClassNames
from generator.api.types import (
    ANY, FILE, FORMATS, NONE, STRING, Const, Discriminator, ListOf, MapOf, Named, Primitive, TypeNode, UnionOf,
)
from generator.errors import Finding, pointer_join
from generator.python.ir import Alias, EnumClass, EnumMember, Field, ModelClass
from generator.python.usage import request_only_schemas
from generator.spec.schema import COMPONENT_PREFIX, MISSING, SchemaReader, SchemaView

_CONSTRAINTS = {
    "maxLength": "max_length", "minLength": "min_length", "pattern": "pattern", "maximum": "le", "minimum": "ge",
    "multipleOf": "multiple_of", "maxItems": "max_length", "minItems": "min_length",
}


@dataclass(frozen=True)
class TypeInfo:
    node: TypeNode  # the value's type, without null
    nullable: bool  # null is a value too
    enums: tuple[str, ...] = ()  # the enum classes a value of this type may be (a default is printed as a member)

    @property
    def full(self) -> TypeNode:
        """The type with null where null is a value."""
        return types.or_none(self.node, self.nullable)

    def annotation(self) -> str:
        return annotation.render(self.full)


@dataclass
class SchemaTypes:
    spec: dict[str, Any]
    warnings: list[Finding]
    reader: SchemaReader
    models: dict[str, ModelClass] = field(default_factory=dict)
    enums: dict[str, EnumClass] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    component_names: dict[str, str] = field(default_factory=dict)  # component key -> class name
    taken: set[str] = field(default_factory=set)  # class names reserved by the caller
    # Every field of each object model; the response model leaves out writeOnly fields, input models readOnly ones.
    all_fields: dict[str, tuple[Field, ...]] = field(default_factory=dict)
    _enum_by_values: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)
    request_only: frozenset[str] = frozenset()  # component keys no response, parameter or header uses
    # enum class -> the literals of its values, kept as enums are defined (an argument also takes the values)
    enum_literals: dict[str, str] = field(default_factory=dict)
    components: dict[str, SchemaView | None] = field(default_factory=dict)
    classes: ClassNames = field(init=False)

    def __post_init__(self) -> None:
        """Component class names: unique among themselves, then moved off any name already in `taken` (the
        client classes the caller reserved first), with a located warning."""
        self.request_only = request_only_schemas(self.spec)
        self.components = self.reader.components()
        self.classes = ClassNames(self.taken, self.warnings)
        self.component_names = self.classes.components(self.components)

    def build_components(self) -> None:
        for key, name in self.component_names.items():
            self._define(name, self.components[key] or self.reader.empty(pointer_join("/components/schemas", key)))

    # -- naming -------------------------------------------------------------------------------
    def fresh(self, candidate: str, *, place: str, key: Hashable = None) -> str:
        """A class name for what `key` names (by default, something named once): `candidate` unless taken."""
        return self.classes.claim(key if key is not None else object(), candidate, place)

    # -- definitions ----------------------------------------------------------------------------
    def _define(self, name: str, schema: SchemaView) -> None:
        doc = text.docstring(schema.description or schema.title)
        if _enum_base(schema):
            self._store_enum(self._enum(name, schema, doc))
        elif _is_object_model(schema):
            self._store_model(self._model(name, schema, doc, is_input=False))
        else:
            self.aliases[name] = Alias(name, self.type_of(schema, name).full, doc)

    def _store_enum(self, enum: EnumClass) -> None:
        self.enums[enum.name] = enum
        self.enum_literals[enum.name] = ", ".join(m.value for m in enum.members)

    def _store_model(self, model: ModelClass) -> None:
        self.all_fields[model.name] = model.fields
        self.models[model.name] = replace(model, fields=tuple(f for f in model.fields if not f.write_only))

    def _enum(self, name: str, schema: SchemaView, doc: str, warnings: list[Finding] | None = None) -> EnumClass:
        values = _enum_values(schema)
        base = _enum_base(schema)
        candidates = [
            names.constant(str(v), fallback="VALUE") if base == "str" else f"VALUE_{v}".replace("-", "MINUS_")
            for v in values
        ]
        place = pointer_join(schema.pointer, "enum")
        members = names.unique(
            candidates, f"enum {name} member", self.warnings if warnings is None else warnings, places=[place] * len(candidates)
        )
        literals = [text.literal(v if base == "int" else str(v)) for v in values]
        return EnumClass(name, doc, base or "str", tuple(EnumMember(m, lit) for m, lit in zip(members, literals)))

    def enum_member(self, enums: tuple[str, ...], value: Any) -> str | None:
        """`Mode.FAST` for a default of "fast", when one of `enums` has that value. A component enum defined later
        in the document than the model that uses it is worked out here already (same rule, no warnings twice)."""
        wanted = text.literal(value)
        for enum in enums:
            members = self.enums[enum].members if enum in self.enums else self._later_enum_members(enum)
            member = next((m.name for m in members if m.value == wanted), None)
            if member is not None:
                return f"{enum}.{member}"
        return None

    def _later_enum_members(self, enum: str) -> tuple[EnumMember, ...]:
        key = next(k for k, name in self.component_names.items() if name == enum)
        schema = self.components[key]
        return self._enum(enum, schema, "", warnings=[]).members if schema else ()

    def inline_enum(self, context: str, schema: SchemaView) -> str:
        values = tuple(str(v) for v in _enum_values(schema))
        key = (names.pascal(context), values)
        if key not in self._enum_by_values:
            name = self.fresh(names.pascal(context), place=schema.pointer)
            self._store_enum(self._enum(name, schema, text.docstring(schema.description)))
            self._enum_by_values[key] = name
        return self._enum_by_values[key]

    def _model(self, name: str, schema: SchemaView, doc: str, *, is_input: bool) -> ModelClass:
        props, required = schema.merged_properties()
        wire_names = list(props)
        views = [props[w] or self.reader.empty(schema.pointer) for w in wire_names]
        places = [v.pointer or schema.pointer for v in views]
        overrides = [names.override(props[w] and v.raw, p, reserved=names.RUNTIME_NAMES) for w, v, p in zip(wire_names, views, places)]
        py_names = names.unique(
            [o or names.snake(w, reserved=names.RUNTIME_NAMES, fallback="field") for w, o in zip(wire_names, overrides)],
            f"{name} field", self.warnings, places=places, fixed=[o is not None for o in overrides],
        )
        fields = tuple(
            self.field(py, wire, view, wire in required, name) for py, wire, view in zip(py_names, wire_names, views)
        )
        return ModelClass(name, doc, fields, is_input)

    def field(self, py: str, wire: str, schema: SchemaView, required: bool, owner: str) -> Field:
        target = schema.target
        info = self.type_of(schema, owner + names.pascal(wire))
        default = schema.default if schema.default is not MISSING else target.default
        pattern = target.keyword("pattern")
        regex = patterns.engine(pattern) if isinstance(pattern, str) else patterns.DEFAULT
        if regex == patterns.UNUSABLE:
            at = pointer_join(target.pointer, "pattern")
            self.warnings.append((f"pattern {pattern[:80]!r} compiles in no regular-expression engine; not checked", at))
        constraints = _constraints(target, info.node, with_pattern=regex != patterns.UNUSABLE)
        extras = ([f"alias={text.literal(wire)}"] if wire != py else []) + constraints
        default_literal = "None"
        if isinstance(default, (str, int, float, bool)):
            default_literal = self.enum_member(info.enums, default) or text.literal(default)
        return Field(
            name=py,
            wire=text.literal(wire),
            wire_name=wire,
            type=info.full,
            default_literal=default_literal,
            extras=tuple(extras),
            doc=text.wrap(text.one_line(schema.description or ("" if schema.ref is not None else target.description))),
            required=required,
            read_only=schema.read_only or target.read_only,
            write_only=schema.write_only or target.write_only,
            python_re=regex == patterns.PYTHON and any(c.startswith("pattern=") for c in constraints),
            nullable=info.nullable or info.node in (ANY, NONE),
        )

    def input_model(self, candidate: str, source: ModelClass, *, partial: bool, place: str) -> ModelClass:
        """A request-body model of a component: read-only fields left out, write-only ones in; for PATCH every field
        optional. Named `candidate` unless another class has that name (a component called `<Source>Input`)."""
        name = self.fresh(candidate, place=place, key=("input", source.name, partial))
        if name not in self.models:
            self.models[name] = ModelClass(name, source.doc, self._input_fields(source, partial), True)
        return self.models[name]

    def _input_fields(self, source: ModelClass, partial: bool) -> tuple[Field, ...]:
        every = self.all_fields.get(source.name, source.fields)
        return tuple(replace(f, required=False) if partial else f for f in every if not f.read_only)

    def inline_input(self, context: str, schema: SchemaView, *, partial: bool) -> ModelClass:
        """An inline request-body object becomes an input model directly (no response twin)."""
        name = self.fresh(names.pascal(context), place=schema.pointer)
        full = self._model(name, schema, text.docstring(schema.description), is_input=True)
        self.all_fields[name] = full.fields
        self.models[name] = ModelClass(name, full.doc, self._input_fields(full, partial), True)
        return self.models[name]

    def as_request_body(self, key: str, model: ModelClass) -> ModelClass:
        """A component used as a body as it is: an input model (unknown fields ignored) when no response uses it."""
        if model.is_input or key not in self.request_only:
            return model
        self.models[model.name] = replace(model, is_input=True)
        return self.models[model.name]

    def needs_input_model(self, model: ModelClass) -> bool:
        return any(f.read_only or f.write_only for f in self.all_fields.get(model.name, model.fields))

    # -- types ------------------------------------------------------------------------------------
    def type_of(self, schema: SchemaView | None, context: str) -> TypeInfo:
        if schema is None:
            return TypeInfo(ANY, False)
        nullable = schema.nullable
        if schema.ref is not None:
            key = schema.component
            if key in self.component_names:
                target = schema.target
                inner_null = target.nullable or "null" in target.types or None in target.enum
                name = self.component_names[key]
                made = _component_kind(target)
                return TypeInfo(Named(name, made), nullable or inner_null, (name,) if made == "enum" else ())
            return self.type_of(schema.target, context)
        types = schema.types
        if types == ["null"]:
            return TypeInfo(NONE, True)
        if "null" in types:
            nullable, types = True, [t for t in types if t != "null"]
        const = schema.const
        if const is None or isinstance(const, (str, int)):  # bools are ints; floats are no Literal
            return TypeInfo(Const(const) if const is not None else NONE, nullable)
        if schema.has_enum:
            nullable = nullable or None in schema.enum
            if _enum_base(schema):
                name = self.inline_enum(context, schema)
                return TypeInfo(Named(name, "enum"), nullable, (name,))
        for keyword in ("oneOf", "anyOf"):
            members = schema.alternatives(keyword)
            if members:
                return self._union(members, context, nullable, schema.discriminator)
        all_of = schema.alternatives("allOf")
        if all_of:
            if len(all_of) == 1 and not schema.properties:
                inner = self.type_of(all_of[0], context)
                return TypeInfo(inner.node, nullable or inner.nullable, inner.enums)
            return TypeInfo(Named(self._inline_model(context, schema), "model"), nullable)
        if len(types) > 1:
            return self._union([self.reader.derived(schema, {**schema.raw, "type": t}) for t in types], context, nullable)
        kind = types[0] if types else ("object" if schema.has_properties else None)
        # Generic types are spelled List/Dict: a client method may be called `list`, which would shadow the builtin
        # in the annotations of the methods after it.
        if kind == "object":
            if schema.properties:
                return TypeInfo(Named(self._inline_model(context, schema), "model"), nullable)
            extra = schema.additional_properties
            value = self.type_of(extra, context + "Value").full if extra is not None else ANY
            return TypeInfo(MapOf(value), nullable)
        if kind == "array":
            items = self.type_of(schema.items, context + "Item") if schema.items is not None else None
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
        self, members: list[SchemaView | None], context: str, nullable: bool, discriminator: tuple[str, dict[str, str]] | None = None
    ) -> TypeInfo:
        nodes: list[TypeNode] = []
        enums: list[str] = []
        for index, member in enumerate(members):
            info = self.type_of(member, f"{context}{index + 1}" if len(members) > 1 else context)
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
        """The discriminator's property and its values -> models: the mapping first, then each member's schema name
        (OpenAPI's implicit mapping). None unless every member is a referenced component model."""
        if discriminator is None:
            return None
        keys = [m.component if m is not None else None for m in members]
        if len(keys) != len(nodes) or None in keys or not all(isinstance(n, Named) and n.kind == "model" for n in nodes):
            return None
        chosen = {self.component_names[k] for k in keys if k is not None}
        tags: dict[str, str] = {}
        for value, target in discriminator[1].items():
            # a mapping value is a reference, or a bare schema name
            key = target[len(COMPONENT_PREFIX):] if target.startswith(COMPONENT_PREFIX) else None if target.startswith("#") else target
            if key in self.component_names and self.component_names[key] in chosen:
                tags[value] = self.component_names[key]
        for key in keys:
            if key is not None and self.component_names[key] not in tags.values():
                tags.setdefault(key, self.component_names[key])
        return Discriminator(discriminator[0], tuple(tags.items()))

    def _inline_model(self, context: str, schema: SchemaView) -> str:
        name = self.fresh(names.pascal(context), place=schema.pointer)
        self.models[name] = ModelClass(name, "", (), False)  # reserve first: the schema may recurse
        self._store_model(self._model(name, schema, text.docstring(schema.description), is_input=False))
        return name


def _enum_values(schema: SchemaView) -> list[Any]:
    seen: list[Any] = []
    for v in schema.enum:
        if v is not None and isinstance(v, (str, int, float, bool)) and v not in seen:
            seen.append(v)
    return seen


def _enum_base(schema: SchemaView) -> str | None:
    """"str" or "int" when every enum value is one (an enum class), else None (the schema's type serves)."""
    values = _enum_values(schema)
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None


def _is_object_model(schema: SchemaView) -> bool:
    """Properties, or an allOf that merges several members (or adds required names) into one object."""
    all_of = schema.alternatives("allOf")
    return schema.has_properties or (all_of is not None and (len(all_of) > 1 or schema.lists_required))


def _component_kind(schema: SchemaView) -> str:
    """What a component schema becomes (see SchemaTypes._define): an enum, a model or an alias."""
    return "enum" if _enum_base(schema) else "model" if _is_object_model(schema) else "alias"


def _constraints(schema: SchemaView, node: TypeNode, *, with_pattern: bool = True) -> list[str]:
    result = []
    numeric = types.is_primitive(node, "integer", "number")
    for key, arg in _CONSTRAINTS.items():
        value = schema.keyword(key)
        if key == "pattern" and (not with_pattern or node != STRING or not isinstance(value, str)):
            continue
        if key in ("maxLength", "minLength") and node != STRING:
            continue
        if key in ("maxItems", "minItems") and not isinstance(node, ListOf):
            continue
        if key in ("maximum", "minimum", "multipleOf") and not numeric:
            continue
        if key in ("maximum", "minimum") and schema.keyword(f"exclusive{key.title()}") is True:
            arg = "lt" if key == "maximum" else "gt"  # OpenAPI 3.0: a boolean makes the bound exclusive
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            result.append(f"{arg}={text.literal(value)}")
    for key, arg in (("exclusiveMaximum", "lt"), ("exclusiveMinimum", "gt")):
        value = schema.keyword(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and numeric:
            result.append(f"{arg}={text.literal(value)}")
    return result
