"""Library backups: a snapshot of a person's playlists and library, the changes between
snapshots, and restoring a playlist from one.

A snapshot is one row with a zlib-compressed JSON blob, so a 10,000-track library costs one
row of a few hundred kilobytes instead of 10,000 rows. The blob (version 2)::

    {"v": 2,
     "tracks": {"<id>": ["title", ["artist", ...], "album"], ...},   # each track once
     "playlists": [{"id": "...", "title": "...", "tracks": ["<id>", ...]}, ...],
     "library_tracks": ["<id>", ...],
     "library_albums": [["<id>", "title", ["artist", ...]], ...]}

Artists are lists because a name may hold a comma ("Earth, Wind & Fire"). Version 1 joined
them with ", "; migration ``0002_snapshot_artists_as_lists`` rewrote those blobs.

What changed since the snapshot before is counted when a snapshot is taken and kept as a short
summary beside it; the full list of added and removed tracks is worked out when a person looks.
Restoring makes a new playlist through the ordinary transfer pipeline (chunked, in order,
idempotent writes, with progress), from the ids the snapshot kept.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from catalog_client import Track
from transfer.amazon.mapping import artist_names
from transfer.amazon.models import AmazonConnection
from transfer.core.redis import get_redis
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.syncs import dispatch
from transfer.syncs.models import LibrarySnapshot
from transfer.syncs.services.sources import reader_for
from transfer.transfers.models import TransferJob
from transfer.transfers.services.jobs import job_start, jobs_create

logger = logging.getLogger(__name__)

VERSION = 2
PENDING_TTL = 15 * 60
ERROR_TTL = 7 * 24 * 3600
# Track lists shown for one change are cut here; the counts stay exact.
SHOWN = 200


def _redis() -> redis.Redis:
    return get_redis(decode_responses=True)


def _pending_key(user_id: int) -> str:
    return f"amt:snapshot:pending:{user_id}"


def _error_key(user_id: int) -> str:
    return f"amt:snapshot:error:{user_id}"


# --- the blob ---------------------------------------------------------------------------------


def blob_pack(content: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(content, separators=(",", ":")).encode(), 6)


def blob_unpack(data: bytes | memoryview) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(zlib.decompress(bytes(data)))
    return content


def _track_row(track: Track) -> list[Any]:
    return [
        track.title or "",
        list(artist_names(track.artists)),
        (track.album.title or "") if track.album else "",
    ]


@dataclass(frozen=True)
class TrackMeta:
    title: str
    artists: tuple[str, ...]
    album: str


def track_meta(content: dict[str, Any], track_id: str) -> TrackMeta:
    """What a snapshot kept about one track; a track it did not describe is shown by its id."""
    row = content.get("tracks", {}).get(track_id)
    if row is None:
        return TrackMeta(title=track_id, artists=(), album="")
    title, artists, album = row
    return TrackMeta(title=title or track_id, artists=tuple(artists), album=album)


# --- comparing two snapshots (pure) -------------------------------------------------------------


@dataclass
class PlaylistChange:
    id: str
    title: str
    status: str  # "added", "removed" or "changed"
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    playlists: list[PlaylistChange] = field(default_factory=list)
    library_added: list[str] = field(default_factory=list)
    library_removed: list[str] = field(default_factory=list)
    albums_added: list[str] = field(default_factory=list)
    albums_removed: list[str] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(len(p.added) for p in self.playlists) + len(self.library_added)

    @property
    def removed(self) -> int:
        return sum(len(p.removed) for p in self.playlists) + len(self.library_removed)

    def summary(self) -> dict[str, Any]:
        """The short form kept on the snapshot row (counts and titles, no track lists)."""
        return {
            "playlists": [
                {
                    "id": p.id,
                    "title": p.title,
                    "status": p.status,
                    "added": len(p.added),
                    "removed": len(p.removed),
                }
                for p in self.playlists
            ],
            "library_added": len(self.library_added),
            "library_removed": len(self.library_removed),
            "albums_added": len(self.albums_added),
            "albums_removed": len(self.albums_removed),
        }


def _new_in(after: Iterable[str], before: Iterable[str]) -> list[str]:
    """Ids of ``after`` missing from ``before``, in ``after``'s order, each once."""
    old = set(before)
    return [i for i in dict.fromkeys(after) if i not in old]


def compare(before: dict[str, Any] | None, after: dict[str, Any]) -> Comparison:
    """What changed from one snapshot to the next; with no ``before``, nothing changed."""
    result = Comparison()
    if before is None:
        return result
    old = {p["id"]: p for p in before.get("playlists", [])}
    new = {p["id"]: p for p in after.get("playlists", [])}
    for pid, playlist in new.items():
        if pid not in old:
            result.playlists.append(
                PlaylistChange(pid, playlist["title"], "added", added=list(playlist["tracks"]))
            )
            continue
        added = _new_in(playlist["tracks"], old[pid]["tracks"])
        removed = _new_in(old[pid]["tracks"], playlist["tracks"])
        if added or removed:
            result.playlists.append(
                PlaylistChange(pid, playlist["title"], "changed", added=added, removed=removed)
            )
    for pid, playlist in old.items():
        if pid not in new:
            result.playlists.append(
                PlaylistChange(pid, playlist["title"], "removed", removed=list(playlist["tracks"]))
            )
    result.library_added = _new_in(
        after.get("library_tracks", []), before.get("library_tracks", [])
    )
    result.library_removed = _new_in(
        before.get("library_tracks", []), after.get("library_tracks", [])
    )
    new_albums = [a[0] for a in after.get("library_albums", [])]
    old_albums = [a[0] for a in before.get("library_albums", [])]
    result.albums_added = _new_in(new_albums, old_albums)
    result.albums_removed = _new_in(old_albums, new_albums)
    return result


# --- taking snapshots ---------------------------------------------------------------------------


def snapshot_read(*, user_id: int) -> dict[str, Any]:
    """Everything the snapshot keeps, read from Amazon Music with uncached reads."""
    client = reader_for(user_id)
    tracks: dict[str, list[str]] = {}
    playlists = []
    for playlist in client.iter_my_playlists():
        ids = []
        for entry in client.iter_playlist_tracks(playlist.id):
            ids.append(entry.track.id)
            tracks.setdefault(entry.track.id, _track_row(entry.track))
        playlists.append({"id": playlist.id, "title": playlist.title or "", "tracks": ids})
    library_tracks = []
    for item in client.iter_library_tracks():
        library_tracks.append(item.track.id)
        tracks.setdefault(item.track.id, _track_row(item.track))
    albums = [
        [
            item.album.id,
            item.album.title or "",
            list(artist_names(item.album.artists)),
        ]
        for item in client.iter_library_albums()
    ]
    return {
        "v": VERSION,
        "tracks": tracks,
        "playlists": playlists,
        "library_tracks": library_tracks,
        "library_albums": albums,
    }


def snapshot_take(*, user_id: int) -> LibrarySnapshot:
    """Read the person's playlists and library now and keep them as their newest snapshot."""
    try:
        content = snapshot_read(user_id=user_id)
        previous = (
            LibrarySnapshot.objects.filter(user_id=user_id)
            .only("data")
            .order_by("-taken_at")
            .first()
        )
        comparison = compare(blob_unpack(previous.data) if previous else None, content)
        data = blob_pack(content)
        with transaction.atomic():
            snapshot = LibrarySnapshot.objects.create(
                user_id=user_id,
                taken_at=timezone.now(),
                playlist_count=len(content["playlists"]),
                playlist_track_count=sum(len(p["tracks"]) for p in content["playlists"]),
                library_track_count=len(content["library_tracks"]),
                library_album_count=len(content["library_albums"]),
                added=comparison.added,
                removed=comparison.removed,
                changes=comparison.summary(),
                first=previous is None,
                data=data,
                size_bytes=len(data),
            )
            _prune(user_id)
        _redis().delete(_error_key(user_id))
        logger.info("Snapshot %s of user %s: %d bytes", snapshot.id, user_id, len(data))
        return snapshot
    finally:
        _redis().delete(_pending_key(user_id))


def _prune(user_id: int) -> None:
    keep = settings.SYNC_BACKUPS_KEPT
    old = (
        LibrarySnapshot.objects.filter(user_id=user_id)
        .order_by("-taken_at")
        .values_list("id", flat=True)[keep:]
    )
    LibrarySnapshot.objects.filter(id__in=list(old)).delete()


def snapshot_failed(*, user_id: int, message: str) -> None:
    """Keep the reason where the backups page shows it, until a snapshot succeeds."""
    client = _redis()
    client.set(
        _error_key(user_id),
        json.dumps({"at": timezone.now().isoformat(), "message": message}),
        ex=ERROR_TTL,
    )
    client.delete(_pending_key(user_id))
    logger.warning("Snapshot of user %s failed: %s", user_id, message)


def snapshot_last_error(*, user_id: int) -> dict[str, str] | None:
    raw = _redis().get(_error_key(user_id))
    return json.loads(raw) if raw else None


def snapshot_is_pending(*, user_id: int) -> bool:
    return bool(_redis().exists(_pending_key(user_id)))


def snapshot_request(*, user: User) -> bool:
    """Queue a snapshot now; False when one is already on its way."""
    if not _redis().set(_pending_key(user.pk), "1", nx=True, ex=PENDING_TTL):
        return False
    dispatch.enqueue_snapshot(user.pk)
    return True


def snapshots_enqueue_nightly() -> int:
    """One snapshot task per person with a working Amazon connection, spread over minutes."""
    user_ids = AmazonConnection.objects.filter(status=AmazonConnection.Status.ACTIVE).values_list(
        "user_id", flat=True
    )
    queued = 0
    client = _redis()
    for user_id in user_ids.iterator():
        if client.set(_pending_key(user_id), "1", nx=True, ex=PENDING_TTL + 3600):
            dispatch.enqueue_snapshot(user_id, countdown=queued % 600)
            queued += 1
    return queued


# --- restoring ------------------------------------------------------------------------------


def restore_ref(snapshot: LibrarySnapshot, playlist_id: str) -> str:
    return f"snapshot:{snapshot.id}:{playlist_id}"[:300]


def snapshot_restore_playlist(
    *, user: User, snapshot: LibrarySnapshot, playlist_id: str
) -> TransferJob:
    """A new Amazon playlist with the snapshot's tracks in the snapshot's order.

    Asking again while the first restore is still under way returns that transfer rather than
    starting a second one.
    """
    if snapshot.user_id != user.pk:
        raise LibrarySnapshot.DoesNotExist
    source_ref = restore_ref(snapshot, playlist_id)
    running = (
        TransferJob.objects.filter(user=user, source_ref=source_ref)
        .exclude(state__in=TransferJob.FINISHED_STATES)
        .first()
    )
    if running is not None:
        return running
    content = blob_unpack(snapshot.data)
    playlist = next((p for p in content["playlists"] if p["id"] == playlist_id), None)
    if playlist is None:
        raise LibrarySnapshot.DoesNotExist
    metas = [(tid, track_meta(content, tid)) for tid in playlist["tracks"]]
    records = [
        TrackRecord(title=meta.title, artists=meta.artists, album=meta.album, source_id=tid)
        for tid, meta in metas
    ]
    name = f"{playlist['title'] or 'Playlist'} (restored {snapshot.taken_at:%Y-%m-%d})"
    with transaction.atomic():
        [job] = jobs_create(
            user=user,
            playlists=[PlaylistRecord(name=name, tracks=records, source_id=playlist_id)],
            source_kind=TransferJob.SourceKind.AMAZON_PLAYLIST,
            source_format="snapshot",
            source_ref=source_ref,
            destination=TransferJob.Destination.NEW_PLAYLIST,
            destination_name=name,
            predecided=True,
        )
        job_start(job=job)
    return job
