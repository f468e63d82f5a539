"""A whole library in headless Chromium: the upload's page shows the reading as it goes (the
request only stored the file; a real worker process reads it), then opens the preview."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.amazon.test_sign_in_browser import sign_in
from tests.sandbox_server import SandboxServer
from tests.transfers.test_uploads import csv_of
from transfer.transfers.models import TransferJob

pytestmark = pytest.mark.django_db(transaction=True)

TRACKS = 40_000


def test_the_page_shows_the_reading_then_the_preview(
    page: Any, live_server: Any, amazon: SandboxServer, start_worker: Any, tmp_path: Path
) -> None:
    library = tmp_path / "library.csv"
    library.write_bytes(csv_of(TRACKS))
    sign_in(page, live_server, amazon)
    page.goto(f"{live_server.url}/transfers/new/")
    page.locator("#id_uploads").set_input_files(str(library))
    page.get_by_role("button", name="Read the tracks").click()
    # The request returned at once: no worker has even started yet.
    page.get_by_role("heading", name="Reading your upload").wait_for()
    page.get_by_role("heading", name="Waiting for a worker to read it").wait_for()
    assert not TransferJob.objects.exists()

    start_worker()
    page.get_by_role("heading", name="Listing the tracks").wait_for(timeout=120_000)
    figures = page.locator("#upload-progress .figures").inner_text()
    assert re.fullmatch(rf"\d+ of {TRACKS} tracks · \d+%", figures), figures
    # Once read, the page opens the preview by itself.
    page.get_by_role("heading", name="Check the tracks").wait_for(timeout=120_000)
    job = TransferJob.objects.get()
    assert page.url == f"{live_server.url}/transfers/{job.id}/"
    assert page.get_by_text(f"{TRACKS} tracks read").is_visible()
