"""Injected faults: throttles, server errors, slow answers, dropped connections, broken JSON.

Which fault a request gets is one random draw against the configured shares, so shares of 1.0
make a fault certain and ``max_faults`` makes "fail the next N requests" exact.
"""

from __future__ import annotations

import contextlib
import random
import socket
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from sandbox.api import runtime

KINDS = ("drop", "http_429", "http_500", "malformed_json")


@dataclass(frozen=True)
class Decision:
    kind: str | None = None
    delay_ms: int = 0


NONE = Decision()


def decide(path: str) -> Decision:
    config = runtime.current().faults
    if not config.active() or not any(path.startswith(prefix) for prefix in config.paths):
        return NONE
    roll = random.random()
    kind = None
    threshold = 0.0
    for name in KINDS:
        threshold += getattr(config, name)
        if roll < threshold:
            kind = name
            break
    delay = config.delay_ms if config.delay_ms and random.random() < config.delay_share else 0
    if (kind is None and not delay) or not runtime.take_fault_budget():
        return NONE
    return Decision(kind=kind, delay_ms=delay)


def drop_connection(request: HttpRequest) -> bool:
    """Close the client's connection without a response; False when the server can't.

    gunicorn hands the socket over in the environ. Shutting it down sends the client an EOF;
    gunicorn's later write fails with EPIPE, which it ignores.
    """
    sock = request.META.get("gunicorn.socket") or _socket_behind(request.META.get("wsgi.input"))
    if not isinstance(sock, socket.socket):
        return False
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    return True


def _socket_behind(stream: object) -> object:
    """The socket under runserver's input: LimitedStream -> buffered reader -> SocketIO."""
    reader = getattr(getattr(stream, "_read", None), "__self__", None)
    return getattr(getattr(reader, "raw", None), "_sock", None)


def malform(response: HttpResponse) -> HttpResponse:
    """Cut the JSON body in half: same status and content type, unparseable body."""
    content = response.content
    response.content = content[: len(content) // 2] or b"{"
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response
