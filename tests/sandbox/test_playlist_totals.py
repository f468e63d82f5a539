"""A playlist's trackCount and duration are stored columns: every edit, seeding and the
migration that added them must keep them equal to what its entries add up to."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

from tests.sandbox.conftest import Api
from tests.sandbox.test_api_playlists import add, all_entries, entry_ids, new_playlist
from tests.sandbox.test_search_engine import manage


def durations(api: Api, track_ids: list[str]) -> dict[str, int]:
    unique = sorted(set(track_ids))
    found: dict[str, int] = {}
    for start in range(0, len(unique), 100):  # GET /tracks takes 100 ids at most
        ids = ",".join(unique[start : start + 100])
        found.update(
            (t["id"], t["duration"])
            for t in api.data("GET", "/tracks", params={"ids": ids})["tracks"]
        )
    return found


def counted(api: Api, playlist_id: str) -> tuple[int, int]:
    """(entries, their total duration), read entry by entry."""
    tracks = [track for _, track in all_entries(api, playlist_id, limit=100)]
    seconds = durations(api, tracks) if tracks else {}
    return len(tracks), sum(seconds[track] for track in tracks)


def stored(node: dict[str, Any]) -> tuple[int, int]:
    return node["trackCount"], node["duration"]


def test_track_count_and_duration_follow_every_edit(
    newcomer: Api, catalog_ids: dict[str, Any]
) -> None:
    a, b, c, d = catalog_ids["tracks"][:4]
    playlist_id = new_playlist(newcomer)["id"]
    path = f"/playlists/{playlist_id}/tracks"
    assert stored(newcomer.data("GET", f"/playlists/{playlist_id}")["playlist"]) == (0, 0)

    first = add(newcomer, playlist_id, [a, b, a])  # the repeated a is skipped
    # Entry ids are UUIDs (time-ordered ones), each different.
    ids = [entry["entryId"] for entry in first["addedEntries"]]
    assert len({str(uuid.UUID(entry_id)) for entry_id in ids}) == len(ids) == 2
    assert stored(first["playlist"]) == counted(newcomer, playlist_id)
    assert first["playlist"]["trackCount"] == 2
    again = add(newcomer, playlist_id, [a, c, c, d], duplicates=True)
    assert stored(again["playlist"]) == counted(newcomer, playlist_id) != stored(first["playlist"])

    e = entry_ids(newcomer, playlist_id)
    moved = newcomer.data("PATCH", path, json={"entryIds": [e[0]], "entryIdAbove": e[5]})
    assert stored(moved["reorderPlaylistTracks"]["playlist"]) == stored(again["playlist"])
    assert moved["reorderPlaylistTracks"]["playlist"]["updatedAt"] >= again["playlist"]["updatedAt"]

    removed = newcomer.data("DELETE", path, json={"entryIds": [e[1], e[3], "no-such-entry"]})
    after = removed["removeTracksFromPlaylist"]["playlist"]
    assert stored(after) == counted(newcomer, playlist_id)
    assert after["trackCount"] == 4
    assert stored(newcomer.data("GET", f"/playlists/{playlist_id}")["playlist"]) == stored(after)
    listed = newcomer.data("GET", "/me/playlists", params={"limit": 100})["user"]["playlists"]
    [node] = [edge["node"] for edge in listed["edges"] if edge["node"]["id"] == playlist_id]
    assert stored(node) == stored(after)

    emptied = newcomer.data("DELETE", path, json={"entryIds": entry_ids(newcomer, playlist_id)})
    assert stored(emptied["removeTracksFromPlaylist"]["playlist"]) == (0, 0)


def test_a_refused_add_changes_no_totals(newcomer: Api, catalog_ids: dict[str, Any]) -> None:
    playlist_id = new_playlist(newcomer)["id"]
    add(newcomer, playlist_id, catalog_ids["tracks"][:2])
    before = stored(newcomer.data("GET", f"/playlists/{playlist_id}")["playlist"])
    refused = newcomer.put(
        f"/playlists/{playlist_id}/tracks", {"trackIds": [catalog_ids["tracks"][2], "B0NOSUCH1"]}
    )
    assert refused.status_code == 422
    assert stored(newcomer.data("GET", f"/playlists/{playlist_id}")["playlist"]) == before


def test_seeded_playlists_carry_their_totals(alice: Api) -> None:
    playlists = alice.data("GET", "/me/playlists", params={"limit": 100})["user"]["playlists"]
    nodes = [edge["node"] for edge in playlists["edges"]]
    assert any(node["trackCount"] > 1_000 for node in nodes)
    for node in nodes:
        assert stored(node) == counted(alice, node["id"]), node["title"]


def test_the_migration_counts_existing_playlists(tmp_path: Path) -> None:
    database = tmp_path / "sandbox.sqlite3"
    manage(database, "migrate", "sandbox", "0002", "--noinput", "-v", "0")
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO sandbox_album (id, asin, title, artist_text, label, image_url, explicit, "
            "version, popularity, track_count, duration) "
            "VALUES (1, 'B0ALBUM001', 'Album', 'Artist', '', '', 0, '', 0, 2, 300)"
        )
        db.executemany(
            "INSERT INTO sandbox_track (id, asin, title, artist_text, album_id, disc_number, "
            "track_number, duration, isrc, isrc_synthetic, explicit, version, popularity) "
            "VALUES (?, ?, 'T', 'A', 1, 1, ?, ?, '', 1, 0, '', 0)",
            [(1, "B0TRACK001", 1, 100), (2, "B0TRACK002", 2, 200)],
        )
        db.executemany(
            "INSERT INTO sandbox_playlist (id, title, description, visibility, image_url, "
            "curated, popularity, created_at, updated_at) "
            "VALUES (?, 'P', '', 'PUBLIC', '', 1, 0, '2026-01-01', '2026-01-01')",
            [("full",), ("empty",)],
        )
        db.executemany(
            "INSERT INTO sandbox_playlistentry (entry_id, playlist_id, track_id, position, "
            "added_at) VALUES (?, 'full', ?, ?, '2026-01-01')",
            [(f"e{position}", track_id, position) for position, track_id in enumerate((1, 2, 1))],
        )
    manage(database, "migrate", "--noinput", "-v", "0")
    with sqlite3.connect(database) as db:
        totals = db.execute(
            "SELECT id, track_count, total_duration FROM sandbox_playlist ORDER BY id"
        ).fetchall()
        triggers = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert totals == [("empty", 0, 0), ("full", 3, 400)]
    # Adding the columns kept the triggers that keep the playlist search index in step.
    assert {"sandbox_playlist_fts_ai", "sandbox_playlist_fts_au"} <= triggers
