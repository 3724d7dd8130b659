"""Which component schemas only ever travel in request bodies: those become input models (unknown fields ignored)."""

from __future__ import annotations

from typing import Any

COMPONENT_PREFIX = "#/components/schemas/"


def request_only_schemas(spec: dict[str, Any]) -> frozenset[str]:
    """Component schema keys reachable from a request body and from nothing else (responses, parameters, ...)."""
    schemas = (spec.get("components") or {}).get("schemas") or {}
    request_roots: list[Any] = [(spec.get("components") or {}).get("requestBodies")]
    other_roots: list[Any] = []
    for key, value in spec.items():
        if key == "paths" and isinstance(value, dict):
            for item in value.values():
                for name, operation in (item or {}).items() if isinstance(item, dict) else ():
                    if isinstance(operation, dict):
                        request_roots.append(operation.get("requestBody"))
                        other_roots.append({k: v for k, v in operation.items() if k != "requestBody"})
                    else:
                        other_roots.append(operation)
        elif key == "components" and isinstance(value, dict):
            other_roots.append({k: v for k, v in value.items() if k not in ("schemas", "requestBodies")})
        else:
            other_roots.append(value)
    on_request = _reachable(request_roots, schemas)
    elsewhere = _reachable(other_roots, schemas)
    return frozenset(on_request - elsewhere)


def _reachable(roots: list[Any], schemas: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX):
                key = ref[len(COMPONENT_PREFIX):]
                if key not in found and key in schemas:
                    found.add(key)
                    stack.append(schemas[key])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
