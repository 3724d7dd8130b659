"""The client's exceptions: `ApiError` and one subclass per status, built from an error answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pydantic


class ApiError(Exception):
    """An error answer (or none, for `ApiConnectionError`). `error_body` is the parsed error body: a model of the
    error schema the document gives for the operation where the body matches it, else the JSON value (None if the
    body is not JSON); `detail` is its message (its `detail`, `message`, `error`, `title`… field)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        url: str,
        body: str = "",
        detail: str | None = None,
        response: httpx.Response | None = None,
        error_body: Any = None,
    ) -> None:
        super().__init__(message)
        self.status_code, self.method, self.url, self.body = status_code, method, url, body
        self.detail, self.response, self.error_body = detail, response, error_body


class BadRequestError(ApiError):
    """400 Bad Request."""


class AuthenticationError(ApiError):
    """401 Unauthorized: missing or invalid API key."""


class PermissionDeniedError(ApiError):
    """403 Forbidden: the key lacks a scope, or may not access this project."""


class NotFoundError(ApiError):
    """404 Not Found."""


class MethodNotAllowedError(ApiError):
    """405 Method Not Allowed."""


class ConflictError(ApiError):
    """409 Conflict."""


class RateLimitError(ApiError):
    """429 Too Many Requests (raised once the retries are spent)."""


class ServerError(ApiError):
    """5xx."""


class UnprocessableEntityError(ApiError):
    """422 Unprocessable Entity."""


class ApiConnectionError(ApiError):
    """No answer: wraps the `httpx.TransportError` (the `__cause__`); `status_code` is 0."""


class ApiTimeoutError(ApiConnectionError):
    """No answer in time (connect, read, write or pool timeout): wraps the `httpx.TimeoutException`."""


class ResponseValidationError(ApiError):
    """A success answer whose body does not match the schema the API documents for it. `response` is the raw
    answer, `body` its text, `errors` what did not match (pydantic's error list); the `__cause__` is the
    `pydantic.ValidationError`."""

    errors: list[dict[str, Any]]


class InvalidRequestError(ApiError, ValueError):
    """An argument the client refuses before sending anything (`status_code` 0), e.g. a naive datetime."""


_ERRORS: dict[int, type[ApiError]] = {400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError}
_ERRORS.update({404: NotFoundError, 405: MethodNotAllowedError, 409: ConflictError, 422: UnprocessableEntityError})
_ERRORS[429] = RateLimitError


# Where an error body keeps its message, most telling first (compared without case, `_` or `-`).
_MESSAGE_FIELDS = (
    "detail",
    "message",
    "errormessage",
    "errordescription",
    "error",
    "msg",
    "title",
    "description",
    "reason",
)


def _message(data: Any, depth: int = 0) -> str | None:
    """The message of an error body: a string under a well-known name, looked for in an `error` object or the
    first of an `errors` list too."""
    if isinstance(data, list) and data and depth < 3:
        return _message(data[0], depth + 1)
    if not isinstance(data, dict) or depth >= 3:
        return None
    named = {str(k).lower().replace("_", "").replace("-", ""): v for k, v in data.items()}
    for name in _MESSAGE_FIELDS:
        value = named.get(name)
        if isinstance(value, str) and value.strip():
            return value
    for name in ("error", "errors"):
        found = _message(named.get(name), depth + 1)
        if found:
            return found
    return None


def _error(response: httpx.Response, hint: str = "", model: Any = None) -> ApiError:
    """`405 Method Not Allowed: DELETE https://…: <detail>. <hint>` (the hint is only shown for a 405). `model`:
    the pydantic model of the operation's error schema, or None."""
    method, url, body, status = response.request.method, str(response.request.url), response.text, response.status_code
    data: Any = None
    if body.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(body)
        except ValueError:
            pass
    parsed = data
    if model is not None and data is not None:
        try:
            parsed = model.model_validate(data)
        except pydantic.ValidationError:
            pass
    detail = _message(data)
    message = f"{status} {response.reason_phrase}: {method} {url}"
    message += ": " + " ".join(detail.split()).rstrip(".") if detail else ""
    message += ". " + hint if hint and status == 405 else ""
    cls = _ERRORS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(
        message,
        status_code=status,
        method=method,
        url=url,
        body=body,
        detail=detail,
        response=response,
        error_body=parsed,
    )


def _checked(response: httpx.Response, hint: str = "", model: Any = None) -> httpx.Response:
    if not response.is_success:
        raise _error(response, hint, model)
    return response


def _invalid_body(response: httpx.Response, exc: pydantic.ValidationError) -> ResponseValidationError:
    """`200 OK: GET https://…: the body does not match Dataset: id: Input should be a valid UUID… (+2 more)`."""
    method, url, body = response.request.method, str(response.request.url), response.text
    errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False, include_input=False)]
    first: dict[str, Any] = errors[0] if errors else {"loc": (), "msg": str(exc)}
    where = ".".join(str(part) for part in first.get("loc") or ()) or "body"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    message = f"{response.status_code} {response.reason_phrase}: {method} {url}: the body does not match {exc.title}: "
    message += " ".join(f"{where}: {first.get('msg', '')}".split()) + more
    error = ResponseValidationError(
        message, status_code=response.status_code, method=method, url=url, body=body, response=response
    )
    error.errors = errors
    return error
