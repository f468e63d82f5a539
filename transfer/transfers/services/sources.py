"""Where transfers come from: uploaded files, pasted lists, and the person's Amazon Music."""

from __future__ import annotations

from django.conf import settings

from transfer.amazon.clients import music_client_for
from transfer.amazon.mapping import track_record
from transfer.formats import ColumnMapping, FormatError, Limits, ParseResult, read_any
from transfer.formats.records import PlaylistRecord
from transfer.transfers.services.jobs import TransferError


def upload_limits() -> Limits:
    return Limits(
        max_bytes=settings.TRANSFER_MAX_UPLOAD_BYTES, max_tracks=settings.TRANSFER_MAX_TRACKS
    )


def parse_upload(
    data: bytes, filename: str | None, *, mapping: ColumnMapping | None = None
) -> ParseResult:
    """Read an uploaded file or pasted text; a problem that stops the import is a TransferError."""
    if not data.strip():
        raise TransferError(f"{filename or 'The list'} is empty.")
    try:
        return read_any(data, filename, mapping=mapping, limits=upload_limits())
    except FormatError as exc:
        raise TransferError(str(exc)) from exc


def read_amazon_playlist(*, user_id: int, playlist_id: str) -> PlaylistRecord:
    client = music_client_for(user_id)
    playlist = client.get_playlist(playlist_id)
    tracks = [track_record(entry.track) for entry in client.iter_playlist_tracks(playlist_id)]
    return PlaylistRecord(
        name=playlist.title or "Amazon Music playlist", tracks=tracks, source_id=playlist_id
    )


def read_amazon_library_tracks(*, user_id: int) -> PlaylistRecord:
    client = music_client_for(user_id)
    tracks = [track_record(item.track) for item in client.iter_library_tracks()]
    return PlaylistRecord(
        name="Amazon Music library songs", tracks=tracks, source_id="library:tracks"
    )
