"""Schemas to Python types: component models, enums and aliases, and type expressions for inline schemas.

One `SchemaTypes` collects every named definition as it is met; names are reserved on first use,
so a later schema with the same name is resolved by the written rule in names.unique.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from generator.model import names, text, types
from generator.model.types import ANY, FILE, NONE, Const, ListOf, MapOf, Named, Primitive, TypeNode, UnionOf
from generator.errors import Finding, pointer_join
from generator.model.ir import Alias, EnumClass, EnumMember, Field, ModelClass
from generator.model.usage import COMPONENT_PREFIX, request_only_schemas
from generator.refs import deref

_STRING_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "UUID"}
_PRIMITIVES = {"integer": "int", "number": "float", "boolean": "bool"}
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
        return types.render(self.full)


@dataclass
class SchemaTypes:
    spec: dict[str, Any]
    warnings: list[Finding]
    # id() of every mapping and list of the document -> its JSON pointer, so a finding names the node it is about.
    pointers: dict[int, str] = field(default_factory=dict)
    models: dict[str, ModelClass] = field(default_factory=dict)
    enums: dict[str, EnumClass] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    component_names: dict[str, str] = field(default_factory=dict)  # component key -> class name
    taken: set[str] = field(default_factory=set)
    # Every field of each object model; the response model leaves out writeOnly fields, input models readOnly ones.
    all_fields: dict[str, tuple[Field, ...]] = field(default_factory=dict)
    _enum_by_values: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)
    request_only: frozenset[str] = frozenset()  # component keys no response, parameter or header uses
    # enum class -> the literals of its values, kept as enums are defined (an argument also takes the values)
    enum_literals: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Component class names: unique among themselves, then moved off any name already in `taken` (the
        client classes the caller reserved first), with a located warning."""
        self.request_only = request_only_schemas(self.spec)
        schemas = (self.spec.get("components") or {}).get("schemas") or {}
        keys = list(schemas.keys())
        places = [pointer_join("/components/schemas", k) for k in keys]
        overrides = [names.override(schemas[k], p, reserved=names.RESERVED_CLASSES) for k, p in zip(keys, places)]
        candidates = [o or names.pascal(k) for k, o in zip(keys, overrides)]
        fixed = [o is not None for o in overrides]
        chosen = names.unique(candidates, "schema name", self.warnings, raws=keys, joiner="", places=places, fixed=fixed)
        reserved = set(self.taken)
        self.taken.update(chosen)
        for key, name, place in zip(keys, chosen, places):
            self.component_names[key] = self.fresh(name, place=place) if name in reserved else name

    def build_components(self) -> None:
        for key, name in self.component_names.items():
            schema = self.spec["components"]["schemas"][key]
            self._define(name, schema if isinstance(schema, dict) else {})

    # -- naming -------------------------------------------------------------------------------
    def at(self, node: Any) -> str:
        """The JSON pointer of a mapping or list of the document ("" for one the model made)."""
        return self.pointers.get(id(node), "")

    def fresh(self, candidate: str, node: Any = None, *, place: str = "") -> str:
        chosen = names.unique([*sorted(self.taken), candidate], "class name", [], joiner="")[-1]
        if chosen != candidate:
            self.warnings.append((f"class name {candidate!r} is taken; using {chosen!r}", place or self.at(node)))
        self.taken.add(chosen)
        return chosen

    # -- definitions ----------------------------------------------------------------------------
    def _define(self, name: str, schema: dict[str, Any]) -> None:
        doc = text.docstring(schema.get("description") or schema.get("title"))
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

    def _enum(self, name: str, schema: dict[str, Any], doc: str, warnings: list[Finding] | None = None) -> EnumClass:
        values = _enum_values(schema)
        base = _enum_base(schema)
        candidates = [
            names.constant(str(v), fallback="VALUE") if base == "str" else f"VALUE_{v}".replace("-", "MINUS_")
            for v in values
        ]
        place = pointer_join(self.at(schema), "enum")
        members = names.unique(
            candidates, f"enum {name} member", self.warnings if warnings is None else warnings, places=[place] * len(candidates)
        )
        literals = [text.literal(v if base == "int" else str(v)) for v in values]
        return EnumClass(name, doc, base, tuple(EnumMember(m, lit) for m, lit in zip(members, literals)))

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
        return self._enum(enum, self.spec["components"]["schemas"][key], "", warnings=[]).members

    def inline_enum(self, context: str, schema: dict[str, Any]) -> str:
        values = tuple(str(v) for v in _enum_values(schema))
        key = (names.pascal(context), values)
        if key not in self._enum_by_values:
            name = self.fresh(names.pascal(context), schema)
            self._store_enum(self._enum(name, schema, text.docstring(schema.get("description"))))
            self._enum_by_values[key] = name
        return self._enum_by_values[key]

    def properties(self, schema: dict[str, Any], context: str) -> tuple[dict[str, Any], set[str]]:
        """Properties and required names of an object schema, allOf members merged in order."""
        props: dict[str, Any] = {}
        required: set[str] = set()
        for part in [*(schema.get("allOf") or []), schema]:
            part = self.deref(part) if part is not schema else part
            if not isinstance(part, dict):
                continue
            if part is not schema and part.get("allOf"):
                sub_props, sub_required = self.properties(part, context)
                props.update(sub_props)
                required |= sub_required
            if isinstance(part.get("properties"), dict):
                props.update(part["properties"])
            listed = part.get("required")
            required |= {r for r in listed if isinstance(r, str)} if isinstance(listed, list) else set()
        return props, required

    def _model(self, name: str, schema: dict[str, Any], doc: str, *, is_input: bool) -> ModelClass:
        props, required = self.properties(schema, name)
        wire_names = list(props)
        places = [self.at(props[w]) or self.at(schema) for w in wire_names]
        overrides = [names.override(props[w], p, reserved=names.RUNTIME_NAMES) for w, p in zip(wire_names, places)]
        py_names = names.unique(
            [o or names.snake(w, reserved=names.RUNTIME_NAMES, fallback="field") for w, o in zip(wire_names, overrides)],
            f"{name} field", self.warnings, places=places, fixed=[o is not None for o in overrides],
        )
        fields = tuple(
            self.field(py, wire, props[wire] if isinstance(props[wire], dict) else {}, wire in required, name)
            for py, wire in zip(py_names, wire_names)
        )
        return ModelClass(name, doc, fields, is_input)

    def field(self, py: str, wire: str, schema: dict[str, Any], required: bool, owner: str) -> Field:
        target = self.deref(schema)
        target = target if isinstance(target, dict) else {}
        info = self.type_of(schema, owner + names.pascal(wire))
        default = schema.get("default", target.get("default"))
        extras = ([f"alias={text.literal(wire)}"] if wire != py else []) + _constraints(target, info.node)
        default_literal = "None"
        if isinstance(default, (str, int, float, bool)):
            default_literal = self.enum_member(info.enums, default) or text.literal(default)
        return Field(
            name=py,
            wire=text.literal(wire),
            type=info.full,
            default_literal=default_literal,
            extras=tuple(extras),
            doc=text.wrap(text.one_line(schema.get("description") or ("" if "$ref" in schema else target.get("description")))),
            required=required,
            read_only=bool(schema.get("readOnly") or target.get("readOnly")),
            write_only=bool(schema.get("writeOnly") or target.get("writeOnly")),
            nullable=info.nullable or info.node in (ANY, NONE),
        )

    def input_model(self, name: str, source: ModelClass, *, partial: bool) -> ModelClass:
        """A request-body model: read-only fields left out, write-only ones in; for PATCH every field optional."""
        if name not in self.models:
            fields = tuple(
                replace(f, required=False) if partial else f
                for f in self.all_fields.get(source.name, source.fields)
                if not f.read_only
            )
            self.models[name] = ModelClass(name, source.doc, fields, True)
        return self.models[name]

    def inline_input(self, context: str, schema: dict[str, Any], *, partial: bool) -> ModelClass:
        """An inline request-body object becomes an input model directly (no response twin)."""
        name = self.fresh(names.pascal(context), schema)
        full = self._model(name, schema, text.docstring(schema.get("description")), is_input=True)
        self.all_fields[name] = full.fields
        return self.input_model(name, full, partial=partial)

    def as_request_body(self, key: str, model: ModelClass) -> ModelClass:
        """A component used as a body as it is: an input model (unknown fields ignored) when no response uses it."""
        if model.is_input or key not in self.request_only:
            return model
        self.models[model.name] = replace(model, is_input=True)
        return self.models[model.name]

    def needs_input_model(self, model: ModelClass) -> bool:
        return any(f.read_only or f.write_only for f in self.all_fields.get(model.name, model.fields))

    # -- types ------------------------------------------------------------------------------------
    def deref(self, schema: Any) -> Any:
        return deref(self.spec, schema)

    def type_of(self, schema: Any, context: str) -> TypeInfo:
        if not isinstance(schema, dict):
            return TypeInfo(ANY, False)
        nullable = bool(schema.get("nullable"))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            key = ref[len(COMPONENT_PREFIX):] if ref.startswith(COMPONENT_PREFIX) else None
            if key in self.component_names:
                target = self.deref(schema)
                inner_null = isinstance(target, dict) and (
                    target.get("nullable") or "null" in _types(target) or None in (_as_list(target.get("enum")))
                )
                name = self.component_names[key]
                kind = _component_kind(target if isinstance(target, dict) else {})
                return TypeInfo(Named(name, kind), nullable or bool(inner_null), (name,) if kind == "enum" else ())
            return self.type_of(self.deref(schema), context)
        types = _types(schema)
        if types == ["null"]:
            return TypeInfo(NONE, True)
        if "null" in types:
            nullable, types = True, [t for t in types if t != "null"]
        const = schema.get("const", ...)
        if const is None or isinstance(const, (str, int)):  # bools are ints; floats are no Literal
            return TypeInfo(Const(text.literal(const)) if const is not None else NONE, nullable)
        if "enum" in schema:
            nullable = nullable or None in _as_list(schema["enum"])
            if _enum_base(schema):
                name = self.inline_enum(context, schema)
                return TypeInfo(Named(name, "enum"), nullable, (name,))
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._union(schema[key], context, nullable)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            if len(all_of) == 1 and not schema.get("properties"):
                inner = self.type_of(all_of[0], context)
                return TypeInfo(inner.node, nullable or inner.nullable, inner.enums)
            return TypeInfo(Named(self._inline_model(context, schema), "model"), nullable)
        if len(types) > 1:
            return self._union([{**schema, "type": t} for t in types], context, nullable)
        kind = types[0] if types else ("object" if "properties" in schema else None)
        # Generic types are spelled List/Dict: a client method may be called `list`, which would shadow the builtin
        # in the annotations of the methods after it.
        if kind == "object":
            if schema.get("properties"):
                return TypeInfo(Named(self._inline_model(context, schema), "model"), nullable)
            extra = schema.get("additionalProperties")
            value = self.type_of(extra, context + "Value").full if isinstance(extra, dict) and extra else ANY
            return TypeInfo(MapOf(value), nullable)
        if kind == "array":
            items = self.type_of(schema.get("items"), context + "Item") if isinstance(schema.get("items"), dict) else None
            return TypeInfo(ListOf(items.full if items else ANY), nullable)
        if kind == "string":
            if schema.get("format") == "binary" or ("contentMediaType" in schema and "contentEncoding" not in schema):
                return TypeInfo(FILE, nullable)
            return TypeInfo(Primitive(_STRING_FORMATS.get(str(schema.get("format")), "str")), nullable)
        if kind == "null":
            return TypeInfo(NONE, nullable)
        if kind in _PRIMITIVES:
            return TypeInfo(Primitive(_PRIMITIVES[kind]), nullable)
        return TypeInfo(ANY, nullable)

    def _union(self, members: list[Any], context: str, nullable: bool) -> TypeInfo:
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
        return TypeInfo(nodes[0] if len(nodes) == 1 else UnionOf(tuple(nodes)), nullable, tuple(enums))

    def _inline_model(self, context: str, schema: dict[str, Any]) -> str:
        name = self.fresh(names.pascal(context), schema)
        self.models[name] = ModelClass(name, "", (), False)  # reserve first: the schema may recurse
        self._store_model(self._model(name, schema, text.docstring(schema.get("description")), is_input=False))
        return name


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    return []


def _enum_values(schema: dict[str, Any]) -> list[Any]:
    values = schema.get("enum")
    if not isinstance(values, list):
        return []
    seen: list[Any] = []
    for v in values:
        if v is not None and isinstance(v, (str, int, float, bool)) and v not in seen:
            seen.append(v)
    return seen


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _enum_base(schema: dict[str, Any]) -> str | None:
    """"str" or "int" when every enum value is one (an enum class), else None (the schema's type serves)."""
    values = _enum_values(schema)
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None


def _is_object_model(schema: dict[str, Any]) -> bool:
    """Properties, or an allOf that merges several members (or adds required names) into one object."""
    all_of = schema.get("allOf")
    return "properties" in schema or (isinstance(all_of, list) and (len(all_of) > 1 or "required" in schema))


def _component_kind(schema: dict[str, Any]) -> str:
    """What a component schema becomes (see SchemaTypes._define): an enum, a model or an alias."""
    return "enum" if _enum_base(schema) else "model" if _is_object_model(schema) else "alias"


def _constraints(schema: dict[str, Any], node: TypeNode) -> list[str]:
    result = []
    numeric = types.is_primitive(node, "int", "float")
    for key, arg in _CONSTRAINTS.items():
        value = schema.get(key)
        if key == "pattern" and (not types.is_primitive(node, "str") or not isinstance(value, str)):
            continue
        if key in ("maxLength", "minLength") and not types.is_primitive(node, "str"):
            continue
        if key in ("maxItems", "minItems") and not isinstance(node, ListOf):
            continue
        if key in ("maximum", "minimum", "multipleOf") and not numeric:
            continue
        if key in ("maximum", "minimum") and schema.get(f"exclusive{key.title()}") is True:
            arg = "lt" if key == "maximum" else "gt"  # OpenAPI 3.0: a boolean makes the bound exclusive
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            result.append(f"{arg}={text.literal(value)}")
    for key, arg in (("exclusiveMaximum", "lt"), ("exclusiveMinimum", "gt")):
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and numeric:
            result.append(f"{arg}={text.literal(value)}")
    return result
