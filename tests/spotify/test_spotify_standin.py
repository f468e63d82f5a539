"""The Spotify stand-in over HTTP: PKCE sign-in, paging, the development-mode rules, 429s."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid

import requests

from devtools.sandbox_server import ServiceStandIns


def _headers(token: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {token['access_token']}"}


def _name() -> str:
    return f"sp-{uuid.uuid4().hex[:8]}"


def test_spotify_pkce_code_flow_gives_tokens_that_refresh(standins: ServiceStandIns) -> None:
    redirect = "http://client.test/cb"
    standins.spotify("POST", "clients", {"client_id": "pkce-app", "redirect_uris": [redirect]})
    verifier = "v" * 64
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    )
    answer = requests.post(
        f"{standins.spotify_accounts}/authorize",
        data={
            "client_id": "pkce-app",
            "response_type": "code",
            "redirect_uri": redirect,
            "scope": "user-library-read",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": "s1",
            "decision": "allow",
            "account": "alice",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert "state=s1" in location
    code = re.search("code=([^&]+)", location).group(1)  # type: ignore[union-attr]
    wrong = requests.post(
        f"{standins.spotify_accounts}/api/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": "pkce-app",
            "code_verifier": "w" * 64,
        },
        timeout=30,
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    tokens = requests.post(
        f"{standins.spotify_accounts}/api/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": "pkce-app",
            "code_verifier": verifier,
        },
        timeout=30,
    ).json()
    me = requests.get(f"{standins.spotify_api}/me", headers=_headers(tokens), timeout=30).json()
    assert me["id"] == "alice"
    refreshed = requests.post(
        f"{standins.spotify_accounts}/api/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "pkce-app",
        },
        timeout=30,
    ).json()
    # PKCE clients get a new refresh token each time; the old one stops working.
    assert refreshed["refresh_token"] != tokens["refresh_token"]
    again = requests.post(
        f"{standins.spotify_accounts}/api/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "pkce-app",
        },
        timeout=30,
    )
    assert again.status_code == 400


def test_spotify_liked_songs_page_by_50_in_order(standins: ServiceStandIns) -> None:
    name = _name()
    standins.spotify_person(name, liked=120)
    headers = _headers(standins.spotify_token(name))
    truth = [t["id"] for t in standins.spotify("GET", f"accounts/{name}")["liked"]]
    seen: list[str] = []
    url: str | None = f"{standins.spotify_api}/me/tracks?limit=50"
    while url:
        page = requests.get(url, headers=headers, timeout=30).json()
        seen += [item["track"]["id"] for item in page["items"]]
        assert all(item["track"]["external_ids"]["isrc"] for item in page["items"])
        url = page["next"]
    assert seen == truth
    too_big = requests.get(
        f"{standins.spotify_api}/me/tracks?limit=51", headers=headers, timeout=30
    )
    assert too_big.status_code == 400
    assert too_big.json() == {"error": {"status": 400, "message": "Invalid limit"}}


def test_spotify_playlist_items_follow_the_development_mode_rules(
    standins: ServiceStandIns,
) -> None:
    headers = _headers(standins.spotify_token("alice"))
    playlists = requests.get(
        f"{standins.spotify_api}/me/playlists?limit=50", headers=headers, timeout=30
    ).json()["items"]
    by_name = {p["name"]: p for p in playlists}
    own = by_name["Raid the Data Center"]
    items = requests.get(
        f"{standins.spotify_api}/playlists/{own['id']}/items", headers=headers, timeout=30
    ).json()
    # The real fixture playlist, with its real ISRCs, under "item" (February 2026 rename).
    assert items["items"][0]["item"]["external_ids"]["isrc"] == "GBAHT1400473"
    followed = by_name["Rock Classics"]
    url = f"{standins.spotify_api}/playlists/{followed['id']}/items"
    assert requests.get(url, headers=headers, timeout=30).status_code == 403
    standins.spotify("POST", "config", {"mode": "extended"})
    assert requests.get(url, headers=headers, timeout=30).status_code == 200
    editorial = by_name["Today's Top Hits"]
    url = f"{standins.spotify_api}/playlists/{editorial['id']}/items"
    assert requests.get(url, headers=headers, timeout=30).status_code == 404


def test_spotify_adds_at_most_100_items_per_call(standins: ServiceStandIns) -> None:
    name = _name()
    standins.spotify_person(name, liked=150)
    headers = _headers(standins.spotify_token(name))
    liked = [t["id"] for t in standins.spotify("GET", f"accounts/{name}")["liked"]]
    created = requests.post(
        f"{standins.spotify_api}/me/playlists", json={"name": "New"}, headers=headers, timeout=30
    )
    assert created.status_code == 201
    playlist_id = created.json()["id"]
    url = f"{standins.spotify_api}/playlists/{playlist_id}/items"
    uris = [f"spotify:track:{t}" for t in liked]
    assert (
        requests.post(url, json={"uris": uris[:101]}, headers=headers, timeout=30).status_code
        == 400
    )
    assert (
        requests.post(url, json={"uris": uris[:100]}, headers=headers, timeout=30).status_code
        == 201
    )
    page = requests.get(url, headers=headers, timeout=30).json()
    assert [i["item"]["id"] for i in page["items"]] == liked[:100]


def test_spotify_throttles_in_a_rolling_30_second_window(standins: ServiceStandIns) -> None:
    headers = _headers(standins.spotify_token("alice"))
    standins.spotify("POST", "config", {"rate_limit": 3})
    statuses = [
        requests.get(f"{standins.spotify_api}/me", headers=headers, timeout=30) for _ in range(4)
    ]
    assert [s.status_code for s in statuses] == [200, 200, 200, 429]
    assert 1 <= int(statuses[-1].headers["Retry-After"]) <= 30
    assert statuses[-1].json()["error"]["status"] == 429


def test_spotify_expired_token_is_401_with_spotify_message(standins: ServiceStandIns) -> None:
    standins.spotify("POST", "config", {"access_token_ttl": 0})
    answer = requests.get(
        f"{standins.spotify_api}/me", headers=_headers(standins.spotify_token("alice")), timeout=30
    )
    assert answer.status_code == 401
    assert answer.json() == {"error": {"status": 401, "message": "The access token expired"}}


def test_spotify_library_put_saves_tracks_once(standins: ServiceStandIns) -> None:
    name = _name()
    standins.spotify_person(name, liked=0)
    headers = _headers(standins.spotify_token(name))
    track = requests.get(
        f"{standins.spotify_api}/search",
        params={"q": "isrc:GBAHT1400473", "type": "track"},
        headers=headers,
        timeout=30,
    ).json()["tracks"]["items"][0]
    for _ in range(2):
        saved = requests.put(
            f"{standins.spotify_api}/me/library",
            params={"uris": track["uri"]},
            headers=headers,
            timeout=30,
        )
        assert saved.status_code == 200
    assert [t["id"] for t in standins.spotify("GET", f"accounts/{name}")["liked"]] == [track["id"]]
