"""From the new-transfer form to jobs, and the preview where a person corrects what was read.

Uploaded files and pasted lists are stored as they came (``upload_store``, all the web request
does: a size check and the bytes written) and read by a worker (``upload_read``, the task
``read_upload``), which reports its progress to the page the person waits on. Every upload,
small or a whole library of 100,000 tracks, goes this one way: one path to trust, test and
measure, and a small file is read within the page's first poll anyway. Amazon, Spotify and
YouTube sources are read from their service in the request, as before (``jobs_create_from_form``).

Memory is bounded per upload: its files together hold at most TRANSFER_MAX_UPLOAD_BYTES, the
bytes travel to and from PostgreSQL without copies (``filebytes``), the tracks read are checked
against TRANSFER_MAX_TRACKS after each file (about 1 KB each while held), and the track rows are
written a batch at a time (``jobs.ROW_BATCH``). ``manage.py bench_upload`` measures it.

Every file is read before any job exists, so one bad file among several creates nothing and
says which file and which line is wrong. Each playlist becomes a job in the READY state with
its own file's format and problems; the file's bytes are kept (``IntakeFile``) so that the
preview can read it again with other columns, or with title and artist swapped, without a
second upload. On the preview a person renames a playlist, unticks tracks (their band becomes
SKIPPED, so matching passes them by), and sees duplicates and the rows that can never match.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from transfer.connections.errors import SERVICE_ERRORS, service_failure
from transfer.connections.pipeline import destination_service
from transfer.connections.sources import SOURCE_LABELS, resolve_video_ids, service_read
from transfer.core.choices import SourceKind, Strictness
from transfer.formats import (
    FORMATS,
    ColumnMapping,
    FileRead,
    FormatError,
    Limits,
    ParseResult,
    is_zip,
    read_any,
    read_each,
)
from transfer.formats.records import PlaylistRecord, Problem, TrackRecord
from transfer.transfers import dispatch
from transfer.transfers.models import IntakeFile, SourceTrack, TransferJob, Upload
from transfer.transfers.services import sources, upload_progress
from transfer.transfers.services.filebytes import file_bytes_read, file_bytes_store
from transfer.transfers.services.jobs import TransferError, _row, jobs_create

logger = logging.getLogger(__name__)

# The fields a person can point at another column on the preview.
MAPPABLE = ("title", "artist", "album", "duration", "isrc")
SET_ASIDE_NO_TITLE = "No title, ISRC or id: it can never be matched, so it was set aside."
SET_ASIDE_IDS_ONLY = (
    "Only a YouTube video id, no title: set aside until the id is looked up (connect YouTube)."
)
LEFT_OUT = "Left out on the preview."
IDS_ONLY_REFUSAL = (
    "{count} track{s} of “{name}” have only YouTube video ids and no titles, so nothing can be "
    "matched yet. Export the playlist with titles instead (TuneMyMusic or the YouTube Music "
    "library file carry them), or wait until a YouTube connection can look the ids up."
)
# The sources whose bytes are stored and read by a worker.
STORED_SOURCES = (SourceKind.FILE, SourceKind.TEXT)
# The form's choices kept with an upload, to make its jobs with once it is read.
CHOICES = (
    "destination",
    "playlist_name",
    "existing_playlist",
    "strictness",
    "dry_run",
    "skip_existing",
)

Report = Callable[..., None]
# Read uploads are forgotten after this (their jobs stay); the page then finds no upload.
UPLOAD_KEPT = dt.timedelta(hours=1)


def upload_limits() -> Limits:
    """The most one upload may hold (TRANSFER_MAX_TRACKS, TRANSFER_MAX_UPLOAD_BYTES)."""
    return sources.upload_limits()


def format_label(format_id: str) -> str:
    info = FORMATS.get(format_id)
    return info.label if info is not None else format_id


@dataclass
class Source:
    """One file as read (an upload, a member of an uploaded archive, or a pasted list), and
    the kept file (``IntakeFile``) the preview reads again."""

    name: str
    file_id: UUID
    result: ParseResult


@dataclass
class Intake:
    playlists: list[PlaylistRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    # File sources: what each playlist was read from, in the order of ``playlists``.
    files: list[Source] = field(default_factory=list)
    origins: list[tuple[int, int]] = field(default_factory=list)  # (file index, playlist index)

    @property
    def track_count(self) -> int:
        return sum(len(p.tracks) for p in self.playlists)


def _read_upload(data: bytes, name: str) -> list[FileRead]:
    if not data.strip():
        raise TransferError(f"{name} is empty.")
    try:
        return read_each(data, name, limits=sources.upload_limits())
    except FormatError as exc:
        raise TransferError(f"{name}: {exc}") from exc


def _add_file(intake: Intake, read: Source) -> None:
    index = len(intake.files)
    intake.files.append(read)
    for position, playlist in enumerate(read.result.playlists):
        intake.playlists.append(playlist)
        intake.origins.append((index, position))
    intake.problems.extend(
        Problem(f"{read.name}: {p.message}", p.line, p.severity) for p in read.result.problems
    )
    intake.formats.append(format_label(read.result.format))


def _titled(result: ParseResult) -> int:
    return sum(1 for p in result.playlists for t in p.tracks if t.title.strip())


def _with_video_titles(user: User, result: ParseResult) -> ParseResult:
    """YouTube Takeout files list video ids only: look their titles up on YouTube.

    When nothing could be looked up (no connection, no API key), the id-only rows stay, so
    the preview can say how many there are and why they wait, instead of losing them.
    """
    if not any(t.needs_resolution for p in result.playlists for t in p.tracks):
        return result  # nothing to look up: spare the copy of a big library
    copy = dataclasses.replace(
        result,
        playlists=[dataclasses.replace(p, tracks=list(p.tracks)) for p in result.playlists],
        problems=list(result.problems),
    )
    try:
        resolved = resolve_video_ids(user_id=user.pk, parsed=copy)
    except SERVICE_ERRORS as error:
        # YouTube down, throttled or out of quota: the upload still goes through, and the
        # id-only rows wait on the preview with the reason, rather than the request failing.
        problem = Problem(
            "YouTube could not look these video ids up just now "
            f"({service_failure(error)}); try again later."
        )
        return dataclasses.replace(result, problems=[*result.problems, problem])
    return resolved if _titled(resolved) > _titled(result) else result


def _problem_dicts(problems: Sequence[Problem]) -> list[dict[str, object]]:
    return [{"line": p.line, "message": p.message} for p in problems]


def set_aside(job: TransferJob) -> None:
    """Rows that can never match wait aside: no title and no ISRC, or only a video id."""
    pending = job.tracks.filter(band=SourceTrack.Band.PENDING, title="", isrc="")
    pending.filter(needs_resolution=True).update(
        band=SourceTrack.Band.SKIPPED, explanation=SET_ASIDE_IDS_ONLY
    )
    pending.filter(needs_resolution=False).update(
        band=SourceTrack.Band.SKIPPED, explanation=SET_ASIDE_NO_TITLE
    )


# ---------------------------------------------------------------------------------------------
# Storing an upload (the web request) and reading it (a worker)


def _too_many_tracks() -> TransferError:
    limit = sources.upload_limits().max_tracks
    return TransferError(
        f"Together these files have more than {limit:,} tracks, the most one transfer may "
        "hold; split them into smaller uploads."
    )


# Room for the form's other fields and the multipart framing around the files.
FORM_OVERHEAD_BYTES = 1024 * 1024


def request_too_big(content_length: str | None) -> bool:
    """A request body past the upload limit, known from its header before it is read."""
    try:
        length = int(content_length or 0)
    except ValueError:
        return False
    return length > sources.upload_limits().max_bytes + FORM_OVERHEAD_BYTES


def request_too_big_message() -> str:
    limit = sources.upload_limits().max_bytes
    return (
        f"That upload is larger than {limit:,} bytes ({limit / 2**20:.0f} MB), the most one "
        "transfer accepts; split the file, or upload its playlists in several goes."
    )


@transaction.atomic
def upload_store(
    *,
    user: User,
    source: str,
    files: Sequence[UploadedFile] = (),
    text: str = "",
    queue: bool = True,
    **choices: Any,
) -> Upload:
    """Keep the uploaded files (or the pasted list) unread, and queue their reading.

    Only what costs nothing is checked here (a file's size, an empty upload); reading it is
    the worker's (``upload_read``), whose progress the upload's page shows.
    """
    if source not in STORED_SOURCES:
        raise TransferError("Only files and pasted lists are stored to be read later.")
    limit = sources.upload_limits().max_bytes
    named: list[tuple[str, UploadedFile]] = []
    if source == SourceKind.FILE:
        if not files:
            raise TransferError("Choose at least one file.")
        total = 0
        for upload in files:
            name = upload.name or "upload"
            size = upload.size or 0
            if size > limit:
                raise TransferError(
                    f"{name} is {size:,} bytes; the largest upload accepted is {limit:,} bytes "
                    f"({limit / 2**20:.0f} MB). Split it into smaller files."
                )
            if not size:
                raise TransferError(f"{name} is empty.")
            total += size
            named.append((name, upload))
        if total > limit:
            raise TransferError(
                f"Together these files are {total:,} bytes; the largest upload accepted is "
                f"{limit:,} bytes. Upload them in several goes."
            )
    else:
        pasted = text.encode()
        if not pasted.strip():
            raise TransferError("The list is empty.")
        if len(pasted) > limit:
            raise TransferError(
                f"The list is {len(pasted):,} bytes; the largest accepted is {limit:,} bytes."
            )
    intake_files_forget(user=user)
    options = {"source": source, **{name: choices[name] for name in CHOICES if name in choices}}
    stored = Upload.objects.create(user=user, options=options)
    order = []
    if source == SourceKind.FILE:
        for name, chosen in named:
            kept = IntakeFile.objects.create(
                user=user, upload=stored, name=name[:300], data=b"", format=""
            )
            file_bytes_store(file_id=kept.id, upload=chosen)
            order.append(str(kept.id))
    else:
        kept = IntakeFile.objects.create(
            user=user, upload=stored, name="pasted.txt", data=pasted, format=""
        )
        order.append(str(kept.id))
    stored.options = {**options, "files": order}
    stored.save(update_fields=["options"])
    if queue:
        transaction.on_commit(lambda: dispatch.enqueue_upload_read(stored.id))
    return stored


def upload_read(*, upload_id: UUID | str) -> list[TransferJob]:
    """Read a stored upload and make its jobs, once: what the task ``read_upload`` runs.

    The upload's row is locked for the whole reading, so a second delivery of the task waits
    and then finds it read; everything happens in one transaction, so a worker killed half-way
    leaves nothing, and the next delivery (or the recovery, ``uploads_recover``) starts over.
    A file that cannot be read ends the upload with the reason, which its page shows.
    """
    Upload.objects.filter(id=upload_id, state=Upload.State.WAITING).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    with transaction.atomic():
        upload = Upload.objects.select_for_update().filter(id=upload_id).first()
        if upload is None or upload.state != Upload.State.WAITING:
            return _jobs_of(upload)
        if upload.attempts > settings.TRANSFER_MAX_RECOVERIES + 1:
            _upload_fail(upload, GAVE_UP_READING.format(n=upload.attempts - 1))
            return []
        report = upload_progress.reporter(upload.id)
        try:
            with transaction.atomic():
                jobs = _jobs_from_upload(upload, report)
        except TransferError as exc:
            _upload_fail(upload, str(exc))
            return []
        upload.state = Upload.State.DONE
        upload.job_ids = [str(job.id) for job in jobs]
        upload.batch_id = jobs[0].batch_id
        upload.save(update_fields=["state", "job_ids", "batch", "updated_at"])
    report("done", done=len(jobs), total=len(jobs))
    return jobs


GAVE_UP_READING = (
    "This upload stopped the worker reading it {n} times, so it was given up. Check the file "
    "opens, or split it into smaller files, and upload it again."
)


def _upload_fail(upload: Upload, message: str) -> None:
    upload.state = Upload.State.FAILED
    upload.error = message
    upload.save(update_fields=["state", "error", "updated_at"])
    # Nothing can be previewed: the bytes go now rather than at the next upload.
    upload.files.filter(jobs__isnull=True).delete()
    upload_progress.reporter(upload.id)("failed")
    logger.info("Upload %s could not be read: %s", upload.id, message)


def upload_target(*, upload: Upload) -> str:
    """Where a read upload is previewed: its one job, or the batch of its playlists."""
    if upload.batch_id:
        return reverse("transfers:batch", args=[upload.batch_id])
    if upload.job_ids:
        return reverse("transfers:job", args=[upload.job_ids[0]])
    return reverse("transfers:upload", args=[upload.id])


def _jobs_of(upload: Upload | None) -> list[TransferJob]:
    if upload is None or not upload.job_ids:
        return []
    found = {str(job.id): job for job in TransferJob.objects.filter(id__in=upload.job_ids)}
    return [found[job_id] for job_id in upload.job_ids if job_id in found]


def _stored_files(upload: Upload) -> list[IntakeFile]:
    """The upload's files in the order they were chosen, without their bytes."""
    order = [str(file_id) for file_id in upload.options.get("files", [])]
    files = {str(f.id): f for f in upload.files.defer("data")}
    return [files[file_id] for file_id in order if file_id in files]


def _jobs_from_upload(upload: Upload, report: Report) -> list[TransferJob]:
    """Read every stored file of the upload, then make its jobs (raises TransferError)."""
    user = upload.user
    options = upload.options
    source = options["source"]
    intake = Intake()
    stored = _stored_files(upload)
    limit = sources.upload_limits().max_tracks
    for index, file in enumerate(stored):
        report("reading", name=file.name, done=index, total=len(stored))
        data = file_bytes_read(file_id=file.id)
        if source == SourceKind.TEXT:
            [read] = _read_upload(data, "The list")
            for playlist in read.result.playlists:
                playlist.name = "Pasted list"
            _keep(file, read.result)
            _add_file(intake, Source(file.name, file.id, read.result))
        else:
            archive = is_zip(data[:4])
            reads = _read_upload(data, file.name)
            del data  # an archive's members are kept on their own; the archive is not
            for read in reads:
                if any(t.needs_resolution for p in read.result.playlists for t in p.tracks):
                    report("looking_up", name=read.name)
                result = _with_video_titles(user, read.result)
                kept = _keep_member(upload, read, result) if archive else _keep(file, result)
                _add_file(intake, Source(read.name, kept.id, result))
        if intake.track_count > limit:
            raise _too_many_tracks()
    jobs = _jobs_from_intake(
        user=user,
        intake=intake,
        source=source,
        source_ref=", ".join(f.name for f in stored) if source == SourceKind.FILE else "",
        options=options,
        report=report,
    )
    # Files that became no job (an archive itself, a file without tracks) are not kept.
    upload.files.filter(jobs__isnull=True).delete()
    return jobs


def _keep(file: IntakeFile, result: ParseResult) -> IntakeFile:
    """The stored file as read: what the preview shows and reads again."""
    file.format = result.format
    file.columns = list(result.columns)
    file.fed_by = dict(result.fed_by)
    file.artist_separator = result.artist_separator
    file.order_reason = result.order_reason[:300]
    file.save(update_fields=["format", "columns", "fed_by", "artist_separator", "order_reason"])
    return file


def _keep_member(upload: Upload, read: FileRead, result: ParseResult) -> IntakeFile:
    return IntakeFile.objects.create(
        user=upload.user,
        upload=upload,
        name=read.name[:300],
        data=read.data,
        format=result.format,
        columns=list(result.columns),
        fed_by=dict(result.fed_by),
        artist_separator=result.artist_separator,
        order_reason=result.order_reason[:300],
    )


def _jobs_from_intake(
    *,
    user: User,
    intake: Intake,
    source: str,
    source_ref: str,
    options: dict[str, Any],
    report: Report | None = None,
) -> list[TransferJob]:
    destination = options["destination"]
    # Only playlists with tracks become jobs; keep each one's origin beside it.
    chosen = [i for i, playlist in enumerate(intake.playlists) if playlist.tracks]
    total = sum(len(intake.playlists[i].tracks) for i in chosen)

    def created(count: int) -> None:
        if report is not None:
            report("creating", done=count, total=total)

    created(0)
    jobs = jobs_create(
        user=user,
        playlists=[intake.playlists[i] for i in chosen],
        source_kind=source,
        source_format=", ".join(dict.fromkeys(intake.formats)),
        source_ref=source_ref,
        destination=destination,
        destination_name=options.get("playlist_name", ""),
        destination_ref=options.get("existing_playlist", "")
        if destination in (TransferJob.Destination.EXISTING_PLAYLIST, "spotify_existing_playlist")
        else "",
        problems=intake.problems,
        dry_run=options.get("dry_run", False),
        skip_existing=options.get("skip_existing", True),
        strictness=options.get("strictness", Strictness.BALANCED),
        # Amazon tracks are their own match, unless they go to another service.
        predecided=SourceKind(source).is_amazon and not destination_service(destination),
        on_rows=created,
    )
    if not intake.files:
        return jobs
    for job, playlist_at in zip(jobs, chosen, strict=True):
        file_index, index = intake.origins[playlist_at]
        read = intake.files[file_index]
        # Each job shows its own file's format and problems, not the whole batch's.
        job.intake_file_id = read.file_id
        job.intake_index = index
        job.source_format = format_label(read.result.format)
        job.source_ref = read.name[:300]
        job.problems = _problem_dicts(read.result.problems)
        job.save(
            update_fields=["intake_file", "intake_index", "source_format", "source_ref", "problems"]
        )
        _flag_needs_resolution(job, intake.playlists[playlist_at].tracks)
        set_aside(job)
    return jobs


def read_service_sources(*, user: User, source: str, playlist_ids: Sequence[str] = ()) -> Intake:
    """Amazon, Spotify or YouTube: read from the service now, in the request."""
    intake = Intake()
    if source == SourceKind.AMAZON_PLAYLIST:
        for playlist_id in playlist_ids:
            intake.playlists.append(
                sources.read_amazon_playlist(user_id=user.pk, playlist_id=playlist_id)
            )
        intake.formats.append("Amazon Music")
    elif source == SourceKind.AMAZON_LIBRARY_TRACKS:
        intake.playlists.append(sources.read_amazon_library_tracks(user_id=user.pk))
        intake.formats.append("Amazon Music")
    elif source in SOURCE_LABELS:  # Spotify or YouTube (transfer.connections)
        intake.playlists.extend(service_read(user_id=user.pk, source=source, refs=playlist_ids))
        intake.formats.append(SOURCE_LABELS[source])
    else:
        raise TransferError("Choose where the tracks come from.")
    return intake


@transaction.atomic
def jobs_create_from_form(
    *,
    user: User,
    source: str,
    files: Sequence[UploadedFile] = (),
    text: str = "",
    playlist_ids: Sequence[str] = (),
    destination: str,
    playlist_name: str = "",
    existing_playlist: str = "",
    strictness: str = Strictness.BALANCED,
    dry_run: bool = False,
    skip_existing: bool = True,
) -> list[TransferJob]:
    """The jobs of the form's choices, now. Files and lists take the worker's own path (stored,
    then read by ``_jobs_from_upload``), here in this process; a bad file raises."""
    choices = {
        "destination": destination,
        "playlist_name": playlist_name,
        "existing_playlist": existing_playlist,
        "strictness": strictness,
        "dry_run": dry_run,
        "skip_existing": skip_existing,
    }
    if source in STORED_SOURCES:
        upload = upload_store(
            user=user, source=source, files=files, text=text, queue=False, **choices
        )
        jobs = _jobs_from_upload(upload, upload_progress.ignore)
        upload.state = Upload.State.DONE
        upload.job_ids = [str(job.id) for job in jobs]
        upload.batch_id = jobs[0].batch_id
        upload.save(update_fields=["state", "job_ids", "batch", "updated_at"])
        return jobs
    intake = read_service_sources(user=user, source=source, playlist_ids=playlist_ids)
    intake_files_forget(user=user)
    return _jobs_from_intake(
        user=user, intake=intake, source=source, source_ref="", options=choices
    )


def _flag_needs_resolution(job: TransferJob, tracks: Sequence[TrackRecord]) -> None:
    # A track a YouTube connection already named (resolve_video_ids) is matched as any other.
    positions = [i for i, t in enumerate(tracks) if t.needs_resolution and not t.title]
    if positions:
        job.tracks.filter(position__in=positions).update(needs_resolution=True)


# ---------------------------------------------------------------------------------------------
# The preview


@dataclass(frozen=True)
class PreviewRow:
    track: SourceTrack
    duplicate_of: int | None  # the 1-based number of the earlier, identical row
    left_out: bool
    set_aside: str  # why it can never match, or ""


@dataclass(frozen=True)
class Preview:
    rows: list[PreviewRow]
    shown_all: bool
    duplicates: int
    left_out: int
    no_title: int
    ids_only: int
    file: IntakeFile | None
    mappable: bool
    columns: list[str]
    fed_by: dict[str, str]


def _key(track: SourceTrack) -> tuple[str, ...]:
    if track.title:
        return ("t", track.title.casefold().strip(), *(a.casefold() for a in track.artists))
    return ("id", track.source_id)


def preview_for(*, job: TransferJob, limit: int = 500) -> Preview:
    tracks = list(job.tracks.order_by("position")[:limit])
    seen: dict[tuple[str, ...], int] = {}
    rows = []
    for track in tracks:
        key = _key(track)
        first = seen.setdefault(key, track.position + 1)
        aside = (
            track.explanation
            if track.explanation in (SET_ASIDE_NO_TITLE, SET_ASIDE_IDS_ONLY)
            else ""
        )
        rows.append(
            PreviewRow(
                track=track,
                duplicate_of=first if first != track.position + 1 and key[-1] else None,
                left_out=track.band == SourceTrack.Band.SKIPPED,
                set_aside=aside,
            )
        )
    skipped = job.tracks.filter(band=SourceTrack.Band.SKIPPED)
    file = job.intake_file
    table = file is not None and bool(file.columns) and bool(file.fed_by.get("title"))
    return Preview(
        rows=rows,
        shown_all=len(tracks) >= job.track_count,
        duplicates=sum(1 for row in rows if row.duplicate_of),
        left_out=skipped.filter(explanation=LEFT_OUT).count(),
        no_title=skipped.filter(explanation=SET_ASIDE_NO_TITLE).count(),
        ids_only=skipped.filter(explanation=SET_ASIDE_IDS_ONLY).count(),
        file=file,
        mappable=table,
        columns=list(file.columns) if file is not None else [],
        fed_by=dict(file.fed_by) if file is not None else {},
    )


def _ready(job: TransferJob) -> None:
    if job.state != TransferJob.State.READY:
        raise TransferError("This transfer has started; its tracks can no longer be changed.")


def preview_rename(*, job: TransferJob, name: str) -> None:
    _ready(job)
    name = " ".join(name.split())[:300]
    if not name:
        raise TransferError("A playlist needs a name.")
    job.name = name
    fields = ["name"]
    if job.destination == TransferJob.Destination.NEW_PLAYLIST:
        job.destination_name = name
        fields.append("destination_name")
    job.save(update_fields=fields)


def preview_include(*, job: TransferJob, row: SourceTrack, included: bool) -> SourceTrack:
    """Tick or untick one track; a track that can never match stays aside."""
    _ready(job)
    if row.explanation in (SET_ASIDE_NO_TITLE, SET_ASIDE_IDS_ONLY):
        return row
    row.band = SourceTrack.Band.PENDING if included else SourceTrack.Band.SKIPPED
    row.explanation = "" if included else LEFT_OUT
    row.save(update_fields=["band", "explanation"])
    return row


def _reread(file: IntakeFile, columns: dict[str, str] | None, swap: bool) -> ParseResult:
    mapping = None
    if columns is not None:
        chosen = {name: columns.get(name) or None for name in MAPPABLE}
        if not chosen["title"]:
            raise TransferError("Choose the column that holds the titles.")
        mapping = ColumnMapping(
            title=chosen["title"],
            artist=chosen["artist"],
            album=chosen["album"],
            duration=chosen["duration"],
            isrc=chosen["isrc"],
            source_id=file.fed_by.get("source_id") or None,
            playlist=file.fed_by.get("playlist") or None,
            artist_separator=file.artist_separator or None,
        )
    try:
        return read_any(
            file_bytes_read(file_id=file.id),
            file.name,
            mapping=mapping,
            limits=sources.upload_limits(),
            swap_title_artist=swap,
        )
    except FormatError as exc:
        raise TransferError(f"{file.name}: {exc}") from exc
    except ValueError as exc:
        raise TransferError(str(exc)) from exc


@transaction.atomic
def preview_reread(
    *, job: TransferJob, columns: dict[str, str] | None = None, swap: bool = False
) -> None:
    """Read the job's file again with other columns and/or title and artist swapped.

    Every job still in preview from the same file gets its playlist's new tracks; the
    choices made on rows (unticked tracks) start over, since the rows themselves change.
    """
    _ready(job)
    file = job.intake_file
    if file is None:
        raise TransferError("The file is no longer kept; upload it again to read it differently.")
    result = _reread(file, columns, swap)
    for sibling in file.jobs.filter(state=TransferJob.State.READY):
        if sibling.intake_index >= len(result.playlists):
            raise TransferError(
                f"Read this way, {file.name} has {len(result.playlists)} playlists, not "
                f"{sibling.intake_index + 1}; choose other columns."
            )
        tracks = result.playlists[sibling.intake_index].tracks
        if not tracks:
            raise TransferError(f"Read this way, “{sibling.name}” has no tracks.")
        sibling.tracks.all().delete()
        SourceTrack.objects.bulk_create(
            [_row(sibling, i, track, False) for i, track in enumerate(tracks)], batch_size=1000
        )
        _flag_needs_resolution(sibling, tracks)
        set_aside(sibling)
        sibling.track_count = len(tracks)
        sibling.problems = _problem_dicts(result.problems)
        sibling.save(update_fields=["track_count", "problems"])
    file.fed_by = dict(result.fed_by) or file.fed_by
    file.swapped = swap
    file.order_reason = result.order_reason[:300]
    file.save(update_fields=["fed_by", "swapped", "order_reason"])


def preview_check_startable(*, job: TransferJob) -> None:
    """Refuse to start a job nothing in which can be matched, saying why and what to do."""
    if job.tracks.filter(band=SourceTrack.Band.PENDING).exists():
        return
    ids_only = job.tracks.filter(needs_resolution=True).count()
    if ids_only:
        raise TransferError(
            IDS_ONLY_REFUSAL.format(count=ids_only, s="" if ids_only == 1 else "s", name=job.name)
        )
    raise TransferError(f"Every track of “{job.name}” is unticked or set aside; tick some first.")


def intake_files_forget(*, user: User) -> int:
    """Drop the person's kept files no job previews any more (cancelled or deleted ones), and
    the uploads read an hour ago or more; files still waiting to be read stay."""
    deleted, _ = (
        IntakeFile.objects.filter(user=user, jobs__isnull=True)
        .exclude(upload__state=Upload.State.WAITING)
        .delete()
    )
    Upload.objects.filter(user=user, updated_at__lt=timezone.now() - UPLOAD_KEPT).exclude(
        state=Upload.State.WAITING
    ).delete()
    return deleted


def preview_done(*, job: TransferJob) -> None:
    """The job has started: its file is no longer needed once no job previews it."""
    file_id = job.intake_file_id
    if file_id is None:
        return
    TransferJob.objects.filter(id=job.id).update(intake_file=None)
    if not TransferJob.objects.filter(intake_file_id=file_id).exists():
        IntakeFile.objects.filter(id=file_id).delete()
