"""Request binding: an operation's parameters and body read from the request and validated into its model."""

from __future__ import annotations

import functools
import json
import math
import re
import types
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .errors import ApiError, _loc_attr, _validation_error
from .base import FORM_MEDIA_TYPES, JSON_MEDIA_TYPE, Context, RequestModel
from .datetimes import refuse_naive_datetimes
from .media import File, UploadedFile, read_upload

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
    accepts: tuple[str, ...]  # every media type the operation's body may have
    list_fields: frozenset[str]
    name: str
    produces: str = ""  # the answer's media type when it is no JSON
    events: bool = False  # a JSON answer that may be an event stream instead
    error_model: Any = None  # the pydantic model of the operation's own error schema, or None (the app's)


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


_CONTROL = re.compile("[\x00-\x1f\x7f]")
# A form's text part may hold this many bytes (files stream to disk, any size within the body limit): our limit,
# stated, not whatever the form parser's default happens to be.
MAX_TEXT_PART = 1024 * 1024


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
            if isinstance(value, str) and _CONTROL.search(value):
                # No resource is named with a control character (`%00`): answer as for any unknown one.
                raise ApiError(404, "Not found.", code="not_found")
        elif location == "query":
            if wire not in query:
                continue
            values = query.getlist(wire)
            if python in operation.list_fields:
                if not explode:
                    # `name=` is one empty value, not an empty list: the two are spelt alike, and a list
                    # parameter left out is the way to send none.
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


def _essence(content_type: str) -> str:
    """`type/subtype` of a Content-Type value, lower case, parameters dropped."""
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    return media == JSON_MEDIA_TYPE or (media.startswith("application/") and media.endswith("+json"))


def _media_matches(given: str, declared: str) -> bool:
    declared = _essence(declared)
    if declared in ("*/*", given):
        return True
    kind, _, sub = declared.partition("/")
    return sub == "*" and given.startswith(kind + "/")


def _request_media(operation: _Operation, request: Request) -> str:
    """The request body's media type, checked against what the operation takes (415 otherwise).

    A request without Content-Type is read as the operation's first media type. A model body is bound from JSON
    or a form only, whatever else the document lists.
    """
    header = request.headers.get("content-type")
    if header is None or not header.strip():
        return _essence(operation.media_type)
    given = _essence(header)
    bindable = (
        operation.body is bytes
        or not isinstance(operation.body, type)
        or not issubclass(operation.body, pydantic.BaseModel)
    )
    for declared in operation.accepts:
        if _media_matches(given, declared) and (bindable or _is_json(given) or given in FORM_MEDIA_TYPES):
            return given
    taken = ", ".join(operation.accepts)
    raise ApiError(
        415,
        f'Unsupported media type "{given}" in request; this operation takes {taken}.',
        code="unsupported_media_type",
    )


def _required(operation: _Operation) -> None:
    if operation.body_required:
        raise ApiError(400, "Request body is required.", code="required", type="validation_error")


async def _read_body(operation: _Operation, request: Request) -> Any:
    model = operation.body
    if model is None:
        return None
    media = _request_media(operation, request)
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        raw_body = await request.body()
        if not raw_body:
            _required(operation)
            return None
        if model is bytes:
            return raw_body
        if model is File:
            return UploadedFile(raw_body, _disposition_filename(request), request.headers.get("content-type"))
        if model is str and not _is_json(media):
            try:
                return raw_body.decode("utf-8")
            except UnicodeDecodeError:
                raise ApiError(400, "The text body is not valid UTF-8.", code="parse_error") from None
        _reject_non_finite(raw_body)
        try:
            return _adapter(model).validate_json(raw_body, strict=True)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            raise _validation_error(first, attr=_loc_attr(first["loc"])) from None
    if media in FORM_MEDIA_TYPES:
        try:
            form = await request.form(max_part_size=MAX_TEXT_PART)
        except HTTPException as exc:  # a malformed multipart body, or a text part too large
            raise ApiError(400, f"Form parse error - {exc.detail}", code="parse_error") from None
        data = await _form_to_dict(form, model)
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            raise _validation_error(first, attr=_loc_attr(first["loc"])) from None
    raw_bytes = await request.body()
    if not raw_bytes.strip():
        _required(operation)
        return None
    return _validate_json_body(model, raw_bytes)


@functools.lru_cache(maxsize=None)
def _adapter(body_type: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(body_type)


# A cheap first look: only a body with one of these can hold a number that is not finite once parsed.
_MAYBE_NON_FINITE = re.compile(rb"NaN|Infinity|[eE][+]?[0-9]{3}|[0-9]{300}")


def _not_finite(text: str) -> float:
    raise ApiError(400, f"JSON parse error - {text[:40]} is not a finite number.", code="parse_error")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        _not_finite(text)
    return value


def _reject_non_finite(raw: bytes) -> None:
    """400 for NaN, Infinity or a number too large for a float: JSON has no such values, and storing them would
    answer them as null."""
    if not _MAYBE_NON_FINITE.search(raw):
        return
    try:
        json.loads(raw, parse_constant=_not_finite, parse_float=_finite_float)
    except (ValueError, RecursionError):
        return  # not JSON at all: the validator reports it


def _validate_json_body(model: type[pydantic.BaseModel], raw: bytes) -> pydantic.BaseModel:
    _reject_non_finite(raw)
    try:
        return model.model_validate_json(raw, strict=True)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        raise _validation_error(first, attr=_loc_attr(first["loc"])) from None


async def _form_to_dict(form: FormData, model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """Form fields by name (a list field from its repeated parts), uploaded files read; a part holding JSON (an
    object or an array sent as one text part) is parsed where the field is no text."""
    fields = model.model_fields
    by_wire = {(info.alias or name): info for name, info in fields.items()}
    list_names = {wire for wire, info in by_wire.items() if _is_list_annotation(info.annotation)}
    data: dict[str, Any] = {}
    for key in form.keys():
        values = [await read_upload(value) for value in form.getlist(key)]
        if key in list_names and len(values) == 1 and _json_text(values[0], "["):
            values = json.loads(values[0])
        data[key] = list(values) if key in list_names else values[-1]
        if key in by_wire and _json_text(data[key], "{") and _strip_optional(by_wire[key].annotation) is not str:
            data[key] = json.loads(data[key])
    return data


def _json_text(value: Any, start: str) -> bool:
    if not (isinstance(value, str) and value.lstrip().startswith(start)):
        return False
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def _disposition_filename(request: Request) -> str | None:
    """The filename a whole-body upload names in `Content-Disposition`, if any."""
    header = request.headers.get("content-disposition", "")
    for part in header.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "filename" and value:
            return value.strip('"')
    return None


async def _bind(
    operation: _Operation, request: Request, raw: dict[str, Any], given: Mapping[str, str]
) -> tuple[RequestModel, pydantic.BaseModel | None]:
    has_body_field = "body" in operation.request_model.model_fields
    try:
        operation.request_model.model_validate(raw)
    except pydantic.ValidationError as exc:
        errors = [error for error in exc.errors() if not (error["loc"] and error["loc"][0] == "body")]
        for error in errors:
            # An invalid path value names no resource: answer 404, as Django REST framework does.
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
