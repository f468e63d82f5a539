"""Matching into YouTube: one search.list (100 units) per track, then videos.list (1 unit per 50)
for the candidates' lengths and channels. Expensive by design of YouTube's quota: the new-transfer
page shows the cost before anything starts, and decisions are cached like every other match."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from transfer.matching import Candidate, SearchQuery
from transfer.youtube.mapper import split_title
from transfer.youtube.services import youtube_client_for

SEARCH_RESULTS = 5


def youtube_search(*, user_id: int) -> Callable[[SearchQuery], Sequence[Candidate]]:
    client = youtube_client_for(user_id)

    def search(query: SearchQuery) -> Sequence[Candidate]:
        # An ISRC means nothing to YouTube's search; the title and artist searches do the work.
        words = [value for field, value in query.filters if field != "isrc" and value.strip()]
        if not words:
            return []
        ids = client.search_video_ids(" ".join(words), limit=SEARCH_RESULTS)
        videos = client.videos(ids)
        candidates = []
        for video_id in ids:
            video = videos.get(video_id)
            if video is None:
                continue
            title, artists = split_title(video.snippet.title, video.snippet.channel_title)
            candidates.append(
                Candidate(
                    id=video.id,
                    title=title,
                    artists=artists,
                    duration_ms=video.content_details.duration_ms,
                )
            )
        return candidates

    return search
