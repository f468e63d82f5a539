"""Adds catalog records from a CSV file: the engine behind ``sandbox_load_catalog``.

Columns (names are case-insensitive; see sandbox/README.md for the full table): ``title`` and
``artists`` are required; ``album``, ``album_artists``, ``duration`` (seconds, ``m:ss`` or
``h:mm:ss``), ``duration_ms``, ``isrc``, ``explicit``, ``release_date``, ``track_number``,
``disc_number``, ``popularity``, ``label``, ``genre`` and ``version`` are optional. Other
files are mapped with ``column=source`` pairs or the ``amazon-pairs`` preset.

A row updates the track it already describes (same ISRC on the same album, or the same title,
artists and album once case, punctuation, spacing and diacritics are ignored) and otherwise adds
a track, creating its album and artists as needed. Loading a file twice changes nothing the
second time. Parsing is pure; ``CatalogLoader`` writes through a plain sqlite3 cursor inside the
caller's transaction and reindexes what it touched.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sandbox.catalog.credits import CreditSplitter, known_solo_names
from sandbox.catalog.generate import CATEGORY_IDS
from sandbox.catalog.ids import image_url, stable_hash
from sandbox.catalog.text import detokenise
from sandbox.search.index import index_albums, index_artists, index_tracks

COLUMNS = (
    "title",
    "artists",
    "album",
    "album_artists",
    "duration",
    "duration_ms",
    "isrc",
    "explicit",
    "release_date",
    "track_number",
    "disc_number",
    "popularity",
    "label",
    "genre",
    "version",
)
PRESETS: dict[str, dict[str, str]] = {
    # The Amazon side of the iTunes-Amazon benchmark (sandbox/data/itunes_amazon_pairs.csv.gz).
    "amazon-pairs": {
        "title": "amazon_song_name",
        "artists": "amazon_artist_name",
        "album": "amazon_album_name",
        "duration": "amazon_time",
        "release_date": "amazon_released",
        "genre": "amazon_genre",
        "label": "amazon_copyright",
    },
}
DEFAULT_POPULARITY = 40
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_GENRES = (
    ("rap", "hip-hop"),
    ("hip-hop", "hip-hop"),
    ("dance", "dance-electronic"),
    ("electronic", "dance-electronic"),
    ("alternative", "alternative"),
    ("latin", "latin"),
    ("country", "country"),
    ("r&b", "rnb"),
    ("soul", "soul-oldies"),
    ("soundtrack", "soundtracks"),
    ("holiday", "holiday"),
    ("christmas", "holiday"),
    ("christian", "christian"),
    ("gospel", "christian"),
    ("jazz", "jazz"),
    ("rock", "rock"),
    ("pop", "pop"),
)


class LoadError(ValueError):
    """A row or a column mapping that cannot be loaded."""


@dataclass(frozen=True, slots=True)
class LoadRow:
    title: str
    artists: str
    album: str
    album_artists: str
    duration: int
    isrc: str
    explicit: bool
    release_date: date | None
    track_number: int | None
    disc_number: int
    popularity: int
    label: str
    genre: str
    version: str


def match_key(text: str) -> str:
    """Folded letters and digits only, so that "I 'm ( Live )" and "I'm (Live)" agree."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def parse_duration(text: str) -> int | None:
    """Seconds from "245", "4:05" or "1:04:05"."""
    value = text.strip()
    if not value:
        return None
    parts = value.split(":")
    if not all(p.strip().isdigit() for p in parts) or len(parts) > 3:
        raise LoadError(f"duration {text!r} is not seconds, m:ss or h:mm:ss")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


def parse_date(text: str) -> date | None:
    """ISO dates, a bare year, "May 18, 2015" (also tokenised "May 18 , 2015"), "18-May-15"."""
    value = text.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return date(int(value[:4]), int(value[5:]), 1)
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    spelled = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}) ?, ?(\d{4})", value)
    if spelled and spelled.group(1)[:3].lower() in _MONTHS:
        month = _MONTHS[spelled.group(1)[:3].lower()]
        return date(int(spelled.group(3)), month, int(spelled.group(2)))
    try:
        return datetime.strptime(value, "%d-%b-%y").date()
    except ValueError as error:
        raise LoadError(f"release date {text!r} is not a date this loader reads") from error


def parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in ("1", "true", "yes", "y", "explicit"):
        return True
    if value in ("0", "false", "no", "n", "clean"):
        return False
    raise LoadError(f"{text!r} is not true or false")


def parse_int(text: str, name: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise LoadError(f"{name} {text!r} is not a whole number")
    return int(value)


def column_mapping(header: Iterable[str], pairs: Mapping[str, str]) -> dict[str, str]:
    """Our column name -> the file's column name, from the header and ``--columns`` pairs."""
    available = {h.strip().lower(): h for h in header}
    mapping: dict[str, str] = {}
    for ours in COLUMNS:
        source = pairs.get(ours, ours).strip().lower()
        if source in available:
            mapping[ours] = available[source]
        elif ours in pairs:
            raise LoadError(f"column {pairs[ours]!r} (for {ours}) is not in the file")
    unknown = set(pairs) - set(COLUMNS)
    if unknown:
        raise LoadError(f"unknown target columns: {', '.join(sorted(unknown))}")
    for required in ("title", "artists"):
        if required not in mapping:
            raise LoadError(f"the file needs a {required!r} column (or a --columns mapping)")
    return mapping


def parse_row(raw: Mapping[str, str], mapping: Mapping[str, str], detok: bool) -> LoadRow:
    def get(name: str) -> str:
        source = mapping.get(name)
        value = (raw.get(source) or "") if source else ""
        return detokenise(value) if detok and name in ("title", "artists", "album") else value

    title = get("title").strip()
    artists = get("artists").strip()
    if not title or not artists:
        raise LoadError("title and artists must not be empty")
    duration = parse_duration(get("duration"))
    if duration is None and get("duration_ms").strip():
        duration = (parse_int(get("duration_ms"), "duration_ms") or 0) // 1000
    explicit = parse_bool(get("explicit"))
    if explicit is None:
        explicit = bool(re.search(r"\[\s*Explicit\s*\]", title))
    popularity = parse_int(get("popularity"), "popularity")
    label = re.sub(r"^\s*(?:\(\s*[CP]\s*\)\s*)?(?:\d{4}\s*)?", "", get("label")).strip()
    return LoadRow(
        title=title,
        artists=artists,
        album=get("album").strip() or title,
        album_artists=get("album_artists").strip(),
        duration=duration or 0,
        isrc="".join(c for c in get("isrc").upper() if c.isalnum()),
        explicit=explicit,
        release_date=parse_date(get("release_date")),
        track_number=parse_int(get("track_number"), "track_number"),
        disc_number=parse_int(get("disc_number"), "disc_number") or 1,
        popularity=min(100, popularity if popularity is not None else DEFAULT_POPULARITY),
        label=label[:300],
        genre=get("genre").strip(),
        version=get("version").strip()[:32],
    )


def genre_slug(genre: str) -> str | None:
    lowered = genre.lower()
    return next((slug for word, slug in _GENRES if word in lowered), None)


@dataclass(slots=True)
class LoadResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    # (row number, track ASIN, "added" | "updated" | "unchanged")
    rows: list[tuple[int, str, str]] | None = None


class CatalogLoader:
    """Upserts ``LoadRow``s into the catalog tables through one sqlite3 cursor."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor
        self._albums: dict[str, list[int]] = {}
        for album_id, title in cursor.execute("SELECT id, title FROM sandbox_album"):
            self._albums.setdefault(match_key(title), []).append(album_id)
        self._artists: dict[str, int] = {}
        for artist_id, name in cursor.execute("SELECT id, name FROM sandbox_artist"):
            self._artists.setdefault(name, artist_id)
        self._splitter = CreditSplitter(known_solo_names(self._artists))
        self._touched_tracks: set[int] = set()
        self._touched_albums: set[int] = set()
        self._new_artists: set[int] = set()

    # ----- lookups ------------------------------------------------------------------------

    def _existing(self, row: LoadRow) -> tuple[object, ...] | None:
        """The stored track this row describes: (id, duration, isrc, explicit, ...)."""
        # The same ISRC on another album is another release of the recording: a new track.
        album_ids = self._albums.get(match_key(row.album), [])
        if not album_ids:
            return None
        title_key, artist_key = match_key(row.title), match_key(row.artists)
        for found in self._cursor.execute(
            "SELECT id, title, artist_text, duration, isrc, explicit, release_date, popularity "
            "FROM sandbox_track WHERE album_id IN (SELECT value FROM json_each(?))",
            (json.dumps(album_ids),),
        ).fetchall():
            same_isrc = bool(row.isrc) and found[4] == row.isrc
            same_text = match_key(found[1]) == title_key and match_key(found[2]) == artist_key
            if same_isrc or same_text:
                return self._plain(found)
        return None

    @staticmethod
    def _plain(found: tuple[object, ...]) -> tuple[object, ...]:
        # Django's connection converts declared types (date, bool); compare as stored text.
        values = list(found)
        values[5] = int(bool(values[5]))
        values[6] = str(values[6]) if values[6] is not None else None
        return tuple(values)

    def _unique_asin(self, key: str) -> str:
        salt = 0
        while True:
            number = stable_hash(f"load:{key}:{salt}") % 36**8
            digits = []
            for _ in range(8):
                number, digit = divmod(number, 36)
                digits.append("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit])
            asin = "B0" + "".join(digits)
            taken = self._cursor.execute(
                "SELECT 1 FROM sandbox_track WHERE asin = ? UNION ALL "
                "SELECT 1 FROM sandbox_album WHERE asin = ? UNION ALL "
                "SELECT 1 FROM sandbox_artist WHERE asin = ? UNION ALL "
                "SELECT 1 FROM sandbox_playlist WHERE id = ?",
                (asin, asin, asin, asin),
            ).fetchone()
            if taken is None:
                return asin
            salt += 1

    def _unique_isrc(self, row: LoadRow) -> str:
        # "QZ" is the prefix for self-issued codes; the registrant follows the artist.
        registrant = match_key(row.artists).upper()[:3].ljust(3, "X")
        year = (row.release_date.year if row.release_date else 2015) % 100
        salt = 0
        while True:
            number = stable_hash(f"isrc:{row.title}:{row.artists}:{row.album}:{salt}") % 100_000
            isrc = f"QZ{registrant}{year:02d}{number:05d}"
            if not self._cursor.execute(
                "SELECT 1 FROM sandbox_track WHERE isrc = ?", (isrc,)
            ).fetchone():
                return isrc
            salt += 1

    def _artist_ids(self, credit: str) -> list[int]:
        names = self._splitter.split(credit).artists or (credit,)
        ids: list[int] = []
        for name in names:
            artist_id = self._artists.get(name)
            if artist_id is None:
                asin = self._unique_asin(f"artist:{name}")
                self._cursor.execute(
                    "INSERT INTO sandbox_artist (asin, name, image_url) VALUES (?, ?, ?)",
                    (asin, name[:300], image_url(f"artist:{asin}")),
                )
                artist_id = int(self._cursor.lastrowid or 0)
                self._artists[name] = artist_id
                self._new_artists.add(artist_id)
            if artist_id not in ids:
                ids.append(artist_id)
        return ids

    def _album_id(self, row: LoadRow) -> int:
        album_artist = row.album_artists or self._main_credit(row.artists)
        wanted = match_key(album_artist)
        for album_id in self._albums.get(match_key(row.album), []):
            stored = self._cursor.execute(
                "SELECT artist_text FROM sandbox_album WHERE id = ?", (album_id,)
            ).fetchone()
            if stored and match_key(stored[0]) == wanted:
                return album_id
        asin = self._unique_asin(f"album:{row.album}:{album_artist}")
        self._cursor.execute(
            "INSERT INTO sandbox_album (asin, title, artist_text, release_date, label, image_url, "
            "explicit, version, popularity, track_count, duration) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, 0, 0)",
            (
                asin,
                row.album[:400],
                album_artist[:600],
                row.release_date.isoformat() if row.release_date else None,
                row.label,
                image_url(f"album:{asin}"),
                row.explicit,
                row.popularity,
            ),
        )
        album_id = int(self._cursor.lastrowid or 0)
        for position, artist_id in enumerate(self._artist_ids(album_artist)):
            self._cursor.execute(
                "INSERT INTO sandbox_albumartist (album_id, artist_id, position) VALUES (?, ?, ?)",
                (album_id, artist_id, position),
            )
        slug = genre_slug(row.genre)
        if slug:
            self._cursor.execute(
                "INSERT INTO sandbox_category_albums (category_id, album_id) "
                "SELECT id, ? FROM sandbox_category WHERE slug = ?",
                (album_id, slug),
            )
        self._albums.setdefault(match_key(row.album), []).append(album_id)
        return album_id

    def _main_credit(self, credit: str) -> str:
        main = self._splitter.split(credit).main
        return " & ".join(main) if main else credit

    # ----- writes -------------------------------------------------------------------------

    def upsert(self, row: LoadRow) -> tuple[str, str]:
        """Add or update one row; returns (track ASIN, what happened)."""
        found = self._existing(row)
        if found is not None:
            track_id = int(str(found[0]))
            wanted = {
                "title": row.title,
                "artist_text": row.artists,
                "duration": row.duration or found[3],
                "isrc": row.isrc or found[4],
                "explicit": int(row.explicit),
                "release_date": row.release_date.isoformat() if row.release_date else found[6],
            }
            current = dict(
                zip(
                    ("title", "artist_text", "duration", "isrc", "explicit", "release_date"),
                    found[1:7],
                    strict=True,
                )
            )
            asin = self._cursor.execute(
                "SELECT asin FROM sandbox_track WHERE id = ?", (track_id,)
            ).fetchone()[0]
            if current == wanted:
                return asin, "unchanged"
            self._cursor.execute(
                "UPDATE sandbox_track SET title = ?, artist_text = ?, duration = ?, isrc = ?, "
                "isrc_synthetic = CASE WHEN isrc = ? THEN isrc_synthetic ELSE 0 END, "
                "explicit = ?, release_date = ? WHERE id = ?",
                (
                    wanted["title"],
                    wanted["artist_text"],
                    wanted["duration"],
                    wanted["isrc"],
                    wanted["isrc"],
                    wanted["explicit"],
                    wanted["release_date"],
                    track_id,
                ),
            )
            self._touched_tracks.add(track_id)
            return asin, "updated"
        album_id = self._album_id(row)
        key = f"{row.title}\x1f{row.artists}\x1f{row.album}"
        asin = self._unique_asin(f"track:{key}")
        isrc = row.isrc or self._unique_isrc(row)
        number = row.track_number
        if number is None:
            number = (
                self._cursor.execute(
                    "SELECT count(*) FROM sandbox_track WHERE album_id = ?", (album_id,)
                ).fetchone()[0]
                + 1
            )
        self._cursor.execute(
            "INSERT INTO sandbox_track (asin, title, artist_text, album_id, disc_number, "
            "track_number, duration, isrc, isrc_synthetic, explicit, version, popularity, "
            "release_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                asin,
                row.title[:400],
                row.artists[:600],
                album_id,
                row.disc_number,
                number,
                row.duration,
                isrc,
                not row.isrc,
                row.explicit,
                row.version or ("explicit" if row.explicit else ""),
                row.popularity,
                row.release_date.isoformat() if row.release_date else None,
            ),
        )
        track_id = int(self._cursor.lastrowid or 0)
        for position, artist_id in enumerate(self._artist_ids(row.artists)):
            self._cursor.execute(
                "INSERT INTO sandbox_trackartist (track_id, artist_id, position) VALUES (?, ?, ?)",
                (track_id, artist_id, position),
            )
        slug = genre_slug(row.genre)
        if slug and slug in CATEGORY_IDS:
            self._cursor.execute(
                "INSERT INTO sandbox_category_tracks (category_id, track_id) "
                "SELECT id, ? FROM sandbox_category WHERE slug = ?",
                (track_id, slug),
            )
        self._touched_tracks.add(track_id)
        self._touched_albums.add(album_id)
        return asin, "added"

    def finish(self) -> None:
        """Bring album totals and the search index up to date with what was written."""
        for album_id in self._touched_albums:
            self._cursor.execute(
                "UPDATE sandbox_album SET track_count = (SELECT count(*) FROM sandbox_track "
                "WHERE album_id = ?), duration = (SELECT coalesce(sum(duration), 0) FROM "
                "sandbox_track WHERE album_id = ?) WHERE id = ?",
                (album_id, album_id, album_id),
            )
        index_artists(self._cursor, self._new_artists)
        index_albums(self._cursor, self._touched_albums)
        index_tracks(self._cursor, self._touched_tracks)


def load_rows(
    cursor: sqlite3.Cursor, rows: Iterable[tuple[int, LoadRow]], keep_rows: bool = False
) -> LoadResult:
    loader = CatalogLoader(cursor)
    result = LoadResult(rows=[] if keep_rows else None)
    for number, row in rows:
        asin, outcome = loader.upsert(row)
        if outcome == "added":
            result.added += 1
        elif outcome == "updated":
            result.updated += 1
        else:
            result.unchanged += 1
        if result.rows is not None:
            result.rows.append((number, asin, outcome))
    loader.finish()
    return result
