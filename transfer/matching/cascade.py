"""The matching cascade: cheapest and surest evidence first, catalog searches only as needed.

1. the person's pinned choice for this track, 2. a cached decision for an identical track (the
same release: see ``decision_key``),
3. an ISRC search, accepted only when artist and duration agree, 4. field searches (title and
artist; then with album; then a relaxed free-text search), stopping as soon as one gives a
clear winner, 5. the decision over every candidate seen, with its confidence, margin and why.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from transfer.formats.records import TrackRecord
from transfer.matching.messy import MessySource, read_messy
from transfer.matching.normalize import title_parts
from transfer.matching.scoring import (
    Features,
    Measure,
    candidate_features,
    known_candidate_features,
    measure_features,
    measure_messy,
    same_recording,
    signals,
    source_features,
    sure_zero,
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

# Every candidate seen for a track, by id: its measure, the candidate and its features. Only the
# few candidates a decision shows are worded into a ScoredCandidate. A candidate whose title
# alone proves a score of 0.0 (scoring.sure_zero) waits with features None and a measure that
# only holds that score: its other features and its measure are computed if a decision shows
# it or looks at it for the runner-up, never otherwise (most of ten candidates are far off).
Entry = tuple[Measure, Candidate, Features | None]
Pool = dict[str, Entry]
_SURE_ZERO = Measure(0.0, 0.0, None, None, None, "", "", False, "", None)


def _never(key: str) -> None:
    return None


@dataclass(frozen=True)
class Lookups:
    """What the pipeline provides: catalog search, and the person's and the cache's memory."""

    search: Callable[[SearchQuery], Sequence[Candidate]]
    pinned: Callable[[str], Candidate | None] = _never
    cached: Callable[[str], Decision | None] = _never


def track_key(track: TrackRecord) -> str:
    """Identity of a source track for pins (cached decisions add the album: ``decision_key``)."""
    parts = title_parts(track.title)
    features = source_features(track)
    duration = round(features.duration_s / 5) if features.duration_s else ""
    explicit = {True: "e", False: "c", None: ""}[features.explicit]
    versions = ",".join(sorted(parts.versions))
    return "|".join(
        (features.isrc, parts.core, ",".join(features.artists), versions, explicit, str(duration))
    )


def decision_key(track: TrackRecord) -> str:
    """Identity of a source track for cached decisions: its ``track_key`` and its album.

    The album tells apart releases of one recording, which share an ISRC (a single and its
    album, an edition and its deluxe): the ISRC search picks the release by album, so a decision
    made for one release is not the answer for another. Pins keep ``track_key``: a person's
    choice holds for the song whatever release a list names.
    """
    return f"{track_key(track)}|{' '.join(track.album.casefold().split())}"


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


def plan_messy_queries(messy: MessySource) -> list[SearchQuery]:
    """A messy row's searches: each (title, artist) guess, and free text on the cleaned text.
    With a dash or "by" in the text the guesses are likelier, so they go first."""
    guesses = [
        SearchQuery((("name", title), ("artistName", artist)), label="title and artist guess")
        for title, artist in messy.hypotheses[:2]
    ]
    free = (
        [SearchQuery((("", messy.query_text),), label="cleaned text")] if messy.query_text else []
    )
    shaped = any("shape" in reason for reason in messy.reasons)
    return [*guesses, *free] if shaped else [*free, *guesses]


def match_track(
    track: TrackRecord, lookups: Lookups, policy: MatchPolicy | None = None
) -> Decision:
    policy = policy or MatchPolicy()
    key = track_key(track)

    messy = read_messy(track)
    measure, clean = _measurer(track, messy)

    pinned = lookups.pinned(key)
    if pinned is not None:
        pinned_measure = measure(candidate_features(pinned))
        scored = ScoredCandidate(pinned, pinned_measure.score, signals(pinned_measure))
        return Decision(
            Band.MATCHED,
            Method.PINNED,
            scored,
            confidence=1.0,
            margin=1.0,
            candidates=(scored,),
            explanation="You chose this track for this song before. " + scored.explain(),
        )

    cached = lookups.cached(decision_key(track))
    if cached is not None:
        return replace(cached, method=Method.CACHED, queries_used=0)

    pool: Pool = {}
    queries_used = 0

    isrc = track.isrc.strip().upper() if track.isrc else ""
    if isrc:
        queries_used += 1
        _add(
            pool,
            measure,
            lookups.search(SearchQuery((("isrc", isrc),), limit=5, label="ISRC")),
            clean,
        )
        decision = _decide(pool, measure, policy, Method.ISRC, queries_used)
        if decision.band is Band.MATCHED and _has_isrc(decision.chosen, isrc):
            return decision

    queries = plan_messy_queries(messy) if messy is not None else plan_queries(track)
    for query in queries:
        queries_used += 1
        _add(pool, measure, lookups.search(query), clean)
        decision = _decide(pool, measure, policy, Method.SEARCH, queries_used)
        if decision.band is Band.MATCHED:
            return decision
    return _decide(pool, measure, policy, Method.SEARCH, queries_used)


def decide(
    track: TrackRecord, candidates: Sequence[Candidate], policy: MatchPolicy | None = None
) -> Decision:
    """Decide among given candidates, with no searching (benchmarks, evaluation, re-scoring)."""
    pool: Pool = {}
    measure, clean = _measurer(track, read_messy(track))
    _add(pool, measure, candidates, clean)
    return _decide(pool, measure, policy or MatchPolicy(), Method.SEARCH, 0)


def _measurer(
    track: TrackRecord, messy: MessySource | None
) -> tuple[Callable[[Features], Measure], Features | None]:
    """How candidates are measured against this row (as scoring.measurer), and for a clean row
    its features (which let far-off candidates wait, see _add)."""
    if messy is not None:
        return functools.partial(measure_messy, messy), None
    clean = source_features(track)
    return functools.partial(measure_features, clean), clean


def _add(
    pool: Pool,
    measure: Callable[[Features], Measure],
    candidates: Sequence[Candidate],
    clean: Features | None = None,
) -> None:
    """Measure new candidates; for a clean row (``clean``: its features), a candidate not yet
    known whose title alone proves a score of 0.0 is only measured if a decision needs it."""
    for candidate in candidates:
        if candidate.id not in pool:
            features = known_candidate_features(candidate)
            if features is None:
                if clean is not None and sure_zero(clean, candidate):
                    pool[candidate.id] = (_SURE_ZERO, candidate, None)
                    continue
                features = candidate_features(candidate)
            pool[candidate.id] = (measure(features), candidate, features)


def _complete(
    pool: Pool, entry: Entry, measure: Callable[[Features], Measure]
) -> tuple[Measure, Candidate, Features]:
    """A waiting entry measured in full (and kept so in the pool)."""
    measured, candidate, features = entry
    if features is not None:
        return measured, candidate, features
    features = candidate_features(candidate)
    full = (measure(features), candidate, features)
    if full[0].score != 0.0:
        # sure_zero promised 0.0; were it ever wrong, the ranking would be: refuse loudly
        # rather than decide on a wrong order.
        raise AssertionError(f"sure_zero was wrong for {candidate.id}")
    pool[candidate.id] = full
    return full


def _decide(
    pool: Pool,
    measure: Callable[[Features], Measure],
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
    ranked = sorted(pool.values(), key=_by_score, reverse=True)
    # A waiting entry sorts where its full measure would (its score is 0.0 either way, and the
    # sort is stable); the shown ones are measured in full now.
    kept = [_complete(pool, entry, measure) for entry in ranked[:KEEP_CANDIDATES]]
    best_features = kept[0][2]
    # The runner-up that matters is a *different* recording: an explicit/clean twin or another
    # edition of the same recording is not a rival, and must not push a sure match to review.
    runner_entry = next(
        (
            full
            for full in (_complete(pool, entry, measure) for entry in ranked[1:])
            if not same_recording(best_features, full[2])
        ),
        None,
    )
    shown = [_scored(entry) for entry in kept]
    best = shown[0]
    runner: ScoredCandidate | None = None
    if runner_entry is not None:
        at = next(
            (i for i, entry in enumerate(kept) if entry[1] is runner_entry[1]),
            None,
        )
        runner = shown[at] if at is not None else _scored(runner_entry)
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
        candidates=tuple(shown),
        explanation=_explain(band, best, runner, method),
        queries_used=queries_used,
    )


def _by_score(entry: Entry) -> float:
    return entry[0].score


def _scored(entry: tuple[Measure, Candidate, Features]) -> ScoredCandidate:
    measure, candidate, _ = entry
    return ScoredCandidate(candidate, measure.score, signals(measure))


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
