"""The sandbox's edge: counts requests, injects faults and applies the per-key rate limit.

It sits in front of everything except the control API and the health check, the way Amazon's
gateway sits in front of the Music API: faults apply to the paths configured (``/v1/`` by
default), the rate limit to ``/v1/`` requests that carry an x-api-key.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox.api import faults, runtime
from sandbox.api.errors import THROTTLED_MESSAGE, internal, throttled
from sandbox.api.ratelimit import limiter, retry_after_header
from sandbox.api.stats import stats

EXEMPT_PREFIXES = ("/_sandbox/", "/healthz", "/static/")


class Dropped(HttpResponse):
    """Returned after the socket was shut: the server's attempt to write it fails quietly."""

    status_code = 204


class SandboxEdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        api_key = request.headers.get("x-api-key", "").strip() or None
        response = self._respond(request, path, api_key)
        stats.record(
            api_key, "dropped" if isinstance(response, Dropped) else str(response.status_code)
        )
        return response

    def _respond(self, request: HttpRequest, path: str, api_key: str | None) -> HttpResponse:
        decision = faults.decide(path)
        config = runtime.current()
        if decision.delay_ms:
            stats.fault(api_key, "delay")
            time.sleep(decision.delay_ms / 1000)
        if decision.kind is not None:
            stats.fault(api_key, decision.kind)
        if decision.kind == "drop" and faults.drop_connection(request):
            return Dropped()
        if decision.kind == "http_429":
            return _injected(path, 429, config.retry_after)
        if decision.kind in {"http_500", "drop"}:
            # "drop" lands here only on a server that hides its socket: a 500 is the nearest fault.
            return _injected(path, 500, config.retry_after)
        if path.startswith("/v1/") and api_key:
            wait = limiter.acquire(api_key, config.rate_limit)
            if wait is not None:
                stats.throttled(api_key)
                header = retry_after_header(wait) if config.retry_after else None
                return throttled(header).response()
        response = self.get_response(request)
        if decision.kind == "malformed_json":
            return faults.malform(response)
        return response


def _injected(path: str, status: int, retry_after: bool) -> HttpResponse:
    # The other services' stand-ins answer injected faults in their own error shapes.
    if path.startswith("/spotify/v1/"):
        from sandbox.spotify.api import error_response

        return error_response(status, 1 if retry_after and status == 429 else None)
    if path.startswith("/youtube/"):
        from sandbox.youtube.api import error_response as youtube_error

        return youtube_error(status)
    if path.startswith("/v1/"):
        error = throttled("1" if retry_after else None) if status == 429 else internal()
        return error.response()
    # Login with Amazon answers in OAuth's error format.
    body = (
        {"error": "throttled", "error_description": THROTTLED_MESSAGE}
        if status == 429
        else {"error": "server_error", "error_description": "Internal server error."}
    )
    response = JsonResponse(body, status=status)
    if status == 429 and retry_after:
        response["Retry-After"] = "1"
    return response
