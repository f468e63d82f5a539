"""Contract tests: the sandbox answers each documented request with the documented shape.

The examples are copied from Amazon's pages (docs/amazon-music-api: seed-albums.txt,
seed-library.txt, seed-browse.txt, and the [P] examples quoted in reference.md), with the
docs' "..." elisions left out. A response matches when it has every key of the example with a
value of the same JSON type; lists are compared element by element. Extra keys are allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.sandbox.conftest import Api
from tests.sandbox_server import SandboxServer

# Lists that may legitimately be empty in the sandbox's data.
MAY_BE_EMPTY = {"images", "playbackSubscriptionTiers"}

ALBUM = {
    "id": "B0064UPU4G",
    "globalAsin": "B0064UPU4G",
    "title": "Discovery",
    "shortTitle": "Discovery",
    "duration": 3660,
    "url": "https://music.amazon.com/albums/B0064UPU4G",
    "releaseDate": "2001-03-07T05:00:00.000Z",
    "availableMarkets": [{"id": "US", "name": "United States"}],
    "artists": [
        {"id": "B000S9ULT8", "name": "Daft Punk", "url": "https://music.amazon.com/artists/"}
    ],
    "eligibility": {
        "isDownloadable": True,
        "isPurchaseable": True,
        "isPreviewable": True,
        "isPrimeEligible": False,
    },
    "parentalSettings": {"isKidFriendly": False, "hasExplicitLanguage": False},
    "tracks": [
        {
            "id": "B0064UPUDC",
            "title": "One More Time",
            "url": "https://music.amazon.com/albums/B0064UPU4G",
        }
    ],
    "trackCount": 14,
    "images": [
        {"height": 1800, "width": 1800, "url": "https://m.media-amazon.com/images/I/71bsHT.jpg"}
    ],
    "label": "Daft Life Ltd./ADA France",
}

SHORT_ALBUM = {
    "id": "B0064UPU4G",
    "globalAsin": "B0064UPU4G",
    "title": "Discovery",
    "duration": 3660,
    "url": "https://music.amazon.com/albums/B0064UPU4G",
    "releaseDate": "2001-03-07T05:00:00.000Z",
}

PLAYLIST_ELIGIBILITY = {
    "playback": {"canPlayOnDemand": True, "shuffleType": "INLINE"},
    "playbackSubscriptionTiers": [],
    "isDownloadable": False,
    "isPurchaseable": False,
    "isPreviewable": False,
    "isPrimeEligible": False,
}

USER_PLAYLIST = {
    "id": "15e6a15f-4c2f-4b24-a2fd-286b37ad4fa3",
    "curator": {"id": "6ozjgidgbvjdv3j6dd5jm7ipom"},
    "duration": 3450,
    "images": [
        {
            "url": "https://images-na.ssl-images-amazon.com/images/Playlists.png",
            "imageType": "PRIMARY",
        }
    ],
    "eligibility": PLAYLIST_ELIGIBILITY,
    "title": "00 Rock",
    "trackCount": 12,
    "url": "https://music.amazon.ca/my/playlists/b2c6606b",
    "visibility": "PRIVATE",
}

CURATED_PLAYLIST = {
    "id": "B00J9PVXBM",
    "duration": 4893,
    "images": [{"height": 1280, "width": 2560, "url": "https://m.media-amazon.com/images/I/7.jpg"}],
    "title": "Happy Modern Pop",
    "trackCount": 25,
    "url": "https://music.amazon.com/playlists/B00J9PVXBM",
}

SHORT_TRACK = {"id": "B0785GTW4T", "title": "Beggin'", "url": "https://music.amazon.com/albums/B"}

TRACK = {
    "id": "B00E8FLZR8",
    "audioQualities": ["SD", "HD"],
    "globalAsin": "B00E8FLZR8",
    "title": "Get Lucky",
    "shortTitle": "Get Lucky",
    "duration": 232,
    "album": {"id": "B00E8FLVUY", "title": "Get Lucky", "url": "https://music.amazon.com/albums/B"},
    "releaseDate": "2013-06-18T04:00:00.000Z",
    "isrc": "USQ4E1300686",
    "artists": [{"id": "B000S9ULT8", "name": "Daft Punk", "url": "https://music.amazon.com/a"}],
    "musicTerritory": {"code": "US", "territoryName": "United States"},
    "market": {"id": "US", "name": "United States"},
    "eligibility": {
        "isDownloadable": True,
        "isPurchaseable": True,
        "isPreviewable": True,
        "isPrimeEligible": True,
    },
}


def connection(node: dict[str, Any], *, token: bool, cursor: bool = False) -> dict[str, Any]:
    page_info: dict[str, Any] = {"hasNextPage": token}
    if token:
        page_info["token"] = "tztok-v2_example"
    edge: dict[str, Any] = {"node": node}
    if cursor:
        edge["cursor"] = "0:15e6a15f-4c2f-4b24-a2fd-286b37ad4fa3"
    return {"pageInfo": page_info, "edgeCount": 2, "edges": [edge, edge]}


def assert_same_shape(expected: Any, actual: Any, path: str = "") -> None:
    if expected is None:
        return
    if isinstance(expected, bool):
        assert isinstance(actual, bool), f"{path}: expected a boolean, got {actual!r}"
    elif isinstance(expected, int | float):
        assert not isinstance(actual, bool), f"{path}: expected a number, got {actual!r}"
        assert isinstance(actual, int | float), f"{path}: expected a number, got {actual!r}"
    elif isinstance(expected, str):
        assert isinstance(actual, str), f"{path}: expected a string, got {actual!r}"
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        if expected and path.rsplit(".", 1)[-1] not in MAY_BE_EMPTY:
            assert actual, f"{path}: expected a non-empty list"
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            assert_same_shape(want, got, f"{path}[{index}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, want in expected.items():
            assert key in actual, f"{path}.{key} is missing"
            assert_same_shape(want, actual[key], f"{path}.{key}".lstrip("."))
    else:  # pragma: no cover - examples hold JSON only
        raise AssertionError(f"{path}: unexpected example value {expected!r}")


Request = Callable[[Api, dict[str, Any]], requests.Response]


def big_playlist_id(api: Api) -> str:
    edges = api.data("GET", "/me/playlists")["user"]["playlists"]["edges"]
    return str(max(edges, key=lambda e: e["node"]["trackCount"])["node"]["id"])


CASES: list[tuple[str, Request, dict[str, Any]]] = [
    (
        "seed-albums: Get Album",
        lambda api, ids: api.get(f"/albums/{ids['albums'][0]}"),
        {"data": {"album": ALBUM}},
    ),
    (
        "seed-albums: Get Multiple Albums",
        lambda api, ids: api.get("/albums", ids=",".join(ids["albums"][:2])),
        {"data": {"albums": [SHORT_ALBUM, SHORT_ALBUM]}},
    ),
    (
        "seed-albums: Get Current User's Library Albums",
        lambda api, ids: api.get("/me/library/albums", limit=2),
        {
            "data": {
                "user": {
                    "id": "6ozjgidgbvjdv3j6dd5jm7ipom",
                    "libraryAlbums": {
                        "pageInfo": {"hasNextPage": False},
                        "edgeCount": 2,
                        "edges": [
                            {
                                "purchased": False,
                                "uploaded": False,
                                "node": {"id": "B07B62ZK5S"},
                                "objectId": "15e6a15f-4c2f-4b24-a2fd-286b37ad4fa3",
                            }
                        ]
                        * 2,
                    },
                }
            }
        },
    ),
    (
        "seed-albums: Add Album to Current User's Library (as a newcomer)",
        lambda api, ids: api.put(f"/me/library/albums/{ids['albums'][-1]}"),
        {
            "data": {
                "saveAlbum": {
                    "album": {"id": "B091MTJT3P", "title": "All Rebel Rockers", "url": "u"},
                    "saveState": "SAVED",
                }
            }
        },
    ),
    (
        "seed-albums: Delete Album From Current User's Library (as a newcomer)",
        lambda api, ids: api.delete(f"/me/library/albums/{ids['albums'][-1]}"),
        {
            "data": {
                "removeAlbum": {
                    "album": {"id": "B091MTJT3P", "title": "All Rebel Rockers", "url": "u"},
                    "saveState": "REMOVED",
                }
            }
        },
    ),
    (
        "seed-library: Get Current User's Playlists",
        lambda api, ids: api.get("/me/playlists", limit=2),
        {
            "data": {
                "user": {
                    "id": "6ozjgidgbvjdv3j6dd5jm7ipom",
                    "playlists": connection(USER_PLAYLIST, token=False, cursor=True),
                }
            }
        },
    ),
    (
        "seed-library: Add Track to Current User's Library (as a newcomer)",
        lambda api, ids: api.put(f"/me/library/tracks/{ids['tracks_with_isrc'][-1]['id']}"),
        {
            "data": {
                "saveTrack": {
                    "track": {
                        "id": "B08DL2BXQC",
                        "title": "Kane Train",
                        "isrc": "GBCFB2000356",
                        "url": "https://music.amazon.com/albums/B08DL2H5PV/?trackAsin=B08DL2BXQC",
                    },
                    "saveState": "SAVED",
                }
            }
        },
    ),
    (
        "seed-library: Delete Track From Current User's Library (as a newcomer)",
        lambda api, ids: api.delete(f"/me/library/tracks/{ids['tracks_with_isrc'][-1]['id']}"),
        {
            "data": {
                "removeTrack": {
                    "track": {
                        "id": "B097S185X9",
                        "title": "Something To Believe In",
                        "isrc": "USATO2100125",
                        "url": "https://music.amazon.com/albums/B097S29G3W/?trackAsin=B097S185X9",
                    },
                    "saveState": "REMOVED",
                }
            }
        },
    ),
    (
        "seed-browse: Get Top Tracks",
        lambda api, ids: api.get("/browse/tracks/top", limit=2),
        {"data": {"topTracks": connection(SHORT_TRACK, token=True)}},
    ),
    (
        "seed-browse: Get Top Playlists",
        lambda api, ids: api.get("/browse/playlists/top", limit=2),
        {"data": {"topPlaylists": connection(CURATED_PLAYLIST, token=True)}},
    ),
    (
        "seed-browse: Get New Podcast Episodes",
        lambda api, ids: api.get("/browse/podcasts/episodes/new", limit=2),
        {
            "data": {
                "newPodcastEpisodes": connection(
                    {"id": "0c1dc966", "title": "MURDERED", "url": "https://music.amazon.com/p"},
                    token=False,
                )
            }
        },
    ),
    (
        "seed-browse: Get All Categories",
        lambda api, ids: api.get("/browse/categories", limit=2),
        {
            "data": {
                "browseCategories": {
                    "pageInfo": {"hasNextPage": True, "token": "3:vx0YEGc1"},
                    "edgeCount": 2,
                    "edges": [
                        {"node": {"id": "cpdRsfJP", "name": "Technoid"}, "cursor": "2:cpdRsfJP"},
                        {"node": {"id": "vx0YEGc1", "name": "Latin"}, "cursor": "3:vx0YEGc1"},
                    ],
                }
            }
        },
    ),
    (
        # The page shows the category object without the envelope; the sandbox wraps it.
        "seed-browse: Get Category",
        lambda api, ids: api.get(f"/browse/categories/{ids['categories'][0]}"),
        {
            "data": {
                "category": {
                    "id": "2iB4IU25",
                    "name": "Heavy Metal",
                    "url": "https://music.amazon.com/genres/2iB4IU25",
                    "categoryType": "GENRE",
                }
            }
        },
    ),
    (
        "seed-browse: Get Albums By Category",
        lambda api, ids: api.get(f"/browse/categories/{ids['categories'][0]}/albums", limit=2),
        {
            "data": {
                "category": {
                    "id": "E9UEPoEH",
                    "name": "Sacred Steel",
                    "albums": connection(
                        {"id": "B003R490PW", "title": "We Walk This Road", "url": "u"},
                        token=False,
                    ),
                }
            }
        },
    ),
    (
        "seed-browse: Get Playlists By Category",
        lambda api, ids: api.get(f"/browse/categories/{ids['categories'][0]}/playlists", limit=1),
        {
            "data": {
                "category": {
                    "id": "hZiJ3FwS",
                    "name": "Rock",
                    "url": "https://music.amazon.com/genres/hZiJ3FwS",
                    "playlists": {
                        "pageInfo": {"hasNextPage": False},
                        "edgeCount": 1,
                        "edges": [{"node": CURATED_PLAYLIST}],
                    },
                }
            }
        },
    ),
    (
        "seed-browse: Get Tracks By Category",
        lambda api, ids: api.get(f"/browse/categories/{ids['categories'][0]}/tracks", limit=2),
        {
            "data": {
                "category": {
                    "id": "E9UEPoEH",
                    "name": "Sacred Steel",
                    "tracks": connection(SHORT_TRACK, token=True),
                }
            }
        },
    ),
    (
        "reference 3.1: Get Current User",
        lambda api, ids: api.get("/me"),
        {
            "data": {
                "user": {
                    "id": "6ozjgidgbvjdv3j6dd5jm7ipom",
                    "name": "n",
                    "images": [{"height": 1, "width": 1, "url": "u"}],
                    "url": "u",
                }
            }
        },
    ),
    (
        "reference 3.2: Get Playlist",
        lambda api, ids: api.get(f"/playlists/{big_playlist_id(api)}"),
        {"data": {"playlist": USER_PLAYLIST}},
    ),
    (
        "reference 3.2: Get Playlist Tracks",
        lambda api, ids: api.get(f"/playlists/{big_playlist_id(api)}/tracks", limit=2),
        {
            "data": {
                "playlist": {
                    "title": "t",
                    "tracks": connection(TRACK, token=True, cursor=True),
                }
            }
        },
    ),
    (
        "reference 3.7: Search Tracks",
        lambda api, ids: api.post(
            "/search/tracks",
            {
                "searchFilters": [{"field": "name", "query": "love"}],
                "limit": 2,
                "sortBy": "relevance",
            },
        ),
        {
            "data": {
                "searchTracks": {
                    "pageInfo": {"hasNextPage": True, "token": "tztok-v2_example"},
                    "edgeCount": 2,
                    "edges": [{"node": {"id": "B08G9TMYCZ", "title": "Co"}}] * 2,
                }
            }
        },
    ),
    (
        "reference 3.4: Get Track",
        lambda api, ids: api.get(f"/tracks/{ids['tracks_with_isrc'][0]['id']}"),
        {"data": {"track": TRACK}},
    ),
    (
        "reference 3.4: Get Multiple Tracks",
        lambda api, ids: api.get(
            "/tracks", ids=",".join(t["id"] for t in ids["tracks_with_isrc"][:2])
        ),
        {"data": {"tracks": [TRACK, TRACK]}},
    ),
]


@pytest.mark.parametrize(("name", "call", "example"), CASES, ids=[c[0] for c in CASES])
def test_response_has_the_documented_shape(
    alice: Api,
    newcomer: Api,
    catalog_ids: dict[str, Any],
    name: str,
    call: Request,
    example: dict[str, Any],
) -> None:
    # Library writes go to a fresh account so the seeded people stay as they were.
    api = newcomer if "newcomer" in name else alice
    response = call(api, catalog_ids)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "application/json"
    assert_same_shape(example, response.json())


def test_error_object_matches_the_documented_example(sandbox: SandboxServer) -> None:
    example = {
        "error": {
            "status": "403",
            "code": "AUTH_NO_MUSIC_ACCOUNT_FOUND",
            "message": "No Amazon Music account found. Your Amazon account is missing …",
            "url": "https://music.amazon.com",
            "reference": "ebd91b-d17f-4b4b-bab6-4d958d2c459f",
            "payload": {"internalCode": "INTERNAL_ERROR_CODE"},
        }
    }
    sandbox.create_account(
        "No Music Contract", "nomusic-contract@example.com", has_music_account=False
    )
    api = Api(sandbox, sandbox.mint_token("nomusic-contract@example.com"))
    response = api.get("/me")
    assert response.status_code == 403
    body = response.json()
    assert_same_shape(example, body)
    assert body["error"]["code"] == example["error"]["code"]
    assert body["error"]["status"] == "403"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("/me/playlists?limit=0", 400, "BAD_REQUEST"), ("/albums/B0NOPE", 404, "RESOURCE_NOT_FOUND")],
)
def test_other_errors_carry_the_required_fields(
    alice: Api, path: str, status: int, code: str
) -> None:
    body = alice.request("GET", path).json()
    assert set(body) == {"error"}
    assert {"status", "code", "message", "reference"} <= set(body["error"])
    assert body["error"]["status"] == str(status)
    assert body["error"]["code"] == code
