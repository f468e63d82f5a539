"""Made-up titles and names that read like real ones, built from words of real chart titles.

Song titles come from a word-level bigram chain over the Hot 100 titles, so "Baby Don't Go
Tonight" is likely and "Quantum Tuesday" is not. Artist names mix real first names and surnames
seen on the charts, band patterns ("The Velvet Harbors") and rap and DJ monikers.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence

VENUES = (
    "Madison Square Garden",
    "Wembley Stadium",
    "Red Rocks",
    "The Hollywood Bowl",
    "Budokan",
    "The Royal Albert Hall",
    "The Fillmore",
    "The Ryman",
    "Austin City Limits",
    "The Greek Theatre",
    "The Apollo",
    "The Troubadour",
    "Montreux",
    "The BBC",
)
LABELS = (
    "Northbound Records",
    "Blue Lantern Music",
    "Harbor Light Recordings",
    "Crescent Avenue Records",
    "Silver Maple Music Group",
    "Redline Sound",
    "Golden Hour Entertainment",
    "Parkside Records",
    "Low Tide Music",
    "Highwire Records",
    "Copper Kettle Music",
    "Open Road Recordings",
    "Midnight Signal",
    "Tall Pines Records",
)
KARAOKE_ARTISTS = (
    "Karaoke Hits Band",
    "Sing Karaoke Stars",
    "The Karaoke Channel",
    "Ameritz Karaoke Crew",
    "Party Tyme Singers",
)
TRIBUTE_ARTISTS = (
    "Vitamin String Players",
    "The Piano Cover Guys",
    "Lullaby Baby Band",
    "Rockabye Lullabies",
    "Acoustic Covers Collective",
    "Workout Remix Factory",
    "The Tribute Kings",
    "Twinkle Twinkle Orchestra",
)
_FIRST_FALLBACK = ("Sam", "Alex", "Jordan", "Casey", "Riley", "Morgan")
_MONIKER_PREFIXES = ("Lil", "Young", "DJ", "MC", "Big", "Yung", "King", "Lady")
_BAND_SUFFIXES = ("Band", "Brothers", "Sisters", "Collective", "Project", "Trio", "Orchestra")
_WORD = re.compile(r"^[A-Z][a-z']+$")


class NameMaker:
    """Generates titles and names from word statistics of real chart data."""

    def __init__(self, titles: Sequence[str], artist_names: Sequence[str]) -> None:
        self._starts: list[str] = []
        self._next: dict[str, list[str]] = defaultdict(list)
        for title in titles:
            words = title.split()
            if not words or len(words) > 8:
                continue
            self._starts.append(words[0])
            for current, following in zip(words, [*words[1:], ""], strict=True):
                self._next[current].append(following)
        firsts: list[str] = []
        lasts: list[str] = []
        for name in artist_names:
            parts = name.split()
            if len(parts) == 2 and all(_WORD.match(p) for p in parts):
                firsts.append(parts[0])
                lasts.append(parts[1])
        self._firsts = firsts or list(_FIRST_FALLBACK)
        self._lasts = lasts or list(_FIRST_FALLBACK)
        nouns = sorted({w for t in titles for w in t.split() if _WORD.match(w) and len(w) > 3})
        self._nouns = nouns or list(_FIRST_FALLBACK)

    def song_title(self, rng: random.Random) -> str:
        words = [rng.choice(self._starts)]
        target = 1 + min(int(rng.expovariate(0.55)), 6)
        while len(words) < 8:
            options = self._next.get(words[-1])
            if not options:
                break
            following = rng.choice(options)
            if not following:
                if len(words) >= target:
                    break
                following = rng.choice(options)
                if not following:
                    break
            words.append(following)
        title = " ".join(words)
        # Bigram chains can leave brackets unbalanced; drop them rather than print "(Baby".
        if title.count("(") != title.count(")"):
            title = title.replace("(", "").replace(")", "")
        return title

    def album_title(self, rng: random.Random, track_titles: Sequence[str]) -> str:
        roll = rng.random()
        if roll < 0.35 and track_titles:
            return rng.choice(list(track_titles))
        if roll < 0.45:
            return f"{rng.choice(self._nouns)} {rng.choice(self._nouns)}"
        return self.song_title(rng)

    def artist_name(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.45:
            return f"{rng.choice(self._firsts)} {rng.choice(self._lasts)}"
        if roll < 0.65:
            noun = rng.choice(self._nouns)
            plural = noun if noun.endswith("s") else noun + "s"
            return f"The {rng.choice(self._nouns)} {plural}"
        if roll < 0.8:
            return f"{rng.choice(_MONIKER_PREFIXES)} {rng.choice(self._nouns)}"
        if roll < 0.9:
            return f"{rng.choice(self._lasts)} {rng.choice(_BAND_SUFFIXES)}"
        return f"{rng.choice(self._nouns)} {rng.choice(self._nouns)}"

    def remixer(self, rng: random.Random) -> str:
        return rng.choice(self._lasts) if rng.random() < 0.6 else self.artist_name(rng)

    def phrase(self, rng: random.Random, words: int) -> str:
        return " ".join(rng.choice(self._nouns) for _ in range(words))
