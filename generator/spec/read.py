"""The validated document into views (generator.spec.views), every parameter, body and response $ref resolved once."""

from __future__ import annotations

from typing import Any

from generator.errors import pointer_join
from generator.refs import deref
from generator.rules import operations
from generator.spec.schema import SchemaReader
from generator.spec.views import BodyView, MediaView, OperationView, ParameterView, ResponseView, SpecView, TagView

_LOCATIONS = ("path", "query", "header", "cookie")


def read_spec(data: dict[str, Any], pointers: dict[int, str]) -> SpecView:
    """`pointers` maps id() of the document's mappings and lists to their JSON pointers (load.pointer_index)."""
    def at(node: Any) -> str:
        return pointers.get(id(node), "")

    schemas = SchemaReader(data, pointers)
    paths = data.get("paths")
    tags = {
        t["name"]: TagView(t["name"], t.get("description"), at(t), t)
        for t in data.get("tags") or []
        if isinstance(t, dict) and isinstance(t.get("name"), str)
    }
    found = tuple(
        _operation(data, at, schemas, pointer, path, method, item, op) for pointer, path, method, item, op in operations(data)
    )
    path_keys = tuple(str(p) for p in paths) if isinstance(paths, dict) else ()
    return SpecView(path_keys, found, tags, _extensions(data), schemas)


def _operation(
    data: dict[str, Any], at: Any, schemas: SchemaReader, pointer: str, path: str, method: str, item: dict[str, Any], op: dict[str, Any]
) -> OperationView:
    responses: dict[str, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
    security = op.get("security", data.get("security")) or []
    return OperationView(
        pointer=pointer,
        path=path,
        method=method,
        operation_id=op.get("operationId"),
        tags=tuple(op.get("tags") or ()),
        summary=op.get("summary"),
        description=op.get("description"),
        parameters=_parameters(data, at, schemas, item, op),
        body=_body(deref(data, op.get("requestBody")), at, schemas),
        responses={str(status): _response(str(status), deref(data, value), at, schemas) for status, value in responses.items()},
        security=tuple(security) if isinstance(security, list) else (),
        extensions=_extensions(op),
        raw=op,
    )


def _parameters(
    data: dict[str, Any], at: Any, schemas: SchemaReader, item: dict[str, Any], op: dict[str, Any]
) -> tuple[ParameterView, ...]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = deref(data, raw)
        if isinstance(param, dict) and isinstance(param.get("name"), str) and param.get("in") in _LOCATIONS:
            merged[(param["name"], param["in"])] = param
    return tuple(
        ParameterView(
            pointer=at(p),
            name=p["name"],
            location=p["in"],
            required=bool(p.get("required")),
            style=p.get("style"),
            explode=p.get("explode"),
            schema=schemas.view(p.get("schema"), pointer_join(at(p), "schema")) or schemas.empty(at(p)),
            description=p.get("description"),
            raw=p,
        )
        for p in merged.values()
    )


def _content(content: Any, base: str, schemas: SchemaReader) -> tuple[MediaView, ...]:
    if not isinstance(content, dict):
        return ()
    found = []
    for media, value in content.items():
        pointer = pointer_join(pointer_join(base, "content"), media)
        schema = schemas.view(value.get("schema"), pointer_join(pointer, "schema")) if isinstance(value, dict) else None
        found.append(MediaView(str(media), schema, pointer))
    return tuple(found)


def _body(request: Any, at: Any, schemas: SchemaReader) -> BodyView | None:
    if not isinstance(request, dict):
        return None
    return BodyView(at(request), bool(request.get("required")), _content(request.get("content"), at(request), schemas))


def _response(status: str, response: Any, at: Any, schemas: SchemaReader) -> ResponseView | None:
    if not isinstance(response, dict):
        return None
    headers = response.get("headers")
    names = tuple(str(name) for name in headers) if isinstance(headers, dict) else ()
    content = _content(response.get("content"), at(response), schemas)
    return ResponseView(status, at(response), str(response.get("description") or ""), content, names)


def _extensions(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if isinstance(key, str) and key.startswith("x-")}
