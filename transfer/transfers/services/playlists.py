"""Playlists and duplicates: a name already taken, and repeats removed from a playlist.

Amazon Music allows two playlists with one name, which is how "Run again" used to leave the
person with look-alike copies. Before a job creates a playlist we look the name up among the
person's playlists; if it exists, the person picks: add to that playlist without duplicates, or
a new name. Removing a playlist's repeats keeps the first occurrence of each track and can be
undone for an hour (the removed tracks go back below the entries they followed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
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


# --- remove duplicates from an Amazon playlist, with an undo --------------------------------

UNDO_SECONDS = 3600


@dataclass(frozen=True)
class Repeat:
    """A later occurrence of a track, and the kept entry just above it (to put it back)."""

    entry_id: str
    track_id: str
    title: str
    position: int
    above_entry_id: str


def playlist_repeats(*, user_id: int, playlist_id: str) -> list[Repeat]:
    """Every occurrence of a track after its first one, in playlist order."""
    seen: set[str] = set()
    repeats = []
    above = ""
    for position, entry in enumerate(music_client_for(user_id).iter_playlist_tracks(playlist_id)):
        if entry.track.id in seen:
            repeats.append(
                Repeat(entry.entry_id, entry.track.id, entry.track.title or "", position, above)
            )
        else:
            seen.add(entry.track.id)
            above = entry.entry_id
    return repeats


def _undo_key(user_id: int, playlist_id: str) -> str:
    return f"amt:dedupe-undo:{user_id}:{playlist_id}"


def playlist_remove_repeats(*, user_id: int, playlist_id: str) -> int:
    """Remove the repeats; what was removed is kept an hour so that it can be put back."""
    repeats = playlist_repeats(user_id=user_id, playlist_id=playlist_id)
    if not repeats:
        return 0
    music_client_for(user_id).remove_playlist_tracks(playlist_id, [r.entry_id for r in repeats])
    cache.set(
        _undo_key(user_id, playlist_id),
        [[r.track_id, r.above_entry_id] for r in repeats],
        UNDO_SECONDS,
    )
    return len(repeats)


def playlist_can_undo(*, user_id: int, playlist_id: str) -> bool:
    return bool(cache.get(_undo_key(user_id, playlist_id)))


def playlist_undo_remove_repeats(*, user_id: int, playlist_id: str) -> int:
    """Add the removed repeats back, each right below the entry it followed."""
    removed = cache.get(_undo_key(user_id, playlist_id)) or []
    if not removed:
        return 0
    client = music_client_for(user_id)
    client.add_playlist_tracks(playlist_id, [t for t, _ in removed], add_duplicates=True)
    entries = list(client.iter_playlist_tracks(playlist_id))
    added = entries[-len(removed) :]
    groups: dict[str, list[str]] = {}
    for (_, above), entry in zip(removed, added, strict=True):
        groups.setdefault(above, []).append(entry.entry_id)
    for above, entry_ids in groups.items():
        client.reorder_playlist_tracks(playlist_id, entry_ids, entry_id_above=above)
    cache.delete(_undo_key(user_id, playlist_id))
    return len(removed)
