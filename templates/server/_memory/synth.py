"""Values the store fills for server-set fields (user, team, timestamps, required ones).

The user is the identity the request's key acts as (`Store.identity`): configured, or random and stored. Nothing
here is computed from the key itself. A required field gets a value its own type and constraints accept (bounds,
lengths, formats, union members), checked against the field before it is used (`field_value`).
"""

from __future__ import annotations

import enum
import functools
import types
import typing
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

import annotated_types
import pydantic
from pydantic.fields import FieldInfo

from .values import Row, _is_model, _strip_optional, _wire

_USER_DEFAULTS: dict[str, Any] = {
    "first_name": "Dev",
    "last_name": "User",
    "name": "Dev User",
    "email": "dev@example.com",
    "is_email_verified": True,
}

_TEXTS = ("x", "a@example.com", "https://example.com", "2024-01-01", "2024-01-01T00:00:00Z", "0", "A", "a")
_CHECKERS: dict[tuple[type[pydantic.BaseModel], str], pydantic.TypeAdapter[Any]] = {}
_MAX_INT_DIGITS = 18  # fits a signed 64-bit integer, as ids do in the databases behind real APIs


@functools.lru_cache(maxsize=512)
def _hints(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """The model's field annotations with forward references (a class defined further down) resolved."""
    try:
        return typing.get_type_hints(model)
    except (NameError, TypeError):
        return {}


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
                row[wire] = self.field_value(model, name, info)
        return row

    def fill(self, model: type[pydantic.BaseModel], row: Row) -> Row:
        """`row` with a value for every required field of `model` it lacks."""
        missing = {
            _wire(name, info): self.field_value(model, name, info)
            for name, info in model.model_fields.items()
            if info.is_required() and _wire(name, info) not in row and name not in row
        }
        return {**row, **missing} if missing else row

    def repair(self, model: type[pydantic.BaseModel], row: Row, exc: pydantic.ValidationError) -> Row:
        """`row` with the fields `exc` refused replaced by values of their types."""
        fields = {_wire(name, info): (name, info) for name, info in model.model_fields.items()}
        fixed = dict(row)
        for error in exc.errors():
            loc = error.get("loc") or ()
            if loc and loc[0] in fields:
                fixed[str(loc[0])] = self.field_value(model, *fields[str(loc[0])])
        return fixed

    def field_value(self, model: type[pydantic.BaseModel], name: str, info: FieldInfo) -> Any:
        """A value the field accepts: the plain one for its type, else the first candidate that validates."""
        annotation = _hints(model).get(name, info.annotation)
        checker = _CHECKERS.get((model, name))
        if checker is None:
            typed: Any = Annotated[annotation, *info.metadata] if info.metadata else annotation
            checker = _CHECKERS[(model, name)] = pydantic.TypeAdapter(typed)
        candidates = self._candidates(annotation, info.metadata)
        for candidate in candidates:
            try:
                checker.validate_python(candidate)
            except pydantic.ValidationError:
                continue
            return candidate
        return candidates[0]

    def _candidates(self, annotation: Any, metadata: list[Any]) -> list[Any]:
        inner, _ = _strip_optional(annotation)
        found = [self.value(annotation)]
        bounds = {type(m).__name__: m for m in metadata}
        low = getattr(bounds.get("Ge"), "ge", None)
        low = low if low is not None else (getattr(bounds.get("Gt"), "gt", None))
        high = getattr(bounds.get("Le"), "le", None)
        high = high if high is not None else (getattr(bounds.get("Lt"), "lt", None))
        for edge in (low, high):
            if isinstance(edge, (int, float)):
                found += [edge, edge + 1, edge - 1, int(edge) + 1, int(edge) - 1]
        size = max((m.min_length for m in metadata if isinstance(m, annotated_types.MinLen)), default=1)
        found += [text * max(size, 1) for text in ("x", "a")] + list(_TEXTS) + [str(uuid.uuid4())]
        for arg in typing.get_args(inner) if typing.get_origin(inner) in (typing.Union, types.UnionType) else ():
            found.append(self.value(arg))
        if typing.get_origin(inner) in (list, tuple, set, frozenset):
            args = typing.get_args(inner)
            item = self.value(args[0]) if args else None
            found += [[item] * max(size, 1)]
        return found

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
