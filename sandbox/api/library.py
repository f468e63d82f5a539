"""Saving and removing tracks and albums in a person's library (idempotent both ways)."""

from __future__ import annotations

import uuid

from sandbox.api import loaders
from sandbox.api.errors import not_found
from sandbox.models import Account, Album, LibraryAlbum, LibraryTrack, Track


def catalog_track(asin: str) -> Track:
    track = loaders.tracks_by_asin([asin]).get(asin)
    if track is None:
        raise not_found(f"Track {asin} was not found.")
    return track


def catalog_album(asin: str) -> Album:
    album = loaders.albums_by_asin([asin], with_tracks=False).get(asin)
    if album is None:
        raise not_found(f"Album {asin} was not found.")
    return album


def save_track(account: Account, asin: str) -> Track:
    track = catalog_track(asin)
    LibraryTrack.objects.get_or_create(account=account, track=track)
    return track


def remove_track(account: Account, asin: str) -> Track:
    track = catalog_track(asin)
    LibraryTrack.objects.filter(account=account, track=track).delete()
    return track


def save_album(account: Account, asin: str) -> Album:
    album = catalog_album(asin)
    LibraryAlbum.objects.get_or_create(
        account=account, album=album, defaults={"object_id": str(uuid.uuid4())}
    )
    return album


def remove_album(account: Account, asin: str) -> Album:
    album = catalog_album(asin)
    LibraryAlbum.objects.filter(account=account, album=album).delete()
    return album
