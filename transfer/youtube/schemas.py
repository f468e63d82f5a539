"""Pydantic models of the YouTube Data API v3 resources the app reads
(https://developers.google.com/youtube/v3/docs: playlist, playlistItem, video)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

_DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class PlaylistSnippet(_Model):
    title: str = ""
    description: str = ""
    channel_id: str = Field("", alias="channelId")


class PlaylistDetails(_Model):
    item_count: int = Field(0, alias="itemCount")


class Playlist(_Model):
    id: str
    snippet: PlaylistSnippet = Field(default_factory=PlaylistSnippet)
    content_details: PlaylistDetails = Field(
        default_factory=PlaylistDetails, alias="contentDetails"
    )


class ResourceId(_Model):
    video_id: str = Field("", alias="videoId")


class ItemSnippet(_Model):
    title: str = ""
    position: int | None = None
    resource_id: ResourceId = Field(default_factory=ResourceId, alias="resourceId")
    video_owner_channel_title: str = Field("", alias="videoOwnerChannelTitle")


class PlaylistItem(_Model):
    id: str
    snippet: ItemSnippet = Field(default_factory=ItemSnippet)

    @property
    def video_id(self) -> str:
        return self.snippet.resource_id.video_id


class VideoSnippet(_Model):
    title: str = ""
    channel_title: str = Field("", alias="channelTitle")


class VideoDetails(_Model):
    duration: str = ""

    @property
    def duration_ms(self) -> int | None:
        match = _DURATION.match(self.duration)
        if not match or not any(match.groups()):
            return None
        days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return ((days * 24 + hours) * 3600 + minutes * 60 + seconds) * 1000


class Video(_Model):
    id: str
    snippet: VideoSnippet = Field(default_factory=VideoSnippet)
    content_details: VideoDetails = Field(default_factory=VideoDetails, alias="contentDetails")
