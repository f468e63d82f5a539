"""Scoring one source track against one catalog candidate, with reasons.

The score is a weighted mean of the signals both sides have (title, artists, duration, album),
minus penalties for a version present on one side only and for the wrong explicit/clean
edition. An equal ISRC, confirmed by artist and duration, is near-certain on its own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rapidfuzz import fuzz

from transfer.formats.records import TrackRecord
from transfer.matching.normalize import (
    SAME_RECORDING_TAGS,
    TitleParts,
    album_core,
    album_words,
    split_artists,
    title_parts,
)
from transfer.matching.types import Candidate, ScoredCandidate, Signal

WEIGHTS = {"title": 0.45, "artists": 0.33, "duration": 0.14, "album": 0.08}
TITLE_GATE = 0.85
VERSION_PENALTY = 0.30
DETAIL_PENALTY = 0.20
NUMBER_PENALTY = 0.15
EXPLICIT_PENALTY = 0.12
# With no explicit/clean preference in the source, prefer the original (explicit) edition a bit.
UNSPECIFIED_CLEAN_PENALTY = 0.03
# Two editions of one album (standard and deluxe, "2.0", "+ video") holding the same recording
# score alike on everything else; this hair decides the tie for the edition the source names,
# instead of the catalog's search order. Too small to move a track across a band.
EDITION_PENALTY = 0.01


@dataclass(frozen=True, slots=True)
class Features:
    """A track reduced to what scoring compares; computed once per source or candidate."""

    title: TitleParts
    artists: tuple[str, ...]
    artist_set: frozenset[str]
    album: str
    album_words: frozenset[str]
    duration_s: float | None
    isrc: str
    explicit: bool | None


def _features(
    title: str,
    credited: tuple[str, ...],
    album_name: str,
    duration_ms: int | None,
    isrc: str,
    explicit: bool | None,
) -> Features:
    parts = title_parts(title)
    artists = _artists(credited, parts)
    album, album_explicit = album_core(album_name) if album_name else ("", None)
    if explicit is None:
        # A "[Explicit]" in the title or album speaks when the source's flag is silent.
        explicit = parts.explicit if parts.explicit is not None else album_explicit
    return Features(
        parts,
        artists,
        frozenset(artists),
        album,
        album_words(album_name) if album_name else frozenset(),
        duration_ms / 1000 if duration_ms else None,
        isrc.strip().upper(),
        explicit,
    )


def source_features(track: TrackRecord) -> Features:
    return _features(
        track.title, track.artists, track.album, track.duration_ms, track.isrc, track.explicit
    )


@functools.lru_cache(maxsize=100_000)
def candidate_features(c: Candidate) -> Features:
    return _features(c.title, c.artists, c.album, c.duration_ms, c.isrc, c.explicit)


def score_candidate(track: TrackRecord, candidate: Candidate) -> ScoredCandidate:
    return score_features(source_features(track), candidate, candidate_features(candidate))


def score_features(src: Features, candidate: Candidate, cand: Features) -> ScoredCandidate:
    signals: list[Signal] = []
    weighted = 0.0
    weight_total = 0.0

    title = _title_similarity(src.title, cand.title)
    signals.append(Signal("title", title, _title_note(title), title >= 0.9))
    weighted += WEIGHTS["title"] * title
    weight_total += WEIGHTS["title"]

    if src.artists and cand.artists:
        artists = _artist_similarity(src, cand)
        signals.append(Signal("artists", artists, _artist_note(artists), artists >= 0.85))
        weighted += WEIGHTS["artists"] * artists
        weight_total += WEIGHTS["artists"]

    if src.duration_s is not None and cand.duration_s is not None:
        gap = abs(src.duration_s - cand.duration_s)
        duration = _duration_similarity(gap)
        signals.append(Signal("duration", duration, _duration_note(gap), duration >= 0.85))
        weighted += WEIGHTS["duration"] * duration
        weight_total += WEIGHTS["duration"]

    other_edition = False
    if src.album and cand.album:
        album = fuzz.token_set_ratio(src.album, cand.album) / 100
        signals.append(Signal("album", album, _album_note(album), album >= 0.8))
        weighted += WEIGHTS["album"] * album
        weight_total += WEIGHTS["album"]
        # Only among editions of the album the source names (the album signal is full).
        other_edition = album >= 0.999 and src.album_words != cand.album_words

    score = weighted / weight_total
    if other_edition:
        score -= EDITION_PENALTY
    if title < TITLE_GATE:
        # Same artist, same length and album is how *another song from the same album* looks;
        # only the title tells them apart, so a clearly different title sinks the score.
        score -= (TITLE_GATE - title) * 1.5

    only_src = (src.title.versions - cand.title.versions) - SAME_RECORDING_TAGS
    only_cand = (cand.title.versions - src.title.versions) - SAME_RECORDING_TAGS
    if only_src or only_cand:
        score -= VERSION_PENALTY * min(2, len(only_src) + len(only_cand))
        diff = ", ".join(sorted(only_cand)) if only_cand else ", ".join(sorted(only_src))
        side = "the match is" if only_cand else "the source is"
        signals.append(Signal("version", None, f"version differs: {side} {diff}", False))

    elif src.title.detail and cand.title.detail:
        detail = fuzz.token_set_ratio(src.title.detail, cand.title.detail) / 100
        if detail < 0.8:
            score -= DETAIL_PENALTY
            signals.append(
                Signal("version", None, f'another version: "{cand.title.detail}"', False)
            )

    if src.title.numbers != cand.title.numbers:
        score -= NUMBER_PENALTY
        signals.append(Signal("numbering", None, "part or number in the title differs", False))

    if src.explicit is not None and cand.explicit is not None and src.explicit != cand.explicit:
        score -= EXPLICIT_PENALTY
        wanted = "explicit" if src.explicit else "clean"
        signals.append(Signal("edition", None, f"source wants the {wanted} edition", False))
    elif src.explicit is None and cand.explicit is False:
        score -= UNSPECIFIED_CLEAN_PENALTY
        signals.append(Signal("edition", None, "clean edition (original preferred)", False))

    if src.isrc and cand.isrc:
        if src.isrc == cand.isrc:
            signals.append(Signal("isrc", 1.0, "same ISRC", True))
            # An equal ISRC is the recording's identity; artist and duration only guard typos.
            if _confirms_isrc(signals):
                score = max(score, 0.97)
        else:
            signals.append(Signal("isrc", 0.0, "different ISRC", False))

    return ScoredCandidate(candidate, max(0.0, min(1.0, score)), tuple(signals))


def same_recording(a: Features, b: Features) -> bool:
    """Two catalog entries of one recording: other edition, explicit/clean twin, reissue."""
    if a.title.core != b.title.core or a.artist_set != b.artist_set:
        return False
    if (a.title.versions ^ b.title.versions) - SAME_RECORDING_TAGS:
        return False
    if a.duration_s is not None and b.duration_s is not None:
        return abs(a.duration_s - b.duration_s) <= 4
    return True


def _artists(credited: tuple[str, ...], parts: TitleParts) -> tuple[str, ...]:
    names: list[str] = []
    for credit in credited:
        names.extend(split_artists(credit))
    # "Song (feat. X)" by A, against "Song" by A & X: featured artists count as artists.
    for name in parts.featured:
        if name not in names:
            names.append(name)
    return tuple(names)


def _title_similarity(a: TitleParts, b: TitleParts) -> float:
    if a.core == b.core:
        return 1.0
    ratio = fuzz.ratio(a.core, b.core)
    token = fuzz.token_sort_ratio(a.core, b.core)
    return max(ratio, token) / 100


def _artist_similarity(src: Features, cand: Features) -> float:
    if src.artist_set & cand.artist_set:
        # The lead artist weighs most; others add coverage.
        lead = 1.0 if src.artists[0] in cand.artist_set else _best(src.artists[0], cand.artists)
        shared = len(src.artist_set & cand.artist_set) / max(len(src.artist_set), 1)
        return 0.75 * lead + 0.25 * max(shared, lead * 0.5)
    lead = _best(src.artists[0], cand.artists)
    whole = fuzz.token_set_ratio(" ".join(src.artists), " ".join(cand.artists)) / 100
    return max(lead, whole * 0.9)


def _best(name: str, others: tuple[str, ...]) -> float:
    return max((fuzz.ratio(name, other) / 100 for other in others), default=0.0)


def _duration_similarity(gap: float) -> float:
    if gap <= 2:
        return 1.0
    if gap <= 5:
        return 0.9
    if gap <= 10:
        return 0.7
    if gap <= 20:
        return 0.4
    if gap <= 40:
        return 0.15
    return 0.0


def _confirms_isrc(signals: list[Signal]) -> bool:
    by_name = {s.name: s for s in signals}
    artists = by_name.get("artists")
    duration = by_name.get("duration")
    artists_ok = artists is None or (artists.score or 0) >= 0.5
    duration_ok = duration is None or (duration.score or 0) >= 0.4
    return artists_ok and duration_ok


def _title_note(score: float) -> str:
    if score >= 0.999:
        return "title: same"
    if score >= 0.9:
        return f"title: nearly the same ({score:.0%})"
    return f"title: differs ({score:.0%} alike)"


def _artist_note(score: float) -> str:
    if score >= 0.999:
        return "artists: same"
    if score >= 0.85:
        return f"artists: nearly the same ({score:.0%})"
    return f"artists: differ ({score:.0%} alike)"


def _duration_note(gap: float) -> str:
    if gap < 1:
        return "duration: same"
    return f"duration: {int(gap) // 60}:{int(gap) % 60:02d} apart"


def _album_note(score: float) -> str:
    return "album: same" if score >= 0.95 else f"album: {score:.0%} alike"
