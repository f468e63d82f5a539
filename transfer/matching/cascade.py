"""The matching cascade: cheapest and surest evidence first, catalog searches only as needed.

1. the person's pinned choice for this track, 2. a cached decision for an identical track,
3. an ISRC search, accepted only when artist and duration agree, 4. field searches (title and
artist; then with album; then a relaxed free-text search), stopping as soon as one gives a
clear winner, 5. the decision over every candidate seen, with its confidence, margin and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from transfer.formats.records import TrackRecord
from transfer.matching.normalize import title_parts
from transfer.matching.scoring import (
    Features,
    candidate_features,
    same_recording,
    score_features,
    source_features,
)
from transfer.matching.types import (
    Band,
    Candidate,
    Decision,
    MatchPolicy,
    Method,
    ScoredCandidate,
    SearchQuery,
)

KEEP_CANDIDATES = 5


def _never(key: str) -> None:
    return None


@dataclass(frozen=True)
class Lookups:
    """What the pipeline provides: catalog search, and the person's and the cache's memory."""

    search: Callable[[SearchQuery], Sequence[Candidate]]
    pinned: Callable[[str], Candidate | None] = _never
    cached: Callable[[str], Decision | None] = _never


def track_key(track: TrackRecord) -> str:
    """Identity of a source track for pins and cached decisions: same key, same answer."""
    parts = title_parts(track.title)
    features = source_features(track)
    duration = round(features.duration_s / 5) if features.duration_s else ""
    explicit = {True: "e", False: "c", None: ""}[features.explicit]
    versions = ",".join(sorted(parts.versions))
    return "|".join(
        (features.isrc, parts.core, ",".join(features.artists), versions, explicit, str(duration))
    )


def plan_queries(track: TrackRecord) -> list[SearchQuery]:
    """The field searches for a track, most specific first (the ISRC search comes before)."""
    parts = title_parts(track.title)
    features = source_features(track)
    title = parts.core or track.title
    lead = features.artists[0] if features.artists else ""
    queries: list[SearchQuery] = []
    if lead:
        queries.append(
            SearchQuery((("name", title), ("artistName", lead)), label="title and artist")
        )
        if track.album:
            queries.append(
                SearchQuery(
                    (("name", title), ("artistName", lead), ("albumName", track.album)),
                    label="title, artist and album",
                )
            )
    relaxed = f"{title} {lead}".strip()
    queries.append(SearchQuery((("", relaxed),), label="relaxed"))
    return queries


def match_track(
    track: TrackRecord, lookups: Lookups, policy: MatchPolicy | None = None
) -> Decision:
    policy = policy or MatchPolicy()
    key = track_key(track)

    pinned = lookups.pinned(key)
    if pinned is not None:
        src = source_features(track)
        scored = score_features(src, pinned, candidate_features(pinned))
        return Decision(
            Band.MATCHED,
            Method.PINNED,
            scored,
            confidence=1.0,
            margin=1.0,
            candidates=(scored,),
            explanation="You chose this track for this song before. " + scored.explain(),
        )

    cached = lookups.cached(key)
    if cached is not None:
        return replace(cached, method=Method.CACHED, queries_used=0)

    src = source_features(track)
    pool: dict[str, tuple[ScoredCandidate, Features]] = {}
    queries_used = 0

    if src.isrc:
        queries_used += 1
        _add(pool, src, lookups.search(SearchQuery((("isrc", src.isrc),), limit=5, label="ISRC")))
        decision = _decide(pool, policy, Method.ISRC, queries_used)
        if decision.band is Band.MATCHED and _has_isrc(decision.chosen, src.isrc):
            return decision

    for query in plan_queries(track):
        queries_used += 1
        _add(pool, src, lookups.search(query))
        decision = _decide(pool, policy, Method.SEARCH, queries_used)
        if decision.band is Band.MATCHED:
            return decision
    return _decide(pool, policy, Method.SEARCH, queries_used)


def decide(
    track: TrackRecord, candidates: Sequence[Candidate], policy: MatchPolicy | None = None
) -> Decision:
    """Decide among given candidates, with no searching (benchmarks, evaluation, re-scoring)."""
    pool: dict[str, tuple[ScoredCandidate, Features]] = {}
    _add(pool, source_features(track), candidates)
    return _decide(pool, policy or MatchPolicy(), Method.SEARCH, 0)


def _add(
    pool: dict[str, tuple[ScoredCandidate, Features]],
    src: Features,
    candidates: Sequence[Candidate],
) -> None:
    for candidate in candidates:
        if candidate.id not in pool:
            features = candidate_features(candidate)
            pool[candidate.id] = (score_features(src, candidate, features), features)


def _decide(
    pool: dict[str, tuple[ScoredCandidate, Features]],
    policy: MatchPolicy,
    method: Method,
    queries_used: int,
) -> Decision:
    if not pool:
        return Decision(
            Band.NOT_FOUND,
            Method.NONE,
            None,
            confidence=0.0,
            margin=0.0,
            explanation="The catalog search found nothing like this track.",
            queries_used=queries_used,
        )
    ranked = sorted(pool.values(), key=lambda item: item[0].score, reverse=True)
    best, best_features = ranked[0]
    # The runner-up that matters is a *different* recording: an explicit/clean twin or another
    # edition of the same recording is not a rival, and must not push a sure match to review.
    runner = next((s for s, f in ranked[1:] if not same_recording(best_features, f)), None)
    margin = best.score - (runner.score if runner else 0.0)
    if best.score >= policy.match_threshold and margin >= policy.min_margin:
        band = Band.MATCHED
    elif best.score >= policy.review_threshold:
        band = Band.REVIEW
    else:
        band = Band.NOT_FOUND
    return Decision(
        band,
        method if band is not Band.NOT_FOUND else Method.NONE,
        best if band is not Band.NOT_FOUND else None,
        confidence=round(best.score, 4),
        margin=round(margin, 4),
        candidates=tuple(s for s, _ in ranked[:KEEP_CANDIDATES]),
        explanation=_explain(band, best, runner, method),
        queries_used=queries_used,
    )


def _has_isrc(chosen: ScoredCandidate | None, isrc: str) -> bool:
    return chosen is not None and chosen.candidate.isrc.upper() == isrc


def _explain(
    band: Band, best: ScoredCandidate, runner: ScoredCandidate | None, method: Method
) -> str:
    c = best.candidate
    who = ", ".join(c.artists)
    how = "found by ISRC" if method is Method.ISRC else "found by catalog search"
    lead = {
        Band.MATCHED: f'Matched "{c.title}" by {who} ({how}, {best.score:.0%} sure)',
        Band.REVIEW: f'Best guess "{c.title}" by {who} ({best.score:.0%} sure): please check',
        Band.NOT_FOUND: f'Nothing close enough; nearest was "{c.title}" by {who} '
        f"({best.score:.0%})",
    }[band]
    text = f"{lead}. {best.explain()}."
    if runner is not None:
        r = runner.candidate
        text += (
            f' Next best: "{r.title}" by {", ".join(r.artists)}, '
            f"{best.score - runner.score:.0%} behind."
        )
    return text
