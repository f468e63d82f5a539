"""File exports: a job's matched tracks, or any Amazon playlist or the library, as a file."""

from __future__ import annotations

from django.db.models import Q

from transfer.formats import filename_for, write
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import sources

EXPORT_FORMATS = {
    "csv": ("text/csv", "CSV"),
    "m3u": ("audio/x-mpegurl", "M3U8"),
    "xspf": ("application/xspf+xml", "XSPF"),
    "jspf": ("application/json", "JSPF"),
    "text": ("text/plain", "Text"),
}


def _export(format_id: str, playlist: PlaylistRecord) -> tuple[bytes, str, str]:
    if format_id not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {format_id!r}")
    content_type = EXPORT_FORMATS[format_id][0]
    return write(format_id, playlist), filename_for(format_id, playlist.name), content_type


def export_job(*, job: TransferJob, format_id: str) -> tuple[bytes, str, str]:
    """The job's matches, in order, as the catalog has them (unmatched tracks left out)."""
    tracks = []
    for row in job.tracks.exclude(chosen_id="").exclude(band=SourceTrack.Band.NOT_FOUND):
        chosen = row.chosen or {}
        tracks.append(
            TrackRecord(
                title=str(chosen.get("title") or row.title),
                artists=tuple(chosen.get("artists") or row.artists),
                album=str(chosen.get("album") or row.album),
                duration_ms=chosen.get("duration_ms") or row.duration_ms,
                isrc=str(chosen.get("isrc") or row.isrc),
                explicit=chosen.get("explicit"),
                source_id=row.chosen_id,
            )
        )
    return _export(format_id, PlaylistRecord(name=job.name, tracks=tracks))


def export_unmatched(*, job: TransferJob) -> tuple[bytes, str, str]:
    """The tracks that did not make it, as they came, so they can be fixed and imported again."""
    Band, Write = SourceTrack.Band, SourceTrack.Write
    rows = job.tracks.filter(
        Q(band__in=[Band.REVIEW, Band.NOT_FOUND, Band.SKIPPED]) | Q(write_state=Write.NOT_WRITTEN)
    ).exclude(write_state__in=[Write.WRITTEN, Write.ALREADY_THERE, Write.DUPLICATE])
    tracks = [
        TrackRecord(
            title=row.title,
            artists=tuple(row.artists),
            album=row.album,
            duration_ms=row.duration_ms,
            isrc=row.isrc,
            explicit=row.explicit,
            source_id=row.source_id,
            line=row.line,
        )
        for row in rows
    ]
    data, _, content_type = _export("csv", PlaylistRecord(name=job.name, tracks=tracks))
    return data, filename_for("csv", f"{job.name} - unmatched"), content_type


def export_amazon_playlist(
    *, user_id: int, playlist_id: str, format_id: str
) -> tuple[bytes, str, str]:
    return _export(
        format_id, sources.read_amazon_playlist(user_id=user_id, playlist_id=playlist_id)
    )


def export_amazon_library(*, user_id: int, format_id: str) -> tuple[bytes, str, str]:
    return _export(format_id, sources.read_amazon_library_tracks(user_id=user_id))
