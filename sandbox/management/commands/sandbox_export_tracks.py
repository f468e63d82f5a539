"""``sandbox_export_tracks --count N --out FILE.csv``: catalog tracks as another service lists them.

For benchmarks of the importer (``manage.py bench_transfer``): a CSV (Title, Artist, Album,
Duration, ISRC, Explicit) of tracks that the sandbox's catalog holds, chosen at random with the
popular ones more likely (a person's library leans to hits), each written with the small
differences real exports have: the explicit/clean tag moved out of the title into a column,
only the lead artist named, a missing album or ISRC, a duration a second or two off, other
capitalisation, "&" for "and". A share of made-up tracks that no catalog holds can be added.
The same database, count and seed always give the same file.
"""

from __future__ import annotations

import csv
import math
import random
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.models import Track, TrackArtist

_TAG = re.compile(r"\s*\[(Explicit|Clean)\]\s*$")
# Words for made-up tracks: none of them is a word of a chart title the catalog is built from.
_MADE_UP_WORDS = (
    "velvet",
    "thunder",
    "lisbon",
    "kitchen",
    "lullaby",
    "tram",
    "nowhere",
    "paper",
    "lantern",
    "static",
    "harbour",
    "copper",
    "meadow",
    "glass",
    "orchard",
    "silver",
    "tide",
    "winter",
    "parade",
    "hollow",
    "signal",
    "amber",
    "quarry",
)


class Command(BaseCommand):
    help = "Write N catalog tracks, as another service's export would list them, to a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="how many tracks")
        parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--isrc-share",
            type=float,
            default=0.5,
            help="share of rows that keep their ISRC (default 0.5; M3U or text lists have none)",
        )
        parser.add_argument(
            "--missing-share",
            type=float,
            default=0.01,
            help="share of made-up tracks that no catalog holds (default 0.01)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["count"]
        if count < 1:
            raise CommandError("--count must be at least 1")
        rng = random.Random(options["seed"])
        missing = round(count * options["missing_share"])
        rows = self._catalog_rows(count - missing, rng)
        if len(rows) < count - missing:
            raise CommandError(f"The catalog has only {len(rows):,} tracks")
        lead_artist = self._lead_artists({row[0] for row in rows})
        out: list[list[object]] = []
        for track_id, title, artist_text, album, duration, isrc, explicit in rows:
            out.append(
                _perturbed(
                    rng,
                    title,
                    artist_text,
                    lead_artist.get(track_id, artist_text),
                    album,
                    duration,
                    isrc,
                    explicit,
                    options["isrc_share"],
                )
            )
        for _ in range(missing):
            out.append(_made_up(rng))
        rng.shuffle(out)
        path: Path = options["out"]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Title", "Artist", "Album", "Duration", "ISRC", "Explicit"])
            writer.writerows(out)
        self.stdout.write(
            f"Wrote {len(out):,} tracks ({missing:,} made up) to {path} (seed {options['seed']})."
        )

    @staticmethod
    def _catalog_rows(count: int, rng: random.Random) -> list[tuple[Any, ...]]:
        """``count`` distinct tracks, weighted by popularity (Efraimidis-Spirakis sampling)."""
        tracks = list(
            Track.objects.order_by("id").values_list(
                "id",
                "title",
                "artist_text",
                "album__title",
                "duration",
                "isrc",
                "explicit",
                "popularity",
            )
        )
        keyed = sorted(
            tracks,
            key=lambda row: math.log(rng.random() or 1e-12) / (row[7] + 5),
            reverse=True,
        )
        return [row[:7] for row in keyed[:count]]

    @staticmethod
    def _lead_artists(track_ids: set[int]) -> dict[int, str]:
        leads: dict[int, str] = {}
        for track_id, name in (
            TrackArtist.objects.filter(track_id__in=track_ids, position=0)
            .values_list("track_id", "artist__name")
            .iterator(chunk_size=2000)
        ):
            leads[track_id] = name
        return leads


def _perturbed(
    rng: random.Random,
    title: str,
    artist_text: str,
    lead: str,
    album: str,
    duration: int,
    isrc: str,
    explicit: bool,
    isrc_share: float,
) -> list[object]:
    # Streaming services flag explicit content in a column rather than in the title.
    title = _TAG.sub("", title)
    album = _TAG.sub("", album)
    artist = lead if rng.random() < 0.2 else artist_text
    if rng.random() < 0.1:
        title = title.lower() if rng.random() < 0.5 else title.title()
    if rng.random() < 0.05:
        artist = artist.replace(" & ", " and ") if " & " in artist else artist
    if rng.random() < 0.1:
        album = ""
    seconds: int | str = duration + rng.choice((0, 0, 0, 1, -1, 2, -2))
    if rng.random() < 0.05:
        seconds = ""
    if isinstance(seconds, int):
        seconds = f"{seconds // 60}:{seconds % 60:02d}"
    return [
        title,
        artist,
        album,
        seconds,
        isrc if rng.random() < isrc_share else "",
        "true" if explicit else "false",
    ]


def _made_up(rng: random.Random) -> list[object]:
    title = " ".join(w.title() for w in rng.sample(_MADE_UP_WORDS, 3))
    artist = "The " + " ".join(w.title() for w in rng.sample(_MADE_UP_WORDS, 2))
    seconds = rng.randint(150, 300)
    return [title, artist, "", f"{seconds // 60}:{seconds % 60:02d}", "", "false"]
