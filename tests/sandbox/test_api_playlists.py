"""Playlists over HTTP: paging a 1,000+ track playlist, create, add, reorder, remove, delete."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.sandbox.conftest import Api, assert_error


def all_entries(api: Api, playlist_id: str, **params: Any) -> list[tuple[str, str]]:
    """(cursor, track id) of every entry, following pageInfo.token."""
    entries: list[tuple[str, str]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        tracks = api.data("GET", f"/playlists/{playlist_id}/tracks", params=query)["playlist"][
            "tracks"
        ]
        assert tracks["edgeCount"] == len(tracks["edges"])
        entries += [(e["cursor"], e["node"]["id"]) for e in tracks["edges"]]
        if not tracks["pageInfo"]["hasNextPage"]:
            assert "token" not in tracks["pageInfo"]
            return entries
        cursor = tracks["pageInfo"]["token"]


def entry_ids(api: Api, playlist_id: str) -> list[str]:
    return [cursor.rsplit(":", 1)[1] for cursor, _ in all_entries(api, playlist_id, limit=100)]


def new_playlist(api: Api, title: str = "Test", visibility: str = "PRIVATE") -> dict[str, Any]:
    body = {"title": title, "description": "made by a test", "visibility": visibility}
    return api.data("POST", "/playlists", json=body)["createPlaylist"]


def add(api: Api, playlist_id: str, track_ids: list[str], duplicates: bool = False) -> Any:
    body = {"trackIds": track_ids, "addDuplicateTracks": duplicates}
    return api.data("PUT", f"/playlists/{playlist_id}/tracks", json=body)["addTracksToPlaylist"]


def big_playlist(api: Api) -> dict[str, Any]:
    playlists = api.data("GET", "/me/playlists", params={"limit": 100})["user"]["playlists"]
    return max((edge["node"] for edge in playlists["edges"]), key=lambda p: p["trackCount"])


def test_paging_a_big_playlist_yields_every_entry_once_in_order(alice: Api) -> None:
    playlist = big_playlist(alice)
    assert playlist["trackCount"] > 1000
    by_hundred = all_entries(alice, playlist["id"], limit=100)
    assert len(by_hundred) == playlist["trackCount"]
    # The edge cursor is "<index>:<entryId>": indexes run 0..n-1, entry ids never repeat.
    indexes = [int(cursor.split(":")[0]) for cursor, _ in by_hundred]
    assert indexes == list(range(len(by_hundred)))
    assert len({cursor.split(":")[1] for cursor, _ in by_hundred}) == len(by_hundred)
    # The default page size, another limit, and edge cursors all see the same sequence.
    assert all_entries(alice, playlist["id"]) == by_hundred
    assert all_entries(alice, playlist["id"], limit=37) == by_hundred
    by_edge: list[tuple[str, str]] = []
    cursor = None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = alice.data("GET", f"/playlists/{playlist['id']}/tracks", params=params)
        edges = page["playlist"]["tracks"]["edges"]
        by_edge += [(e["cursor"], e["node"]["id"]) for e in edges]
        if not page["playlist"]["tracks"]["pageInfo"]["hasNextPage"]:
            break
        cursor = edges[-1]["cursor"]
    assert by_edge == by_hundred


def test_default_page_of_playlist_tracks_is_fifty(alice: Api) -> None:
    playlist = big_playlist(alice)
    page = alice.data("GET", f"/playlists/{playlist['id']}/tracks")["playlist"]
    assert page["tracks"]["edgeCount"] == 50
    assert page["trackCount"] == playlist["trackCount"]


def test_create_read_update_delete(newcomer: Api) -> None:
    created = new_playlist(newcomer, "Fresh")
    assert created["title"] == "Fresh"
    assert created["visibility"] == "PRIVATE"
    assert created["trackCount"] == 0
    playlist_id = created["id"]
    assert newcomer.data("GET", f"/playlists/{playlist_id}")["playlist"]["title"] == "Fresh"

    updated = newcomer.data("PUT", f"/playlists/{playlist_id}", json={"title": "Renamed"})
    assert updated["updatePlaylist"]["title"] == "Renamed"
    assert updated["updatePlaylist"]["description"] == "made by a test"
    mine = newcomer.data("GET", "/me/playlists")["user"]["playlists"]
    assert [e["node"]["id"] for e in mine["edges"]] == [playlist_id]

    deleted = newcomer.data("DELETE", f"/playlists/{playlist_id}")
    assert deleted["deletePlaylist"]["id"] == playlist_id
    assert_error(newcomer.get(f"/playlists/{playlist_id}"), 404, "RESOURCE_NOT_FOUND")
    assert_error(newcomer.delete(f"/playlists/{playlist_id}"), 404, "RESOURCE_NOT_FOUND")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"title": "x", "description": "", "visibility": "SECRET"}, 422, "UNPROCESSABLE_ENTITY"),
        ({"title": "   ", "description": "", "visibility": "PUBLIC"}, 422, "UNPROCESSABLE_ENTITY"),
        ({"title": "x", "description": ""}, 400, "BAD_REQUEST"),
        ({"title": 5, "description": "", "visibility": "PUBLIC"}, 400, "BAD_REQUEST"),
        ([], 400, "BAD_REQUEST"),
    ],
)
def test_create_validates_the_body(newcomer: Api, body: Any, status: int, code: str) -> None:
    assert_error(newcomer.post("/playlists", body), status, code)


def test_broken_json_is_400(newcomer: Api) -> None:
    response = newcomer.request(
        "POST", "/playlists", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "BAD_REQUEST")


def test_add_tracks_skips_duplicates_unless_asked(
    newcomer: Api, catalog_ids: dict[str, Any]
) -> None:
    a, b, c = catalog_ids["tracks"][:3]
    playlist_id = new_playlist(newcomer)["id"]
    first = add(newcomer, playlist_id, [a, b, a])
    assert [e["trackId"] for e in first["addedEntries"]] == [a, b]
    assert first["skippedTrackIds"] == [a]
    assert first["playlist"]["trackCount"] == 2

    second = add(newcomer, playlist_id, [b, c])
    assert [e["trackId"] for e in second["addedEntries"]] == [c]
    assert second["skippedTrackIds"] == [b]

    third = add(newcomer, playlist_id, [a, a], duplicates=True)
    assert [e["trackId"] for e in third["addedEntries"]] == [a, a]
    # Appended at the end, in the order sent.
    tracks = [track for _, track in all_entries(newcomer, playlist_id)]
    assert tracks == [a, b, c, a, a]
    assert third["addedEntries"][-1]["cursor"] == f"4:{third['addedEntries'][-1]['entryId']}"


def test_add_tracks_limits_and_unknown_ids(newcomer: Api, catalog_ids: dict[str, Any]) -> None:
    playlist_id = new_playlist(newcomer)["id"]
    path = f"/playlists/{playlist_id}/tracks"
    too_many = {"trackIds": [catalog_ids["tracks"][0]] * 101, "addDuplicateTracks": True}
    assert_error(newcomer.put(path, too_many), 400, "BAD_REQUEST")
    assert_error(newcomer.put(path, {"trackIds": []}), 400, "BAD_REQUEST")
    assert_error(newcomer.put(path, {"trackIds": "B0"}), 400, "BAD_REQUEST")
    unknown = newcomer.put(path, {"trackIds": [catalog_ids["tracks"][0], "B0NOSUCHONE"]})
    error = assert_error(unknown, 422, "UNPROCESSABLE_ENTITY")
    assert error["payload"]["unknownTrackIds"] == ["B0NOSUCHONE"]
    # All or nothing: the known id was not added either.
    assert newcomer.data("GET", f"/playlists/{playlist_id}")["playlist"]["trackCount"] == 0
    exactly = {"trackIds": catalog_ids["tracks"][:100]}
    assert (
        len(newcomer.data("PUT", path, json=exactly)["addTracksToPlaylist"]["addedEntries"]) == 100
    )


def test_reorder_moves_entries_above_or_below_an_anchor(
    newcomer: Api, catalog_ids: dict[str, Any]
) -> None:
    tracks = catalog_ids["tracks"][:6]
    playlist_id = new_playlist(newcomer)["id"]
    add(newcomer, playlist_id, tracks)
    e = entry_ids(newcomer, playlist_id)
    path = f"/playlists/{playlist_id}/tracks"

    # Move entries 4 and 0 (in that order) right after entry 1.
    newcomer.data("PATCH", path, json={"entryIds": [e[4], e[0]], "entryIdAbove": e[1]})
    assert entry_ids(newcomer, playlist_id) == [e[1], e[4], e[0], e[2], e[3], e[5]]
    # Move entry 5 to the top: just before the current first entry.
    newcomer.data("PATCH", path, json={"entryIds": [e[5]], "entryIdBelow": e[1]})
    order = [e[5], e[1], e[4], e[0], e[2], e[3]]
    assert entry_ids(newcomer, playlist_id) == order
    # Both anchors must be neighbours.
    both = {"entryIds": [e[3]], "entryIdAbove": e[5], "entryIdBelow": e[1]}
    newcomer.data("PATCH", path, json=both)
    order = [e[5], e[3], e[1], e[4], e[0], e[2]]
    assert entry_ids(newcomer, playlist_id) == order
    apart = {"entryIds": [e[3]], "entryIdAbove": e[5], "entryIdBelow": e[2]}
    assert_error(newcomer.patch(path, apart), 422, "UNPROCESSABLE_ENTITY")
    assert_error(newcomer.patch(path, {"entryIds": [e[0]]}), 400, "BAD_REQUEST")
    unknown = newcomer.patch(path, {"entryIds": ["nope"], "entryIdAbove": e[0]})
    assert_error(unknown, 422, "UNPROCESSABLE_ENTITY")
    assert_error(
        newcomer.patch(path, {"entryIds": [e[0]], "entryIdAbove": e[0]}),
        422,
        "UNPROCESSABLE_ENTITY",
    )
    # The track order follows the entries.
    tracks_now = [track for _, track in all_entries(newcomer, playlist_id)]
    assert tracks_now == [tracks[e.index(entry)] for entry in order]


def test_remove_entries_and_retry_safely(newcomer: Api, catalog_ids: dict[str, Any]) -> None:
    tracks = catalog_ids["tracks"][:4]
    playlist_id = new_playlist(newcomer)["id"]
    add(newcomer, playlist_id, tracks)
    e = entry_ids(newcomer, playlist_id)
    path = f"/playlists/{playlist_id}/tracks"
    removed = newcomer.data("DELETE", path, json={"entryIds": [e[1], e[3]]})
    assert removed["removeTracksFromPlaylist"]["removedEntryIds"] == [e[1], e[3]]
    assert removed["removeTracksFromPlaylist"]["playlist"]["trackCount"] == 2
    # Cursor indexes close up after a removal.
    assert [c for c, _ in all_entries(newcomer, playlist_id)] == [f"0:{e[0]}", f"1:{e[2]}"]
    again = newcomer.data("DELETE", path, json={"entryIds": [e[1]]})
    assert again["removeTracksFromPlaylist"]["skippedEntryIds"] == [e[1]]
    assert_error(newcomer.delete(path, {"entryIds": []}), 400, "BAD_REQUEST")


def test_other_peoples_playlists(alice: Api, newcomer: Api) -> None:
    private = big_playlist(alice)
    assert private["visibility"] == "PRIVATE"
    assert_error(newcomer.get(f"/playlists/{private['id']}"), 404, "RESOURCE_NOT_FOUND")
    assert_error(
        newcomer.put(f"/playlists/{private['id']}/tracks", {"trackIds": ["B0"]}),
        404,
        "RESOURCE_NOT_FOUND",
    )
    shared = new_playlist(newcomer, "Shared", visibility="PUBLIC")
    assert alice.data("GET", f"/playlists/{shared['id']}")["playlist"]["title"] == "Shared"
    assert_error(alice.delete(f"/playlists/{shared['id']}"), 403, "ACCESS_DENIED")
    owner_id = newcomer.data("GET", "/me")["user"]["id"]
    public = alice.data("GET", f"/users/{owner_id}/playlists")["user"]["playlists"]
    assert [edge["node"]["id"] for edge in public["edges"]] == [shared["id"]]


def test_concurrent_adds_keep_every_entry_and_a_gapless_order(
    newcomer: Api, catalog_ids: dict[str, Any]
) -> None:
    playlist_id = new_playlist(newcomer)["id"]
    batches = [catalog_ids["tracks"][n * 10 : n * 10 + 10] for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda ids: add(newcomer, playlist_id, ids, duplicates=True), batches)
        )
    assert sum(len(r["addedEntries"]) for r in results) == 80
    assert newcomer.data("GET", f"/playlists/{playlist_id}")["playlist"]["trackCount"] == 80
    entries = all_entries(newcomer, playlist_id, limit=100)
    assert [int(cursor.split(":")[0]) for cursor, _ in entries] == list(range(80))
    assert sorted(track for _, track in entries) == sorted(t for batch in batches for t in batch)
    # Each request's tracks stay together and in the order sent.
    order = [track for _, track in entries]
    for batch in batches:
        start = order.index(batch[0])
        assert order[start : start + 10] == batch
