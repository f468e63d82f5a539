"""How the transfer pipeline reaches Spotify and YouTube as destinations.

The pipeline (transfer.transfers) matches and writes into Amazon Music; for a job whose
destination is another service it asks this module for the catalog search to match against and
for the write step, so the jobs, their checkpoints, progress, review and retries stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from transfer.matching import Candidate, SearchQuery

SPOTIFY_DESTINATIONS = frozenset(
    {"spotify_new_playlist", "spotify_existing_playlist", "spotify_liked", "spotify_albums"}
)
YOUTUBE_DESTINATIONS = frozenset({"youtube_new_playlist"})


def destination_service(destination: str) -> str:
    """ "spotify", "youtube", or "" for Amazon Music and files."""
    if destination in SPOTIFY_DESTINATIONS:
        return "spotify"
    if destination in YOUTUBE_DESTINATIONS:
        return "youtube"
    return ""


def service_search(*, service: str, user_id: int) -> Callable[[SearchQuery], Sequence[Candidate]]:
    if service == "spotify":
        from transfer.spotify.matching import spotify_search

        return spotify_search(user_id=user_id)
    from transfer.youtube.matching import youtube_search

    return youtube_search(user_id=user_id)


def service_candidate(*, service: str, user_id: int, track_id: str) -> Candidate | None:
    """One track of the service's catalog by id (a track the person found by hand in review)."""
    if service == "spotify":
        from transfer.spotify.mapper import candidate_of
        from transfer.spotify.services import spotify_client_for

        return candidate_of(spotify_client_for(user_id).track(track_id))
    from transfer.youtube.mapper import split_title
    from transfer.youtube.services import youtube_client_for

    video = youtube_client_for(user_id).videos([track_id]).get(track_id)
    if video is None:
        return None
    title, artists = split_title(video.snippet.title, video.snippet.channel_title)
    return Candidate(
        id=video.id, title=title, artists=artists, duration_ms=video.content_details.duration_ms
    )


def service_write_step(*, job_id: str, service: str, budget_seconds: float) -> bool:
    """Write for up to ``budget_seconds``; True when nothing is left to write."""
    if service == "spotify":
        from transfer.spotify.writing import spotify_write_step

        return spotify_write_step(job_id=job_id, budget_seconds=budget_seconds)
    from transfer.youtube.writing import youtube_write_step

    return youtube_write_step(job_id=job_id, budget_seconds=budget_seconds)
