"""Matcher micro-benchmark: source tracks decided per second on one core, 10 candidates each.

Run: ``python -m devtools.benchmarks.matcher [--tracks N]``. Source tracks are the iTunes side
of the real iTunes-Amazon pairs; each gets its paired Amazon listing plus 9 other real Amazon
listings as candidates. Reported twice: "cold" clears the normalisation caches before every track
(every string is new, every catalog track unseen), "warm" keeps them (a long import, where
artists, albums and catalog tracks repeat). Messy-row detection runs on every track.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

from transfer.formats.records import TrackRecord
from transfer.matching.cascade import decide
from transfer.matching.evaluation import open_pairs
from transfer.matching.scoring import clear_caches as clear_matching_caches
from transfer.matching.types import Candidate

REPO = Path(__file__).resolve().parents[2]
PAIRS = REPO / "sandbox" / "data" / "itunes_amazon_pairs.csv.gz"


def duration_ms(text: str) -> int | None:
    try:
        seconds = 0
        for part in text.strip().split(":"):
            seconds = seconds * 60 + int(part)
    except ValueError:
        return None
    return seconds * 1000


def load_pairs(path: Path = PAIRS) -> list[tuple[TrackRecord, Candidate, dict[str, str]]]:
    rows = []
    with open_pairs(path) as handle:
        for row in csv.DictReader(handle):
            source = TrackRecord(
                title=row["itunes_song_name"],
                artists=(row["itunes_artist_name"],),
                album=row["itunes_album_name"],
                duration_ms=duration_ms(row["itunes_time"]),
            )
            candidate = Candidate(
                id=f"pair-{row['split']}-{row['row']}",
                title=row["amazon_song_name"],
                artists=(row["amazon_artist_name"],),
                album=row["amazon_album_name"],
                duration_ms=duration_ms(row["amazon_time"]),
            )
            rows.append((source, candidate, row))
    return rows


def clear_caches() -> None:
    clear_matching_caches()


def run(tracks: int, *, cold: bool, seed: int = 7) -> float:
    """Tracks decided per second of wall-clock time."""
    return measure(tracks, cold=cold, seed=seed)[0]


def measure(tracks: int, *, cold: bool, seed: int = 7) -> tuple[float, float]:
    """Tracks decided per second of wall-clock time, and per second of this process's CPU
    time (what the matcher costs, whatever else the machine is doing)."""
    pairs = load_pairs()
    pool = [candidate for _, candidate, _ in pairs]
    rng = random.Random(seed)
    work = []
    for i in range(tracks):
        source, paired, _ = pairs[i % len(pairs)]
        others = rng.sample(pool, 9)
        work.append((source, [paired, *others]))
    clear_caches()
    started, cpu_started = time.perf_counter(), time.process_time()
    for source, candidates in work:
        if cold:
            clear_caches()
        decide(source, candidates)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return tracks / wall, tracks / max(cpu, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=20_000)
    args = parser.parse_args()
    cold = run(args.tracks, cold=True)
    warm = run(args.tracks, cold=False)
    print(f"matcher: {args.tracks} source tracks x 10 candidates, one core")
    print(f"  cold caches: {cold:,.0f} tracks/s")
    print(f"  warm caches: {warm:,.0f} tracks/s")
    print("  goal: >= 10,000 tracks/s warm, >= 3,000 cold")


if __name__ == "__main__":
    main()
