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
import re
from dataclasses import dataclass
from pathlib import Path

import requests

from transfer.formats.writers import EXPORTIFY_COLUMNS

DATA = Path(__file__).resolve().parents[2] / "sandbox" / "data"
# The product's own list of Exportify's columns: the file is what its reader expects.
HEADER = EXPORTIFY_COLUMNS
VARIANTS = ("", " - Remastered", " (Live)", " - Single Version")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _rows(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _id(*parts: str) -> str:
    """A 22-character base-62 id, like Spotify's, from a hash of ``parts``."""
    number = int.from_bytes(
        hashlib.blake2b("|".join(parts).encode(), digest_size=17).digest(), "big"
    )
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
        digest = hashlib.blake2b(f"{n}".encode(), digest_size=16).digest()
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
                f"{2015 + digest[6] % 10}-{1 + digest[7] % 12:02d}-{1 + digest[8] % 28:02d}"
                "T12:00:00Z",
            )
        )
    return out.getvalue().encode()


# ---------------------------------------------------------------------------------------------
# Measuring one upload through the running stack (bench_upload)


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a live process, in kB, from /proc."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers), from /proc."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children.extend(map(int, (task / "children").read_text().split()))
    return children


@dataclass
class Session:
    """A signed-in browser, reduced to its cookies: the session and the CSRF token."""

    base_url: str
    session_key: str
    csrf: str = ""

    def headers(self) -> dict[str, str]:
        cookie = f"sessionid={self.session_key}"
        if self.csrf:
            cookie += f"; csrftoken={self.csrf}"
        return {"Cookie": cookie, "Referer": f"{self.base_url}/transfers/new/"}

    def get(self, path: str) -> requests.Response:
        response = requests.get(
            self.base_url + path, headers=self.headers(), allow_redirects=False, timeout=120
        )
        match = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))
        if match:
            self.csrf = match.group(1)
        return response

    def post_upload(self, path: str, name: str, data: bytes) -> requests.Response:
        """The new-transfer form as a browser posts it, with one file."""
        form = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status_code != 200 or token is None:
            raise RuntimeError(f"The new-transfer form did not load ({form.status_code})")
        return requests.post(
            self.base_url + path,
            headers=self.headers(),
            data={
                "csrfmiddlewaretoken": token.group(1),
                "source": "file",
                "destination": "new_playlist",
                "playlist_name": "Whole library",
                "strictness": "balanced",
                "skip_existing": "on",
            },
            files={"uploads": (name, data, "text/csv")},
            allow_redirects=False,
            timeout=600,
        )
