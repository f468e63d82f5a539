"""The staff dashboard: one page of panels, each also served alone for htmx to refresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from transfer.dashboard import selectors
from transfer.dashboard.selectors import Window

# Panel name -> what it shows, given the window.
PANELS: dict[str, Callable[[Window], Any]] = {
    "jobs": lambda window: selectors.jobs_by_state(),
    "throughput": selectors.throughput,
    "failures": selectors.failures,
    "api": selectors.api_usage,
    "workers": lambda window: selectors.queues_and_workers(),
}
REFRESH_SECONDS = 15


def _window(request: HttpRequest) -> Window:
    raw = request.GET.get("minutes", "")
    return Window.of(int(raw) if raw.isdigit() else selectors.DEFAULT_WINDOW)


@require_GET
@staff_member_required
def index(request: HttpRequest) -> HttpResponse:
    window = _window(request)
    context = {name: build(window) for name, build in PANELS.items()}
    return render(
        request,
        "dashboard/index.html",
        {
            **context,
            "window": window,
            "windows": list(selectors.WINDOWS),
            "refresh": REFRESH_SECONDS,
        },
    )


@require_GET
@staff_member_required
def panel(request: HttpRequest, name: str) -> HttpResponse:
    build = PANELS.get(name)
    if build is None:
        raise Http404
    window = _window(request)
    return render(
        request,
        f"dashboard/_{name}.html",
        {name: build(window), "window": window, "refresh": REFRESH_SECONDS},
    )
