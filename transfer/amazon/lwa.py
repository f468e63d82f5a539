"""Login with Amazon token endpoint calls: refresh and revoke.

Follows Amazon's LWA docs (authorization-code-grant, refresh-token, access-token), summarised in
../shared/amazon-music-api/reference.md section 4. No Django imports: URLs and credentials are
passed in, so the module is testable on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import requests

TIMEOUT = (5, 15)


class LWAError(Exception):
    def __init__(self, message: str, *, error: str = "", transient: bool = False) -> None:
        super().__init__(message)
        self.error = error
        self.transient = transient


class GrantRevokedError(LWAError):
    """The refresh token no longer works: the person must sign in with Amazon again."""


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: dt.datetime

    def __repr__(self) -> str:
        return f"<TokenSet expires_at={self.expires_at.isoformat()}>"


def refresh_access_token(
    *,
    token_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    session: requests.Session | None = None,
) -> TokenSet:
    http = session or requests.Session()
    try:
        response = http.post(
            token_url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": client_id,
                "client_secret": client_secret,
            },
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise LWAError(
            f"Login with Amazon is unreachable ({type(exc).__name__})", transient=True
        ) from None

    if response.status_code in (400, 401):
        error = _error_code(response)
        if error in {"invalid_grant", "unauthorized_client", "invalid_client"}:
            raise GrantRevokedError(f"Login with Amazon refused the refresh ({error})", error=error)
        raise LWAError(f"Login with Amazon rejected the refresh ({error})", error=error)
    if response.status_code >= 500 or response.status_code == 429:
        raise LWAError(f"Login with Amazon answered {response.status_code}", transient=True)
    if response.status_code != 200:
        raise LWAError(f"Login with Amazon answered {response.status_code}")
    try:
        body = response.json()
        access = str(body["access_token"])
        expires_in = int(body.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise LWAError("Login with Amazon sent an unreadable token response") from None
    return TokenSet(
        access_token=access,
        # LWA may rotate the refresh token; keep the old one when it does not send a new one.
        refresh_token=str(body.get("refresh_token") or refresh_token),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=expires_in),
    )


def revoke_token(
    *,
    revoke_url: str,
    client_id: str,
    client_secret: str,
    token: str,
    session: requests.Session | None = None,
) -> bool:
    """Revoke a refresh token. Returns False when Amazon could not be reached or refused."""
    http = session or requests.Session()
    try:
        response = http.post(
            revoke_url,
            data={"token": token, "client_id": client_id, "client_secret": client_secret},
            timeout=TIMEOUT,
        )
    except requests.RequestException:
        return False
    return response.status_code == 200


def _error_code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""
