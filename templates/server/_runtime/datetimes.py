"""The one rule for naive datetimes, the same in the generated client: a date-time without a UTC offset is refused.

RFC 3339 (the `date-time` format) requires an offset, and guessing one (UTC? the server's local time?) would
silently shift the value by hours. The client refuses before sending; the server answers 400 naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pydantic

from .errors import ApiError, _loc_attr

NAIVE_DETAIL = "Datetime has no UTC offset; send one, e.g. 2024-05-01T12:30:00Z."


def _naive_at(value: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if isinstance(value, datetime):
        return loc if value.utcoffset() is None else None
    if isinstance(value, pydantic.BaseModel):
        items: Any = ((info.alias or name, getattr(value, name)) for name, info in type(value).model_fields.items())
    elif isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _naive_at(item, (*loc, key))
        if found is not None:
            return found
    return None


def refuse_naive_datetimes(request: pydantic.BaseModel) -> None:
    """400 `invalid`, `attr` naming the parameter or body field, when a validated request holds a naive datetime."""
    loc = _naive_at(request, ())
    if loc is not None:
        attr = _loc_attr(loc[1:] if loc[:1] == ("body",) else loc[:1])
        raise ApiError(400, NAIVE_DETAIL, code="invalid", type="validation_error", attr=attr)
