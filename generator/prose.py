"""Edits that cannot change what validating a document finds: a `description` or a `summary` rewritten (or, on an
operation, which always allows both, added or removed).

Regenerating after such an edit (the most common one) takes the previous validation's warnings, re-located since
lines may have moved, instead of running the validator again, which is most of a regeneration's time. Anything else
that differs (a key, a type, a number, a string that is not prose) means validating again.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.errors import pointer_join, pointer_parts
from generator.refs import LITERALS, NAME_MAPS

PROSE = frozenset({"description", "summary"})
# Strings under these are data: checked against a schema (examples, defaults), or read by us (extensions).
DATA = LITERALS | {"examples", "mapping"}
# Maps whose keys the document chooses: `description` there names a property, a response, a scope..., not prose.
NAMED = NAME_MAPS | {
    "$defs", "definitions", "dependentSchemas", "schemas", "responses", "parameters", "headers", "requestBodies",
    "securitySchemes", "links", "callbacks", "pathItems", "encoding", "content", "scopes", "variables", "paths",
    "webhooks",
}

OPERATION = re.compile(r"/paths/[^/]+/(get|put|post|delete|options|head|patch|trace)")


def prose_changes(old: Any, new: Any) -> list[str] | None:
    """The JSON pointers of the prose strings that differ between two versions of a document's data, or None when
    anything else differs. Types are compared strictly (`1`, `1.0` and `true` differ)."""
    changed: list[str] = []
    # (old, new, pointer, the key holding this value, the key holding its container, under data)
    stack: list[tuple[Any, Any, str, str, str, bool]] = [(old, new, "", "", "", False)]
    while stack:
        before, after, pointer, key, container_key, in_data = stack.pop()
        if type(before) is not type(after):
            return None
        if isinstance(before, dict):
            if list(before) != list(after):
                added_or_removed = before.keys() ^ after.keys()
                if not (added_or_removed <= PROSE and OPERATION.fullmatch(pointer)):
                    return None
                if [name for name in before if name in after] != [name for name in after if name in before]:
                    return None
                if not all(isinstance(after[name], str) for name in added_or_removed if name in after):
                    return None
                changed.extend(pointer_join(pointer, name) for name in sorted(added_or_removed))
            for child in (name for name in before if name in after):
                under_data = in_data or child in DATA or child.startswith("x-")
                stack.append((before[child], after[child], pointer_join(pointer, child), child, key, under_data))
        elif isinstance(before, list):
            if len(before) != len(after):
                return None
            for index, (item_before, item_after) in enumerate(zip(before, after)):
                stack.append((item_before, item_after, pointer_join(pointer, index), "", key, in_data))
        elif before != after:
            if not (isinstance(before, str) and key in PROSE and container_key not in NAMED and not in_data):
                return None
            changed.append(pointer)
    # Two items of a list made equal by the edit: a list that must hold distinct items (tags, parameters) no longer
    # does, whatever the words.
    if any(_has_equal_items(new, pointer) for pointer in changed):
        return None
    return changed


def _has_equal_items(data: Any, pointer: str) -> bool:
    """Whether a list on the way to `pointer` holds two equal items."""
    node = data
    for token in pointer_parts(pointer):
        if isinstance(node, list):
            if len({json.dumps(item, sort_keys=True) for item in node}) < len(node):
                return True
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node.get(token)
    return False
