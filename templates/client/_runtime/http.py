"""The clients: one httpx pool each, requests built from `_prepare`'s keywords, sent with retries."""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import httpx

from .encoding import JSON, UNSET, _body, _path_segment, _query, _text
from .errors import ApiConnectionError
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
            jar = "; ".join(
                f"{k}={quote(_text(v), safe='')}" for k, v in cookies.items() if v is not UNSET and v is not None
            )
            headers = {**(headers or {}), **({"cookie": jar} if jar else {})}
        if path_params:
            path = path.format_map({k: _path_segment(v) for k, v in path_params.items()})
        content = _body(body, media_type)
        all_headers = self._json_headers if "content" in content and media_type == JSON else self._headers
        if headers or ("content" in content and media_type != JSON):
            all_headers = {
                **self._headers,
                **{k.lower(): _text(v) for k, v in (headers or {}).items() if v is not UNSET and v is not None},
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
