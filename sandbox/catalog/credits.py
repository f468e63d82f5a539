"""Split chart credits such as "Drake Featuring Rihanna" into the artists behind them.

Billboard prints one credit string per song. Amazon keeps one row per artist, so the catalog
needs the individual names. "Featuring", "With", "X" and "Vs." always separate artists. "&",
"And" and commas separate them only when every part is itself a known solo credit, because
"Simon & Garfunkel" and "Herb Alpert & The Tijuana Brass" are acts, not pairs of people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_FEATURED = re.compile(
    r"\s+(?:Featuring|featuring|Feat\.|feat\.|Ft\.|ft\.|Duet With|With|Introducing)\s+"
)
_COLLABORATION = re.compile(r"\s+(?:X|x|Vs\.?|vs\.?|Meets)\s+")
_JOINER = re.compile(r"\s*,\s*|\s+&\s+|\s+And\s+|\s+and\s+|\s+\+\s+")
# "George LaMond (Duet With Brenda K. Starr)": the same separators, wrapped in brackets.
_BRACKETED = re.compile(r"\s*\((Featuring|Duet With|With)\s+([^)]*)\)")
# Parts that name a backing group of the previous act: "Diana Ross & The Supremes".
_BACKING = re.compile(r"^(?:The|His|Her|Their)\s")


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit split into main and featured artists, in printed order."""

    main: tuple[str, ...]
    featured: tuple[str, ...]

    @property
    def artists(self) -> tuple[str, ...]:
        return self.main + self.featured


def _has_separator(credit: str) -> bool:
    return bool(_FEATURED.search(credit) or _COLLABORATION.search(credit) or _JOINER.search(credit))


def known_solo_names(credits: Iterable[str]) -> frozenset[str]:
    """Credits that stand alone somewhere in the data: evidence that a name is one act."""
    return frozenset(c for c in credits if c and not _has_separator(c))


class CreditSplitter:
    """Splits credits using the set of names known to be single acts."""

    def __init__(self, known: frozenset[str]) -> None:
        self._known = known
        self._cache: dict[str, Credit] = {}

    def _split_joined(self, part: str) -> list[str]:
        pieces = [p for p in _JOINER.split(part) if p]
        if len(pieces) > 1 and all(p in self._known and not _BACKING.match(p) for p in pieces):
            return pieces
        return [part]

    def split(self, credit: str) -> Credit:
        cached = self._cache.get(credit)
        if cached is not None:
            return cached
        head, *rest = _FEATURED.split(_BRACKETED.sub(r" \1 \2", credit.strip()))
        main: list[str] = []
        for part in _COLLABORATION.split(head):
            main.extend(self._split_joined(part))
        featured: list[str] = []
        for chunk in rest:
            for part in _COLLABORATION.split(chunk):
                featured.extend(self._split_joined(part))
        result = Credit(
            main=tuple(dict.fromkeys(n for n in main if n)),
            featured=tuple(dict.fromkeys(n for n in featured if n and n not in main)),
        )
        self._cache[credit] = result
        return result


def join_names(names: Iterable[str]) -> str:
    """Amazon's display form of several names: "A, B & C"."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " & " + items[-1]
