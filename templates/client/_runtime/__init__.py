"""Runtime of the generated client, the same for every API: this module only gathers the public names.

Generated code imports `from . import _runtime as _rt`. The work is done in:
`_encoding_runtime` (UNSET, base models, paths, queries, bodies), `_errors_runtime` (exceptions),
`_results_runtime` (parsing, raw and streamed results), `_http_runtime` (clients, retries) and
`_resources_runtime` (the `_send`/`_send_raw`/`_stream`/`_paginate` bases of generated resources).
"""

from __future__ import annotations

import pydantic as pydantic

from .encoding import FORMS, JSON, ApiModel, InputModel, NotNull, Unset, UNSET, csv
from .encoding import _body as _body
from .encoding import _jsonable as _jsonable
from .encoding import _path_segment as _path_segment
from .encoding import _query as _query
from .encoding import _text as _text
from .errors import (
    ApiConnectionError,
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from .errors import _checked as _checked
from .errors import _error as _error
from .http import IDEMPOTENT_METHODS, MAX_RETRY_AFTER, RETRY_STATUSES, AsyncClient, Settings, SyncClient
from .http import _retry_after as _retry_after
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
    "ApiModel",
    "ApiResponse",
    "AsyncClient",
    "AsyncResource",
    "AsyncStreamedResponse",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InputModel",
    "MethodNotAllowedError",
    "NotFoundError",
    "NotNull",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResult",
    "ServerError",
    "Settings",
    "StreamedResponse",
    "SyncClient",
    "SyncResource",
    "Unset",
    "csv",
    "with_raw_response",
    "with_raw_response_async",
]
