"""The YouTube Data API v3 client (https://developers.google.com/youtube/v3/docs), over requests.

Every call is counted against the day's quota (``quota.QuotaLedger``) before it is sent, so a
job stops with ``YouTubeQuotaExceededError`` (carrying the seconds until midnight Pacific) rather
than being refused by Google; a ``quotaExceeded`` answer from Google is believed too. Reads use
an OAuth token (the person's playlists) or the API key (public videos, so Takeout files resolve
without a connected account). ``videos.list`` takes at most 50 ids per call.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from typing import Any, Protocol

import requests

from transfer.youtube.errors import (
    YouTubeAuthError,
    YouTubeError,
    YouTubeForbiddenError,
    YouTubeNotFoundError,
    YouTubeQuotaExceededError,
    YouTubeRateLimitedError,
    YouTubeUnavailableError,
)
from transfer.youtube.quota import COSTS, QuotaLedger, seconds_until_reset
from transfer.youtube.schemas import Playlist, PlaylistItem, Video

TIMEOUT = (5, 20)
PAGE = 50
VIDEOS_PER_CALL = 50


class TokenProvider(Protocol):
    def get_token(self) -> str: ...

    def refresh_token(self, failed_token: str) -> str: ...


class YouTubeClient:
    def __init__(
        self,
        *,
        api_url: str,
        ledger: QuotaLedger,
        tokens: TokenProvider | None = None,
        api_key: str = "",
        session: requests.Session | None = None,
        retry_budget: float = 5.0,
        quota_recheck: float = 1800.0,
    ) -> None:
        if tokens is None and not api_key:
            raise ValueError("YouTubeClient needs a person's tokens or an API key")
        self.api_url = api_url.rstrip("/")
        self.ledger = ledger
        self.tokens = tokens
        self.api_key = api_key
        self.session = session or requests.Session()
        self.retry_budget = retry_budget
        self.quota_recheck = quota_recheck
        self.calls = 0

    def _request(
        self, method: str, path: str, *, cost: str, params: dict[str, Any], body: Any = None
    ) -> dict[str, Any]:
        units = COSTS[cost]
        if not self.ledger.spend(units):
            raise YouTubeQuotaExceededError(
                "Today's YouTube quota is used up",
                resume_in=seconds_until_reset(),
                recheck=self.quota_recheck,
            )
        token = self.tokens.get_token() if self.tokens else None
        refreshed = False
        deadline = time.monotonic() + self.retry_budget
        attempt = 0
        while True:
            attempt += 1
            self.calls += 1
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            query = dict(params)
            if not token:
                query["key"] = self.api_key
            try:
                response = self.session.request(
                    method,
                    f"{self.api_url}/{path}",
                    params=query,
                    json=body,
                    headers=headers,
                    timeout=TIMEOUT,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                if method == "GET" and self._backoff(attempt, deadline):
                    continue
                raise YouTubeUnavailableError(
                    f"YouTube did not answer ({type(exc).__name__})"
                ) from None
            if response.status_code == 204:  # a delete: no body
                return {}
            if response.status_code == 200:
                try:
                    return dict(response.json())
                except ValueError:
                    raise YouTubeUnavailableError("YouTube sent an unreadable answer") from None
            if response.status_code == 401 and token and self.tokens and not refreshed:
                refreshed = True
                token = self.tokens.refresh_token(token)
                continue
            if response.status_code >= 500 and method == "GET" and self._backoff(attempt, deadline):
                continue
            raise self._error(response)

    def _backoff(self, attempt: int, deadline: float) -> bool:
        wait = random.uniform(0, min(2.0, 0.2 * 2**attempt))
        if time.monotonic() + wait > deadline:
            return False
        time.sleep(wait)
        return True

    def _error(self, response: requests.Response) -> YouTubeError:
        status = response.status_code
        try:
            error = response.json().get("error", {})
            message = str(error.get("message", ""))
            reason = str((error.get("errors") or [{}])[0].get("reason", ""))
        except (ValueError, AttributeError, IndexError):
            message, reason = response.text[:200], ""
        if reason in {"quotaExceeded", "dailyLimitExceeded"}:
            self.ledger.exhaust()
            return YouTubeQuotaExceededError(
                "YouTube's daily quota is used up",
                resume_in=seconds_until_reset(),
                recheck=self.quota_recheck,
            )
        if status == 429 or reason in {"rateLimitExceeded", "userRateLimitExceeded"}:
            return YouTubeRateLimitedError("YouTube asks us to slow down", retry_after=5.0)
        if status == 401:
            return YouTubeAuthError(message, status=status, reason=reason)
        if status == 403:
            return YouTubeForbiddenError(message, status=status, reason=reason)
        if status == 404:
            return YouTubeNotFoundError(message, status=status, reason=reason)
        if status >= 500:
            return YouTubeUnavailableError(message, status=status, reason=reason)
        return YouTubeError(message, status=status, reason=reason)

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        token = ""
        while True:
            page = self._request(
                "GET",
                path,
                cost="list",
                params={**params, "maxResults": PAGE, **({"pageToken": token} if token else {})},
            )
            yield from page.get("items", [])
            token = page.get("nextPageToken", "")
            if not token:
                return

    # -- reads -------------------------------------------------------------------------------

    def iter_my_playlists(self) -> Iterator[Playlist]:
        for raw in self._pages("playlists", {"part": "snippet,contentDetails", "mine": "true"}):
            yield Playlist.model_validate(raw)

    def iter_playlist_items(self, playlist_id: str) -> Iterator[PlaylistItem]:
        params = {"part": "snippet,contentDetails", "playlistId": playlist_id}
        for raw in self._pages("playlistItems", params):
            yield PlaylistItem.model_validate(raw)

    def videos(self, video_ids: list[str]) -> dict[str, Video]:
        """The videos that exist, by id; 50 ids a call (1 unit each)."""
        found: dict[str, Video] = {}
        unique = list(dict.fromkeys(v for v in video_ids if v))
        for start in range(0, len(unique), VIDEOS_PER_CALL):
            chunk = unique[start : start + VIDEOS_PER_CALL]
            page = self._request(
                "GET",
                "videos",
                cost="list",
                params={"part": "snippet,contentDetails", "id": ",".join(chunk)},
            )
            for raw in page.get("items", []):
                video = Video.model_validate(raw)
                found[video.id] = video
        return found

    def search_video_ids(self, query: str, *, limit: int = 5) -> list[str]:
        """search.list costs 100 units: used only to find videos for a transfer into YouTube."""
        page = self._request(
            "GET",
            "search",
            cost="search",
            params={"part": "snippet", "q": query, "type": "video", "maxResults": limit},
        )
        return [
            str(item["id"]["videoId"])
            for item in page.get("items", [])
            if isinstance(item.get("id"), dict) and item["id"].get("videoId")
        ]

    # -- writes (50 units each) --------------------------------------------------------------

    def create_playlist(self, title: str, *, description: str = "") -> Playlist:
        raw = self._request(
            "POST",
            "playlists",
            cost="insert",
            params={"part": "snippet,status"},
            body={
                "snippet": {"title": title, "description": description},
                "status": {"privacyStatus": "private"},
            },
        )
        return Playlist.model_validate(raw)

    def insert_item(self, playlist_id: str, video_id: str) -> str:
        raw = self._request(
            "POST",
            "playlistItems",
            cost="insert",
            params={"part": "snippet"},
            body={
                "snippet": {
                    "playlistId": playlist_id,
                    "resourceId": {"kind": "youtube#video", "videoId": video_id},
                }
            },
        )
        return str(raw.get("id", ""))

    def delete_item(self, item_id: str) -> None:
        """playlistItems.delete (50 units): one entry of a playlist, by its item id."""
        self._request("DELETE", "playlistItems", cost="delete", params={"id": item_id})
