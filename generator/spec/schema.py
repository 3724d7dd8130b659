"""Schema objects as views: what the model asks of a schema, each answer already checked for its shape.

A view wraps one mapping of the document and knows its JSON pointer; its sub-schemas are views too, made on demand
(schemas recurse) and once per node, so two reads of a node give the same view. A `$ref` is followed by `target`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.errors import pointer_join
from generator.refs import deref

COMPONENT_PREFIX = "#/components/schemas/"
MISSING: Any = object()  # a keyword the schema does not have (null is a value)


class SchemaReader:
    """Makes the views of one document's schemas. `pointers` maps id() of the document's mappings and lists to their
    JSON pointers (load.pointer_index); a node the model makes itself is located at the schema it was made from."""

    def __init__(self, data: Mapping[str, Any], pointers: Mapping[int, str]) -> None:
        self.data = data
        self.pointers = pointers
        self._views: dict[int, SchemaView] = {}

    def view(self, node: Any, near: str = "") -> SchemaView | None:
        """The view of `node`, or None when it is no mapping (`true`, a list, a number)."""
        if not isinstance(node, dict):
            return None
        found = self._views.get(id(node))
        if found is None:
            found = self._views[id(node)] = SchemaView(node, self.pointers.get(id(node)) or near, self)
        return found

    def empty(self, near: str) -> SchemaView:
        """A schema that allows anything, standing in where the document gives none."""
        return SchemaView({}, near, self)

    def derived(self, source: SchemaView, raw: dict[str, Any]) -> SchemaView:
        """A schema the model splits off `source` (one type of a type list), located where `source` is."""
        return SchemaView(raw, source.pointer, self)

    def components(self) -> dict[str, SchemaView | None]:
        """`components/schemas` by key, in the document's order."""
        schemas = (self.data.get("components") or {}).get("schemas") or {}
        return {str(key): self.view(value, pointer_join("/components/schemas", key)) for key, value in schemas.items()}


class SchemaView:
    __slots__ = ("raw", "pointer", "_reader")

    def __init__(self, raw: dict[str, Any], pointer: str, reader: SchemaReader) -> None:
        self.raw = raw  # the schema object as written: read it only for extensions and names (x-python-name)
        self.pointer = pointer
        self._reader = reader

    def __repr__(self) -> str:
        return f"SchemaView({self.pointer!r})"

    def _sub(self, node: Any, *keys: str | int) -> SchemaView | None:
        near = self.pointer
        for key in keys:
            near = pointer_join(near, key)
        return self._reader.view(node, near)

    # -- references ---------------------------------------------------------------------------------
    @property
    def ref(self) -> str | None:
        ref = self.raw.get("$ref")
        return ref if isinstance(ref, str) else None

    @property
    def component(self) -> str | None:
        """The key of the component schema this `$ref` names, else None."""
        ref = self.ref
        return ref[len(COMPONENT_PREFIX):] if ref is not None and ref.startswith(COMPONENT_PREFIX) else None

    @property
    def target(self) -> SchemaView:
        """The schema a chain of `$ref`s names (this one when it is no reference; an empty one when it does not
        resolve)."""
        if self.ref is None:
            return self
        return self._reader.view(deref(self._reader.data, self.raw), self.pointer) or self._reader.empty(self.pointer)

    # -- what values it allows ------------------------------------------------------------------------
    @property
    def types(self) -> list[str]:
        kind = self.raw.get("type")
        if isinstance(kind, str):
            return [kind]
        return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []

    @property
    def nullable(self) -> bool:
        """OpenAPI 3.0's `nullable: true`."""
        return bool(self.raw.get("nullable"))

    @property
    def has_enum(self) -> bool:
        return "enum" in self.raw

    @property
    def enum(self) -> list[Any]:
        values = self.raw.get("enum")
        return values if isinstance(values, list) else []

    @property
    def const(self) -> Any:
        return self.raw.get("const", MISSING)

    @property
    def discriminator(self) -> tuple[str, dict[str, str]] | None:
        """(propertyName, mapping) of a oneOf/anyOf's `discriminator`, or None."""
        value = self.raw.get("discriminator")
        if not isinstance(value, dict) or not isinstance(value.get("propertyName"), str):
            return None
        mapping = value.get("mapping")
        return value["propertyName"], {str(k): str(v) for k, v in mapping.items()} if isinstance(mapping, dict) else {}

    @property
    def content_media_type(self) -> str | None:
        """3.1's `contentMediaType` of a string (its content is a file of that type), or None."""
        value = self.raw.get("contentMediaType")
        return value if isinstance(value, str) else None

    @property
    def content_encoding(self) -> str | None:
        value = self.raw.get("contentEncoding")
        return value if isinstance(value, str) else None

    @property
    def format(self) -> Any:
        return self.raw.get("format")

    @property
    def default(self) -> Any:
        return self.raw.get("default", MISSING)

    def alternatives(self, keyword: str) -> list[SchemaView | None] | None:
        """The members of `oneOf`, `anyOf` or `allOf` (None for a member that is no mapping); None when the keyword
        is absent or no list."""
        members = self.raw.get(keyword)
        if not isinstance(members, list):
            return None
        return [self._sub(member, keyword, index) for index, member in enumerate(members)]

    @property
    def properties(self) -> dict[str, SchemaView | None] | None:
        """Its own `properties` (None when absent or no mapping)."""
        props = self.raw.get("properties")
        if not isinstance(props, dict):
            return None
        return {str(name): self._sub(value, "properties", name) for name, value in props.items()}

    def merged_properties(self) -> tuple[dict[str, SchemaView | None], set[str]]:
        """Properties and required names of an object schema, its allOf members merged in order."""
        props: dict[str, SchemaView | None] = {}
        required: set[str] = set()
        for member in [*(self.alternatives("allOf") or []), self]:
            part = member.target if member is not None and member is not self else member
            if part is None:
                continue
            if part is not self and part.alternatives("allOf"):
                sub_props, sub_required = part.merged_properties()
                props.update(sub_props)
                required |= sub_required
            props.update(part.properties or {})
            required |= part.required
        return props, required

    @property
    def has_properties(self) -> bool:
        return "properties" in self.raw

    @property
    def required(self) -> set[str]:
        listed = self.raw.get("required")
        return {r for r in listed if isinstance(r, str)} if isinstance(listed, list) else set()

    @property
    def lists_required(self) -> bool:
        return "required" in self.raw

    @property
    def items(self) -> SchemaView | None:
        return self._sub(self.raw.get("items"), "items")

    @property
    def additional_properties(self) -> SchemaView | None:
        """The schema of the values of a map (None when absent, a boolean or `{}`)."""
        extra = self.raw.get("additionalProperties")
        return self._sub(extra, "additionalProperties") if isinstance(extra, dict) and extra else None

    def keyword(self, name: str) -> Any:
        """A validation keyword's value as written (maxLength, pattern, exclusiveMinimum...), or None."""
        return self.raw.get(name)

    # -- documentation and access --------------------------------------------------------------------
    @property
    def description(self) -> str | None:
        value = self.raw.get("description")
        return value if isinstance(value, str) else None

    @property
    def title(self) -> str | None:
        value = self.raw.get("title")
        return value if isinstance(value, str) else None

    @property
    def read_only(self) -> bool:
        return bool(self.raw.get("readOnly"))

    @property
    def write_only(self) -> bool:
        return bool(self.raw.get("writeOnly"))
