"""The product's YouTube client against the stand-in: playlists, Takeout ids resolved 50 a call,
quota counted and a job-stopping quotaExceeded, token refresh."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from devtools.sandbox_server import REPO, ServiceStandIns
from tests.spotify.conftest import google_connect, unique
from tests.youtube.test_youtube_standin import _takeout_ids
from transfer.formats import read_any
from transfer.youtube.errors import YouTubeQuotaExceededError
from transfer.youtube.mapper import split_title
from transfer.youtube.services import quota_ledger, youtube_client_for, youtube_resolve_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(services: ServiceStandIns) -> User:
    user = User.objects.create_user(unique("erin"))
    name = unique("yt")
    services.youtube_person(name, playlists=[120, 7])
    google_connect(services, user, name)
    user.google_name = name  # type: ignore[attr-defined]
    return user


def test_youtube_client_reads_playlists_and_items_in_order(
    erin: User, services: ServiceStandIns
) -> None:
    client = youtube_client_for(erin.pk)
    playlists = list(client.iter_my_playlists())
    truth = services.youtube("GET", f"accounts/{erin.google_name}")["playlists"]  # type: ignore[attr-defined]
    assert [p.id for p in playlists] == [p["id"] for p in truth]
    big = next(p for p in playlists if p.content_details.item_count == 120)
    items = list(client.iter_playlist_items(big.id))
    assert [i.video_id for i in items] == next(p["video_ids"] for p in truth if p["id"] == big.id)
    assert quota_ledger().used() == client.calls == 1 + 3


def test_youtube_resolves_a_takeout_id_only_file_through_the_connection(
    erin: User, services: ServiceStandIns
) -> None:
    path = REPO / "sandbox/data/samples/youtube_music_takeout_liked-videos.csv"
    parsed = read_any(path.read_bytes(), "liked-videos.csv")
    records = parsed.playlists[0].tracks
    assert all(not r.title for r in records)
    resolved, missing = youtube_resolve_ids(user_id=erin.pk, records=records)
    assert missing == []
    assert [r.source_id for r in resolved] == _takeout_ids()
    first = resolved[0]
    assert (first.title, first.artists) == (
        "I Hate Everything (feat. Action Bronson)",
        ("The Alchemist",),
    )
    assert quota_ledger().used() == 1  # 40 ids, one videos.list call


def test_youtube_quota_exhausted_stops_with_time_to_midnight_pacific(
    erin: User, services: ServiceStandIns, settings
) -> None:
    settings.YOUTUBE_DAILY_QUOTA = 2
    client = youtube_client_for(erin.pk)
    client.videos(_takeout_ids())
    client.videos(_takeout_ids()[:1])
    with pytest.raises(YouTubeQuotaExceededError) as caught:
        client.videos(_takeout_ids()[:1])
    assert 0 < caught.value.resume_in <= 24 * 3600
    assert caught.value.retry_after <= caught.value.resume_in
    assert client.calls == 2  # the third call was never sent


def test_youtube_quota_exceeded_from_google_is_believed(
    erin: User, services: ServiceStandIns
) -> None:
    services.youtube("POST", "config", {"daily_quota": 0})
    with pytest.raises(YouTubeQuotaExceededError):
        youtube_client_for(erin.pk).videos(_takeout_ids()[:3])
    assert quota_ledger().left() == 0


def test_youtube_expired_token_is_refreshed(erin: User, services: ServiceStandIns) -> None:
    services.youtube("POST", "config", {"access_token_ttl": 0})
    google_connect(services, erin, erin.google_name)  # type: ignore[attr-defined]
    services.youtube("POST", "config", {"access_token_ttl": 3600})
    assert list(youtube_client_for(erin.pk).iter_my_playlists())


@pytest.mark.parametrize(
    ("title", "channel", "expected"),
    [
        ("Hold On", "Wilson Phillips - Topic", ("Hold On", ("Wilson Phillips",))),
        (
            "Wilson Phillips - Hold On (Official Video)",
            "WilsonPhillipsVEVO",
            ("Hold On", ("Wilson Phillips",)),
        ),
        (
            "Dua Lipa & Elton John - Cold Heart (Lyric Video)",
            "Dua Lipa",
            ("Cold Heart", ("Dua Lipa", "Elton John")),
        ),
        ("Levitating [Official Audio]", "DuaLipaVEVO", ("Levitating", ("DuaLipa",))),
    ],
)
def test_youtube_video_titles_become_song_and_artists(
    title: str, channel: str, expected: tuple[str, tuple[str, ...]]
) -> None:
    assert split_title(title, channel) == expected
