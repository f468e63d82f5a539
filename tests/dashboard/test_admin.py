"""The Django admin for jobs, syncs, snapshots and people: search, filters and actions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from transfer.syncs.models import LibrarySnapshot, Sync, SyncRun
from transfer.syncs.services.snapshots import blob_pack
from transfer.transfers.models import SourceTrack, TransferJob

pytestmark = pytest.mark.django_db
State = TransferJob.State


def job(user: User, name: str, state: str) -> TransferJob:
    made = TransferJob.objects.create(
        user=user,
        name=name,
        state=state,
        source_kind=TransferJob.SourceKind.FILE,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        track_count=1,
    )
    SourceTrack.objects.create(job=made, position=0, title="Only track")
    return made


def a_sync(user: User, name: str = "Nightly copy", **options: object) -> Sync:
    return Sync.objects.create(
        user=user,
        name=name,
        source_kind=Sync.SourceKind.AMAZON_LIBRARY,
        source_ref="library",
        destination=Sync.Destination.NEW_PLAYLIST,
        **options,
    )


def act(staff: Client, url: str, action: str, ids: list[object]) -> str:
    response = staff.post(
        url, {"action": action, "_selected_action": [str(i) for i in ids]}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_people_who_are_not_staff_cannot_open_the_admin(client: Client) -> None:
    client.force_login(User.objects.create_user("alice"))
    assert client.get("/admin/transfers/transferjob/").status_code == 302


def test_jobs_are_found_by_name_by_person_and_by_pasted_id(staff: Client) -> None:
    alice, bob = User.objects.create_user("alice"), User.objects.create_user("bob")
    road = job(alice, "Road trip", State.DONE)
    gym = job(bob, "Gym mix", State.FAILED)

    by_name = staff.get("/admin/transfers/transferjob/?q=road").content.decode()
    assert "Road trip" in by_name
    assert "Gym mix" not in by_name
    by_person = staff.get("/admin/transfers/transferjob/?q=bob").content.decode()
    assert "Gym mix" in by_person
    assert "Road trip" not in by_person
    by_id = staff.get(f"/admin/transfers/transferjob/?q={gym.id}").content.decode()
    assert "Gym mix" in by_id
    assert "Road trip" not in by_id
    failed = staff.get("/admin/transfers/transferjob/?state__exact=failed").content.decode()
    assert "Gym mix" in failed
    assert "Road trip" not in failed
    tracks = staff.get(f"/admin/transfers/sourcetrack/?job__id__exact={road.id}")
    assert tracks.status_code == 200
    assert "Only track" in tracks.content.decode()


def test_retry_resumes_failed_jobs_and_leaves_the_rest(staff: Client) -> None:
    alice = User.objects.create_user("alice")
    failed = job(alice, "Failed", State.FAILED)
    done = job(alice, "Done", State.DONE)

    page = act(staff, "/admin/transfers/transferjob/", "retry_jobs", [failed.id, done.id])
    failed.refresh_from_db()
    done.refresh_from_db()
    assert failed.state == State.MATCHING, "its pending track is matched again"
    assert done.state == State.DONE
    assert "Retried 1 job(s)." in page
    assert "1 job(s) had not failed" in page


def test_cancel_stops_jobs_that_are_still_going(staff: Client) -> None:
    alice = User.objects.create_user("alice")
    ready = job(alice, "Ready", State.READY)
    done = job(alice, "Done", State.DONE)
    act(staff, "/admin/transfers/transferjob/", "cancel_jobs", [ready.id, done.id])
    ready.refresh_from_db()
    done.refresh_from_db()
    assert (ready.state, done.state) == (State.CANCELLED, State.DONE)


def test_run_now_queues_one_run_per_sync(staff: Client) -> None:
    alice = User.objects.create_user("alice")
    active, paused = a_sync(alice), a_sync(alice, "Paused", paused=True)
    act(staff, "/admin/syncs/sync/", "run_now", [active.id, paused.id])
    act(staff, "/admin/syncs/sync/", "run_now", [active.id])
    assert SyncRun.objects.filter(sync=active).count() == 1
    assert not SyncRun.objects.filter(sync=paused).exists()


def test_pause_and_resume_syncs(staff: Client) -> None:
    sync = a_sync(User.objects.create_user("alice"))
    act(staff, "/admin/syncs/sync/", "pause", [sync.id])
    sync.refresh_from_db()
    assert sync.paused
    assert sync.pause_reason == "Paused by the site's staff."
    act(staff, "/admin/syncs/sync/", "resume", [sync.id])
    sync.refresh_from_db()
    assert not sync.paused


def test_syncs_are_found_and_filtered(staff: Client) -> None:
    alice = User.objects.create_user("alice")
    a_sync(alice, "Library copy")
    a_sync(alice, "Stopped", paused=True)
    found = staff.get("/admin/syncs/sync/?q=library").content.decode()
    assert "Library copy" in found
    paused = staff.get("/admin/syncs/sync/?paused__exact=1").content.decode()
    assert "Stopped" in paused
    assert "Library copy" not in paused


def test_snapshots_are_listed_without_their_blob(staff: Client) -> None:
    alice = User.objects.create_user("alice")
    snapshot = LibrarySnapshot.objects.create(
        user=alice, taken_at="2026-01-01T03:30:00Z", playlist_count=3, data=blob_pack({"v": 1})
    )
    assert "alice" in staff.get("/admin/syncs/librarysnapshot/?q=alice").content.decode()
    page = staff.get(f"/admin/syncs/librarysnapshot/{snapshot.id}/change/")
    assert page.status_code == 200


def test_people_can_be_filtered_by_their_amazon_connection(staff: Client) -> None:
    User.objects.create_user("alice")
    page = staff.get("/admin/auth/user/?q=alice").content.decode()
    assert "Not connected" in page
    assert staff.get("/admin/auth/user/?amazon_connection__status=reconnect").status_code == 200
