"""Every sample export in sandbox/data/samples (committed; made by ``sandbox_make_samples``) and
the full real-data fixtures (in the repository, gzipped) read cleanly."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from transfer.formats import read_any

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sandbox" / "data" / "samples"
# Byte-for-byte copies of shared/data/music-metadata files; origins in the READMEs beside them.
FULL_FIXTURES = {
    "spotify_api_playlist_fixture.json": REPO / "sandbox" / "data",
    "spotify_api_playlist_fixture_flat.csv": REPO / "sandbox" / "data",
    "ytmusic_playlist_fixtures_flat.csv": REPO / "sandbox" / "data",
}


def _sample_files() -> list[Path]:
    return sorted(
        path
        for path in SAMPLES.rglob("*")
        if path.is_file() and not path.name.startswith((".", "README"))
    )


@pytest.mark.parametrize("path", _sample_files(), ids=lambda path: path.name)
def test_every_sandbox_sample_reads(path: Path) -> None:
    result = read_any(path.read_bytes(), path.name)
    assert result.playlists, f"{path.name}: no playlist"
    assert result.track_count > 0, f"{path.name}: no tracks ({result.problems})"
    assert not [p for p in result.problems if p.severity == "error"]


def test_sandbox_samples_exist() -> None:
    # Nine formats, one file each (sandbox/data/README.md); a missing folder fails here.
    assert len(_sample_files()) >= 9


@pytest.mark.parametrize(
    ("name", "expected_format", "tracks"),
    [
        ("spotify_api_playlist_fixture.json", "spotify-api-json", 38),
        ("spotify_api_playlist_fixture_flat.csv", "csv", 38),
        ("ytmusic_playlist_fixtures_flat.csv", "csv", 239),
    ],
)
def test_full_real_fixtures(name: str, expected_format: str, tracks: int) -> None:
    data = gzip.decompress((FULL_FIXTURES[name] / f"{name}.gz").read_bytes())
    result = read_any(data, name)
    assert result.format == expected_format
    assert result.track_count == tracks
    assert not result.problems
    assert all(t.title and t.artists for p in result.playlists for t in p.tracks)
