"""Parsing the small values every format spells differently: durations, explicit flags,
track numbers, artist lists and "Artist - Title" lines.

Each parser raises ``ValueError`` with a message fit for a person when the text is not
understood, so a reader can turn it into a warning on the right line and keep the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

DurationUnit = Literal["auto", "ms", "s"]

_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d{1,2})(?:[.,](\d+))?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_ISO = re.compile(r"^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$", re.IGNORECASE)

# A bare number at or above this is milliseconds, below it seconds: no song runs 2.7 hours,
# and a track shorter than ten seconds written in milliseconds is rarer still.
AUTO_MS_THRESHOLD = 10_000


def parse_duration(text: str, unit: DurationUnit = "auto") -> int | None:
    """Milliseconds from "228470" (ms), "228" or "228.4" (s), "3:48", "1:03:48" or "PT3M48S".

    ``unit`` says what a bare number means; "auto" decides by size (see AUTO_MS_THRESHOLD).
    Empty text is None (unknown).
    """
    value = text.strip()
    if not value:
        return None
    clock = _CLOCK.match(value)
    if clock:
        hours_text, minutes_text, seconds_text, fraction = clock.groups()
        hours = int(hours_text or 0)
        minutes, seconds = int(minutes_text), int(seconds_text)
        if seconds >= 60 or (hours_text is not None and minutes >= 60):
            raise ValueError(f"duration {text!r} is not a valid time")
        ms = round(float(f"0.{fraction}") * 1000) if fraction else 0
        return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms
    iso = _ISO.match(value)
    if iso:
        hours_text, minutes_text, seconds_text = iso.groups()
        total = int(hours_text or 0) * 3600 + int(minutes_text or 0) * 60
        return round((total + float(seconds_text or 0)) * 1000)
    if _NUMBER.match(value):
        number = float(value)
        if unit == "ms" or (unit == "auto" and "." not in value and number >= AUTO_MS_THRESHOLD):
            return round(number)
        return round(number * 1000)
    raise ValueError(f"duration {text!r} is not milliseconds, seconds, m:ss or h:mm:ss")


_TRUE = frozenset({"true", "1", "yes", "y", "t", "explicit", "e"})
_FALSE = frozenset({"false", "0", "no", "n", "f", "clean", "c", "notexplicit", "not explicit"})


def parse_explicit(text: str) -> bool | None:
    """True/False from true/false, 1/0, yes/no, Explicit/Clean (any case); empty is None."""
    value = text.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"explicit flag {text!r} is not true/false, yes/no, 1/0 or explicit/clean")


def parse_track_number(text: str) -> int | None:
    """3 from "3", "03" or "3/12" (the ID3 "track/total" form); empty is None."""
    value = text.strip()
    if not value:
        return None
    head = value.split("/", 1)[0].strip()
    if head.isdigit() and head.isascii():
        return int(head)
    raise ValueError(f"track number {text!r} is not a number")


def split_escaped(text: str, separator: str, also: str = "") -> tuple[str, ...]:
    """Split on ``separator`` where a backslash escapes the separator and itself.

    Exportify writes "AC\\,DC" for an artist whose name has a comma. A backslash before any
    other character stays as it is, so names with a lone backslash survive. ``also`` lists
    more characters a backslash escapes (Exportify files escape both "," and ";").
    """
    escapable = (separator, "\\", *also)
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in escapable:
            current.append(text[i + 1])
            i += 2
            continue
        if char == separator:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    items.append("".join(current))
    return tuple(item.strip() for item in items if item.strip())


def join_escaped(
    items: Iterable[str], separator: str, joiner: str | None = None, also: str = ""
) -> str:
    """The inverse of ``split_escaped``; ``joiner`` (default the separator) goes between items."""

    def escape(item: str) -> str:
        item = item.replace("\\", "\\\\")
        for char in (separator, *also):
            item = item.replace(char, "\\" + char)
        return item

    escaped = (escape(item) for item in items)
    return (separator if joiner is None else joiner).join(escaped)


# The separators a line of text or an M3U title may use between artist and title. Hyphen,
# en dash and em dash, each with spaces around it so hyphenated names ("Jay-Z") are not split.
ARTIST_TITLE_SEPARATORS = (" - ", " \u2013 ", " \u2014 ")


def split_artist_title(text: str) -> tuple[str, str] | None:
    """("Artist", "Title") from "Artist - Title", split at the first separator.

    The first one, because titles carry " - " far more often than artist names do
    ("Song - 2011 Remaster"). None when there is no separator or one side is empty.
    """
    best: tuple[int, str] | None = None
    for separator in ARTIST_TITLE_SEPARATORS:
        at = text.find(separator)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, separator)
    if best is None:
        return None
    at, separator = best
    artist, title = text[:at].strip(), text[at + len(separator) :].strip()
    if not artist or not title:
        return None
    return artist, title


def has_artist_title_separator(text: str) -> bool:
    return any(separator in text for separator in ARTIST_TITLE_SEPARATORS)
