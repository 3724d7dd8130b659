"""Runtime of the generated client, the same for every API: this module only gathers the public names.

Generated code imports `from . import _runtime as _rt`. The work is done in: `encoding` (UNSET, base models, paths,
queries, bodies, the naive-datetime rule), `errors` (exceptions), `results` (parsing, raw and streamed results),
`options` (per-call options), `logs` (logging), `http` (clients, retries, idempotency keys, `with_options`),
`pages` (page objects), `files` (uploads), `events` (server-sent events) and `resources` (the `_send`/`_send_raw`/`_stream`/`_pages`/`_paginate` bases of generated
resources).
"""

from __future__ import annotations

import pydantic as pydantic

from .encoding import FORMS, JSON, ApiModel, InputModel, NotNull, Unset, UNSET, csv
from .encoding import PYTHON_RE as PYTHON_RE
from .encoding import discriminated as discriminated
from pydantic import Tag as Tag
from .encoding import _body as _body
from .encoding import _jsonable as _jsonable
from .encoding import _path_segment as _path_segment
from .encoding import _query as _query
from .encoding import _text as _text
from .errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InvalidRequestError,
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from .errors import _checked as _checked
from .errors import _error as _error
from .events import AsyncEventStream, Event, EventStream
from .files import File, FileContent
from .http import IDEMPOTENT_METHODS, MAX_RETRY_AFTER, RETRY_STATUSES, AsyncClient, Settings, SyncClient
from .http import _retry_after as _retry_after
from .options import RequestOptions
from .pages import AsyncPage, SyncPage
from .pages import Paging as Paging
from .resources import AsyncResource, SyncResource
from .results import (
    ApiResponse,
    AsyncStreamedResponse,
    RawResult,
    StreamedResponse,
    with_raw_response,
    with_raw_response_async,
)
from .results import _captured as _captured
from .results import _parse as _parse

__all__ = [
    "FORMS",
    "IDEMPOTENT_METHODS",
    "JSON",
    "MAX_RETRY_AFTER",
    "RETRY_STATUSES",
    "UNSET",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "ApiModel",
    "ApiResponse",
    "AsyncClient",
    "AsyncEventStream",
    "AsyncPage",
    "AsyncResource",
    "AsyncStreamedResponse",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "Event",
    "EventStream",
    "File",
    "FileContent",
    "InputModel",
    "InvalidRequestError",
    "MethodNotAllowedError",
    "NotFoundError",
    "NotNull",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResult",
    "RequestOptions",
    "ResponseValidationError",
    "ServerError",
    "Settings",
    "StreamedResponse",
    "SyncClient",
    "SyncPage",
    "SyncResource",
    "UnprocessableEntityError",
    "Unset",
    "csv",
    "with_raw_response",
    "with_raw_response_async",
]
