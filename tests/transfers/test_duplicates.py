"""Playlists and duplicates: a copy keeps intentional repeats; repeats can be removed, and put
back."""

from __future__ import annotations

import pytest

from tests.product_fixtures import Person
from tests.transfers.helpers import playlist_track_ids, wait_for_state
from transfer.amazon.clients import music_client_for
from transfer.transfers.models import TransferJob
from transfer.transfers.services import playlists, sources
from transfer.transfers.services.jobs import job_start, jobs_create

pytestmark = pytest.mark.django_db(transaction=True)


def playlist_with_a_repeat(person: Person) -> tuple[str, list[str]]:
    """A new playlist of alice's own tracks, the first one twice on purpose."""
    client = music_client_for(person.user.pk)
    source = next(p for p in client.iter_my_playlists() if p.title == "Everything I Love")
    ids = [entry.track.id for entry in client.iter_playlist_tracks(source.id)][:4]
    wanted = [*ids, ids[0]]
    playlist = client.create_playlist("On repeat")
    client.add_playlist_tracks(playlist.id, wanted, add_duplicates=True)
    assert playlist_track_ids(person.user.pk, playlist.id) == wanted
    return playlist.id, wanted


def test_copying_a_playlist_keeps_its_intentional_repeats(
    alice: Person, celery_worker_thread: object
) -> None:
    playlist_id, wanted = playlist_with_a_repeat(alice)
    record = sources.read_amazon_playlist(user_id=alice.user.pk, playlist_id=playlist_id)
    [job] = jobs_create(
        user=alice.user,
        playlists=[record],
        source_kind=TransferJob.SourceKind.AMAZON_PLAYLIST,
        source_ref=playlist_id,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="On repeat (copy)",
        predecided=True,
    )
    job_start(job=job)
    job = wait_for_state(job, TransferJob.State.DONE, TransferJob.State.FAILED)
    assert job.state == TransferJob.State.DONE, job.error
    assert playlist_track_ids(alice.user.pk, job.destination_ref) == wanted
    assert not job.tracks.filter(write_state="duplicate").exists()


def test_repeats_are_removed_after_a_confirmation_and_can_be_put_back(alice: Person) -> None:
    playlist_id, wanted = playlist_with_a_repeat(alice)
    url = f"/transfers/playlists/{playlist_id}/duplicates/"
    page = alice.client.get(url).content.decode()
    assert "Remove 1 repeat" in page
    assert playlist_track_ids(alice.user.pk, playlist_id) == wanted  # asking changed nothing
    alice.client.post(url)
    assert playlist_track_ids(alice.user.pk, playlist_id) == wanted[:-1]
    assert playlists.playlist_repeats(user_id=alice.user.pk, playlist_id=playlist_id) == []
    assert "Undo" in alice.client.get(url).content.decode()
    alice.client.post(url, {"undo": "1"})
    assert playlist_track_ids(alice.user.pk, playlist_id) == wanted


def test_another_persons_playlist_is_not_theirs_to_clean(alice: Person, bob: Person) -> None:
    playlist_id, wanted = playlist_with_a_repeat(alice)
    response = bob.client.post(f"/transfers/playlists/{playlist_id}/duplicates/")
    assert response.status_code in (403, 404)
    assert playlist_track_ids(alice.user.pk, playlist_id) == wanted
