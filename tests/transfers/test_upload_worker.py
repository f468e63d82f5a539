"""A real worker process reads a big upload; one killed half-way leaves nothing, and the
recovery has another read it, once."""

from __future__ import annotations

import datetime as dt
import signal
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.transfers.test_uploads import csv_of, store
from transfer.transfers.models import SourceTrack, TransferJob, Upload
from transfer.transfers.services import recovery
from transfer.transfers.services.upload_progress import upload_progress_read

pytestmark = pytest.mark.django_db(transaction=True)

TRACKS = 60_000


def wait_for(check: Any, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout:g} s for {what}")


def test_a_worker_killed_mid_read_leaves_nothing_and_another_reads_it_once(
    start_worker: Any, settings: Any
) -> None:
    carol = User.objects.create_user("carol", password="x")
    upload = store(carol, ("library.csv", csv_of(TRACKS)), queue=True)
    first = start_worker()
    # Killed while it writes the track rows, the worst moment.
    wait_for(lambda: upload_progress_read(upload.id).done > 0, "the first rows")
    assert first.process is not None
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=30)
    upload.refresh_from_db()
    assert (upload.state, upload.attempts) == (Upload.State.WAITING, 1)
    assert not TransferJob.objects.exists()
    assert not SourceTrack.objects.exists()

    start_worker()
    later = timezone.now() + dt.timedelta(seconds=settings.TRANSFER_STALLED_SECONDS + 1)
    assert recovery.uploads_recover(now=later) == [upload.id]
    wait_for(
        lambda: Upload.objects.get(id=upload.id).state != Upload.State.WAITING, "the second read"
    )
    upload.refresh_from_db()
    assert upload.state == Upload.State.DONE, upload.error
    [job] = TransferJob.objects.all()
    assert upload.job_ids == [str(job.id)]
    assert job.track_count == TRACKS
    positions = job.tracks.values_list("position", flat=True)
    assert (positions.count(), len(set(positions))) == (TRACKS, TRACKS)
