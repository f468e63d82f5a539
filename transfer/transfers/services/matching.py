"""The matching stage: run the matcher over a chunk of a job's tracks and store each decision.

Chunks run in parallel on the ``match`` queue. A decision is stored with a conditional UPDATE
(only while the track is still pending), so a chunk delivered twice, or two chunks that overlap
after a recovery, never decide a track twice. Decisions are also cached in Redis by the track's
identity, so the next person importing the same song costs no API call.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from catalog_client import BadRequestError
from transfer.amazon import mapping
from transfer.amazon.clients import music_client_for
from transfer.connections.pipeline import destination_service, service_search
from transfer.formats.records import TrackRecord
from transfer.matching import (
    Band,
    Candidate,
    Decision,
    Lookups,
    MatchPolicy,
    SearchQuery,
    match_track,
)
from transfer.matching.cascade import decision_key
from transfer.transfers import dispatch
from transfer.transfers.models import PinnedChoice, SourceTrack, TransferJob
from transfer.transfers.services import progress, scheduling
from transfer.transfers.services.decisions import (
    candidate_from_dict,
    decision_from_dict,
    decision_to_dict,
    scored_to_dict,
)
from transfer.transfers.services.jobs import queue_advance

logger = logging.getLogger(__name__)

# Errors about one row that asking again cannot fix (the client raises ValueError for a search
# with nothing to search for; a 400/422 is permanent by contract).
UNSEARCHABLE = (ValueError, BadRequestError)

# Bumped whenever the matcher decides differently, so that no decision of an older matcher is
# served from the cache (2: messy rows and other scripts, issue 12).
DECISION_CACHE_VERSION = 2
DECISION_TTL = 7 * 24 * 3600

# Decisions are stored, cached and counted in the progress together, at least this often
# (seconds) and at the end of each chunk: the progress page stays live to the second.
FLUSH_SECONDS = 1.0


def record_of(row: SourceTrack) -> TrackRecord:
    return TrackRecord(
        title=row.title,
        artists=tuple(row.artists),
        album=row.album,
        duration_ms=row.duration_ms,
        isrc=row.isrc,
        explicit=row.explicit,
        source_id=row.source_id,
        line=row.line,
    )


def _decision_cache_key(key: str, strictness: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"match:v{DECISION_CACHE_VERSION}:{strictness}:{digest}"


def match_chunk(*, job_id: UUID | str, first: int, last: int, fair: bool = False) -> int:
    """Decide the pending tracks at positions first..last of the job. Returns how many.

    ``fair``: the chunk came from the fair scheduler, and gives its slot away between two
    tracks when a much less served person waits (the rest of the chunk queues again).
    """
    job = TransferJob.objects.select_related("user").get(id=job_id)
    if job.state != TransferJob.State.MATCHING:
        return 0
    rows = list(
        job.tracks.filter(
            position__gte=first, position__lte=last, band=SourceTrack.Band.PENDING
        ).order_by("position")
    )
    if not rows:
        _finish_if_done(job)
        return 0
    # Another service as the destination (transfer.connections): its catalog, its own cached
    # decisions, and no pins (they name Amazon tracks).
    service = destination_service(job.destination)
    pins = (
        {}
        if service
        else {
            pin.track_key: candidate_from_dict(pin.candidate)
            for pin in PinnedChoice.objects.filter(user_id=job.user_id)
        }
    )
    policy = MatchPolicy.named(job.strictness)
    namespace = f"{service}:" if service else ""

    client = None if service else music_client_for(job.user_id)

    def amazon_search(query: SearchQuery) -> Sequence[Candidate]:
        assert client is not None
        if len(query.filters) == 1 and query.filters[0][0] == "isrc":
            tracks = client.find_tracks_by_isrc(query.filters[0][1], limit=query.limit)
        else:
            filters = [{"field": f, "query": q} for f, q in query.filters if f]
            free = " ".join(q for f, q in query.filters if not f) or None
            tracks = list(
                client.search_tracks(
                    free, filters=filters or None, limit=query.limit, max_items=query.limit
                )
            )
        return [mapping.candidate(t) for t in tracks]

    search = service_search(service=service, user_id=job.user_id) if service else amazon_search

    # The chunk's cached decisions in one MGET (an identical track decided earlier in the chunk
    # is added as it is decided, so it still costs no search).
    def cache_key(key: str) -> str:
        return _decision_cache_key(namespace + key, job.strictness)

    keys = {row.id: decision_key(record_of(row)) for row in rows}
    known: dict[str, Any] = cache.get_many([cache_key(key) for key in keys.values()])

    def cached(key: str) -> Decision | None:
        data = known.get(cache_key(key))
        return decision_from_dict(data) if data else None

    lookups = Lookups(search=search, pinned=pins.get, cached=cached)
    batch = _Batch(job_id=job.id)
    try:
        for index, row in enumerate(rows):
            if index and index % 10 == 0 and _state(job.id) != TransferJob.State.MATCHING:
                break  # cancelled meanwhile
            if fair and index and scheduling.should_yield(user_id=job.user_id):
                batch.flush()
                rest = scheduling.Chunk(str(job.id), row.position, last)
                scheduling.chunk_requeue(user_id=job.user_id, chunk=rest)
                return batch.decided
            record = record_of(row)
            key = keys[row.id]
            try:
                if not (record.title.strip() or record.artists or record.isrc):
                    # Nothing to search for (e.g. a YouTube Takeout row with a video id alone).
                    raise ValueError("nothing to search for")
                decision = match_track(record, lookups, policy)
            except UNSEARCHABLE as exc:
                # This row can never be searched (no title to search for, a query Amazon
                # rejects): it ends as not found with the reason, instead of failing the chunk
                # again and again.
                batch.add(row, _unsearchable_fields(exc), _summary(row))
                continue
            if decision.method.value not in ("cached", "pinned"):
                data = decision_to_dict(decision)
                known[cache_key(key)] = data
                batch.cache(cache_key(key), data)
            batch.add(
                row,
                _decision_fields(decision),
                {
                    "position": row.position,
                    "title": row.title,
                    "artists": row.artists,
                    "band": decision.band.value,
                    "chosen": decision.chosen.candidate.title if decision.chosen else "",
                    "confidence": decision.confidence,
                },
            )
    finally:
        # Whatever stops the loop (the end, a cancel, an error in a later track), what was
        # decided is stored: no search is paid for twice.
        batch.flush()
    _finish_if_done(job)
    return batch.decided


class _Batch:
    """A chunk's decisions on their way to the database, the decision cache and the progress.

    Stored together at least every ``FLUSH_SECONDS`` and at the chunk's end: one conditional
    UPDATE for all of them (only rows still pending take a decision, so a chunk delivered twice
    decides nothing twice), one pipeline for the cache, one for the progress counts and the
    latest decisions. The progress counts only the rows the UPDATE changed.
    """

    def __init__(self, *, job_id: UUID | str) -> None:
        self.job_id = job_id
        self.decided = 0
        self._rows: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        self._cache: dict[str, Any] = {}
        self._since = time.monotonic()

    def add(self, row: SourceTrack, fields: dict[str, Any], summary: dict[str, Any]) -> None:
        self._rows.append((row.id, fields, summary))
        if time.monotonic() - self._since >= FLUSH_SECONDS:
            self.flush()

    def cache(self, key: str, data: dict[str, Any]) -> None:
        self._cache[key] = data

    def flush(self) -> None:
        self._since = time.monotonic()
        rows, self._rows = self._rows, []
        entries, self._cache = self._cache, {}
        if entries:
            cache.set_many(entries, DECISION_TTL)
        if not rows:
            return
        stored = _store_many([(row_id, fields) for row_id, fields, _ in rows])
        news = [(str(summary["band"]), summary) for row_id, _, summary in rows if row_id in stored]
        self.decided += len(news)
        progress.progress_decided_many(self.job_id, news)


def _summary(row: SourceTrack) -> dict[str, object]:
    return {
        "position": row.position,
        "title": row.title,
        "artists": row.artists,
        "band": Band.NOT_FOUND.value,
        "chosen": "",
        "confidence": 0.0,
    }


def _unsearchable_fields(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, ValueError):
        reason = "This row has no title or artist to search for"
    else:
        reason = f"Amazon Music rejected the search for this row ({exc})"
    return {
        "band": SourceTrack.Band.NOT_FOUND.value,
        "method": "unsearchable",
        "chosen_id": "",
        "chosen": None,
        "confidence": 0.0,
        "margin": 0.0,
        "explanation": f"{reason}; find it by hand or skip it.",
        "candidates": [],
    }


def _decision_fields(decision: Decision) -> dict[str, Any]:
    chosen = decision.chosen
    return {
        "band": decision.band.value,
        "method": decision.method.value,
        "chosen_id": chosen.candidate.id if chosen and decision.band is not Band.NOT_FOUND else "",
        "chosen": scored_to_dict(chosen) if chosen else None,
        "confidence": decision.confidence,
        "margin": decision.margin,
        "explanation": decision.explanation,
        "candidates": [scored_to_dict(c) for c in decision.candidates],
    }


# The columns a decision sets, with the SQL type each value is sent as.
_DECISION_COLUMNS = (
    ("band", "text"),
    ("method", "text"),
    ("chosen_id", "text"),
    ("chosen", "jsonb"),
    ("confidence", "double precision"),
    ("margin", "double precision"),
    ("explanation", "text"),
    ("candidates", "jsonb"),
)


def _store_many(decided: Sequence[tuple[int, dict[str, Any]]]) -> set[int]:
    """Store decisions on rows still pending, in one UPDATE; returns the ids it changed.

    A row that is no longer pending (decided by another delivery of the chunk, or by the
    person) keeps what it has: the same guarantee as one conditional UPDATE per row.
    The one UPDATE is PostgreSQL's (``::`` casts, ``UPDATE ... FROM``); the demo's SQLite
    takes that conditional UPDATE per row, in one transaction.
    """
    if not decided:
        return set()
    if connection.vendor != "postgresql":
        return _store_each(decided)
    table = SourceTrack._meta.db_table
    row_sql = "(%s::bigint, " + ", ".join(f"%s::{kind}" for _, kind in _DECISION_COLUMNS) + ")"
    params: list[Any] = []
    for row_id, fields in decided:
        params.append(row_id)
        for column, kind in _DECISION_COLUMNS:
            value = fields[column]
            params.append(json.dumps(value) if kind == "jsonb" and value is not None else value)
    names = ", ".join(column for column, _ in _DECISION_COLUMNS)
    sets = ", ".join(f"{column} = v.{column}" for column, _ in _DECISION_COLUMNS)
    # Only the model's table and the constant column names are spliced in; values are bound.
    sql = (
        f"UPDATE {table} AS t SET {sets}, decided_at = %s "  # noqa: S608
        f"FROM (VALUES {', '.join([row_sql] * len(decided))}) AS v(id, {names}) "
        "WHERE t.id = v.id AND t.band = %s RETURNING t.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), *params, SourceTrack.Band.PENDING.value])
        return {int(found) for (found,) in cursor.fetchall()}


def _store_each(decided: Sequence[tuple[int, dict[str, Any]]]) -> set[int]:
    now = timezone.now()
    stored: set[int] = set()
    with transaction.atomic():
        for row_id, fields in decided:
            pending = SourceTrack.objects.filter(id=row_id, band=SourceTrack.Band.PENDING)
            if pending.update(**fields, decided_at=now):
                stored.add(row_id)
    return stored


def _state(job_id: UUID | str) -> str:
    return str(TransferJob.objects.values_list("state", flat=True).get(id=job_id))


def _finish_if_done(job: TransferJob) -> None:
    """When no track is pending, move the job on, exactly once whichever chunk gets here."""
    if job.tracks.filter(band=SourceTrack.Band.PENDING).exists():
        return
    needs_review = job.tracks.filter(
        band__in=[SourceTrack.Band.REVIEW, SourceTrack.Band.NOT_FOUND]
    ).exists()
    now = timezone.now()
    if not job.writes_to_amazon:
        next_state, finished = TransferJob.State.DONE, now
    elif needs_review and not job.accept_suggestions:
        # Not-found tracks wait too: the person may find them by hand before anything is saved.
        next_state, finished = TransferJob.State.REVIEW, None
    else:
        next_state, finished = TransferJob.State.WRITING, None
    with transaction.atomic():
        moved = TransferJob.objects.filter(id=job.id, state=TransferJob.State.MATCHING).update(
            state=next_state, matched_at=now, finished_at=finished
        )
        if moved and next_state == TransferJob.State.WRITING:
            transaction.on_commit(lambda: dispatch.enqueue_writing(job.id))
    if moved:
        logger.info("Job %s matched (review needed: %s) -> %s", job.id, needs_review, next_state)
        if next_state != TransferJob.State.WRITING:
            queue_advance(user_id=job.user_id)  # a running slot is free: the next job starts
