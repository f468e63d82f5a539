"""The dashboard's figures, each panel from a fixed number of queries whatever the data's size.

Database panels aggregate in PostgreSQL (one GROUP BY per figure, over indexed columns and the
chosen time window); Amazon API and task counters come from Redis's per-minute hashes; queue
lengths are LLENs on the broker and worker liveness is their heartbeat keys. Nothing here loops
over rows in Python, so 100,000 jobs cost the same number of queries as ten.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMinute
from django.utils import timezone

from catalog_client.metrics import read_counter_series
from transfer.celery import QUEUES
from transfer.core.redis import get_broker_redis, get_redis
from transfer.dashboard import workers
from transfer.dashboard.charts import LineChart, Series, line_chart
from transfer.syncs.models import Sync, SyncRun
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import scheduling

# Window (minutes) -> bucket (minutes): every chart has at most 96 points.
WINDOWS = {60: 1, 360: 5, 1440: 15}
DEFAULT_WINDOW = 60
RECENT_FAILURES = 8
SHARE_BANDS = (
    SourceTrack.Band.MATCHED,
    SourceTrack.Band.REVIEW,
    SourceTrack.Band.NOT_FOUND,
)


@dataclass(frozen=True)
class Window:
    minutes: int
    bucket: int
    first_minute: int  # unix minute of the window's first minute
    now: float

    @classmethod
    def of(cls, minutes: int, now: float | None = None) -> Window:
        minutes = minutes if minutes in WINDOWS else DEFAULT_WINDOW
        now = time.time() if now is None else now
        return cls(minutes, WINDOWS[minutes], int(now // 60) - minutes + 1, now)

    @property
    def buckets(self) -> int:
        return self.minutes // self.bucket

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.first_minute * 60, tz=dt.UTC)

    @property
    def per(self) -> str:
        return "per minute" if self.bucket == 1 else f"per {self.bucket} minutes"

    def index(self, unix_minute: int) -> int | None:
        i = (unix_minute - self.first_minute) // self.bucket
        return i if 0 <= i < self.buckets else None

    def labels(self) -> list[str]:
        return [
            timezone.localtime(
                dt.datetime.fromtimestamp((self.first_minute + i * self.bucket) * 60, tz=dt.UTC)
            ).strftime("%H:%M")
            for i in range(self.buckets)
        ]


# --- jobs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int
    percent: float


@dataclass
class JobsPanel:
    states: list[StateCount]
    total: int
    running: int


def jobs_by_state() -> JobsPanel:
    """Every job counted by state (one query, on the state index)."""
    counts = dict(TransferJob.objects.order_by().values_list("state").annotate(n=Count("id")))
    total = sum(counts.values())
    states = [
        StateCount(value, label, counts.get(value, 0), _percent(counts.get(value, 0), total))
        for value, label in TransferJob.State.choices
    ]
    running = sum(counts.get(s, 0) for s in TransferJob.RUNNING_STATES)
    return JobsPanel(states=states, total=total, running=running)


# --- throughput and bands -----------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    band: str
    label: str
    count: int
    percent: float


@dataclass
class ThroughputPanel:
    window: Window
    chart: LineChart
    decided: int
    shares: list[Share]


def throughput(window: Window) -> ThroughputPanel:
    """Tracks decided per minute in the window, and the bands they fell in (one query)."""
    rows = (
        SourceTrack.objects.filter(decided_at__gte=window.since)
        .annotate(minute=TruncMinute("decided_at"))
        .order_by()
        .values_list("minute", "band")
        .annotate(n=Count("id"))
    )
    per_bucket = [0] * window.buckets
    by_band: dict[str, int] = {}
    for minute, band, n in rows:
        i = window.index(int(minute.timestamp() // 60))
        if i is None:
            continue
        per_bucket[i] += n
        by_band[band] = by_band.get(band, 0) + n
    decided = sum(by_band.get(b, 0) for b in SHARE_BANDS)
    shares = [
        Share(b.value, b.label, by_band.get(b, 0), _percent(by_band.get(b, 0), decided))
        for b in SHARE_BANDS
    ]
    chart = line_chart(
        "Tracks matched",
        window.labels(),
        [Series("Tracks", [float(n) for n in per_bucket], "s1")],
        unit=f"tracks {window.per}",
    )
    return ThroughputPanel(window=window, chart=chart, decided=sum(per_bucket), shares=shares)


# --- failures and retries -----------------------------------------------------------------------


@dataclass
class FailuresPanel:
    window: Window
    failed_jobs: int
    job_retries: int
    retried_jobs: int
    recent: list[TransferJob]
    sync_runs_failed: int
    sync_runs_retried: int
    syncs_paused: int
    task_retries: int
    task_failures: int
    chart: LineChart
    recent_runs: list[SyncRun] = field(default_factory=list)
    flagged: list[FlaggedJob] = field(default_factory=list)


@dataclass(frozen=True)
class FlaggedJob:
    job: TransferJob
    reason: str


# A job retried this often is flagged as one that keeps failing.
FLAG_RETRIES = 20
FLAGGED_SHOWN = 20


def flagged_jobs(*, now: dt.datetime | None = None) -> list[FlaggedJob]:
    """Jobs staff should look at: keep failing, made no progress, or the recovery gave up."""
    now = now or timezone.now()
    # A few times the recovery's own window: long enough that restarting did not help.
    stalled_before = now - 3 * dt.timedelta(seconds=settings.TRANSFER_STALLED_SECONDS)
    running = (TransferJob.State.MATCHING, TransferJob.State.WRITING)
    candidates = (
        TransferJob.objects.filter(
            Q(state__in=running, retries__gte=FLAG_RETRIES)
            | Q(state__in=running, recoveries__gt=0)
            | Q(state__in=running, started_at__lt=stalled_before)
            | Q(state=TransferJob.State.FAILED, recoveries__gte=settings.TRANSFER_MAX_RECOVERIES)
        )
        .select_related("user")
        .annotate(last_decided=Max("tracks__decided_at"))
        .order_by("-updated_at")[:200]
    )
    flagged = []
    for job in candidates:
        last = max(
            (t for t in (job.last_decided, job.updated_at, job.started_at) if t), default=None
        )
        if job.state == TransferJob.State.FAILED:
            reason = f"gave up after {job.recoveries} restarts"
        elif job.recoveries:
            reason = f"stalled, restarted {job.recoveries} time(s)"
        elif job.retries >= FLAG_RETRIES:
            reason = f"keeps failing: {job.retries} retries"
        elif last is not None and last < stalled_before:
            reason = f"no progress since {last:%H:%M}"
        else:
            continue
        flagged.append(FlaggedJob(job, reason))
    return flagged[:FLAGGED_SHOWN]


def failures(window: Window) -> FailuresPanel:
    """Failed jobs and retries from the database; task retries and failures from Redis."""
    jobs = TransferJob.objects.aggregate(
        failed=Count("id", filter=Q(state=TransferJob.State.FAILED)),
        retry_total=Sum("retries", default=0),
        retried=Count("id", filter=Q(retries__gt=0)),
    )
    recent = list(
        TransferJob.objects.filter(state=TransferJob.State.FAILED)
        .select_related("user")
        .only("id", "name", "error", "created_at", "user__username", "retries")
        .order_by("-created_at")[:RECENT_FAILURES]
    )
    runs = SyncRun.objects.filter(created_at__gte=window.since).aggregate(
        failed=Count("id", filter=Q(state=SyncRun.State.FAILED)),
        retried=Count("id", filter=Q(attempts__gt=1)),
    )
    recent_runs = list(
        SyncRun.objects.filter(state=SyncRun.State.FAILED)
        .select_related("sync")
        .only("id", "message", "created_at", "sync__name")
        .order_by("-created_at")[:RECENT_FAILURES]
    )
    paused = Sync.objects.filter(paused=True).count()
    series = workers.read_task_series(window.minutes, now=window.now)
    retried = [0.0] * window.buckets
    failed = [0.0] * window.buckets
    for minute, counts in series.items():
        i = window.index(minute)
        if i is not None:
            retried[i] += counts.get("retried", 0)
            failed[i] += counts.get("failed", 0)
    chart = line_chart(
        "Task retries and failures",
        window.labels(),
        [Series("Retries", retried, "s2"), Series("Failures", failed, "s3")],
        unit=f"tasks {window.per}",
    )
    return FailuresPanel(
        window=window,
        failed_jobs=jobs["failed"],
        job_retries=jobs["retry_total"],
        retried_jobs=jobs["retried"],
        recent=recent,
        sync_runs_failed=runs["failed"],
        sync_runs_retried=runs["retried"],
        syncs_paused=paused,
        task_retries=int(sum(retried)),
        task_failures=int(sum(failed)),
        chart=chart,
        recent_runs=recent_runs,
        flagged=flagged_jobs(),
    )


# --- the Amazon API ------------------------------------------------------------------------------


@dataclass
class ApiPanel:
    window: Window
    calls: int
    http_429: int
    cache_hits: int
    cache_misses: int
    calls_chart: LineChart
    hit_rate_chart: LineChart

    @property
    def hit_rate(self) -> float | None:
        lookups = self.cache_hits + self.cache_misses
        return round(100 * self.cache_hits / lookups, 1) if lookups else None


def api_usage(window: Window) -> ApiPanel:
    """catalog_client's per-minute counters: calls, 429s, cache hits and misses (Redis)."""
    client = get_redis()
    series = read_counter_series(client, window.minutes, now=window.now)
    names = ("calls", "http_429", "cache_hits", "cache_misses")
    buckets = {name: [0] * window.buckets for name in names}
    for minute, counts in series.items():
        i = window.index(minute)
        if i is None:
            continue
        for name in names:
            buckets[name][i] += counts.get(name, 0)
    rates: list[float | None] = []
    for hits, misses in zip(buckets["cache_hits"], buckets["cache_misses"], strict=True):
        rates.append(round(100 * hits / (hits + misses), 1) if hits + misses else None)
    labels = window.labels()
    calls_chart = line_chart(
        "Amazon API calls and 429s",
        labels,
        [
            Series("Calls", [float(n) for n in buckets["calls"]], "s1"),
            Series("429 answers", [float(n) for n in buckets["http_429"]], "s3"),
        ],
        unit=f"requests {window.per}",
    )
    hit_chart = line_chart(
        "Cache hit rate",
        labels,
        [Series("Hit rate", rates, "s2", kind="percent")],
        unit="percent",
        top=100.0,
    )
    return ApiPanel(
        window=window,
        calls=sum(buckets["calls"]),
        http_429=sum(buckets["http_429"]),
        cache_hits=sum(buckets["cache_hits"]),
        cache_misses=sum(buckets["cache_misses"]),
        calls_chart=calls_chart,
        hit_rate_chart=hit_chart,
    )


# --- queues and workers --------------------------------------------------------------------------


@dataclass
class WorkersPanel:
    queues: list[tuple[str, int]]
    workers: list[workers.WorkerBeat]
    broker_error: str = ""
    # The fair scheduler's own queue: people with matching chunks waiting, and in flight.
    fair: scheduling.Backlog | None = None

    @property
    def waiting(self) -> int:
        return sum(n for _, n in self.queues)


def queues_and_workers() -> WorkersPanel:
    """Messages waiting in each Celery queue, and the workers whose heartbeat is fresh."""
    try:
        broker = get_broker_redis()
        with broker.pipeline(transaction=False) as pipe:
            for name in QUEUES:
                pipe.llen(name)
            lengths = pipe.execute()
        beats = workers.workers_alive()
    except redis.RedisError as exc:
        return WorkersPanel(queues=[], workers=[], broker_error=type(exc).__name__)
    return WorkersPanel(
        queues=[(name, int(n)) for name, n in zip(QUEUES, lengths, strict=True)],
        workers=beats,
        fair=scheduling.backlog(),
    )


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0
