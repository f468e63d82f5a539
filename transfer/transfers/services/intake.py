"""From the new-transfer form to jobs, and the preview where a person corrects what was read.

Every file is read before any job exists, so one bad file among several creates nothing and
says which file and which line is wrong. Each playlist becomes a job in the READY state with
its own file's format and problems; the file's bytes are kept (``IntakeFile``) so that the
preview can read it again with other columns, or with title and artist swapped, without a
second upload. On the preview a person renames a playlist, unticks tracks (their band becomes
SKIPPED, so matching passes them by), and sees duplicates and the rows that can never match.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from transfer.connections.errors import SERVICE_ERRORS, service_failure
from transfer.connections.pipeline import destination_service
from transfer.connections.sources import SOURCE_LABELS, resolve_video_ids, service_read
from transfer.core.choices import SourceKind, Strictness
from transfer.formats import (
    FORMATS,
    ColumnMapping,
    FileRead,
    FormatError,
    ParseResult,
    read_any,
    read_each,
)
from transfer.formats.records import PlaylistRecord, Problem, TrackRecord
from transfer.transfers.models import IntakeFile, SourceTrack, TransferJob
from transfer.transfers.services import sources
from transfer.transfers.services.jobs import TransferError, _row, jobs_create

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


def format_label(format_id: str) -> str:
    info = FORMATS.get(format_id)
    return info.label if info is not None else format_id


@dataclass
class Source:
    """One file as read (an upload, a member of an uploaded archive, or a pasted list)."""

    name: str
    data: bytes
    result: ParseResult


@dataclass
class Intake:
    playlists: list[PlaylistRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    # File sources: what each playlist was read from, in the order of ``playlists``.
    files: list[Source] = field(default_factory=list)
    origins: list[tuple[int, int]] = field(default_factory=list)  # (file index, playlist index)


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


def read_sources(
    *,
    user: User,
    source: str,
    files: Sequence[UploadedFile] = (),
    text: str = "",
    playlist_ids: Sequence[str] = (),
) -> Intake:
    intake = Intake()
    if source == SourceKind.FILE:
        limit = sources.upload_limits().max_bytes
        for upload in files:
            name = upload.name or "upload"
            if upload.size and upload.size > limit:
                raise TransferError(f"{name} is {upload.size:,} bytes; the limit is {limit:,}.")
            for read in _read_upload(upload.read(), name):
                result = _with_video_titles(user, read.result)
                _add_file(intake, Source(read.name, read.data, result))
    elif source == SourceKind.TEXT:
        data = text.encode()
        [read] = _read_upload(data, "The list")
        for playlist in read.result.playlists:
            playlist.name = "Pasted list"
        _add_file(intake, Source("pasted.txt", data, read.result))
    elif source == SourceKind.AMAZON_PLAYLIST:
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


def _problem_dicts(problems: Sequence[Problem]) -> list[dict[str, object]]:
    return [{"line": p.line, "message": p.message} for p in problems]


def _kept_file(user: User, read: Source) -> IntakeFile:
    result = read.result
    return IntakeFile.objects.create(
        user=user,
        name=read.name[:300],
        data=read.data,
        format=result.format,
        columns=list(result.columns),
        fed_by=dict(result.fed_by),
        artist_separator=result.artist_separator,
        order_reason=result.order_reason[:300],
    )


def set_aside(job: TransferJob) -> None:
    """Rows that can never match wait aside: no title and no ISRC, or only a video id."""
    pending = job.tracks.filter(band=SourceTrack.Band.PENDING, title="", isrc="")
    pending.filter(needs_resolution=True).update(
        band=SourceTrack.Band.SKIPPED, explanation=SET_ASIDE_IDS_ONLY
    )
    pending.filter(needs_resolution=False).update(
        band=SourceTrack.Band.SKIPPED, explanation=SET_ASIDE_NO_TITLE
    )


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
    intake = read_sources(
        user=user, source=source, files=files, text=text, playlist_ids=playlist_ids
    )
    intake_files_forget(user=user)
    # Only playlists with tracks become jobs; keep each one's origin beside it.
    chosen = [i for i, playlist in enumerate(intake.playlists) if playlist.tracks]
    jobs = jobs_create(
        user=user,
        playlists=[intake.playlists[i] for i in chosen],
        source_kind=source,
        source_format=", ".join(dict.fromkeys(intake.formats)),
        source_ref=", ".join(f.name or "" for f in files) if source == SourceKind.FILE else "",
        destination=destination,
        destination_name=playlist_name,
        destination_ref=existing_playlist
        if destination in (TransferJob.Destination.EXISTING_PLAYLIST, "spotify_existing_playlist")
        else "",
        problems=intake.problems,
        dry_run=dry_run,
        skip_existing=skip_existing,
        strictness=strictness,
        # Amazon tracks are their own match, unless they go to another service.
        predecided=SourceKind(source).is_amazon and not destination_service(destination),
    )
    if not intake.files:
        return jobs
    kept: dict[int, IntakeFile] = {}
    for job, playlist_at in zip(jobs, chosen, strict=True):
        file_index, index = intake.origins[playlist_at]
        read = intake.files[file_index]
        if file_index not in kept:
            kept[file_index] = _kept_file(user, read)
        # Each job shows its own file's format and problems, not the whole batch's.
        job.intake_file = kept[file_index]
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
            bytes(file.data),
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
    """Drop the person's kept files no job previews any more (cancelled or deleted ones)."""
    deleted, _ = IntakeFile.objects.filter(user=user, jobs__isnull=True).delete()
    return deleted


def preview_done(*, job: TransferJob) -> None:
    """The job has started: its file is no longer needed once no job previews it."""
    file_id = job.intake_file_id
    if file_id is None:
        return
    TransferJob.objects.filter(id=job.id).update(intake_file=None)
    if not TransferJob.objects.filter(intake_file_id=file_id).exists():
        IntakeFile.objects.filter(id=file_id).delete()
