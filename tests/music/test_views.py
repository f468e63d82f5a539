"""'Your Amazon Music' pages: what each shows, and that nobody sees anybody else's music."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.product_fixtures import Person, connect
from tests.sandbox_server import SandboxServer
from transfer.amazon.clients import music_client_for

pytestmark = pytest.mark.django_db


def alice_private_playlist(alice: Person) -> tuple[str, str]:
    for playlist in music_client_for(alice.user.pk).iter_my_playlists():
        if playlist.visibility == "PRIVATE" and playlist.title:
            return playlist.id, playlist.title
    raise AssertionError("alice has no private playlist in the seed")


def test_playlists_page_lists_the_persons_playlists(alice: Person) -> None:
    page = alice.client.get("/music/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Everything I Love" in body
    assert "tracks" in body


def test_a_playlist_shows_its_tracks_with_details(alice: Person) -> None:
    playlist_id, title = alice_private_playlist(alice)
    page = alice.client.get(f"/music/playlists/{playlist_id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert title in body
    assert "<table" in body
    assert '<img src="http' in body, "artwork is shown"


def test_library_albums_and_tracks_pages(alice: Person) -> None:
    albums = alice.client.get("/music/library/albums/")
    tracks = alice.client.get("/music/library/tracks/")
    assert albums.status_code == 200
    assert tracks.status_code == 200
    assert 'class="card"' in albums.content.decode()
    assert "<table" in tracks.content.decode()


def test_browse_and_a_category(alice: Person) -> None:
    page = alice.client.get("/music/browse/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Top playlists" in body
    category_id = next(iter(music_client_for(alice.user.pk).iter_categories())).id
    category = alice.client.get(f"/music/browse/categories/{category_id}/")
    assert category.status_code == 200


def test_more_rows_come_as_a_partial_for_htmx(alice: Person) -> None:
    client = music_client_for(alice.user.pk)
    big = next(p for p in client.iter_my_playlists() if p.title == "Everything I Love")
    first = client.iter_playlist_tracks(big.id, limit=100)
    cursor = next(iter(first.pages())).next_cursor
    assert cursor is not None
    more = alice.client.get(
        f"/music/playlists/{big.id}/", {"cursor": cursor}, headers={"HX-Request": "true"}
    )
    assert more.status_code == 200
    body = more.content.decode()
    assert "<html" not in body
    assert body.count("<tr>") == 100


def test_empty_states_are_clear(amazon: SandboxServer) -> None:
    amazon.create_account("Nina Newcomer", "nina@example.com")
    person = connect(amazon, "nina")
    assert "no playlists on Amazon Music yet" in person.client.get("/music/").content.decode()
    assert "No albums in your library" in (
        person.client.get("/music/library/albums/").content.decode()
    )
    assert "No songs in your library" in (
        person.client.get("/music/library/tracks/").content.decode()
    )


def test_a_person_without_amazon_music_gets_a_clear_403(amazon: SandboxServer) -> None:
    person = connect(amazon, "erin")
    page = person.client.get("/music/")
    assert page.status_code == 403
    assert "no Amazon Music account" in page.content.decode()


def test_rate_limited_pages_say_try_again(alice: Person, amazon: SandboxServer) -> None:
    amazon.configure(faults={"http_429": 1.0})
    page = alice.client.get("/music/")
    assert page.status_code == 429
    assert page["Retry-After"]
    assert "try again" in page.content.decode()


MUSIC_PAGES = [
    "/music/",
    "/music/library/albums/",
    "/music/library/tracks/",
    "/music/browse/",
]


@pytest.mark.parametrize("url", [*MUSIC_PAGES, "/music/playlists/any/", "/account/"])
def test_anonymous_visitors_are_sent_to_sign_in(url: str, client: Client) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", MUSIC_PAGES)
def test_another_person_never_sees_alices_music(url: str, alice: Person, bob: Person) -> None:
    _, private_title = alice_private_playlist(alice)
    page = bob.client.get(url)
    assert page.status_code == 200
    assert "Everything I Love" not in page.content.decode()
    assert private_title not in page.content.decode()


def test_another_person_cannot_open_alices_private_playlist(alice: Person, bob: Person) -> None:
    playlist_id, title = alice_private_playlist(alice)
    page = bob.client.get(f"/music/playlists/{playlist_id}/")
    assert page.status_code == 404
    assert title not in page.content.decode()
