"""The whole transfer flow in headless Chromium, on the sandbox, with a real Celery worker.

Sign in, upload a real export file, check the preview, watch progress to the end, fix a track
in review, save, see the result and download the unmatched tracks as CSV. Screenshots of each
main page go to docs/screenshots/ (the README shows them) when UPDATE_SCREENSHOTS=1 is set.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.amazon.test_sign_in_browser import sign_in
from tests.sandbox_server import SandboxServer
from tests.transfers.helpers import SAMPLES, playlist_track_ids, wait_for_state
from transfer.transfers.models import SourceTrack, TransferJob

pytestmark = pytest.mark.django_db(transaction=True)
# The README's pictures are refreshed with UPDATE_SCREENSHOTS=1; other runs leave them alone.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "amt-screenshots"
)

# A real Exportify export plus two lines no catalog has, so that the review has work to do.
EXTRA_ROWS = [
    [
        "spotify:track:x1",
        "Hold On",
        "",
        "Nobody In Particular",
        "",
        "",
        "",
        "",
        "",
        "",
        "1",
        "99",
        "201000",
        "",
        "false",
        "1",
        "",
        "",
        "",
    ],
    [
        "spotify:track:x2",
        "Zzzyzx Qwerty Song",
        "",
        "The Unknowns",
        "",
        "",
        "",
        "",
        "",
        "",
        "1",
        "100",
        "180000",
        "",
        "false",
        "1",
        "",
        "",
        "",
    ],
]


def export_file(tmp_path: Path) -> Path:
    original = (SAMPLES / "exportify_road_trip.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(original)))
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerows(rows[:16] + EXTRA_ROWS)
    path = tmp_path / "road_trip.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_whole_flow_from_upload_to_result(
    page: Any,
    live_server: Any,
    amazon: SandboxServer,
    celery_worker_thread: object,
    tmp_path: Path,
) -> None:
    sign_in(page, live_server, amazon)
    shot(page, "1-your-amazon-music")

    page.get_by_role("link", name="New transfer").first.click()
    page.locator("#id_uploads").set_input_files(str(export_file(tmp_path)))
    page.get_by_label("New playlist name").fill("Road Trip (from Spotify)")
    shot(page, "2-new-transfer")
    page.get_by_role("button", name="Read the tracks").click()

    page.get_by_role("heading", name="Check the tracks").wait_for()
    assert page.get_by_text("Exportify CSV (Spotify)").first.is_visible()
    shot(page, "3-preview")
    page.get_by_role("button", name="Start the transfer").click()

    page.locator("#progress").wait_for()
    shot(page, "4-progress")
    job = TransferJob.objects.get()
    wait_for_state(job, TransferJob.State.REVIEW, TransferJob.State.DONE, TransferJob.State.FAILED)
    assert job.state == TransferJob.State.REVIEW, job.error
    # The progress partial stops polling and reloads into the review by itself.
    page.get_by_role("heading", name=re.compile("^Review:")).wait_for(timeout=20_000)
    shot(page, "5-review")

    # Fix one track by hand: search the catalog, choose a result, remember the choice.
    unknown = job.tracks.get(title="Hold On")
    row = page.locator(f"#row-{unknown.id}")
    row.get_by_role("searchbox").fill("Hold On Wilson Phillips")
    row.get_by_role("button", name="Search").click()
    row.locator(".candidate").first.wait_for()
    row.locator(".candidate").first.get_by_label("Remember").check()
    row.locator(".candidate").first.get_by_role("button", name=re.compile("^Choose")).click()
    row.get_by_text("Chosen").wait_for()
    unknown.refresh_from_db()
    assert unknown.band == SourceTrack.Band.MATCHED
    assert unknown.decided_by_person
    assert job.user.pinned_choices.count() == 1

    page.get_by_role("button", name=re.compile("^Save .* to Amazon Music")).click()
    job = wait_for_state(job, TransferJob.State.DONE, TransferJob.State.FAILED)
    assert job.state == TransferJob.State.DONE, job.error
    page.reload()
    page.get_by_role("heading", name="Downloads").wait_for()
    shot(page, "6-result")
    assert page.get_by_role("img", name=re.compile("How the .* tracks were matched")).is_visible()

    written = playlist_track_ids(job.user_id, job.destination_ref)
    assert unknown.chosen_id in written
    assert len(written) == len(set(written))

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unmatched tracks (CSV)").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "Zzzyzx Qwerty Song" in content
    assert "Hold On" not in content

    page.goto(f"{live_server.url}/transfers/")
    shot(page, "7-history")


def test_pages_work_at_phone_width_with_the_keyboard(
    browser: Any, live_server: Any, amazon: SandboxServer
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server, amazon)
    page.goto(f"{live_server.url}/transfers/new/")
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    # Tab reaches the skip link first, then the main controls.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    shot(page, "8-phone-new-transfer")
    context.close()
    assert not errors
