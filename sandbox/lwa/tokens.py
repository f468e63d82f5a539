"""Issuing and looking up LWA tokens and codes (Atza| access, Atzr| refresh).

Access tokens are 400+ url-safe characters after ``Atza|``, like Amazon's 350+ character tokens,
so a client that stores them in a short column finds out here rather than in production.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sandbox.api import runtime
from sandbox.models import AccessToken, Account, Client, RefreshToken


def new_access_token() -> str:
    return "Atza|" + secrets.token_urlsafe(300)


def new_refresh_token() -> str:
    return "Atzr|" + secrets.token_urlsafe(96)


def new_code() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str | None
    scope: str

    def as_oauth(self) -> dict[str, object]:
        body: dict[str, object] = {
            "access_token": self.access_token,
            "token_type": "bearer",
            "expires_in": self.expires_in,
        }
        if self.refresh_token:
            body["refresh_token"] = self.refresh_token
        return body


def issue_access_token(
    client: Client, account: Account, scope: str, refresh: RefreshToken | None, ttl: int
) -> AccessToken:
    return AccessToken.objects.create(
        token=new_access_token(),
        client=client,
        account=account,
        refresh_token=refresh,
        scope=scope,
        expires_at=timezone.now() + timedelta(seconds=ttl),
    )


def issue_tokens(
    client: Client, account: Account, scope: str, *, with_refresh: bool
) -> IssuedTokens:
    ttl = runtime.current().access_token_ttl
    with transaction.atomic():
        refresh = (
            RefreshToken.objects.create(
                token=new_refresh_token(), client=client, account=account, scope=scope
            )
            if with_refresh
            else None
        )
        access = issue_access_token(client, account, scope, refresh, ttl)
    return IssuedTokens(
        access_token=access.token,
        expires_in=ttl,
        refresh_token=refresh.token if refresh else None,
        scope=scope,
    )


def access_token_row(value: str) -> AccessToken | None:
    """The access token row with its client, account and refresh token, live or not."""
    if not value:
        return None
    return (
        AccessToken.objects.select_related("client", "account", "refresh_token")
        .filter(token=value)
        .first()
    )


def is_live(token: AccessToken | None) -> bool:
    """Whether the token exists, has not expired and was not revoked (nor its refresh token)."""
    if token is None or token.revoked_at is not None or token.expires_at <= timezone.now():
        return False
    return token.refresh_token is None or token.refresh_token.revoked_at is None


def live_access_token(value: str) -> AccessToken | None:
    """The access token row if it exists, has not expired and was not revoked."""
    token = access_token_row(value)
    return token if is_live(token) else None


def revoke_refresh_token(refresh: RefreshToken) -> None:
    now = timezone.now()
    with transaction.atomic():
        RefreshToken.objects.filter(pk=refresh.pk, revoked_at__isnull=True).update(revoked_at=now)
        AccessToken.objects.filter(refresh_token=refresh, revoked_at__isnull=True).update(
            revoked_at=now
        )


def scope_set(scope: str) -> frozenset[str]:
    return frozenset(scope.split())
