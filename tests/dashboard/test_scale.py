"""The dashboard and the admin's lists cost the same number of queries with 100,000 jobs as
with ten: every figure is one aggregate, never a loop over rows."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from transfer.syncs.models import Sync, SyncRun
from transfer.transfers.models import SourceTrack, TransferJob

pytestmark = pytest.mark.django_db

PAGES = [
    "/staff/",
    "/staff/?minutes=1440",
    "/staff/panels/jobs/",
    "/staff/panels/throughput/",
    "/staff/panels/failures/",
    "/staff/panels/api/",
    "/staff/panels/workers/",
    "/admin/transfers/transferjob/",
    "/admin/transfers/transferjob/?state__exact=failed",
    "/admin/transfers/transferjob/?q=job",
    "/admin/syncs/sync/",
    "/admin/syncs/syncrun/",
    "/admin/auth/user/",
]
STATES = [s.value for s in TransferJob.State]
BANDS = [Band.value for Band in SourceTrack.Band if Band != SourceTrack.Band.PENDING]


def queries(client: Client) -> dict[str, int]:
    counts = {}
    for path in PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts[path] = len(captured)
    return counts


def fill(users: list[User], jobs: int, tracks: int) -> None:
    """``jobs`` jobs in every state, ``tracks`` of them decided over the last day."""
    now = timezone.now()
    people = itertools.cycle(users)
    states = itertools.cycle(STATES)
    made = TransferJob.objects.bulk_create(
        (
            TransferJob(
                user=next(people),
                name=f"job {i}",
                state=next(states),
                source_kind=TransferJob.SourceKind.FILE,
                destination=TransferJob.Destination.NEW_PLAYLIST,
                retries=i % 3,
                error="stopped" if i % 7 == 0 else "",
            )
            for i in range(jobs)
        ),
        batch_size=5000,
    )
    bands = itertools.cycle(BANDS)
    SourceTrack.objects.bulk_create(
        (
            SourceTrack(
                job=made[i % len(made)],
                position=i,
                title=f"track {i}",
                band=next(bands),
                decided_at=now - dt.timedelta(seconds=i * 7 % 86_400),
            )
            for i in range(tracks)
        ),
        batch_size=5000,
    )
    for user in users[:50]:
        sync = Sync.objects.create(
            user=user,
            name="sync",
            source_kind=Sync.SourceKind.AMAZON_LIBRARY,
            source_ref="library",
            destination=Sync.Destination.NEW_PLAYLIST,
        )
        SyncRun.objects.create(sync=sync, state=SyncRun.State.FAILED, message="boom")


@pytest.mark.slow
def test_the_dashboard_costs_the_same_queries_with_100000_jobs(staff: Client) -> None:
    users = [User.objects.create_user(f"person{i}") for i in range(200)]
    fill(users[:2], jobs=10, tracks=20)
    few = queries(staff)

    fill(users, jobs=100_000, tracks=20_000)
    assert TransferJob.objects.count() == 100_010
    many = queries(staff)

    assert many == few
    assert many["/staff/"] <= 10, "sessions, user, and one query per figure"
