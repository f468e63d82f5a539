"""Run-time switches of the Spotify stand-in: rolling-window rate limit, app mode, counters."""

from __future__ import annotations

import collections
import math
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from sandbox.spotify.oauth import Client, OAuthServer

WINDOW_SECONDS = 30.0
MODES = ("development", "extended")


@dataclass
class Config:
    # Requests per rolling 30-second window per app (client id); 0 turns the limit off.
    rate_limit: int = 0
    # "development": the February 2026 rules for apps in development mode (playlist items only
    # of playlists the person owns or collaborates on); "extended": extended quota mode.
    mode: str = "development"


@dataclass
class Counters:
    requests: int = 0
    throttled: int = 0
    by_endpoint: collections.Counter[str] = field(default_factory=collections.Counter)


class RollingWindow:
    """Spotify's documented limit: a number of calls per app within a rolling 30 s window."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, collections.deque[float]] = {}

    def acquire(self, key: str, limit: int) -> int | None:
        """None when the call may go ahead, else the whole seconds to wait (Retry-After)."""
        if limit <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            calls = self._calls.setdefault(key, collections.deque())
            while calls and calls[0] <= now - WINDOW_SECONDS:
                calls.popleft()
            if len(calls) >= limit:
                return max(1, math.ceil(calls[0] + WINDOW_SECONDS - now))
            calls.append(now)
            return None

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()


config = Config()
counters = Counters()
window = RollingWindow()
oauth = OAuthServer(
    access_prefix="BQ",
    refresh_prefix="AQ",
    rotate_refresh=True,
    access_token_ttl=int(getattr(settings, "SANDBOX_ACCESS_TOKEN_TTL", 3600)),
    default_ttl=int(getattr(settings, "SANDBOX_ACCESS_TOKEN_TTL", 3600)),
)
oauth.register(
    Client(
        client_id=settings.SANDBOX_SPOTIFY_CLIENT_ID,
        client_secret=settings.SANDBOX_SPOTIFY_CLIENT_SECRET,
        redirect_uris=list(settings.SANDBOX_SPOTIFY_REDIRECT_URIS),
    )
)


def reset() -> None:
    global config, counters
    config.rate_limit = 0
    config.mode = "development"
    counters.requests = 0
    counters.throttled = 0
    counters.by_endpoint.clear()
    window.reset()
    oauth.reset_runtime()
