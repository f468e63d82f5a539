"""Catalog and browse reads, limits and page tokens."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import Api, assert_error


def test_album_by_id_with_and_without_trailing_slash(
    alice: Api, catalog_ids: dict[str, Any]
) -> None:
    album_id = catalog_ids["albums"][0]
    for path in (f"/albums/{album_id}", f"/albums/{album_id}/"):
        album = alice.data("GET", path)["album"]
        assert album["id"] == album_id
        assert album["trackCount"] == len(album["tracks"]) > 0
    assert_error(alice.get("/albums/B0NOSUCHONE"), 404, "RESOURCE_NOT_FOUND")


def test_multiple_albums_and_tracks_keep_order_and_skip_unknown_ids(
    alice: Api, catalog_ids: dict[str, Any]
) -> None:
    albums = catalog_ids["albums"][:3]
    got = alice.data("GET", "/albums", params={"ids": ",".join([albums[2], "B0NOPE", *albums[:2]])})
    assert [a["id"] for a in got["albums"]] == [albums[2], *albums[:2]]
    tracks = catalog_ids["tracks"][:5]
    got = alice.data("GET", "/tracks", params={"ids": ",".join(reversed(tracks))})
    assert [t["id"] for t in got["tracks"]] == list(reversed(tracks))


@pytest.mark.parametrize("path", ["/albums", "/tracks"])
def test_batches_take_one_to_a_hundred_ids(alice: Api, path: str) -> None:
    assert_error(alice.get(path), 400, "BAD_REQUEST")
    too_many = ",".join(f"B0{n:08d}" for n in range(101))
    assert_error(alice.get(path, ids=too_many), 400, "BAD_REQUEST")
    exactly = ",".join(f"B0{n:08d}" for n in range(100))
    assert alice.get(path, ids=exactly).status_code == 200


def test_track_node_has_the_documented_fields(alice: Api, catalog_ids: dict[str, Any]) -> None:
    expected = catalog_ids["tracks_with_isrc"][0]
    track = alice.data("GET", f"/tracks/{expected['id']}")["track"]
    assert track["isrc"] == expected["isrc"]
    assert isinstance(track["duration"], int)
    assert track["duration"] > 0
    assert track["releaseDate"].endswith("Z")
    assert track["artists"]
    assert {"id", "name", "url"} <= set(track["artists"][0])
    assert {"id", "title", "url", "images"} <= set(track["album"])
    assert set(track["audioQualities"]) <= {"SD", "HD", "UHD", "360RA"}
    assert_error(alice.get("/tracks/B0NOSUCHONE"), 404, "RESOURCE_NOT_FOUND")


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
def test_limit_outside_one_to_a_hundred_is_400(alice: Api, limit: str) -> None:
    assert_error(alice.get("/me/playlists", limit=limit), 400, "BAD_REQUEST")


def test_top_tracks_takes_at_most_twenty(alice: Api) -> None:
    assert len(alice.data("GET", "/browse/tracks/top")["topTracks"]["edges"]) == 20
    assert_error(alice.get("/browse/tracks/top", limit=21), 400, "BAD_REQUEST")


def test_page_tokens_walk_a_list_and_refuse_tampering(alice: Api) -> None:
    first = alice.data("GET", "/browse/tracks/top", params={"limit": 5})["topTracks"]
    token = first["pageInfo"]["token"]
    second = alice.data("GET", "/browse/tracks/top", params={"limit": 5, "cursor": token})
    ids = [e["node"]["id"] for e in first["edges"] + second["topTracks"]["edges"]]
    ten = alice.data("GET", "/browse/tracks/top", params={"limit": 10})["topTracks"]
    assert ids == [e["node"]["id"] for e in ten["edges"]]

    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_error(alice.get("/browse/tracks/top", cursor=tampered), 400, "BAD_REQUEST")
    assert_error(alice.get("/browse/tracks/top", cursor="garbage"), 400, "BAD_REQUEST")
    # A token belongs to the list it came from.
    assert_error(alice.get("/browse/playlists/top", cursor=token), 400, "BAD_REQUEST")


def test_categories_and_their_contents(alice: Api, catalog_ids: dict[str, Any]) -> None:
    categories = alice.data("GET", "/browse/categories", params={"limit": 2})["browseCategories"]
    first = categories["edges"][0]
    assert first["cursor"] == f"0:{first['node']['id']}"
    # An edge cursor continues after that edge.
    after = alice.data("GET", "/browse/categories", params={"limit": 1, "cursor": first["cursor"]})
    assert after["browseCategories"]["edges"][0]["node"] == categories["edges"][1]["node"]

    category_id = catalog_ids["categories"][0]
    category = alice.data("GET", f"/browse/categories/{category_id}")["category"]
    assert category["id"] == category_id
    for kind in ("albums", "playlists", "tracks"):
        data = alice.data("GET", f"/browse/categories/{category_id}/{kind}", params={"limit": 2})
        assert data["category"]["id"] == category_id
        assert data["category"][kind]["edgeCount"] == len(data["category"][kind]["edges"])
    assert_error(alice.get("/browse/categories/nope"), 404, "RESOURCE_NOT_FOUND")


def test_top_playlists_and_new_episodes(alice: Api) -> None:
    playlists = alice.data("GET", "/browse/playlists/top", params={"limit": 3})["topPlaylists"]
    assert playlists["edges"]
    assert all(e["node"]["trackCount"] > 0 for e in playlists["edges"])
    curated = playlists["edges"][0]["node"]["id"]
    assert alice.data("GET", f"/playlists/{curated}")["playlist"]["id"] == curated
    episodes = alice.data("GET", "/browse/podcasts/episodes/new", params={"limit": 3})
    dates = [e["node"]["releaseDate"] for e in episodes["newPodcastEpisodes"]["edges"]]
    assert dates == sorted(dates, reverse=True)
