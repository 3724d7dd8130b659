"""The Python views of the API model's definitions: model classes with their fields, enums, aliases.

Every name comes from the naming pass (python/naming.py); a type tree's references to definitions are respelled
with their class names here, so the views and templates only ever see Python names.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator.api import types
from generator.api.model import ApiModel
from generator.api.schemas import Definition, Property, write_visible
from generator.api.types import ANY, NONE, STRING, Discriminator, ListOf, MapOf, Named, Nullable, TypeNode, UnionOf
from generator.errors import Finding, pointer_join
from generator.python import patterns, text
from generator.python.ir import Alias, EnumClass, EnumMember, Field, ModelClass
from generator.python.naming import Names
from generator.spec.schema import MISSING, SchemaView

_CONSTRAINTS = {
    "maxLength": "max_length", "minLength": "min_length", "pattern": "pattern", "maximum": "le", "minimum": "ge",
    "multipleOf": "multiple_of", "maxItems": "max_length", "minItems": "min_length",
}


class SchemaViews:
    """The classes of the models module, in the order the output lists them."""

    def __init__(self, model: ApiModel, names: Names, warnings: list[Finding]) -> None:
        self.names, self.warnings = names, warnings
        self.definitions = model.definitions
        self._all_fields: dict[str, tuple[Field, ...]] = {}  # every field of each model, write-only ones too
        self.models: dict[str, ModelClass] = {}
        self.enums: dict[str, EnumClass] = {}
        self.aliases: dict[str, Alias] = {}
        for key in model.listed:
            definition = model.definitions[key]
            name = names.classes[key]
            if definition.kind == "enum":
                self.enums[name] = self._enum(definition, name)
            elif definition.kind == "alias":
                assert definition.alias is not None
                self.aliases[name] = Alias(name, self.node(definition.alias.full), text.docstring(definition.doc))
        for key in model.listed:  # after the enums: a default may be a member of an enum listed later
            definition = model.definitions[key]
            if definition.kind == "model":
                name = names.classes[key]
                self.models[name] = self._model(definition, name)
        # enum class -> the literals of its values (an argument also takes the values)
        self.enum_literals = {e.name: ", ".join(m.value for m in e.members) for e in self.enums.values()}

    def name(self, key: str) -> str:
        return self.names.classes[key]

    def node(self, node: TypeNode) -> TypeNode:
        """`node` with each definition key replaced by the class name."""
        if isinstance(node, Named):
            return Named(self.names.classes[node.name], node.kind)
        if isinstance(node, ListOf):
            return ListOf(self.node(node.item))
        if isinstance(node, MapOf):
            return MapOf(self.node(node.value))
        if isinstance(node, UnionOf):
            found = node.discriminator
            tags = tuple((value, self.names.classes[key]) for value, key in found.tags) if found else ()
            return UnionOf(tuple(self.node(m) for m in node.members), Discriminator(found.property, tags) if found else None)
        if isinstance(node, Nullable):
            return Nullable(self.node(node.inner))
        return node

    def _model(self, definition: Definition, name: str) -> ModelClass:
        doc = text.docstring(definition.doc)
        if definition.source:
            every = self._all_fields[definition.source]
        else:
            every = tuple(
                self._field(py, prop, name) for py, prop in zip(self.names.fields[definition.key], definition.properties)
            )
            self._all_fields[definition.key] = every
        if definition.request_form:
            fields = tuple(replace(f, required=False) if definition.partial else f for f in every if not f.read_only)
        else:
            fields = tuple(f for f in every if not f.write_only)
        return ModelClass(name, doc, fields, definition.is_input)

    def _field(self, py: str, prop: Property, owner: str) -> Field:
        schema, wire, info = prop.schema, prop.wire, prop.info
        target = schema.target
        default = schema.default if schema.default is not MISSING else target.default
        pattern = target.keyword("pattern")
        regex = patterns.engine(pattern) if isinstance(pattern, str) else patterns.DEFAULT
        if regex == patterns.UNUSABLE:
            at = pointer_join(target.pointer, "pattern")
            self.warnings.append(Finding(f"pattern {pattern[:80]!r} compiles in no regular-expression engine; not checked", at, "unsupported"))
        constraints = _constraints(target, info.node, with_pattern=regex != patterns.UNUSABLE)
        extras = ([f"alias={text.literal(wire)}"] if wire != py else []) + constraints
        default_literal = "None"
        if isinstance(default, (str, int, float, bool)):
            default_literal = self._enum_member(info.enums, default) or text.literal(default)
        return Field(
            name=py,
            wire=text.literal(wire),
            wire_name=wire,
            type=self.node(info.full),
            default_literal=default_literal,
            extras=tuple(extras),
            doc=text.wrap(text.one_line(schema.description or ("" if schema.ref is not None else target.description))),
            required=prop.required,
            read_only=prop.read_only,
            write_only=prop.write_only,
            python_re=regex == patterns.PYTHON and any(c.startswith("pattern=") for c in constraints),
            nullable=info.nullable or info.node in (ANY, NONE),
        )

    def _enum(self, definition: Definition, name: str) -> EnumClass:
        base = definition.base
        values = [v if base == "int" else str(v) for v in definition.values]
        members = tuple(EnumMember(m, text.literal(v), v) for m, v in zip(self.names.members[definition.key], values))
        return EnumClass(name, text.docstring(definition.doc), base, members)

    def _enum_member(self, enums: tuple[str, ...], value: Any) -> str | None:
        """`Mode.FAST` for a default of "fast", when one of `enums` has that value."""
        wanted = text.literal(value)
        for key in enums:
            enum = self.enums[self.names.classes[key]]
            member = next((m.name for m in enum.members if m.value == wanted), None)
            if member is not None:
                return f"{enum.name}.{member}"
        return None

    def visible_field(self, key: str, wire: str) -> str:
        """The Python name of a model's readable field holding `wire` ("" when it has none)."""
        names = dict(zip((p.wire for p in self.definitions[key].properties), self.names.fields[key]))
        return names[wire] if any(p.wire == wire for p in write_visible(self.definitions[key])) else ""


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
