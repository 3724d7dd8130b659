"""API keys and scopes: loading the configured keys and checking a request's Bearer key.

A key maps to its scopes (a list, or one string separated by spaces or commas), or to an object
`{"scopes": [...], "user": {...}}` whose `user` fields are the identity requests with that key act as. Nothing
about a key is ever put in an answer or an error message: a bad entry is named by its position.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from .errors import ApiError

# The 401 detail for a key that is not configured; a document or project sets its own (make_app's invalid_key_message).
DEFAULT_INVALID_KEY_MESSAGE = "Invalid API key."


class KeyConfigError(ValueError):
    """The key configuration cannot be used; the message is one line and never contains a key."""


@dataclass(frozen=True)
class ApiKey:
    """What one configured key grants."""

    scopes: frozenset[str]
    user: Mapping[str, Any] = field(default_factory=dict)
    """The configured identity fields of the user the key acts as (may be empty)."""


Keys = dict[str, ApiKey]


def _scopes(value: Any, where: str) -> frozenset[str]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, (list, tuple)) or not all(isinstance(scope, str) and scope for scope in value):
        raise KeyConfigError(f"{where}: scopes must be a list of non-empty strings")
    return frozenset(value)


def _entry(value: Any, where: str) -> ApiKey:
    if isinstance(value, Mapping):
        unknown = sorted(str(name) for name in value if name not in ("scopes", "user"))
        if unknown:
            raise KeyConfigError(f"{where}: unknown field {unknown[0]!r} (expected scopes, user)")
        user = value.get("user", {})
        if not isinstance(user, Mapping) or not all(isinstance(name, str) for name in user):
            raise KeyConfigError(f"{where}: user must be a JSON object")
        return ApiKey(_scopes(value.get("scopes", []), where), dict(user))
    return ApiKey(_scopes(value, where))


def _usable(key: Any) -> bool:
    """Whether a client can send `key` in an Authorization header: printable ASCII without spaces."""
    return isinstance(key, str) and bool(key) and key.isascii() and key.isprintable() and " " not in key


def parse_keys(data: Any, source: str) -> Keys:
    """Validate a key configuration (a mapping of key → scopes or `{"scopes", "user"}`)."""
    if not isinstance(data, Mapping):
        raise KeyConfigError(f"{source}: expected a JSON object mapping each API key to its scopes")
    keys: Keys = {}
    for position, (key, value) in enumerate(data.items(), start=1):
        where = f"{source}: key #{position}"
        if not _usable(key):
            raise KeyConfigError(f"{where}: a key must be a non-empty string of printable ASCII without spaces")
        keys[key] = value if isinstance(value, ApiKey) else _entry(value, where)
    return keys


def _parse_json(raw: str, source: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise KeyConfigError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno})") from None


def load_keys_file(path: str) -> Keys:
    """Read a keys file: a JSON object mapping each API key to its scopes."""
    try:
        with open(path, encoding="utf-8") as handle:
            raw = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyConfigError(f"{path}: cannot read the keys file ({type(exc).__name__})") from None
    return parse_keys(_parse_json(raw, path), path)


def load_keys(keys: Mapping[str, Any] | None, keys_env: str | None) -> Keys:
    """The configured keys: `keys` if given, else the JSON object in `$keys_env`, else the file `$keys_env_FILE`."""
    if keys is not None:
        return parse_keys(keys, "keys")
    if keys_env:
        raw = os.environ.get(keys_env)
        if raw:
            return parse_keys(_parse_json(raw, f"${keys_env}"), f"${keys_env}")
        path = os.environ.get(f"{keys_env}_FILE")
        if path:
            return load_keys_file(path)
    return {}


def keys_as_config(keys: Keys) -> dict[str, Any]:
    """The keys as a JSON-able configuration that `parse_keys` reads back."""
    return {key: {"scopes": sorted(entry.scopes), "user": dict(entry.user)} for key, entry in keys.items()}


class KeyRing:
    """The configured keys, matched in constant time: every key is compared, whatever matched before."""

    def __init__(self, keys: Keys) -> None:
        self._entries = tuple((key.encode(), entry) for key, entry in keys.items())

    def match(self, token: str) -> ApiKey | None:
        given = token.encode("utf-8", "surrogateescape")
        found: ApiKey | None = None
        for key, entry in self._entries:
            if hmac.compare_digest(key, given):
                found = entry
        return found

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"KeyRing({len(self._entries)} keys)"


def _has_scope(granted: frozenset[str], required: str) -> bool:
    if "*" in granted or required in granted:
        return True
    # `<object>:write` implies `<object>:read`.
    obj, _, action = required.partition(":")
    return action == "read" and f"{obj}:write" in granted


def _authenticate(request: Request, scopes: Sequence[str]) -> tuple[str, ApiKey]:
    ring: KeyRing = getattr(request.app.state, "api_keys", None) or KeyRing({})
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
    entry = ring.match(token)
    if entry is None:
        raise ApiError(
            401,
            getattr(request.app.state, "invalid_key_message", DEFAULT_INVALID_KEY_MESSAGE),
            code="authentication_failed",
            type="authentication_error",
            headers=challenge,
        )
    missing = [scope for scope in scopes if not _has_scope(entry.scopes, scope)]
    if missing:
        names = ", ".join(f"'{scope}'" for scope in missing)
        plural = "scopes" if len(missing) > 1 else "scope"
        raise ApiError(
            403, f"API key missing required {plural} {names}", code="permission_denied", type="authentication_error"
        )
    return token, entry
