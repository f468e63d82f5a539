"""Playlist names before a transfer creates one: say when the name is taken, offer the choices.

Amazon Music allows two playlists with one name, which is how "Run again" used to leave the
person with look-alike copies. Before a job creates a playlist we look the name up among the
person's playlists; if it exists, the person picks: add to that playlist without duplicates, or
a new name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from transfer.amazon.clients import music_client_for
from transfer.transfers.models import TransferJob

Dest = TransferJob.Destination
# The person's playlists read to look a name up (the API pages by 100).
MAX_PLAYLISTS_READ = 1000


@dataclass(frozen=True)
class NameTaken:
    job: TransferJob
    playlist_id: str
    suggested_name: str


def _titles(user_id: int) -> dict[str, str]:
    """Lower-cased title -> id of the person's playlists (the first one of each title)."""
    found: dict[str, str] = {}
    for playlist in music_client_for(user_id).iter_my_playlists().take(MAX_PLAYLISTS_READ):
        found.setdefault((playlist.title or "").strip().lower(), playlist.id)
    return found


def _free_name(name: str, titles: dict[str, str]) -> str:
    number = 2
    while f"{name} ({number})".lower() in titles:
        number += 1
    return f"{name} ({number})"


def names_taken(*, jobs: list[TransferJob]) -> list[NameTaken]:
    """The jobs about to create a playlist whose name the person already has (one read)."""
    creating = [j for j in jobs if j.destination == Dest.NEW_PLAYLIST and not j.dry_run]
    if not creating:
        return []
    titles = _titles(creating[0].user_id)
    taken = []
    for job in creating:
        name = (job.destination_name or job.name).strip()
        playlist_id = titles.get(name.lower())
        if playlist_id:
            taken.append(NameTaken(job, playlist_id, _free_name(name, titles)))
    return taken


@transaction.atomic
def job_add_to_existing(*, job: TransferJob, playlist_id: str) -> TransferJob:
    """Write into the playlist that has the name, leaving out what it already holds."""
    TransferJob.objects.filter(id=job.id, state=TransferJob.State.READY).update(
        destination=Dest.EXISTING_PLAYLIST, destination_ref=playlist_id, skip_existing=True
    )
    job.refresh_from_db()
    return job


@transaction.atomic
def job_rename(*, job: TransferJob, name: str) -> TransferJob:
    name = name.strip()[:300] or job.name
    TransferJob.objects.filter(id=job.id, state=TransferJob.State.READY).update(
        destination_name=name
    )
    job.refresh_from_db()
    return job
