"""What the generated server says about API keys, from the document or the configuration, never from our code.

A security scheme may carry the `x-specgen-server` extension:

    components:
      securitySchemes:
        ApiKeyAuth:
          type: http
          scheme: bearer
          x-specgen-server:
            development-key-prefix: acme_dev_     # the key printed when the server starts with none configured
            invalid-key-message: Invalid API key.  # the 401 detail for a key that is not configured

`development-key-prefix` and `invalid-key-message` in [tool.specgen] win over the document. The template variable
`auth` carries the result as Python literals. (Kept outside the model while the model is redesigned; it is one
plain fact for the server view.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from generator.config import Settings
from generator.errors import Problem, pointer_join
from generator.load import Document
from generator.python.text import literal

EXTENSION = "x-specgen-server"
DEFAULT_DEVELOPMENT_KEY_PREFIX = "dev_"
DEFAULT_INVALID_KEY_MESSAGE = "Invalid API key."
_PREFIX = re.compile(r"^[A-Za-z0-9_.-]{0,32}$")  # printed in a header value and a shell line: nothing else


@dataclass(frozen=True)
class ServerAuth:
    development_key_prefix: str  # Python literal
    invalid_key_message: str  # Python literal


def server_auth(spec: dict[str, Any], settings: Settings) -> ServerAuth:
    extension = _extension(spec)
    prefix = settings.development_key_prefix or _text(extension.get("development-key-prefix"))
    message = settings.invalid_key_message or _text(extension.get("invalid-key-message"))
    if prefix is None or not _PREFIX.match(prefix):
        prefix = DEFAULT_DEVELOPMENT_KEY_PREFIX
    return ServerAuth(literal(prefix), literal(" ".join((message or DEFAULT_INVALID_KEY_MESSAGE).split())[:200]))


def extension_problems(doc: Document) -> Iterator[Problem]:
    """A malformed extension is an error at its location, never silently ignored."""
    components = doc.data.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for name, scheme in (schemes if isinstance(schemes, dict) else {}).items():
        if not isinstance(scheme, dict) or EXTENSION not in scheme:
            continue
        pointer = pointer_join(pointer_join("/components/securitySchemes", name), EXTENSION)
        extension = scheme[EXTENSION]
        if not isinstance(extension, dict):
            yield doc.problem(f"{EXTENSION} must be a mapping", pointer, "extension")
            continue
        for key, value in extension.items():
            at = pointer_join(pointer, key)
            if key not in ("development-key-prefix", "invalid-key-message"):
                yield doc.problem(f"unknown key {key!r} in {EXTENSION}", at, "extension")
            elif not _text(value):
                yield doc.problem(f"{key} must be a non-empty string", at, "extension")
            elif key == "development-key-prefix" and not _PREFIX.match(value):
                yield doc.problem(f"{key}: up to 32 letters, digits, '_', '.' or '-'", at, "extension")


def _extension(spec: dict[str, Any]) -> dict[str, Any]:
    """The extension of the first security scheme that has one."""
    components = spec.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for scheme in (schemes if isinstance(schemes, dict) else {}).values():
        extension = scheme.get(EXTENSION) if isinstance(scheme, dict) else None
        if isinstance(extension, dict):
            return extension
    return {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
