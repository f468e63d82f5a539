"""Turns "Amazon needs you again" conditions into clear pages instead of server errors."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from transfer.amazon.services import AmazonUnavailable, ReconnectRequired


class AmazonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ReconnectRequired):
            response = render(
                request, "amazon/reconnect.html", {"reason": exception.reason}, status=401
            )
        elif isinstance(exception, AmazonUnavailable):
            response = render(request, "amazon/unavailable.html", status=503)
        else:
            return None
        if request.headers.get("HX-Request"):
            # htmx does not swap error responses; send the whole page instead.
            response.status_code = 200
            response["HX-Retarget"] = "body"
        return response
