"""A person's Spotify connection: tokens at connect time, a ready client, disconnect."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth.models import User

from transfer.connections import tokens
from transfer.spotify.client import SpotifyClient
from transfer.spotify.models import SpotifyConnection

logger = logging.getLogger(__name__)
SERVICE = "Spotify"


def _endpoint() -> tokens.Endpoint:
    return tokens.Endpoint(
        service=SERVICE,
        token_url=settings.SPOTIFY_TOKEN_URL,
        client_id=settings.SPOTIFY_CLIENT_ID,
        client_secret=settings.SPOTIFY_CLIENT_SECRET,
    )


def spotify_store_login(
    *,
    user: User,
    account_id: str,
    name: str,
    email: str,
    access_token: str,
    refresh_token: str,
    expires_at: dt.datetime | None,
) -> SpotifyConnection:
    return tokens.store_login(
        SpotifyConnection,
        user=user,
        account_id=account_id,
        name=name,
        email=email,
        access_token=access_token,
        refresh_token=refresh_token,
        expires_at=expires_at,
        scopes=list(settings.SPOTIFY_SCOPES),
    )


def spotify_access_token(*, user_id: int, failed_token: str | None = None) -> str:
    return tokens.access_token(
        SpotifyConnection, _endpoint(), user_id=user_id, failed_token=failed_token
    )


class _Tokens:
    def __init__(self, user_id: int) -> None:
        self.user_id = user_id

    def get_token(self) -> str:
        return spotify_access_token(user_id=self.user_id)

    def refresh_token(self, failed_token: str) -> str:
        return spotify_access_token(user_id=self.user_id, failed_token=failed_token)


@functools.cache
def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy scan on every call (docs/boundaries.md)
    return session


def spotify_client_for(user_id: int, *, count: Any = None) -> SpotifyClient:
    """The one way views and tasks get a Spotify client for a person."""
    return SpotifyClient(
        api_url=settings.SPOTIFY_API_URL,
        tokens=_Tokens(user_id),
        session=_session(),
        retry_budget=settings.SPOTIFY_RETRY_BUDGET,
        count=count,
    )


def spotify_disconnect(*, user: User) -> None:
    """Forget the tokens here and pause syncs that use Spotify.

    Spotify has no revocation endpoint: the page tells the person to remove the app at
    spotify.com/account/apps as well.
    """
    from allauth.socialaccount.models import SocialAccount

    from transfer.connections.pausing import syncs_pause_for_service

    SpotifyConnection.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user, provider="spotify").delete()
    syncs_pause_for_service(user=user, service="spotify", reason="Spotify was disconnected.")
    logger.info("Disconnected Spotify for user %s", user.pk)
