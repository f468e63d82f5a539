"""From the new-transfer form to jobs: read every chosen source, then create the jobs at once.

Every file is read before any job exists, so one bad file among several creates nothing and
says which file and which line is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile

from transfer.connections.pipeline import destination_service
from transfer.connections.sources import SOURCE_LABELS, resolve_video_ids, service_read
from transfer.core.choices import SourceKind, Strictness
from transfer.formats import FORMATS
from transfer.formats.records import PlaylistRecord, Problem
from transfer.transfers.models import TransferJob
from transfer.transfers.services import sources
from transfer.transfers.services.jobs import TransferError, jobs_create


@dataclass
class Intake:
    playlists: list[PlaylistRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)


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
        for upload in files:
            if upload.size and upload.size > sources.upload_limits().max_bytes:
                raise TransferError(
                    f"{upload.name} is {upload.size:,} bytes; the limit is "
                    f"{sources.upload_limits().max_bytes:,}."
                )
            try:
                parsed = sources.parse_upload(upload.read(), upload.name)
            except TransferError as exc:
                raise TransferError(f"{upload.name}: {exc}") from exc
            # YouTube Takeout files list video ids only: look their titles up on YouTube.
            parsed = resolve_video_ids(user_id=user.pk, parsed=parsed)
            intake.playlists.extend(parsed.playlists)
            intake.problems.extend(
                Problem(f"{upload.name}: {p.message}", p.line, p.severity) for p in parsed.problems
            )
            intake.formats.append(
                FORMATS[parsed.format].label if parsed.format in FORMATS else parsed.format
            )
    elif source == SourceKind.TEXT:
        parsed = sources.parse_upload(text.encode(), "pasted.txt")
        for playlist in parsed.playlists:
            playlist.name = "Pasted list"
        intake.playlists.extend(parsed.playlists)
        intake.problems.extend(parsed.problems)
        intake.formats.append(FORMATS[parsed.format].label)
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
    return jobs_create(
        user=user,
        playlists=intake.playlists,
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
