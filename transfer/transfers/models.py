"""Transfer jobs and their tracks, the person's pinned choices.

The database is the truth about every track's decision and whether it was written; Redis only
holds counters for live progress, and can be lost without losing anything.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from transfer.core.choices import SourceKind, Strictness


class TransferBatch(models.Model):
    """Several files or playlists started together."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Batch {self.id}"


class Upload(models.Model):
    """Files or a pasted list stored by the new-transfer form, read later by a worker.

    The request only stores the bytes (``IntakeFile`` rows, unread) and this row with the
    form's choices; the task ``read_upload`` parses them and creates the jobs, in one
    transaction, so a worker killed half-way leaves nothing behind and the next delivery (or
    the minutely recovery) reads it again. Live progress is in Redis; this row holds the
    outcome: the jobs made, or the error a person reads.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting to be read"
        DONE = "done", "Read"
        FAILED = "failed", "Could not be read"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    # The new-transfer form's choices (source, destination, names, strictness, options).
    options = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    # The jobs it became, in order (one job: its preview; several: their batch).
    job_ids = models.JSONField(default=list, blank=True)
    batch = models.ForeignKey(TransferBatch, null=True, blank=True, on_delete=models.SET_NULL)
    # Times a worker began reading it: bounded, so a file that kills its worker is given up.
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Upload {self.id}"


class IntakeFile(models.Model):
    """An uploaded file (or one file of an uploaded archive), kept while its jobs are previewed.

    The preview re-reads these bytes when the person changes the column mapping or swaps
    title and artist, so nothing is uploaded twice. Stored as uploaded, then read by a worker
    (``Upload``); deleted once its jobs have started; its size is bounded by
    TRANSFER_MAX_UPLOAD_BYTES.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=300)
    data = models.BinaryField()
    format = models.CharField(max_length=64)
    # As read: the file's columns, which column fed which field, the "A - B" order and why.
    columns = models.JSONField(default=list, blank=True)
    fed_by = models.JSONField(default=dict, blank=True)
    artist_separator = models.CharField(max_length=4, blank=True)
    order_reason = models.CharField(max_length=300, blank=True)
    swapped = models.BooleanField(default=False)
    # The upload that stored it; until a worker has read it, ``format`` is empty.
    upload = models.ForeignKey(
        Upload, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class TransferJob(models.Model):
    class State(models.TextChoices):
        READY = "ready", "Ready to start"
        # Started, waiting for one of the person's running slots; starts by itself.
        QUEUED = "queued", "Queued"
        MATCHING = "matching", "Matching"
        REVIEW = "review", "Waiting for your review"
        WRITING = "writing", "Saving to Amazon Music"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # Jobs using workers right now; the per-person limit counts these.
    RUNNING_STATES = (State.MATCHING, State.WRITING)
    CANCELLABLE_STATES = (State.READY, State.QUEUED, State.MATCHING, State.REVIEW, State.WRITING)
    FINISHED_STATES = (State.DONE, State.FAILED, State.CANCELLED)

    # Declared once, in transfer/core/choices.py; kept here as TransferJob.SourceKind too.
    SourceKind = SourceKind

    class Destination(models.TextChoices):
        NEW_PLAYLIST = "new_playlist", "A new Amazon Music playlist"
        EXISTING_PLAYLIST = "existing_playlist", "An existing Amazon Music playlist"
        LIBRARY_TRACKS = "library_tracks", "Songs in your Amazon Music library"
        LIBRARY_ALBUMS = "library_albums", "Albums in your Amazon Music library"
        FILE = "file", "A file to download"
        # Other services (transfer.connections.pipeline).
        SPOTIFY_NEW_PLAYLIST = "spotify_new_playlist", "A new Spotify playlist"
        SPOTIFY_EXISTING_PLAYLIST = "spotify_existing_playlist", "An existing Spotify playlist"
        SPOTIFY_LIKED = "spotify_liked", "Your Spotify Liked Songs"
        SPOTIFY_ALBUMS = "spotify_albums", "Your saved albums on Spotify"
        YOUTUBE_NEW_PLAYLIST = "youtube_new_playlist", "A new YouTube playlist"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transfer_jobs"
    )
    batch = models.ForeignKey(
        TransferBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    # The file this job's tracks were read from, while it is previewed, and which of the
    # file's playlists it is.
    intake_file = models.ForeignKey(
        IntakeFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    intake_index = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=300)
    state = models.CharField(max_length=16, choices=State.choices, default=State.READY)
    source_kind = models.CharField(max_length=32, choices=SourceKind.choices)
    source_format = models.CharField(max_length=200, blank=True)
    source_ref = models.CharField(max_length=300, blank=True, help_text="file name or Amazon id")
    destination = models.CharField(max_length=32, choices=Destination.choices)
    destination_ref = models.CharField(
        max_length=128, blank=True, help_text="the Amazon playlist written to"
    )
    destination_name = models.CharField(max_length=300, blank=True)
    destination_url = models.CharField(max_length=500, blank=True)
    dry_run = models.BooleanField(default=False)
    skip_existing = models.BooleanField(default=True)
    strictness = models.CharField(max_length=16, default=Strictness.BALANCED)
    # Write "needs review" tracks' best guesses without waiting for the person (scripts, syncs).
    accept_suggestions = models.BooleanField(default=False)

    track_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    # Work is claimed with a lease: a task delivered twice, or a second worker, finds it taken.
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    retries = models.PositiveIntegerField(default=0)
    # Times the stall recovery re-queued the job; past a bound it gives up (no endless loops).
    recoveries = models.PositiveIntegerField(default=0)
    # False when the failure will not change by trying again (no Resume button then).
    resumable = models.BooleanField(default=True)
    # The last bulk review action, so that it can be undone: {"label", "rows": [[id, band,
    # chosen_id, decided_by_person], ...]}.
    last_bulk = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("user", "state")), models.Index(fields=("state",))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED_STATES

    @property
    def writes_to_amazon(self) -> bool:
        return not self.dry_run and self.destination != self.Destination.FILE


class SourceTrack(models.Model):
    """One track of the source, in order, with the matcher's decision and its write state."""

    class Band(models.TextChoices):
        PENDING = "pending", "Not matched yet"
        MATCHED = "matched", "Matched"
        REVIEW = "review", "Needs review"
        NOT_FOUND = "not_found", "Not found"
        SKIPPED = "skipped", "Skipped"

    class Write(models.TextChoices):
        PENDING = "pending", "Not written yet"
        WRITTEN = "written", "Written"
        ALREADY_THERE = "already_there", "Already there"
        DUPLICATE = "duplicate", "Duplicate in the source"
        NOT_WRITTEN = "not_written", "Not written"

    job = models.ForeignKey(TransferJob, on_delete=models.CASCADE, related_name="tracks")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    artists = models.JSONField(default=list)
    album = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    isrc = models.CharField(max_length=20, blank=True)
    explicit = models.BooleanField(null=True)
    source_id = models.CharField(max_length=300, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    # Only an id nobody can search by text (a YouTube video id in source_id): set aside until
    # a connection to that service looks the id up, fills the title and clears this flag.
    needs_resolution = models.BooleanField(default=False)

    band = models.CharField(max_length=16, choices=Band.choices, default=Band.PENDING)
    method = models.CharField(max_length=16, blank=True)
    chosen_id = models.CharField(max_length=32, blank=True)
    chosen = models.JSONField(null=True, blank=True, help_text="the chosen catalog track")
    confidence = models.FloatField(null=True, blank=True)
    margin = models.FloatField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    candidates = models.JSONField(default=list, blank=True)
    decided_by_person = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    write_state = models.CharField(max_length=16, choices=Write.choices, default=Write.PENDING)

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(fields=("job", "position"), name="sourcetrack_job_position")
        ]
        indexes = [
            models.Index(fields=("job", "band")),
            models.Index(fields=("job", "write_state", "position")),
            # The staff dashboard's tracks per minute read only the last hours' decisions.
            models.Index(fields=("decided_at",), name="sourcetrack_decided_at"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class PinnedChoice(models.Model):
    """'Remember my choice': this source track is that catalog track, in every later transfer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pinned_choices"
    )
    track_key = models.CharField(max_length=700)
    catalog_id = models.CharField(max_length=32)
    candidate = models.JSONField(help_text="the catalog track as it was when chosen")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("user", "track_key"), name="pinnedchoice_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.track_key} -> {self.catalog_id}"
