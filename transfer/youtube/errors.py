"""Errors of the YouTube Data API client, from Google's error object
(``{"error": {"code", "message", "errors": [{"reason", "domain"}]}}``)."""

from __future__ import annotations


class YouTubeError(Exception):
    transient = False

    def __init__(self, message: str, *, status: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason
        # For people (docs/boundaries.md): no URL, no reference.
        self.user_message = f"YouTube: {message}"


class YouTubeAuthError(YouTubeError):
    pass


class YouTubeForbiddenError(YouTubeError):
    pass


class YouTubeNotFoundError(YouTubeError):
    pass


class YouTubeQuotaExceededError(YouTubeError):
    """The project's daily units are spent (Google said ``quotaExceeded``, or our own count
    says the next call would not fit). ``resume_in``: seconds until midnight Pacific time, when
    Google gives the units back; ``retry_after``: when a task should look again (at most that)."""

    transient = True

    def __init__(self, message: str, *, resume_in: float, recheck: float = 1800.0) -> None:
        super().__init__(message, status=403, reason="quotaExceeded")
        self.resume_in = resume_in
        self.retry_after = min(resume_in, recheck)


class YouTubeRateLimitedError(YouTubeError):
    transient = True

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, status=429, reason="rateLimitExceeded")
        self.retry_after = retry_after


class YouTubeUnavailableError(YouTubeError):
    transient = True
