"""What the document says about each operation, as language-neutral facts: its parameters with their wire
style, the request body's media type, the success answer (status, media, kind, schema), its error schema and
statuses, how a list pages, scopes, and the extensions that change behaviour. The Python target names and
types these (python/operations.py); nothing here depends on a language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.api import media
from generator.api.behaviour import Fake, collections, fake_facts, forbids
from generator.api.pagination import Paging
from generator.api.pagination import paging as detect_paging
from generator.errors import Finding, pointer_join
from generator.spec import OperationView, ParameterView, ResponseView, SpecView
from generator.spec.schema import SchemaView

_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")


@dataclass(frozen=True)
class Parameter:
    view: ParameterView  # wire name, location, schema, description, pointer
    required: bool  # a path parameter always is
    explode: bool  # OpenAPI's default: form (exploded) in the query and cookies, simple elsewhere


@dataclass(frozen=True)
class RequestBody:
    media_type: str  # the one the generated code sends (media.preferred)
    media_types: tuple[str, ...]  # every one the document lists, in its order
    kind: str  # json, form, multipart, text, binary, events or any (api/media.py)
    required: bool
    schema: SchemaView  # an empty one when the media type gives none


@dataclass(frozen=True)
class Success:
    status: int  # the first documented 2xx, else 200
    response: ResponseView | None  # the success response (keyed by that status, else 2XX, else default)
    kind: str  # model (a JSON schema), none, raw (undocumented), binary, text or events
    media_type: str  # the preferred media type of the answer, "" when there is none
    schema: SchemaView | None  # the JSON answer's schema (kind model), else None
    events: SchemaView | None  # the schema of each event's data, when the answer may be an event stream
    has_events: bool  # the answer may be an event stream (its data schema may be undocumented)


@dataclass(frozen=True)
class Response:
    status: str  # as the document keys it: "200", "2XX", "default"
    description: str
    content: tuple[tuple[str, SchemaView | None], ...]  # (media type, its schema) in the document's order
    headers: tuple[str, ...]  # the names of its documented headers


@dataclass(frozen=True)
class Operation:
    view: OperationView  # method, path, operationId, tags, summary, description, pointer
    parameters: tuple[Parameter, ...]  # path parameters first, then the required ones, else in document order
    body: RequestBody | None
    success: Success
    responses: tuple[Response, ...]  # every documented response, per status and media type
    error_statuses: tuple[int, ...]  # documented 4xx and 5xx
    error_schema: SchemaView | None  # of the first documented 4xx with a JSON body, else 4XX, else default
    paging: Paging | None  # how a GET's list pages (api/pagination.py)
    unclassified_items: str  # the items property of a page the rules could not classify, else ""
    security: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]  # the requirements in force: (scheme, scopes) each
    scopes: tuple[str, ...]  # of the first security requirement that names any
    idempotency_header: str  # the header carrying an idempotency key, "" for none
    soft_delete: tuple[tuple[str, object], ...]  # x-soft-delete: (property, value) the PATCH sends instead
    refused: str | None  # the 405's description (one line) when the document says the operation is always refused
    fake: Fake  # what the in-memory fake does for it, read from the path's shape


def operations(spec: SpecView, warnings: list[Finding]) -> dict[int, Operation]:
    """Every operation's facts, keyed by id() of its view."""
    known = collections(spec.paths)
    return {id(op): operation(spec, op, known, warnings) for op in spec.operations}


def operation(spec: SpecView, op: OperationView, known: frozenset[str], warnings: list[Finding]) -> Operation:
    success = _success(spec, op)
    responses = op.responses
    paging, unclassified = _paging(op, success, warnings) if op.method == "get" else (None, "")
    security = _security(op)
    refused = None
    if forbids(responses):
        response = responses["405"]
        refused = " ".join((response.description if response else "").split())
    return Operation(
        view=op,
        parameters=_parameters(op),
        body=_body(spec, op),
        success=success,
        responses=tuple(
            Response(status, r.description, tuple((m.media_type, m.schema) for m in r.content), r.headers)
            for status, r in responses.items() if r is not None
        ),
        error_statuses=tuple(sorted({int(s) for s in responses if s.isdigit() and int(s) >= 400})),
        error_schema=error_schema(op),
        paging=paging,
        unclassified_items=unclassified,
        security=security,
        scopes=next((scopes for requirement in security for _, scopes in requirement if scopes), ()),
        idempotency_header=_idempotency_header(spec, op, warnings),
        soft_delete=_soft_delete(op, warnings),
        refused=refused,
        fake=fake_facts(op, known),
    )


def error_schema(op: OperationView) -> SchemaView | None:
    """The operation's error schema: of its first documented 4xx response with a JSON body, else of `4XX`, else
    of `default` (unless `default` is its success)."""
    responses = op.responses
    codes = sorted(s for s in responses if s.isdigit() and 400 <= int(s) < 500)
    success = any(s.isdigit() and 200 <= int(s) < 300 or s == "2XX" for s in responses)
    for status in [*codes, "4XX", *(["default"] if success else [])]:
        response = responses.get(status)
        found = media.preferred(response.content) if response is not None else None
        if found is not None and found.schema is not None and media.kind(found.media_type) == "json":
            return found.schema
    return None


def page_items(spec: SpecView, schema: SchemaView | None, paging: Paging | None) -> SchemaView | None:
    """The schema of a page's items."""
    if paging is None or schema is None:
        return None
    holder: SchemaView | None = schema.target
    if paging.items and holder is not None:
        holder = holder.merged_properties()[0].get(paging.items)
        holder = holder.target if holder is not None else None
    return (holder.items or spec.schemas.empty(holder.pointer)) if holder is not None else None


def _parameters(op: OperationView) -> tuple[Parameter, ...]:
    ordered = sorted(op.parameters, key=lambda p: (p.location != "path", not p.required))
    found = []
    for view in ordered:
        style = view.style or ("form" if view.location in ("query", "cookie") else "simple")
        explode = bool(style == "form" if view.explode is None else view.explode)
        found.append(Parameter(view, view.required or view.location == "path", explode))
    return tuple(found)


def _body(spec: SpecView, op: OperationView) -> RequestBody | None:
    request = op.body
    found = media.preferred(request.content) if request is not None else None
    if request is None or found is None:
        return None
    every = tuple(m.media_type for m in request.content)
    schema = found.schema or spec.schemas.empty(found.pointer)
    return RequestBody(found.media_type, every, media.kind(found.media_type), request.required, schema)


def _success(spec: SpecView, op: OperationView) -> Success:
    responses = op.responses
    statuses = sorted(int(s) for s in responses if s.isdigit() and 200 <= int(s) < 300)
    key = str(statuses[0]) if statuses else ("2XX" if "2XX" in responses else "default")
    status = statuses[0] if statuses else 200
    response = responses.get(key)
    found = media.preferred(response.content) if response is not None else None
    stream = media.events(response.content) if response is not None else None
    events = stream.schema if stream is not None else None
    if found is None:
        kind = "none" if status == 204 or response is None else "raw"
        return Success(status, response, kind, "", None, events, stream is not None)
    kind = media.kind(found.media_type)
    if kind not in ("binary", "text", "events"):
        kind = "model" if kind == "json" and found.schema is not None else "raw"
    schema = found.schema if kind == "model" else None
    return Success(status, response, kind, found.media_type, schema, events, stream is not None)


def _paging(op: OperationView, success: Success, warnings: list[Finding]) -> tuple[Paging | None, str]:
    """How the list pages (api/pagination.py), from the success response's schema and headers."""
    if success.schema is None:
        return None, ""
    target = success.schema.target
    props: dict[str, SchemaView | None] = {}
    if "array" not in target.types:
        props = {k: v.target if v is not None else None for k, v in target.merged_properties()[0].items()}
    headers = success.response.headers if success.response else ()
    return detect_paging(op, target, props, headers, warnings)


def _security(op: OperationView) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    """Each security requirement in force: any one of them admits a caller; all schemes of one are needed."""
    return tuple(
        tuple((str(scheme), tuple(str(s) for s in scopes) if isinstance(scopes, list) else ()) for scheme, scopes in r.items())
        for r in op.security if isinstance(r, dict)
    )


def _soft_delete(op: OperationView, warnings: list[Finding]) -> tuple[tuple[str, object], ...]:
    """`x-soft-delete` on a refused DELETE: the JSON object the PATCH of the same path sends instead."""
    value = op.extensions.get("x-soft-delete")
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        warnings.append(Finding("x-soft-delete ignored: a non-empty object of body fields expected",
                                pointer_join(op.pointer, "x-soft-delete"), "extension"))
        return ()
    return tuple((str(k), v) for k, v in value.items())


def _idempotency_header(spec: SpecView, op: OperationView, warnings: list[Finding]) -> str:
    """`x-idempotency-key` on the operation, else on the document for POST and PATCH: `true` (the header is
    `Idempotency-Key`), a header name, or `false`. The client then sends a fresh key in that header, the same on
    every attempt, and may retry the request."""
    fallback = spec.extensions.get("x-idempotency-key") if op.method in ("post", "patch") else None
    value = op.extensions.get("x-idempotency-key", fallback)
    if value is True:
        return "Idempotency-Key"
    if isinstance(value, str) and _HEADER_NAME.fullmatch(value):
        return value
    if value not in (None, False):
        warnings.append(Finding(f"x-idempotency-key {value!r} ignored: true, false or a header name expected",
                                pointer_join(op.pointer, "x-idempotency-key"), "extension"))
    return ""
