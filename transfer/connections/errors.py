"""What the transfer tasks need to know about the other services' errors."""

from __future__ import annotations

from django.conf import settings

from transfer.connections.tokens import ServiceReconnectRequired, ServiceUnavailable
from transfer.spotify.errors import SpotifyError, SpotifyRateLimitedError
from transfer.youtube.errors import (
    YouTubeError,
    YouTubeQuotaExceededError,
    YouTubeRateLimitedError,
)

SERVICE_ERRORS: tuple[type[Exception], ...] = (
    SpotifyError,
    YouTubeError,
    ServiceReconnectRequired,
    ServiceUnavailable,
)


def service_retry_after(exc: Exception) -> float | None:
    """Seconds to wait before trying again, for rate limits and an exhausted quota."""
    if isinstance(exc, SpotifyRateLimitedError | YouTubeRateLimitedError):
        return exc.retry_after
    if isinstance(exc, YouTubeQuotaExceededError):
        # A task never sleeps until midnight: it comes back this often and finds the job still
        # waiting (its message says until when), then goes on once the quota is back.
        return min(exc.retry_after, settings.YOUTUBE_QUOTA_RECHECK_SECONDS)
    return None


def service_transient(exc: Exception) -> bool:
    return bool(getattr(exc, "transient", False))


def service_failure(exc: Exception) -> str:
    if isinstance(exc, ServiceReconnectRequired):
        return f"Reconnect {exc.service} on your account page, then resume. {exc.reason}"
    return f"{type(exc).__name__.removesuffix('Error')}: {exc}"
