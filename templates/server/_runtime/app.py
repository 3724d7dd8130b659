"""The FastAPI app: error handlers, keys and the body-size limit (the command line is in `serve`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pydantic
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import DEFAULT_INVALID_KEY_MESSAGE, KeyRing, load_keys
from .errors import ApiError, BodyTooLarge, _loc_attr, _server_error, _too_large, _validation_error
from .routes import _allowed_methods

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
"""Request bodies larger than this (1 MiB) are answered 413 unless `make_app` is told otherwise."""

logger = logging.getLogger("spec_server")


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
                    await _too_large(limit).response(_app_model(scope))(scope, receive, send)
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
                await _too_large(limit).response(_app_model(scope))(scope, receive, send)


# --------------------------------------------------------------------------------------------------- the app


def _app_model(scope: Scope) -> Any:
    """The document's common error schema (the model `make_app` was given), or None."""
    app = scope.get("app")
    return getattr(getattr(app, "state", None), "error_model", None)


async def _http_exception(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    headers: dict[str, str] = dict(getattr(exc, "headers", None) or {})
    if status == 404:
        return ApiError(404, "Not found.", code="not_found", headers=headers).response(_app_model(request.scope))
    if status == 405:
        allowed = sorted(_allowed_methods(request))
        if allowed:
            headers["Allow"] = ", ".join(allowed)
        return ApiError(
            405, f'Method "{request.method}" not allowed.', code="method_not_allowed", headers=headers
        ).response(_app_model(request.scope))
    detail = getattr(exc, "detail", None)
    return ApiError(status, str(detail or "Error."), headers=headers).response(_app_model(request.scope))


async def _api_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ApiError):
        return exc.response(_app_model(request.scope))
    return _server_error().response(_app_model(request.scope))


async def _body_too_large(request: Request, exc: Exception) -> Response:
    limit = exc.limit if isinstance(exc, BodyTooLarge) else DEFAULT_MAX_BODY_BYTES
    return _too_large(limit).response(_app_model(request.scope))


async def _request_validation(request: Request, exc: Exception) -> Response:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    if not errors:
        return ApiError(400, "Invalid input.", type="validation_error").response(_app_model(request.scope))
    first = errors[0]
    loc = [part for part in first.get("loc", ()) if part not in ("body", "query", "path", "header", "cookie")]
    return _validation_error(first, attr=_loc_attr(loc)).response(_app_model(request.scope))


async def _unhandled(request: Request, exc: Exception) -> Response:
    logger.error("unhandled error in %s %s: %r", request.method, request.url.path, exc)
    return _server_error().response(_app_model(request.scope))


def make_app(
    title: str,
    version: str,
    *,
    keys: Mapping[str, Any] | None = None,
    keys_env: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    invalid_key_message: str = DEFAULT_INVALID_KEY_MESSAGE,
    error_model: type[pydantic.BaseModel] | None = None,
) -> FastAPI:
    """The FastAPI app with the error handlers, API keys and the request body limit.

    `keys` maps each key to its scopes or to `{"scopes": [...], "user": {...}}`; without it they are read from
    `$keys_env` (a JSON object) or the file `$keys_env_FILE`. A bad configuration raises `KeyConfigError`.
    Errors are answered in the shape of `error_model` (the document's common error schema), by default as
    RFC 9457 problem details; an operation may name its own (`route(error_model=...)`).
    """
    app = FastAPI(title=title, version=version)
    app.state.api_keys = KeyRing(load_keys(keys, keys_env))
    app.state.invalid_key_message = invalid_key_message
    app.state.max_body_bytes = max_body_bytes
    app.state.error_model = error_model
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(BodyTooLarge, _body_too_large)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(Exception, _unhandled)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=max_body_bytes)
    return app
