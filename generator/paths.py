"""OpenAPI path templates (`/items/{id}/`): the one place that knows how a placeholder is written."""

from __future__ import annotations

import re
from collections.abc import Callable

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders(path: str) -> list[str]:
    """The parameter names a path template names, in order."""
    return PLACEHOLDER.findall(path)


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def is_placeholder(segment: str) -> bool:
    """A whole segment that is one placeholder (`{id}`)."""
    return PLACEHOLDER.fullmatch(segment) is not None


def fill(path: str, replace: Callable[[str], str]) -> str:
    """The template with each placeholder replaced by `replace(name)`."""
    return PLACEHOLDER.sub(lambda m: replace(m.group(1)), path)


def split(path: str) -> list[tuple[str, bool]]:
    """(text, is_placeholder_name) pieces of the template, in order."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in PLACEHOLDER.finditer(path):
        pieces.append((path[last : match.start()], False))
        pieces.append((match.group(1), True))
        last = match.end()
    pieces.append((path[last:], False))
    return pieces
