"""The request loop under every endpoint method: auth, limiter, timeout, retries, errors.

Retry rules (reference.md §3.8 and §3.9; the overview's "Implement an exponential back-off
algorithm when retrying"):

* 429 is always safe to repeat: the server refused the request without acting on it.
* 5xx, a read timeout or a dropped connection are *ambiguous*: the server may have acted. They
  are repeated only for calls marked ``Retry.SAFE`` (reads, searches and idempotent writes).
* A failure to connect at all (refused, DNS, connect timeout) means nothing was sent, so it is
  repeated for every call.
* A 401 INVALID_ACCESS_TOKEN is answered by one token refresh and one more try, outside the
  retry count.

Waits are exponential with full jitter (a uniform draw in [0, min(cap, base·2^n)]), so workers
that failed together do not retry together; a ``Retry-After`` header is a lower bound. All the
waits of one call, the shared limiter's included, must fit in ``retry_budget`` seconds: past
it the call raises (``RateLimitedError`` carrying the wait) instead of sleeping, so a Celery
task can reschedule itself rather than hold a worker.
"""

from __future__ import annotations

import email.utils
import enum
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from catalog_client.auth import TokenProvider
from catalog_client.errors import (
    AmazonMusicError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidResponseError,
    RateLimitedError,
    error_class_for_status,
)
from catalog_client.metrics import Metrics
from catalog_client.ratelimit import RedisRateLimiter

# 401 codes that mean "this token is no longer good" rather than "no token was sent".
REFRESHABLE_401_CODES = frozenset(
    {"INVALID_ACCESS_TOKEN", "EXPIRED_ACCESS_TOKEN", "ACCESS_TOKEN_EXPIRED", "TOKEN_EXPIRED"}
)

_BODY_SNIPPET = 500


class Retry(enum.Enum):
    """How far a call may be repeated after a failure."""

    # Reads and idempotent writes: every transient failure is repeated.
    SAFE = "safe"
    # Writes that could duplicate: only failures where the server cannot have acted.
    REJECTED_ONLY = "rejected_only"


@dataclass
class CallStats:
    """What one logical call cost; added to the metrics in one go when it ends."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


@dataclass
class HTTPConfig:
    base_url: str
    api_key: str
    timeout: float | tuple[float, float]
    max_retries: int
    retry_budget: float
    backoff_base: float
    backoff_cap: float
    user_agent: str


class Transport:
    """Sends one logical call, with every retry, through a shared ``requests.Session``."""

    def __init__(
        self,
        config: HTTPConfig,
        *,
        session: requests.Session,
        token_provider: TokenProvider,
        rate_limiter: RedisRateLimiter | None,
        metrics: Metrics,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.session = session
        self.token_provider = token_provider
        self.rate_limiter = rate_limiter
        self.metrics = metrics
        self._sleep = sleep
        self._clock = clock

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        retry: Retry = Retry.SAFE,
        not_found_ok_on_retry: bool = False,
    ) -> Any:
        """Send the call and return the ``data`` member of the answer (or the whole body).

        ``not_found_ok_on_retry``: for deletes, a 404 after an ambiguous first try means the
        first try worked, so it is returned as ``None`` instead of raised.
        """
        stats = CallStats()
        try:
            return self._request(
                method, path, params, json_body, retry, not_found_ok_on_retry, stats
            )
        except RateLimitedError:
            stats.add("rate_limited")
            stats.add("errors")
            raise
        except AmazonMusicError:
            stats.add("errors")
            raise
        finally:
            self.metrics.add(stats.counts)

    # --- the loop ----------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        retry: Retry,
        not_found_ok_on_retry: bool,
        stats: CallStats,
    ) -> Any:
        cfg = self.config
        url = cfg.base_url.rstrip("/") + "/" + path.lstrip("/")
        deadline = self._clock() + cfg.retry_budget
        attempt = 0  # retries spent
        refreshed = False
        ambiguous_before = False
        token = self.token_provider.get_token()
        while True:
            if self.rate_limiter is not None:
                # The limiter may only use what is left of the budget; past it, reschedule.
                waited = self.rate_limiter.acquire(max_wait=max(0.0, deadline - self._clock()))
                if waited:
                    stats.add("limiter_wait_ms", round(waited * 1000))
            stats.add("calls")
            if attempt:
                stats.add("retries")
            headers = {
                "Authorization": f"Bearer {token}",
                "x-api-key": cfg.api_key,
                "Accept": "application/json",
                "User-Agent": cfg.user_agent,
            }
            error: AmazonMusicError
            delay_floor = 0.0
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=headers,
                    timeout=cfg.timeout,
                )
            except requests.RequestException as exc:
                error, sent = _connection_error(exc, method, url)
                if sent and retry is Retry.REJECTED_ONLY:
                    raise error from exc
                ambiguous_before = ambiguous_before or sent
            else:
                if response.status_code < 400:
                    try:
                        return _parse_success(response, method, url)
                    except InvalidResponseError as unreadable:
                        # A body cut off or garbled on the way: the server acted, so it is
                        # repeated only where repeating is safe, like an ambiguous 5xx.
                        if not unreadable.transient or retry is Retry.REJECTED_ONLY:
                            raise
                        error, ambiguous_before = unreadable, True
                else:
                    error = _status_error(response, method, url)
                    if response.status_code == 401 and not refreshed and _refreshable(error):
                        stats.add("refreshes")
                        token = self.token_provider.refresh_token(token)
                        refreshed = True
                        continue
                    if response.status_code == 404 and not_found_ok_on_retry and ambiguous_before:
                        return None
                    if response.status_code == 429:
                        stats.add("http_429")
                        assert isinstance(error, RateLimitedError)
                        delay_floor = error.retry_after
                        if delay_floor and self.rate_limiter is not None:
                            # The server named a pause: hold every process off, not just this one.
                            self.rate_limiter.penalize(delay_floor)
                    elif response.status_code >= 500:
                        stats.add("http_5xx")
                        if retry is Retry.REJECTED_ONLY:
                            raise error
                        ambiguous_before = True
                    if not error.transient:
                        raise error
            # A transient failure: back off and try again while tries and budget allow.
            delay = max(delay_floor, self._backoff(attempt))
            if attempt >= cfg.max_retries or self._clock() + delay > deadline:
                if isinstance(error, RateLimitedError):
                    error.retry_after = max(error.retry_after, delay)
                raise error
            self._sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * (2**attempt))
        return random.uniform(0, ceiling)


# --- answers -----------------------------------------------------------------------------


def _parse_success(response: requests.Response, method: str, url: str) -> Any:
    if response.status_code == 204 or not response.content:
        return {}
    try:
        body = response.json()
    except ValueError as exc:
        # Transient: a truncated or garbled body is a transfer that went wrong this time (a
        # proxy cut it, a connection closed early), not a contract the server keeps breaking.
        raise InvalidResponseError(
            f"The server answered {response.status_code} with a body that is not JSON "
            f"(Content-Type {response.headers.get('Content-Type', 'missing')!r}).",
            transient=True,
            status=response.status_code,
            body=response.text[:_BODY_SNIPPET],
            method=method,
            url=url,
        ) from exc
    if isinstance(body, dict) and "error" in body and "data" not in body:
        # An error object under a success status: treat it as the error it describes.
        raise _error_from_body(body["error"], response, method, url)
    if isinstance(body, dict) and "data" in body:
        return body["data"]
    # Some mutations answer unwrapped (reference.md §3.1, PUT /me example).
    return body


def _status_error(response: requests.Response, method: str, url: str) -> AmazonMusicError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return _error_from_body(body["error"], response, method, url)
    # No error object: a proxy or load balancer page; keep the first bytes for the log.
    message = (isinstance(body, dict) and body.get("message")) or response.reason or "HTTP error"
    return _make_error(
        response,
        method,
        url,
        message=str(message),
        code=None,
        reference=None,
        payload=None,
    )


def _error_from_body(
    err: Mapping[str, Any], response: requests.Response, method: str, url: str
) -> AmazonMusicError:
    # reference.md §3.8: status (a string in Amazon's example), code, message, reference, payload.
    return _make_error(
        response,
        method,
        url,
        message=str(err.get("message") or response.reason or "HTTP error"),
        code=str(err["code"]) if err.get("code") is not None else None,
        reference=str(err["reference"]) if err.get("reference") is not None else None,
        payload=err.get("payload"),
    )


def _make_error(
    response: requests.Response,
    method: str,
    url: str,
    *,
    message: str,
    code: str | None,
    reference: str | None,
    payload: Any,
) -> AmazonMusicError:
    status = response.status_code
    cls = error_class_for_status(status) if status >= 400 else APIStatusError
    common: dict[str, Any] = {
        "status": status,
        "code": code,
        "reference": reference,
        "payload": payload,
        "body": response.text[:_BODY_SNIPPET],
        "method": method,
        "url": url,
    }
    if cls is RateLimitedError:
        return RateLimitedError(
            message, retry_after=_retry_after(response.headers.get("Retry-After")), **common
        )
    return cls(message, **common)


def _retry_after(raw: str | None) -> float:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); 0 when absent."""
    if not raw:
        return 0.0
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, when.timestamp() - time.time())


def _refreshable(error: AmazonMusicError) -> bool:
    # Amazon names the expired-token case INVALID_ACCESS_TOKEN (reference.md §3.8). A 401 with
    # no code at all may be a gateway's; one refresh is cheap, so try it too.
    return error.code is None or error.code in REFRESHABLE_401_CODES


def _connection_error(
    exc: requests.RequestException, method: str, url: str
) -> tuple[AmazonMusicError, bool]:
    """The error to raise for a transport failure, and whether the request may have arrived."""
    if isinstance(exc, requests.ConnectTimeout):
        return APITimeoutError(f"Timed out connecting: {exc}", method=method, url=url), False
    if isinstance(exc, requests.Timeout):
        return APITimeoutError(
            f"Timed out waiting for the answer: {exc}", method=method, url=url
        ), True
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return APIConnectionError(f"The answer was cut off: {exc}", method=method, url=url), True
    sent = not _never_connected(exc)
    return APIConnectionError(f"Connection failed: {exc}", method=method, url=url), sent


def _never_connected(exc: BaseException) -> bool:
    """True when the failure happened before a connection existed (nothing was sent)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError | NameResolutionError | ConnectionRefusedError):
            return True
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        stack.extend(a for a in current.args if isinstance(a, BaseException))
    return False


def dumps_for_key(value: Any) -> str:
    """Canonical JSON, for cache keys built from request bodies."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
