"""The one mapper from Amazon's catalog objects to the app's records and candidates."""

from __future__ import annotations

import pytest

from catalog_client import Track
from tests.product_fixtures import Person
from transfer.amazon import mapping
from transfer.amazon.clients import music_client_for


def test_seconds_become_milliseconds_and_the_parental_flag_fills_in_explicit() -> None:
    track = Track.model_validate(
        {
            "id": "B0ONE",
            "title": "September",
            "duration": 215,
            "artists": [{"id": "a1", "name": "Earth, Wind & Fire"}, {"id": "a2", "name": ""}],
            "album": {"id": "al1", "title": "The Best Of", "images": [{"url": "https://i/x.jpg"}]},
            "parentalSettings": {"hasExplicitLanguage": False},
        }
    )
    record = mapping.track_record(track)
    candidate = mapping.candidate(track)
    assert record.duration_ms == candidate.duration_ms == 215_000
    # One artist whose name has a comma stays one artist; an unnamed one is dropped.
    assert record.artists == candidate.artists == ("Earth, Wind & Fire",)
    assert record.explicit is candidate.explicit is False
    assert record.album == candidate.album == "The Best Of"
    assert candidate.image_url == "https://i/x.jpg"
    assert candidate.album_id == "al1"


@pytest.mark.django_db
def test_records_and_candidates_of_real_catalog_tracks_agree(alice: Person) -> None:
    tracks = music_client_for(alice.user.pk).iter_top_tracks().take(40)
    assert tracks
    for track in tracks:
        record, candidate = mapping.track_record(track), mapping.candidate(track)
        assert record.source_id == candidate.id == track.id
        assert record.title == candidate.title == (track.title or "")
        assert record.artists == candidate.artists == tuple(track.artist_names)
        assert record.isrc == candidate.isrc
        assert record.duration_ms == candidate.duration_ms
