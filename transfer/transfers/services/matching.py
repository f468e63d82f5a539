"""The matching stage: run the matcher over a chunk of a job's tracks and store each decision.

Chunks run in parallel on the ``match`` queue. A decision is stored with a conditional UPDATE
(only while the track is still pending), so a chunk delivered twice, or two chunks that overlap
after a recovery, never decide a track twice. Decisions are also cached in Redis by the track's
identity, so the next person importing the same song costs no API call.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from uuid import UUID

from django.core.cache import cache
from django.db import transaction
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

    def cached(key: str) -> Decision | None:
        data = cache.get(_decision_cache_key(namespace + key, job.strictness))
        return decision_from_dict(data) if data else None

    lookups = Lookups(search=search, pinned=pins.get, cached=cached)
    decided = 0
    for index, row in enumerate(rows):
        if decided and decided % 10 == 0 and _state(job.id) != TransferJob.State.MATCHING:
            break  # cancelled meanwhile
        if fair and index and scheduling.should_yield(user_id=job.user_id):
            rest = scheduling.Chunk(str(job.id), row.position, last)
            scheduling.chunk_requeue(user_id=job.user_id, chunk=rest)
            return decided
        record = record_of(row)
        key = decision_key(record)
        try:
            if not (record.title.strip() or record.artists or record.isrc):
                # Nothing to search for (e.g. a YouTube Takeout row with a video id alone).
                raise ValueError("nothing to search for")
            decision = match_track(record, lookups, policy)
        except UNSEARCHABLE as exc:
            # This row can never be searched (no title to search for, a query Amazon rejects):
            # it ends as not found with the reason, instead of failing the chunk again and again.
            if _store_unsearchable(row, exc):
                decided += 1
                progress.progress_decided(job.id, Band.NOT_FOUND.value, _summary(row))
            continue
        if decision.method.value not in ("cached", "pinned"):
            cache.set(
                _decision_cache_key(namespace + key, job.strictness),
                decision_to_dict(decision),
                DECISION_TTL,
            )
        if _store(row, decision):
            decided += 1
            progress.progress_decided(
                job.id,
                decision.band.value,
                {
                    "position": row.position,
                    "title": row.title,
                    "artists": row.artists,
                    "band": decision.band.value,
                    "chosen": decision.chosen.candidate.title if decision.chosen else "",
                    "confidence": decision.confidence,
                },
            )
    _finish_if_done(job)
    return decided


def _summary(row: SourceTrack) -> dict[str, object]:
    return {
        "position": row.position,
        "title": row.title,
        "artists": row.artists,
        "band": Band.NOT_FOUND.value,
        "chosen": "",
        "confidence": 0.0,
    }


def _store_unsearchable(row: SourceTrack, exc: Exception) -> bool:
    if isinstance(exc, ValueError):
        reason = "This row has no title or artist to search for"
    else:
        reason = f"Amazon Music rejected the search for this row ({exc})"
    return bool(
        SourceTrack.objects.filter(id=row.id, band=SourceTrack.Band.PENDING).update(
            band=SourceTrack.Band.NOT_FOUND,
            method="unsearchable",
            chosen_id="",
            chosen=None,
            confidence=0.0,
            margin=0.0,
            explanation=f"{reason}; find it by hand or skip it.",
            candidates=[],
            decided_at=timezone.now(),
        )
    )


def _store(row: SourceTrack, decision: Decision) -> bool:
    chosen = decision.chosen
    return bool(
        SourceTrack.objects.filter(id=row.id, band=SourceTrack.Band.PENDING).update(
            band=decision.band.value,
            method=decision.method.value,
            chosen_id=chosen.candidate.id if chosen and decision.band is not Band.NOT_FOUND else "",
            chosen=scored_to_dict(chosen) if chosen else None,
            confidence=decision.confidence,
            margin=decision.margin,
            explanation=decision.explanation,
            candidates=[scored_to_dict(c) for c in decision.candidates],
            decided_at=timezone.now(),
        )
    )


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
