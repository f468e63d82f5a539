"""Where the client gets its bearer token, and how it asks for a new one.

The client never stores tokens itself: it asks a ``TokenProvider`` before each call and, after a
401 INVALID_ACCESS_TOKEN (reference.md §3.8), calls ``refresh_token`` once with the token that
failed and retries the call once. Passing the failed token lets a provider shared by several
threads or processes see that someone else already refreshed and hand back the newer token
instead of refreshing twice (LWA refresh tokens are single-client but reusable; two refreshes
just waste a round trip, and some providers rotate the refresh token).

The Django side implements the protocol on top of its stored SocialToken; ``LWATokenProvider``
is a standalone implementation over Login with Amazon's token endpoint (reference.md §4) for
scripts, the benchmark and tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import requests

from catalog_client.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InvalidResponseError,
    ServerError,
)


@runtime_checkable
class TokenProvider(Protocol):
    """Supplies LWA access tokens to the client."""

    def get_token(self) -> str:
        """The access token to send now (refreshing first if the provider knows it expired)."""
        ...

    def refresh_token(self, failed_token: str) -> str:
        """A token to replace ``failed_token``, which the API just rejected with a 401.

        Raise ``AuthenticationError`` when no new token can be had (refresh token revoked).
        """
        ...


class StaticTokenProvider:
    """A fixed token, for scripts and tests; it cannot refresh."""

    def __init__(self, token: str) -> None:
        self._token = token

    def get_token(self) -> str:
        return self._token

    def refresh_token(self, failed_token: str) -> str:
        raise AuthenticationError(
            "The access token was rejected and this provider cannot refresh it.",
            status=401,
            code="INVALID_ACCESS_TOKEN",
        )


@dataclass(frozen=True)
class TokenSet:
    """What LWA's token endpoint returns, with the expiry made absolute."""

    access_token: str
    refresh_token: str
    expires_at: float  # time.time() seconds


class LWATokenProvider:
    """Refreshes through Login with Amazon: ``POST {token_url}`` with ``grant_type=refresh_token``.

    Follows reference.md §4 ("Refresh" row): send ``client_secret`` so that a new refresh token
    comes back, and keep whichever refresh token the answer carries. ``on_refresh`` receives
    every new TokenSet so the caller can persist it. The token is refreshed ahead of expiry
    (``leeway`` seconds) so that most calls never see a 401 at all.
    """

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        access_token: str | None = None,
        expires_at: float | None = None,
        on_refresh: Callable[[TokenSet], None] | None = None,
        session: requests.Session | None = None,
        timeout: float = 10.0,
        leeway: float = 60.0,
    ) -> None:
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh = refresh_token
        self._access = access_token
        self._expires_at = expires_at if expires_at is not None else 0.0
        self._on_refresh = on_refresh
        self._session = session or requests.Session()
        self._timeout = timeout
        self._leeway = leeway
        # One refresh at a time per provider; threads that lose the race reuse the winner's token.
        self._lock = threading.Lock()

    def get_token(self) -> str:
        with self._lock:
            if self._access is None or time.time() >= self._expires_at - self._leeway:
                self._do_refresh()
            assert self._access is not None
            return self._access

    def refresh_token(self, failed_token: str) -> str:
        with self._lock:
            if self._access is not None and self._access != failed_token:
                # Another thread refreshed while this one's call was in flight.
                return self._access
            self._do_refresh()
            assert self._access is not None
            return self._access

    def _do_refresh(self) -> None:
        try:
            response = self._session.post(
                self._token_url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": self._refresh,
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                },
                timeout=self._timeout,
            )
        except requests.Timeout as exc:
            raise APITimeoutError(f"LWA token refresh timed out: {exc}") from exc
        except requests.RequestException as exc:
            raise APIConnectionError(f"LWA token refresh failed: {exc}") from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise InvalidResponseError(
                f"LWA token endpoint answered {response.status_code} with a non-JSON body",
                status=response.status_code,
                body=response.text[:500],
            ) from exc
        if response.status_code >= 500:
            raise ServerError(
                f"LWA token endpoint failed: {body}", status=response.status_code, body=None
            )
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            # invalid_grant (revoked refresh token) and friends: the user must sign in again.
            code = body.get("error") if isinstance(body, dict) else None
            description = body.get("error_description") if isinstance(body, dict) else None
            raise AuthenticationError(
                f"LWA refused the refresh: {description or code or response.status_code}",
                status=response.status_code,
                code=str(code) if code else None,
            )
        self._access = str(body["access_token"])
        if body.get("refresh_token"):
            self._refresh = str(body["refresh_token"])
        self._expires_at = time.time() + float(body.get("expires_in", 3600))
        if self._on_refresh is not None:
            self._on_refresh(
                TokenSet(
                    access_token=self._access,
                    refresh_token=self._refresh,
                    expires_at=self._expires_at,
                )
            )
