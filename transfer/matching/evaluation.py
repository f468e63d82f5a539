"""The arithmetic of ``manage.py evaluate_matching``: labelled pairs in, precision and recall out.

Pure (no Django, no HTTP), so the figures can be checked by hand in unit tests. Two views:

* Pairwise: every labelled pair is scored on its own; "same track" means a score at or above
  the policy's match threshold. Precision and recall of that yes/no against the label.
* Retrieval: every distinct source row (the iTunes side) went through the whole pipeline against
  a catalog holding the Amazon side of the file among decoys, and the pipeline answered a band
  and a chosen catalog id. A positive pair says which catalog track is right for that row; a
  negative pair says which one is wrong. Whether a decision is right is known when the chosen
  track is a labelled counterpart, or when the row has a positive counterpart at all (then
  anything else is wrong); otherwise (the row has no positive and the chosen track is neither
  labelled) it is unknown, and counted apart rather than guessed.

The file format is that of ``sandbox/data/itunes_amazon_pairs.csv.gz`` (see the README.md
beside it): ``split,row,label`` then ``itunes_*`` and ``amazon_*`` columns; only song, artist,
album and time are read. Plain and gzip-compressed (``.gz``) files are read alike.
"""

from __future__ import annotations

import csv
import enum
import gzip
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from transfer.formats.records import TrackRecord
from transfer.matching.scoring import score_candidate
from transfer.matching.types import Band, Candidate, MatchPolicy

SIDES = ("itunes", "amazon")
FIELDS = ("song_name", "artist_name", "album_name", "time")
REQUIRED_COLUMNS = ("split", "label", *(f"{side}_{f}" for side in SIDES for f in FIELDS))

# The exact strings of one side of a pair: what identifies "the same row" across pairs.
RowKey = tuple[str, str, str, str]


class PairsFileError(ValueError):
    """A pairs file that is not in the itunes_amazon_pairs.csv format."""


@dataclass(frozen=True, slots=True)
class LabelledPair:
    split: str
    # Position among the file's data rows, from 0: the loader's row numbers are this plus one.
    index: int
    label: bool
    source_key: RowKey
    target_key: RowKey
    source: TrackRecord
    candidate: Candidate


def duration_ms(text: str) -> int | None:
    """Milliseconds from "m:ss" or "h:mm:ss" (the file's times); None when it is not one."""
    parts = text.strip().split(":")
    if not all(p.isdigit() for p in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds * 1000


def open_pairs(path: Path) -> TextIO:
    """A pairs file opened as text, decompressed when its name ends in ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return path.open(newline="", encoding="utf-8-sig")


def read_pairs(path: Path) -> list[LabelledPair]:
    """Every data row of a pairs file, in file order. Text is kept exactly as written."""
    with open_pairs(path) as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise PairsFileError(f"{path.name} lacks the columns {', '.join(missing)}")
        pairs = []
        for index, row in enumerate(reader):
            label = row["label"].strip()
            if label not in ("0", "1"):
                raise PairsFileError(f"{path.name}, data row {index + 1}: label {label!r}")
            source_key = _key(row, "itunes")
            target_key = _key(row, "amazon")
            pairs.append(
                LabelledPair(
                    split=row["split"].strip(),
                    index=index,
                    label=label == "1",
                    source_key=source_key,
                    target_key=target_key,
                    source=source_record(source_key),
                    candidate=Candidate(
                        id=f"pair-{index}",
                        title=target_key[0],
                        artists=(target_key[1],),
                        album=target_key[2],
                        duration_ms=duration_ms(target_key[3]),
                    ),
                )
            )
    return pairs


def _key(row: dict[str, Any], side: str) -> RowKey:
    song, artist, album, time = (row[f"{side}_{f}"] or "" for f in FIELDS)
    return (song, artist, album, time)


def source_record(key: RowKey) -> TrackRecord:
    """A source row as an import would give it: one artist credit, no ISRC, no explicit flag."""
    title, artist, album, time = key
    return TrackRecord(
        title=title, artists=(artist,) if artist else (), album=album, duration_ms=duration_ms(time)
    )


def listing_identity(title: str, album: str) -> str:
    """A catalog listing by its text, when its catalog id is unknown: title and album with only
    letters and digits kept, so that tokenised "Ca n't ( Live )" and "Can't (Live)" agree. The
    artist is left out because the catalog splits credits into several artists."""
    return f"{_alnum(title)}|{_alnum(album)}"


def _alnum(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum()).casefold()


def select(pairs: Iterable[LabelledPair], split: str) -> list[LabelledPair]:
    """The pairs of one split ("all": every pair)."""
    return [p for p in pairs if split == "all" or p.split == split]


# --- pairwise -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.tp + self.fp + self.fn + self.tn,
            "positives": self.tp + self.fn,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def confusion(said_same: Iterable[tuple[bool, bool]]) -> Confusion:
    """From (decision "same", label "same") pairs."""
    tp = fp = fn = tn = 0
    for same, label in said_same:
        if same and label:
            tp += 1
        elif same:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    return Confusion(tp, fp, fn, tn)


def pairwise(pairs: Sequence[LabelledPair], policy: MatchPolicy) -> Confusion:
    """Each pair scored alone: "same" is a score at or above the match threshold."""
    return confusion(
        (score_candidate(p.source, p.candidate).score >= policy.match_threshold, p.label)
        for p in pairs
    )


# --- retrieval ----------------------------------------------------------------------------------


class Verdict(enum.StrEnum):
    RIGHT = "right"
    WRONG = "wrong"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Truth:
    """What the labels say about one source row: catalog ids that are it, and that are not."""

    positives: frozenset[str] = frozenset()
    negatives: frozenset[str] = frozenset()

    def judge(self, chosen_id: str) -> Verdict:
        if chosen_id in self.positives:
            return Verdict.RIGHT
        if chosen_id in self.negatives or self.positives:
            return Verdict.WRONG
        return Verdict.UNKNOWN


def build_truth(pairs: Sequence[LabelledPair], catalog_ids: Sequence[str]) -> dict[RowKey, Truth]:
    """Per source row, from every pair of the file; ``catalog_ids[i]`` holds pair i's target.

    A catalog id that is both (two listings the loader merged into one track, labelled
    differently) counts as positive: the row's match is in the catalog under that id.
    """
    if len(catalog_ids) != len(pairs):
        raise ValueError(f"{len(catalog_ids)} catalog ids for {len(pairs)} pairs")
    positives: dict[RowKey, set[str]] = {}
    negatives: dict[RowKey, set[str]] = {}
    for pair, catalog_id in zip(pairs, catalog_ids, strict=True):
        if not catalog_id:
            continue  # the loader skipped this row
        (positives if pair.label else negatives).setdefault(pair.source_key, set()).add(catalog_id)
    return {
        key: Truth(
            frozenset(positives.get(key, ())),
            frozenset(negatives.get(key, set()) - positives.get(key, set())),
        )
        for key in positives.keys() | negatives.keys()
    }


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the pipeline decided for one source row."""

    key: RowKey
    band: str
    chosen_id: str = ""
    # The chosen track as people read it (title, artists, album), for error listings.
    chosen_text: str = ""


@dataclass(frozen=True, slots=True)
class Retrieval:
    rows: int
    matched: int
    review: int
    not_found: int
    matched_right: int
    matched_wrong: int
    matched_unknown: int
    # Rows whose match is known to be in the catalog, and of those, found (matched or review)
    # with the right track chosen.
    with_positive: int
    found_right: int
    review_right: int
    wrong_rows: list[Outcome] = field(default_factory=list)
    unknown_rows: list[Outcome] = field(default_factory=list)
    # Rows whose match is in the catalog but that were not found with it (for error listings).
    missed_rows: list[Outcome] = field(default_factory=list)

    @property
    def matched_precision(self) -> float | None:
        return _ratio(self.matched_right, self.matched_right + self.matched_wrong)

    @property
    def found_recall(self) -> float | None:
        return _ratio(self.found_right, self.with_positive)

    @property
    def review_rate(self) -> float | None:
        return _ratio(self.review, self.rows)

    @property
    def not_found_rate(self) -> float | None:
        return _ratio(self.not_found, self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "matched": self.matched,
            "review": self.review,
            "not_found": self.not_found,
            "matched_right": self.matched_right,
            "matched_wrong": self.matched_wrong,
            "matched_unknown": self.matched_unknown,
            "rows_with_positive": self.with_positive,
            "found_right": self.found_right,
            "review_right": self.review_right,
            "matched_precision": _round(self.matched_precision),
            "found_recall": _round(self.found_recall),
            "review_rate": _round(self.review_rate),
            "not_found_rate": _round(self.not_found_rate),
        }


def retrieval(outcomes: Sequence[Outcome], truth: dict[RowKey, Truth]) -> Retrieval:
    matched = review = not_found = 0
    right = wrong = unknown = 0
    with_positive = found_right = review_right = 0
    wrong_rows: list[Outcome] = []
    unknown_rows: list[Outcome] = []
    missed_rows: list[Outcome] = []
    for outcome in outcomes:
        row_truth = truth.get(outcome.key, Truth())
        verdict = row_truth.judge(outcome.chosen_id) if outcome.chosen_id else None
        if row_truth.positives:
            with_positive += 1
        if outcome.band == Band.MATCHED:
            matched += 1
            if verdict is Verdict.RIGHT:
                right += 1
            elif verdict is Verdict.WRONG:
                wrong += 1
                wrong_rows.append(outcome)
            else:
                unknown += 1
                unknown_rows.append(outcome)
        elif outcome.band == Band.REVIEW:
            review += 1
            review_right += verdict is Verdict.RIGHT
        else:
            not_found += 1
        if outcome.band in (Band.MATCHED, Band.REVIEW) and verdict is Verdict.RIGHT:
            found_right += 1
        elif row_truth.positives:
            missed_rows.append(outcome)
    return Retrieval(
        rows=len(outcomes),
        matched=matched,
        review=review,
        not_found=not_found,
        matched_right=right,
        matched_wrong=wrong,
        matched_unknown=unknown,
        with_positive=with_positive,
        found_right=found_right,
        review_right=review_right,
        wrong_rows=wrong_rows,
        unknown_rows=unknown_rows,
        missed_rows=missed_rows,
    )


# --- goals and formatting -----------------------------------------------------------------------

MATCHED_PRECISION_GOAL = 0.99
FOUND_RECALL_GOAL = 0.95


def goals(result: Retrieval) -> dict[str, bool | None]:
    """Whether the issue's goals are met (None when there was nothing to measure)."""
    precision, recall = result.matched_precision, result.found_recall
    return {
        "matched_precision": None if precision is None else precision >= MATCHED_PRECISION_GOAL,
        "found_recall": None if recall is None else recall >= FOUND_RECALL_GOAL,
    }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"
