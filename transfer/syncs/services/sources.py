"""Reading a sync's source again: an Amazon playlist, the Amazon library, or a file at a URL.

Amazon sources are read page by page with uncached reads, one API call per page and nothing
else, so a run that finds nothing new costs exactly the pages it read. (The client's per-person
cache would hide changes made in Amazon's own apps for a couple of minutes; a sync wants the
truth.) Each track gets a fingerprint, its ``key``: the Amazon id for Amazon sources, a digest
of the matcher's identity of the track for files, so that a track whose title, artist, ISRC or
length changes in the file counts as changed and is matched again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from catalog_client import AmazonMusicClient, Track
from transfer.amazon.clients import ConnectionTokenProvider, music_client_for
from transfer.amazon.mapping import track_record
from transfer.formats.records import ParseResult, TrackRecord
from transfer.matching.cascade import track_key
from transfer.syncs.fetch import fetch_url
from transfer.syncs.models import Sync
from transfer.transfers.services.sources import parse_upload


@dataclass
class SourceRead:
    """The source as it is now: its tracks in order, each once, keyed by fingerprint."""

    tracks: dict[str, TrackRecord] = field(default_factory=dict)
    pages: int = 0
    format: str = ""
    # Tracks the source lists (repeats included), for the run's "found" figure.
    listed: int = 0

    def add(self, key: str, record: TrackRecord) -> None:
        self.listed += 1
        self.tracks.setdefault(key, record)


def amazon_key(track_id: str) -> str:
    return f"a:{track_id}"[:64]


def file_key(record: TrackRecord) -> str:
    return "f:" + hashlib.sha256(track_key(record).encode()).hexdigest()[:60]


def reader_for(user_id: int) -> AmazonMusicClient:
    """A client for the person whose reads skip the cache (writes still go through theirs)."""
    return music_client_for(user_id).for_user(ConnectionTokenProvider(user_id), None)


def source_read(*, sync: Sync) -> SourceRead:
    if sync.source_kind == Sync.SourceKind.URL:
        return read_url(sync.source_ref)
    if sync.source_kind.startswith(("spotify_", "youtube_")):  # transfer.connections
        from transfer.connections.syncs import service_sync_read

        read = SourceRead(format=sync.source_kind.partition("_")[0], pages=1)
        for key, record in service_sync_read(
            user_id=sync.user_id, source_kind=sync.source_kind, source_ref=sync.source_ref
        ):
            read.add(key, record)
        return read
    client = reader_for(sync.user_id)
    if sync.source_kind == Sync.SourceKind.AMAZON_PLAYLIST:
        pages: Iterable[Iterable[Track]] = (
            [entry.track for entry in page.items]
            for page in client.iter_playlist_tracks(sync.source_ref).pages()
        )
    else:
        pages = (
            [item.track for item in page.items] for page in client.iter_library_tracks().pages()
        )
    read = SourceRead(format="amazon")
    for tracks in pages:
        read.pages += 1
        for track in tracks:
            read.add(amazon_key(track.id), track_record(track))
    return read


def read_url(url: str) -> SourceRead:
    """Fetch and parse the file; every playlist in it counts, in order.

    Raises FetchError, or TransferError for a file that is not a playlist we can read.
    """
    parsed, _ = _fetch_parsed(url)
    read = SourceRead(format=parsed.format)
    for playlist in parsed.playlists:
        for record in playlist.tracks:
            read.add(file_key(record), record)
    return read


def url_preview(url: str) -> tuple[str, int]:
    """A name for the sync and how many tracks the file has, to check a URL before saving."""
    parsed, filename = _fetch_parsed(url)
    names = [p.name for p in parsed.playlists if p.name]
    return (names[0] if names else filename), parsed.track_count


def _fetch_parsed(url: str) -> tuple[ParseResult, str]:
    fetched = fetch_url(
        url,
        max_bytes=settings.SYNC_URL_MAX_BYTES,
        timeout=settings.SYNC_URL_TIMEOUT,
        allow_private=settings.SYNC_ALLOW_PRIVATE_URLS,
    )
    return parse_upload(fetched.data, fetched.filename), fetched.filename
