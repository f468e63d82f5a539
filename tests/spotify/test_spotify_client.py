"""The product's Spotify client against the stand-in over HTTP: reads, paging, writes, 429s,
token expiry and refresh, and a withdrawn grant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from devtools.sandbox_server import ServiceStandIns
from tests.spotify.conftest import spotify_connect, unique
from transfer.connections.tokens import ServiceReconnectRequired
from transfer.spotify.errors import SpotifyForbiddenError, SpotifyRateLimitedError
from transfer.spotify.mapper import track_record_of
from transfer.spotify.models import SpotifyConnection
from transfer.spotify.services import spotify_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(services: ServiceStandIns) -> User:
    user = User.objects.create_user(unique("carol"))
    name = unique("sp")
    services.spotify_person(name, liked=230, playlists=[250], albums=3)
    spotify_connect(services, user, name)
    user.spotify_name = name  # type: ignore[attr-defined]
    return user


def test_spotify_client_reads_liked_songs_in_order_50_a_call(
    carol: User, services: ServiceStandIns
) -> None:
    client = spotify_client_for(carol.pk)
    records = [track_record_of(s.track) for s in client.iter_saved_tracks()]
    truth = services.spotify("GET", f"accounts/{carol.spotify_name}")["liked"]  # type: ignore[attr-defined]
    assert [r.source_id for r in records] == [f"spotify:track:{t['id']}" for t in truth]
    assert [r.isrc for r in records] == [t["isrc"] for t in truth]
    assert client.calls == 5  # 230 songs, 50 a page


def test_spotify_client_reads_a_playlist_100_a_call(carol: User) -> None:
    client = spotify_client_for(carol.pk)
    (playlist,) = list(client.iter_playlists())
    entries = list(client.iter_playlist_entries(playlist.id))
    assert len(entries) == playlist.total == 250
    assert all(e.object and e.object.isrc for e in entries)
    assert client.calls == 1 + 3


def test_spotify_client_refuses_followed_playlists_in_development_mode(
    services: ServiceStandIns, db: None
) -> None:
    user = User.objects.create_user(unique("dan"))
    spotify_connect(services, user, "alice")
    client = spotify_client_for(user.pk)
    followed = next(p for p in client.iter_playlists() if p.name == "Rock Classics")
    with pytest.raises(SpotifyForbiddenError):
        list(client.iter_playlist_entries(followed.id))


def test_spotify_client_writes_a_playlist_in_chunks_of_100(carol: User, services) -> None:
    client = spotify_client_for(carol.pk)
    liked = [s.track.uri for s in client.iter_saved_tracks()]
    playlist = client.create_playlist("Copy", description="test")
    client.add_to_playlist(playlist.id, liked)
    copied = [e.object.uri for e in client.iter_playlist_entries(playlist.id) if e.object]
    assert copied == liked


def test_spotify_429_past_the_budget_raises_with_retry_after(
    carol: User, services: ServiceStandIns, settings
) -> None:
    settings.SPOTIFY_RETRY_BUDGET = 0.5
    services.spotify("POST", "config", {"rate_limit": 2})
    client = spotify_client_for(carol.pk)
    client.me()
    client.me()
    with pytest.raises(SpotifyRateLimitedError) as caught:
        client.me()
    assert 1 <= caught.value.retry_after <= 30


def test_spotify_expired_token_is_refreshed_once_and_stored(
    carol: User, services: ServiceStandIns
) -> None:
    connection = SpotifyConnection.objects.get(user=carol)
    old_refresh = connection.refresh_token
    # The stored expiry says "fine", the server says "expired": the 401 path.
    services.spotify("POST", "config", {"access_token_ttl": 0})
    spotify_connect(services, carol, carol.spotify_name)  # type: ignore[attr-defined]
    services.spotify("POST", "config", {"access_token_ttl": 3600})
    assert spotify_client_for(carol.pk).me().id == carol.spotify_name  # type: ignore[attr-defined]
    connection.refresh_from_db()
    assert connection.refreshed_at is not None
    assert connection.refresh_token != old_refresh  # Spotify rotated it


def test_spotify_withdrawn_grant_asks_to_reconnect(carol: User, services: ServiceStandIns) -> None:
    connection = SpotifyConnection.objects.get(user=carol)
    services.spotify("POST", "revoke", {"token": connection.refresh_token})
    SpotifyConnection.objects.filter(pk=connection.pk).update(
        expires_at=connection.expires_at - dt.timedelta(days=1)
    )
    with pytest.raises(ServiceReconnectRequired):
        spotify_client_for(carol.pk).me()
    connection.refresh_from_db()
    assert connection.status == SpotifyConnection.Status.RECONNECT


def test_spotify_tokens_are_encrypted_at_rest(carol: User) -> None:
    from django.db import connection as db

    stored = SpotifyConnection.objects.get(user=carol)
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM spotify_spotifyconnection WHERE id = %s",
            [stored.pk],
        )
        raw_access, raw_refresh = cursor.fetchone()
    assert stored.access_token not in raw_access
    assert stored.refresh_token not in raw_refresh
    assert stored.access_token not in repr(stored)
