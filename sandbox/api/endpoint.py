"""Wrapping v1 views: authentication, scope checks, the data envelope, method dispatch.

A view is ``view(request, context, **url_kwargs) -> data`` and raises ``ApiError`` for errors;
it never builds a response itself.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox.api.auth import ApiContext, authenticate, authorize
from sandbox.api.envelope import data_response
from sandbox.api.errors import ApiError, internal, not_found

log = logging.getLogger(__name__)

ApiView = Callable[..., Any]
HttpView = Callable[..., HttpResponse]


def endpoint(scopes: tuple[str, ...], *, write: bool = False) -> Callable[[ApiView], HttpView]:
    def decorate(view: ApiView) -> HttpView:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                context: ApiContext = authenticate(request)
                authorize(context, scopes, write=write)
                return data_response(view(request, context, **kwargs))
            except ApiError as error:
                return error.response()
            except Exception:
                log.exception("Unhandled error in %s", request.path)
                return internal().response()

        return wrapped

    return decorate


def methods(**views: HttpView) -> HttpView:
    """One URL, one view per HTTP method; other methods get 405 with Amazon's error object."""

    @csrf_exempt
    def dispatch(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        view = views.get(request.method or "")
        if view is None:
            error = ApiError(
                405,
                "METHOD_NOT_ALLOWED",
                f"{request.method} is not supported on this resource.",
                headers={"Allow": ", ".join(sorted(views))},
            )
            return error.response()
        return view(request, **kwargs)

    return dispatch


@csrf_exempt
def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    return not_found(f"No resource at {request.path}.").response()
