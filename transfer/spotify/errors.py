"""Errors of the Spotify Web API client, by what a caller can do about them.

``transient`` says whether the same call may succeed later (a task retries, a page says "try
again"); ``RateLimitedError.retry_after`` is Spotify's Retry-After, for the task's countdown.
"""

from __future__ import annotations


class SpotifyError(Exception):
    transient = False

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        # For people (docs/boundaries.md): no URL, no reference.
        self.user_message = f"Spotify: {message}"


class SpotifyAuthError(SpotifyError):
    """401 after one refresh: the grant is gone."""


class SpotifyForbiddenError(SpotifyError):
    """403: a missing scope, or (development mode) a playlist the person neither owns nor edits."""


class SpotifyNotFoundError(SpotifyError):
    pass


class SpotifyBadRequestError(SpotifyError):
    pass


class SpotifyRateLimitedError(SpotifyError):
    transient = True

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class SpotifyUnavailableError(SpotifyError):
    """5xx, a timeout or no connection."""

    transient = True
