from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from transfer.formats.records import TrackRecord
from transfer.matching import (
    Band,
    Candidate,
    Lookups,
    MatchPolicy,
    Method,
    SearchQuery,
    match_track,
)
from transfer.matching.cascade import KEEP_CANDIDATES, decide, decision_key, track_key
from transfer.matching.evaluation import read_pairs
from transfer.matching.scoring import clear_caches, score_candidate, source_features, sure_zero

PAIRS = Path(__file__).resolve().parents[2] / "sandbox" / "data" / "itunes_amazon_pairs.csv.gz"

CATALOG = [
    Candidate(
        "B0EXPL0001",
        "Heat Waves [Explicit]",
        ("Glass Animals",),
        "Dreamland",
        238_000,
        "GBUM72000433",
        True,
    ),
    Candidate(
        "B0CLEA0001",
        "Heat Waves [Clean]",
        ("Glass Animals",),
        "Dreamland",
        238_000,
        "GBUM72000434",
        False,
    ),
    Candidate(
        "B0LIVE0001",
        "Heat Waves (Live)",
        ("Glass Animals",),
        "Live in London",
        251_000,
        "GBUM72100001",
        False,
    ),
    Candidate(
        "B0HOLD0001",
        "Hold On",
        ("Wilson Phillips",),
        "Wilson Phillips",
        266_000,
        "USSB19000001",
        False,
    ),
    Candidate(
        "B0HOLD0002", "Hold On", ("Alabama Shakes",), "Boys & Girls", 227_000, "USATO1100001", False
    ),
]


class FakeCatalogSearch:
    """An in-memory stand-in for catalog search that records what was asked."""

    def __init__(self, catalog: Sequence[Candidate]) -> None:
        self.catalog = catalog
        self.queries: list[SearchQuery] = []

    def __call__(self, query: SearchQuery) -> list[Candidate]:
        self.queries.append(query)
        found = []
        for candidate in self.catalog:
            text = f"{candidate.title} {' '.join(candidate.artists)} {candidate.album}".lower()
            for field, value in query.filters:
                if field == "isrc":
                    if candidate.isrc != value:
                        break
                elif not any(word in text for word in value.lower().split()):
                    break
            else:
                found.append(candidate)
        return found[: query.limit]


def test_an_isrc_hit_confirmed_by_artist_needs_one_search() -> None:
    search = FakeCatalogSearch(CATALOG)
    source = TrackRecord("Heat Waves", ("Glass Animals",), "Dreamland", 238_000, "GBUM72000433")
    decision = match_track(source, Lookups(search=search))
    assert decision.band is Band.MATCHED
    assert decision.method is Method.ISRC
    assert decision.track_id == "B0EXPL0001"
    assert len(search.queries) == 1


def test_explicit_and_clean_twins_are_not_rivals() -> None:
    source = TrackRecord("Heat Waves", ("Glass Animals",), "Dreamland", 238_000)
    decision = match_track(source, Lookups(search=FakeCatalogSearch(CATALOG)))
    assert decision.band is Band.MATCHED
    assert decision.track_id == "B0EXPL0001", "the original edition is preferred"
    assert decision.margin >= MatchPolicy().min_margin


def test_same_title_by_another_artist_is_not_taken() -> None:
    source = TrackRecord("Hold On", ("Alabama Shakes",), duration_ms=227_000)
    decision = match_track(source, Lookups(search=FakeCatalogSearch(CATALOG)))
    assert decision.band is Band.MATCHED
    assert decision.track_id == "B0HOLD0002"


def test_the_explanation_names_the_rival_recording() -> None:
    def title_only_search(query: SearchQuery) -> list[Candidate]:
        return [c for c in CATALOG if c.title == "Hold On"]

    source = TrackRecord("Hold On", ("Alabama Shakes",), duration_ms=227_000)
    decision = match_track(source, Lookups(search=title_only_search))
    assert decision.track_id == "B0HOLD0002"
    assert 'Next best: "Hold On" by Wilson Phillips' in decision.explanation


def test_a_track_the_catalog_lacks_is_not_found() -> None:
    source = TrackRecord("Nonexistent Song", ("Nobody",), duration_ms=200_000)
    decision = match_track(source, Lookups(search=FakeCatalogSearch(CATALOG)))
    assert decision.band is Band.NOT_FOUND
    assert decision.chosen is None
    assert decision.explanation


def test_an_ambiguous_track_goes_to_review_with_its_candidates() -> None:
    source = TrackRecord("Hold On", ())
    decision = match_track(source, Lookups(search=FakeCatalogSearch(CATALOG)))
    assert decision.band is Band.REVIEW
    assert {c.candidate.id for c in decision.candidates} >= {"B0HOLD0001", "B0HOLD0002"}


def test_a_pinned_choice_wins_without_searching() -> None:
    search = FakeCatalogSearch(CATALOG)
    source = TrackRecord("Hold On", ())
    pins = {track_key(source): CATALOG[4]}
    decision = match_track(source, Lookups(search=search, pinned=pins.get))
    assert decision.method is Method.PINNED
    assert decision.track_id == "B0HOLD0002"
    assert search.queries == []


def test_a_cached_decision_is_reused_without_searching() -> None:
    source = TrackRecord("Heat Waves", ("Glass Animals",), "Dreamland", 238_000)
    first = match_track(source, Lookups(search=FakeCatalogSearch(CATALOG)))
    search = FakeCatalogSearch(CATALOG)
    cache = {decision_key(source): first}
    again = match_track(source, Lookups(search=search, cached=cache.get))
    assert again.method is Method.CACHED
    assert again.track_id == first.track_id
    assert search.queries == []


def test_a_cached_decision_answers_only_for_the_same_release() -> None:
    """A single and its album share an ISRC; the ISRC search picks the release by album, so
    the decision made for one is not reused for the other. A pin holds for both."""
    single = TrackRecord(
        "Need To Know", ("Doja Cat",), "Need To Know", 210_000, isrc="GB4H12100002"
    )
    on_album = replace(single, album="The Essential Doja Cat")
    assert track_key(single) == track_key(on_album)
    assert decision_key(single) != decision_key(on_album)
    assert decision_key(single) == decision_key(replace(single, album=" need to  KNOW "))
    source = TrackRecord("Heat Waves", ("Glass Animals",), "Dreamland", 238_000)
    first = match_track(source, Lookups(search=FakeCatalogSearch(CATALOG)))
    search = FakeCatalogSearch(CATALOG)
    cache = {decision_key(replace(source, album="Heat Waves (Remixes)")): first}
    again = match_track(source, Lookups(search=search, cached=cache.get))
    assert again.method is not Method.CACHED
    assert search.queries


def test_the_search_stops_as_soon_as_a_match_is_clear() -> None:
    search = FakeCatalogSearch(CATALOG)
    source = TrackRecord("Heat Waves", ("Glass Animals",), "Dreamland", 238_000)
    match_track(source, Lookups(search=search))
    assert len(search.queries) == 1
    assert search.queries[0].label == "title and artist"


def test_far_off_candidates_that_wait_change_nothing_shown() -> None:
    """Candidates whose title alone proves a score of 0.0 are measured only when a decision
    shows them: what it shows must be what measuring every candidate gives."""
    pairs = read_pairs(PAIRS)
    pool = [pair.candidate for pair in pairs]
    rng = random.Random(3)
    waited = 0
    for pair in pairs[:200]:
        candidates = [pair.candidate, *rng.sample(pool, 9)]
        candidates = list({c.id: c for c in candidates}.values())
        clear_caches()
        source = source_features(pair.source)
        waited += sum(sure_zero(source, c) for c in candidates)
        decision = decide(pair.source, candidates)
        clear_caches()
        every = sorted(
            (score_candidate(pair.source, c) for c in candidates),
            key=lambda scored: scored.score,
            reverse=True,
        )
        assert decision.candidates == tuple(every[:KEEP_CANDIDATES])
    assert waited > 500  # the waiting path was taken
