"""Track matching: decide which Amazon Music catalog track a source track is.

Pure Python: no Django, no HTTP, no Redis. The pipeline injects a search function, pinned
choices and cached decisions; this package normalises, scores, explains and decides.
"""

from transfer.matching.cascade import Lookups, match_track
from transfer.matching.scoring import score_candidate
from transfer.matching.types import (
    Band,
    Candidate,
    Decision,
    MatchPolicy,
    Method,
    ScoredCandidate,
    SearchQuery,
)

__all__ = [
    "Band",
    "Candidate",
    "Decision",
    "Lookups",
    "MatchPolicy",
    "Method",
    "ScoredCandidate",
    "SearchQuery",
    "match_track",
    "score_candidate",
]
