"""Where the client gets its bearer token, and how it asks for a new one.

The client never stores tokens itself: it asks a ``TokenProvider`` before each call and, after a
401 INVALID_ACCESS_TOKEN (reference.md §3.8), calls ``refresh_token`` once with the token that
failed and retries the call once. Passing the failed token lets a provider shared by several
threads or processes see that someone else already refreshed and hand back the newer token
instead of refreshing twice (LWA refresh tokens are single-client but reusable; two refreshes
just waste a round trip, and some providers rotate the refresh token).

``LoginWithAmazon`` is the one client of LWA's token endpoint (reference.md §4) and ``TokenSet``
the one token type. The Django side implements the provider protocol over the person's stored,
encrypted connection (transfer/amazon/tokens.py); ``LWATokenProvider`` is a standalone
implementation for scripts, the benchmark and tests.
"""

from __future__ import annotations

import datetime as dt
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
    RateLimitedError,
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
    """What LWA's token endpoint returns, with the expiry made absolute.

    The one token type of the Amazon boundary: the client's providers, the product's stored
    connection and its refresh all speak it.
    """

    access_token: str
    refresh_token: str
    expires_at: float  # time.time() seconds

    @property
    def expires_at_datetime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.expires_at, tz=dt.UTC)

    def __repr__(self) -> str:
        # Never let a token reach a log line through a repr.
        return f"<TokenSet expires_at={self.expires_at_datetime.isoformat()}>"


class GrantRevokedError(AuthenticationError):
    """Login with Amazon no longer honours the refresh token: the person must sign in again."""

    default_user_message = "Amazon no longer accepts this app's access to your account."


# LWA's OAuth error codes that mean the grant itself is gone (RFC 6749 §5.2), not a hiccup.
REVOKED_GRANT_CODES = frozenset({"invalid_grant", "unauthorized_client", "invalid_client"})
LWA_TIMEOUT: tuple[float, float] = (5.0, 15.0)


class LoginWithAmazon:
    """The Login with Amazon token endpoint (reference.md §4): refresh and revoke.

    The one LWA client of the product: the standalone ``LWATokenProvider`` below and the
    Django side's stored connections (transfer/amazon/services.py) both refresh through it.
    The authorization-code exchange itself is done by allauth's OAuth2 adapter
    (transfer/amazon_login), which reads the same endpoints from the same settings.

    Errors follow the client's hierarchy: a revoked grant is ``GrantRevokedError`` (an
    ``AuthenticationError``, permanent); any other refusal ``AuthenticationError``; 429 is
    ``RateLimitedError``, 5xx ``ServerError``, no answer ``APIConnectionError`` and a body that
    is not JSON a transient ``InvalidResponseError``: those may pass.
    """

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        revoke_url: str | None = None,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = LWA_TIMEOUT,
    ) -> None:
        self.token_url = token_url
        self.revoke_url = revoke_url
        self.client_id = client_id
        self._client_secret = client_secret
        self._session = session or _lwa_session()
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"<LoginWithAmazon {self.token_url} client_id={self.client_id}>"

    def refresh(self, refresh_token: str) -> TokenSet:
        """``grant_type=refresh_token``; keeps the old refresh token unless a new one comes."""
        try:
            response = self._session.post(
                self.token_url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": self.client_id,
                    # reference.md §4 "Refresh": with the secret, a new refresh token may come.
                    "client_secret": self._client_secret,
                },
                timeout=self._timeout,
            )
        except requests.Timeout as exc:
            raise APITimeoutError(
                f"LWA token refresh timed out ({type(exc).__name__})", url=self.token_url
            ) from None
        except requests.RequestException as exc:
            raise APIConnectionError(
                f"LWA token refresh failed ({type(exc).__name__})", url=self.token_url
            ) from None
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            if status >= 500 or status == 429:
                body = None
            else:
                raise InvalidResponseError(
                    f"LWA token endpoint answered {status} with a body that is not JSON",
                    status=status,
                    body=response.text[:500],
                    transient=True,
                ) from None
        if status == 429:
            raise RateLimitedError(
                "LWA token endpoint asked to slow down", retry_after=1.0, status=status
            )
        if status >= 500:
            raise ServerError(f"LWA token endpoint answered {status}", status=status)
        if status != 200 or not isinstance(body, dict) or "access_token" not in body:
            code = body.get("error") if isinstance(body, dict) else None
            description = body.get("error_description") if isinstance(body, dict) else None
            cls = GrantRevokedError if code in REVOKED_GRANT_CODES else AuthenticationError
            raise cls(
                f"LWA refused the refresh: {description or code or status}",
                status=status,
                code=str(code) if code else None,
            )
        try:
            expires_in = float(body.get("expires_in", 3600))
        except (TypeError, ValueError):
            raise InvalidResponseError("LWA sent an unreadable expires_in", status=status) from None
        return TokenSet(
            access_token=str(body["access_token"]),
            # LWA may rotate the refresh token; keep the old one when it sends none.
            refresh_token=str(body.get("refresh_token") or refresh_token),
            expires_at=time.time() + expires_in,
        )

    def revoke(self, token: str) -> bool:
        """Revoke a refresh token; False when Amazon could not be reached or refused."""
        if not self.revoke_url:
            return False
        try:
            response = self._session.post(
                self.revoke_url,
                data={
                    "token": token,
                    "client_id": self.client_id,
                    "client_secret": self._client_secret,
                },
                timeout=self._timeout,
            )
        except requests.RequestException:
            return False
        return response.status_code == 200


def _lwa_session() -> requests.Session:
    session = requests.Session()
    # As for the API (catalog_client/_base.py): no proxy-environment scan on every call.
    session.trust_env = False
    return session


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
        self._lwa = LoginWithAmazon(
            token_url=token_url,
            client_id=client_id,
            client_secret=client_secret,
            session=session,
            timeout=timeout,
        )
        self._refresh = refresh_token
        self._access = access_token
        self._expires_at = expires_at if expires_at is not None else 0.0
        self._on_refresh = on_refresh
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
        tokens = self._lwa.refresh(self._refresh)
        self._access = tokens.access_token
        self._refresh = tokens.refresh_token
        self._expires_at = tokens.expires_at
        if self._on_refresh is not None:
            self._on_refresh(tokens)
