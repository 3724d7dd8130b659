"""Two schemas compared, on the side of the exchange they sit on: what a request accepts may only grow, what a
response may hold may only shrink. Each finding names the node in both documents (after following `$ref`s, so a
shared component is reported once, where it is defined)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from generator.errors import pointer_join
from generator.refs import resolve_pointer

Emit = Callable[[str, bool, str, str, str], None]  # rule, breaking, message, old pointer, new pointer

REQUEST, RESPONSE = "request", "response"
_MAXES = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_MINS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_ALL_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object"})
_MAX_DEPTH = 64
# Whether a finding breaks users on each side: (request, response).
_BREAKS = {
    "type-narrowed": (True, False),
    "type-widened": (False, True),
    "type-changed": (True, True),
    "became-nullable": (False, True),
    "became-non-nullable": (True, False),
    "enum-value-removed": (True, False),
    "enum-value-added": (False, True),
    "property-added-required": (True, False),
    "property-added": (False, False),
    "property-removed": (False, True),
    "property-became-required": (True, False),
    "property-became-optional": (False, True),
}


def follow(data: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """The node a chain of local references names, with its own pointer; ({}, pointer) when one is dangling."""
    for _ in range(64):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            break
        try:
            node, pointer = resolve_pointer(data, ref), ref[1:]
        except KeyError:
            return {}, pointer
    return node, pointer


def label_of(pointer: str, fallback: str) -> str:
    parts = pointer.split("/")
    if len(parts) >= 4 and parts[1:3] == ["components", "schemas"]:
        return "/".join([parts[3].replace("~1", "/").replace("~0", "~"), *parts[4:]]) if len(parts) > 4 else parts[3]
    return fallback


class SchemaDiff:
    def __init__(self, old_data: Any, new_data: Any, emit: Emit) -> None:
        self.old_data, self.new_data, self._emit = old_data, new_data, emit
        self._seen: set[tuple[str, str, str]] = set()

    def compare(self, old: Any, old_ptr: str, new: Any, new_ptr: str, side: str, label: str, depth: int = 0) -> None:
        old, old_ptr = follow(self.old_data, old, old_ptr)
        new, new_ptr = follow(self.new_data, new, new_ptr)
        key = (old_ptr, new_ptr, side)
        if key in self._seen or depth > _MAX_DEPTH or not isinstance(old, dict) or not isinstance(new, dict):
            return
        self._seen.add(key)
        label = label_of(new_ptr, label)
        old_nullable, old_single = self._unwrap(self.old_data, old, old_ptr)
        new_nullable, new_single = self._unwrap(self.new_data, new, new_ptr)
        if old_nullable != new_nullable:
            what = "became-nullable" if new_nullable else "became-non-nullable"
            self._finding(side, what, f"`{label}` " + ("may now be null" if new_nullable else "may no longer be null"), old_ptr, new_ptr)
        if old_single is not None or new_single is not None:
            old_one = old_single or (old, old_ptr)
            new_one = new_single or (new, new_ptr)
            if old_one[0] is not old or new_one[0] is not new:
                self.compare(old_one[0], old_one[1], new_one[0], new_one[1], side, label, depth + 1)
                return
        self._types(old, old_ptr, new, new_ptr, side, label)
        self._constraints(old, old_ptr, new, new_ptr, side, label)
        self._enum(old, old_ptr, new, new_ptr, side, label)
        self._alternatives(old, old_ptr, new, new_ptr, side, label, depth)
        self._properties(old, old_ptr, new, new_ptr, side, label, depth)
        for keyword in ("items", "additionalProperties"):
            if isinstance(old.get(keyword), dict) and isinstance(new.get(keyword), dict):
                self.compare(old[keyword], pointer_join(old_ptr, keyword), new[keyword], pointer_join(new_ptr, keyword),
                             side, f"{label}[]" if keyword == "items" else f"{label}{{}}", depth + 1)

    def _finding(self, side: str, what: str, message: str, old_ptr: str, new_ptr: str) -> None:
        request_breaks, response_breaks = _BREAKS[what]
        breaking = request_breaks if side == REQUEST else response_breaks
        self._emit(f"{side}-{what}", breaking, f"{side}: {message}", old_ptr, new_ptr)

    @staticmethod
    def _unwrap(data: Any, schema: dict[str, Any], pointer: str) -> tuple[bool, tuple[Any, str] | None]:
        """(null allowed, the one non-null alternative of an `anyOf`/`oneOf` [X, null] when that is the schema)."""
        nullable = schema.get("nullable") is True or "null" in _type_set(schema)
        for keyword in ("anyOf", "oneOf"):
            members = schema.get(keyword)
            if not isinstance(members, list):
                continue
            resolved = [(follow(data, m, pointer_join(pointer_join(pointer, keyword), i)), m) for i, m in enumerate(members)]
            non_null = [node for node, _raw in resolved if not (isinstance(node[0], dict) and node[0].get("type") == "null")]
            if len(non_null) < len(members):
                nullable = True
                if len(non_null) == 1 and "type" not in schema:
                    return nullable, non_null[0]
        return nullable, None

    def _types(self, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str, side: str, label: str) -> None:
        old_types = _alternative_types(self.old_data, old) - {"null"}
        new_types = _alternative_types(self.new_data, new) - {"null"}
        if not old_types or not new_types or old_types == new_types:
            return
        names = f"{'/'.join(sorted(old_types))} -> {'/'.join(sorted(new_types))}"
        if _covers(old_types, new_types):
            self._finding(side, "type-narrowed", f"`{label}` type narrowed ({names})", old_ptr, new_ptr)
        elif _covers(new_types, old_types):
            self._finding(side, "type-widened", f"`{label}` type widened ({names})", old_ptr, new_ptr)
        else:
            self._finding(side, "type-changed", f"`{label}` type changed ({names})", old_ptr, new_ptr)

    def _constraints(self, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str, side: str, label: str) -> None:
        for keyword in (*_MAXES, *_MINS):
            before, after = _number(old.get(keyword)), _number(new.get(keyword))
            if before == after:
                continue
            tighter = after is not None and (before is None or (after < before if keyword in _MAXES else after > before))
            detail = f"{keyword} {_show(before)} -> {_show(after)}"
            what = "type-narrowed" if tighter else "type-widened"
            self._finding(side, what, f"`{label}` {what[5:]} ({detail})", pointer_join(old_ptr, keyword) if before is not None else old_ptr,
                          pointer_join(new_ptr, keyword) if after is not None else new_ptr)
        for keyword in ("pattern", "format"):
            before, after = old.get(keyword), new.get(keyword)
            if before == after:
                continue
            what = "type-narrowed" if before is None else "type-widened" if after is None else "type-changed"
            self._finding(side, what, f"`{label}` {what[5:]} ({keyword} {_show(before)} -> {_show(after)})",
                          pointer_join(old_ptr, keyword) if before is not None else old_ptr,
                          pointer_join(new_ptr, keyword) if after is not None else new_ptr)

    def _enum(self, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str, side: str, label: str) -> None:
        before, after = old.get("enum"), new.get("enum")
        if not isinstance(before, list) and not isinstance(after, list):
            return
        if not isinstance(before, list) or not isinstance(after, list):
            what = "type-narrowed" if isinstance(after, list) else "type-widened"
            self._finding(side, what, f"`{label}` {what[5:]} (enum {'added' if isinstance(after, list) else 'removed'})",
                          pointer_join(old_ptr, "enum") if isinstance(before, list) else old_ptr,
                          pointer_join(new_ptr, "enum") if isinstance(after, list) else new_ptr)
            return
        old_keys, new_keys = [_key(v) for v in before], [_key(v) for v in after]
        enum_old, enum_new = pointer_join(old_ptr, "enum"), pointer_join(new_ptr, "enum")
        for index, value in enumerate(before):
            if old_keys[index] not in new_keys:
                self._finding(side, "enum-value-removed", f"`{label}` enum value {_show(value)} removed",
                              pointer_join(enum_old, index), enum_new)
        for index, value in enumerate(after):
            if new_keys[index] not in old_keys:
                note = " (the generated client rejects a response holding it)" if side == RESPONSE else ""
                self._finding(side, "enum-value-added", f"`{label}` enum value {_show(value)} added{note}",
                              enum_old, pointer_join(enum_new, index))

    def _alternatives(self, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str, side: str, label: str, depth: int) -> None:
        for keyword in ("anyOf", "oneOf"):
            before, after = old.get(keyword), new.get(keyword)
            if not isinstance(before, list) or not isinstance(after, list):
                continue
            base_old, base_new = pointer_join(old_ptr, keyword), pointer_join(new_ptr, keyword)
            for index in range(min(len(before), len(after))):
                self.compare(before[index], pointer_join(base_old, index), after[index], pointer_join(base_new, index),
                             side, label, depth + 1)
            known = _alternative_types(self.old_data, old) and _alternative_types(self.new_data, new)
            if len(before) != len(after) and not known:  # known types: _types has said it
                what = "type-widened" if len(after) > len(before) else "type-narrowed"
                self._finding(side, what, f"`{label}` {keyword} has {len(after)} alternatives instead of {len(before)}",
                              base_old, base_new)

    def _properties(self, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str, side: str, label: str, depth: int) -> None:
        old_props, old_required, old_home = _properties(self.old_data, old, old_ptr)
        new_props, new_required, new_home = _properties(self.new_data, new, new_ptr)
        for name, (node, pointer) in old_props.items():
            if name not in new_props:
                self._finding(side, "property-removed", f"property `{label}.{name}` removed", pointer, new_home)
                continue
            new_node, new_pointer = new_props[name]
            if name in new_required and name not in old_required:
                self._finding(side, "property-became-required", f"property `{label}.{name}` became required", pointer, new_pointer)
            elif name in old_required and name not in new_required:
                self._finding(side, "property-became-optional", f"property `{label}.{name}` became optional", pointer, new_pointer)
            self.compare(node, pointer, new_node, new_pointer, side, f"{label}.{name}", depth + 1)
        for name, (_node, pointer) in new_props.items():
            if name not in old_props:
                required = name in new_required
                what = "property-added-required" if required else "property-added"
                self._finding(side, what, f"{'required' if required else 'optional'} property `{label}.{name}` added", old_home, pointer)


def _properties(data: Any, schema: dict[str, Any], pointer: str) -> tuple[dict[str, tuple[Any, str]], set[str], str]:
    """Properties (own and from allOf members) with their pointers, the required names, and where they live."""
    found: dict[str, tuple[Any, str]] = {}
    required: set[str] = set()
    home = pointer_join(pointer, "properties") if isinstance(schema.get("properties"), dict) else pointer
    stack = [(schema, pointer, 0)]
    while stack:
        node, here, depth = stack.pop(0)
        if isinstance(node.get("properties"), dict):
            for name, child in node["properties"].items():
                found.setdefault(str(name), (child, pointer_join(pointer_join(here, "properties"), name)))
        if isinstance(node.get("required"), list):
            required.update(str(r) for r in node["required"])
        members = node.get("allOf") if depth < 16 else None
        for index, member in enumerate(members if isinstance(members, list) else []):
            target, target_ptr = follow(data, member, pointer_join(pointer_join(here, "allOf"), index))
            if isinstance(target, dict):
                stack.append((target, target_ptr, depth + 1))
    return found, required, home


def _alternative_types(data: Any, schema: dict[str, Any]) -> frozenset[str]:
    """The JSON types a value may have, looking one level into anyOf/oneOf members (empty: not known)."""
    own = _type_set(schema)
    if own or not any(isinstance(schema.get(k), list) for k in ("anyOf", "oneOf")) or "type" in schema:
        return own
    types: set[str] = set()
    for keyword in ("anyOf", "oneOf"):
        for member in schema.get(keyword) or []:
            node, _ = follow(data, member, "")
            member_types = _type_set(node) if isinstance(node, dict) else frozenset()
            if not member_types:
                return frozenset()
            types |= member_types
    return frozenset(types)


def _type_set(schema: dict[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        types = {declared}
    elif isinstance(declared, list):
        types = {str(t) for t in declared}
    elif any(k in schema for k in ("anyOf", "oneOf", "allOf", "$ref", "not")):
        return frozenset()
    elif "properties" in schema:
        types = {"object"}
    elif "items" in schema:
        types = {"array"}
    else:
        types = set(_ALL_TYPES)
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value, default=str)
