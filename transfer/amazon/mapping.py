"""The one mapper from Amazon catalog objects (catalog_client models) to the app's own types.

Everything the product keeps or compares about an Amazon track goes through here: the record a
transfer reads from a playlist or the library (``TrackRecord``), the candidate the matcher
scores (``Candidate``) and the artists a snapshot stores. So "what does Amazon's track mean to
us" (seconds become milliseconds, the explicit flag may hide in the parental settings, artists
without a name are dropped) is decided once. A second service (transfer/spotify,
transfer/youtube) keeps its own ``mapping.py`` of the same shape.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog_client import Album, AlbumRef, AlbumTrack, ArtistRef, Track
from transfer.formats.records import TrackRecord
from transfer.matching.types import Candidate


def artist_names(artists: Iterable[ArtistRef]) -> tuple[str, ...]:
    """Names in Amazon's order; artists the catalog left unnamed are left out."""
    return tuple(a.name for a in artists if a.name)


def explicit_of(track: Track) -> bool | None:
    """Amazon's explicit flag, or the parental settings' when the track itself is silent."""
    if track.explicit is None and track.parental_settings is not None:
        return track.parental_settings.has_explicit_language
    return track.explicit


def duration_ms_of(seconds: int | None) -> int | None:
    # reference.md §3.4: "duration (seconds, e.g. 232)"; the app counts milliseconds.
    return seconds * 1000 if seconds else None


def album_title_of(album: AlbumRef | None) -> str:
    return (album.title or "") if album else ""


def track_record(track: Track) -> TrackRecord:
    """A catalog track as a transfer's source track (playlists, library, syncs)."""
    return TrackRecord(
        title=track.title or "",
        artists=artist_names(track.artists),
        album=album_title_of(track.album),
        duration_ms=duration_ms_of(track.duration),
        isrc=track.isrc or "",
        explicit=explicit_of(track),
        release_date=track.release_date or "",
        source_id=track.id,
    )


def album_track_record(album: Album, track: AlbumTrack) -> TrackRecord:
    """A track of an album's listing, which names no artists of its own: the album's stand."""
    return TrackRecord(
        title=track.title or "",
        artists=artist_names(album.artists),
        album=album.title or "",
        duration_ms=duration_ms_of(track.duration),
        isrc=track.isrc or "",
        track_number=track.track_number,
        source_id=track.id,
    )


def candidate(track: Track) -> Candidate:
    """A catalog track as the matcher scores it and the review page shows it."""
    images = track.images or (track.album.images if track.album else [])
    return Candidate(
        id=track.id,
        title=track.title or "",
        artists=artist_names(track.artists),
        album=album_title_of(track.album),
        duration_ms=duration_ms_of(track.duration),
        isrc=track.isrc or "",
        explicit=explicit_of(track),
        image_url=images[0].url if images else "",
        album_id=(track.album.id or "") if track.album else "",
    )
