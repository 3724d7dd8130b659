"""The client's exceptions: `ApiError` and one subclass per status, built from an error answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pydantic


class ApiError(Exception):
    """An error answer (or none, for `ApiConnectionError`). `detail` is the `detail` field of a JSON error body."""

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
    ) -> None:
        super().__init__(message)
        self.status_code, self.method, self.url, self.body = status_code, method, url, body
        self.detail, self.response = detail, response


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


def _error(response: httpx.Response, hint: str = "") -> ApiError:
    """`405 Method Not Allowed: DELETE https://…: <detail>. <hint>` (the hint is only shown for a 405)."""
    method, url, body, status = response.request.method, str(response.request.url), response.text, response.status_code
    detail = None
    if body.lstrip().startswith("{"):
        try:
            data = json.loads(body)
            detail = str(data["detail"]) if isinstance(data, dict) and data.get("detail") is not None else None
        except ValueError:
            pass
    message = f"{status} {response.reason_phrase}: {method} {url}"
    message += ": " + " ".join(detail.split()).rstrip(".") if detail else ""
    message += ". " + hint if hint and status == 405 else ""
    cls = _ERRORS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(message, status_code=status, method=method, url=url, body=body, detail=detail, response=response)


def _checked(response: httpx.Response, hint: str = "") -> httpx.Response:
    if not response.is_success:
        raise _error(response, hint)
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
