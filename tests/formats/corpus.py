"""The real-world corpus (tests/formats/data/real): what each file must read as.

Used by test_real_corpus.py, and runnable to count the files read right per layout, against
this checkout or another one (the "before" figure for a change):

    python tests/formats/corpus.py                 # this checkout
    python tests/formats/corpus.py --code /work/main
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REAL = Path(__file__).parent / "data" / "real"


def manifest() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((REAL / "manifest.json").read_text("utf-8"))
    return entries


def differences(entry: dict[str, Any], result: Any) -> list[str]:
    """What the reading got wrong against the manifest entry; [] when all is right."""
    found: list[str] = []
    if result.format != entry["format"]:
        found.append(f"format {result.format!r}, expected {entry['format']!r}")
    expected = entry["playlists"]
    got = [p for p in result.playlists if p.tracks or any(not e["tracks"] for e in expected)]
    if len(got) != len(expected):
        found.append(f"{len(got)} playlists, expected {len(expected)}")
    for want, have in zip(expected, got, strict=False):
        if "name" in want and want["name"] != have.name:
            found.append(f"playlist named {have.name!r}, expected {want['name']!r}")
        if len(have.tracks) != len(want["tracks"]):
            found.append(
                f"{have.name!r}: {len(have.tracks)} tracks, expected {len(want['tracks'])}"
            )
        for number, (track, (title, artists)) in enumerate(
            zip(have.tracks, want["tracks"], strict=False), start=1
        ):
            if track.title != title or list(track.artists) != artists:
                found.append(
                    f"{have.name!r} track {number}: {track.title!r} by {list(track.artists)!r}, "
                    f"expected {title!r} by {artists!r}"
                )
                break
            if entry.get("needs_resolution") and not getattr(track, "needs_resolution", False):
                found.append(f"{have.name!r} track {number} is not flagged needs_resolution")
                break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", help="a checkout whose transfer.formats to use")
    parser.add_argument("-v", action="store_true", help="print each wrong file's differences")
    args = parser.parse_args()
    if args.code:
        sys.path.insert(0, args.code)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from transfer.formats import FormatError, read_any

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for entry in manifest():
        total[entry["layout"]] += 1
        path = REAL / entry["file"]
        try:
            result = read_any(path.read_bytes(), path.name)
        except (FormatError, ValueError) as exc:
            if args.v:
                print(f"  {entry['file']}: refused: {exc}")
            continue
        wrong = differences(entry, result)
        if wrong and args.v:
            print(f"  {entry['file']}: {wrong[0]}")
        if not wrong:
            right[entry["layout"]] += 1
    for layout in sorted(total):
        print(f"{layout:40} {right[layout]:3} / {total[layout]}")
    print(f"{'all':40} {sum(right.values()):3} / {sum(total.values())}")


if __name__ == "__main__":
    main()
