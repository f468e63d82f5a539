"""Writes on a person's Amazon connection: store tokens at login, refresh, disconnect.

Refreshes are serialised per person with a row lock, so two workers that find the same expired
token refresh it once: the second waits for the lock and then sees the fresh token.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from catalog_client import AmazonMusicError, GrantRevokedError, TokenSet
from transfer.amazon.lwa import login_with_amazon
from transfer.amazon.models import AmazonConnection

logger = logging.getLogger(__name__)

# Refresh this long before expiry, so a token never expires in the middle of a page or a chunk.
REFRESH_MARGIN = dt.timedelta(seconds=120)


# Shown to the person when the server's token keys changed since they signed in.
UNREADABLE_TOKENS = (
    "Your saved Amazon sign-in can no longer be read here; sign in with Amazon again."
)


class ReconnectRequired(Exception):
    """The person must sign in with Amazon again (no connection, or the grant was revoked)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AmazonUnavailable(Exception):
    """Login with Amazon could not be reached; try again later."""

    # Read by the task retry policy (transfer/core/retrying.py), like the client's errors.
    transient = True
    user_message = "Login with Amazon could not be reached."


def connection_store_login(
    *,
    user: User,
    amazon_user_id: str,
    name: str,
    email: str,
    access_token: str,
    refresh_token: str,
    expires_at: dt.datetime | None,
    scopes: list[str],
) -> AmazonConnection:
    defaults = {
        "amazon_user_id": amazon_user_id,
        "name": name,
        "email": email,
        "access_token": access_token,
        "expires_at": expires_at or timezone.now() + dt.timedelta(hours=1),
        "scopes": scopes,
        "status": AmazonConnection.Status.ACTIVE,
        "status_detail": "",
    }
    if refresh_token:
        # A re-login without a refresh token must not erase the one we have.
        defaults["refresh_token"] = refresh_token
    connection, _ = AmazonConnection.objects.update_or_create(user=user, defaults=defaults)
    if not connection.tokens_readable:
        # A sign-in without a refresh token over one the old keys sealed: forget the old one.
        connection.refresh_token = ""
        connection.save(update_fields=["refresh_token"])
    logger.info("Stored Amazon tokens for user %s", user.pk)
    return connection


def connection_access_token(*, user_id: int, failed_token: str | None = None) -> str:
    """A valid access token for the user, refreshing it when it is (nearly) expired.

    ``failed_token`` is a token the API has just rejected with 401: if it is still the stored
    one, it is refreshed even though its expiry time says it should be valid. API calls go
    through transfer/amazon/tokens.py, which keeps the answer in memory while it is good.
    """
    return connection_tokens(user_id=user_id, failed_token=failed_token).access_token


def connection_tokens(*, user_id: int, failed_token: str | None = None) -> TokenSet:
    """The stored grant as a ``TokenSet``, refreshed first when it is (nearly) expired."""
    connection = AmazonConnection.objects.filter(user_id=user_id).first()
    if connection is None:
        raise ReconnectRequired("You have not connected an Amazon account yet.")
    if not connection.tokens_readable:
        _mark_reconnect(connection, UNREADABLE_TOKENS)
        raise ReconnectRequired(UNREADABLE_TOKENS)
    if _usable(connection, failed_token):
        return _token_set(connection)

    refused = ""
    with transaction.atomic():
        connection = AmazonConnection.objects.select_for_update().get(pk=connection.pk)
        if _usable(connection, failed_token):
            return _token_set(connection)  # another worker refreshed it while we waited
        if connection.status == AmazonConnection.Status.RECONNECT:
            raise ReconnectRequired(connection.status_detail)
        if not connection.refresh_token:
            refused = "Your Amazon sign-in has expired."
        else:
            try:
                tokens = login_with_amazon().refresh(connection.refresh_token)
            except GrantRevokedError as exc:
                refused = exc.default_user_message
            except AmazonMusicError as exc:
                raise AmazonUnavailable(exc.user_message) from None
            else:
                connection.access_token = tokens.access_token
                connection.refresh_token = tokens.refresh_token
                connection.expires_at = tokens.expires_at_datetime
                connection.refreshed_at = timezone.now()
                connection.save(
                    update_fields=["access_token", "refresh_token", "expires_at", "refreshed_at"]
                )
                logger.info("Refreshed the Amazon access token of user %s", user_id)
                return _token_set(connection)
    # Outside the transaction, so that raising does not roll the mark back.
    _mark_reconnect(connection, refused)
    raise ReconnectRequired(refused)


def connection_for_account(*, user: User) -> AmazonConnection | None:
    """The person's connection for their account page, marked for reconnecting if unreadable."""
    connection = AmazonConnection.objects.filter(user=user).first()
    if connection is not None and not connection.tokens_readable:
        _mark_reconnect(connection, UNREADABLE_TOKENS)
    return connection


def connection_disconnect(*, user: User) -> bool:
    """Revoke the grant at Amazon (best effort) and forget the tokens. True if revoked there."""
    connection = AmazonConnection.objects.filter(user=user).first()
    revoked = False
    if connection is not None:
        # An unreadable token cannot be revoked; the person can still remove the app at Amazon.
        if connection.refresh_token and connection.tokens_readable:
            revoked = login_with_amazon().revoke(connection.refresh_token)
        connection.delete()
    # Without its social account the person would be signed straight back in without consent.
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.filter(user=user, provider="amazon").delete()
    logger.info("Disconnected Amazon for user %s (revoked at Amazon: %s)", user.pk, revoked)
    return revoked


def _token_set(connection: AmazonConnection) -> TokenSet:
    return TokenSet(
        access_token=connection.access_token,
        refresh_token=connection.refresh_token,
        expires_at=connection.expires_at.timestamp(),
    )


def _usable(connection: AmazonConnection, failed_token: str | None) -> bool:
    if connection.status != AmazonConnection.Status.ACTIVE:
        return False
    if failed_token is not None and connection.access_token == failed_token:
        return False
    return connection.expires_at - REFRESH_MARGIN > timezone.now()


def _mark_reconnect(connection: AmazonConnection, detail: str) -> None:
    connection.status = AmazonConnection.Status.RECONNECT
    connection.status_detail = detail
    connection.save(update_fields=["status", "status_detail"])
