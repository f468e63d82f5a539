"""The sync pages in headless Chromium on a phone-sized screen, driven from the keyboard."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.product_fixtures import Person
from transfer.syncs.models import Sync
from transfer.syncs.services import snapshots

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def log_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_a_person_sets_up_pauses_and_resumes_a_sync_on_a_phone(
    page: Any, live_server: Any, alice: Person
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server, alice.user)
    page.goto(f"{live_server.url}/syncs/")
    assert page.get_by_text("No syncs yet").is_visible()
    page.get_by_role("button", name="Set up your first sync").click()

    page.get_by_label("Your Amazon Music library songs").check()
    playlist_choice = page.get_by_label("Amazon Music playlist", exact=True)
    assert not playlist_choice.is_visible(), "only the fields that apply show"
    page.get_by_label("Name of the new playlist").fill("Everything, copied")
    page.get_by_label("How often").select_option("weekly")
    shot(page, "sync-new")
    page.get_by_role("button", name="Save and run now").click()

    page.get_by_role("heading", name="Amazon Music library songs").wait_for()
    shot(page, "sync-detail")
    sync = Sync.objects.get(user=alice.user)
    assert (sync.source_kind, sync.destination_name, sync.schedule) == (
        "amazon_library",
        "Everything, copied",
        "weekly",
    )
    page.goto(f"{live_server.url}/syncs/")
    pause = page.get_by_role("button", name=f"Pause {sync.name}")
    pause.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name=f"Resume {sync.name}").wait_for()
    assert page.get_by_text("Paused by you.").is_visible()
    shot(page, "sync-list")
    page.get_by_role("button", name=f"Resume {sync.name}").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name=f"Pause {sync.name}").wait_for()
    sync.refresh_from_db()
    assert not sync.paused


def test_the_backups_page_shows_a_snapshot_and_what_it_holds(
    page: Any, live_server: Any, alice: Person
) -> None:
    snapshot = snapshots.snapshot_take(user_id=alice.user.pk)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, alice.user)
    page.goto(f"{live_server.url}/syncs/backups/")
    assert page.get_by_text("First snapshot").is_visible()
    page.get_by_role("link", name=snapshot.taken_at.strftime("%-d %b %Y")).click()
    page.get_by_role("heading", name="Everything I Love", exact=True).wait_for()
    restore = "Restore Everything I Love as a new playlist"
    assert page.get_by_role("button", name=restore, exact=True).is_visible()
    shot(page, "backup")
