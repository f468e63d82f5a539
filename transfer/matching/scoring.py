"""Scoring one source track against one catalog candidate, with reasons.

The score is a weighted mean of the signals both sides have (title, artists, duration, album),
minus penalties for a version present on one side only and for the wrong explicit/clean
edition. An equal ISRC, confirmed by artist and duration, is near-certain on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

from rapidfuzz.fuzz import ratio, token_set_ratio

from transfer.formats.records import TrackRecord
from transfer.matching.messy import (
    DURATION_AGREES_S,
    UNSURE_CAP,
    Containment,
    MessySource,
    candidate_names,
    contain,
    read_messy,
    versions_after,
)
from transfer.matching.normalize import (
    SAME_RECORDING_TAGS,
    TitleParts,
    album_parts,
    split_artists,
    title_parts,
)
from transfer.matching.scripts import artist_aliases, has_other_script, latin_forms
from transfer.matching.types import Candidate, ScoredCandidate, Signal

WEIGHTS = {"title": 0.45, "artists": 0.33, "duration": 0.14, "album": 0.08}
W_TITLE, W_ARTISTS, W_DURATION, W_ALBUM = (
    WEIGHTS[k] for k in ("title", "artists", "duration", "album")
)
TITLE_GATE = 0.85
VERSION_PENALTY = 0.30
DETAIL_PENALTY = 0.20
NUMBER_PENALTY = 0.15
EXPLICIT_PENALTY = 0.12
# With no explicit/clean preference in the source, prefer the original (explicit) edition a bit.
UNSPECIFIED_CLEAN_PENALTY = 0.03
# A clean song (explicit=False) is one recording on both editions of an explicit album, the
# "[Explicit]" one and the "[Clean]" one, and a source that names neither (Spotify tags no album)
# says nothing of the edition: as with no flag at all, the original (explicit) edition is
# preferred, the one most people have. Too small to move a track across a band.
CLEAN_EDITION_PENALTY = 0.01
# Two editions of one album (standard and deluxe, "2.0", "+ video") holding the same recording
# score alike on everything else; this hair decides the tie for the edition the source names,
# instead of the catalog's search order. Too small to move a track across a band.
EDITION_PENALTY = 0.01
# Messy rows (messy.py): the title prefix first, then who and how long; album only agrees.
MESSY_W_TITLE, MESSY_W_ARTIST, MESSY_W_DURATION, MESSY_W_ALBUM = 0.50, 0.30, 0.14, 0.06
# Words after a candidate's title that are neither its artist nor its album: the row's title may
# be a longer one ("I" against "I Don't Believe You").
UNEXPLAINED_PENALTY = 0.10


class Features(NamedTuple):
    """A track reduced to what scoring compares; computed once per source or candidate (a
    named tuple: cheaper to build than a frozen dataclass)."""

    title: TitleParts
    artists: tuple[str, ...]
    artist_set: frozenset[str]
    album: str
    album_words: frozenset[str]
    duration_s: float | None
    isrc: str
    explicit: bool | None
    # Only for text in another script than Latin ("" and empty otherwise, so that Latin-only
    # tracks pay nothing): the title core in Latin letters without spaces, and every name the
    # artists go by (their names, Latin forms and known other names).
    title_latin: tuple[str, ...] = ()
    artist_keys: frozenset[str] = frozenset()
    # What the album's "[Explicit]"/"[Clean]" tag says of the edition, apart from the track's own
    # flag: a clean song sits on both the explicit and the clean edition of an album (one
    # recording, one ISRC, explicit=False on both), and only the album tag tells them apart.
    album_explicit: bool | None = None


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
    if album_name:
        album, album_explicit, words = album_parts(album_name)
    else:
        album, album_explicit, words = "", None, frozenset()
    if explicit is None:
        # A "[Explicit]" in the title or album speaks when the source's flag is silent.
        explicit = parts.explicit if parts.explicit is not None else album_explicit
    artist_set = frozenset(artists)
    title_latin: tuple[str, ...] = ()
    if not title.isascii() and has_other_script(title):
        title_latin = tuple(
            dict.fromkeys(title_parts(form).core.replace(" ", "") for form in latin_forms(title))
        )
    artist_keys = artist_set
    aliases = [alias for name in artists for alias in artist_aliases(name)]
    if aliases:
        artist_keys = artist_set.union(aliases)
    return Features(
        parts,
        artists,
        artist_set,
        album,
        words,
        duration_ms / 1000 if duration_ms else None,
        isrc.strip().upper() if isrc else "",
        explicit,
        title_latin,
        artist_keys if artist_keys is not artist_set else _NO_KEYS,
        album_explicit,
    )


_NO_KEYS: frozenset[str] = frozenset()


def source_features(track: TrackRecord) -> Features:
    return _features(
        track.title, track.artists, track.album, track.duration_ms, track.isrc, track.explicit
    )


# Catalog tracks by id: a catalog track is the same object in every chunk and every job of a
# worker, so its features are computed once per process. The candidate is kept beside them so
# that an id whose listing changed (another catalog, a test) is recomputed, not trusted.
_CANDIDATES: dict[str, tuple[Candidate, Features]] = {}
CANDIDATE_CACHE_SIZE = 200_000


def known_candidate_features(c: Candidate) -> Features | None:
    """The candidate's features if they are cached already, else None."""
    known = _CANDIDATES.get(c.id)
    if known is not None and (known[0] is c or known[0] == c):
        return known[1]
    return None


# A candidate whose title is this unlike a clean row's scores 0.0 whatever else agrees: the
# weighted mean is at most 0.45 t + 0.55 (every other signal at 1.0) and the title gate takes
# (0.85 - t) * 1.5 off, which leaves less than zero for any t below 0.3718; every other term
# only takes off, except an equal ISRC (such candidates are never judged by title alone).
SURE_ZERO_TITLE = 0.35


def sure_zero(src: Features, c: Candidate) -> bool:
    """Whether measure_features(src, features of c) is certainly 0.0, from the titles alone:
    the cascade then computes the rest of c's features only if the decision shows c."""
    if src.title_latin or not c.title.isascii():
        return False  # titles in other scripts are also compared in Latin letters
    if src.isrc and c.isrc and c.isrc.strip().upper() == src.isrc:
        return False
    theirs = title_parts(c.title)
    mine = src.title
    if mine.core == theirs.core:
        return False
    alike = max(ratio(mine.core, theirs.core), ratio(mine.sorted_core, theirs.sorted_core)) / 100
    return alike < SURE_ZERO_TITLE


def candidate_features(c: Candidate) -> Features:
    known = _CANDIDATES.get(c.id)
    if known is not None and (known[0] is c or known[0] == c):
        return known[1]
    features = _features(c.title, c.artists, c.album, c.duration_ms, c.isrc, c.explicit)
    if len(_CANDIDATES) >= CANDIDATE_CACHE_SIZE:
        _CANDIDATES.clear()  # a crude bound; a long-lived worker refills it in one chunk
    _CANDIDATES[c.id] = (c, features)
    return features


def clear_caches() -> None:
    """Forget every cached normalisation (benchmarks measure a cold start with this)."""
    _CANDIDATES.clear()
    _ARTIST_PAIRS.clear()
    _ALBUM_PAIRS.clear()
    for cache in (_TITLE_SIGNALS, _ARTIST_SIGNALS, _DURATION_SIGNALS, _ALBUM_SIGNALS):
        cache.clear()
    for cached in (title_parts, split_artists, album_parts, latin_forms, artist_aliases):
        cached.cache_clear()


def score_candidate(track: TrackRecord, candidate: Candidate) -> ScoredCandidate:
    measure = measurer(track)(candidate_features(candidate))
    return ScoredCandidate(candidate, measure.score, signals(measure))


def measurer(track: TrackRecord) -> Callable[[Features], Measure]:
    """How candidates are measured against this row: field by field for a clean row, by
    containment for a messy one (``messy.py``)."""
    messy = read_messy(track)
    if messy is not None:
        return functools.partial(measure_messy, messy)
    return functools.partial(measure_features, source_features(track))


class Measure(NamedTuple):
    """What comparing two tracks found, before it is worded: cheap to build for every
    candidate, while the wording (``signals``) is only built for the few that are shown."""

    score: float
    title: float
    artists: float | None
    gap: float | None
    album: float | None
    versions: str  # "" or the worded difference
    detail: str  # "" or the other version's words
    numbers_differ: bool
    edition: str  # "" or the worded edition difference
    isrc: bool | None  # None: not compared
    messy: str = ""  # for a messy row: how the candidate sits in its text


def score_features(src: Features, candidate: Candidate, cand: Features) -> ScoredCandidate:
    measure = measure_features(src, cand)
    return ScoredCandidate(candidate, measure.score, signals(measure))


def measure_features(src: Features, cand: Features) -> Measure:
    title = 1.0 if src.title.core == cand.title.core else _title_similarity(src, cand)
    weighted = W_TITLE * title
    weight_total = W_TITLE

    artists: float | None = None
    if src.artists and cand.artists:
        artists = _artist_similarity(src, cand)
        weighted += W_ARTISTS * artists
        weight_total += W_ARTISTS

    gap: float | None = None
    if src.duration_s is not None and cand.duration_s is not None:
        gap = abs(src.duration_s - cand.duration_s)
        weighted += W_DURATION * _duration_similarity(gap)
        weight_total += W_DURATION

    other_edition = False
    album: float | None = None
    if src.album and cand.album:
        album = 1.0 if src.album == cand.album else _album_similarity(src.album, cand.album)
        weighted += W_ALBUM * album
        weight_total += W_ALBUM
        # Only among editions of the album the source names (the album signal is full).
        other_edition = album >= 0.999 and src.album_words != cand.album_words

    score = weighted / weight_total
    if other_edition:
        score -= EDITION_PENALTY
    if title < TITLE_GATE:
        # Same artist, same length and album is how *another song from the same album* looks;
        # only the title tells them apart, so a clearly different title sinks the score.
        score -= (TITLE_GATE - title) * 1.5

    versions = detail = ""
    st, ct = src.title, cand.title
    if st.versions != ct.versions:
        only_src = (st.versions - ct.versions) - SAME_RECORDING_TAGS
        only_cand = (ct.versions - st.versions) - SAME_RECORDING_TAGS
        if only_src or only_cand:
            score -= VERSION_PENALTY * min(2, len(only_src) + len(only_cand))
            diff = ", ".join(sorted(only_cand)) if only_cand else ", ".join(sorted(only_src))
            side = "the match is" if only_cand else "the source is"
            versions = f"version differs: {side} {diff}"
    if not versions and st.detail and ct.detail and token_set_ratio(st.detail, ct.detail) < 80:
        score -= DETAIL_PENALTY
        detail = ct.detail

    numbers_differ = st.numbers != ct.numbers
    if numbers_differ:
        score -= NUMBER_PENALTY

    edition = ""
    if src.explicit is not None and cand.explicit is not None and src.explicit != cand.explicit:
        score -= EXPLICIT_PENALTY
        edition = f"source wants the {'explicit' if src.explicit else 'clean'} edition"
    elif src.explicit is None and cand.explicit is False:
        score -= UNSPECIFIED_CLEAN_PENALTY
        edition = "clean edition (original preferred)"
    elif cand.explicit is False and cand.album_explicit is not None:
        # The edition the source's album names, else the original one.
        wanted = src.album_explicit if src.album_explicit is not None else True
        if cand.album_explicit != wanted:
            score -= CLEAN_EDITION_PENALTY
            edition = f"{'clean' if wanted else 'explicit'} edition of the album " + (
                "(original preferred)" if src.album_explicit is None else "(source names the other)"
            )

    isrc: bool | None = None
    if src.isrc and cand.isrc:
        isrc = src.isrc == cand.isrc
        # An equal ISRC is the recording's identity; artist and duration only guard typos.
        if (
            isrc
            and (artists is None or artists >= 0.5)
            and (gap is None or _duration_similarity(gap) >= 0.4)
        ):
            score = max(score, 0.97)

    score = 0.0 if score < 0.0 else 1.0 if score > 1.0 else score
    return Measure(
        score, title, artists, gap, album, versions, detail, numbers_differ, edition, isrc
    )


def measure_messy(src: MessySource, cand: Features) -> Measure:
    """A messy row against a candidate: containment anchored on the candidate (see messy.py)."""
    names = candidate_names(cand.artists, cand.artist_keys)
    found = contain(src, cand.title.core.replace(" ", ""), cand.title_latin, names, cand.album)
    title = found.title
    weighted = MESSY_W_TITLE * title
    weight_total = MESSY_W_TITLE

    artists: float | None = None
    if cand.artists:
        artists = 1.0 if found.artist_found else 0.0
        if not found.artist_found and src.artists:
            artists = max(_best(src.artists[0], tuple(names)), 0.0)
        weighted += MESSY_W_ARTIST * artists
        weight_total += MESSY_W_ARTIST

    gap: float | None = None
    if src.duration_s is not None and cand.duration_s is not None:
        gap = abs(src.duration_s - cand.duration_s)
        weighted += MESSY_W_DURATION * _duration_similarity(gap)
        weight_total += MESSY_W_DURATION

    album: float | None = None
    other_edition = False
    if src.track.album and cand.album:
        # An album field of its own: compared as in a clean row.
        src_album, _, src_words = album_parts(src.track.album)
        if src_album:
            album = 1.0 if src_album == cand.album else token_set_ratio(src_album, cand.album) / 100
            other_edition = album >= 0.999 and src_words != cand.album_words
    if found.album_found:
        album = 1.0
    if album is not None and album >= 0.8:
        # Agreement only; an album not named says nothing (most messy rows name none).
        weighted += MESSY_W_ALBUM * album
        weight_total += MESSY_W_ALBUM

    score = weighted / weight_total
    if other_edition:
        score -= EDITION_PENALTY
    if title < TITLE_GATE:
        score -= (TITLE_GATE - title) * 1.5
    if found.full_title and not found.explained_end:
        score -= UNEXPLAINED_PENALTY

    versions = detail = ""
    if found.full_title:
        src_versions, src_detail, src_explicit = versions_after(cand.title.core, found.decorations)
    else:
        src_versions, src_detail, src_explicit = frozenset(), "", None
    cand_versions = cand.title.versions - SAME_RECORDING_TAGS
    if src_versions != cand_versions:
        only_src, only_cand = src_versions - cand_versions, cand_versions - src_versions
        score -= VERSION_PENALTY * min(2, len(only_src) + len(only_cand))
        diff = ", ".join(sorted(only_cand)) if only_cand else ", ".join(sorted(only_src))
        side = "the match is" if only_cand else "the source is"
        versions = f"version differs: {side} {diff}"
    elif src_detail and cand.title.detail and token_set_ratio(src_detail, cand.title.detail) < 80:
        score -= DETAIL_PENALTY
        detail = cand.title.detail

    edition = ""
    explicit = src.track.explicit if src.track.explicit is not None else src_explicit
    if explicit is not None and cand.explicit is not None and explicit != cand.explicit:
        score -= EXPLICIT_PENALTY
        edition = f"source wants the {'explicit' if explicit else 'clean'} edition"
    elif explicit is None and cand.explicit is False:
        score -= UNSPECIFIED_CLEAN_PENALTY
        edition = "clean edition (original preferred)"
    elif explicit is False and cand.explicit is False and cand.album_explicit is False:
        score -= CLEAN_EDITION_PENALTY
        edition = "clean edition of the album (original preferred)"

    sure = (
        found.full_title
        and found.explained_end
        and (found.artist_found or (gap is not None and gap <= DURATION_AGREES_S))
        and not versions
    )
    if not sure:
        score = min(score, UNSURE_CAP)
    score = 0.0 if score < 0.0 else 1.0 if score > 1.0 else score
    note = _messy_note(src, found, sure)
    return Measure(score, title, artists, gap, album, versions, detail, False, edition, None, note)


def _messy_note(src: MessySource, found: Containment, sure: bool) -> str:
    where = (
        "its title starts the source text"
        if found.full_title
        else f"its title only partly starts the source text ({found.title:.0%})"
    )
    bits = [where]
    if found.artist_found:
        bits.append("its artist is named in it")
    if found.album_found:
        bits.append("so is its album")
    if found.full_title and not found.explained_end:
        bits.append("more words follow the title")
    if not sure:
        bits.append("not sure enough to accept without review")
    return f"messy row ({', '.join(src.reasons)}): " + "; ".join(bits)


def signals(m: Measure) -> tuple[Signal, ...]:
    """The measure worded for people, one signal per piece of evidence."""
    found = [_title_signal(m.title)]
    if m.messy:
        found.append(Signal("messy", None, m.messy, m.score > UNSURE_CAP))
    if m.artists is not None:
        found.append(_artist_signal(m.artists))
    if m.gap is not None:
        found.append(_duration_signal(m.gap))
    if m.album is not None:
        found.append(_album_signal(m.album))
    if m.versions:
        found.append(Signal("version", None, m.versions, False))
    elif m.detail:
        found.append(Signal("version", None, f'another version: "{m.detail}"', False))
    if m.numbers_differ:
        found.append(_NUMBERING)
    if m.edition:
        found.append(Signal("edition", None, m.edition, False))
    if m.isrc is not None:
        found.append(_SAME_ISRC if m.isrc else _OTHER_ISRC)
    return tuple(found)


_NUMBERING = Signal("numbering", None, "part or number in the title differs", False)
_SAME_ISRC = Signal("isrc", 1.0, "same ISRC", True)
_OTHER_ISRC = Signal("isrc", 0.0, "different ISRC", False)
# Signals are pure functions of one number and every decision words five candidates: the
# worded signal of each value is kept (similarities and gaps take few distinct values).
_SIGNAL_CACHE_SIZE = 50_000
_TITLE_SIGNALS: dict[float, Signal] = {}
_ARTIST_SIGNALS: dict[float, Signal] = {}
_DURATION_SIGNALS: dict[float, Signal] = {}
_ALBUM_SIGNALS: dict[float, Signal] = {}


def _title_signal(score: float) -> Signal:
    known = _TITLE_SIGNALS.get(score)
    if known is None:
        known = _remember(
            _TITLE_SIGNALS, score, Signal("title", score, _title_note(score), score >= 0.9)
        )
    return known


def _artist_signal(score: float) -> Signal:
    known = _ARTIST_SIGNALS.get(score)
    if known is None:
        signal = Signal("artists", score, _artist_note(score), score >= 0.85)
        known = _remember(_ARTIST_SIGNALS, score, signal)
    return known


def _duration_signal(gap: float) -> Signal:
    known = _DURATION_SIGNALS.get(gap)
    if known is None:
        duration = _duration_similarity(gap)
        signal = Signal("duration", duration, _duration_note(gap), duration >= 0.85)
        known = _remember(_DURATION_SIGNALS, gap, signal)
    return known


def _album_signal(score: float) -> Signal:
    known = _ALBUM_SIGNALS.get(score)
    if known is None:
        known = _remember(
            _ALBUM_SIGNALS, score, Signal("album", score, _album_note(score), score >= 0.8)
        )
    return known


def _remember(cache: dict[float, Signal], key: float, signal: Signal) -> Signal:
    if len(cache) >= _SIGNAL_CACHE_SIZE:
        cache.clear()
    cache[key] = signal
    return signal


def same_recording(a: Features, b: Features) -> bool:
    """Two catalog entries of one recording: other edition, explicit/clean twin, reissue."""
    if a.title.core != b.title.core:
        return False
    if a.artist_set != b.artist_set and (
        not (a.artist_keys or b.artist_keys)
        or (a.artist_keys or a.artist_set).isdisjoint(b.artist_keys or b.artist_set)
    ):
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


def _title_similarity(src: Features, cand: Features) -> float:
    a, b = src.title.core, cand.title.core
    if a == b:
        return 1.0
    # token_sort_ratio(a, b) is the ratio of the sorted words, sorted once per title.
    similarity = max(ratio(a, b), ratio(src.title.sorted_core, cand.title.sorted_core)) / 100
    if similarity < 1.0 and (src.title_latin or cand.title_latin):
        similarity = max(similarity, _across_scripts(src, cand))
    return similarity


# A title matched only by the Latin name in the other's brackets ("Boy In Luv" against
# "상남자 (Boy In Luv)") is very likely the song, but less sure than the same title.
ALTERNATE_TITLE = 0.92


def _across_scripts(src: Features, cand: Features) -> float:
    """Different scripts (or one side transliterated): compare Latin forms, and the Latin name a
    title in another script gives in brackets."""
    best = 0.0
    mine = src.title_latin or (src.title.core.replace(" ", ""),)
    theirs = cand.title_latin or (cand.title.core.replace(" ", ""),)
    for la in mine:
        for lb in theirs:
            best = max(best, 1.0 if la == lb else ratio(la, lb) / 100)
    for alternate, core in (
        (cand.title.alternate, src.title.core),
        (src.title.alternate, cand.title.core),
    ):
        if alternate:
            alike = 1.0 if alternate == core else ratio(alternate, core) / 100
            best = max(best, alike * ALTERNATE_TITLE)
    return best


def _artist_similarity(src: Features, cand: Features) -> float:
    # Artists repeat across a library (an album's tracks, an artist's songs), and so do the
    # pairs compared: remember them.
    key = (src.artists, cand.artists)
    known = _ARTIST_PAIRS.get(key)
    if known is None:
        known = _ARTIST_PAIRS[key] = _compare_artists(src, cand)
        if len(_ARTIST_PAIRS) > CANDIDATE_CACHE_SIZE:
            _ARTIST_PAIRS.clear()
    return known


_ARTIST_PAIRS: dict[tuple[tuple[str, ...], tuple[str, ...]], float] = {}
_ALBUM_PAIRS: dict[tuple[str, str], float] = {}


def _album_similarity(a: str, b: str) -> float:
    # Albums repeat across a library as artists do.
    known = _ALBUM_PAIRS.get((a, b))
    if known is None:
        known = _ALBUM_PAIRS[(a, b)] = token_set_ratio(a, b) / 100
        if len(_ALBUM_PAIRS) > CANDIDATE_CACHE_SIZE:
            _ALBUM_PAIRS.clear()
    return known


def _compare_artists(src: Features, cand: Features) -> float:
    if src.artist_set & cand.artist_set:
        # The lead artist weighs most; others add coverage.
        first = src.artists[0]
        if first in cand.artist_set or (
            cand.artist_keys and not cand.artist_keys.isdisjoint((first, *artist_aliases(first)))
        ):
            lead = 1.0
        else:
            lead = _best(first, cand.artists)
        shared = len(src.artist_set & cand.artist_set) / max(len(src.artist_set), 1)
        return 0.75 * lead + 0.25 * max(shared, lead * 0.5)
    if src.artist_keys or cand.artist_keys:
        # Other names and scripts: "BTS" and "방탄소년단", "Kino" and "Кино".
        theirs = cand.artist_keys or cand.artist_set
        known = [
            name for name in src.artists if not theirs.isdisjoint((name, *artist_aliases(name)))
        ]
        if known:
            lead = 1.0 if known[0] == src.artists[0] else 0.85
            shared = len(known) / len(src.artists)
            return 0.75 * lead + 0.25 * max(shared, lead * 0.5)
    lead = _best(src.artists[0], cand.artists)
    whole = token_set_ratio(" ".join(src.artists), " ".join(cand.artists)) / 100
    return max(lead, whole * 0.9)


def _best(name: str, others: tuple[str, ...]) -> float:
    if len(others) == 1:
        return ratio(name, others[0]) / 100  # one credited artist: most tracks
    return max((ratio(name, other) / 100 for other in others), default=0.0)


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
