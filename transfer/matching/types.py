"""The values the matcher takes and gives."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Band(enum.StrEnum):
    MATCHED = "matched"
    REVIEW = "review"
    NOT_FOUND = "not_found"


class Strictness(enum.StrEnum):
    """How strictly to match: the one declaration of the names (Django's choices derive from it,
    transfer/core/choices.py)."""

    STRICT = "strict"
    BALANCED = "balanced"
    LENIENT = "lenient"


class Method(enum.StrEnum):
    PINNED = "pinned"
    CACHED = "cached"
    ISRC = "isrc"
    SEARCH = "search"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A catalog track as search returned it."""

    id: str
    title: str
    artists: tuple[str, ...]
    album: str = ""
    duration_ms: int | None = None
    isrc: str = ""
    explicit: bool | None = None
    image_url: str = ""
    album_id: str = ""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """One catalog search: ``field`` is a TrackFieldType (name, artistName, albumName, isrc)."""

    filters: tuple[tuple[str, str], ...]
    limit: int = 10
    label: str = ""


# Signal and ScoredCandidate are built for every candidate of every track: named tuples, because
# frozen dataclasses cost several times more to construct on this hot path.
class Signal(NamedTuple):
    """One piece of evidence, worded for people: 'title: same', 'duration: 0:03 apart'."""

    name: str
    score: float | None
    note: str
    agrees: bool


class ScoredCandidate(NamedTuple):
    candidate: Candidate
    score: float
    signals: tuple[Signal, ...]

    def explain(self) -> str:
        return "; ".join(s.note for s in self.signals)


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """How strict matching is. The defaults were tuned on the iTunes-Amazon ``train`` split."""

    match_threshold: float = 0.80
    review_threshold: float = 0.45
    min_margin: float = 0.08

    @classmethod
    def named(cls, strictness: str) -> MatchPolicy:
        """The policy of a strictness name; ``ValueError`` for a name that is not one."""
        return {
            Strictness.STRICT: cls(match_threshold=0.88, review_threshold=0.5, min_margin=0.12),
            Strictness.BALANCED: cls(),
            Strictness.LENIENT: cls(match_threshold=0.72, review_threshold=0.4, min_margin=0.05),
        }[Strictness(strictness)]


@dataclass(frozen=True, slots=True)
class Decision:
    band: Band
    method: Method
    chosen: ScoredCandidate | None
    confidence: float
    # Best score minus the best *different* recording's score (1.0 when there is none).
    margin: float
    candidates: tuple[ScoredCandidate, ...] = field(default=())
    explanation: str = ""
    queries_used: int = 0

    @property
    def track_id(self) -> str | None:
        return self.chosen.candidate.id if self.chosen else None
