# ruff: noqa: RUF001  (the headers below are the exporters' own strings, letters as they wrote them)
"""Exportify CSV, every layout it has written since 2015, in every language it writes.

Two Exportify lines exist and both changed their columns over the years (read from their own
source history):

- watsonbox/exportify: 2015 "Spotify URI","Name","Artist Name","Album Name","Added By",
  "Added At"; then "Track Name" and "Disc Number","Track Number","Track Duration (ms)"; from
  November 2020 "Track URI","Track Name","Artist URI(s)","Artist Name(s)",... with "ISRC"; its
  headers are translated into the person's language (ar, de, el, es, fr, it, ja, nl, pt, sv, tr).
  Artists are joined with ", " and a comma inside a name is escaped as "\\,".
- pavelkomarov/exportify: "Spotify URI" (2019), "Spotify ID" and "Artist IDs" (2019-2024),
  "Track Name" with no id at all (September 2024), "Track ID" (December 2024), "Track URI"
  (April 2025), then "Explicit". Artists were joined with "," until July 2025 and with ";"
  since (commas stay inside names).

Which separator a file uses is decided from its own rows: a file whose artist cells contain
";" and fewer unescaped "," is the 2025 layout. Excel re-saves keep all of this (a byte order
mark, TRUE/FALSE, dates as m/d/yyyy); only the delimiter may change, so it is sniffed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from transfer.formats.errors import FormatError
from transfer.formats.readers.csvgeneric import ColumnMapping, normalise_header

# Header texts per field, normalised (normalise_header). English first, then each language
# watsonbox/exportify has shipped (src/i18n/locales/*/translation.json, all revisions).
_NAMES: dict[str, tuple[str, ...]] = {
    "uri": (
        "track uri",
        "spotify uri",
        "spotify id",
        "track id",
        "رابط الأغنية (uri)",
        "track-uri",
        "uri κομματιού",
        "uri de la canción",
        "uri du titre",
        "uri della traccia",
        "トラックuri",
        "nummer uri",
        "uri da faixa",
        "låtens uri",
        "parça uri",
    ),
    "title": (
        "track name",
        "name",
        "اسم الأغنية",
        "track-name",
        "όνομα κομματιού",
        "nombre de la canción",
        "nom du titre",
        "nome della traccia",
        "トラック名",
        "nummernaam",
        "nummmernaam",
        "nome da faixa",
        "låtens namn",
        "parça adı",
    ),
    "artist": (
        "artist name(s)",
        "artist name",
        "أسماء الفنانين",
        "künstlername(n)",
        "όνομα/τα καλλιτέχνη",
        "nombre(s) del artista",
        "nom(s) de l'artiste",
        "nome dell'artista",
        "アーティスト名",
        "naam van artiest",
        "nome(s) do artista",
        "artistens namn",
        "sanatçı adı",
    ),
    "album": (
        "album name",
        "اسم الألبوم",
        "album-name",
        "όνομα άλμπουμ",
        "nombre del álbum",
        "nom de l'album",
        "nome dell'album",
        "アルバム名",
        "naam van album",
        "nome do álbum",
        "albumets namn",
        "albüm adı",
    ),
    "album_artist": (
        "album artist name(s)",
        "أسماء فناني الألبوم",
        "album-künstlername(n)",
        "όνομα/τα καλλιτέχνη άλμπουμ",
        "nombre(s) del artista del álbum",
        "nom(s) de l'artiste de l'album",
        "nome dell'artista dell'album",
        "アルバムアーティスト名",
        "naam van artiest op het album",
        "nome(s) do artista do álbum",
        "albumartistens namn",
        "albümdeki sanatçı adı",
    ),
    "duration": (
        "track duration (ms)",
        "duration (ms)",
        "مدة الأغنية (بالمللي ثانية)",
        "track-dauer (ms)",
        "διάρκεια κομματιού (ms)",
        "duración de la canción (ms)",
        "durée du titre (ms)",
        "durata della traccia (ms)",
        "トラックの長さ（ミリ秒）",
        "nummerduur (ms)",
        "nummmerduur (ms)",
        "duração da faixa (ms)",
        "låtlängd (ms)",
        "parça süresi (ms)",
    ),
    "isrc": ("isrc",),
    "explicit": (
        "explicit",
        "صريح",
        "explizit",
        "ακατάλληλο",
        "explícito",
        "explicite",
        "esplicito",
        "明示的な内容",
        "expliciet",
        "explícita",
        "açık i̇çerik",
        "açık içerik",
    ),
    "track_number": (
        "track number",
        "رقم الأغنية",
        "track-nummer",
        "αριθμός κομματιού",
        "número de la canción",
        "numéro du titre",
        "numero della traccia",
        "トラック番号",
        "nummernummer",
        "nummmernummer",
        "número da faixa",
        "låtnummer",
        "parça numarası",
    ),
    "release_date": (
        "album release date",
        "release date",
        "تاريخ إصدار الألبوم",
        "veröffentlichungsdatum des albums",
        "ημερομηνία κυκλοφορίας άλμπουμ",
        "fecha de lanzamiento del álbum",
        "date de sortie de l'album",
        "data di rilascio dell'album",
        "アルバム発売日",
        "releasedatum van het album",
        "data de lançamento do álbum",
        "albumets releasedatum",
        "albüm çıkış tarihi",
    ),
    "added_at": (
        "added at",
        "أضيف في",
        "hinzugefügt am",
        "προστέθηκε στις",
        "añadido en",
        "ajouté le",
        "aggiunto il",
        "追加日時",
        "toegevoegd op",
        "adicionado em",
        "tillagd vid",
        "eklenme tarihi",
    ),
}

# watsonbox's column order since November 2020, whatever the language: used when a header is
# in a language not listed above but the rows are plainly Exportify's (Spotify URIs first).
_WATSONBOX_ORDER = {"uri": 0, "title": 1, "artist": 3, "album": 5, "album_artist": 7}
_TRACK_URI = re.compile(r"^spotify:(track|local|episode):")
_ARTIST_URIS = re.compile(r"^spotify:artist:")


def _find(normalised: Sequence[str], field: str) -> int | None:
    for name in _NAMES[field]:
        if name in normalised:
            return normalised.index(name)
    return None


def is_exportify_header(header: Sequence[str]) -> bool:
    """Any Exportify layout: a track name and artist names, and an id or an album name."""
    names = [normalise_header(name) for name in header]
    title, artist = _find(names, "title"), _find(names, "artist")
    if title is None or artist is None:
        return False
    if names[title] == "name" and "spotify uri" not in names:
        return False  # "Name" alone is too common; 2015's layout always had "Spotify URI"
    return _find(names, "uri") is not None or _find(names, "album") is not None


def looks_like_exportify_rows(sample: Sequence[Sequence[str]]) -> bool:
    """Rows of watsonbox's layout in an unknown language: track URIs, then artist URIs."""
    rows = [row for row in sample[:20] if len(row) > 7]
    if not rows:
        return False
    return all(_TRACK_URI.match(row[0].strip()) for row in rows) and all(
        _ARTIST_URIS.match(row[2].strip()) or not row[2].strip() for row in rows
    )


def artist_separator(cells: Sequence[str]) -> str:
    """ "," or ";", whichever this file's artist cells are joined with (see the docstring)."""
    semicolons = sum(1 for cell in cells if re.search(r"(?<!\\);", cell))
    commas = sum(1 for cell in cells if re.search(r"(?<!\\),", cell))
    return ";" if semicolons and semicolons >= commas else ","


def exportify_mapping(header: list[str], sample: list[list[str]]) -> ColumnMapping:
    names = [normalise_header(name) for name in header]
    found = {field: _find(names, field) for field in _NAMES}
    if found["title"] is None and looks_like_exportify_rows(sample):
        found.update(_WATSONBOX_ORDER)
    if found["title"] is None:
        raise FormatError("This is not an Exportify CSV: it has no 'Track Name' column.", 1)
    artist = found["artist"]
    cells = [row[artist] for row in sample if artist is not None and artist < len(row)]
    separator = artist_separator(cells)

    def column(field: str) -> int | None:
        return found.get(field)

    return ColumnMapping(
        title=column("title"),
        artist=column("artist"),
        album=column("album"),
        album_artist=column("album_artist"),
        duration=column("duration"),
        duration_unit="ms",
        isrc=column("isrc"),
        explicit=column("explicit"),
        track_number=column("track_number"),
        release_date=column("release_date"),
        source_id=column("uri"),
        added_at=column("added_at"),
        artist_separator=separator,
    )
