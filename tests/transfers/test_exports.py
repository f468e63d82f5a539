"""Exports of Amazon playlists and the library, and export-then-import round trips per format."""

from __future__ import annotations

import pytest

from tests.product_fixtures import Person
from transfer.amazon.clients import music_client_for
from transfer.transfers.services import exports, sources

pytestmark = pytest.mark.django_db


def small_playlist(person: Person) -> str:
    client = music_client_for(person.user.pk)
    return next(
        p.id for p in client.iter_my_playlists() if p.track_count and 5 <= p.track_count <= 200
    )


@pytest.mark.parametrize("format_id", list(exports.EXPORT_FORMATS))
def test_an_exported_playlist_imports_as_the_same_tracks_in_the_same_order(
    alice: Person, format_id: str
) -> None:
    playlist_id = small_playlist(alice)
    original = sources.read_amazon_playlist(user_id=alice.user.pk, playlist_id=playlist_id)
    data, filename, _ = exports.export_amazon_playlist(
        user_id=alice.user.pk, playlist_id=playlist_id, format_id=format_id
    )
    parsed = sources.parse_upload(data, filename)
    imported = [t for p in parsed.playlists for t in p.tracks]
    # M3U, XSPF, JSPF and text carry the artist credit as one string, so compare the credit.
    assert [(t.title, t.artist_text) for t in imported] == [
        (t.title, t.artist_text) for t in original.tracks
    ]
    if format_id != "text":  # text carries only "Artist - Title"
        assert [t.album for t in imported] == [t.album for t in original.tracks]


def test_the_playlist_page_offers_downloads_that_work(alice: Person) -> None:
    playlist_id = small_playlist(alice)
    page = alice.client.get(f"/music/playlists/{playlist_id}/").content.decode()
    assert f"/music/playlists/{playlist_id}/export/m3u/" in page
    download = alice.client.get(f"/music/playlists/{playlist_id}/export/m3u/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content.startswith(b"#EXTM3U")


def test_the_library_exports_as_csv(alice: Person) -> None:
    download = alice.client.get("/music/library/tracks/export/csv/")
    assert download.status_code == 200
    parsed = sources.parse_upload(download.content, "library.csv")
    assert parsed.track_count > 0


def test_another_person_cannot_export_alices_private_playlist(alice: Person, bob: Person) -> None:
    client = music_client_for(alice.user.pk)
    private = next(p.id for p in client.iter_my_playlists() if p.visibility == "PRIVATE")
    assert bob.client.get(f"/music/playlists/{private}/export/csv/").status_code == 404
