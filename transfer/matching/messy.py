"""Messy rows: titles with other fields jammed in, missing or made-up artists, video titles.

Exports from video sites, text lists, tag-less file names and broken CSVs give rows like
``Halcyon Ellie Goulding $ 1.29 ℗ 2013 Polydor Ltd. ( UK )`` with no artist, or
``Kino - Gruppa krovi (Official Video) [HD]`` by ``KinoVEVO``. Field-by-field scoring finds nothing
in them: the "title" is mostly not a title. Such a row takes its own path:

1. ``read_messy`` says whether a row is messy and why (``reasons``); clean rows never come here,
   so their path and scores stay as they were.
2. Typed fields are pulled out before any parsing: a ``m:ss`` duration, prices, dates and years,
   copyright and label text, genre lists, and video decorations (``Official Video``, ``HD``,
   ``VEVO``, `` - Topic``, ``|`` segments). What remains is the row's ``text``.
3. ``Artist - Title``, ``Title - Artist`` and ``Title by Artist`` are hypotheses: the cascade
   searches for each, and with free text on the cleaned string.
4. Each candidate is scored by containment anchored on the candidate: does its title start the
   text (or start right after its artist's name)? Its artist or album found elsewhere in the
   text agrees; version words right after the title (remix, live, karaoke ...) and the
   duration count as in a clean row. A candidate is only accepted with a title prefix, its
   artist found or the duration within 2 s, and nothing unexplained right after the title;
   anything weaker is capped below every match threshold, so it can only go to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from transfer.formats.records import TrackRecord
from transfer.matching.normalize import (
    SAME_RECORDING_TAGS,
    detokenise,
    fold,
    split_artists,
    squash,
    title_parts,
)
from transfer.matching.scripts import artist_aliases

# A messy row that misses the acceptance rule scores at most this: below the lenient policy's
# match threshold (0.72), so whatever the strictness it goes to review, never straight through.
UNSURE_CAP = 0.70
DURATION_AGREES_S = 2.0
LONG_TITLE_CHARS = 80
LONG_TITLE_WORDS = 14

_DURATION = re.compile(r"(?<![\d:.,])(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?![\d:])")
_PRICE = re.compile(
    r"(?:[$€£¥]\s*\d+(?:[.,]\s?\d{2})?|\busd\s*\d+(?:[.,]\s?\d{2})?"
    r"|\b\d+[.,]\d{2}\s?(?:usd|eur|gbp)\b)"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = re.compile(
    rf"\b\d{{1,2}}-{_MONTH}-\d{{2,4}}\b|\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
    rf"|\b{_MONTH}\s\d{{1,2}}\s?,\s?(?:19|20)\d\d\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# ©, ℗, (C), (P) and "‰ ãÑ" (℗ read with the wrong code page, as in some exports) start a
# copyright line that runs to the end of the text.
_COPYRIGHT_MARK = re.compile(r"[©℗]|\(\s?[cp]\s?\)|‰\s?[ãa][ñn]|\ball rights reserved\b")
_LABEL_LINE = re.compile(
    r"\b(?:19|20)\d\d\s+(?:[^\s]+\s+){0,6}?(?:records|recordings|entertainment|music group"
    r"|music entertainment|ltd|llc|inc|corporation|label|under exclusive licen[cs]e)\b"
)
_GENRE_ITEM = r"[a-z&/\-]+(?:\s[a-z&/\-]+){0,2}"
# iTunes-style genre lists always name "Music": "Country , Music , Honky Tonk". Before "Music"
# only one genre ("Pop", "Hip-Hop/Rap", "R&B / Soul"): more words there are the title's.
_GENRES = re.compile(rf"(?:(?:[a-z&\-]+\s/\s)?[a-z&/\-]+\s?,\s?)?\bmusic(?:\s?,\s?{_GENRE_ITEM})+")
_VIDEO_WORDS = (
    r"official|video|audio|lyric|lyrics|visuali[sz]er|hd|hq|4k|1080p|720p|mv|m/v|clip|videoclip"
)
_VIDEO_BRACKETS = re.compile(rf"[\(\[][^\)\]]*\b(?:{_VIDEO_WORDS})\b[^\)\]]*[\)\]]")
_VIDEO_TAIL = re.compile(
    r"\b(?:official\s(?:music\s)?(?:video|audio|lyric video|visuali[sz]er)|lyric video"
    r"|music video|with lyrics)\b"
)
_CHANNEL = re.compile(r"\s?-\s?topic$|vevo$|\bofficial$|\bofficial channel$")
_SUSPICIOUS_ARTIST = re.compile(
    r"^(?:unknown(?: artist)?|various(?: artists)?|va|n/?a|none|null|artist|-|\?+|#name \?)$"
)
_DASH = re.compile(r"\s[-\u2013\u2014~]\s|\s[-\u2013\u2014]|[-\u2013\u2014]\s")
_BY = re.compile(r"\sby\s")
_TOKEN = re.compile(r"[\(\[]|[\)\]]|[^\W_]+(?:'[^\W_]+)*")
# Without one of these a title cannot hold a field, a video word or a shape, and an artist
# cannot look made up: the quick test that lets clean rows through at once.
_MAYBE_MESSY = re.compile(r"[\d$€£¥©℗‰|:~\u2013\u2014#]|\s-|-\s|\(\s?[cp]\s?\)")
_MESSY_WORDS = frozenset(
    {
        *("music", "official", "video", "audio", "lyric", "lyrics", "visualizer", "visualiser"),
        *("hd", "hq", "mv", "m/v", "clip", "videoclip", "by", "rights", "usd"),
    }
)
_WORD_BREAKS = str.maketrans({c: " " for c in "()[]{}.,;!?+&\"'"})
_MAYBE_SUSPICIOUS = re.compile(
    r"\d|[:$€£¥?#]|\btopic\b|vevo|\bofficial|\bunknown\b|\bvarious\b|^(?:va|n/?a|none|null|artist|-)$"
)
_OPEN, _CLOSE = "(", ")"
_OPENERS, _CLOSERS = frozenset("(["), frozenset(")]")


@dataclass(frozen=True, slots=True)
class MessySource:
    """A messy row read once: its cleaned text as words, the fields found in it, hypotheses."""

    track: TrackRecord
    reasons: tuple[str, ...]
    # The title with typed fields and decorations removed, as folded words; brackets are
    # kept as "(" and ")" tokens so that versions right after a title can be read.
    words: tuple[str, ...]
    # The same text for searching: no brackets' video words, no years.
    query_text: str
    duration_s: float | None
    # The artist field when it looks like an artist, split; and the whole cleaned field.
    artists: tuple[str, ...]
    artist_text: str
    album_text: str
    # (title, artist) guesses from "Artist - Title", "Title - Artist", "Title by Artist".
    hypotheses: tuple[tuple[str, str], ...]

    @property
    def joined(self) -> str:
        return " ".join(w for w in self.words if w not in (_OPEN, _CLOSE))


def messy_reasons(track: TrackRecord) -> tuple[str, ...]:
    """Why a row is messy; empty for a clean row (which keeps the field-by-field path)."""
    title = track.title
    artist = ", ".join(a for a in track.artists if a.strip())
    if artist and len(title) <= LONG_TITLE_CHARS:
        lowered = title.lower()
        if (
            not _MAYBE_MESSY.search(lowered)
            and _MESSY_WORDS.isdisjoint(lowered.translate(_WORD_BREAKS).split())
            and not _MAYBE_SUSPICIOUS.search(artist.lower())
        ):
            return ()  # the common case, settled at once
    reasons: list[str] = []
    if not artist.strip():
        reasons.append("no artist")
    elif _suspicious_artist(artist):
        reasons.append("suspicious artist")
    folded = _fold(title)
    bare = _BRACKETED.sub(" ", title)
    if len(bare) > LONG_TITLE_CHARS or len(bare.split()) > LONG_TITLE_WORDS:
        reasons.append("overlong title")
    if _DURATION.search(folded):
        reasons.append("a duration in the title")
    if _PRICE.search(folded):
        reasons.append("a price in the title")
    if _DATE.search(folded):
        reasons.append("a date in the title")
    if _COPYRIGHT_MARK.search(folded) or _LABEL_LINE.search(folded):
        reasons.append("copyright in the title")
    if _GENRES.search(folded):
        reasons.append("genres in the title")
    if _VIDEO_BRACKETS.search(folded) or _VIDEO_TAIL.search(folded) or "|" in folded:
        reasons.append("a video title")
    dash = _DASH.search(folded)
    if dash and not _version_suffix(folded[dash.end() :]):
        # A dash in a clean row's title is often the title's own ("First - Return to
        # Tackyland"): it is a shape only with no artist to go by, or when a side is the artist.
        sides = {squash(folded[: dash.start()]), squash(folded[dash.end() :])}
        credited = {squash(fold(a)) for a in track.artists}
        if not artist.strip() or reasons or sides & credited:
            reasons.append("an 'Artist - Title' shape")
    elif not artist.strip() and _BY.search(folded):
        reasons.append("a 'Title by Artist' shape")
    return tuple(reasons)


def _fold(text: str) -> str:
    # fold() reads "$" as "s" (Ke$ha, A$AP Rocky); here a "$" is a price.
    return fold(text.replace("$", " usd ")) if "$" in text else fold(text)


def _suspicious_artist(artist: str) -> bool:
    text = fold(artist).strip()
    return bool(
        _SUSPICIOUS_ARTIST.match(text)
        or _CHANNEL.search(text)
        or _DURATION.search(text)
        or _PRICE.search(text)
        or len(text) > LONG_TITLE_CHARS
    )


def _version_suffix(text: str) -> bool:
    """' - Remastered 2011', ' - Live': a dash that names a version, not an artist."""
    parts = title_parts(f"x - {text}")
    return parts.core == "x"


def read_messy(track: TrackRecord) -> MessySource | None:
    """The row read as a messy one, or None when it is clean."""
    reasons = messy_reasons(track)
    if not reasons:
        return None
    text = detokenise(_fold(track.title))
    duration_s = track.duration_ms / 1000 if track.duration_ms else None
    found = _DURATION.search(text)
    if found and duration_s is None:
        hours_or_minutes, seconds, more = found.groups()
        duration_s = (
            int(hours_or_minutes) * 3600 + int(seconds) * 60 + int(more)
            if more
            else int(hours_or_minutes) * 60 + int(seconds)
        )
    text = _strip_fields(text)
    segments = [s.strip() for s in text.split("|") if s.strip()]
    title_text = segments[0] if segments else ""
    artist_field = ", ".join(a for a in track.artists if a.strip())
    artist_clean = _CHANNEL.sub("", fold(artist_field).strip()).strip()
    artists: tuple[str, ...] = ()
    if artist_field.strip() and not _suspicious_artist(artist_field):
        artists = split_artists(artist_field)
    hypotheses: list[tuple[str, str]] = []
    if artists:
        hypotheses.append((title_text, artists[0]))
    dash = _DASH.search(title_text)
    if dash:
        left, right = title_text[: dash.start()].strip(), title_text[dash.end() :].strip()
        if left and right:
            hypotheses.append((right, left))
            hypotheses.append((left, right))
    elif not artists:
        by = _BY.search(title_text)
        if by:
            hypotheses.append((title_text[: by.start()].strip(), title_text[by.end() :].strip()))
    words = tuple(_words(" ".join(segments)))
    query = squash(_YEAR.sub(" ", _BRACKETS_ANY.sub(" ", title_text)))
    return MessySource(
        track=track,
        reasons=reasons,
        words=words,
        query_text=" ".join(query.split()[:12]),
        duration_s=duration_s,
        artists=artists,
        artist_text=squash(artist_clean),
        album_text=squash(fold(track.album)) if track.album else "",
        hypotheses=tuple((squash(t), squash(a)) for t, a in hypotheses if squash(t) and squash(a))[
            :3
        ],
    )


_BRACKETS_ANY = re.compile(r"[\(\[\)\]]")
_BRACKETED = re.compile(r"[\(\[][^\)\]]*[\)\]]")


def _strip_fields(text: str) -> str:
    """The text without typed fields: durations, prices, dates, copyright, genres, video words."""
    text = _VIDEO_BRACKETS.sub(_unless_version, text)
    text = _VIDEO_TAIL.sub(" ", text)
    text = text.replace("#name ?", " ").replace("#name?", " ")  # a spreadsheet's formula error
    text = _DURATION.sub(" ", text)
    text = _PRICE.sub(" ", text)
    text = _DATE.sub(" ", text)
    mark = _COPYRIGHT_MARK.search(text)
    if mark:
        text = text[: mark.start()]
    label = _LABEL_LINE.search(text)
    if label:
        text = text[: label.start()]
    text = _GENRES.sub(" ", text)
    # Empty brackets left behind by what was taken out.
    return re.sub(r"[\(\[]\s*[\)\]]", " ", text)


def _unless_version(match: re.Match[str]) -> str:
    # "(8D Audio)", "(Sped Up Audio)" name another recording: they stay to be scored.
    versions = title_parts(f"x {match.group(0)}").versions - SAME_RECORDING_TAGS
    return match.group(0) if versions else " "


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in _TOKEN.findall(text.replace("&", " and ")):
        if word in _OPENERS:
            words.append(_OPEN)
        elif word in _CLOSERS:
            words.append(_CLOSE)
        else:
            words.append(word.replace("'", ""))
    return words


@dataclass(frozen=True, slots=True)
class Containment:
    """How a candidate sits in a messy row's text."""

    title: float  # 1.0: the candidate's whole title starts the text (or follows its artist)
    full_title: bool
    title_end: int  # index in words after the title and the decorations right after it
    decorations: str  # the bracketed words right after the title, as a title suffix
    artist_found: bool
    album_found: bool
    explained_end: bool  # what follows the title is the artist, the album, or nothing


def contain(
    src: MessySource,
    title_key: str,
    latin_keys: tuple[str, ...],
    artist_names: frozenset[str],
    album: str,
) -> Containment:
    """Where the candidate's title (``title_key``: its core without spaces) sits in the text."""
    words = src.words
    plain = [i for i, w in enumerate(words) if w not in (_OPEN, _CLOSE)]
    anchors = [0]
    # "Artist - Title": the title starts right after the candidate's artist.
    for name in artist_names:
        end = _phrase_at(words, plain, 0, name.replace(" ", ""))
        if end is None and words and words[0] == "the":
            end = _phrase_at(words, plain, 1, name.replace(" ", ""))
        if end is not None:
            anchors.append(end)
    best = (0.0, False, 0)
    for anchor in anchors:
        for key in (title_key, *latin_keys):
            if not key:
                continue
            end = _phrase_at(words, plain, anchor, key)
            if end is not None:
                best = (1.0, True, end)
                break
            similarity = _prefix_similarity(words, plain, anchor, key)
            if similarity > best[0]:
                best = (similarity, False, anchor)
        if best[1]:
            break
    title, full, end = best
    decorations: list[str] = []
    if full:
        # Brackets right after the title are its decorations: "(Acoustic Version)", "[Remix]".
        while end < len(words) and words[end] == _OPEN:
            close = end + 1
            while close < len(words) and words[close] != _CLOSE:
                close += 1
            decorations.append("(" + " ".join(words[end + 1 : close]) + ")")
            end = close + 1
    rest = " " + " ".join(w for w in words[end:] if w not in (_OPEN, _CLOSE)) + " "
    whole = " " + src.joined + " "
    field = f" {src.artist_text} " if src.artist_text else ""
    artist_found = any(
        f" {name} " in whole
        or (
            field
            and (f" {name} " in field or name.replace(" ", "") == src.artist_text.replace(" ", ""))
        )
        for name in artist_names
        if name
    )
    album_found = bool(album) and (
        f" {album} " in whole or (bool(src.album_text) and album in src.album_text)
    )
    following = rest.strip()
    if following.startswith(("by ", "the ")):
        following = following[following.index(" ") + 1 :]
    explained = (
        not following
        or any(following.startswith(name) for name in artist_names if name)
        or (bool(album) and following.startswith(album))
        # What was not taken out as a field: a year opening a release or copyright line.
        or _YEAR.match(following) is not None
    )
    return Containment(
        title, full, end, " ".join(decorations), artist_found, album_found, explained
    )


def _phrase_at(words: tuple[str, ...], plain: list[int], start: int, key: str) -> int | None:
    """The word index just after ``key`` (spaces ignored) when it starts at word ``start``."""
    if not key:
        return None
    acc = ""
    for index in plain:
        if index < start:
            continue
        acc += words[index]
        if len(acc) >= len(key):
            return index + 1 if acc == key else None
        if not key.startswith(acc):
            return None
    return None


def _prefix_similarity(words: tuple[str, ...], plain: list[int], start: int, key: str) -> float:
    text = "".join(words[i] for i in plain if i >= start)
    return ratio(key, text[: len(key)]) / 100 if text else 0.0


def candidate_names(artists: tuple[str, ...], keys: frozenset[str]) -> frozenset[str]:
    names = set(artists) | set(keys)
    for name in artists:
        names.update(artist_aliases(name))
    return frozenset(n for n in names if n)


def versions_after(title: str, decorations: str) -> tuple[frozenset[str], str, bool | None]:
    """The versions, version words and explicit flag of the source's title as the candidate
    reads it: its own title followed by the decorations found right after it."""
    parts = title_parts(f"{title} {decorations}".strip())
    return parts.versions - SAME_RECORDING_TAGS, parts.detail, parts.explicit
