"""Connecting Spotify and YouTube from the account page, in Chromium, through the stand-ins'
consent pages; then disconnecting (Google revokes, Spotify's tokens are deleted here)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from devtools.sandbox_server import SandboxServer, ServiceStandIns
from tests.amazon.test_sign_in_browser import sign_in
from transfer.spotify.models import SpotifyConnection
from transfer.syncs.models import Sync
from transfer.youtube.models import GoogleConnection

pytestmark = pytest.mark.django_db(transaction=True)


def allow_callbacks(services: ServiceStandIns, live_server: Any) -> None:
    services.spotify(
        "POST",
        "clients",
        {
            "client_id": "sandbox-spotify-client",
            "client_secret": "sandbox-spotify-secret",
            "redirect_uris": [f"{live_server.url}/accounts/spotify/login/callback/"],
        },
    )
    services.youtube(
        "POST",
        "clients",
        {
            "client_id": "sandbox-google-client",
            "client_secret": "sandbox-google-secret",
            "redirect_uris": [f"{live_server.url}/accounts/google/login/callback/"],
        },
    )


def back_in_app(page: Any) -> None:
    page.wait_for_url(lambda url: "/spotify/" not in url and "/google/" not in url)
    page.wait_for_load_state()


def connect_spotify(page: Any, who: str = "Alice") -> None:
    page.get_by_role("button", name="Connect Spotify").click()
    page.wait_for_url(re.compile(r"/spotify/accounts/authorize"))
    page.locator("label.account", has_text=who).click()
    page.get_by_role("button", name="Agree").click()
    back_in_app(page)


def connect_youtube(page: Any, who: str = "Alice") -> None:
    page.get_by_role("button", name="Connect YouTube").click()
    page.wait_for_url(re.compile(r"/google/o/oauth2/v2/auth"))
    page.locator("label.account", has_text=who).click()
    page.get_by_role("button", name="Agree").click()
    back_in_app(page)


def test_spotify_and_youtube_connect_from_the_account_page_and_disconnect(
    page: Any, live_server: Any, amazon: SandboxServer, services: ServiceStandIns
) -> None:
    allow_callbacks(services, live_server)
    sign_in(page, live_server, amazon)
    page.goto(f"{live_server.url}/account/")

    connect_spotify(page)
    spotify = page.locator("#service-spotify")
    assert spotify.get_by_text("Connected as Alice").is_visible()
    connection = SpotifyConnection.objects.get()
    assert connection.account_id == "alice"
    assert connection.access_token.startswith("BQ")
    assert connection.refresh_token
    assert "user-library-modify" in connection.scopes

    connect_youtube(page)
    youtube = page.locator("#service-youtube")
    assert youtube.get_by_text("Connected as alice@example.com").is_visible()
    google = GoogleConnection.objects.get()
    refresh = google.refresh_token
    assert google.access_token.startswith("ya29.")

    sync = Sync.objects.create(
        user=connection.user,
        name="From Spotify",
        source_kind="spotify_playlist",
        source_ref="x",
        destination=Sync.Destination.NEW_PLAYLIST,
    )
    page.get_by_role("button", name="Disconnect Spotify").click()
    page.wait_for_load_state()
    assert page.get_by_text("spotify.com/account/apps").is_visible()
    assert not SpotifyConnection.objects.exists()
    sync.refresh_from_db()
    assert sync.paused
    assert sync.pause_reason == "Spotify was disconnected."
    assert page.locator("#service-spotify").get_by_text("Not connected").is_visible()

    page.get_by_role("button", name="Disconnect YouTube").click()
    page.wait_for_load_state()
    assert page.get_by_text("Google revoked this app's access").is_visible()
    assert not GoogleConnection.objects.exists()
    # Revoked at Google: the old refresh token no longer works there.
    answer = requests.post(
        f"{services.google_url}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh,
            "client_id": "sandbox-google-client",
            "client_secret": "sandbox-google-secret",
        },
        timeout=30,
    )
    assert answer.status_code == 400


def test_spotify_cannot_be_used_to_sign_in(
    page: Any, live_server: Any, services: ServiceStandIns
) -> None:
    """Sign-in is Amazon only: a Spotify login that is not a connect creates no account."""
    allow_callbacks(services, live_server)
    from django.contrib.auth.models import User

    response = requests.get(f"{live_server.url}/accounts/spotify/login/", timeout=30)
    assert response.status_code in (200, 405)
    assert not User.objects.exists()
