"""JSON values and field annotations for the in-memory store: comparable keys, wire names, optional types."""

from __future__ import annotations

import enum
import json
import types
import typing
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pydantic
import pydantic_core

_ID_NAMES = ("id", "pk", "uuid")

Row = dict[str, Any]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    return pydantic_core.to_jsonable_python(value, by_alias=True)


def _key(value: Any) -> str:
    """A hashable, comparable spelling of a JSON value (ids, filter values)."""
    value = _jsonable(value)
    if isinstance(value, str):
        return value.lower() if _looks_like_uuid(value) else value
    return json.dumps(value, sort_keys=True)


def _looks_like_uuid(value: str) -> bool:
    if len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `None`, and whether `None` was allowed."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        nullable = len(args) != len(typing.get_args(annotation))
        if len(args) == 1:
            inner, inner_nullable = _strip_optional(args[0])
            return inner, nullable or inner_nullable
        return annotation, nullable
    return annotation, annotation is type(None)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def _wire(name: str, info: pydantic.fields.FieldInfo) -> str:
    return info.alias or name


def _is_text_or_json(annotation: Any) -> tuple[bool, bool]:
    """(is a string field, is a free-form JSON field)."""
    inner, _ = _strip_optional(annotation)
    if inner is str:
        return True, False
    if inner is Any or inner is object:
        return False, True
    origin = typing.get_origin(inner)
    if inner is dict or origin is dict or origin is Mapping:
        return False, True
    return False, False
