"""Values the store fills for server-set fields (user, team, timestamps, required ones).

The user is the identity the request's key acts as (`Store.identity`): configured, or random and stored. Nothing
here is computed from the key itself.
"""

from __future__ import annotations

import enum
import typing
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pydantic

from .values import Row, _is_model, _strip_optional, _wire

_USER_DEFAULTS: dict[str, Any] = {
    "first_name": "Dev",
    "last_name": "User",
    "name": "Dev User",
    "email": "dev@example.com",
    "is_email_verified": True,
}

_MAX_INT_DIGITS = 18  # fits a signed 64-bit integer, as ids do in the databases behind real APIs


def _plain_int(text: str) -> bool:
    """Whether `text` is an integer id as databases hold them: ASCII digits, at most 18."""
    return text.isascii() and text.isdigit() and len(text) <= _MAX_INT_DIGITS


class _Synth:
    """Values for server-set fields, fitted to the annotation of the model's field."""

    def __init__(self, identity: Mapping[str, Any], team: Any, now: str) -> None:
        self.team = team
        self.now = now
        self.user_id = identity["id"]
        self.user_uuid = str(identity["uuid"])
        self.user_conventions: dict[str, Any] = {
            "pk": self.user_id,
            "distinct_id": self.user_uuid,
            **_USER_DEFAULTS,
            **identity,
        }

    def user(self, annotation: Any) -> Any:
        inner, _ = _strip_optional(annotation)
        if _is_model(inner):
            return self.model(inner, self.user_conventions)
        if inner is int:
            return self.user_id
        if inner is uuid.UUID:
            return self.user_uuid
        if inner is str:
            return self.user_conventions["email"]
        skip = ("pk", "name")
        return {name: value for name, value in self.user_conventions.items() if name not in skip}

    def team_value(self, annotation: Any) -> Any:
        inner, _ = _strip_optional(annotation)
        text = str(self.team)
        if inner is str:
            return text
        if inner is int:
            return int(text) if _plain_int(text) else 1
        return self.value(annotation)

    def model(self, model: type[pydantic.BaseModel], conventions: Mapping[str, Any]) -> Row:
        row: Row = {}
        for name, info in model.model_fields.items():
            wire = _wire(name, info)
            if wire in conventions or name in conventions:
                row[wire] = conventions.get(wire, conventions.get(name))
            elif info.is_required():
                row[wire] = self.value(info.annotation)
        return row

    def value(self, annotation: Any) -> Any:
        inner, nullable = _strip_optional(annotation)
        if nullable or inner is Any or inner is object or inner is None:
            return None
        if typing.get_origin(inner) is typing.Literal:
            return typing.get_args(inner)[0]
        if isinstance(inner, type):
            if issubclass(inner, enum.Enum):
                return next(iter(inner)).value
            if inner is bool:
                return False
            if issubclass(inner, int):
                return 0
            if issubclass(inner, float):
                return 0.0
            if issubclass(inner, str):
                return ""
            if issubclass(inner, datetime):
                return self.now
            if issubclass(inner, date):
                return self.now[:10]
            if issubclass(inner, uuid.UUID):
                return str(uuid.uuid4())
            if issubclass(inner, pydantic.BaseModel):
                return self.model(inner, {})
        origin = typing.get_origin(inner)
        if origin in (list, tuple, set, frozenset) or inner in (list, tuple, set, frozenset):
            return []
        if origin is dict or inner is dict:
            return {}
        return None
