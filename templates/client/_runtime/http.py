"""The clients: one httpx pool each, requests built from `_prepare`'s keywords, sent with retries."""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import random
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Generic, NamedTuple, Self, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import httpx

from .encoding import JSON, UNSET, Unset, _body, _merged, _path_segment, _query, _text
from .errors import ApiConnectionError, ApiTimeoutError, InvalidRequestError
from .files import content_type_of
from .logs import client_logger
from .options import check_options, timeout_extensions
from .results import _captured

_Http = TypeVar("_Http", httpx.Client, httpx.AsyncClient)
_Transport = TypeVar("_Transport", httpx.BaseTransport, httpx.AsyncBaseTransport)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
MAX_RETRY_AFTER = 60.0


class Settings(NamedTuple):
    api_key_env: str
    host_env: str
    default_host: str
    user_agent: str
    log_env: str = ""  # the environment variable that switches logging on (`debug` or `info`)
    error_model: Any = None  # the model of the document's common error schema: error bodies are parsed into it


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
    extensions: dict[str, Any]  # httpx request extensions: the timeout
    keyed: bool = False  # carries an idempotency key, so it may be retried whatever its method


class _BaseClient(Generic[_Http, _Transport]):
    _settings: ClassVar[Settings]
    _asynchronous: ClassVar[bool] = False
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
        idempotency_header: str | None = None,
    ) -> None:
        """Key and host default to the environment variables in `_settings`; `timeout` and `transport` configure
        the pool made here, unless `http_client` is given (then used as is: its headers and timeout are read here).
        `idempotency_header` (e.g. "Idempotency-Key"): every POST and PATCH carries a fresh key in it, the same on
        each attempt, and is retried like an idempotent request."""
        settings = self._settings
        api_key = api_key or os.environ.get(settings.api_key_env)
        self.host = (host or os.environ.get(settings.host_env) or settings.default_host).rstrip("/")
        self.max_retries, self.retry_non_idempotent, self.backoff = max_retries, retry_non_idempotent, backoff
        self.idempotency_header = idempotency_header
        self._origin = urlsplit(self.host)[:2]
        self._http = http_client or self._new_http(timeout, transport)
        self._log = client_logger(type(self), settings.log_env)
        # Requests are built directly, not by `build_request`: the pool's headers and timeout are merged once here
        # (which saves about a tenth of each call). Keys are lower case so that per-call headers replace them.
        merged = httpx.Headers(self._http.headers)
        merged.update({"User-Agent": settings.user_agent, **(headers or {})})
        if api_key:
            merged["Authorization"] = f"Bearer {api_key}"
        self._set_headers(dict(merged.items()))
        self._extensions = {"timeout": self._http.timeout.as_dict()}
        self._setup()

    def _set_headers(self, headers: dict[str, str]) -> None:
        self._headers = headers
        self._json_headers = {**headers, "content-type": JSON}

    def _new_http(self, timeout: float | httpx.Timeout | None, transport: _Transport | None) -> _Http:
        raise NotImplementedError

    def _setup(self) -> None:
        """Overridden by the generated client to attach its resources."""

    def with_options(
        self,
        *,
        host: str | None = None,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        max_retries: int | None = None,
        retry_non_idempotent: bool | None = None,
        backoff: float | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_header: str | None | Unset = UNSET,
    ) -> Self:
        """A copy of this client with some settings changed, sharing its connection pool (closing either
        closes the pool). `headers` are added to (or replace) this client's."""
        clone = copy.copy(self)
        if host is not None:
            clone.host = host.rstrip("/")
            clone._origin = urlsplit(clone.host)[:2]
        if not isinstance(timeout, Unset):
            clone._extensions = timeout_extensions(timeout)
        clone.max_retries = self.max_retries if max_retries is None else max_retries
        clone.retry_non_idempotent = self.retry_non_idempotent if retry_non_idempotent is None else retry_non_idempotent
        clone.backoff = self.backoff if backoff is None else backoff
        if not isinstance(idempotency_header, Unset):
            clone.idempotency_header = idempotency_header
        merged = {**self._headers, **{k.lower(): v for k, v in (headers or {}).items()}}
        if api_key:
            merged["authorization"] = f"Bearer {api_key}"
        clone._set_headers(merged)
        clone._setup()
        return clone

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
        fields: Mapping[str, Any] | None = None,
        media_type: str = JSON,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        idempotency: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _Request:
        """Path parameters percent-encoded into `{name}`, the query string, the body (a request model and/or the
        keyword `fields`), the headers, then the per-call `options`."""
        try:
            extensions = self._extensions
            if options:
                check_options(options)
                query = {**(query or {}), **options.get("extra_query", {})}
                headers = {**(headers or {}), **options.get("extra_headers", {})}
                if "timeout" in options:
                    extensions = timeout_extensions(options["timeout"])
            extra_body = options.get("extra_body") if options else None
            if fields is not None or extra_body:
                body = _merged(body, fields or {}, extra_body)
            header = idempotency or (self.idempotency_header if method not in IDEMPOTENT_METHODS else None)
            if header:
                key = (options or {}).get("idempotency_key") or str(uuid.uuid4())
                headers = {**(headers or {}), header: key}
            if cookies:
                jar = "; ".join(
                    f"{k}={quote(_text(v), safe='')}" for k, v in cookies.items() if v is not UNSET and v is not None
                )
                headers = {**(headers or {}), **({"cookie": jar} if jar else {})}
            if path_params:
                path = path.format_map({k: _path_segment(v) for k, v in path_params.items()})
            content = _body(body, media_type, asynchronous=self._asynchronous)
            media_type = content_type_of(body) or media_type
            all_headers = self._json_headers if "content" in content and media_type == JSON else self._headers
            if headers or ("content" in content and media_type != JSON):
                all_headers = {
                    **self._headers,
                    **{k.lower(): _text(v) for k, v in (headers or {}).items() if v is not UNSET and v is not None},
                }
                if "content" in content:
                    all_headers["content-type"] = media_type
            return _Request(method, self.host + path + _query(query), all_headers, content, extensions, bool(header))
        except InvalidRequestError as exc:
            exc.method, exc.url = method, self.host + path
            raise

    def _build(self, request: _Request) -> httpx.Request:
        return httpx.Request(
            request.method, request.url, headers=request.headers, extensions=request.extensions, **request.body
        )

    def _next_url(self, current: str, next_url: str) -> str:
        """The absolute `next` URL; one on another origin is moved onto ours, so the key never leaves this host."""
        url = urlsplit(urljoin(current, next_url))
        return url._replace(scheme=self._origin[0], netloc=self._origin[1]).geturl()

    def _retry_delay(
        self, method: str, attempt: int, response: httpx.Response | None, *, keyed: bool = False
    ) -> float | None:
        """Seconds to wait before retrying, or None when the request is not to be retried. A request carrying an
        idempotency key may be retried whatever its method."""
        if attempt >= self.max_retries or not (keyed or method in IDEMPOTENT_METHODS or self.retry_non_idempotent):
            return None
        if response is not None and response.status_code not in RETRY_STATUSES:
            return None
        retry_after = _retry_after(response.headers.get("Retry-After")) if response is not None else None
        return self.backoff * 2**attempt * (0.5 + random.random() / 2) if retry_after is None else retry_after

    def _sent(self, request: _Request, attempt: int) -> float:
        if self._log.isEnabledFor(logging.DEBUG):
            self._log.debug("request: %s %s (attempt %d)", request.method, request.url, attempt + 1)
        return time.perf_counter()

    def _answered(self, request: _Request, response: httpx.Response, started: float) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            elapsed = (time.perf_counter() - started) * 1000
            self._log.debug(
                "response: %s %s %d %s in %.1f ms",
                request.method,
                request.url,
                response.status_code,
                response.reason_phrase,
                elapsed,
            )

    def _retrying(self, request: _Request, attempt: int, delay: float, cause: str) -> None:
        self._log.info(
            "retrying %s %s in %.2f s (retry %d of %d) after %s",
            request.method,
            request.url,
            delay,
            attempt + 1,
            self.max_retries,
            cause,
        )

    @staticmethod
    def _connection_error(exc: httpx.TransportError, request: _Request) -> ApiConnectionError:
        message = f"Connection error: {request.method} {request.url}: {type(exc).__name__}: {exc}".rstrip(": ")
        cls = ApiTimeoutError if isinstance(exc, httpx.TimeoutException) else ApiConnectionError
        return cls(message, status_code=0, method=request.method, url=request.url, detail=str(exc))

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
            started = self._sent(request, attempt)
            try:
                response = self._http.send(self._build(request), stream=stream)
            except httpx.TransportError as exc:
                if (delay := self._retry_delay(request.method, attempt, None, keyed=request.keyed)) is None:
                    raise self._connection_error(exc, request) from exc
                self._retrying(request, attempt, delay, type(exc).__name__)
            else:
                self._answered(request, response, started)
                if (delay := self._retry_delay(request.method, attempt, response, keyed=request.keyed)) is None:
                    return self._captured(response)
                response.close()
                self._retrying(request, attempt, delay, f"{response.status_code} {response.reason_phrase}")
            self._sleep(delay)
            attempt += 1


class AsyncClient(_BaseClient[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """One connection pool per client: use it as an async context manager, or call `aclose()`."""

    _asynchronous: ClassVar[bool] = True

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
            started = self._sent(request, attempt)
            try:
                response = await self._http.send(self._build(request), stream=stream)
            except httpx.TransportError as exc:
                if (delay := self._retry_delay(request.method, attempt, None, keyed=request.keyed)) is None:
                    raise self._connection_error(exc, request) from exc
                self._retrying(request, attempt, delay, type(exc).__name__)
            else:
                self._answered(request, response, started)
                if (delay := self._retry_delay(request.method, attempt, response, keyed=request.keyed)) is None:
                    return self._captured(response)
                await response.aclose()
                self._retrying(request, attempt, delay, f"{response.status_code} {response.reason_phrase}")
            await self._sleep(delay)
            attempt += 1


_C = TypeVar("_C", bound=SyncClient)
_A = TypeVar("_A", bound=AsyncClient)
