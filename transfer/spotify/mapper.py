"""From Spotify's objects to ours: TrackRecord for sources, Candidate for matching into Spotify."""

from __future__ import annotations

from transfer.formats.records import TrackRecord
from transfer.matching import Candidate
from transfer.spotify.schemas import Album, Track


def track_record_of(track: Track, *, added_at: str = "") -> TrackRecord:
    album = track.album
    return TrackRecord(
        title=track.name,
        artists=tuple(a.name for a in track.artists if a.name),
        album=album.name if album else "",
        duration_ms=track.duration_ms,
        isrc=track.isrc,
        explicit=track.explicit,
        album_artists=tuple(a.name for a in album.artists if a.name) if album else (),
        track_number=track.track_number,
        release_date=album.release_date if album else "",
        source_id=track.uri or (f"spotify:track:{track.id}" if track.id else ""),
        added_at=added_at,
    )


def album_track_records(album: Album) -> list[TrackRecord]:
    """A saved album's tracks (the simplified track objects carry no album of their own)."""
    artists = tuple(a.name for a in album.artists if a.name)
    return [
        TrackRecord(
            title=track.name,
            artists=tuple(a.name for a in track.artists if a.name) or artists,
            album=album.name,
            duration_ms=track.duration_ms,
            explicit=track.explicit,
            album_artists=artists,
            track_number=track.track_number,
            release_date=album.release_date,
            source_id=track.uri,
        )
        for track in (album.tracks.items if album.tracks else [])
    ]


def candidate_of(track: Track) -> Candidate:
    return Candidate(
        id=track.id or "",
        title=track.name,
        artists=tuple(a.name for a in track.artists if a.name),
        album=track.album.name if track.album else "",
        duration_ms=track.duration_ms,
        isrc=track.isrc,
        explicit=track.explicit,
        album_id=(track.album.id or "") if track.album else "",
    )
