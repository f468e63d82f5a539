"""Plain records that the generator yields and the store writes: one class per table row.

They carry the database ids (assigned in emission order) so that records can refer to each other
without a database. Timestamps are fixed offsets from ``REFERENCE_TIME`` so that seeded runs are
identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

# "Now" for the generated world: every created_at and published_at is at or before it.
REFERENCE_TIME = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@dataclass(slots=True)
class ArtistRecord:
    id: int
    asin: str
    name: str
    image_url: str


@dataclass(slots=True)
class AlbumRecord:
    id: int
    asin: str
    title: str
    artist_text: str
    artist_ids: tuple[int, ...]
    release_date: date | None
    label: str
    image_url: str
    explicit: bool
    version: str
    popularity: int
    track_count: int
    duration: int
    category_ids: tuple[int, ...]


@dataclass(slots=True)
class TrackRecord:
    id: int
    asin: str
    title: str
    artist_text: str
    artist_ids: tuple[int, ...]
    album_id: int
    album_title: str
    disc_number: int
    track_number: int
    duration: int
    isrc: str
    isrc_synthetic: bool
    explicit: bool
    version: str
    popularity: int
    release_date: date | None
    category_ids: tuple[int, ...]
    # Which recording this is: tracks that share it are the same audio (and ISRC) on other
    # releases. Not stored; the ISRC carries it in the database.
    recording: int
    # Which song this is a version of ("work"), for tests and samples. Not stored.
    work: str


@dataclass(slots=True)
class CategoryRecord:
    id: int
    slug: str
    title: str
    image_url: str
    position: int


@dataclass(slots=True)
class PlaylistRecord:
    id: str
    owner_id: int | None
    title: str
    description: str
    visibility: str
    image_url: str
    curated: bool
    popularity: int
    created_at: datetime
    updated_at: datetime
    track_ids: list[int] = field(default_factory=list)
    # One entry id per track occurrence, same order as track_ids.
    entry_ids: list[str] = field(default_factory=list)
    category_ids: tuple[int, ...] = ()


@dataclass(slots=True)
class PodcastShowRecord:
    id: int
    asin: str
    title: str
    publisher: str
    image_url: str


@dataclass(slots=True)
class PodcastEpisodeRecord:
    id: int
    asin: str
    show_id: int
    title: str
    description: str
    duration: int
    published_at: datetime


@dataclass(slots=True)
class AccountRecord:
    id: int
    username: str
    user_id: str
    music_user_id: str
    name: str
    email: str
    has_music_account: bool
    subscription_tier: str
    image_url: str
    created_at: datetime


@dataclass(slots=True)
class LibraryTrackRecord:
    account_id: int
    track_id: int
    added_at: datetime


@dataclass(slots=True)
class LibraryAlbumRecord:
    account_id: int
    album_id: int
    object_id: str
    purchased: bool
    uploaded: bool
    added_at: datetime


Record = (
    ArtistRecord
    | AlbumRecord
    | TrackRecord
    | CategoryRecord
    | PlaylistRecord
    | PodcastShowRecord
    | PodcastEpisodeRecord
    | AccountRecord
    | LibraryTrackRecord
    | LibraryAlbumRecord
)
