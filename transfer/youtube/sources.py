"""YouTube as a source: a playlist's videos as TrackRecords (titles read by the mapper)."""

from __future__ import annotations

from transfer.formats.records import PlaylistRecord
from transfer.spotify.sources import SourceChoice
from transfer.youtube.mapper import track_record_of
from transfer.youtube.services import youtube_client_for


def youtube_source_choices(*, user_id: int) -> list[SourceChoice]:
    client = youtube_client_for(user_id)
    return [
        SourceChoice(f"playlist:{p.id}", p.snippet.title or p.id, p.content_details.item_count)
        for p in client.iter_my_playlists()
    ]


def youtube_read(*, user_id: int, ref: str) -> PlaylistRecord:
    """Items 50 a page (1 unit each), then videos.list for lengths and channels, 50 a call."""
    client = youtube_client_for(user_id)
    playlist_id = ref.removeprefix("playlist:")
    items = list(client.iter_playlist_items(playlist_id))
    videos = client.videos([item.video_id for item in items])
    title = next(
        (p.snippet.title for p in client.iter_my_playlists() if p.id == playlist_id),
        "YouTube playlist",
    )
    tracks = [
        track_record_of(videos[item.video_id], line=position + 1)
        for position, item in enumerate(items)
        if item.video_id in videos
    ]
    return PlaylistRecord(name=title, tracks=tracks, source_id=f"youtube:playlist:{playlist_id}")
