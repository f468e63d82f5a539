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
    └── InvalidResponseError      a 200 whose body is not JSON: transient (cut off on the way);
                                  JSON without the promised fields: permanent

``str(error)`` is for logs and staff: it names the method, the internal URL and Amazon's
reference. ``error.user_message`` is for people: it says what happened in plain words and
never carries an address or a reference.
"""

from __future__ import annotations

import re
from typing import Any

# Anything that looks like an address, so that no user_message can leak one.
_URL = re.compile(r"\b(?:https?|wss?)://\S+|\b[\w.-]+:\d{2,5}/\S*")


class AmazonMusicError(Exception):
    """Base class of everything this package raises on purpose."""

    #: Whether the same call may succeed later; subclasses set the default.
    transient: bool = False
    #: What a person is told when nothing more specific is known.
    default_user_message: str = "Amazon Music could not do this."

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

    @property
    def user_message(self) -> str:
        """A sentence for the person: Amazon's own message when it sent one, else the class's.

        Internal URLs, methods and references stay on the exception (``str(error)``, ``url``,
        ``reference``) for logs and staff; they are scrubbed from this text.
        """
        text = self.default_user_message
        if self.code is not None and self.message:
            # Amazon's error object (reference.md §3.8) carries a human message.
            text = self.message
        return _URL.sub("(address hidden)", text).strip()

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

    default_user_message = "Amazon Music did not accept this request."


class AuthenticationError(APIStatusError):
    """401: the token is missing, malformed, expired and could not be refreshed, or revoked."""

    default_user_message = "Amazon no longer accepts this sign-in; reconnect your Amazon account."


class PermissionDeniedError(APIStatusError):
    """403, e.g. AUTH_NO_MUSIC_ACCOUNT_FOUND or DENIED_SUBSCRIPTION_TIER: tell the user."""

    default_user_message = "Amazon Music refused this for your account."


class NotFoundError(APIStatusError):
    """404 RESOURCE_NOT_FOUND."""

    default_user_message = "Amazon Music could not find it; it may have been deleted."


class ConflictError(APIStatusError):
    """409: the resource is in a state that refuses this change."""

    default_user_message = "Amazon Music refused this change just now."


class RateLimitedError(APIStatusError):
    """429 THROTTLED, or the shared limiter's wait would exceed the retry budget.

    ``retry_after`` is how many seconds to wait before the next try; a Celery task passes it
    as ``countdown`` to ``self.retry``. ``status`` is None when the client refused on its own
    without sending anything.
    """

    transient = True
    default_user_message = "Amazon Music asked us to slow down; this continues shortly."

    def __init__(self, message: str, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(0.0, float(retry_after))

    def __str__(self) -> str:
        return f"{super().__str__()} (retry after {self.retry_after:.2f}s)"


class ServerError(APIStatusError):
    """5xx: Amazon's side failed; the same call may succeed later."""

    transient = True
    default_user_message = "Amazon Music had a temporary problem."


class APIConnectionError(AmazonMusicError):
    """No HTTP answer: DNS, refused connection, reset, TLS failure."""

    transient = True
    default_user_message = "Amazon Music could not be reached."


class APITimeoutError(APIConnectionError):
    """No answer within the configured timeout."""

    default_user_message = "Amazon Music did not answer in time."


class InvalidResponseError(AmazonMusicError):
    """A success status whose body is not JSON, or lacks the fields the document promises.

    A body that is not JSON at all is transient (raised with ``transient=True``): a truncated
    or garbled transfer, which the next try usually gets whole. A well-formed answer that lacks
    what the document promises is permanent: it will break the contract again, and retrying it
    blindly only spends the shared request quota.
    """

    default_user_message = "Amazon Music sent an answer that could not be read."


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
