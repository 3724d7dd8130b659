"""Runtime of the generated client: transport, retries, (de)serialisation and errors; the same for every API.

Generated resource methods call `_send`, `_send_raw`, `_stream` and `_paginate` of `SyncResource` /
`AsyncResource`, which take the request as keywords (see `_BaseClient._prepare`). The rest is public API.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import json
import os
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any, ClassVar, Generic, Literal, NamedTuple, ParamSpec, Protocol, TypeVar, overload
from urllib.parse import quote, urlencode, urljoin, urlsplit
from uuid import UUID

import httpx
import pydantic

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)
_P = ParamSpec("_P")
_Http = TypeVar("_Http", httpx.Client, httpx.AsyncClient)
_Transport = TypeVar("_Transport", httpx.BaseTransport, httpx.AsyncBaseTransport)

JSON = "application/json"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
MAX_RETRY_AFTER = 60.0
_SAFE_SEGMENT = re.compile(r"[\w.~@:-]*", re.ASCII).fullmatch


class Unset:
    """Type of `UNSET`, the default of optional arguments: "not given" (whereas `None` is sent as null)."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


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


class Settings(NamedTuple):
    api_key_env: str
    host_env: str
    default_host: str
    user_agent: str


def csv(values: Sequence[Any] | Unset) -> str | Unset:
    """A list sent as one comma-separated query value (`explode: false`): `a=1,2` instead of `a=1&a=2`."""
    return values if isinstance(values, Unset) else ",".join(map(_text, values))


# ------------------------------------------------------------------------------------------------------ errors


class ApiError(Exception):
    """An error answer (or none, for `ApiConnectionError`). `detail` is the `detail` field of a JSON error body."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        url: str,
        body: str = "",
        detail: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code, self.method, self.url, self.body = status_code, method, url, body
        self.detail, self.response = detail, response


class BadRequestError(ApiError):
    """400 Bad Request."""


class AuthenticationError(ApiError):
    """401 Unauthorized: missing or invalid API key."""


class PermissionDeniedError(ApiError):
    """403 Forbidden: the key lacks a scope, or may not access this project."""


class NotFoundError(ApiError):
    """404 Not Found."""


class MethodNotAllowedError(ApiError):
    """405 Method Not Allowed."""


class ConflictError(ApiError):
    """409 Conflict."""


class RateLimitError(ApiError):
    """429 Too Many Requests (raised once the retries are spent)."""


class ServerError(ApiError):
    """5xx."""


class ApiConnectionError(ApiError):
    """No answer: wraps the `httpx.TransportError` (the `__cause__`); `status_code` is 0."""


_ERRORS: dict[int, type[ApiError]] = {400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError}
_ERRORS.update({404: NotFoundError, 405: MethodNotAllowedError, 409: ConflictError, 429: RateLimitError})


def _error(response: httpx.Response, hint: str = "") -> ApiError:
    """`405 Method Not Allowed: DELETE https://…: <detail>. <hint>` (the hint is only shown for a 405)."""
    method, url, body, status = response.request.method, str(response.request.url), response.text, response.status_code
    detail = None
    if body.lstrip().startswith("{"):
        try:
            data = json.loads(body)
            detail = str(data["detail"]) if isinstance(data, dict) and data.get("detail") is not None else None
        except ValueError:
            pass
    message = f"{status} {response.reason_phrase}: {method} {url}"
    message += ": " + " ".join(detail.split()).rstrip(".") if detail else ""
    message += ". " + hint if hint and status == 405 else ""
    cls = _ERRORS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(message, status_code=status, method=method, url=url, body=body, detail=detail, response=response)


def _checked(response: httpx.Response, hint: str = "") -> httpx.Response:
    if not response.is_success:
        raise _error(response, hint)
    return response


# ----------------------------------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class RawResult:
    """The answer of an operation whose response body the API does not describe."""

    status_code: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class StreamedResponse:
    """A response read as it arrives, inside the `with` block of a `…_stream` method."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response, self.status_code, self.headers = response, response.status_code, response.headers

    def iter_bytes(self) -> Iterator[bytes]:
        return self.http_response.iter_bytes()

    def iter_text(self) -> Iterator[str]:
        return self.http_response.iter_text()

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()


class AsyncStreamedResponse:
    """A response read as it arrives, inside the `async with` block of a `…_stream` method."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response, self.status_code, self.headers = response, response.status_code, response.headers

    def aiter_bytes(self) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes()

    def aiter_text(self) -> AsyncIterator[str]:
        return self.http_response.aiter_text()

    def aiter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()


@dataclass(frozen=True, slots=True)
class ApiResponse(Generic[_T]):
    """What `with_raw_response(method)(...)` returns: the parsed result and the HTTP response it came from."""

    status_code: int
    headers: httpx.Headers
    parsed: _T
    http_response: httpx.Response


_captured: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar("_captured", default=None)


def _raw(parsed: _T, box: list[httpx.Response]) -> ApiResponse[_T]:
    if not box:
        raise TypeError("with_raw_response: the method sent no request (iterators are not supported)")
    return ApiResponse(box[-1].status_code, box[-1].headers, parsed, box[-1])


def with_raw_response(fn: Callable[_P, _T]) -> Callable[_P, ApiResponse[_T]]:
    """`with_raw_response(client.datasets.retrieve)(project_id, id)` → `ApiResponse[Dataset]`."""

    def call(*args: _P.args, **kwargs: _P.kwargs) -> ApiResponse[_T]:
        box: list[httpx.Response] = []
        token = _captured.set(box)
        try:
            parsed = fn(*args, **kwargs)
        finally:
            _captured.reset(token)
        return _raw(parsed, box)

    return call


def with_raw_response_async(fn: Callable[_P, Awaitable[_T]]) -> Callable[_P, Awaitable[ApiResponse[_T]]]:
    """`await with_raw_response_async(client.datasets.retrieve)(project_id, id)` → `ApiResponse[Dataset]`."""

    async def call(*args: _P.args, **kwargs: _P.kwargs) -> ApiResponse[_T]:
        box: list[httpx.Response] = []
        token = _captured.set(box)
        try:
            parsed = await fn(*args, **kwargs)
        finally:
            _captured.reset(token)
        return _raw(parsed, box)

    return call


_parsers: dict[Any, Callable[[bytes], Any]] = {}


def _parse(result: Any, content: bytes) -> Any:
    """Pydantic models through `model_validate_json`, any other type through a `TypeAdapter` built once."""
    if result is None:
        return None
    parser = _parsers.get(result)
    if parser is None:
        is_model = isinstance(result, type) and issubclass(result, pydantic.BaseModel)
        parser = result.model_validate_json if is_model else pydantic.TypeAdapter(result).validate_json
        _parsers[result] = parser
    if len(content) < 4096 or not gc.isenabled():
        return parser(content)
    # A large page builds thousands of objects that all stay alive: collecting while building them is pure waste
    # (it made a 100-item page ~40% slower), so the collector waits until they are built.
    gc.disable()
    try:
        return parser(content)
    finally:
        gc.enable()


# ----------------------------------------------------------------------------------------------- serialisation


def _text(value: Any) -> str:
    """A query or path value as text: enums by value, booleans as true/false, dates in ISO 8601."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _jsonable(value: Any) -> Any:
    """A value made JSON-able: UNSET entries dropped, models dumped by alias with only the fields set."""
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if not isinstance(v, Unset)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return _text(value) if isinstance(value, (UUID, date, datetime)) else value


def _body(body: Any, media_type: str) -> dict[str, Any]:
    """The httpx keyword for a request body: `content` (JSON or bytes), `data` (a form) or `files` (multipart)."""
    if isinstance(body, Unset):
        return {}
    if isinstance(body, (bytes, bytearray)):
        return {"content": bytes(body)}
    if media_type in FORMS:
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in _jsonable(body).items() if v is not None}
        return {"data": fields} if media_type == FORMS[0] else {"files": {k: (None, v) for k, v in fields.items()}}
    if isinstance(body, pydantic.BaseModel):
        return {"content": body.model_dump_json(by_alias=True, exclude_unset=True).encode()}
    return {"content": json.dumps(_jsonable(body), ensure_ascii=False, separators=(",", ":")).encode()}


def _path_segment(value: Any) -> str:
    """A path parameter, percent-encoded (`/`, `?`, `#`, spaces…) unless it is plainly safe, like ids are."""
    text = _text(value)
    return text if _SAFE_SEGMENT(text) else quote(text, safe="@:")


def _query(query: Mapping[str, Any] | None) -> str:
    """`?a=1&a=2&b=x,y`: UNSET and None values dropped, lists repeated; "" when nothing is left."""
    pairs: list[tuple[str, str]] = []
    for key, value in (query or {}).items():
        if isinstance(value, (list, tuple)):
            pairs.extend((key, _text(item)) for item in value)
        elif value is not None and not isinstance(value, Unset):
            pairs.append((key, _text(value)))
    return "?" + urlencode(pairs, safe=",", quote_via=quote) if pairs else ""


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` (seconds, or an HTTP date) in seconds, capped at `MAX_RETRY_AFTER`."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class _Request(NamedTuple):
    method: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any]  # httpx keyword arguments


class _Page(Protocol[_T_co]):
    @property
    def results(self) -> Sequence[_T_co]: ...

    @property
    def next(self) -> str | None: ...


# ----------------------------------------------------------------------------------------------------- clients


class _BaseClient(Generic[_Http, _Transport]):
    _settings: ClassVar[Settings]
    _http: _Http

    def __init__(
        self,
        api_key: str | None = None,
        *,
        host: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2,
        retry_non_idempotent: bool = False,
        backoff: float = 0.5,
        http_client: _Http | None = None,
        transport: _Transport | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Key and host default to the environment variables in `_settings`; `timeout` and `transport` configure
        the pool made here, unless `http_client` is given (then used as is: its headers and timeout are read here)."""
        settings = self._settings
        api_key = api_key or os.environ.get(settings.api_key_env)
        self.host = (host or os.environ.get(settings.host_env) or settings.default_host).rstrip("/")
        self.max_retries, self.retry_non_idempotent, self.backoff = max_retries, retry_non_idempotent, backoff
        self._origin = urlsplit(self.host)[:2]
        self._http = http_client or self._new_http(timeout, transport)
        # Requests are built directly, not by `build_request`: the pool's headers and timeout are merged once here
        # (which saves about a tenth of each call). Keys are lower case so that per-call headers replace them.
        merged = httpx.Headers(self._http.headers)
        merged.update({"User-Agent": settings.user_agent, **(headers or {})})
        if api_key:
            merged["Authorization"] = f"Bearer {api_key}"
        self._headers = dict(merged.items())
        self._json_headers = {**self._headers, "content-type": JSON}
        self._extensions = {"timeout": self._http.timeout.as_dict()}
        self._setup()

    def _new_http(self, timeout: float | httpx.Timeout | None, transport: _Transport | None) -> _Http:
        raise NotImplementedError

    def _setup(self) -> None:
        """Overridden by the generated client to attach its resources."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(host={self.host!r}, api_key={'<set>' if self._has_key else None})"

    @property
    def _has_key(self) -> bool:
        return "authorization" in self._headers

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, Any],
        query: Mapping[str, Any] | None = None,
        body: Any = UNSET,
        media_type: str = JSON,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
    ) -> _Request:
        """Path parameters percent-encoded into `{name}`, the query string, the body and the headers."""
        if cookies:
            jar = "; ".join(f"{k}={quote(_text(v), safe='')}" for k, v in cookies.items() if v is not UNSET)
            headers = {**(headers or {}), **({"cookie": jar} if jar else {})}
        if path_params:
            path = path.format_map({k: _path_segment(v) for k, v in path_params.items()})
        content = _body(body, media_type)
        all_headers = self._json_headers if "content" in content and media_type == JSON else self._headers
        if headers or ("content" in content and media_type != JSON):
            all_headers = {
                **self._headers,
                **{k.lower(): _text(v) for k, v in (headers or {}).items() if v is not UNSET},
            }
            if "content" in content:
                all_headers["content-type"] = media_type
        return _Request(method, self.host + path + _query(query), all_headers, content)

    def _build(self, request: _Request) -> httpx.Request:
        return httpx.Request(
            request.method, request.url, headers=request.headers, extensions=self._extensions, **request.body
        )

    def _next_url(self, current: str, next_url: str) -> str:
        """The absolute `next` URL; one on another origin is moved onto ours, so the key never leaves this host."""
        url = urlsplit(urljoin(current, next_url))
        return url._replace(scheme=self._origin[0], netloc=self._origin[1]).geturl()

    def _retry_delay(self, method: str, attempt: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before retrying, or None when the request is not to be retried."""
        if attempt >= self.max_retries or (method not in IDEMPOTENT_METHODS and not self.retry_non_idempotent):
            return None
        if response is not None and response.status_code not in RETRY_STATUSES:
            return None
        retry_after = _retry_after(response.headers.get("Retry-After")) if response is not None else None
        return self.backoff * 2**attempt * (0.5 + random.random() / 2) if retry_after is None else retry_after

    @staticmethod
    def _connection_error(exc: httpx.TransportError, request: _Request) -> ApiConnectionError:
        message = f"Connection error: {request.method} {request.url}: {type(exc).__name__}: {exc}".rstrip(": ")
        return ApiConnectionError(message, status_code=0, method=request.method, url=request.url, detail=str(exc))

    @staticmethod
    def _captured(response: httpx.Response) -> httpx.Response:
        box = _captured.get()
        if box is not None:
            box.append(response)
        return response


class SyncClient(_BaseClient[httpx.Client, httpx.BaseTransport]):
    """One connection pool per client: use it as a context manager, or call `close()`."""

    def _new_http(self, timeout: float | httpx.Timeout | None, transport: httpx.BaseTransport | None) -> httpx.Client:
        return httpx.Client(timeout=timeout, transport=transport)

    def _sleep(self, seconds: float) -> None:
        """Waits between retries (replace it in tests)."""
        time.sleep(seconds)

    def close(self) -> None:
        self._http.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _request(self, request: _Request, *, stream: bool = False) -> httpx.Response:
        """Send, retrying per `_retry_delay`; the last answer is returned whatever its status."""
        attempt = 0
        while True:
            try:
                response = self._http.send(self._build(request), stream=stream)
            except httpx.TransportError as exc:
                if (delay := self._retry_delay(request.method, attempt, None)) is None:
                    raise self._connection_error(exc, request) from exc
            else:
                if (delay := self._retry_delay(request.method, attempt, response)) is None:
                    return self._captured(response)
                response.close()
            self._sleep(delay)
            attempt += 1


class AsyncClient(_BaseClient[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """One connection pool per client: use it as an async context manager, or call `aclose()`."""

    def _new_http(
        self, timeout: float | httpx.Timeout | None, transport: httpx.AsyncBaseTransport | None
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=timeout, transport=transport)

    async def _sleep(self, seconds: float) -> None:
        """Waits between retries (replace it in tests)."""
        await asyncio.sleep(seconds)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _request(self, request: _Request, *, stream: bool = False) -> httpx.Response:
        """Send, retrying per `_retry_delay`; the last answer is returned whatever its status."""
        attempt = 0
        while True:
            try:
                response = await self._http.send(self._build(request), stream=stream)
            except httpx.TransportError as exc:
                if (delay := self._retry_delay(request.method, attempt, None)) is None:
                    raise self._connection_error(exc, request) from exc
            else:
                if (delay := self._retry_delay(request.method, attempt, response)) is None:
                    return self._captured(response)
                await response.aclose()
            await self._sleep(delay)
            attempt += 1


_C = TypeVar("_C", bound=SyncClient)
_A = TypeVar("_A", bound=AsyncClient)


# --------------------------------------------------------------------------------------------------- resources


class SyncResource:
    """Base of the generated resource classes of a `SyncClient`. `**request` is `_BaseClient._prepare`'s."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client

    @overload
    def _send(self, method: str, path: str, result: type[_T], *, hint: str = "", **request: Any) -> _T: ...
    @overload
    def _send(self, method: str, path: str, result: None, *, hint: str = "", **request: Any) -> None: ...
    @overload
    def _send(self, method: str, path: str, result: object, *, hint: str = "", **request: Any) -> Any: ...
    def _send(self, method: str, path: str, result: Any, *, hint: str = "", **request: Any) -> Any:
        response = self._client._request(self._client._prepare(method, path, **request))
        return _parse(result, _checked(response, hint).content)

    def _send_raw(self, method: str, path: str, *, hint: str = "", **request: Any) -> RawResult:
        response = _checked(self._client._request(self._client._prepare(method, path, **request)), hint)
        return RawResult(response.status_code, response.headers, response.content)

    @contextmanager
    def _stream(self, method: str, path: str, **request: Any) -> Iterator[StreamedResponse]:
        response = self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                response.read()
            yield StreamedResponse(_checked(response))
        finally:
            response.close()

    def _paginate(self, method: str, path: str, page: type[_Page[_T]], **request: Any) -> Iterator[_T]:
        prepared = self._client._prepare(method, path, **request)
        seen = {prepared.url}
        while True:
            parsed: _Page[_T] = _parse(page, _checked(self._client._request(prepared)).content)
            yield from parsed.results
            url = self._client._next_url(prepared.url, parsed.next) if parsed.next else None
            if url is None or url in seen:
                return
            seen.add(url)
            prepared = prepared._replace(url=url)


class AsyncResource:
    """Base of the generated resource classes of an `AsyncClient`. `**request` is `_BaseClient._prepare`'s."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @overload
    async def _send(self, method: str, path: str, result: type[_T], *, hint: str = "", **request: Any) -> _T: ...
    @overload
    async def _send(self, method: str, path: str, result: None, *, hint: str = "", **request: Any) -> None: ...
    @overload
    async def _send(self, method: str, path: str, result: object, *, hint: str = "", **request: Any) -> Any: ...
    async def _send(self, method: str, path: str, result: Any, *, hint: str = "", **request: Any) -> Any:
        response = await self._client._request(self._client._prepare(method, path, **request))
        return _parse(result, _checked(response, hint).content)

    async def _send_raw(self, method: str, path: str, *, hint: str = "", **request: Any) -> RawResult:
        response = _checked(await self._client._request(self._client._prepare(method, path, **request)), hint)
        return RawResult(response.status_code, response.headers, response.content)

    @asynccontextmanager
    async def _stream(self, method: str, path: str, **request: Any) -> AsyncIterator[AsyncStreamedResponse]:
        response = await self._client._request(self._client._prepare(method, path, **request), stream=True)
        try:
            if not response.is_success:
                await response.aread()
            yield AsyncStreamedResponse(_checked(response))
        finally:
            await response.aclose()

    async def _paginate(self, method: str, path: str, page: type[_Page[_T]], **request: Any) -> AsyncIterator[_T]:
        prepared = self._client._prepare(method, path, **request)
        seen = {prepared.url}
        while True:
            parsed: _Page[_T] = _parse(page, _checked(await self._client._request(prepared)).content)
            for item in parsed.results:
                yield item
            url = self._client._next_url(prepared.url, parsed.next) if parsed.next else None
            if url is None or url in seen:
                return
            seen.add(url)
            prepared = prepared._replace(url=url)
