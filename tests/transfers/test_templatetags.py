"""Honest figures on the result page: no part shown as 100%, no "0 minutes"."""

from __future__ import annotations

import datetime as dt

from transfer.transfers.templatetags.transfers import duration_words, honest_percent


def test_a_part_is_never_shown_as_all_or_nothing() -> None:
    assert honest_percent(238, 239) == "99%"
    assert honest_percent(239, 239) == "100%"
    assert honest_percent(1, 1000) == "under 1%"
    assert honest_percent(0, 10) == "0%"
    assert honest_percent(1, 3) == "33%"
    assert honest_percent(0, 0) == "0%"


def test_short_times_are_said_in_seconds() -> None:
    assert duration_words(0.4) == "under a second"
    assert duration_words(42) == "42 seconds"
    assert duration_words(dt.timedelta(seconds=61)) == "1 minute 1 second"
    assert duration_words(dt.timedelta(minutes=75)) == "1 hour 15 minutes"
