"""Syncs that keep a destination up to date with a source, their runs, and library snapshots.

A ``Sync`` remembers what it has already seen of its source as ``SyncItem`` rows (one per source
track, keyed by a fingerprint), so a run only matches what is new or changed. A ``SyncRun`` is
one execution with what it found and what it did. A ``LibrarySnapshot`` is a person's playlists
and library at one moment, stored as one compressed JSON blob (a 10,000-track library is a few
hundred kilobytes), with a short summary of what changed since the snapshot before it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from transfer.transfers.models import TransferJob


class Sync(models.Model):
    class SourceKind(models.TextChoices):
        AMAZON_PLAYLIST = "amazon_playlist", "An Amazon Music playlist"
        AMAZON_LIBRARY = "amazon_library", "Your Amazon Music library songs"
        URL = "url", "A playlist file at a web address"
        # Other services (transfer.connections).
        SPOTIFY_PLAYLIST = "spotify_playlist", "A Spotify playlist"
        SPOTIFY_LIKED = "spotify_liked", "Your Spotify Liked Songs"
        YOUTUBE_PLAYLIST = "youtube_playlist", "A YouTube playlist"

    class Destination(models.TextChoices):
        NEW_PLAYLIST = "new_playlist", "A new Amazon Music playlist"
        EXISTING_PLAYLIST = "existing_playlist", "An existing Amazon Music playlist"
        LIBRARY_TRACKS = "library_tracks", "Songs in your Amazon Music library"
        # Other services (transfer.connections.syncs); the values are the transfer jobs' own.
        SPOTIFY_NEW_PLAYLIST = "spotify_new_playlist", "A new Spotify playlist"
        SPOTIFY_EXISTING_PLAYLIST = "spotify_existing_playlist", "An existing Spotify playlist"
        SPOTIFY_LIKED = "spotify_liked", "Your Spotify Liked Songs"
        YOUTUBE_NEW_PLAYLIST = "youtube_new_playlist", "A new YouTube playlist"

    class Schedule(models.TextChoices):
        HOURLY = "hourly", "Every hour"
        DAILY = "daily", "Every day"
        WEEKLY = "weekly", "Every week"

    class Mode(models.TextChoices):
        ADDITIVE = "additive", "Add new tracks only"
        MIRROR = "mirror", "Mirror: also remove what the source removed"

    INTERVALS = {
        Schedule.HOURLY: dt.timedelta(hours=1),
        Schedule.DAILY: dt.timedelta(days=1),
        Schedule.WEEKLY: dt.timedelta(weeks=1),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="syncs"
    )
    name = models.CharField(max_length=300)
    source_kind = models.CharField(max_length=32, choices=SourceKind.choices)
    source_ref = models.CharField(
        max_length=2000, help_text="the Amazon playlist id, 'library', or the file's URL"
    )
    destination = models.CharField(max_length=32, choices=Destination.choices)
    destination_ref = models.CharField(
        max_length=128, blank=True, help_text="the Amazon playlist written to, once it exists"
    )
    destination_name = models.CharField(max_length=300, blank=True)
    schedule = models.CharField(max_length=16, choices=Schedule.choices, default=Schedule.DAILY)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ADDITIVE)

    paused = models.BooleanField(default=False)
    pause_reason = models.CharField(max_length=500, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=1000, blank=True)
    last_ok = models.BooleanField(null=True, help_text="empty until the first run ends")
    consecutive_failures = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            # The beat's question every minute: which unpaused syncs are due?
            models.Index(fields=("next_run_at",), name="sync_due", condition=Q(paused=False)),
            models.Index(fields=("user", "-created_at"), name="sync_user_created"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def interval(self) -> dt.timedelta:
        return self.INTERVALS[self.Schedule(self.schedule)]

    @property
    def is_mirror(self) -> bool:
        return self.mode == self.Mode.MIRROR

    @property
    def destination_service(self) -> str:
        """ "spotify", "youtube", or "" when the sync writes to Amazon Music."""
        service, _, _ = self.destination.partition("_")
        return service if service in ("spotify", "youtube") else ""

    @property
    def writes_to_a_library(self) -> bool:
        return self.destination in (self.Destination.LIBRARY_TRACKS, self.Destination.SPOTIFY_LIKED)


class SyncItem(models.Model):
    """One source track the sync has seen, and what it became in the destination."""

    class State(models.TextChoices):
        PENDING = "pending", "Being transferred"
        SYNCED = "synced", "In the destination"
        NOT_FOUND = "not_found", "Not found in the destination's catalog"

    sync = models.ForeignKey(Sync, on_delete=models.CASCADE, related_name="items")
    # A digest of the track's identity: its Amazon id, or the matcher's key for a file's track.
    key = models.CharField(max_length=64)
    catalog_id = models.CharField(max_length=32, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    run = models.ForeignKey("SyncRun", on_delete=models.SET_NULL, null=True, blank=True)
    # Where the track sits in the run's transfer job, to read its decision back.
    position = models.PositiveIntegerField(null=True, blank=True)
    # The sync itself put the track in the destination (it was not there already): mirror mode
    # removes only such tracks. Rows from before this was recorded count as the sync's own.
    added_by_sync = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("sync", "key"), name="syncitem_sync_key")]

    def __str__(self) -> str:
        return f"{self.key} -> {self.catalog_id or '?'}"


class SyncRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to run"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        NOTHING_NEW = "nothing_new", "Nothing new"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"
        PAUSED = "paused", "Paused the sync"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "On schedule"
        MANUAL = "manual", "Run now"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sync = models.ForeignKey(Sync, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.SCHEDULE)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    pages_read = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0, help_text="tracks in the source")
    added = models.PositiveIntegerField(default=0, help_text="new or changed tracks sent on")
    removed = models.PositiveIntegerField(default=0, help_text="tracks removed (mirror mode)")
    job = models.ForeignKey(
        TransferJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="sync_runs"
    )
    message = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            # One queued or running run per sync: two beats, or a beat and "run now", can
            # never run one sync twice at once.
            models.UniqueConstraint(
                fields=("sync",),
                condition=Q(state__in=("queued", "running")),
                name="syncrun_one_active",
            )
        ]
        indexes = [models.Index(fields=("sync", "-created_at"), name="syncrun_sync_created")]

    def __str__(self) -> str:
        return f"Run of {self.sync_id} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


class LibrarySnapshot(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_snapshots"
    )
    taken_at = models.DateTimeField(db_index=True)
    playlist_count = models.PositiveIntegerField(default=0)
    playlist_track_count = models.PositiveIntegerField(default=0)
    library_track_count = models.PositiveIntegerField(default=0)
    library_album_count = models.PositiveIntegerField(default=0)
    # Against the snapshot before it: tracks added and removed over playlists and library.
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=dict, blank=True, help_text="a summary per playlist")
    first = models.BooleanField(default=False, help_text="no earlier snapshot to compare with")
    # zlib-compressed JSON (see transfer.syncs.services.snapshots for the layout).
    data = models.BinaryField()
    size_bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-taken_at",)
        indexes = [models.Index(fields=("user", "-taken_at"), name="snapshot_user_taken")]

    def __str__(self) -> str:
        return f"Snapshot of {self.user_id} at {self.taken_at:%Y-%m-%d %H:%M}"
