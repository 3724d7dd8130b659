"""Per-call options (`**options` of every generated method) and what they change in a request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import httpx


class RequestOptions(TypedDict, total=False):
    """Keyword arguments every generated method accepts, for this call only."""

    timeout: float | httpx.Timeout | None
    """Seconds (or an `httpx.Timeout`) instead of the client's timeout; None waits forever."""
    extra_headers: Mapping[str, str]
    """Headers added to (or replacing) the client's and the operation's."""
    extra_query: Mapping[str, Any]
    """Query parameters added to (or replacing) the operation's."""
    extra_body: Mapping[str, Any]
    """JSON body fields added to (or replacing) the operation's."""
    idempotency_key: str
    """The `Idempotency-Key` (or configured header) value, instead of a random one; sent as is on every attempt."""


OPTION_NAMES = frozenset(RequestOptions.__annotations__)


def timeout_extensions(timeout: float | httpx.Timeout | None) -> dict[str, Any]:
    """httpx's per-request timeout, as the `extensions` of a request."""
    return {"timeout": httpx.Timeout(timeout).as_dict()}


def check_options(options: Mapping[str, Any]) -> None:
    """Unknown keywords are a TypeError, as for any function (typos must not pass silently)."""
    unknown = set(options) - OPTION_NAMES
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
