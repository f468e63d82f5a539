"""Creating and editing playlists: who may see or change one, add, reorder, remove, delete.

Entry positions are kept dense (0..n-1) so an edge cursor's index is the entry's position, and
each playlist's track_count and total_duration are kept in step with its entries, so that
answering with a playlist costs the same however long it is.
Every change runs in one transaction; SQLite's IMMEDIATE mode serialises concurrent writers.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django import db
from django.db import transaction
from django.utils import timezone

from sandbox.api.errors import access_denied, bad_request, not_found, unprocessable
from sandbox.models import Account, Playlist, PlaylistEntry

# Undocumented on Amazon's side; clients use 50 or 100, so the sandbox takes up to 100.
MAX_TRACKS_PER_ADD = 100
MAX_ENTRIES_PER_EDIT = 100
VISIBILITIES = ("PUBLIC", "PRIVATE")

_TRACKS_BY_ASIN = (
    "SELECT asin, id, duration FROM sandbox_track WHERE asin IN (SELECT value FROM json_each(%s))"
)
# Looked up by track (a track is in few playlists), however long the playlist is: the unary
# "+" keeps SQLite from walking all of the playlist's entries by its playlist index instead.
_PRESENT_TRACKS = (
    "SELECT track_id FROM sandbox_playlistentry "
    "WHERE +playlist_id = %s AND track_id IN (SELECT value FROM json_each(%s))"
)
# bulk_create prepared every field of every entry in Python: a third of an add's CPU.
_INSERT_ENTRIES = (
    "INSERT INTO sandbox_playlistentry (entry_id, playlist_id, track_id, position, added_at) "
    "VALUES (%s, %s, %s, %s, %s)"
)


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
class AddedEntry:
    entry_id: str
    position: int
    asin: str


@dataclass(frozen=True)
class AddResult:
    added: list[AddedEntry]
    skipped_track_ids: list[str]


def add_tracks(playlist: Playlist, asins: Sequence[str], *, allow_duplicates: bool) -> AddResult:
    """Append tracks at the end; without duplicates, ids already there or repeated are skipped."""
    with transaction.atomic(), db.connection.cursor() as cursor:
        # Plain SQL on this path: an add is what a transfer sends most after searches, and
        # the ORM's query building cost more than the queries.
        cursor.execute(_TRACKS_BY_ASIN, [json.dumps(list(set(asins)))])
        by_asin = {asin: (pk, duration) for asin, pk, duration in cursor.fetchall()}
        unknown = [asin for asin in dict.fromkeys(asins) if asin not in by_asin]
        if unknown:
            raise unprocessable(
                "Some trackIds are not in the catalog; nothing was added.",
                payload={"unknownTrackIds": unknown},
            )
        count, duration = _totals(playlist)
        # Only the tracks being added can be duplicates: ask for those, not the whole playlist.
        present: set[int] = set()
        if not allow_duplicates:
            pks = [pk for pk, _ in by_asin.values()]
            cursor.execute(_PRESENT_TRACKS, [playlist.pk, json.dumps(pks)])
            present.update(pk for (pk,) in cursor.fetchall())
        added: list[AddedEntry] = []
        rows: list[tuple[str, str, int, int, str | None]] = []
        skipped: list[str] = []
        now = timezone.now()
        added_at = db.connection.ops.adapt_datetimefield_value(now)
        for asin in asins:
            track_pk, track_duration = by_asin[asin]
            if not allow_duplicates and track_pk in present:
                skipped.append(asin)
                continue
            present.add(track_pk)
            # Positions stay dense, so the next one is the count (writers are serialised).
            entry = AddedEntry(entry_id=_entry_id(now), position=count, asin=asin)
            rows.append((entry.entry_id, playlist.pk, track_pk, count, added_at))
            added.append(entry)
            count += 1
            duration += track_duration
        if rows:
            cursor.executemany(_INSERT_ENTRIES, rows)
        _save_totals(playlist, count, duration, now)
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
        durations = dict(
            entries.filter(entry_id__in=wanted).values_list("entry_id", "track__duration")
        )
        found = set(durations)
        count, duration = _totals(playlist)
        if found:
            entries.filter(entry_id__in=found).delete()
            _renumber(list(entries.order_by("position")))
        _save_totals(
            playlist, count - len(found), duration - sum(durations.values()), timezone.now()
        )
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


def _entry_id(now: datetime) -> str:
    """A random UUID that starts with the time (UUIDv7's layout).

    Entry ids of one add sit together in the unique index instead of on a hundred random
    pages, which halved what SQLite writes per add.
    """
    millis = int(now.timestamp() * 1000) & (1 << 48) - 1
    random_bits = int.from_bytes(os.urandom(10))
    value = (millis << 80) | (0x7 << 76) | (random_bits >> 68 << 64) | (0b10 << 62)
    return str(uuid.UUID(int=value | random_bits & (1 << 62) - 1))


def _touch(playlist: Playlist) -> None:
    playlist.updated_at = timezone.now()
    Playlist.objects.filter(pk=playlist.pk).update(updated_at=playlist.updated_at)


def _totals(playlist: Playlist) -> tuple[int, int]:
    """The playlist's (track_count, total_duration) as stored now, read inside the edit."""
    with db.connection.cursor() as cursor:
        cursor.execute(
            "SELECT track_count, total_duration FROM sandbox_playlist WHERE id = %s",
            [playlist.pk],
        )
        count, duration = cursor.fetchone()
    return int(count), int(duration)


def _save_totals(playlist: Playlist, count: int, duration: int, now: datetime) -> None:
    """Store the totals and the time of the change, and keep the caller's object in step."""
    with db.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sandbox_playlist SET track_count = %s, total_duration = %s, updated_at = %s "
            "WHERE id = %s",
            [count, duration, db.connection.ops.adapt_datetimefield_value(now), playlist.pk],
        )
    playlist.track_count, playlist.total_duration, playlist.updated_at = count, duration, now
