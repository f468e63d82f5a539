"""The connection pages: each person sees only their own services, anonymous visitors nothing."""

from __future__ import annotations

import pytest

from devtools.sandbox_server import ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import spotify_connect, unique
from transfer.spotify.models import SpotifyConnection

pytestmark = pytest.mark.django_db


def test_spotify_playlists_are_shown_only_to_their_owner(
    alice: Person, bob: Person, services: ServiceStandIns
) -> None:
    name = unique("sp")
    services.spotify_person(name, playlists=[5])
    spotify_connect(services, alice.user, name)
    mine = alice.client.get("/connections/transfer/", {"from": "spotify", "to": "amazon"})
    assert b"mix 1" in mine.content
    theirs = bob.client.get("/connections/transfer/", {"from": "spotify", "to": "amazon"})
    assert theirs.status_code == 200
    assert b"mix 1" not in theirs.content
    assert b"Connect Spotify" in theirs.content


def test_spotify_disconnect_touches_only_the_person_asking(
    alice: Person, bob: Person, services: ServiceStandIns
) -> None:
    spotify_connect(services, alice.user, "alice")
    response = bob.client.post("/connections/spotify/disconnect/")
    assert response.status_code == 302
    assert SpotifyConnection.objects.filter(user=alice.user).exists()


def test_youtube_and_spotify_pages_need_a_signed_in_person(client, services) -> None:
    assert client.get("/connections/transfer/").status_code == 302
    assert client.post("/connections/youtube/disconnect/").status_code == 302
    assert client.post("/connections/other/disconnect/").status_code == 302


def test_spotify_unknown_service_disconnect_is_404(alice: Person) -> None:
    assert alice.client.post("/connections/other/disconnect/").status_code == 404
