"""What implementations see: the base models, `NotNull`, the call's `Context` and `Reply` for raw answers."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic
import pydantic_core
from starlette.responses import Response, StreamingResponse

JSON_MEDIA_TYPE = "application/json"

_ANY = pydantic.TypeAdapter(Any)


def json_text(value: Any) -> str:
    """Any JSON-able value as JSON text, the one way every answer is written: pydantic models by alias, fields never
    set left out (a partial answer stays partial)."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    return _ANY.dump_json(value, by_alias=True, exclude_unset=True).decode()


FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# A model whose field patterns need what pydantic's default (Rust) engine lacks, such as backreferences.
PYTHON_RE = pydantic.ConfigDict(regex_engine="python-re")


def discriminated(prop: str, models: dict[str, str]) -> pydantic.Discriminator:
    """A union member chosen by the value of `prop` (its wire name), as the document's discriminator maps values to
    models; a model instance is its own member. No match: the value is refused, naming the property."""
    names = frozenset(models.values())

    def tag(value: Any) -> str | None:
        if isinstance(value, dict):
            found = value.get(prop)
            return models.get(found) if isinstance(found, str) else None
        name = type(value).__name__
        return name if name in names else None

    return pydantic.Discriminator(tag)


class ApiModel(pydantic.BaseModel):
    """Base of every schema model: fields by wire name or Python name; unknown fields are kept."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow", allow_inf_nan=False)


class InputModel(ApiModel):
    """Base of request-body models: read-only and unknown fields a client sends are ignored."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="ignore", allow_inf_nan=False)


class RequestModel(pydantic.BaseModel):
    """Base of the generated per-operation request classes (path, query, header values and `body`).

    JSON has no NaN or infinity, so no number the API takes may be one (`?x=nan` is a 400 too).
    """

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="ignore", allow_inf_nan=False)


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
    """The API key the request authenticated with (never put it, or anything computed from it, in an answer)."""
    scopes: frozenset[str]
    """The key's scopes (`"*"` grants every scope)."""
    user: Mapping[str, Any] = field(default_factory=dict)
    """The identity fields configured for the key (`{"scopes": ..., "user": {...}}` in the keys file), or empty."""
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
    accept: str = ""
    """The request's `Accept` header (`text/event-stream` when the client asks for events)."""
    response_headers: dict[str, str] = field(default_factory=dict)
    """Headers to add to the answer of a handler that returns a model or a value (e.g. `Link`)."""


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
        return cls(status, json_text(value), JSON_MEDIA_TYPE, headers)

    def to_response(self) -> Response:
        if self.stream is not None:
            return StreamingResponse(
                self.stream, status_code=self.status, media_type=self.media_type, headers=self.headers
            )
        return Response(self.content, status_code=self.status, media_type=self.media_type, headers=self.headers)

    def __repr__(self) -> str:
        kind = "stream" if self.stream is not None else f"{len(self.content)} bytes"
        return f"Reply({self.status}, {kind}, media_type={self.media_type!r})"
