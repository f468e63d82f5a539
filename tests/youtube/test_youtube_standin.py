"""The YouTube stand-in over HTTP: paging, videos.list by 50, quota units and quotaExceeded."""

from __future__ import annotations

import csv
import io
import uuid

import requests
from django.conf import settings as django_settings

from devtools.sandbox_server import REPO, ServiceStandIns
from tests.spotify.conftest import YOUTUBE_READ_ONLY

TAKEOUT = REPO / "sandbox" / "data" / "samples" / "youtube_music_takeout_liked-videos.csv"


def _takeout_ids() -> list[str]:
    return [row["Video ID"] for row in csv.DictReader(io.StringIO(TAKEOUT.read_text()))]


def test_youtube_videos_list_resolves_takeout_ids_in_batches_of_50(
    standins: ServiceStandIns,
) -> None:
    ids = _takeout_ids()
    answer = requests.get(
        f"{standins.youtube_api}/videos",
        params={
            "part": "snippet,contentDetails",
            "id": ",".join(ids),
            "key": "sandbox-youtube-api-key",
        },
        timeout=30,
    ).json()
    titles = {item["id"]: item["snippet"]["title"] for item in answer["items"]}
    assert titles["3_R4ulvg8OY"] == "I Hate Everything (feat. Action Bronson)"
    too_many = requests.get(
        f"{standins.youtube_api}/videos",
        params={"part": "snippet", "id": ",".join(ids + ids), "key": "sandbox-youtube-api-key"},
        timeout=30,
    )
    assert too_many.status_code == 400


def test_youtube_quota_runs_out_with_quota_exceeded_until_a_new_day(
    standins: ServiceStandIns,
) -> None:
    name = f"yt-{uuid.uuid4().hex[:8]}"
    standins.youtube_person(name, playlists=[3])
    headers = {"Authorization": f"Bearer {standins.youtube_token(name)['access_token']}"}
    standins.youtube("POST", "config", {"daily_quota": 2})
    url = f"{standins.youtube_api}/playlists"
    params = {"part": "snippet,contentDetails", "mine": "true"}
    # The quota is per project: other tests' calls count too, so start from a fresh day.
    standins.youtube("POST", "new-day")
    assert requests.get(url, params=params, headers=headers, timeout=30).status_code == 200
    assert requests.get(url, params=params, headers=headers, timeout=30).status_code == 200
    refused = requests.get(url, params=params, headers=headers, timeout=30)
    assert refused.status_code == 403
    assert refused.json()["error"]["errors"][0]["reason"] == "quotaExceeded"
    assert refused.json()["error"]["errors"][0]["domain"] == "youtube.quota"
    standins.youtube("POST", "new-day")
    assert requests.get(url, params=params, headers=headers, timeout=30).status_code == 200


def test_youtube_playlist_items_page_by_50_in_order(standins: ServiceStandIns) -> None:
    name = f"yt-{uuid.uuid4().hex[:8]}"
    created = standins.youtube_person(name, playlists=[120])
    headers = {"Authorization": f"Bearer {standins.youtube_token(name)['access_token']}"}
    truth = standins.youtube("GET", f"accounts/{name}")["playlists"][0]["video_ids"]
    seen: list[str] = []
    token = ""
    while True:
        page = requests.get(
            f"{standins.youtube_api}/playlistItems",
            params={
                "part": "snippet,contentDetails",
                "playlistId": created["playlists"][0],
                "maxResults": 50,
                "pageToken": token,
            },
            headers=headers,
            timeout=30,
        ).json()
        seen += [item["contentDetails"]["videoId"] for item in page["items"]]
        token = page.get("nextPageToken", "")
        if not token:
            break
    assert seen == truth


def test_youtube_standin_refuses_writes_with_a_read_only_token_like_google(
    standins: ServiceStandIns,
) -> None:
    """youtube.readonly reads; playlists.insert, playlistItems.insert and .delete answer 403
    insufficientPermissions, as Google does. The ``youtube`` scope may do all of them."""
    name = f"yt-{uuid.uuid4().hex[:8]}"
    standins.youtube_person(name, playlists=[2])
    standins.youtube("POST", "new-day")
    reader_token = standins.youtube_token(name, YOUTUBE_READ_ONLY)
    reader = {"Authorization": f"Bearer {reader_token['access_token']}"}
    writer_token = standins.youtube_token(
        name, ["profile", "https://www.googleapis.com/auth/youtube"]
    )
    writer = {"Authorization": f"Bearer {writer_token['access_token']}"}
    api = standins.youtube_api
    playlist_id = standins.youtube("GET", f"accounts/{name}")["playlists"][0]["id"]
    items = {"part": "snippet", "playlistId": playlist_id}
    assert requests.get(f"{api}/playlistItems", params=items, headers=reader, timeout=30).ok

    def refused(response: requests.Response) -> None:
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["errors"][0]["reason"] == "insufficientPermissions"
        assert error["status"] == "PERMISSION_DENIED"

    new_playlist = {"snippet": {"title": "Nope"}, "status": {"privacyStatus": "private"}}
    refused(
        requests.post(
            f"{api}/playlists",
            params={"part": "snippet,status"},
            json=new_playlist,
            headers=reader,
            timeout=30,
        )
    )
    video = standins.youtube("GET", f"accounts/{name}")["playlists"][0]["video_ids"][0]
    insert = {
        "snippet": {
            "playlistId": playlist_id,
            "resourceId": {"kind": "youtube#video", "videoId": video},
        }
    }
    refused(
        requests.post(
            f"{api}/playlistItems",
            params={"part": "snippet"},
            json=insert,
            headers=reader,
            timeout=30,
        )
    )
    first_item = requests.get(
        f"{api}/playlistItems", params=items, headers=reader, timeout=30
    ).json()["items"][0]["id"]
    refused(
        requests.delete(
            f"{api}/playlistItems", params={"id": first_item}, headers=reader, timeout=30
        )
    )
    # With the write scope: the same calls go through; a delete answers 204, as Google's.
    made = requests.post(
        f"{api}/playlists",
        params={"part": "snippet,status"},
        json=new_playlist,
        headers=writer,
        timeout=30,
    )
    assert made.status_code == 200
    deleted = requests.delete(
        f"{api}/playlistItems", params={"id": first_item}, headers=writer, timeout=30
    )
    assert deleted.status_code == 204
    missing = requests.delete(
        f"{api}/playlistItems", params={"id": first_item}, headers=writer, timeout=30
    )
    assert missing.status_code == 404
    standins.youtube("POST", "new-day")


def test_youtube_standin_keeps_playlist_descriptions_and_pages_mine_like_google(
    standins: ServiceStandIns,
) -> None:
    """playlists.insert keeps snippet.description and playlists.list(mine=true) gives it back,
    paged by maxResults (5 unless asked, 50 at most) and pageToken, 1 unit a page; the insert
    costs 50."""
    name = f"yt-{uuid.uuid4().hex[:8]}"
    standins.youtube_person(name, playlists=[1] * 6)
    standins.youtube("POST", "new-day")
    headers = {"Authorization": f"Bearer {standins.youtube_token(name)['access_token']}"}
    url = f"{standins.youtube_api}/playlists"
    made = requests.post(
        url,
        params={"part": "snippet,status"},
        json={
            "snippet": {"title": "Mine", "description": "Music Transfer job 42"},
            "status": {"privacyStatus": "private"},
        },
        headers=headers,
        timeout=30,
    )
    assert made.status_code == 200
    assert made.json()["snippet"]["description"] == "Music Transfer job 42"

    def used() -> int:
        return sum(standins.youtube("GET", "quota")["used"].values())

    start = used()
    pages: list[list[dict]] = []
    token = ""
    while True:
        params = {"part": "snippet", "mine": "true", **({"pageToken": token} if token else {})}
        page = requests.get(url, params=params, headers=headers, timeout=30).json()
        pages.append(page["items"])
        token = page.get("nextPageToken", "")
        if not token:
            break
    assert [len(p) for p in pages] == [5, 2]  # 7 playlists, 5 a page by default
    assert used() - start == 2
    found = [p for page in pages for p in page if p["id"] == made.json()["id"]]
    assert [p["snippet"]["description"] for p in found] == ["Music Transfer job 42"]
    assert standins.youtube("GET", f"accounts/{name}")["playlists"][0]["description"] == (
        "Music Transfer job 42"
    )
    too_many = requests.get(
        url,
        params={"part": "snippet", "mine": "true", "maxResults": "51"},
        headers=headers,
        timeout=30,
    )
    assert too_many.status_code == 400


def test_youtube_standin_grants_by_default_the_scopes_the_app_asks_for(
    standins: ServiceStandIns,
) -> None:
    """The control API's token is what a person who agreed to the app's consent screen holds:
    YOUTUBE_SCOPES (the write scope), so it may make playlists; a read-only grant is asked for."""
    name = f"yt-{uuid.uuid4().hex[:8]}"
    standins.youtube_person(name, playlists=[])
    standins.youtube("POST", "new-day")
    token = standins.youtube_token(name)
    assert set(token["scope"].split()) == set(django_settings.YOUTUBE_SCOPES)
    assert "https://www.googleapis.com/auth/youtube" in token["scope"].split()
    made = requests.post(
        f"{standins.youtube_api}/playlists",
        params={"part": "snippet,status"},
        json={"snippet": {"title": "Mine"}, "status": {"privacyStatus": "private"}},
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=30,
    )
    assert made.status_code == 200
    narrow = standins.youtube_token(name, YOUTUBE_READ_ONLY)
    assert set(narrow["scope"].split()) == set(YOUTUBE_READ_ONLY)
