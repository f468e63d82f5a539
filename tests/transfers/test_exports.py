"""Exports: Amazon playlists and the library (export-then-import round trips per format), and a
job's matches and leftovers as files."""

from __future__ import annotations

from typing import Any

import pytest

from tests.product_fixtures import Person
from transfer.amazon.clients import music_client_for
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import exports, sources
from transfer.transfers.services.jobs import jobs_create

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


# --- a job's results as files (the service alone, no Amazon call) ------------------------------


@pytest.fixture
def finished_job(django_user_model: Any) -> TransferJob:
    """A job of five tracks after matching and writing: two matched and written, one matched
    but refused by Amazon, one waiting for review with a suggestion, one not found."""
    user = django_user_model.objects.create_user("frank")
    records = [
        TrackRecord(title="September", artists=("Earth, Wind & Fire",), line=2),
        TrackRecord(title="Dont Stop Me Now", artists=("Queen",), line=3),
        TrackRecord(title="Jolene", artists=("Dolly Parton",), line=4),
        TrackRecord(title="Velvet Thunder Over Lisbon", artists=("Nobody",), line=5),
        TrackRecord(title="Hey Ya", artists=("OutKast",), album="Speakerboxxx", line=6),
    ]
    [job] = jobs_create(
        user=user,
        playlists=[PlaylistRecord(name="Friday", tracks=records)],
        source_kind=TransferJob.SourceKind.FILE,
        source_format="csv",
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    Band, Write = SourceTrack.Band, SourceTrack.Write
    outcome = {
        0: (
            Band.MATCHED,
            Write.WRITTEN,
            "B0SEPT0001",
            {"title": "September", "duration_ms": 215_000},
        ),
        1: (
            Band.MATCHED,
            Write.WRITTEN,
            "B0QUEEN001",
            {
                "title": "Don't Stop Me Now",
                "artists": ["Queen"],
                "album": "Jazz",
                "isrc": "GBUM71029604",
            },
        ),
        2: (Band.MATCHED, Write.NOT_WRITTEN, "B0JOLENE01", {"title": "Jolene"}),
        3: (Band.NOT_FOUND, Write.PENDING, "", None),
        4: (Band.REVIEW, Write.PENDING, "B0HEYYA001", {"title": "Hey Ya!"}),
    }
    for row in job.tracks.order_by("position"):
        band, write_state, chosen_id, chosen = outcome[row.position]
        row.band, row.write_state, row.chosen_id, row.chosen = band, write_state, chosen_id, chosen
        row.save()
    return job


def test_a_jobs_export_lists_its_matches_in_order_as_the_catalog_has_them(
    finished_job: TransferJob,
) -> None:
    data, filename, content_type = exports.export_job(job=finished_job, format_id="csv")
    assert (filename, content_type) == ("Friday.csv", "text/csv")
    [playlist] = sources.parse_upload(data, filename).playlists
    assert [(t.title, t.artists) for t in playlist.tracks] == [
        ("September", ("Earth, Wind & Fire",)),
        ("Don't Stop Me Now", ("Queen",)),
        ("Jolene", ("Dolly Parton",)),
        ("Hey Ya!", ("OutKast",)),
    ], "the catalog's spelling, the source's artists where the catalog gave none; no not-found"
    assert playlist.tracks[0].duration_ms == 215_000
    assert (playlist.tracks[1].album, playlist.tracks[1].isrc) == ("Jazz", "GBUM71029604")


def test_the_unmatched_export_holds_what_did_not_make_it_as_it_came(
    finished_job: TransferJob,
) -> None:
    data, filename, content_type = exports.export_unmatched(job=finished_job)
    assert filename == "Friday - unmatched.csv"
    assert content_type == "text/csv"
    [playlist] = sources.parse_upload(data, filename).playlists
    assert [t.title for t in playlist.tracks] == [
        "Jolene",
        "Velvet Thunder Over Lisbon",
        "Hey Ya",
    ], "refused by Amazon, not found and unreviewed; never what was written"
    assert playlist.tracks[2].album == "Speakerboxxx"


def test_an_unknown_export_format_is_refused(finished_job: TransferJob) -> None:
    with pytest.raises(ValueError, match="Unknown export format 'mp3'"):
        exports.export_job(job=finished_job, format_id="mp3")
