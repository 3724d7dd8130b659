"""A deterministic synthetic OpenAPI 3.0 document of N CRUD operations, for the generation benchmarks.

Every five operations are one resource (list with limit/offset, create, retrieve, partial update, delete) with
its own schema: a uuid id, a required name, an integer, a nullable string, an enum, a date-time, a list of
strings, an object of string values, and a `$ref` to one shared `Owner` schema (not to the previous resource:
a chain of 200 `$ref`s exceeds openapi-python-client's recursion limit). The same N always gives the same bytes
(JSON, so no YAML library is needed to write it).

Usage: python benchmarks/synthetic.py OPERATIONS [OUT.json]   (default OUT: synthetic-OPERATIONS.json)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

PER_RESOURCE = 5


def _schema(index: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "readOnly": True, "description": "Unique identifier."},
        "name": {"type": "string", "maxLength": 200, "description": f"Display name of widget {index}."},
        "count": {"type": "integer", "minimum": 0, "description": "How many there are."},
        "note": {"type": "string", "nullable": True, "description": "Free text, may be null."},
        "status": {"type": "string", "enum": ["draft", "active", "archived"], "description": "Lifecycle state."},
        "created_at": {"type": "string", "format": "date-time", "readOnly": True},
        "labels": {"type": "array", "items": {"type": "string"}, "description": "Labels attached to it."},
        "attributes": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    properties["owner"] = {"$ref": "#/components/schemas/Owner"}
    return {"type": "object", "required": ["id", "name", "created_at"], "properties": properties}


def _page(index: int) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "nullable": True},
            "previous": {"type": "string", "nullable": True},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/Widget{index}"}},
        },
    }


def _json(schema_name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}


def _resource(index: int) -> dict[str, Any]:
    tag, name = f"widgets{index}", f"Widget{index}"
    not_found = {"404": {"description": "No such widget."}}
    item_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    paging = [
        {
            "name": "limit",
            "in": "query",
            "description": "Number of results to return per page.",
            "schema": {"type": "integer"},
        },
        {
            "name": "offset",
            "in": "query",
            "description": "The initial index from which to return the results.",
            "schema": {"type": "integer"},
        },
        {"name": "search", "in": "query", "description": "A search term.", "schema": {"type": "string"}},
    ]
    collection = {
        "get": {
            "operationId": f"{tag}_list",
            "tags": [tag],
            "summary": f"List widgets of kind {index}.",
            "parameters": paging,
            "responses": {"200": {"description": "A page of widgets.", "content": _json(f"Paginated{name}List")}},
        },
        "post": {
            "operationId": f"{tag}_create",
            "tags": [tag],
            "summary": f"Create a widget of kind {index}.",
            "requestBody": {"required": True, "content": _json(name)},
            "responses": {
                "201": {"description": "Created.", "content": _json(name)},
                "400": {"description": "Invalid."},
            },
        },
    }
    item = {
        "parameters": [item_id],
        "get": {
            "operationId": f"{tag}_retrieve",
            "tags": [tag],
            "summary": f"Retrieve a widget of kind {index}.",
            "responses": {"200": {"description": "The widget.", "content": _json(name)}, **not_found},
        },
        "patch": {
            "operationId": f"{tag}_partial_update",
            "tags": [tag],
            "summary": f"Update a widget of kind {index}.",
            "requestBody": {"content": _json(name)},
            "responses": {"200": {"description": "The updated widget.", "content": _json(name)}, **not_found},
        },
        "delete": {
            "operationId": f"{tag}_destroy",
            "tags": [tag],
            "summary": f"Delete a widget of kind {index}.",
            "responses": {"204": {"description": "Deleted."}, **not_found},
        },
    }
    return {f"/{tag}/": collection, f"/{tag}/{{id}}/": item}


def document(operations: int) -> dict[str, Any]:
    if operations <= 0 or operations % PER_RESOURCE:
        raise ValueError(f"operations must be a positive multiple of {PER_RESOURCE}")
    resources = operations // PER_RESOURCE
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Owner": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    }
    for index in range(resources):
        paths.update(_resource(index))
        schemas[f"Widget{index}"] = _schema(index)
        schemas[f"PaginatedWidget{index}List"] = _page(index)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"Synthetic {operations}",
            "version": "1.0.0",
            "description": "Generated by benchmarks/synthetic.py.",
        },
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def write(operations: int, out: Path) -> Path:
    out.write_text(json.dumps(document(operations), indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    count = int(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"synthetic-{count}.json")
    print(write(count, target))
