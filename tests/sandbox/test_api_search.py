"""Search over HTTP: tracks by ISRC and text, paging with body tokens, albums, artists,
playlists, search-all, and the request validation around the engine."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import Api, assert_error


def search(api: Api, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    name = "search" + kind.capitalize()
    return api.data("POST", f"/search/{kind}", json=body)[name]


def test_isrc_lookup_finds_the_track(alice: Api, catalog_ids: dict[str, Any]) -> None:
    track = catalog_ids["tracks_with_isrc"][0]
    body = {"searchFilters": [{"field": "isrc", "query": track["isrc"]}], "limit": 5}
    found = search(alice, "tracks", body)
    assert track["id"] in [edge["node"]["id"] for edge in found["edges"]]
    assert all(edge["node"]["isrc"] == track["isrc"] for edge in found["edges"])


def test_title_and_artist_search_ranks_the_track_first(
    alice: Api, catalog_ids: dict[str, Any]
) -> None:
    track = catalog_ids["tracks_with_isrc"][0]
    body = {
        "searchFilters": [
            {"field": "name", "query": track["title"]},
            {"field": "artistName", "query": track["artists"][0]["name"]},
        ],
        "limit": 5,
        "sortBy": "relevance",
    }
    found = search(alice, "tracks", body)
    assert found["edges"][0]["node"]["title"] == track["title"]


def test_body_token_pages_through_results(alice: Api, catalog_ids: dict[str, Any]) -> None:
    artist = catalog_ids["tracks_with_isrc"][0]["artists"][0]["name"]
    body: dict[str, Any] = {"searchFilters": [{"query": artist}], "limit": 3}
    first = search(alice, "tracks", body)
    assert first["pageInfo"]["hasNextPage"] is True
    second = search(alice, "tracks", {**body, "token": first["pageInfo"]["token"]})
    six = search(alice, "tracks", {**body, "limit": 6})
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert ids == [e["node"]["id"] for e in six["edges"]][: len(ids)]
    # A token belongs to its query.
    other = {"searchFilters": [{"query": "love"}], "limit": 3, "token": first["pageInfo"]["token"]}
    assert_error(alice.post("/search/tracks", other), 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "BAD_REQUEST"),
        ({"searchFilters": []}, 400, "BAD_REQUEST"),
        ({"searchFilters": [{"field": "name"}]}, 400, "BAD_REQUEST"),
        ({"searchFilters": [{"field": "name", "query": "  "}]}, 400, "BAD_REQUEST"),
        ({"searchFilters": [{"field": "upc", "query": "1"}]}, 422, "UNPROCESSABLE_ENTITY"),
        ({"searchFilters": [{"query": "a"}], "sortBy": "loudness"}, 422, "UNPROCESSABLE_ENTITY"),
        ({"searchFilters": [{"query": "a"}], "limit": 0}, 400, "BAD_REQUEST"),
        ({"searchFilters": [{"query": "a"}], "limit": 101}, 400, "BAD_REQUEST"),
        ({"searchFilters": [{"query": "a"}], "token": "forged"}, 400, "BAD_REQUEST"),
    ],
)
def test_search_validates_its_body(
    alice: Api, body: dict[str, Any], status: int, code: str
) -> None:
    assert_error(alice.post("/search/tracks", body), status, code)


def test_album_artist_and_playlist_search(alice: Api, catalog_ids: dict[str, Any]) -> None:
    album_id = catalog_ids["albums"][0]
    album = alice.data("GET", f"/albums/{album_id}")["album"]
    albums = search(
        alice, "albums", {"searchFilters": [{"field": "name", "query": album["title"]}]}
    )
    assert album_id in [e["node"]["id"] for e in albums["edges"]]
    artist = album["artists"][0]
    artists = search(alice, "artists", {"searchFilters": [{"query": artist["name"]}], "limit": 5})
    assert artists["edges"][0]["node"]["id"] == artist["id"]
    bad = alice.post("/search/artists", {"searchFilters": [{"field": "isrc", "query": "x"}]})
    assert_error(bad, 422, "UNPROCESSABLE_ENTITY")

    mine = alice.data("GET", "/me/playlists")["user"]["playlists"]["edges"]
    private = next(e["node"] for e in mine if e["node"]["visibility"] == "PRIVATE")
    found = search(alice, "playlists", {"searchFilters": [{"query": private["title"]}]})
    assert private["id"] in [e["node"]["id"] for e in found["edges"]]


def test_new_and_renamed_playlists_are_searchable(newcomer: Api) -> None:
    body = {"title": "Zanzibar Quokka Mix", "description": "", "visibility": "PUBLIC"}
    created = newcomer.data("POST", "/playlists", json=body)["createPlaylist"]
    query = {"searchFilters": [{"query": "quokka"}]}
    assert [e["node"]["id"] for e in search(newcomer, "playlists", query)["edges"]] == [
        created["id"]
    ]
    newcomer.data("PUT", f"/playlists/{created['id']}", json={"title": "Plain Name"})
    assert search(newcomer, "playlists", query)["edges"] == []


def test_search_all_answers_a_catalog_view(alice: Api, catalog_ids: dict[str, Any]) -> None:
    title = catalog_ids["tracks_with_isrc"][0]["title"]
    views = alice.data("GET", "/search", params={"query": title, "limit": 3})
    assert views[0]["_type"] == "View"
    groups = views[0]["content"]["entityGroups"]
    assert groups[0]["title"] == "Top hits"
    songs = next(g for g in groups if g["id"] == "tracks")
    assert 0 < len(songs["items"]) <= 3
    assert_error(alice.get("/search"), 400, "BAD_REQUEST")
