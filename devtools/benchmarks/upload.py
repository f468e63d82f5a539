"""A whole library as one upload: an Exportify CSV of real chart songs, for ``bench_upload``.

The songs and artists are the Billboard Hot 100 songs of ``sandbox/data/`` (32,654 of them),
their albums the same artist's Billboard 200 albums where there is one; to reach a library of
100,000 distinct tracks each song also comes as a remaster, a live and a single version, as
libraries list them. Exportify's layout (19 columns, Spotify URIs, image URL, dates) is the
widest common export, so the file is near the worst case in bytes per track. The ids, ISRCs,
durations and dates are made up, deterministically (the same count always gives the same
file): they are shaped like real ones but name nothing.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "sandbox" / "data"
HEADER = (
    "Track URI",
    "Track Name",
    "Artist URI(s)",
    "Artist Name(s)",
    "Album URI",
    "Album Name",
    "Album Artist URI(s)",
    "Album Artist Name(s)",
    "Album Release Date",
    "Album Image URL",
    "Disc Number",
    "Track Number",
    "Track Duration (ms)",
    "Track Preview URL",
    "Explicit",
    "Popularity",
    "ISRC",
    "Added By",
    "Added At",
)
VARIANTS = ("", " - Remastered", " (Live)", " - Single Version")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _rows(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _id(*parts: str) -> str:
    """A 22-character base-62 id, like Spotify's, from a hash of ``parts``."""
    number = int.from_bytes(hashlib.sha1("|".join(parts).encode()).digest()[:17], "big")
    out = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        out.append(_ALPHABET[digit])
    return "".join(out)


def library_csv(count: int) -> bytes:
    """``count`` distinct tracks (at most four per chart song) as an Exportify CSV."""
    songs = _rows("billboard_hot100_songs.csv.gz")
    if count > len(songs) * len(VARIANTS):
        raise ValueError(f"At most {len(songs) * len(VARIANTS):,} tracks")
    albums: dict[str, list[str]] = {}
    for row in _rows("billboard200_albums.csv.gz"):
        albums.setdefault(row["artist"], []).append(row["album"])
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(HEADER)
    for n in range(count):
        song = songs[n % len(songs)]
        variant = VARIANTS[n // len(songs)]
        title, artist, year = song["song"], song["artist"], song["first_chart_date"][:4]
        digest = hashlib.sha1(f"{n}".encode()).digest()
        own = albums.get(artist)
        album = own[digest[0] % len(own)] if own else f"{title} - Single"
        artist_uri = f"spotify:artist:{_id(artist)}"
        writer.writerow(
            (
                f"spotify:track:{_id(title, artist, variant)}",
                title + variant,
                artist_uri,
                artist,
                f"spotify:album:{_id(album, artist)}",
                album,
                artist_uri,
                artist,
                song["first_chart_date"],
                f"https://i.scdn.co/image/ab67616d0000b273{digest.hex()[:24]}",
                "1",
                str(1 + digest[1] % 14),
                str(150_000 + int.from_bytes(digest[2:4], "big") % 150_000),
                "",
                "true" if digest[4] % 9 == 0 else "false",
                str(digest[5] % 100),
                f"ZZ{_id(title)[:3].upper()}{year[2:]}{n % 100_000:05d}",
                "spotify:user:bench",
                f"{2015 + digest[6] % 10}-{1 + digest[7] % 12:02d}-{1 + digest[8] % 28:02d}T12:00:00Z",
            )
        )
    return out.getvalue().encode()
