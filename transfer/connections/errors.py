"""What the transfer tasks need to know about the other services' errors."""

from __future__ import annotations

from transfer.connections.tokens import ServiceReconnectRequired, ServiceUnavailable
from transfer.spotify.errors import SpotifyError
from transfer.youtube.errors import YouTubeError, YouTubeQuotaExceededError

SERVICE_ERRORS: tuple[type[Exception], ...] = (
    SpotifyError,
    YouTubeError,
    ServiceReconnectRequired,
    ServiceUnavailable,
)


def quota_wait(exc: Exception) -> bool:
    """A wait for YouTube's daily quota (the policy waits ``retry_after``, capped below)."""
    return isinstance(exc, YouTubeQuotaExceededError)


def service_failure(exc: Exception) -> str:
    if isinstance(exc, ServiceReconnectRequired):
        return f"Reconnect {exc.service} on your account page, then resume. {exc.reason}"
    return str(getattr(exc, "user_message", "") or exc)
