"""Small documents for the diff tests: one base, and each rule's test changes one thing in a copy."""

from __future__ import annotations

import copy
from typing import Any

TASK = "/paths/~1tasks~1{task_id}"


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Tasks", "version": "1.2.3"},
    "paths": {
        "/tasks/{task_id}": {
            "get": {
                "operationId": "get_task",
                "tags": ["tasks"],
                "parameters": [
                    {"name": "task_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                ],
                "responses": {"200": {"description": "ok", "content": _json("Task")}},
                "security": [{"key": ["tasks:read"]}],
            },
            "put": {
                "operationId": "update_task",
                "tags": ["tasks"],
                "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {"required": True, "content": _json("TaskInput")},
                "responses": {
                    "200": {"description": "updated", "content": _json("Task")},
                    "204": {"description": "nothing to say"},
                },
                "security": [{"key": ["tasks:write"]}],
            },
        }
    },
    "components": {
        "schemas": {
            "Task": {
                "type": "object",
                "required": ["id", "title", "state"],
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "state": {"type": "string", "enum": ["open", "done"]},
                    "note": {"type": "string"},
                },
            },
            "TaskInput": {
                "type": "object",
                "required": ["title"],
                "properties": {
                    "title": {"type": "string", "maxLength": 100},
                    "state": {"type": "string", "enum": ["open", "done"]},
                    "size": {"type": "integer"},
                },
            },
        },
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    },
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)
