"""The sync pages: one person's syncs are theirs alone; actions are POSTs with CSRF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from tests.product_fixtures import Person
from tests.syncs.helpers import make_playlist
from transfer.syncs.models import Sync, SyncRun
from transfer.syncs.services.syncs import sync_create, sync_pause

pytestmark = pytest.mark.django_db


def a_sync(person: Person, **options: Any) -> Sync:
    options.setdefault("source_ref", "some-playlist")
    return sync_create(
        user=person.user,
        name=options.pop("name", "Alice's road trip"),
        source_kind=Sync.SourceKind.AMAZON_PLAYLIST,
        destination=Sync.Destination.NEW_PLAYLIST,
        **options,
    )


def test_it_asks_strangers_to_sign_in(client: Client) -> None:
    for path in ("/syncs/", "/syncs/new/", "/syncs/backups/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_an_empty_list_says_what_a_sync_is_for(alice: Person) -> None:
    page = alice.client.get("/syncs/").content.decode()
    assert "No syncs yet" in page
    assert 'href="/syncs/new/"' in page


def test_it_lists_my_syncs_with_next_run_and_last_result_and_not_bobs(
    alice: Person, bob: Person
) -> None:
    mine = a_sync(alice)
    Sync.objects.filter(id=mine.id).update(
        last_result="Sending 3 tracks new or changed.", last_ok=True, last_run_at=mine.created_at
    )
    a_sync(bob, name="Bob's gym mix")
    page = alice.client.get("/syncs/").content.decode()
    assert escape("Alice's road trip") in page
    assert "Sending 3 tracks new or changed." in page
    assert "Next run" in page
    assert escape("Bob's gym mix") not in page


def test_a_paused_sync_says_why(alice: Person) -> None:
    sync = a_sync(alice)
    sync_pause(sync=sync, reason="Paused because your Amazon account is disconnected.")
    page = alice.client.get(f"/syncs/{sync.id}/").content.decode()
    assert "Paused because your Amazon account is disconnected." in page
    assert ">Resume</button>" in page


@pytest.mark.parametrize("action", ["pause", "resume", "run", "delete", "edit"])
def test_bob_cannot_touch_alices_sync(alice: Person, bob: Person, action: str) -> None:
    sync = a_sync(alice)
    before = Sync.objects.values().get(id=sync.id)
    runs = SyncRun.objects.filter(sync=sync).count()

    response = bob.client.post(
        f"/syncs/{sync.id}/{action}/", {"schedule": "hourly", "mode": "mirror"}
    )
    assert response.status_code == 404
    assert Sync.objects.values().get(id=sync.id) == before
    assert SyncRun.objects.filter(sync=sync).count() == runs
    assert bob.client.get(f"/syncs/{sync.id}/").status_code == 404


@pytest.mark.parametrize("action", ["pause", "resume", "run", "delete", "edit"])
def test_actions_change_nothing_on_a_get(alice: Person, action: str) -> None:
    sync = a_sync(alice)
    assert alice.client.get(f"/syncs/{sync.id}/{action}/").status_code == 405
    assert Sync.objects.filter(id=sync.id, paused=False).exists()


def test_actions_need_the_csrf_token(alice: Person) -> None:
    sync = a_sync(alice)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.user)
    assert strict.post(f"/syncs/{sync.id}/delete/").status_code == 403
    assert Sync.objects.filter(id=sync.id).exists()


def test_pause_resume_run_now_and_delete(alice: Person) -> None:
    sync = a_sync(alice, run_now=False)
    client = alice.client

    client.post(f"/syncs/{sync.id}/pause/")
    sync.refresh_from_db()
    assert sync.paused
    assert (
        "Resume the sync first"
        in client.post(f"/syncs/{sync.id}/run/", follow=True).content.decode()
    )

    client.post(f"/syncs/{sync.id}/resume/")
    sync.refresh_from_db()
    assert not sync.paused

    response = client.post(f"/syncs/{sync.id}/run/", {"next": f"/syncs/{sync.id}/"})
    assert response["Location"] == f"/syncs/{sync.id}/"
    assert SyncRun.objects.filter(sync=sync, trigger=SyncRun.Trigger.MANUAL).count() == 1
    again = client.post(f"/syncs/{sync.id}/run/", follow=True).content.decode()
    assert "already on its way" in again

    client.post(f"/syncs/{sync.id}/edit/", {"schedule": "weekly", "mode": "mirror"})
    sync.refresh_from_db()
    assert (sync.schedule, sync.mode) == ("weekly", "mirror")

    client.post(f"/syncs/{sync.id}/delete/")
    assert not Sync.objects.filter(id=sync.id).exists()


def test_the_back_link_never_leaves_the_site(alice: Person) -> None:
    sync = a_sync(alice, run_now=False)
    response = alice.client.post(f"/syncs/{sync.id}/pause/", {"next": "https://evil.example/"})
    assert response["Location"] == "/syncs/"


def test_it_creates_a_sync_from_one_of_my_playlists(alice: Person) -> None:
    source = make_playlist(alice, "Form source", [])
    response = alice.client.post(
        "/syncs/new/",
        {
            "source": "amazon_playlist",
            "playlist": source,
            "destination": "new_playlist",
            "destination_name": "Form copy",
            "schedule": "hourly",
            "mode": "additive",
        },
    )
    sync = Sync.objects.get(user=alice.user)
    assert response["Location"] == f"/syncs/{sync.id}/"
    assert (sync.name, sync.source_ref, sync.destination_name) == (
        "Form source",
        source,
        "Form copy",
    )
    assert sync.schedule == "hourly"
    assert SyncRun.objects.filter(sync=sync).count() == 1, "the first run is queued at once"


def test_a_url_on_a_private_network_is_refused_on_the_form(alice: Person) -> None:
    response = alice.client.post(
        "/syncs/new/",
        {
            "source": "url",
            "url": "http://127.0.0.1:9/list.m3u",
            "destination": "new_playlist",
            "schedule": "daily",
            "mode": "additive",
        },
    )
    assert response.status_code == 200
    assert "private or local network" in response.content.decode()
    assert not Sync.objects.exists()


def test_the_library_cannot_be_synced_into_itself(alice: Person) -> None:
    response = alice.client.post(
        "/syncs/new/",
        {
            "source": "amazon_library",
            "destination": "library_tracks",
            "schedule": "daily",
            "mode": "additive",
        },
    )
    assert "cannot be synced into itself" in response.content.decode()
    assert not Sync.objects.exists()


def test_the_list_polls_only_while_a_run_is_on_its_way(alice: Person) -> None:
    sync = a_sync(alice)  # its first run is queued
    page = alice.client.get("/syncs/").content.decode()
    assert 'hx-trigger="every 5s"' in page
    SyncRun.objects.filter(sync=sync).update(state=SyncRun.State.DONE)
    partial = alice.client.get("/syncs/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "hx-trigger" not in partial, "polling stops when nothing runs"
