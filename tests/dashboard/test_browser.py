"""The staff dashboard in headless Chromium: panels, charts with text, and htmx refreshes."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from catalog_client.metrics import Metrics
from tests.syncs.test_browser import log_in
from transfer.transfers.models import SourceTrack, TransferJob

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_read_the_dashboard_with_charts_and_their_numbers(
    page: Any, live_server: Any
) -> None:
    sam = User.objects.create_user("sam", is_staff=True)
    job = TransferJob.objects.create(
        user=sam,
        name="Road trip",
        state=TransferJob.State.MATCHING,
        source_kind=TransferJob.SourceKind.FILE,
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    now = timezone.now()
    SourceTrack.objects.bulk_create(
        SourceTrack(
            job=job,
            position=i,
            title=f"t{i}",
            band=SourceTrack.Band.MATCHED if i % 4 else SourceTrack.Band.REVIEW,
            decided_at=now - dt.timedelta(minutes=i % 40),
        )
        for i in range(120)
    )
    Metrics(redis.Redis.from_url(settings.REDIS_URL), flush_interval=0).add(
        {"calls": 30, "http_429": 1, "cache_hits": 8, "cache_misses": 2}
    )

    log_in(page, live_server, sam)
    page.goto(f"{live_server.url}/staff/")
    for heading in (
        "Jobs by state",
        "Tracks per minute",
        "Failures and retries",
        "Amazon Music API",
        "Queues and workers",
    ):
        assert page.get_by_role("heading", name=heading).is_visible()
    chart = page.get_by_role("img", name="Tracks matched (tracks per minute)")
    assert chart.is_visible()
    page.get_by_text("Tracks matched as a table").click()
    assert page.locator("#panel-throughput table").is_visible()
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/dashboard.png", full_page=True)
        page.screenshot(path=f"{folder}/dashboard-top.png")

    # htmx swaps a fresh panel in place.
    with page.expect_response(lambda r: "/staff/panels/jobs/" in r.url):
        page.evaluate("htmx.trigger('#panel-jobs', 'every')")
    page.locator("#panel-jobs").wait_for()
