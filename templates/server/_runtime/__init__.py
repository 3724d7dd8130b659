"""Server runtime, the same for every generated server: this module only gathers the public names.

Generated code imports `from . import _runtime as _rt`. The work is done in: `_models_runtime` (base models,
`Context`, `Reply`), `_errors_runtime` (PostHog-shaped errors), `_auth_runtime` (keys and scopes),
`_binding_runtime` (parameters and body into the request model), `_routes_runtime` (`route` and dispatch) and
`_app_runtime` (`make_app`, the body limit, `serve`). None of them imports generated modules.
"""

from __future__ import annotations

from .app import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware, make_app, serve
from .app import logger as logger
from .auth import Keys as Keys
from .auth import load_keys
from .auth import load_keys_file as load_keys_file
from .binding import Handler as Handler
from .binding import Param as Param
from .errors import ApiError, conflict, not_allowed, not_found
from .errors import BodyTooLarge as BodyTooLarge
from .base import FORM_MEDIA_TYPES as FORM_MEDIA_TYPES
from .base import JSON_MEDIA_TYPE as JSON_MEDIA_TYPE
from .base import ApiModel, Context, InputModel, NotNull, Reply, RequestModel
from .routes import route

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "ApiError",
    "ApiModel",
    "BodyLimitMiddleware",
    "Context",
    "InputModel",
    "NotNull",
    "Reply",
    "RequestModel",
    "conflict",
    "load_keys",
    "make_app",
    "not_allowed",
    "not_found",
    "route",
    "serve",
]
