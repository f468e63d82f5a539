"""The error hierarchy raised by the client.

Every error carries what the Amazon Music error object carries (reference.md §3.8: ``status``,
``code``, ``message``, ``reference``) plus ``transient``: whether trying the same call again later
can succeed. A Celery task only needs that flag to choose between ``self.retry()`` and failing
the job; the subclasses let callers react to specific cases (refresh, skip, tell the user).

    AmazonMusicError
    ├── APIStatusError            any HTTP error answer without a more specific class
    │   ├── BadRequestError       400, 422            permanent
    │   ├── AuthenticationError   401                 permanent (after the one refresh)
    │   ├── PermissionDeniedError 403                 permanent
    │   ├── NotFoundError         404                 permanent
    │   ├── ConflictError         409                 permanent
    │   ├── RateLimitedError      429, or own limiter transient, carries retry_after
    │   └── ServerError           5xx                 transient
    ├── APIConnectionError        no answer           transient
    │   └── APITimeoutError       no answer in time   transient
    └── InvalidResponseError      answer not the promised JSON shape  permanent
"""

from __future__ import annotations

from typing import Any


class AmazonMusicError(Exception):
    """Base class of everything this package raises on purpose."""

    #: Whether the same call may succeed later; subclasses set the default.
    transient: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        reference: str | None = None,
        payload: Any = None,
        body: str | None = None,
        method: str | None = None,
        url: str | None = None,
        transient: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.reference = reference
        self.payload = payload
        # The raw body (cut short) helps when the server sent something unexpected.
        self.body = body
        self.method = method
        self.url = url
        if transient is not None:
            self.transient = transient

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(str(self.status))
        if self.code:
            parts.append(self.code)
        head = " ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.method and self.url:
            text += f" ({self.method} {self.url})"
        if self.reference:
            text += f" [reference {self.reference}]"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"message={self.message!r}, reference={self.reference!r}, "
            f"transient={self.transient!r})"
        )


class APIStatusError(AmazonMusicError):
    """The server answered with an HTTP error status."""


class BadRequestError(APIStatusError):
    """400 BAD_REQUEST or 422: the request itself is wrong; sending it again cannot help."""


class AuthenticationError(APIStatusError):
    """401: the token is missing, malformed, expired and could not be refreshed, or revoked."""


class PermissionDeniedError(APIStatusError):
    """403, e.g. AUTH_NO_MUSIC_ACCOUNT_FOUND or DENIED_SUBSCRIPTION_TIER: tell the user."""


class NotFoundError(APIStatusError):
    """404 RESOURCE_NOT_FOUND."""


class ConflictError(APIStatusError):
    """409: the resource is in a state that refuses this change."""


class RateLimitedError(APIStatusError):
    """429 THROTTLED, or the shared limiter's wait would exceed the retry budget.

    ``retry_after`` is how many seconds to wait before the next try; a Celery task passes it
    as ``countdown`` to ``self.retry``. ``status`` is None when the client refused on its own
    without sending anything.
    """

    transient = True

    def __init__(self, message: str, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(0.0, float(retry_after))

    def __str__(self) -> str:
        return f"{super().__str__()} (retry after {self.retry_after:.2f}s)"


class ServerError(APIStatusError):
    """5xx: Amazon's side failed; the same call may succeed later."""

    transient = True


class APIConnectionError(AmazonMusicError):
    """No HTTP answer: DNS, refused connection, reset, TLS failure."""

    transient = True


class APITimeoutError(APIConnectionError):
    """No answer within the configured timeout."""


class InvalidResponseError(AmazonMusicError):
    """A success status whose body is not JSON, or lacks the fields the document promises.

    Permanent: a well-formed answer that breaks the contract will break it again, and retrying
    it blindly only spends the shared request quota. (A body cut off mid-transfer surfaces as
    ``APIConnectionError`` instead, which is transient.)
    """


def error_class_for_status(status: int) -> type[APIStatusError]:
    """The class an HTTP error status maps to."""
    if status in (400, 422):
        return BadRequestError
    if status == 401:
        return AuthenticationError
    if status == 403:
        return PermissionDeniedError
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 429:
        return RateLimitedError
    if status >= 500:
        return ServerError
    return APIStatusError
