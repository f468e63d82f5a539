"""The preview in headless Chromium: point a field at another column, swap title and artist,
rename the playlist and untick a track, all on the file kept from the one upload (read by a
real worker: the form only stores it)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.amazon.test_sign_in_browser import sign_in
from tests.sandbox_server import SandboxServer
from transfer.transfers.models import IntakeFile, SourceTrack, TransferJob

pytestmark = pytest.mark.django_db(transaction=True)

# "Record" is not a header name we recognise for the album, so the person points at it.
CSV = (
    "Song,Artist,Record,Length\n"
    "Bohemian Rhapsody,Queen,A Night at the Opera,5:55\n"
    "Waterloo,ABBA,Waterloo,2:47\n"
    "Heroes,David Bowie,Heroes,6:11\n"
)


def test_mapping_swap_rename_and_untick_on_the_preview(
    page: Any,
    live_server: Any,
    amazon: SandboxServer,
    celery_worker_thread: object,
    tmp_path: Path,
) -> None:
    upload = tmp_path / "mix.csv"
    upload.write_text(CSV, encoding="utf-8")
    sign_in(page, live_server, amazon)
    page.goto(f"{live_server.url}/transfers/new/")
    page.locator("#id_uploads").set_input_files(str(upload))
    page.get_by_role("button", name="Read the tracks").click()
    page.get_by_role("heading", name="Check the tracks").wait_for()
    job = TransferJob.objects.get()
    rows = page.locator("table.tracks tbody tr")
    assert rows.nth(0).locator("td").nth(4).inner_text() == ""  # no album read yet

    page.get_by_text("Rename, or read the file differently").click()
    # Which column fed which field, as read.
    assert page.get_by_label("Title", exact=True).input_value() == "Song"
    assert page.get_by_label("Artist", exact=True).input_value() == "Artist"
    page.get_by_label("Album", exact=True).select_option("Record")
    page.get_by_role("button", name="Read again").click()
    page.get_by_text("Read again. Check the tracks below.").wait_for()
    assert rows.nth(0).locator("td").nth(4).inner_text() == "A Night at the Opera"

    page.get_by_text("Rename, or read the file differently").click()
    page.get_by_label("Swap title and artist").check()
    page.get_by_role("button", name="Read again").click()
    page.get_by_text("Read again. Check the tracks below.").wait_for()
    assert rows.nth(0).locator("td").nth(2).inner_text() == "Queen"
    assert rows.nth(0).locator("td").nth(3).inner_text() == "Bohemian Rhapsody"
    assert IntakeFile.objects.get().swapped

    page.get_by_text("Rename, or read the file differently").click()
    page.get_by_label("Playlist name").fill("Friday night")
    page.get_by_role("button", name="Rename").click()
    page.get_by_text(re.compile("^Friday night —")).wait_for()

    waterloo = job.tracks.get(position=1)
    with page.expect_response(re.compile(r"/include/$")):
        page.get_by_role("checkbox", name=re.compile("Take “ABBA”")).uncheck()
    waterloo.refresh_from_db()
    assert waterloo.band == SourceTrack.Band.SKIPPED
    page.reload()
    page.get_by_text("1 track unticked.").wait_for()
    assert not page.get_by_role("checkbox", name=re.compile("Take “ABBA”")).is_checked()

    job.refresh_from_db()
    assert (job.name, job.destination_name) == ("Friday night", "Friday night")
    first = job.tracks.order_by("position").first()
    assert first is not None
    assert (first.title, first.album) == ("Queen", "A Night at the Opera")
