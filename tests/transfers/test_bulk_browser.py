"""Bulk use in headless Chromium, on the sandbox: each behaviour issue 13 fixed, walked by hand.

The queue instead of a cap, a Free-tier account, an account without Amazon Music, accepting
suggestions with a confirmation and an undo, counters that change in place, a playlist name
that already exists, and pages that fit a phone (375 px) and a laptop (1280 px).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from tests.amazon.test_sign_in_browser import sign_in
from tests.product_fixtures import Person
from tests.sandbox_server import SandboxServer
from tests.transfers.test_review_service import job_in_review
from transfer.amazon.models import AmazonConnection
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers.models import TransferBatch, TransferJob
from transfer.transfers.services.jobs import job_cancel

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State


def signed_in_user(name: str) -> User:
    return AmazonConnection.objects.select_related("user").get(name=name).user


def text_job(user: User, name: str, *, destination_name: str = "") -> TransferJob:
    tracks = [TrackRecord(title=f"Song {i}", artists=("Band",)) for i in range(3)]
    from transfer.transfers.services.jobs import jobs_create

    [job] = jobs_create(
        user=user,
        playlists=[PlaylistRecord(name=name, tracks=tracks)],
        source_kind=TransferJob.SourceKind.TEXT,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name=destination_name or name,
    )
    return job


def no_horizontal_overflow(page: Any) -> None:
    width = page.evaluate("window.innerWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"{page.url} is {scroll}px wide at {width}px"


@pytest.fixture
def person_page(browser: Any) -> Iterator[Any]:
    """Another browser context (another person signs in there), failing on console errors."""
    contexts: list[tuple[Any, list[str]]] = []

    def open_page(width: int = 1280) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(15_000)
        contexts.append((context, errors))
        page.console_errors = errors  # a test may accept the errors it expects
        return page

    yield open_page
    for context, errors in contexts:
        context.close()
        assert not errors, errors


@override_settings(TRANSFER_MAX_ACTIVE_JOBS=1)
def test_started_jobs_past_the_limit_queue_and_start_by_themselves(
    page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    sign_in(page, live_server, amazon)
    alice = signed_in_user("Alice Anderson")
    first = text_job(alice, "First of two")
    second = text_job(alice, "Second of two")
    for job in (first, second):
        page.goto(f"{live_server.url}/transfers/{job.id}/")
        page.get_by_role("button", name="Start the transfer").click()
    # No worker runs: the first stays matching, the second is accepted and waits.
    page.get_by_text("Queued (position 1)").first.wait_for()
    assert "at most" not in page.content()
    queued_url = page.url
    page.goto(f"{live_server.url}/transfers/")
    assert page.get_by_text("Queued (position 1)").is_visible()
    page.goto(queued_url)
    # The first one ends (here: cancelled elsewhere); the waiting page sees its job start.
    job_cancel(job=first)
    page.locator(".page-head .state-matching").wait_for(timeout=20_000)
    second.refresh_from_db()
    assert second.state == State.MATCHING


def test_a_free_tier_account_is_offered_a_file_and_told_why(
    person_page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    page = person_page()
    sign_in(page, live_server, amazon, who="Dave")
    assert page.get_by_text("cannot save playlists or library items").first.is_visible()
    page.get_by_role("link", name="New transfer").first.click()
    assert page.get_by_text("Your results will be a file to download.").is_visible()
    destinations = page.locator("input[name=destination]")
    assert destinations.count() == 1
    assert destinations.first.get_attribute("value") == "file"
    assert destinations.first.is_checked()


def test_an_account_without_amazon_music_gets_an_explanation_and_a_way_out(
    person_page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    page = person_page()
    amazon.allow_redirect_uri(f"{live_server.url}/accounts/amazon/login/callback/")
    page.goto(live_server.url)
    page.get_by_role("button", name="Sign in with Amazon").first.click()
    page.locator("label.account", has_text="Erin").click()
    page.get_by_role("button", name="Allow").click()
    page.get_by_role("heading", name="This Amazon account has no Amazon Music yet").wait_for()
    link = page.locator("a", has_text="Open Amazon Music")
    assert link.get_attribute("href") == "https://music.amazon.com"
    # The new-transfer page says the same instead of failing; so do Amazon Music's pages.
    page.goto(f"{live_server.url}/transfers/new/")
    assert page.get_by_role(
        "heading", name="This Amazon account has no Amazon Music yet"
    ).is_visible()
    page.goto(f"{live_server.url}/music/")
    assert page.locator("a", has_text="Open Amazon Music").is_visible()
    # Amazon's refusal is served as a 403, which the browser logs; that one is expected.
    page.console_errors[:] = [e for e in page.console_errors if "status of 403" not in e]
    assert page.get_by_role("link", name="Back to your Amazon Music").count() == 0


def test_accept_all_asks_once_says_what_it_does_and_can_be_undone(
    page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    sign_in(page, live_server, amazon)
    job = job_in_review(Person(signed_in_user("Alice Anderson"), None, "alice"))  # type: ignore[arg-type]
    page.goto(f"{live_server.url}/transfers/{job.id}/")
    counts = page.locator("#review-summary")
    assert counts.locator("[data-count=confident]").inner_text() == "3"
    assert counts.locator("[data-count=review]").inner_text() == "4"

    page.get_by_role("button", name="Accept suggestions…").click()
    page.get_by_role("heading", name="Accept 4 suggestions?").wait_for()
    assert page.get_by_text("Song 5 (Karaoke)").is_visible()  # the odd one is shown first
    page.get_by_role("button", name="Accept only the 3 by the same artist").click()
    page.get_by_text("Accepted 3 suggestions by the same artist").wait_for()
    assert counts.locator("[data-count=chosen]").inner_text() == "3"
    assert counts.locator("[data-count=confident]").inner_text() == "3"  # not mixed up
    assert counts.locator("[data-count=review]").inner_text() == "1"

    page.get_by_role("button", name=re.compile("^Undo: Accepted 3")).click()
    page.get_by_text("Undone").wait_for()
    assert counts.locator("[data-count=review]").inner_text() == "4"
    assert counts.locator("[data-count=chosen]").count() == 0

    # Counters change in place: skip one row (htmx), and the header follows without a reload.
    page.evaluate("window.__same_page = true")
    row = job.tracks.get(title="Song 7")
    page.locator(f"#row-{row.id}").get_by_role("button", name="Skip this track").click()
    page.locator(f"#row-{row.id}").get_by_text("Skipped: this track will not be saved.").wait_for()
    assert counts.locator("[data-count=not_found]").count() == 0
    assert "1 skipped" in counts.inner_text()
    assert page.evaluate("window.__same_page") is True


def test_a_playlist_name_that_exists_is_said_and_the_person_chooses(
    page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    sign_in(page, live_server, amazon)
    alice = signed_in_user("Alice Anderson")
    job = text_job(alice, "Everything I Love")
    page.goto(f"{live_server.url}/transfers/{job.id}/")
    page.get_by_role("button", name="Start the transfer").click()
    page.get_by_role(
        "heading", name="You already have a playlist called “Everything I Love”"
    ).wait_for()
    assert page.get_by_label("Or a new playlist named").input_value() == "Everything I Love (2)"
    page.get_by_role("button", name="Add to “Everything I Love” without duplicates").click()
    job.refresh_from_db()
    assert job.destination == TransferJob.Destination.EXISTING_PLAYLIST
    assert job.skip_existing
    assert job.state in (State.QUEUED, State.MATCHING)

    other = text_job(alice, "Everything I Love")
    page.goto(f"{live_server.url}/transfers/{other.id}/")
    page.get_by_role("button", name="Start the transfer").click()
    page.get_by_label("Or a new playlist named").fill("Everything I Love, again")
    page.get_by_role("button", name="Create the new playlist").click()
    other.refresh_from_db()
    assert other.destination == TransferJob.Destination.NEW_PLAYLIST
    assert other.destination_name == "Everything I Love, again"


@pytest.mark.parametrize("width", [375, 1280])
def test_bulk_pages_fit_phone_and_laptop_widths(
    person_page: Any, live_server: Any, amazon: SandboxServer, width: int
) -> None:
    page = person_page(width)
    sign_in(page, live_server, amazon)
    alice = signed_in_user("Alice Anderson")
    person = Person(alice, None, "alice")  # type: ignore[arg-type]
    first = job_in_review(person, "A playlist with a rather long name to see how it wraps")
    second = job_in_review(person, "Second")
    batch = TransferBatch.objects.create(user=alice)
    TransferJob.objects.filter(id__in=[first.id, second.id]).update(batch=batch)
    for i in range(6):
        text_job(alice, f"History row {i} with a long, long name")
    for path in (
        "/transfers/",
        f"/transfers/{first.id}/",
        f"/transfers/{first.id}/accept-all/",
        f"/transfers/batch/{batch.id}/",
        f"/transfers/batch/{batch.id}/review/",
        "/transfers/new/",
        "/music/",
        "/music/browse/",
    ):
        page.goto(f"{live_server.url}{path}")
        no_horizontal_overflow(page)
    if width == 375:
        # The header folds into a menu that opens on a tap.
        links = page.get_by_role("link", name="Transfers", exact=True)
        assert not links.is_visible()
        page.get_by_text("☰ Menu").click()
        assert links.is_visible()
    else:
        assert page.get_by_role("link", name="Transfers", exact=True).is_visible()
    # The batch's combined review shows both jobs' rows, each labelled with its transfer.
    page.goto(f"{live_server.url}/transfers/batch/{batch.id}/review/")
    assert page.locator("#review-summary [data-count=review]").inner_text() == "8"
    assert page.get_by_role("link", name="Second").count() >= 1
