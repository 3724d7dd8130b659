"""Server runtime: models, request binding, auth and scopes, errors, body limit and the command line.

Generic machinery shared by every generated server; it never imports generated modules.
"""

from __future__ import annotations

import functools

import argparse
import json
import logging
import os
import secrets
import types
import typing
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import quote

import pydantic
import pydantic_core
from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "ApiError",
    "ApiModel",
    "BodyLimitMiddleware",
    "Context",
    "InputModel",
    "NotNull",
    "Reply",
    "RequestModel",
    "conflict",
    "load_keys",
    "make_app",
    "not_allowed",
    "not_found",
    "route",
    "serve",
]

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
"""Request bodies larger than this (1 MiB) are answered 413 unless `make_app` is told otherwise."""

logger = logging.getLogger("spec_server")

JSON_MEDIA_TYPE = "application/json"
FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# --------------------------------------------------------------------------------------------------- models


class ApiModel(pydantic.BaseModel):
    """Base of every schema model: fields by wire name or Python name; unknown fields are kept."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")


class InputModel(ApiModel):
    """Base of request-body models: read-only and unknown fields a client sends are ignored."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="ignore")


class RequestModel(pydantic.BaseModel):
    """Base of the generated per-operation request classes (path, query, header values and `body`)."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="ignore")


def _reject_null(value: Any) -> Any:
    if value is None:
        raise pydantic_core.PydanticCustomError("null", "This field may not be null.")
    return value


NotNull = pydantic.AfterValidator(_reject_null)
"""Marks an optional field that must not be null when given: `name: Annotated[str | None, NotNull] = None`.

Defaults are not validated, so leaving the field out stays valid; an explicit `null` is a 400 (`code: "null"`).
"""


# --------------------------------------------------------------------------------------------------- context


@dataclass
class Context:
    """What an implementation knows about the call besides its typed request."""

    key: str
    """The API key the request authenticated with."""
    scopes: frozenset[str]
    """The key's scopes (`"*"` grants every scope)."""
    path: dict[str, Any] = field(default_factory=dict)
    """Path parameters: wire name → validated value."""
    query: dict[str, Any] = field(default_factory=dict)
    """Query parameters the client sent: wire name → validated value."""
    body: pydantic.BaseModel | None = None
    """The validated request body, or None."""
    url: str = ""
    """The full request URL."""
    base_url: str = ""
    """The server's base URL (scheme, host, root path), ending with `/`."""
    headers: dict[str, Any] = field(default_factory=dict)
    """Declared header and cookie parameters the client sent: wire name → validated value."""
    method: str = "GET"
    operation: str = ""
    """The name of the implementing method, e.g. `list`."""


# --------------------------------------------------------------------------------------------------- errors

_DEFAULT_CODES: dict[int, str] = {
    400: "invalid_input",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "error",
    501: "not_implemented",
}


def _default_type(status: int) -> str:
    if status == 400:
        return "validation_error"
    if status in (401, 403):
        return "authentication_error"
    if status == 429:
        return "throttled_error"
    if status >= 500:
        return "server_error"
    return "invalid_request"


class ApiError(Exception):
    """An error answered with PostHog's error body `{"type", "code", "detail", "attr"}`."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        type: str | None = None,
        attr: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or _DEFAULT_CODES.get(status, "error")
        self.type = type or _default_type(status)
        self.attr = attr
        self.headers: dict[str, str] = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "code": self.code, "detail": self.detail, "attr": self.attr}

    def response(self) -> Response:
        return Response(
            json.dumps(self.body()).encode(), status_code=self.status, media_type=JSON_MEDIA_TYPE, headers=self.headers
        )

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.detail!r}, code={self.code!r})"


def not_found(detail: str = "Not found.") -> NoReturn:
    """Raise a 404 (usable as `raise not_found()` too)."""
    raise ApiError(404, detail, code="not_found")


def conflict(detail: str) -> NoReturn:
    """Raise a 409 Conflict."""
    raise ApiError(409, detail, code="conflict")


def not_allowed(detail: str) -> NoReturn:
    """Raise a 405 Method Not Allowed."""
    raise ApiError(405, detail, code="method_not_allowed")


class BodyTooLarge(Exception):
    """Raised from `receive` when a streamed request body passes the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request body exceeds {limit} bytes.")
        self.limit = limit


def _too_large(limit: int) -> ApiError:
    return ApiError(413, f"Request body is larger than the limit of {limit} bytes.", code="request_too_large")


# --------------------------------------------------------------------------------------------------- replies


class Reply:
    """A response given as is: for operations whose response body the spec does not describe.

    `Reply(status, content, media_type, headers)`, or `Reply(stream=iterator)` to stream bytes/str chunks.
    """

    def __init__(
        self,
        status: int = 200,
        content: bytes | str = b"",
        media_type: str | None = JSON_MEDIA_TYPE,
        headers: Mapping[str, str] | None = None,
        *,
        stream: Iterable[bytes | str] | AsyncIterable[bytes | str] | None = None,
    ) -> None:
        self.status = status
        self.content = content.encode() if isinstance(content, str) else content
        self.media_type = media_type
        self.headers: dict[str, str] = dict(headers or {})
        self.stream = stream

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        """A JSON reply of any JSON-able value (pydantic models are dumped by alias)."""
        data = pydantic.TypeAdapter(Any).dump_json(value, by_alias=True, exclude_unset=True)
        return cls(status, data, JSON_MEDIA_TYPE, headers)

    def to_response(self) -> Response:
        if self.stream is not None:
            return StreamingResponse(
                self.stream, status_code=self.status, media_type=self.media_type, headers=self.headers
            )
        return Response(self.content, status_code=self.status, media_type=self.media_type, headers=self.headers)

    def __repr__(self) -> str:
        kind = "stream" if self.stream is not None else f"{len(self.content)} bytes"
        return f"Reply({self.status}, {kind}, media_type={self.media_type!r})"


# --------------------------------------------------------------------------------------------------- keys

Keys = dict[str, frozenset[str]]


def _parse_keys(data: Any, source: str) -> Keys:
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: expected a JSON object mapping each API key to its scopes")
    keys: Keys = {}
    for key, scopes in data.items():
        if isinstance(scopes, str):
            scopes = [part for part in scopes.replace(",", " ").split() if part]
        if not isinstance(key, str) or not isinstance(scopes, (list, tuple)):
            raise ValueError(f"{source}: each key must map to a list of scopes")
        keys[key] = frozenset(str(scope) for scope in scopes)
    return keys


def load_keys_file(path: str) -> Keys:
    """Read a keys file: a JSON object mapping each API key to its scopes."""
    with open(path, encoding="utf-8") as handle:
        return _parse_keys(json.load(handle), path)


def load_keys(keys: Mapping[str, Sequence[str]] | None, keys_env: str | None) -> Keys:
    """The configured keys: `keys` if given, else the JSON object in `$keys_env`, else the file `$keys_env_FILE`."""
    if keys is not None:
        return {key: frozenset([scopes] if isinstance(scopes, str) else scopes) for key, scopes in keys.items()}
    if keys_env:
        raw = os.environ.get(keys_env)
        if raw:
            return _parse_keys(json.loads(raw), keys_env)
        path = os.environ.get(f"{keys_env}_FILE")
        if path:
            return load_keys_file(path)
    return {}


def _has_scope(granted: frozenset[str], required: str) -> bool:
    if "*" in granted or required in granted:
        return True
    # As in PostHog, `<object>:write` implies `<object>:read`.
    obj, _, action = required.partition(":")
    return action == "read" and f"{obj}:write" in granted


def _authenticate(request: Request, scopes: Sequence[str]) -> tuple[str, frozenset[str]]:
    keys: Keys = getattr(request.app.state, "api_keys", {})
    header = request.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    challenge = {"WWW-Authenticate": 'Bearer realm="api"'}
    if not header or scheme.lower() != "bearer" or not token:
        raise ApiError(
            401,
            "Authentication credentials were not provided.",
            code="not_authenticated",
            type="authentication_error",
            headers=challenge,
        )
    granted = keys.get(token)
    if granted is None:
        raise ApiError(
            401,
            "Invalid personal API key.",
            code="authentication_failed",
            type="authentication_error",
            headers=challenge,
        )
    missing = [scope for scope in scopes if not _has_scope(granted, scope)]
    if missing:
        names = ", ".join(f"'{scope}'" for scope in missing)
        plural = "scopes" if len(missing) > 1 else "scope"
        raise ApiError(
            403, f"API key missing required {plural} {names}", code="permission_denied", type="authentication_error"
        )
    return token, granted


# --------------------------------------------------------------------------------------------------- validation

_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("required", "This field is required."),
    "null": ("null", "This field may not be null."),
    "json_invalid": ("parse_error", "JSON parse error - {msg}"),
    "json_type": ("parse_error", "JSON parse error - {msg}"),
    "int_type": ("invalid", "A valid integer is required."),
    "int_parsing": ("invalid", "A valid integer is required."),
    "int_parsing_size": ("invalid", "A valid integer is required."),
    "int_from_float": ("invalid", "A valid integer is required."),
    "float_type": ("invalid", "A valid number is required."),
    "float_parsing": ("invalid", "A valid number is required."),
    "bool_type": ("invalid", "Must be a valid boolean."),
    "bool_parsing": ("invalid", "Must be a valid boolean."),
    "string_type": ("invalid", "Not a valid string."),
    "string_too_long": ("max_length", "Ensure this field has no more than {max_length} characters."),
    "string_too_short": ("min_length", "Ensure this field has at least {min_length} characters."),
    "string_pattern_mismatch": ("invalid", "This value does not match the required pattern."),
    "enum": ("invalid_choice", '"{input}" is not a valid choice.'),
    "literal_error": ("invalid_choice", '"{input}" is not a valid choice.'),
    "uuid_type": ("invalid", "Must be a valid UUID."),
    "uuid_parsing": ("invalid", "Must be a valid UUID."),
    "datetime_type": ("invalid", "Datetime has wrong format."),
    "datetime_parsing": ("invalid", "Datetime has wrong format."),
    "datetime_from_date_parsing": ("invalid", "Datetime has wrong format."),
    "date_type": ("invalid", "Date has wrong format."),
    "date_parsing": ("invalid", "Date has wrong format."),
    "date_from_datetime_parsing": ("invalid", "Date has wrong format."),
    "model_type": ("invalid", "Invalid data. Expected a dictionary, but got {input_type}."),
    "model_attributes_type": ("invalid", "Invalid data. Expected a dictionary, but got {input_type}."),
    "dict_type": ("invalid", "Expected a dictionary of items but got type {input_type}."),
    "list_type": ("not_a_list", "Expected a list of items but got type {input_type}."),
    "too_long": ("max_length", "Ensure this field has no more than {max_length} elements."),
    "too_short": ("min_length", "Ensure this field has at least {min_length} elements."),
    "greater_than_equal": ("min_value", "Ensure this value is greater than or equal to {ge}."),
    "less_than_equal": ("max_value", "Ensure this value is less than or equal to {le}."),
    "greater_than": ("min_value", "Ensure this value is greater than {gt}."),
    "less_than": ("max_value", "Ensure this value is less than {lt}."),
}


def _validation_error(error: Mapping[str, Any], *, attr: str | None) -> ApiError:
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    value = error.get("input")
    ctx.setdefault("msg", error.get("msg", "invalid"))
    ctx["input"] = value if isinstance(value, (str, int, float)) else json.dumps(value, default=str)[:100]
    ctx["input_type"] = type(value).__name__ if not isinstance(value, Mapping) else "dict"
    code, template = _MESSAGES.get(kind, ("invalid_input", "{msg}"))
    try:
        detail = template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        detail = str(error.get("msg", "Invalid input."))
    return ApiError(400, detail, code=code, type="validation_error", attr=attr)


def _loc_attr(loc: Sequence[int | str]) -> str | None:
    parts = [str(part) for part in loc]
    return "__".join(parts) if parts else None


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


# --------------------------------------------------------------------------------------------------- routes

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


def route(
    router: APIRouter,
    method: str,
    path: str,
    request_model: type[RequestModel],
    handler: Handler,
    *,
    scopes: Sequence[str],
    status: int,
    params: Sequence[Param],
    body: Any = None,
    body_required: bool = False,
    media_type: str = JSON_MEDIA_TYPE,
) -> None:
    """Register one operation on `router`: auth and scopes, binding and validation, then `handler`."""
    fields = request_model.model_fields
    list_fields = frozenset(
        python for _, python, _, _ in params if python in fields and _is_list_annotation(fields[python].annotation)
    )
    name = getattr(handler, "__name__", "operation")
    operation = _Operation(
        method=method.upper(),
        path=path,
        request_model=request_model,
        handler=handler,
        scopes=tuple(scopes),
        status=status,
        params=tuple(params),
        body=body,
        body_required=body_required,
        media_type=media_type,
        list_fields=list_fields,
        name=name,
    )

    async def endpoint(request: Request) -> Response:
        return await _dispatch(operation, request)

    endpoint.__name__ = name
    endpoint.__doc__ = request_model.__doc__
    router.add_api_route(
        path,
        endpoint,
        methods=[operation.method],
        status_code=status,
        name=f"{getattr(handler, '__qualname__', name)}",
        summary=(request_model.__doc__ or "").strip() or None,
    )


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


async def _dispatch(operation: _Operation, request: Request) -> Response:
    try:
        key, scopes = _authenticate(request, operation.scopes)
        raw, given = _raw_params(operation, request)
        instance, body = await _bind(operation, request, raw, given)
        ctx = Context(
            key=key,
            scopes=scopes,
            path={wire: getattr(instance, python) for wire, python, loc, _ in operation.params if loc == "path"},
            query={
                wire: getattr(instance, python)
                for wire, python, loc, _ in operation.params
                if loc == "query" and wire in given
            },
            headers={
                wire: getattr(instance, python)
                for wire, python, loc, _ in operation.params
                if loc in ("header", "cookie") and wire in given
            },
            body=body,
            url=_request_url(request),
            base_url=str(request.base_url),
            method=operation.method,
            operation=operation.name,
        )
        result = await operation.handler(instance, ctx)
        return _render(operation, result)
    except ApiError as exc:
        if exc.status == 405 and "Allow" not in exc.headers:
            allowed = sorted(_allowed_methods(request) - {operation.method})
            if allowed:
                exc.headers["Allow"] = ", ".join(allowed)
        return exc.response()
    except BodyTooLarge as exc:
        return _too_large(exc.limit).response()
    except NotImplementedError:
        return ApiError(
            501,
            f"{operation.method} {operation.path} ({operation.name}) is not implemented by this server.",
            code="not_implemented",
        ).response()
    except Exception:
        logger.exception("unhandled error in %s %s", operation.method, request.url.path)
        return _server_error().response()


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
    return instance, body


_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_QUERY_SAFE = "/?!$&'()*+,;=:@-._~%"


def _request_url(request: Request) -> str:
    """The request URL, percent-encoded (Starlette's `request.url` carries the decoded path)."""
    url = request.url
    path = quote(url.path, safe=_PATH_SAFE)
    query = quote(url.query, safe=_QUERY_SAFE)
    return str(url.replace(path=path, query=query))


def _render(operation: _Operation, result: Any) -> Response:
    if isinstance(result, Reply):
        return result.to_response()
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status_code=204 if operation.status == 200 else operation.status)
    if isinstance(result, pydantic.BaseModel):
        content = result.model_dump_json(by_alias=True, exclude_unset=True)
    else:
        content = pydantic.TypeAdapter(Any).dump_json(result, by_alias=True, exclude_unset=True).decode()
    return Response(content, status_code=operation.status, media_type=JSON_MEDIA_TYPE)


def _server_error() -> ApiError:
    return ApiError(500, "A server error occurred.", code="error", type="server_error")


_PROBE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> set[str]:
    """The methods some route serves at the request's path (probed, so nested routers count too)."""
    methods: set[str] = set()
    routes = getattr(request.app, "routes", None) or []
    for method in _PROBE_METHODS:
        scope = dict(request.scope)
        scope["type"] = "http"
        scope["method"] = method
        for candidate in routes:
            try:
                match, _ = candidate.matches(scope)
            except Exception:  # a route that cannot judge this scope does not serve it
                continue
            if match == Match.FULL:
                methods.add(method)
                break
    return methods


# --------------------------------------------------------------------------------------------------- body limit


class BodyLimitMiddleware:
    """Pure ASGI middleware: 413 for a request body past `max_body_bytes` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    break
                if declared > limit:
                    await _too_large(limit).response()(scope, receive, send)
                    return
                break
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(limit).response()(scope, receive, send)


# --------------------------------------------------------------------------------------------------- the app


async def _http_exception(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    headers: dict[str, str] = dict(getattr(exc, "headers", None) or {})
    if status == 404:
        return ApiError(404, "Not found.", code="not_found", headers=headers).response()
    if status == 405:
        allowed = sorted(_allowed_methods(request))
        if allowed:
            headers["Allow"] = ", ".join(allowed)
        return ApiError(
            405, f'Method "{request.method}" not allowed.', code="method_not_allowed", headers=headers
        ).response()
    detail = getattr(exc, "detail", None)
    return ApiError(status, str(detail or "Error."), headers=headers).response()


async def _api_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ApiError):
        return exc.response()
    return _server_error().response()


async def _body_too_large(request: Request, exc: Exception) -> Response:
    limit = exc.limit if isinstance(exc, BodyTooLarge) else DEFAULT_MAX_BODY_BYTES
    return _too_large(limit).response()


async def _request_validation(request: Request, exc: Exception) -> Response:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    if not errors:
        return ApiError(400, "Invalid input.", type="validation_error").response()
    first = errors[0]
    loc = [part for part in first.get("loc", ()) if part not in ("body", "query", "path", "header", "cookie")]
    return _validation_error(first, attr=_loc_attr(loc)).response()


async def _unhandled(request: Request, exc: Exception) -> Response:
    logger.error("unhandled error in %s %s: %r", request.method, request.url.path, exc)
    return _server_error().response()


def make_app(
    title: str,
    version: str,
    *,
    keys: Mapping[str, Sequence[str]] | None = None,
    keys_env: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """The FastAPI app with PostHog-shaped errors, API keys and the request body limit."""
    app = FastAPI(title=title, version=version)
    app.state.api_keys = load_keys(keys, keys_env)
    app.state.max_body_bytes = max_body_bytes
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(BodyTooLarge, _body_too_large)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(Exception, _unhandled)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=max_body_bytes)
    return app


# --------------------------------------------------------------------------------------------------- command line


def serve(create_app: Callable[..., FastAPI], *, prog: str, keys_env: str, argv: Sequence[str] | None = None) -> None:
    """`python -m <server>`: parse the command line, configure keys, run uvicorn."""
    parser = argparse.ArgumentParser(prog=prog, description="Serve the API (in-memory implementation by default).")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")
    parser.add_argument(
        "--keys-file", default=None, help=f"JSON file mapping API keys to scopes (default: ${keys_env}, or a dev key)"
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY_BYTES,
        help=f"largest accepted request body in bytes (default: {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument("--log-level", default="info", help="uvicorn log level (default: info)")
    args = parser.parse_args(argv)

    keys: Keys | None
    if args.keys_file:
        keys = load_keys_file(args.keys_file)
    else:
        keys = load_keys(None, keys_env) or None
    if not keys:
        dev_key = "phx_dev_" + secrets.token_urlsafe(24)
        keys = {dev_key: frozenset({"*"})}
        print(f"No API keys configured (${keys_env} or --keys-file); development key with every scope:", flush=True)
        print(f"    Authorization: Bearer {dev_key}", flush=True)

    import uvicorn

    app = create_app(keys={key: sorted(scopes) for key, scopes in keys.items()}, max_body_bytes=args.max_body_bytes)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
