"""`ApiError`: an error answer (status, message, code, category, attribute), written in the document's error
schema where it documents one, else as RFC 9457 problem details (`error_body`); the validation messages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from starlette.responses import Response

import pydantic

from .base import JSON_MEDIA_TYPE
from .error_body import PROBLEM_MEDIA_TYPE, problem, shaped

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
    """An error answer: `detail` (the message), `code` (machine-readable), `type` (its category), `attr` (the input
    it is about). `response(model)` writes it in the shape of `model`, the document's error schema."""

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
        """RFC 9457 problem details."""
        return problem(self.status, self.detail, self.code, self.attr)

    def response(self, model: type[pydantic.BaseModel] | None = None) -> Response:
        """The answer, in `model`'s shape (the document's error schema) or as problem details."""
        content = shaped(model, self.status, self.detail, self.code, self.type, self.attr) if model else None
        if content is not None:
            return Response(content, status_code=self.status, media_type=JSON_MEDIA_TYPE, headers=self.headers)
        content = json.dumps(self.body()).encode()
        return Response(content, status_code=self.status, media_type=PROBLEM_MEDIA_TYPE, headers=self.headers)

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


def _server_error() -> ApiError:
    return ApiError(500, "A server error occurred.", code="error", type="server_error")


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
