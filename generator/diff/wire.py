"""The wire contract of two documents compared: operations, parameters, bodies, responses and security.

Operations are matched by method and path (placeholder names aside: `/pets/{id}` is `/pets/{petId}`), then by
operationId, so a moved operation is reported as moved rather than as one removal and one addition. Schemas are
compared by schemas.py, each on its side of the exchange.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import paths
from generator.diff.change import WIRE, Change
from generator.diff.schemas import REQUEST, RESPONSE, SchemaDiff, follow
from generator.errors import pointer_join

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
def path_shape(path: str) -> str:
    """The path with its placeholders unnamed (`/items/{}/`): renaming one is no change of the wire."""
    return paths.fill(path, lambda _name: "{}")


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str
    pointer: str
    node: dict[str, Any]
    path_item: dict[str, Any]
    path_pointer: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, path_shape(self.path))

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def operation_id(self) -> str:
        value = self.node.get("operationId")
        return value if isinstance(value, str) else ""


def operations(data: Any) -> dict[tuple[str, str], Operation]:
    found: dict[tuple[str, str], Operation] = {}
    paths = data.get("paths") if isinstance(data, dict) else None
    for path, item in (paths or {}).items() if isinstance(paths, dict) else ():
        item_pointer = pointer_join("/paths", path)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                op = Operation(method.upper(), str(path), pointer_join(item_pointer, method), item[method], item, item_pointer)
                found.setdefault(op.key, op)
    return found


def compare_wire(old_data: Any, new_data: Any) -> list[Change]:
    return _Wire(old_data, new_data).run()


class _Wire:
    def __init__(self, old_data: Any, new_data: Any) -> None:
        self.old_data, self.new_data = old_data, new_data
        self.changes: list[Change] = []
        self.schemas = SchemaDiff(old_data, new_data, self.emit)

    def emit(self, rule: str, breaking: bool, message: str, old: str, new: str) -> None:
        self.changes.append(Change(WIRE, rule, breaking, message, old, new))

    def run(self) -> list[Change]:
        old_ops, new_ops = operations(self.old_data), operations(self.new_data)
        new_by_id = {op.operation_id: op for op in new_ops.values() if op.operation_id}
        matched: set[tuple[str, str]] = set()
        for key, old in old_ops.items():
            new = new_ops.get(key)
            if new is None:
                candidate = new_by_id.get(old.operation_id) if old.operation_id else None
                if candidate is not None and candidate.key not in old_ops:
                    new = candidate
                    self.emit("operation-moved", True, f"operation `{old.operation_id}` moved: {old.label} -> {new.label}",
                              old.pointer, new.pointer)
            if new is None:
                self.emit("operation-removed", True, f"operation {old.label} removed", old.pointer, self._nearest_new(old))
                continue
            matched.add(new.key)
            self._operation(old, new)
        for key, new in new_ops.items():
            if key not in matched and key not in old_ops:
                old_home = self._nearest(self.old_data, new)
                self.emit("operation-added", False, f"operation {new.label} added", old_home, new.pointer)
        self._security_schemes()
        unique = {(c.rule, c.old, c.new, c.message): c for c in self.changes}
        return sorted(unique.values(), key=Change.sort_key)

    def _nearest_new(self, old: Operation) -> str:
        return self._nearest(self.new_data, old)

    @staticmethod
    def _nearest(data: Any, op: Operation) -> str:
        paths = data.get("paths") if isinstance(data, dict) else None
        return op.path_pointer if isinstance(paths, dict) and op.path in paths else "/paths"

    def _operation(self, old: Operation, new: Operation) -> None:
        self._parameters(old, new)
        self._request_body(old, new)
        self._responses(old, new)
        self._security(old, new)

    # -- parameters

    def _parameters(self, old: Operation, new: Operation) -> None:
        before, after = _parameters(self.old_data, old), _parameters(self.new_data, new)
        label = new.label
        for key in [k for k in before if k not in after]:
            moved = next((k for k in after if k not in before and after[k][0].get("name") == before[key][0].get("name")), None)
            node, site, _ = before[key]
            if moved is not None:
                self.emit("parameter-moved", True, f"{label}: parameter `{node.get('name')}` moved from {key[0]} to {moved[0]}",
                          site, after[moved][1])
                del after[moved]
            else:
                self.emit("parameter-removed", True, f"{label}: {key[0]} parameter `{before[key][0].get('name')}` removed", site, new.pointer)
        for key, (node, site, _) in after.items():
            if key not in before:
                required = node.get("required") is True
                rule = "parameter-added-required" if required else "parameter-added"
                what = "required" if required else "optional"
                self.emit(rule, required, f"{label}: {what} {key[0]} parameter `{node.get('name')}` added", old.pointer, site)
                continue
            old_node, old_site, old_resolved = before[key]
            _, _, new_resolved = after[key]
            was, now = old_node.get("required") is True, node.get("required") is True
            if now and not was:
                self.emit("parameter-became-required", True, f"{label}: parameter `{node.get('name')}` became required", old_site, site)
            elif was and not now:
                self.emit("parameter-became-optional", False, f"{label}: parameter `{node.get('name')}` became optional", old_site, site)
            for keyword in ("style", "explode"):
                if old_node.get(keyword) != node.get(keyword):
                    self.emit("parameter-serialization-changed", True,
                              f"{label}: parameter `{node.get('name')}` {keyword} changed", old_site, site)
            if "schema" in old_node and "schema" in node:
                self.schemas.compare(old_node["schema"], pointer_join(old_resolved, "schema"), node["schema"],
                                     pointer_join(new_resolved, "schema"), REQUEST, f"{label} parameter {node.get('name')}")

    # -- request body

    def _request_body(self, old: Operation, new: Operation) -> None:
        old_body, old_ptr = follow(self.old_data, old.node.get("requestBody"), pointer_join(old.pointer, "requestBody"))
        new_body, new_ptr = follow(self.new_data, new.node.get("requestBody"), pointer_join(new.pointer, "requestBody"))
        label = new.label
        if not isinstance(old_body, dict) or not old_body:
            if isinstance(new_body, dict) and new_body:
                required = new_body.get("required") is True
                rule = "request-body-added-required" if required else "request-body-added"
                self.emit(rule, required, f"{label}: {'required' if required else 'optional'} request body added", old.pointer, new_ptr)
            return
        if not isinstance(new_body, dict) or not new_body:
            self.emit("request-body-removed", True, f"{label}: request body removed (what clients send is ignored)", old_ptr, new.pointer)
            return
        was, now = old_body.get("required") is True, new_body.get("required") is True
        if now and not was:
            self.emit("request-body-became-required", True, f"{label}: request body became required", old_ptr, new_ptr)
        elif was and not now:
            self.emit("request-body-became-optional", False, f"{label}: request body became optional", old_ptr, new_ptr)
        self._content(old_body, old_ptr, new_body, new_ptr, REQUEST, f"{label} request body")

    def _content(self, old: dict[str, Any], old_ptr: str, new: dict[str, Any], new_ptr: str, side: str, label: str) -> None:
        before, after = _mapping(old.get("content")), _mapping(new.get("content"))
        old_content, new_content = pointer_join(old_ptr, "content"), pointer_join(new_ptr, "content")
        for media in before:
            if media not in after:
                self.emit(f"{side}-media-type-removed", True, f"{label}: media type {media} removed",
                          pointer_join(old_content, media), new_content if after else new_ptr)
        for media, entry in after.items():
            here = pointer_join(new_content, media)
            if media not in before:
                self.emit(f"{side}-media-type-added", False, f"{label}: media type {media} added", old_content if before else old_ptr, here)
            elif isinstance(entry, dict) and isinstance(before[media], dict) and "schema" in entry and "schema" in before[media]:
                there = pointer_join(old_content, media)
                self.schemas.compare(before[media]["schema"], pointer_join(there, "schema"), entry["schema"],
                                     pointer_join(here, "schema"), side, label)

    # -- responses

    def _responses(self, old: Operation, new: Operation) -> None:
        before = _mapping(old.node.get("responses"))
        after = _mapping(new.node.get("responses"))
        old_home, new_home = pointer_join(old.pointer, "responses"), pointer_join(new.pointer, "responses")
        label = new.label
        old_success = [str(s) for s in before if _success(str(s))]
        new_success = [str(s) for s in after if _success(str(s))]
        gone = [s for s in old_success if s not in new_success]
        came = [s for s in new_success if s not in old_success]
        for status in gone:
            if came:
                self.emit("success-status-changed", True, f"{label}: success status {status} -> {', '.join(came)}",
                          pointer_join(old_home, status), pointer_join(new_home, came[0]))
            else:
                self.emit("success-status-removed", True, f"{label}: success status {status} removed", pointer_join(old_home, status), new_home)
        if not gone:
            for status in came:
                self.emit("success-status-added", False, f"{label}: success status {status} added", old_home, pointer_join(new_home, status))
        for status in [str(s) for s in before if not _success(str(s)) and str(s) not in {str(k) for k in after}]:
            self.emit("error-status-removed", False, f"{label}: response {status} removed", pointer_join(old_home, status), new_home)
        for status in [str(s) for s in after if not _success(str(s)) and str(s) not in {str(k) for k in before}]:
            self.emit("error-status-added", False, f"{label}: response {status} added", old_home, pointer_join(new_home, status))
        by_text = {str(k): v for k, v in before.items()}
        for status, response in after.items():
            status = str(status)
            if status not in by_text or not _success(status):
                continue
            old_response, old_ptr = follow(self.old_data, by_text[status], pointer_join(old_home, status))
            new_response, new_ptr = follow(self.new_data, response, pointer_join(new_home, status))
            if isinstance(old_response, dict) and isinstance(new_response, dict):
                self._content(old_response, old_ptr, new_response, new_ptr, RESPONSE, f"{label} response {status}")

    # -- security

    def _security(self, old: Operation, new: Operation) -> None:
        before, old_ptr = _effective_security(self.old_data, old)
        after, new_ptr = _effective_security(self.new_data, new)
        label = new.label
        anonymous_now = "" in after  # an empty alternative: calling without credentials is still allowed
        for scheme, (scopes, pointer) in after.items():
            if scheme == "":
                continue
            if scheme not in before:
                breaking = not anonymous_now
                self.emit("security-scheme-added", breaking, f"{label}: security scheme `{scheme}` required", old_ptr, pointer)
                continue
            old_scopes, old_scheme_ptr = before[scheme]
            for scope, scope_ptr in scopes.items():
                if scope not in old_scopes:
                    self.emit("security-scope-added", True, f"{label}: scope `{scope}` of `{scheme}` required", old_scheme_ptr, scope_ptr)
            for scope, scope_ptr in old_scopes.items():
                if scope not in scopes:
                    self.emit("security-scope-removed", False, f"{label}: scope `{scope}` of `{scheme}` no longer required", scope_ptr, pointer)
        for scheme, (_scopes, pointer) in before.items():
            if scheme and scheme not in after:
                self.emit("security-scheme-removed", False, f"{label}: security scheme `{scheme}` no longer used", pointer, new_ptr)

    def _security_schemes(self) -> None:
        before, after = _schemes(self.old_data), _schemes(self.new_data)
        for name, (node, pointer) in before.items():
            if name in after:
                new_node, new_pointer = after[name]
                changed = [k for k in ("type", "in", "name", "scheme") if node.get(k) != new_node.get(k)]
                if changed:
                    self.emit("security-scheme-changed", True, f"security scheme `{name}` changed ({', '.join(changed)})", pointer, new_pointer)


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _success(status: str) -> bool:
    return status.startswith("2") or status.upper() == "2XX"


def _parameters(data: Any, op: Operation) -> dict[tuple[str, str], tuple[dict[str, Any], str, str]]:
    """(location, name) -> (parameter, pointer where it is listed, pointer where it is defined); path parameters
    are keyed by their place in the path instead of their name, which clients never send."""
    placeholders = paths.placeholders(op.path)
    found: dict[tuple[str, str], tuple[dict[str, Any], str, str]] = {}
    for container, pointer in ((op.path_item, op.path_pointer), (op.node, op.pointer)):
        listed = container.get("parameters")
        for index, raw in enumerate(listed if isinstance(listed, list) else []):
            site = pointer_join(pointer_join(pointer, "parameters"), index)
            node, resolved = follow(data, raw, site)
            if not isinstance(node, dict):
                continue
            location, name = str(node.get("in")), str(node.get("name"))
            if location == "path" and name in placeholders:
                name = f"#{placeholders.index(name) + 1} in the path"
            found[(location, name)] = (node, site, resolved)
    return found


SecurityMap = dict[str, tuple[dict[str, str], str]]  # scheme -> ({scope: pointer}, pointer of the scheme entry)


def _effective_security(data: Any, op: Operation) -> tuple[SecurityMap, str]:
    if "security" in op.node:
        requirements, pointer = op.node.get("security"), pointer_join(op.pointer, "security")
    else:
        requirements, pointer = data.get("security") if isinstance(data, dict) else None, "/security"
    found: SecurityMap = {}
    for index, alternative in enumerate(requirements if isinstance(requirements, list) else []):
        here = pointer_join(pointer, index)
        if not isinstance(alternative, dict):
            continue
        if not alternative:
            found.setdefault("", ({}, here))
        for scheme, scopes in alternative.items():
            scheme_ptr = pointer_join(here, scheme)
            entry = found.setdefault(str(scheme), ({}, scheme_ptr))
            for position, scope in enumerate(scopes if isinstance(scopes, list) else []):
                entry[0].setdefault(str(scope), pointer_join(scheme_ptr, position))
    return found, pointer


def _schemes(data: Any) -> dict[str, tuple[dict[str, Any], str]]:
    components = data.get("components") if isinstance(data, dict) else None
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    found = {}
    for name, node in (schemes or {}).items() if isinstance(schemes, dict) else ():
        pointer = pointer_join("/components/securitySchemes", name)
        resolved, _ = follow(data, node, pointer)
        if isinstance(resolved, dict):
            found[str(name)] = (resolved, pointer)
    return found
