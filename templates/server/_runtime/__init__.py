"""Server runtime, the same for every generated server: this module only gathers the public names.

Generated code imports `from . import _runtime as _rt`. The work is done in: `base` (base models, `Context`,
`Reply`), `errors` (the error body), `auth` (keys and scopes), `binding` (parameters and body into the request
model), `routes` (`route` and dispatch), `media` (files, bytes, streams, events), `app` (`make_app`, the body
limit) and `serve` (the command line). None
of them imports generated modules.
"""

from __future__ import annotations

from .app import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware, make_app
from .app import logger as logger
from .auth import ApiKey as ApiKey
from .auth import KeyConfigError, load_keys
from .auth import Keys as Keys
from .auth import load_keys_file as load_keys_file
from .binding import Handler as Handler
from .binding import Param as Param
from .errors import ApiError, conflict, not_allowed, not_found
from .errors import BodyTooLarge as BodyTooLarge
from .base import FORM_MEDIA_TYPES as FORM_MEDIA_TYPES
from .base import JSON_MEDIA_TYPE as JSON_MEDIA_TYPE
from .base import PYTHON_RE as PYTHON_RE
from .base import discriminated as discriminated
from pydantic import Tag as Tag
from .base import ApiModel, Context, InputModel, NotNull, Reply, RequestModel
from .media import Binary, Events, File, ServerEvent, UploadedFile
from .routes import route
from .serve import serve

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "ApiError",
    "ApiModel",
    "Binary",
    "BodyLimitMiddleware",
    "Context",
    "Events",
    "File",
    "InputModel",
    "KeyConfigError",
    "NotNull",
    "Reply",
    "RequestModel",
    "ServerEvent",
    "UploadedFile",
    "conflict",
    "load_keys",
    "make_app",
    "not_allowed",
    "not_found",
    "route",
    "serve",
]
