"""The body of an error answer: in the document's own error schema (a model), else RFC 9457 problem details.

A model's fields are filled by their wire names (case and `_` ignored):
- the message (`detail`, `message`, `error_description`, `error_message`, `msg`, `description`, `reason`, and
  `error` when it is a string; an `error` object is filled the same way, as `{"error": {"message": …}}` APIs have);
- `title`: the status's reason phrase (`Not Found`);
- the category (`type`, `kind`, `error_type`, `category`): e.g. `validation_error`;
- `code`, `error_code`: the machine-readable code, or the status where the field is an integer;
- `status`, `status_code`, `http_status`: the status (as text where the field is a string);
- the attribute (`attr`, `field`, `param`, `parameter`, `pointer`, `property`): the input the error is about, or null;
- any other required field: a value of its type (`""`, `0`, `false`, `[]`, the first enum member, …).
Where the result still does not validate, the problem-details body is answered instead.
"""

from __future__ import annotations

import enum
import functools
import json
import typing
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import pydantic

PROBLEM_MEDIA_TYPE = "application/problem+json"

_ROLES: dict[str, str] = {
    **dict.fromkeys(
        ("detail", "message", "errordescription", "errormessage", "msg", "description", "reason"), "detail"
    ),
    "error": "detail",
    "title": "title",
    **dict.fromkeys(("type", "kind", "errortype", "category"), "type"),
    **dict.fromkeys(("code", "errorcode"), "code"),
    **dict.fromkeys(("status", "statuscode", "httpstatus"), "status"),
    **dict.fromkeys(("attr", "field", "param", "parameter", "pointer", "property"), "attr"),
}


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, detail: str, code: str, attr: str | None) -> dict[str, Any]:
    """RFC 9457 problem details, with the runtime's `code` (and `attr`) as extension members."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": reason(status),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if attr is not None:
        body["attr"] = attr
    return body


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The annotation without None (and Annotated), and whether None was allowed."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (_strip(rest[0])[0] if len(rest) == 1 else typing.Union[tuple(rest)]), True
    return annotation, annotation is type(None)


def _filler(annotation: Any) -> Any:
    """A value of the type, for a required field no role fills."""
    inner, nullable = _strip(annotation)
    if nullable:
        return None
    if typing.get_origin(inner) is typing.Literal:
        return typing.get_args(inner)[0]
    if isinstance(inner, type):
        if issubclass(inner, enum.Enum):
            return next(iter(inner)).value
        if issubclass(inner, pydantic.BaseModel):
            return {}
        for kind, value in ((bool, False), (int, 0), (float, 0.0), (str, "")):
            if issubclass(inner, kind):
                return value
    origin = typing.get_origin(inner) or inner
    return [] if origin in (list, tuple, set, frozenset) else {} if origin in (dict, Mapping) else None


def _is_int(annotation: Any) -> bool:
    inner, _ = _strip(annotation)
    return isinstance(inner, type) and issubclass(inner, int) and not issubclass(inner, bool)


def _is_model(annotation: Any) -> bool:
    inner, _ = _strip(annotation)
    return isinstance(inner, type) and issubclass(inner, pydantic.BaseModel)


@functools.lru_cache(maxsize=64)
def _plan(model: type[pydantic.BaseModel]) -> tuple[tuple[str, str, Any], ...]:
    """(wire name, role or "", annotation) of each field a body sets: the ones with a role, and required ones."""
    plan = []
    for name, info in model.model_fields.items():
        wire = info.alias or name
        role = _ROLES.get(wire.lower().replace("_", "").replace("-", ""), "")
        if role or info.is_required():
            plan.append((wire, role, info.annotation))
    return tuple(plan)


def _fill(model: type[pydantic.BaseModel], facts: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for wire, role, annotation in _plan(model):
        if role == "detail" and _is_model(annotation):
            data[wire] = _fill(_strip(annotation)[0], facts)
        elif role == "code" and _is_int(annotation):
            data[wire] = facts["status"]
        elif role == "status" and not _is_int(annotation):
            data[wire] = str(facts["status"])
        elif role:
            data[wire] = facts[role]
        else:
            data[wire] = _filler(annotation)
    return data


def _replace(data: dict[str, Any], model: type[pydantic.BaseModel], loc: tuple[Any, ...]) -> None:
    """Put a value of the field's type at `loc` (wire names, through nested models)."""
    fields = {info.alias or name: info.annotation for name, info in model.model_fields.items()}
    if not loc or loc[0] not in fields:
        return
    annotation = fields[loc[0]]
    inner, _ = _strip(annotation)
    if len(loc) > 1 and _is_model(inner) and isinstance(data.get(loc[0]), dict):
        _replace(data[loc[0]], inner, loc[1:])
    else:
        data[str(loc[0])] = _filler(annotation)


def shaped(
    model: type[pydantic.BaseModel], status: int, detail: str, code: str, type_: str, attr: str | None
) -> bytes | None:
    """The error as JSON in `model`'s shape, or None where the model cannot hold it."""
    facts = {"status": status, "detail": detail, "code": code, "type": type_, "attr": attr, "title": reason(status)}
    data = _fill(model, facts)
    try:
        value = model.model_validate(data)
    except pydantic.ValidationError as exc:
        # A role value the schema refuses (an enum of codes, a format): a value of the field's type instead.
        for error in exc.errors():
            _replace(data, model, tuple(error.get("loc") or ()))
        try:
            value = model.model_validate(data)
        except pydantic.ValidationError:
            return None
    return json.dumps(value.model_dump(mode="json", by_alias=True, exclude_unset=True)).encode()
