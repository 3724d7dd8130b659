"""What a request carries: `UNSET`, the base models, and how arguments become path segments, queries and bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal
from urllib.parse import quote, urlencode
from uuid import UUID

import pydantic

from .errors import InvalidRequestError
from .files import body_content, file_part, is_file

JSON = "application/json"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_SAFE_SEGMENT = re.compile(r"[\w.~@:,-]*", re.ASCII).fullmatch


class Unset:
    """Type of `UNSET`, the default of optional arguments: "not given" (whereas `None` is sent as null)."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


# A model whose field patterns need what pydantic's default (Rust) engine lacks, such as backreferences.
PYTHON_RE = pydantic.ConfigDict(regex_engine="python-re")


def discriminated(prop: str, models: dict[str, str]) -> pydantic.Discriminator:
    """A union member chosen by the value of `prop` (its wire name), as the document's discriminator maps values to
    models; a model instance is its own member. No match: the value is refused, naming the property."""
    names = frozenset(models.values())

    def tag(value: Any) -> str | None:
        if isinstance(value, dict):
            found = value.get(prop)
            return models.get(found) if isinstance(found, str) else None
        name = type(value).__name__
        return name if name in names else None

    return pydantic.Discriminator(tag)


class ApiModel(pydantic.BaseModel):
    """Base of response models. Unknown fields a newer server sends are kept (`model_extra`), never an error."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")


class InputModel(ApiModel):
    """Base of request-body models; unknown fields are ignored."""

    model_config = pydantic.ConfigDict(populate_by_name=True, extra="ignore")


class _NotNull:
    """Marks an optional field whose schema does not allow null. The client tolerates a null anyway (a
    lenient reader); the server's runtime refuses one."""


NotNull = _NotNull()


def csv(values: Sequence[Any] | Unset) -> str | Unset:
    """A list sent as one comma-separated query value (`explode: false`): `a=1,2` instead of `a=1&a=2`."""
    return values if isinstance(values, Unset) else ",".join(map(_text, values))


def _text(value: Any) -> str:
    """A query, path, header or form value as text: enums by value, booleans as true/false, dates in ISO 8601,
    lists and tuples comma-joined (OpenAPI's "simple" style: `1,2`), each element converted the same way."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ",".join(map(_text, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime) and value.utcoffset() is None:
        raise _naive(value)
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _naive(value: datetime) -> InvalidRequestError:
    """The one rule for naive datetimes, the same in the server: refused, never guessed (UTC? local time?)."""
    message = (
        f"naive datetime {value.isoformat()!r} refused: the API's date-time values carry a UTC offset (RFC 3339); "
        "give it a time zone, e.g. datetime(..., tzinfo=timezone.utc) or value.astimezone()"
    )
    return InvalidRequestError(message, status_code=0, method="", url="")


def _jsonable(value: Any) -> Any:
    """A value made JSON-able: UNSET entries dropped, models dumped by alias with only the fields set."""
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, pydantic.BaseModel):
        # Python mode, then the rules here: a model's datetimes are checked like any other.
        return _jsonable(value.model_dump(by_alias=True, exclude_unset=True))
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if not isinstance(v, Unset)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return _text(value) if isinstance(value, (UUID, date, datetime)) else value


def _merged(model: Any, fields: Mapping[str, Any], extra: Mapping[str, Any] | None) -> Any:
    """A JSON body from a request model (or UNSET), the keyword fields given (they win) and `extra_body`."""
    if isinstance(model, Unset) and not extra:
        return fields
    body = {} if isinstance(model, Unset) else _top_level(model)
    if not isinstance(body, dict):
        raise TypeError(f"extra_body needs a JSON object body, not {type(body).__name__}")
    return {**body, **{k: v for k, v in fields.items() if not isinstance(v, Unset)}, **(extra or {})}


def _top_level(model: Any) -> Any:
    """A request model made JSON-able, except the files among its fields (a multipart body sends them as parts)."""
    if isinstance(model, pydantic.BaseModel):
        data = model.model_dump(by_alias=True, exclude_unset=True)
    elif isinstance(model, Mapping):
        data = {str(key): value for key, value in model.items() if not isinstance(value, Unset)}
    else:
        return _jsonable(model)
    return {key: value if _holds_files(value) else _jsonable(value) for key, value in data.items()}


def _holds_files(value: Any) -> bool:
    return is_file(value) or (isinstance(value, list) and bool(value) and all(map(is_file, value)))


def _is_json(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == JSON or (essence.startswith("application/") and essence.endswith("+json"))


def _form_text(value: Any) -> str:
    """One form value (already JSON-able) as text: scalars as in a query, objects as JSON."""
    return json.dumps(value) if isinstance(value, (dict, list)) else _text(value)


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def _form_fields(data: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """Form fields: nulls dropped, lists as repeated keys (httpx sends a list value as `k=a&k=b`)."""
    fields: dict[str, str | list[str]] = {}
    for key, value in data.items():
        if isinstance(value, list):
            fields[key] = [_form_text(item) for item in value if item is not None]
        elif value is not None:
            fields[key] = _form_text(value)
    return fields


def _multipart(data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Multipart parts in order: files as file parts (a list of files as one part each), the rest as text parts."""
    parts: list[tuple[str, Any]] = []
    for key, value in data.items():
        if _holds_files(value):
            parts.extend(file_part(key, item) for item in (value if isinstance(value, list) else [value]))
        elif isinstance(value, (Mapping, pydantic.BaseModel)):  # OpenAPI's default for an object part: JSON
            parts.append((key, (None, _form_text(_jsonable(value)), JSON)))
        elif value is not None and not isinstance(value, Unset):
            parts.extend((key, (None, text)) for text in _as_list(_form_fields({key: _jsonable(value)})[key]))
    return parts


def _body(body: Any, media_type: str, *, asynchronous: bool = False) -> dict[str, Any]:
    """The httpx keyword for a request body: `content` (JSON, text, bytes or a file streamed), `data` (a form) or
    `files` (multipart)."""
    if isinstance(body, Unset):
        return {}
    if media_type == FORMS[1]:
        return {"files": _multipart(_top_level(body))}
    if is_file(body):
        return {"content": body_content(body, asynchronous=asynchronous)}
    if media_type in FORMS:
        return {"data": _form_fields(_jsonable(body))}
    if isinstance(body, str) and not _is_json(media_type):
        return {"content": body.encode()}
    return {"content": json.dumps(_jsonable(body), ensure_ascii=False, separators=(",", ":")).encode()}


def _path_segment(value: Any) -> str:
    """A path parameter, percent-encoded (`/`, `?`, `#`, spaces…) unless it is plainly safe, like ids are. Commas
    stay (a list is `1,2`, OpenAPI's "simple" style)."""
    text = _text(value)
    return text if _SAFE_SEGMENT(text) else quote(text, safe="@:,")


def _query(query: Mapping[str, Any] | None) -> str:
    """`?a=1&a=2&b=x,y`: UNSET and None values dropped, lists repeated; "" when nothing is left."""
    pairs: list[tuple[str, str]] = []
    for key, value in (query or {}).items():
        if isinstance(value, (list, tuple)):
            pairs.extend((key, _text(item)) for item in value)
        elif value is not None and not isinstance(value, Unset):
            pairs.append((key, _text(value)))
    return "?" + urlencode(pairs, safe=",", quote_via=quote) if pairs else ""
