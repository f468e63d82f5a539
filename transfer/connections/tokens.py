"""Store, refresh and forget a person's grant with a service (Spotify, Google).

Refreshes are serialised per person with a row lock, so two workers that find the same expired
token refresh it once; a refused refresh marks the connection "reconnect", which pages show.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from transfer.connections import oauth
from transfer.connections.models import ServiceConnection

logger = logging.getLogger(__name__)

REFRESH_MARGIN = dt.timedelta(seconds=120)
C = TypeVar("C", bound=ServiceConnection)


class ServiceReconnectRequired(Exception):
    """The person must connect the service again (never connected, or the grant was withdrawn)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(reason)
        self.service = service
        self.reason = reason


class ServiceUnavailable(Exception):
    """The service's token endpoint could not be reached; try again later."""

    transient = True


@dataclass(frozen=True)
class Endpoint:
    service: str
    token_url: str
    client_id: str
    client_secret: str


def store_login(
    model: type[C],
    *,
    user: Any,
    account_id: str,
    name: str,
    email: str,
    access_token: str,
    refresh_token: str,
    expires_at: dt.datetime | None,
    scopes: list[str],
) -> C:
    defaults: dict[str, Any] = {
        "account_id": account_id,
        "name": name,
        "email": email,
        "access_token": access_token,
        "expires_at": expires_at or timezone.now() + dt.timedelta(hours=1),
        "scopes": scopes,
        "status": ServiceConnection.Status.ACTIVE,
        "status_detail": "",
    }
    if refresh_token:
        # A reconnect without a refresh token must not erase the one we have.
        defaults["refresh_token"] = refresh_token
    connection, _ = model._default_manager.update_or_create(user=user, defaults=defaults)
    logger.info("Stored %s tokens for user %s", model.__name__, user.pk)
    return connection


def access_token(
    model: type[C], endpoint: Endpoint, *, user_id: int, failed_token: str | None = None
) -> str:
    """A valid access token, refreshed when (nearly) expired or just rejected with a 401."""
    connection = model._default_manager.filter(user_id=user_id).first()
    if connection is None:
        raise ServiceReconnectRequired(
            endpoint.service, f"You have not connected {endpoint.service} yet."
        )
    if _usable(connection, failed_token):
        return connection.access_token
    refused = ""
    with transaction.atomic():
        connection = model._default_manager.select_for_update().get(pk=connection.pk)
        if _usable(connection, failed_token):
            return connection.access_token
        if connection.status == ServiceConnection.Status.RECONNECT:
            raise ServiceReconnectRequired(endpoint.service, connection.status_detail)
        if not connection.refresh_token:
            refused = f"Your {endpoint.service} sign-in has expired."
        else:
            try:
                tokens = oauth.refresh_access_token(
                    service=endpoint.service,
                    token_url=endpoint.token_url,
                    client_id=endpoint.client_id,
                    client_secret=endpoint.client_secret,
                    refresh_token=connection.refresh_token,
                )
            except oauth.GrantRevokedError:
                refused = f"{endpoint.service} no longer accepts this app's access to your account."
            except oauth.OAuthError as exc:
                raise ServiceUnavailable(str(exc)) from None
            else:
                connection.access_token = tokens.access_token
                connection.refresh_token = tokens.refresh_token
                connection.expires_at = tokens.expires_at
                connection.refreshed_at = timezone.now()
                connection.save(
                    update_fields=["access_token", "refresh_token", "expires_at", "refreshed_at"]
                )
                logger.info("Refreshed the %s token of user %s", endpoint.service, user_id)
                return connection.access_token
    connection.status = ServiceConnection.Status.RECONNECT
    connection.status_detail = refused
    connection.save(update_fields=["status", "status_detail"])
    raise ServiceReconnectRequired(endpoint.service, refused)


def _usable(connection: ServiceConnection, failed_token: str | None) -> bool:
    if connection.status != ServiceConnection.Status.ACTIVE:
        return False
    if failed_token is not None and connection.access_token == failed_token:
        return False
    return connection.expires_at - REFRESH_MARGIN > timezone.now()
