"""Fixtures for the Spotify and YouTube tests: the stand-ins of the session's sandbox server,
the product's settings pointed at them, and people connected to them with real stand-in tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from devtools.sandbox_server import SandboxServer, ServiceStandIns
from tests.transfers.helpers import wait_for_state
from transfer.spotify.models import SpotifyConnection
from transfer.spotify.services import spotify_store_login
from transfer.syncs.models import Sync
from transfer.syncs.services.syncs import sync_create
from transfer.transfers.models import TransferJob
from transfer.transfers.services.intake import jobs_create_from_form
from transfer.transfers.services.jobs import job_start
from transfer.youtube.models import GoogleConnection
from transfer.youtube.services import google_store_login


@pytest.fixture
def standins(sandbox_server: SandboxServer) -> Iterator[ServiceStandIns]:
    services = ServiceStandIns(sandbox_server)
    yield services
    services.reset()


@pytest.fixture
def services(standins: ServiceStandIns, settings: Any, redis_client: Any) -> ServiceStandIns:
    """The product talks to the stand-ins, as it would to Spotify and Google."""
    settings.SPOTIFY_API_URL = standins.spotify_api
    settings.SPOTIFY_AUTHORIZE_URL = f"{standins.spotify_accounts}/authorize"
    settings.SPOTIFY_TOKEN_URL = f"{standins.spotify_accounts}/api/token"
    settings.SPOTIFY_CLIENT_ID = "sandbox-spotify-client"
    settings.SPOTIFY_CLIENT_SECRET = "sandbox-spotify-secret"
    settings.GOOGLE_AUTHORIZE_URL = f"{standins.google_url}/o/oauth2/v2/auth"
    settings.GOOGLE_TOKEN_URL = f"{standins.google_url}/token"
    settings.GOOGLE_REVOKE_URL = f"{standins.google_url}/revoke"
    settings.GOOGLE_USERINFO_URL = f"{standins.google_url}/oauth2/v2/userinfo"
    settings.GOOGLE_CLIENT_ID = "sandbox-google-client"
    settings.GOOGLE_CLIENT_SECRET = "sandbox-google-secret"
    settings.YOUTUBE_API_URL = standins.youtube_api
    settings.YOUTUBE_API_KEY = "sandbox-youtube-api-key"
    for key in redis_client.scan_iter("youtube:quota:*"):
        redis_client.delete(key)
    standins.youtube("POST", "new-day")
    return standins


# A grant that only reads YouTube (an older connection); by default the stand-in grants what
# the product asks for, which writes.
YOUTUBE_READ_ONLY = ["profile", "email", "https://www.googleapis.com/auth/youtube.readonly"]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def spotify_connect(
    services: ServiceStandIns, user: User, account: str, *, expires_in: int = 3600
) -> SpotifyConnection:
    token = services.spotify_token(account)
    return spotify_store_login(
        user=user,
        account_id=account,
        name=account,
        email=f"{account}@example.com",
        access_token=str(token["access_token"]),
        refresh_token=str(token["refresh_token"]),
        expires_at=timezone.now() + dt.timedelta(seconds=expires_in),
    )


def google_connect(
    services: ServiceStandIns, user: User, account: str, *, scopes: list[str] | None = None
) -> GoogleConnection:
    token = services.youtube_token(account, scopes)
    return google_store_login(
        user=user,
        account_id=account,
        name=account,
        email=f"{account}@example.com",
        access_token=str(token["access_token"]),
        refresh_token=str(token["refresh_token"]),
        expires_at=timezone.now() + dt.timedelta(seconds=3600),
        scopes=str(token["scope"]).split(),
    )


YOUTUBE_WRITE = "https://www.googleapis.com/auth/youtube"


def youtube_writer(services: ServiceStandIns, user: User) -> str:
    """A YouTube person with no playlists, connected with the scope that writes to YouTube."""
    account = unique("yt")
    services.youtube_person(account, playlists=[])
    google_connect(services, user, account, scopes=["profile", "email", YOUTUBE_WRITE])
    return account


def amazon_playlist_sync(user: User, source: str, destination: str, **options: Any) -> Sync:
    """A sync of the Amazon Music playlist ``source`` into another service."""
    return sync_create(
        user=user,
        name=options.pop("name", "From Amazon"),
        source_kind=Sync.SourceKind.AMAZON_PLAYLIST,
        source_ref=source,
        destination=destination,
        **options,
    )


def decisions_cached_by_a_dry_run(user: User, source: str, destination: str) -> None:
    """Match the Amazon playlist ``source`` once without writing: its searches (100 YouTube units
    each) are spent and its decisions cached, so what follows spends quota only on writing."""
    [dry] = jobs_create_from_form(
        user=user,
        source="amazon_playlist",
        playlist_ids=[source],
        dry_run=True,
        destination=destination,
    )
    job_start(job=dry)
    wait_for_state(dry, TransferJob.State.DONE, timeout=120)
