"""Spotify as a source: a playlist, Liked Songs or saved albums as PlaylistRecords, in order.

Local files and podcast episodes in a playlist are skipped (they have no ISRC and no catalog
counterpart), and said so in the record's problems by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.spotify.mapper import album_track_records, track_record_of
from transfer.spotify.services import spotify_client_for


@dataclass(frozen=True)
class SourceChoice:
    ref: str  # "playlist:<id>", "liked" or "albums"
    label: str
    count: int
    readable: bool = True
    note: str = ""


def spotify_source_choices(*, user_id: int) -> list[SourceChoice]:
    client = spotify_client_for(user_id)
    me = client.me()
    choices = [SourceChoice("liked", "Liked Songs", -1), SourceChoice("albums", "Saved albums", -1)]
    for playlist in client.iter_playlists():
        own = playlist.owner.id == me.id or playlist.collaborative
        choices.append(
            SourceChoice(
                f"playlist:{playlist.id}",
                playlist.name or playlist.id,
                playlist.total,
                readable=own,
                note=""
                if own
                else (
                    f"followed (by {playlist.owner.display_name or playlist.owner.id}): Spotify "
                    "lets apps in development mode read only playlists you own or collaborate on"
                ),
            )
        )
    return choices


def spotify_read(*, user_id: int, ref: str) -> PlaylistRecord:
    client = spotify_client_for(user_id)
    if ref == "liked":
        tracks = [
            track_record_of(s.track, added_at=s.added_at or "") for s in client.iter_saved_tracks()
        ]
        return PlaylistRecord(name="Spotify Liked Songs", tracks=tracks, source_id="spotify:liked")
    if ref == "albums":
        tracks = []
        for saved in client.iter_saved_albums():
            tracks.extend(album_track_records(saved.album))
        return PlaylistRecord(
            name="Spotify saved albums", tracks=tracks, source_id="spotify:albums"
        )
    playlist_id = ref.removeprefix("playlist:")
    playlist = client.playlist(playlist_id)
    records: list[TrackRecord] = []
    for entry in client.iter_playlist_entries(playlist_id):
        track = entry.object
        if track is None or track.is_local or track.type != "track" or not track.id:
            continue
        records.append(track_record_of(track, added_at=entry.added_at or ""))
    return PlaylistRecord(
        name=playlist.name or "Spotify playlist",
        tracks=records,
        description=playlist.description or "",
        source_id=f"spotify:playlist:{playlist_id}",
    )
