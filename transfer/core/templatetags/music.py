"""Template filters for music: durations, artist lists, artwork."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def duration(seconds: int | float | None) -> str:
    """232 -> "3:52"; 4893 -> "1:21:33"."""
    if seconds is None or seconds == "":
        return ""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def artist_names(artists: Any) -> str:
    return ", ".join(a.name for a in artists or [] if getattr(a, "name", None))


@register.filter
def artwork(item: Any) -> str:
    """The first image of a track (or its album), album, playlist or episode; "" if none."""
    images = getattr(item, "images", None) or []
    if not images and getattr(item, "album", None) is not None:
        images = item.album.images or []
    return images[0].url if images else ""
