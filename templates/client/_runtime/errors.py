"""The client's exceptions: `ApiError` and one subclass per status, built from an error answer."""

from __future__ import annotations

import json

import httpx


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


class ApiConnectionError(ApiError):
    """No answer: wraps the `httpx.TransportError` (the `__cause__`); `status_code` is 0."""


_ERRORS: dict[int, type[ApiError]] = {400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError}
_ERRORS.update({404: NotFoundError, 405: MethodNotAllowedError, 409: ConflictError, 429: RateLimitError})


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
