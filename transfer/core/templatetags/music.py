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


@register.filter
def ms_duration(milliseconds: int | None) -> str:
    """228470 -> "3:48"."""
    if not milliseconds:
        return ""
    return duration(round(milliseconds / 1000))


@register.filter
def percent(value: float | None) -> str:
    """0.934 -> "93%"."""
    if value is None:
        return ""
    return f"{value:.0%}"


@register.filter
def seconds_human(seconds: float | None) -> str:
    """An ETA for people: "about 40 s", "about 3 min", "about 1 h 20 min"."""
    if seconds is None:
        return "working it out…"
    total = int(seconds)
    if total < 60:
        return f"about {max(total, 1)} s"
    if total < 3600:
        return f"about {round(total / 60)} min"
    return f"about {total // 3600} h {round((total % 3600) / 60)} min"
