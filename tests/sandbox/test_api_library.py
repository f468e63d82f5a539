"""The person's library: saved tracks and albums, and GET/PUT /me."""

from __future__ import annotations

from typing import Any

from tests.sandbox.conftest import Api, assert_error


def test_save_list_and_remove_tracks(newcomer: Api, catalog_ids: dict[str, Any]) -> None:
    track = catalog_ids["tracks_with_isrc"][0]
    saved = newcomer.data("PUT", f"/me/library/tracks/{track['id']}")["saveTrack"]
    assert saved == {
        "track": {
            "id": track["id"],
            "title": track["title"],
            "isrc": track["isrc"],
            "url": track["url"],
        },
        "saveState": "SAVED",
    }
    # Saving twice is harmless.
    newcomer.data("PUT", f"/me/library/tracks/{track['id']}")
    other = catalog_ids["tracks"][1]
    newcomer.data("PUT", f"/me/library/tracks/{other}")
    listed = newcomer.data("GET", "/me/library/tracks")["user"]["libraryTracks"]
    assert listed["edgeCount"] == 2
    assert {edge["node"]["id"] for edge in listed["edges"]} == {track["id"], other}
    page = newcomer.data("GET", "/me/library/tracks", params={"limit": 1})["user"]["libraryTracks"]
    rest = newcomer.data(
        "GET", "/me/library/tracks", params={"limit": 1, "cursor": page["pageInfo"]["token"]}
    )["user"]["libraryTracks"]
    assert [e["node"]["id"] for e in page["edges"] + rest["edges"]] == [
        e["node"]["id"] for e in listed["edges"]
    ]
    removed = newcomer.data("DELETE", f"/me/library/tracks/{track['id']}")["removeTrack"]
    assert removed["saveState"] == "REMOVED"
    listed = newcomer.data("GET", "/me/library/tracks")["user"]["libraryTracks"]
    assert [edge["node"]["id"] for edge in listed["edges"]] == [other]
    assert_error(newcomer.put("/me/library/tracks/B0NOSUCHONE"), 404, "RESOURCE_NOT_FOUND")


def test_save_list_and_remove_albums(newcomer: Api, catalog_ids: dict[str, Any]) -> None:
    first, second = catalog_ids["albums"][:2]
    saved = newcomer.data("PUT", f"/me/library/albums/{first}")["saveAlbum"]
    assert saved["album"]["id"] == first
    assert saved["saveState"] == "SAVED"
    newcomer.data("PUT", f"/me/library/albums/{second}")
    listed = newcomer.data("GET", "/me/library/albums")["user"]["libraryAlbums"]
    assert {edge["node"]["id"] for edge in listed["edges"]} == {first, second}
    edge = listed["edges"][0]
    assert edge["purchased"] is False
    assert edge["uploaded"] is False
    assert isinstance(edge["objectId"], str)
    only = newcomer.data("GET", "/me/library/albums", params={"albumIds": second})
    assert [e["node"]["id"] for e in only["user"]["libraryAlbums"]["edges"]] == [second]
    removed = newcomer.data("DELETE", f"/me/library/albums/{first}")["removeAlbum"]
    assert removed == {"album": saved["album"], "saveState": "REMOVED"}
    assert_error(newcomer.delete("/me/library/albums/B0NOSUCHONE"), 404, "RESOURCE_NOT_FOUND")


def test_me_and_update_me(newcomer: Api) -> None:
    user = newcomer.data("GET", "/me")["user"]
    assert {"id", "name", "images", "url"} <= set(user)
    body = {"name": "Renamed Person", "visibility": "PUBLIC", "playbackVisibility": "PRIVATE"}
    updated = newcomer.data("PUT", "/me", json=body)["updateUser"]
    assert updated["name"] == "Renamed Person"
    assert newcomer.data("GET", "/me")["user"]["name"] == "Renamed Person"
    assert_error(
        newcomer.put("/me", {**body, "visibility": "FRIENDS"}), 422, "UNPROCESSABLE_ENTITY"
    )
    assert_error(newcomer.put("/me", {"name": "x"}), 400, "BAD_REQUEST")
