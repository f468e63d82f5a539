"""Template filters of the transfer pages: honest percentages, times in words, queue places."""

from __future__ import annotations

import datetime as dt

from django import template

from transfer.transfers.models import TransferJob
from transfer.transfers.services.jobs import queue_position

register = template.Library()


@register.filter
def honest_percent(count: int, total: int) -> str:
    """A share that never rounds a part up to 100% or down to 0% (238 of 239 is 99%)."""
    if not total:
        return "0%"
    if count >= total:
        return "100%"
    if count <= 0:
        return "0%"
    percent = 100 * count / total
    if percent < 1:
        return "under 1%"
    return f"{min(int(percent + 0.5), 99)}%"


@register.filter
def duration_words(seconds: float | dt.timedelta | None) -> str:
    """'under a second', '42 seconds', '3 minutes 5 seconds', '2 hours 4 minutes'."""
    if seconds is None:
        return ""
    if isinstance(seconds, dt.timedelta):
        seconds = seconds.total_seconds()
    total = int(seconds)
    if total < 1:
        return "under a second"
    if total < 60:
        return f"{total} second{'s' if total != 1 else ''}"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        text = f"{minutes} minute{'s' if minutes != 1 else ''}"
        return text + (f" {secs} second{'s' if secs != 1 else ''}" if secs and minutes < 10 else "")
    hours, minutes = divmod(minutes, 60)
    return f"{hours} hour{'s' if hours != 1 else ''}" + (
        f" {minutes} minute{'s' if minutes != 1 else ''}" if minutes else ""
    )


@register.simple_tag
def job_took(job: TransferJob) -> str:
    if job.started_at and job.finished_at:
        return duration_words(job.finished_at - job.started_at)
    return ""


@register.filter
def place_in_queue(job: TransferJob) -> int | None:
    return queue_position(job=job)
