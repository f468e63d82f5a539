"""Every sample export in sandbox/data/samples (made by the sandbox, when present) and the
full real-data fixtures in shared/ (beside the repository, when present) read cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from transfer.formats import read_any

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sandbox" / "data" / "samples"
SHARED = REPO.parent / "shared" / "data" / "music-metadata"


def _sample_files() -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    return sorted(
        path
        for path in SAMPLES.rglob("*")
        if path.is_file() and not path.name.startswith((".", "README"))
    )


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sandbox/data/samples has not been made")
@pytest.mark.parametrize("path", _sample_files(), ids=lambda path: path.name)
def test_every_sandbox_sample_reads(path: Path) -> None:
    result = read_any(path.read_bytes(), path.name)
    assert result.playlists, f"{path.name}: no playlist"
    assert result.track_count > 0, f"{path.name}: no tracks ({result.problems})"
    assert not [p for p in result.problems if p.severity == "error"]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sandbox/data/samples has not been made")
def test_sandbox_samples_exist() -> None:
    assert _sample_files()


@pytest.mark.parametrize(
    ("name", "expected_format", "tracks"),
    [
        ("spotify_api_playlist_fixture.json", "spotify-api-json", 38),
        ("spotify_api_playlist_fixture_flat.csv", "csv", 38),
        ("ytmusic_playlist_fixtures_flat.csv", "csv", 239),
    ],
)
def test_full_real_fixtures(name: str, expected_format: str, tracks: int) -> None:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    result = read_any(path.read_bytes(), name)
    assert result.format == expected_format
    assert result.track_count == tracks
    assert not result.problems
    assert all(t.title and t.artists for p in result.playlists for t in p.tracks)
