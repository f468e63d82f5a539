"""Pydantic models of the Spotify Web API objects the app reads.

https://developer.spotify.com/documentation/web-api/reference: TrackObject,
SimplifiedPlaylistObject, PlaylistTrackObject, SavedTrackObject, SavedAlbumObject. Unknown fields
are ignored.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Artist(_Model):
    id: str | None = None
    name: str = ""


class AlbumRef(_Model):
    id: str | None = None
    name: str = ""
    artists: list[Artist] = Field(default_factory=list)
    release_date: str = ""


class Track(_Model):
    id: str | None = None  # local files have none
    name: str = ""
    uri: str = ""
    artists: list[Artist] = Field(default_factory=list)
    album: AlbumRef | None = None
    duration_ms: int | None = None
    explicit: bool | None = None
    external_ids: dict[str, str] = Field(default_factory=dict)
    is_local: bool = False
    track_number: int | None = None
    type: str = "track"

    @property
    def isrc(self) -> str:
        return self.external_ids.get("isrc", "").upper()


class Owner(_Model):
    id: str = ""
    display_name: str | None = None


class ItemsRef(_Model):
    total: int = 0


class Playlist(_Model):
    id: str
    name: str = ""
    description: str | None = ""
    owner: Owner = Field(default_factory=Owner)
    public: bool | None = None
    collaborative: bool = False
    snapshot_id: str = ""
    # February 2026: "tracks" became "items"; older answers still say "tracks".
    items: ItemsRef | None = None
    tracks: ItemsRef | None = None
    uri: str = ""
    external_urls: dict[str, str] = Field(default_factory=dict)

    @property
    def total(self) -> int:
        ref = self.items or self.tracks
        return ref.total if ref else 0

    @property
    def url(self) -> str:
        return self.external_urls.get("spotify", "")


class PlaylistEntry(_Model):
    added_at: str | None = None
    is_local: bool = False
    # February 2026: the entry's object is "item"; before, "track".
    item: Track | None = None
    track: Track | None = None

    @property
    def object(self) -> Track | None:
        return self.item or self.track


class SavedTrack(_Model):
    added_at: str | None = None
    track: Track


class AlbumTracks(_Model):
    items: list[Track] = Field(default_factory=list)
    total: int = 0


class Album(AlbumRef):
    uri: str = ""
    tracks: AlbumTracks | None = None


class SavedAlbum(_Model):
    added_at: str | None = None
    album: Album


class User(_Model):
    id: str
    display_name: str | None = None
    email: str | None = None
    product: str | None = None
