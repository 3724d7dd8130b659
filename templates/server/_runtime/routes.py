"""Operations on the router: `route` registers one, `_dispatch` runs auth, binding, the handler and the answer."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pydantic
from fastapi import APIRouter
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Match

from .auth import _authenticate
from .binding import Handler, Param, _bind, _is_list_annotation, _Operation, _raw_params
from .errors import ApiError, BodyTooLarge, _server_error, _too_large
from .base import JSON_MEDIA_TYPE, Context, Reply, RequestModel, json_text
from .media import media_response

logger = logging.getLogger("spec_server")


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
    accepts: Sequence[str] = (),
    produces: str = "",
    events: bool = False,
    error_model: type[pydantic.BaseModel] | None = None,
) -> None:
    """Register one operation on `router`: auth and scopes, binding and validation, then `handler`.

    `accepts` lists every media type the body may have when there is more than `media_type`; a body of another
    type is a 415. `produces` is the answer's media type when it is no JSON (bytes, text or a stream of them, or
    events); `events`: a JSON answer that may be an event stream instead (the handler returns an iterator). A GET
    operation answers HEAD too (same checks, no body). Its errors take the shape of `error_model` where the
    operation documents its own, else the app's.
    """
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
        accepts=tuple(accepts) or (media_type,),
        list_fields=list_fields,
        name=name,
        produces=produces,
        events=events,
        error_model=error_model,
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
    if operation.method == "GET":
        router.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False, name=f"{name}_head")


async def _dispatch(operation: _Operation, request: Request) -> Response:
    response = await _answer(operation, request)
    if request.method == "HEAD":
        return _headers_only(response)
    return response


async def _answer(operation: _Operation, request: Request) -> Response:
    model = operation.error_model or getattr(request.app.state, "error_model", None)
    try:
        key, granted = _authenticate(request, operation.scopes)
        raw, given = _raw_params(operation, request)
        instance, body = await _bind(operation, request, raw, given)
        ctx = Context(
            key=key,
            scopes=granted.scopes,
            user=granted.user,
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
            accept=request.headers.get("accept", ""),
        )
        result = await operation.handler(instance, ctx)
        return _render(operation, result, ctx.response_headers)
    except ApiError as exc:
        if exc.status == 405 and "Allow" not in exc.headers:
            allowed = sorted(_allowed_methods(request) - {operation.method})
            if allowed:
                exc.headers["Allow"] = ", ".join(allowed)
        return exc.response(model)
    except BodyTooLarge as exc:
        return _too_large(exc.limit).response(model)
    except ClientDisconnect:
        logger.info("client disconnected during %s %s", request.method, request.url.path)
        return Response(status_code=400)
    except NotImplementedError:
        return ApiError(
            501,
            f"{operation.method} {operation.path} ({operation.name}) is not implemented by this server.",
            code="not_implemented",
        ).response(model)
    except Exception:
        logger.exception("unhandled error in %s %s", operation.method, request.url.path)
        return _server_error().response(model)


_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_QUERY_SAFE = "/?!$&'()*+,;=:@-._~%"


def _request_url(request: Request) -> str:
    """The request URL, percent-encoded (Starlette's `request.url` carries the decoded path)."""
    url = request.url
    path = quote(url.path, safe=_PATH_SAFE)
    query = quote(url.query, safe=_QUERY_SAFE)
    return str(url.replace(path=path, query=query))


def _headers_only(response: Response) -> Response:
    """The GET answer without its body (a stream is dropped unread)."""
    headers = {name: value for name, value in response.headers.items() if name.lower() != "content-length"}
    if not isinstance(response, StreamingResponse):
        headers["content-length"] = str(len(response.body))
    return Response(b"", status_code=response.status_code, headers=headers)


def _render(operation: _Operation, result: Any, headers: dict[str, str]) -> Response:
    if isinstance(result, Reply):
        return result.to_response()
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status_code=204 if operation.status == 200 else operation.status)
    if operation.produces or operation.events:
        answer = media_response(result, operation.status, operation.produces, operation.events)
        if answer is not None:
            return answer
    return Response(
        json_text(result), status_code=operation.status, media_type=JSON_MEDIA_TYPE, headers=headers or None
    )


_PROBE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


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
