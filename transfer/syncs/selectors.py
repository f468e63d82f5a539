"""Reads for the sync and backup pages. Every one is scoped to the person asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from transfer.syncs.models import LibrarySnapshot, Sync, SyncRun
from transfer.syncs.services.snapshots import SHOWN, blob_unpack, compare, track_meta

RUNS_SHOWN = 50


def syncs_for_user(*, user_id: int) -> QuerySet[Sync]:
    active = SyncRun.objects.filter(sync=OuterRef("pk"), state__in=SyncRun.ACTIVE_STATES)
    return (
        Sync.objects.filter(user_id=user_id)
        .annotate(running=Exists(active))
        .order_by("-created_at")
    )


def sync_for_user(*, user_id: int, sync_id: UUID | str) -> Sync:
    """The person's own sync, or 404: another person's sync does not exist for them."""
    return get_object_or_404(syncs_for_user(user_id=user_id), id=sync_id)


def runs_for_sync(*, sync: Sync) -> list[SyncRun]:
    return list(sync.runs.select_related("job").order_by("-created_at")[:RUNS_SHOWN])


def snapshots_for_user(*, user_id: int) -> QuerySet[LibrarySnapshot]:
    return LibrarySnapshot.objects.filter(user_id=user_id).defer("data").order_by("-taken_at")


def snapshot_for_user(*, user_id: int, snapshot_id: UUID | str) -> LibrarySnapshot:
    return get_object_or_404(LibrarySnapshot, id=snapshot_id, user_id=user_id)


@dataclass(frozen=True)
class TrackLine:
    id: str
    title: str
    artists: str


@dataclass
class PlaylistView:
    id: str
    title: str
    track_count: int
    status: str = ""  # "added", "removed" or "changed" since the snapshot before
    added: list[TrackLine] = field(default_factory=list)
    removed: list[TrackLine] = field(default_factory=list)
    added_count: int = 0
    removed_count: int = 0


@dataclass
class SnapshotView:
    snapshot: LibrarySnapshot
    previous: LibrarySnapshot | None
    playlists: list[PlaylistView]
    removed_playlists: list[PlaylistView]
    library_added: list[TrackLine]
    library_removed: list[TrackLine]
    library_added_count: int
    library_removed_count: int
    albums_added: int
    albums_removed: int


def snapshot_view(*, snapshot: LibrarySnapshot) -> SnapshotView:
    """The snapshot's playlists, and what was added and removed since the one before it."""
    previous = (
        LibrarySnapshot.objects.filter(user_id=snapshot.user_id, taken_at__lt=snapshot.taken_at)
        .order_by("-taken_at")
        .first()
    )
    after = blob_unpack(snapshot.data)
    before = blob_unpack(previous.data) if previous else None
    comparison = compare(before, after)
    # Removed tracks may be described only by the snapshot before.
    known = {"tracks": {**(before or {}).get("tracks", {}), **after.get("tracks", {})}}

    def line(track_id: str) -> TrackLine:
        meta = track_meta(known, track_id)
        return TrackLine(track_id, meta.title, ", ".join(meta.artists))

    def lines(ids: list[str]) -> list[TrackLine]:
        return [line(i) for i in ids[:SHOWN]]

    changes = {c.id: c for c in comparison.playlists}
    playlists = []
    for p in after.get("playlists", []):
        change = changes.get(p["id"])
        view = PlaylistView(p["id"], p["title"], len(p["tracks"]))
        if change is not None and before is not None:
            view.status = change.status
            view.added, view.removed = lines(change.added), lines(change.removed)
            view.added_count, view.removed_count = len(change.added), len(change.removed)
        playlists.append(view)
    removed_playlists = [
        PlaylistView(
            c.id,
            c.title,
            len(c.removed),
            status="removed",
            removed=lines(c.removed),
            removed_count=len(c.removed),
        )
        for c in comparison.playlists
        if c.status == "removed"
    ]
    return SnapshotView(
        snapshot=snapshot,
        previous=previous,
        playlists=playlists,
        removed_playlists=removed_playlists,
        library_added=lines(comparison.library_added),
        library_removed=lines(comparison.library_removed),
        library_added_count=len(comparison.library_added),
        library_removed_count=len(comparison.library_removed),
        albums_added=len(comparison.albums_added),
        albums_removed=len(comparison.albums_removed),
    )
