"""Where a piece of the Python surface comes from in its document, as a JSON pointer (best effort: a class made
for an inline body has no place of its own, so its operation is named instead)."""

from __future__ import annotations

import re
from typing import Any

from generator import paths
from generator.diff.schemas import follow
from generator.diff.wire import Operation, operations, path_shape
from generator.errors import pointer_join

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _fold(name: str) -> str:
    return _NOT_ALNUM.sub("", name.lower())


class Locator:
    def __init__(self, data: Any) -> None:
        self.data = data
        self.ops: dict[tuple[str, str], Operation] = operations(data)
        self.path_items = {path_shape(op.path): op.path_pointer for op in self.ops.values()}
        components = data.get("components") if isinstance(data, dict) else None
        schemas = components.get("schemas") if isinstance(components, dict) else None
        self.schemas: dict[str, str] = {}
        for name in schemas if isinstance(schemas, dict) else ():
            self.schemas.setdefault(_fold(str(name)), pointer_join("/components/schemas", name))

    def operation(self, wire: tuple[str, str], *, id_: bool = False) -> str:
        op = self.ops.get(wire)
        if op is None:
            return self.path_items.get(wire[1], "/paths")
        return pointer_join(op.pointer, "operationId") if id_ and op.operation_id else op.pointer

    def body_schema(self, wire: tuple[str, str]) -> str:
        """Where the schema of an operation's request body is defined (its first media type), else ""."""
        op = self.ops.get(wire)
        if op is None:
            return ""
        body, pointer = follow(self.data, op.node.get("requestBody"), pointer_join(op.pointer, "requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        for media, entry in content.items() if isinstance(content, dict) else ():
            if isinstance(entry, dict) and "schema" in entry:
                here = pointer_join(pointer_join(pointer_join(pointer, "content"), media), "schema")
                return follow(self.data, entry["schema"], here)[1]
        return ""

    def tags(self, wire: tuple[str, str]) -> str:
        """The tags of an operation (what names its resource), else /tags."""
        op = self.ops.get(wire)
        return pointer_join(op.pointer, "tags") if op is not None and "tags" in op.node else "/tags"

    def argument(self, wire: tuple[str, str], key: str) -> str:
        """The parameter (or body property) an argument is made from, else its operation."""
        op = self.ops.get(wire)
        if op is None:
            return "/paths"
        location, _, name = key.partition(":")
        if location == "body":
            return pointer_join(op.pointer, "requestBody")
        placeholders = paths.placeholders(op.path)
        if location == "path" and name.startswith("#") and name[1:].isdigit() and int(name[1:]) <= len(placeholders):
            name = placeholders[int(name[1:]) - 1]
        for container, pointer in ((op.node, op.pointer), (op.path_item, op.path_pointer)):
            listed = container.get("parameters")
            for index, raw in enumerate(listed if isinstance(listed, list) else []):
                node, _ = follow(self.data, raw, "")
                if isinstance(node, dict) and node.get("in") == location and node.get("name") == name:
                    return pointer_join(pointer_join(pointer, "parameters"), index)
        return op.pointer

    def schema(self, class_name: str) -> str:
        return self.schemas.get(_fold(class_name), "/components/schemas")

    def member(self, home: str, key: str, kind: str) -> str:
        """A field (property `key`) or an enum member (value literal `key`) of the schema at `home`."""
        if home == "/components/schemas":
            return home
        node, home = follow(self.data, {"$ref": "#" + home}, home)
        if kind == "enum" and isinstance(node, dict) and isinstance(node.get("enum"), list):
            for index, value in enumerate(node["enum"]):
                if repr(value) == key:
                    return pointer_join(pointer_join(home, "enum"), index)
            return pointer_join(home, "enum")
        if isinstance(node, dict) and isinstance(node.get("properties"), dict) and key in node["properties"]:
            return pointer_join(pointer_join(home, "properties"), key)
        return home
