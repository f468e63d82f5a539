"""The new-sync page with Spotify and YouTube: their destinations offered with each service's
connection state, a sync into Spotify saved from the form, and what the form refuses."""

from __future__ import annotations

import pytest

from devtools.sandbox_server import ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import YOUTUBE_READ_ONLY, google_connect, spotify_connect, unique
from transfer.amazon.clients import music_client_for
from transfer.syncs.models import Sync

pytestmark = pytest.mark.django_db(transaction=True)
WRITE = "https://www.googleapis.com/auth/youtube"


def first_playlist(person: Person) -> str:
    client = music_client_for(person.user.pk)
    return next(p.id for p in client.iter_my_playlists() if (p.track_count or 0) > 0)


def test_the_new_sync_page_offers_spotify_and_youtube_with_their_connection_state(
    alice: Person, services: ServiceStandIns
) -> None:
    page = alice.client.get("/syncs/new/").content.decode()
    assert "A new Spotify playlist (not connected)" in page
    assert "A new YouTube playlist (not connected)" in page
    assert "Connect Spotify" in page

    spotify = unique("sp")
    services.spotify_person(spotify, playlists=[5])
    spotify_connect(services, alice.user, spotify)
    youtube = unique("yt")
    services.youtube_person(youtube, playlists=[])
    google_connect(services, alice.user, youtube, scopes=YOUTUBE_READ_ONLY)
    page = alice.client.get("/syncs/new/").content.decode()
    assert "A new Spotify playlist</label>" in page or "A new Spotify playlist\n" in page
    assert "A new Spotify playlist (" not in page
    assert "Your Spotify Liked Songs" in page
    assert "mix 1" in page  # the person's own Spotify playlists, to add to or to read
    assert f"A new YouTube playlist (connected as {youtube}@example.com, for reading only)" in page
    assert "Reconnect YouTube" in page


def test_a_sync_from_an_amazon_playlist_into_spotify_is_saved_from_the_form(
    alice: Person, services: ServiceStandIns
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    playlist = first_playlist(alice)
    response = alice.client.post(
        "/syncs/new/",
        {
            "source": "amazon_playlist",
            "playlist": playlist,
            "destination": "spotify_new_playlist",
            "destination_name": "On Spotify",
            "schedule": "daily",
            "mode": "mirror",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sync = Sync.objects.get(user=alice.user)
    assert (sync.source_kind, sync.source_ref) == ("amazon_playlist", playlist)
    assert (sync.destination, sync.destination_name, sync.mode) == (
        "spotify_new_playlist",
        "On Spotify",
        "mirror",
    )


def test_the_sync_form_says_what_to_connect_and_refuses_service_to_service(
    alice: Person, services: ServiceStandIns
) -> None:
    playlist = first_playlist(alice)
    form = {"source": "amazon_playlist", "playlist": playlist, "schedule": "daily"}
    form["mode"] = "additive"
    page = alice.client.post("/syncs/new/", {**form, "destination": "spotify_liked"})
    assert page.status_code == 200
    assert "Connect Spotify first" in page.content.decode()

    youtube = unique("yt")
    services.youtube_person(youtube, playlists=[])
    google_connect(services, alice.user, youtube, scopes=YOUTUBE_READ_ONLY)
    page = alice.client.post("/syncs/new/", {**form, "destination": "youtube_new_playlist"})
    assert "YouTube was connected for reading only: reconnect it" in page.content.decode()

    spotify = unique("sp")
    services.spotify_person(spotify, liked=3)
    spotify_connect(services, alice.user, spotify)
    page = alice.client.post(
        "/syncs/new/", {**form, "source": "spotify_liked", "destination": "spotify_new_playlist"}
    )
    assert "choose an Amazon Music destination" in page.content.decode()
    assert not Sync.objects.filter(user=alice.user).exists()

    # Spotify Liked Songs into the library is what the form is for.
    response = alice.client.post(
        "/syncs/new/", {**form, "source": "spotify_liked", "destination": "library_tracks"}
    )
    assert response.status_code == 302
    sync = Sync.objects.get(user=alice.user)
    assert (sync.source_kind, sync.source_ref, sync.destination) == (
        "spotify_liked",
        "liked",
        "library_tracks",
    )


def test_keep_in_sync_on_the_transfer_page_makes_amazon_to_spotify_and_youtube_syncs(
    alice: Person, services: ServiceStandIns
) -> None:
    spotify = unique("sp")
    services.spotify_person(spotify)
    spotify_connect(services, alice.user, spotify)
    playlist = first_playlist(alice)
    response = alice.client.post(
        "/connections/transfer/?from=amazon&to=spotify",
        {
            "items": [f"amazon_playlist|{playlist}", "amazon_library_tracks|library"],
            "destination": "spotify_new_playlist",
            "keep_in_sync": "weekly",
            "mode": "mirror",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/syncs/"
    made = {(s.source_kind, s.source_ref, s.destination, s.mode) for s in Sync.objects.all()}
    assert made == {
        ("amazon_playlist", playlist, "spotify_new_playlist", "mirror"),
        ("amazon_library", "library", "spotify_new_playlist", "mirror"),
    }

    # YouTube connected for reading only: said on the page, and no sync is made.
    youtube = unique("yt")
    services.youtube_person(youtube, playlists=[])
    google_connect(services, alice.user, youtube, scopes=YOUTUBE_READ_ONLY)
    page = alice.client.post(
        "/connections/transfer/?from=amazon&to=youtube",
        {
            "items": [f"amazon_playlist|{playlist}"],
            "destination": "youtube_new_playlist",
            "keep_in_sync": "daily",
        },
    )
    assert page.status_code == 200
    assert "connected for reading only" in page.content.decode()
    assert Sync.objects.count() == 2
