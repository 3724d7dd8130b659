"""Typed, frozen views of the parts of an OpenAPI document the model reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.spec.schema import SchemaReader, SchemaView


@dataclass(frozen=True)
class MediaView:
    media_type: str
    schema: SchemaView | None  # as written: a $ref stays a $ref (its `target` follows it)
    pointer: str


@dataclass(frozen=True)
class BodyView:
    pointer: str
    required: bool
    content: tuple[MediaView, ...]  # in the document's order


@dataclass(frozen=True)
class ResponseView:
    status: str  # "200", "2XX", "default"
    pointer: str
    description: str
    content: tuple[MediaView, ...]
    headers: tuple[str, ...] = ()  # the names of the documented response headers, as written


@dataclass(frozen=True)
class ParameterView:
    pointer: str
    name: str
    location: str  # path, query, header or cookie
    required: bool  # as written (a path parameter is always required, whatever it says)
    style: str | None
    explode: bool | None
    schema: SchemaView  # an empty one when the parameter gives none
    description: str | None
    raw: Mapping[str, Any]  # for extensions (x-python-name)


@dataclass(frozen=True)
class OperationView:
    pointer: str
    path: str
    method: str  # lower case, as in the document
    operation_id: str | None
    tags: tuple[str, ...]
    summary: str | None
    description: str | None
    parameters: tuple[ParameterView, ...]  # the path item's and the operation's, the operation's winning
    body: BodyView | None
    responses: Mapping[str, ResponseView | None]  # every status key; None where the response is no object
    security: tuple[Any, ...]  # the requirements in force: the operation's, else the document's
    extensions: Mapping[str, Any]  # x-* keys
    raw: Mapping[str, Any]  # the operation object (x-python-name is read from it)


@dataclass(frozen=True)
class TagView:
    name: str
    description: str | None
    pointer: str
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class SpecView:
    paths: tuple[str, ...]
    operations: tuple[OperationView, ...]  # in document order
    tags: Mapping[str, TagView]  # the document's tag objects by name
    extensions: Mapping[str, Any]  # the document's x-* keys
    schemas: SchemaReader  # every schema view of the document, components included
