"""Turns what Amazon says into clear pages instead of server errors.

A revoked or expired grant leads to "reconnect your Amazon account"; 403 explains the missing
music account or subscription tier; 429 and outages say "try again shortly". Views stay thin:
they call the client and let these exceptions come here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog_client import (
    AmazonMusicError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired

FORBIDDEN_REASONS = {
    "AUTH_NO_MUSIC_ACCOUNT_FOUND": (
        "Your Amazon account has no Amazon Music account yet. Open Amazon Music once with "
        "this Amazon account to create it, then come back."
    ),
    "NO_MUSIC_ACCOUNT_FOUND": (
        "Your Amazon account has no Amazon Music account yet. Open Amazon Music once with "
        "this Amazon account to create it, then come back."
    ),
    "DENIED_SUBSCRIPTION_TIER": (
        "Your Amazon Music plan does not allow this. Saving playlists and library items needs "
        "Amazon Music Unlimited or Prime."
    ),
}


class AmazonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        response = self._page_for(request, exception)
        if response is not None and request.headers.get("HX-Request"):
            # htmx does not swap error responses; send the whole page into the body instead.
            response.status_code = 200
            response["HX-Retarget"] = "body"
            response["HX-Reswap"] = "innerHTML"
        return response

    def _page_for(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ReconnectRequired):
            return render(
                request, "amazon/reconnect.html", {"reason": exception.reason}, status=401
            )
        if isinstance(exception, AuthenticationError):
            # The client already refreshed once and Amazon still says no.
            return render(request, "amazon/reconnect.html", {"reason": ""}, status=401)
        if isinstance(exception, PermissionDeniedError):
            reason = FORBIDDEN_REASONS.get(exception.code or "", "Amazon Music refused this.")
            return render(
                request,
                "amazon/forbidden.html",
                {"reason": reason, "code": exception.code},
                status=403,
            )
        if isinstance(exception, NotFoundError):
            return render(request, "amazon/not_found.html", status=404)
        if isinstance(exception, RateLimitedError):
            wait = max(1, math.ceil(exception.retry_after))
            response = render(request, "amazon/busy.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if isinstance(exception, AmazonUnavailable) or (
            isinstance(exception, AmazonMusicError) and exception.transient
        ):
            return render(request, "amazon/unavailable.html", status=503)
        return None
