"""Title text in Amazon's style, and undoing the iTunes-Amazon benchmark's tokenisation.

Amazon appends what a release is to the title: ``[Explicit]``/``[Clean]`` always last,
``(feat. X)`` or ``[feat. X]`` for guests, and version words such as ``- Remastered 2011``,
``(Live)`` or ``(Radio Edit)``. The generator builds every variant title with these helpers.
"""

from __future__ import annotations

import random
import re

from sandbox.catalog.credits import join_names

_DETOKENISE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"([(\[]) ", r"\1"),
        (r" ([)\]])", r"\1"),
        (r" ([.,;:!?])(?=\s|$|[)\]])", r"\1"),
        (r" '(s|m|ll|re|ve|d)\b", r"'\1"),
        (r" n't\b", "n't"),
        (r"\b([Ww]an|[Gg]on|[Gg]ot) na\b", r"\1na"),
        (r"(\win) ' ", r"\1' "),
        (r"\$ (\w)", r"$\1"),
        (r"# (\d)", r"#\1"),
    )
)


def detokenise(text: str) -> str:
    """Undo the benchmark's tokenisation: ``I Ca n't Go ( Live ) [ Explicit ]`` becomes
    ``I Can't Go (Live) [Explicit]``. Mojibake such as ``ÌÏ`` is left as published."""
    for pattern, replacement in _DETOKENISE_RULES:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s{2,}", " ", text).strip()


def with_featured(title: str, featured: tuple[str, ...], rng: random.Random) -> str:
    """``Title (feat. A & B)`` or ``Title [feat. A & B]``: Amazon prints both."""
    if not featured:
        return title
    names = join_names(featured)
    return f"{title} [feat. {names}]" if rng.random() < 0.35 else f"{title} (feat. {names})"


def explicit(title: str) -> str:
    return f"{title} [Explicit]"


def clean(title: str) -> str:
    return f"{title} [Clean]"


def remastered(title: str, year: int, rng: random.Random) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"{title} - Remastered {year}"
    if form == 1:
        return f"{title} (Remastered {year})"
    if form == 2:
        return f"{title} ({year} Remaster)"
    return f"{title} - {year} Remastered Version"


def live(title: str, venue: str | None, rng: random.Random) -> str:
    if venue:
        return f"{title} (Live at {venue})"
    return f"{title} - Live" if rng.random() < 0.3 else f"{title} (Live)"


def radio_edit(title: str, rng: random.Random) -> str:
    return f"{title} (Radio Edit)" if rng.random() < 0.8 else f"{title} - Radio Edit"


def remix(title: str, remixer: str, rng: random.Random) -> str:
    return f"{title} ({remixer} Remix)" if rng.random() < 0.85 else f"{title} [{remixer} Remix]"


def acoustic(title: str, rng: random.Random) -> str:
    return f"{title} (Acoustic)" if rng.random() < 0.6 else f"{title} (Acoustic Version)"


def instrumental(title: str) -> str:
    return f"{title} (Instrumental)"


def karaoke(title: str, original_artist: str, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{title} (Originally Performed by {original_artist}) [Karaoke Version]"
    return f"{title} (Karaoke Version)"


def made_famous(title: str, original_artist: str) -> str:
    return f"{title} (Made Famous by {original_artist})"
