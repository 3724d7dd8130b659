"""API keys and scopes: loading the configured keys and checking a request's Bearer key."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.requests import Request

from .errors import ApiError

Keys = dict[str, frozenset[str]]
# The 401 detail for a key that is not configured; a document or project sets its own (make_app's invalid_key_message).
DEFAULT_INVALID_KEY_MESSAGE = "Invalid API key."


def _parse_keys(data: Any, source: str) -> Keys:
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: expected a JSON object mapping each API key to its scopes")
    keys: Keys = {}
    for key, scopes in data.items():
        if isinstance(scopes, str):
            scopes = [part for part in scopes.replace(",", " ").split() if part]
        if not isinstance(key, str) or not isinstance(scopes, (list, tuple)):
            raise ValueError(f"{source}: each key must map to a list of scopes")
        keys[key] = frozenset(str(scope) for scope in scopes)
    return keys


def load_keys_file(path: str) -> Keys:
    """Read a keys file: a JSON object mapping each API key to its scopes."""
    with open(path, encoding="utf-8") as handle:
        return _parse_keys(json.load(handle), path)


def load_keys(keys: Mapping[str, Sequence[str]] | None, keys_env: str | None) -> Keys:
    """The configured keys: `keys` if given, else the JSON object in `$keys_env`, else the file `$keys_env_FILE`."""
    if keys is not None:
        return {key: frozenset([scopes] if isinstance(scopes, str) else scopes) for key, scopes in keys.items()}
    if keys_env:
        raw = os.environ.get(keys_env)
        if raw:
            return _parse_keys(json.loads(raw), keys_env)
        path = os.environ.get(f"{keys_env}_FILE")
        if path:
            return load_keys_file(path)
    return {}


def _has_scope(granted: frozenset[str], required: str) -> bool:
    if "*" in granted or required in granted:
        return True
    # `<object>:write` implies `<object>:read`.
    obj, _, action = required.partition(":")
    return action == "read" and f"{obj}:write" in granted


def _authenticate(request: Request, scopes: Sequence[str]) -> tuple[str, frozenset[str]]:
    keys: Keys = getattr(request.app.state, "api_keys", {})
    header = request.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    challenge = {"WWW-Authenticate": 'Bearer realm="api"'}
    if not header or scheme.lower() != "bearer" or not token:
        raise ApiError(
            401,
            "Authentication credentials were not provided.",
            code="not_authenticated",
            type="authentication_error",
            headers=challenge,
        )
    granted = keys.get(token)
    if granted is None:
        raise ApiError(
            401,
            getattr(request.app.state, "invalid_key_message", DEFAULT_INVALID_KEY_MESSAGE),
            code="authentication_failed",
            type="authentication_error",
            headers=challenge,
        )
    missing = [scope for scope in scopes if not _has_scope(granted, scope)]
    if missing:
        names = ", ".join(f"'{scope}'" for scope in missing)
        plural = "scopes" if len(missing) > 1 else "scope"
        raise ApiError(
            403, f"API key missing required {plural} {names}", code="permission_denied", type="authentication_error"
        )
    return token, granted
