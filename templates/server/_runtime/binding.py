"""Request binding: an operation's parameters and body read from the request and validated into its model."""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic
from starlette.datastructures import FormData
from starlette.requests import Request

from .errors import ApiError, _loc_attr, _validation_error
from .base import FORM_MEDIA_TYPES, Context, RequestModel
from .datetimes import refuse_naive_datetimes

Handler = Callable[[Any, Context], Awaitable[Any]]
Param = tuple[str, str, str, bool]


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    request_model: type[RequestModel]
    handler: Handler
    scopes: tuple[str, ...]
    status: int
    params: tuple[Param, ...]
    body: Any  # a pydantic model class, bytes, any other type expression, or None for no body
    body_required: bool
    media_type: str
    list_fields: frozenset[str]
    name: str


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    return annotation


def _is_list_annotation(annotation: Any) -> bool:
    origin = typing.get_origin(_strip_optional(annotation))
    return origin in (list, tuple, set, frozenset) or origin is Sequence


def _raw_params(operation: _Operation, request: Request) -> tuple[dict[str, Any], dict[str, str]]:
    """Raw values by wire name, and each given parameter's location."""
    raw: dict[str, Any] = {}
    given: dict[str, str] = {}
    query = request.query_params
    for wire, python, location, explode in operation.params:
        value: Any
        if location == "path":
            if python not in request.path_params:
                continue
            value = request.path_params[python]
        elif location == "query":
            if wire not in query:
                continue
            values = query.getlist(wire)
            if python in operation.list_fields:
                if not explode:
                    if values == [""]:
                        values = []
                    values = [part for item in values for part in item.split(",")]
                value = values
            else:
                value = values[-1]
        elif location == "header":
            if wire.lower() not in request.headers:
                continue
            value = request.headers[wire.lower()]
            if python in operation.list_fields:
                value = [part.strip() for part in value.split(",")]
        elif location == "cookie":
            if wire not in request.cookies:
                continue
            value = request.cookies[wire]
        else:
            continue
        raw[wire] = value
        given[wire] = location
    return raw, given


async def _read_body(operation: _Operation, request: Request) -> Any:
    model = operation.body
    if model is None:
        return None
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        raw_body = await request.body()
        if not raw_body and operation.body_required:
            raise ApiError(400, "Request body is required.", code="required", type="validation_error")
        if model is bytes or not raw_body:
            return raw_body or None
        try:
            return _adapter(model).validate_json(raw_body, strict=True)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            raise _validation_error(first, attr=_loc_attr(first["loc"])) from None
    if operation.media_type in FORM_MEDIA_TYPES:
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith(FORM_MEDIA_TYPES):
            raw_bytes = await request.body()
            if not raw_bytes:
                if operation.body_required:
                    raise ApiError(400, "Request body is required.", code="required", type="validation_error")
                return None
            return _validate_json_body(model, raw_bytes)
        form = await request.form()
        data = _form_to_dict(form, model)
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            raise _validation_error(first, attr=_loc_attr(first["loc"])) from None
    raw_bytes = await request.body()
    if not raw_bytes.strip():
        if operation.body_required:
            raise ApiError(400, "Request body is required.", code="required", type="validation_error")
        return None
    return _validate_json_body(model, raw_bytes)


@functools.lru_cache(maxsize=None)
def _adapter(body_type: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(body_type)


def _validate_json_body(model: type[pydantic.BaseModel], raw: bytes) -> pydantic.BaseModel:
    try:
        return model.model_validate_json(raw, strict=True)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        raise _validation_error(first, attr=_loc_attr(first["loc"])) from None


def _form_to_dict(form: FormData, model: type[pydantic.BaseModel]) -> dict[str, Any]:
    list_names = {
        (info.alias or name) for name, info in model.model_fields.items() if _is_list_annotation(info.annotation)
    }
    data: dict[str, Any] = {}
    for key in form.keys():
        values = form.getlist(key)
        data[key] = list(values) if key in list_names else values[-1]
    return data


async def _bind(
    operation: _Operation, request: Request, raw: dict[str, Any], given: Mapping[str, str]
) -> tuple[RequestModel, pydantic.BaseModel | None]:
    has_body_field = "body" in operation.request_model.model_fields
    try:
        operation.request_model.model_validate(raw)
    except pydantic.ValidationError as exc:
        errors = [error for error in exc.errors() if not (error["loc"] and error["loc"][0] == "body")]
        for error in errors:
            # An invalid path value names no resource: answer 404 as PostHog (Django) does.
            if error["loc"] and given.get(str(error["loc"][0])) == "path":
                raise ApiError(404, "Not found.", code="not_found") from None
        if errors:
            first = errors[0]
            raise _validation_error(first, attr=str(first["loc"][0]) if first["loc"] else None) from None
    body = await _read_body(operation, request)
    data = dict(raw)
    if has_body_field:
        data["body"] = body
    try:
        instance = operation.request_model.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"]
        attr = _loc_attr(loc[1:]) if loc and loc[0] == "body" else _loc_attr(loc[:1])
        raise _validation_error(first, attr=attr) from None
    refuse_naive_datetimes(instance)
    return instance, body
