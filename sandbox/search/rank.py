"""Second-phase ranking of search candidates: how well each one answers the whole query.

FTS5 finds a few hundred candidates; this re-scores them the way a catalog engine would.
Coverage (the share of the query's information, by inverse document frequency, found in the
fields asked about) counts most. Precision (the share of the title and artist words that the
query accounts for) then puts "Hold On" above "Hold On (Live)" for the query "hold on wilson
phillips". Popularity breaks the remaining ties. Pure functions, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sandbox.search.text import NEUTRAL_TOKENS

TITLE, ARTISTS, ALBUM = 0, 1, 2
ALL_COLUMNS = (TITLE, ARTISTS, ALBUM)

COVERAGE_WEIGHT = 3.0
PRECISION_WEIGHT = 1.2
POPULARITY_WEIGHT = 0.25


@dataclass(frozen=True, slots=True)
class Term:
    """One query word and what may stand in for it (spelling corrections, a prefix)."""

    token: str
    alternatives: frozenset[str]
    phrases: tuple[tuple[str, str], ...]
    prefix: str
    weight: float
    optional: bool

    def found_in(self, words: set[str]) -> bool:
        if self.token in words or not self.alternatives.isdisjoint(words):
            return True
        if any(a in words and b in words for a, b in self.phrases):
            return True
        return bool(self.prefix) and any(w.startswith(self.prefix) for w in words)


@dataclass(frozen=True, slots=True)
class Part:
    """The terms of one search filter and the index columns it looks in."""

    columns: tuple[int, ...]
    terms: tuple[Term, ...]


@dataclass(slots=True)
class Candidate:
    id: int
    fields: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    popularity: int
    coverage: float = 0.0
    precision: float = 0.0
    score: float = 0.0


def idf(documents: int, total: int) -> float:
    return math.log(1.0 + (total + 1) / (documents + 1))


@dataclass(frozen=True, slots=True)
class _PreparedPart:
    part: Part
    total: float
    vocabulary: frozenset[str]
    prefixes: tuple[str, ...]
    core_columns: tuple[int, ...]


def _prepare(part: Part) -> _PreparedPart:
    vocabulary = {t.token for t in part.terms}
    for term in part.terms:
        vocabulary |= term.alternatives
        vocabulary.update(w for pair in term.phrases for w in pair)
    return _PreparedPart(
        part=part,
        total=sum(t.weight for t in part.terms) or 1.0,
        vocabulary=frozenset(vocabulary),
        prefixes=tuple(t.prefix for t in part.terms if t.prefix),
        # What a result says about itself: title and artists for free text, else the field.
        core_columns=(TITLE, ARTISTS) if part.columns == ALL_COLUMNS else part.columns,
    )


def _part_scores(prepared: _PreparedPart, candidate: Candidate) -> tuple[float, float]:
    fields = candidate.fields
    words: set[str] = set()
    for column in prepared.part.columns:
        words.update(fields[column])
    found = sum(t.weight for t in prepared.part.terms if t.found_in(words))
    # Precision looks only at the fields the query talks about, so that "whitney houston"
    # does not prefer short titles and "hold on" does not prefer short artist names.
    core: set[str] = set()
    for column in prepared.core_columns:
        column_words = set(fields[column]) - NEUTRAL_TOKENS
        if not column_words.isdisjoint(prepared.vocabulary) or any(
            w.startswith(p) for p in prepared.prefixes for w in column_words
        ):
            core |= column_words
    if not core:
        return found / prepared.total, 0.0
    explained = len(core & prepared.vocabulary)
    if prepared.prefixes:
        explained += sum(
            1 for w in core - prepared.vocabulary if any(w.startswith(p) for p in prepared.prefixes)
        )
    return found / prepared.total, explained / len(core)


def rank(parts: list[Part], candidates: list[Candidate]) -> list[Candidate]:
    """Score and order candidates, best first; ties go to popularity, then to the lower id."""
    prepared = [_prepare(p) for p in parts]
    for candidate in candidates:
        coverage = precision = 0.0
        for part in prepared:
            part_coverage, part_precision = _part_scores(part, candidate)
            coverage += part_coverage
            precision += part_precision
        candidate.coverage = coverage / len(parts)
        candidate.precision = precision / len(parts)
        candidate.score = (
            COVERAGE_WEIGHT * candidate.coverage
            + PRECISION_WEIGHT * candidate.precision
            + POPULARITY_WEIGHT * min(candidate.popularity, 100) / 100
        )
    return sorted(candidates, key=lambda c: (-c.score, -c.popularity, c.id))
