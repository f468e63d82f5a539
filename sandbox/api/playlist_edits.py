"""Creating and editing playlists: who may see or change one, add, reorder, remove, delete.

Entry positions are kept dense (0..n-1) so an edge cursor's index is the entry's position.
Every change runs in one transaction; SQLite's IMMEDIATE mode serialises concurrent writers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sandbox.api.errors import access_denied, bad_request, not_found, unprocessable
from sandbox.models import Account, Playlist, PlaylistEntry, Track

# Undocumented on Amazon's side; clients use 50 or 100, so the sandbox takes up to 100.
MAX_TRACKS_PER_ADD = 100
MAX_ENTRIES_PER_EDIT = 100
VISIBILITIES = ("PUBLIC", "PRIVATE")


def can_read(playlist: Playlist, account: Account) -> bool:
    return (
        playlist.owner_id == account.pk
        or playlist.owner_id is None
        or playlist.curated
        or playlist.visibility == "PUBLIC"
    )


def readable(playlist_id: str, account: Account) -> Playlist:
    playlist = Playlist.objects.filter(pk=playlist_id).select_related("owner").first()
    if playlist is None or not can_read(playlist, account):
        # Another person's private playlist is as absent as one that does not exist.
        raise not_found(f"Playlist {playlist_id} was not found.")
    return playlist


def writable(playlist_id: str, account: Account) -> Playlist:
    playlist = readable(playlist_id, account)
    if playlist.owner_id != account.pk:
        raise access_denied("Only the playlist's owner can change it.")
    return playlist


def create(account: Account, title: str, description: str, visibility: str) -> Playlist:
    return Playlist.objects.create(
        id=str(uuid.uuid4()),
        owner=account,
        title=title,
        description=description,
        visibility=visibility,
    )


def update(playlist: Playlist, changes: dict[str, str]) -> None:
    for name, value in changes.items():
        setattr(playlist, name, value)
    playlist.save(update_fields=[*changes, "updated_at"])


@dataclass(frozen=True)
class AddResult:
    added: list[tuple[PlaylistEntry, str]]
    skipped_track_ids: list[str]


def add_tracks(playlist: Playlist, asins: Sequence[str], *, allow_duplicates: bool) -> AddResult:
    """Append tracks at the end; without duplicates, ids already there or repeated are skipped."""
    with transaction.atomic():
        pk_by_asin = dict(Track.objects.filter(asin__in=set(asins)).values_list("asin", "pk"))
        unknown = [asin for asin in dict.fromkeys(asins) if asin not in pk_by_asin]
        if unknown:
            raise unprocessable(
                "Some trackIds are not in the catalog; nothing was added.",
                payload={"unknownTrackIds": unknown},
            )
        entries = PlaylistEntry.objects.filter(playlist=playlist)
        # Only the tracks being added can be duplicates: ask for those, not the whole playlist.
        present = (
            set()
            if allow_duplicates
            else set(
                entries.filter(track_id__in=pk_by_asin.values()).values_list("track_id", flat=True)
            )
        )
        position = entries.count()
        added: list[tuple[PlaylistEntry, str]] = []
        skipped: list[str] = []
        for asin in asins:
            track_pk = pk_by_asin[asin]
            if not allow_duplicates and track_pk in present:
                skipped.append(asin)
                continue
            present.add(track_pk)
            entry = PlaylistEntry(
                entry_id=str(uuid.uuid4()), playlist=playlist, track_id=track_pk, position=position
            )
            added.append((entry, asin))
            position += 1
        PlaylistEntry.objects.bulk_create([entry for entry, _ in added])
        _touch(playlist)
    return AddResult(added=added, skipped_track_ids=skipped)


def reorder(
    playlist: Playlist, entry_ids: Sequence[str], above: str | None, below: str | None
) -> None:
    """Move entries (in the order given) right after ``above`` or right before ``below``."""
    if above is None and below is None:
        raise bad_request("Send entryIdAbove or entryIdBelow to say where the entries go.")
    moving = list(dict.fromkeys(entry_ids))
    with transaction.atomic():
        entries = list(PlaylistEntry.objects.filter(playlist=playlist).order_by("position"))
        by_entry = {entry.entry_id: entry for entry in entries}
        unknown = [entry_id for entry_id in moving if entry_id not in by_entry]
        if unknown:
            raise unprocessable(
                "Some entryIds are not in this playlist.", payload={"unknownEntryIds": unknown}
            )
        for anchor in (above, below):
            if anchor is not None and anchor not in by_entry:
                raise unprocessable(f"The entry {anchor} is not in this playlist.")
            if anchor is not None and anchor in moving:
                raise unprocessable("entryIdAbove and entryIdBelow cannot be entries being moved.")
        rest = [entry for entry in entries if entry.entry_id not in set(moving)]
        ids = [entry.entry_id for entry in rest]
        index = ids.index(above) + 1 if above is not None else ids.index(str(below))
        if above is not None and below is not None and (index >= len(ids) or ids[index] != below):
            raise unprocessable("entryIdAbove and entryIdBelow are not next to each other.")
        order = [*rest[:index], *(by_entry[entry_id] for entry_id in moving), *rest[index:]]
        _renumber(order)
        _touch(playlist)


@dataclass(frozen=True)
class RemoveResult:
    removed_entry_ids: list[str]
    skipped_entry_ids: list[str]


def remove(playlist: Playlist, entry_ids: Sequence[str]) -> RemoveResult:
    """Remove entries; ids not in the playlist are skipped so a retried request is harmless."""
    wanted = list(dict.fromkeys(entry_ids))
    with transaction.atomic():
        entries = PlaylistEntry.objects.filter(playlist=playlist)
        found = set(entries.filter(entry_id__in=wanted).values_list("entry_id", flat=True))
        entries.filter(entry_id__in=found).delete()
        _renumber(list(entries.order_by("position")))
        _touch(playlist)
    return RemoveResult(
        removed_entry_ids=[e for e in wanted if e in found],
        skipped_entry_ids=[e for e in wanted if e not in found],
    )


def delete(playlist: Playlist) -> None:
    playlist.delete()


def _renumber(order: list[PlaylistEntry]) -> None:
    changed = []
    for position, entry in enumerate(order):
        if entry.position != position:
            entry.position = position
            changed.append(entry)
    PlaylistEntry.objects.bulk_update(changed, ["position"], batch_size=500)


def _touch(playlist: Playlist) -> None:
    Playlist.objects.filter(pk=playlist.pk).update(updated_at=timezone.now())
