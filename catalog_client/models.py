"""Typed models of what the Amazon Music Web API v1 returns.

Field names follow the documents' JSON (camelCase on the wire, snake_case here). Every model
ignores fields it does not know and gives every field a default, because the documents are in
"preview status … content may change" (reference.md header) and their examples omit fields
("Some lines omitted for brevity"); a new or missing field must not break a transfer.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel


class AmazonModel(BaseModel):
    """Base: camelCase aliases, unknown fields ignored, construction by field name allowed."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=False,
    )


# --- small shared pieces (seed-albums.txt, reference.md §3.4) ---------------------------------


class Image(AmazonModel):
    url: str = ""
    height: int | None = None
    width: int | None = None
    image_type: str | None = None


class Market(AmazonModel):
    id: str = ""
    name: str | None = None


class Eligibility(AmazonModel):
    is_downloadable: bool | None = None
    is_purchaseable: bool | None = None
    is_previewable: bool | None = None
    is_prime_eligible: bool | None = None
    playback_subscription_tiers: list[str] = Field(default_factory=list)


class ParentalSettings(AmazonModel):
    is_kid_friendly: bool | None = None
    has_explicit_language: bool | None = None


class PageInfo(AmazonModel):
    """``pageInfo`` of a connection (reference.md §2.4): ``token`` only when there is more."""

    has_next_page: bool = False
    token: str | None = None


# --- catalog ---------------------------------------------------------------------------------


class ArtistRef(AmazonModel):
    """An artist as embedded in tracks and albums: id, name, url."""

    id: str = ""
    name: str | None = None
    url: str | None = None


class AlbumRef(AmazonModel):
    """An album as embedded in a track (reference.md §3.4 ``album{id,title,url}``)."""

    id: str = ""
    title: str | None = None
    url: str | None = None
    images: list[Image] = Field(default_factory=list)


class Track(AmazonModel):
    """A catalog track (reference.md §3.4 Get Track; seed-library.txt saveTrack.track)."""

    id: str
    global_asin: str | None = None
    title: str | None = None
    short_title: str | None = None
    # Seconds (reference.md §3.4: "duration (seconds, e.g. 232)").
    duration: int | None = None
    isrc: str | None = None
    url: str | None = None
    release_date: str | None = None
    explicit: bool | None = None
    audio_qualities: list[str] = Field(default_factory=list)
    album: AlbumRef | None = None
    artists: list[ArtistRef] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    eligibility: Eligibility | None = None
    parental_settings: ParentalSettings | None = None
    preview_url: str | None = None
    track_number: int | None = None
    disc_number: int | None = None

    @property
    def artist_names(self) -> list[str]:
        return [a.name for a in self.artists if a.name]


class AlbumTrack(AmazonModel):
    """A track in an album's track listing (seed-albums.txt ``tracks[]``: id, title, url)."""

    id: str
    title: str | None = None
    url: str | None = None
    duration: int | None = None
    isrc: str | None = None
    track_number: int | None = None


class Album(AmazonModel):
    """A catalog album (seed-albums.txt Get Album)."""

    id: str
    global_asin: str | None = None
    title: str | None = None
    short_title: str | None = None
    duration: int | None = None
    url: str | None = None
    release_date: str | None = None
    label: str | None = None
    upc: str | None = None
    track_count: int | None = None
    explicit: bool | None = None
    available_markets: list[Market] = Field(default_factory=list)
    artists: list[ArtistRef] = Field(default_factory=list)
    eligibility: Eligibility | None = None
    parental_settings: ParentalSettings | None = None
    images: list[Image] = Field(default_factory=list)
    tracks: list[AlbumTrack] = Field(default_factory=list)

    @field_validator("tracks", mode="before")
    @classmethod
    def _tracks_as_list(cls, value: Any) -> Any:
        # Some answers give the listing as a connection ({edges:[{node}]}) rather than a list.
        if isinstance(value, dict):
            return [e.get("node", e) for e in value.get("edges") or [] if isinstance(e, dict)]
        return value


class Artist(AmazonModel):
    """A catalog artist (name, url, image: seed-overview.txt's "Daft Punk" example)."""

    id: str
    name: str | None = None
    url: str | None = None
    images: list[Image] = Field(default_factory=list)


class Category(AmazonModel):
    """A browse category (seed-browse.txt Get Category): id, name, url, categoryType."""

    id: str
    name: str | None = Field(default=None, validation_alias=AliasChoices("name", "title"))
    url: str | None = None
    category_type: str | None = None
    images: list[Image] = Field(default_factory=list)


class PodcastShow(AmazonModel):
    id: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    images: list[Image] = Field(default_factory=list)


class PodcastEpisode(AmazonModel):
    """A podcast episode (seed-browse.txt Get New Podcast Episodes)."""

    id: str
    title: str | None = None
    url: str | None = None
    description: str | None = None
    duration: int | None = None
    release_date: str | None = Field(
        default=None, validation_alias=AliasChoices("releaseDate", "publishedAt", "release_date")
    )
    show: PodcastShow | None = Field(
        default=None, validation_alias=AliasChoices("show", "podcast", "podcastShow")
    )
    images: list[Image] = Field(default_factory=list)


# --- users, playlists, library ---------------------------------------------------------------


class UserRef(AmazonModel):
    """A playlist's curator: at least the user id (seed-library.txt ``curator{id}``)."""

    id: str = ""
    name: str | None = None


class User(AmazonModel):
    """GET /me (reference.md §3.1): id, name, images, url, maybe the subscription tier."""

    id: str
    name: str | None = None
    url: str | None = None
    images: list[Image] = Field(default_factory=list)
    subscription_tier: str | None = None
    visibility: str | None = None
    playback_visibility: str | None = None


class Playlist(AmazonModel):
    """A playlist (reference.md §3.2 Get Playlist; seed-library.txt Get Current User's
    Playlists)."""

    id: str
    title: str | None = None
    description: str | None = None
    visibility: str | None = None
    duration: int | None = None
    track_count: int | None = None
    url: str | None = None
    curator: UserRef | None = None
    images: list[Image] = Field(default_factory=list)
    eligibility: Eligibility | None = None
    created_at: str | None = None
    updated_at: str | None = None


class PlaylistEntry(AmazonModel):
    """One occurrence of a track in a playlist.

    ``entry_id`` is what reorder and remove take (reference.md §3.2 PATCH/DELETE tracks). The
    documents disagree on the edge cursor's prefix (index or track id), so the id is read as
    the text after the last ':' (reference.md §2.2, "Safe parsing").
    """

    entry_id: str
    cursor: str | None = None
    track: Track

    @staticmethod
    def entry_id_from_cursor(cursor: str) -> str:
        return cursor.rsplit(":", 1)[-1]


class LibraryAlbum(AmazonModel):
    """An album edge of GET /me/library/albums (seed-albums.txt): flags plus the album node."""

    album: Album
    purchased: bool | None = None
    uploaded: bool | None = None
    object_id: str | None = None


class LibraryTrack(AmazonModel):
    """A track edge of GET /me/library/tracks: the track plus any per-edge flags."""

    track: Track
    purchased: bool | None = None
    uploaded: bool | None = None
    object_id: str | None = None
    added_at: str | None = None


class SaveTrackResult(AmazonModel):
    """``saveTrack`` / ``removeTrack`` (seed-library.txt): the track and its new saveState."""

    track: Track | None = None
    save_state: str | None = None


class SaveAlbumResult(AmazonModel):
    """``saveAlbum`` / ``removeAlbum`` (seed-albums.txt): the album and its new saveState."""

    album: Album | None = None
    save_state: str | None = None


class AddedEntry(AmazonModel):
    """An entry created by an add-tracks call: its new entry id and the catalog track id."""

    entry_id: str
    track_id: str | None = None
    cursor: str | None = None


class PlaylistTracksResult(AmazonModel):
    """What PUT /playlists/{id}/tracks did, summed over the chunks the client sent.

    The answer's body is undocumented (reference.md §9 item 1); the entries and skipped ids are
    filled from it when the server sends them, the counts always.
    """

    playlist_id: str
    requested: int = 0
    chunks: int = 0
    playlist: Playlist | None = None
    added_entries: list[AddedEntry] = Field(default_factory=list)
    skipped_track_ids: list[str] = Field(default_factory=list)


class PlaylistRemoveResult(AmazonModel):
    """What DELETE /playlists/{id}/tracks did, summed over chunks."""

    playlist_id: str
    requested: int = 0
    chunks: int = 0
    removed_entry_ids: list[str] = Field(default_factory=list)
    skipped_entry_ids: list[str] = Field(default_factory=list)


class SearchAllResult(AmazonModel):
    """GET /search (reference.md §3.7 "Search All"): views of entity groups, kept loosely typed."""

    views: list[dict[str, Any]] = Field(default_factory=list)


# --- pages -----------------------------------------------------------------------------------

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a connection, already mapped to items of type T."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    items: list[T]
    page_info: PageInfo
    edge_count: int | None = None
    # The cursor to ask for the next page with, or None on the last page.
    next_cursor: str | None = None
