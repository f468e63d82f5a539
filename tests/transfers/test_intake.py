"""The intake service: files to jobs, each with its own format and problems, and the preview's
corrections (read again with other columns or swapped, rename, untick), all before any start."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from transfer.transfers.models import IntakeFile, SourceTrack, TransferJob
from transfer.transfers.services import intake
from transfer.transfers.services.jobs import TransferError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_youtube(settings: Any) -> None:
    """No YouTube to name video ids here: id-only rows stay as the file has them."""
    settings.YOUTUBE_API_KEY = ""


CSV = (
    b"Song,Artist,Record,Length\n"
    b"Bohemian Rhapsody,Queen,A Night at the Opera,5:55\n"
    b"Waterloo,ABBA,Waterloo,2:47\n"
    b"Waterloo,ABBA,Waterloo,2:47\n"
    b",,No title here,\n"
)
TAKEOUT = b"Video ID,Playlist Video Creation Timestamp\ndQw4w9WgXcQ,2024-01-01T10:00:00+00:00\n"


@pytest.fixture
def carol() -> User:
    return User.objects.create_user("carol", password="x")


def create(user: User, *files: tuple[str, bytes]) -> list[TransferJob]:
    return intake.jobs_create_from_form(
        user=user,
        source="file",
        files=[SimpleUploadedFile(name, data) for name, data in files],
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )


def titles(job: TransferJob) -> list[tuple[str, list[str]]]:
    return [(row.title, row.artists) for row in job.tracks.order_by("position")]


def test_each_playlist_of_a_batch_shows_its_own_files_format_and_problems(carol: User) -> None:
    mix, videos = create(carol, ("mix.csv", CSV), ("Road-videos.csv", TAKEOUT))
    assert mix.batch_id == videos.batch_id is not None
    assert (mix.source_format, mix.source_ref) == (
        "CSV (any columns; ours when written)",
        "mix.csv",
    )
    assert videos.source_format.startswith("YouTube Takeout playlist CSV")
    assert [p["line"] for p in mix.problems] == [5]
    assert all("video ids" not in p["message"] for p in mix.problems)
    assert any("only video ids" in p["message"] for p in videos.problems)


def test_rows_that_can_never_match_are_set_aside_and_duplicates_flagged(carol: User) -> None:
    [job] = create(carol, ("mix.csv", CSV + b",,,\n"))
    preview = intake.preview_for(job=job)
    # The empty row is skipped by the reader (a warning); nothing else lacks a title here.
    assert preview.no_title == 0
    assert [row.duplicate_of for row in preview.rows] == [None, None, 2]
    assert preview.duplicates == 1


def test_youtube_ids_only_are_set_aside_and_start_is_refused_with_a_way_out(carol: User) -> None:
    [job] = create(carol, ("Road-videos.csv", TAKEOUT))
    row = job.tracks.get()
    assert (row.needs_resolution, row.band, row.source_id) == (
        True,
        SourceTrack.Band.SKIPPED,
        "dQw4w9WgXcQ",
    )
    assert intake.preview_for(job=job).ids_only == 1
    with pytest.raises(TransferError, match="only YouTube video ids and no titles"):
        intake.preview_check_startable(job=job)


def test_youtube_out_of_reach_keeps_the_upload_and_says_why(carol: User, settings: Any) -> None:
    settings.YOUTUBE_API_KEY = "a-key"
    settings.YOUTUBE_API_URL = "http://127.0.0.1:9/youtube/v3"  # nothing listens there
    [job] = create(carol, ("Road-videos.csv", TAKEOUT))
    assert job.tracks.get().needs_resolution
    assert any("YouTube could not look" in p["message"] for p in job.problems)


def test_a_zip_gives_a_job_per_playlist_file(carol: User) -> None:
    buffer = io.BytesIO()
    playlist1 = {
        "playlists": [
            {
                "name": "Gym",
                "items": [
                    {
                        "track": {
                            "trackName": "Eye of the Tiger",
                            "artistName": "Survivor",
                            "albumName": "x",
                            "trackUri": "spotify:track:1",
                        }
                    }
                ],
            },
            {
                "name": "Calm",
                "items": [
                    {
                        "track": {
                            "trackName": "Weightless",
                            "artistName": "Marconi Union",
                            "albumName": "y",
                            "trackUri": "spotify:track:2",
                        }
                    }
                ],
            },
        ]
    }
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("MyData/Playlist1.json", json.dumps(playlist1))
        archive.writestr("MyData/Userdata.json", json.dumps({"username": "x"}))
    jobs = create(carol, ("my_spotify_data.zip", buffer.getvalue()))
    assert [job.name for job in jobs] == ["Gym", "Calm"]
    assert {job.source_ref for job in jobs} == {"MyData/Playlist1.json"}
    assert jobs[0].intake_file_id == jobs[1].intake_file_id
    assert [job.intake_index for job in jobs] == [0, 1]
    assert "Userdata.json" in jobs[0].problems[0]["message"]


def test_reading_again_with_other_columns_and_swapped(carol: User) -> None:
    [job] = create(carol, ("mix.csv", CSV))
    file = IntakeFile.objects.get()
    # "Record" is not a name we know for the album: the person points at it.
    assert file.fed_by == {"title": "Song", "artist": "Artist", "duration": "Length"}
    assert titles(job)[0] == ("Bohemian Rhapsody", ["Queen"])

    intake.preview_reread(
        job=job, columns={"title": "Record", "artist": "Artist", "album": "Song", "duration": ""}
    )
    job.refresh_from_db()
    first = job.tracks.order_by("position").first()
    assert first is not None
    assert (first.title, first.album, first.duration_ms) == (
        "A Night at the Opera",
        "Bohemian Rhapsody",
        None,
    )
    assert job.track_count == 4  # the row with only an album now has a title

    intake.preview_reread(job=job, columns=None, swap=True)
    assert titles(job)[0] == ("Queen", ["Bohemian Rhapsody"])
    file.refresh_from_db()
    assert file.swapped


def test_reading_again_needs_a_title_column(carol: User) -> None:
    [job] = create(carol, ("mix.csv", CSV))
    with pytest.raises(TransferError, match="titles"):
        intake.preview_reread(job=job, columns={"title": "", "artist": "Artist"})


def test_rename_and_untick(carol: User) -> None:
    [job] = create(carol, ("mix.csv", CSV))
    intake.preview_rename(job=job, name="  Friday   night ")
    job.refresh_from_db()
    assert (job.name, job.destination_name) == ("Friday night", "Friday night")
    row = job.tracks.get(position=1)
    intake.preview_include(job=job, row=row, included=False)
    assert job.tracks.get(position=1).band == SourceTrack.Band.SKIPPED
    assert intake.preview_for(job=job).left_out == 1
    intake.preview_include(job=job, row=row, included=True)
    assert job.tracks.get(position=1).band == SourceTrack.Band.PENDING


def test_nothing_changes_once_started(carol: User) -> None:
    [job] = create(carol, ("mix.csv", CSV))
    TransferJob.objects.filter(id=job.id).update(state=TransferJob.State.MATCHING)
    job.refresh_from_db()
    with pytest.raises(TransferError, match="has started"):
        intake.preview_rename(job=job, name="x")


def test_the_kept_file_goes_when_no_job_previews_it(carol: User) -> None:
    first, second = create(carol, ("a.csv", CSV), ("b.csv", CSV))
    assert IntakeFile.objects.count() == 2
    intake.preview_done(job=first)
    assert IntakeFile.objects.count() == 1
    first.refresh_from_db()
    assert first.intake_file_id is None
    with pytest.raises(TransferError, match="no longer kept"):
        intake.preview_reread(job=first, swap=True)
    assert second.intake_file_id is not None


def test_a_bad_file_among_several_creates_nothing(carol: User) -> None:
    with pytest.raises(TransferError, match=r"broken\.xspf"):
        create(carol, ("mix.csv", CSV), ("broken.xspf", b"<playlist><trackList><track>"))
    assert not TransferJob.objects.exists()
    assert not IntakeFile.objects.exists()


def test_files_of_deleted_jobs_are_forgotten_at_the_next_upload(carol: User) -> None:
    [job] = create(carol, ("a.csv", CSV))
    job.delete()
    assert IntakeFile.objects.count() == 1
    create(carol, ("b.csv", CSV))
    assert list(IntakeFile.objects.values_list("name", flat=True)) == ["b.csv"]
