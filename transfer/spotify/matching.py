"""Matching into Spotify: the matcher's catalog searches, run against Spotify's search.

The pure matcher (transfer.matching) asks for an ISRC search first, then field searches; each
becomes one Spotify query (``isrc:…``, ``track:… artist:…``). Development-mode apps get at most
10 results a search, which is what the matcher asks for anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from transfer.matching import Candidate, SearchQuery
from transfer.spotify.mapper import candidate_of
from transfer.spotify.services import spotify_client_for

FIELDS = {"name": "track", "artistName": "artist", "albumName": "album"}
MAX_RESULTS = 10


def spotify_query(query: SearchQuery) -> str:
    parts = []
    for field, value in query.filters:
        value = " ".join(value.replace('"', " ").split())
        if not value:
            continue
        if field == "isrc":
            parts.append(f"isrc:{value}")
        elif field in FIELDS:
            parts.append(f"{FIELDS[field]}:{value}")
        else:
            parts.append(value)
    return " ".join(parts)


def spotify_search(*, user_id: int) -> Callable[[SearchQuery], Sequence[Candidate]]:
    client = spotify_client_for(user_id)

    def search(query: SearchQuery) -> Sequence[Candidate]:
        text = spotify_query(query)
        if not text:
            return []
        tracks = client.search_tracks(text, limit=min(query.limit, MAX_RESULTS))
        return [candidate_of(t) for t in tracks if t.id]

    return search
