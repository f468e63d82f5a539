"""OAuth 2.0 token endpoint calls (RFC 6749 §6 refresh, RFC 7009 revoke) for Spotify and Google.

No Django: URLs and credentials are passed in. Spotify's accounts service and Google's token
endpoint answer the same way: ``{"access_token","expires_in","refresh_token"?}`` or
``{"error","error_description"}``; ``invalid_grant`` means the person withdrew the grant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import requests

TIMEOUT = (5, 15)


class OAuthError(Exception):
    def __init__(self, message: str, *, error: str = "", transient: bool = False) -> None:
        super().__init__(message)
        self.error = error
        self.transient = transient


class GrantRevokedError(OAuthError):
    """The refresh token no longer works: the person must connect the service again."""


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: dt.datetime

    def __repr__(self) -> str:
        return f"<TokenSet expires_at={self.expires_at.isoformat()}>"


def refresh_access_token(
    *,
    service: str,
    token_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    session: requests.Session | None = None,
) -> TokenSet:
    http = session or requests.Session()
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}
    if client_secret:
        data["client_secret"] = client_secret
    try:
        response = http.post(token_url, data=data, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise OAuthError(
            f"{service} is unreachable ({type(exc).__name__})", transient=True
        ) from None
    if response.status_code in (400, 401):
        error = _error_code(response)
        if error in {"invalid_grant", "unauthorized_client", "invalid_client"}:
            raise GrantRevokedError(f"{service} refused the refresh ({error})", error=error)
        raise OAuthError(f"{service} rejected the refresh ({error})", error=error)
    if response.status_code >= 500 or response.status_code == 429:
        raise OAuthError(f"{service} answered {response.status_code}", transient=True)
    if response.status_code != 200:
        raise OAuthError(f"{service} answered {response.status_code}")
    try:
        body = response.json()
        access = str(body["access_token"])
        expires_in = int(body.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise OAuthError(f"{service} sent an unreadable token response") from None
    return TokenSet(
        access_token=access,
        # Spotify rotates refresh tokens (PKCE); Google keeps them. Keep whatever comes back.
        refresh_token=str(body.get("refresh_token") or refresh_token),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=expires_in),
    )


def revoke_token(*, revoke_url: str, token: str, session: requests.Session | None = None) -> bool:
    """RFC 7009 revocation (Google's ``/revoke``). False when unreachable or refused."""
    http = session or requests.Session()
    try:
        response = http.post(revoke_url, data={"token": token}, timeout=TIMEOUT)
    except requests.RequestException:
        return False
    return response.status_code == 200


def _error_code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except (ValueError, AttributeError):
        return ""
