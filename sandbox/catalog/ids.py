"""Deterministic identifiers that look like Amazon's: ASINs, ISRCs, UUIDs and image URLs.

ASINs are a counter pushed through a seeded permutation of the 36^8 space, so they are unique
without a lookup table and look random. ISRCs (``CC-XXX-YY-NNNNN`` without dashes) take their
country and registrant from the releasing artist and number recordings in order within each
registrant and year, which keeps them unique by construction.
"""

from __future__ import annotations

import hashlib
import math
import random
import string
import uuid

_ALPHABET36 = string.digits + string.ascii_uppercase
_ALPHABET62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_SPACE = 36**8
# Any multiplier coprime with 36 makes n -> (n * k + c) mod 36^8 a permutation.
_MULTIPLIER = 2_654_435_761
assert math.gcd(_MULTIPLIER, _SPACE) == 1

_COUNTRIES = ("US", "US", "US", "US", "GB", "GB", "DE", "FR", "CA", "SE", "AU", "NL", "JP", "QM")


def stable_hash(text: str) -> int:
    """A 64-bit hash that, unlike ``hash()``, is the same in every process."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


_PAIRS36 = tuple(a + b for a in _ALPHABET36 for b in _ALPHABET36)


def _base36(number: int, width: int) -> str:
    """``number`` in upper-case base 36, zero-padded to ``width`` (even widths go pairwise)."""
    chars: list[str] = []
    while width >= 2:
        number, pair = divmod(number, 1296)
        chars.append(_PAIRS36[pair])
        width -= 2
    if width:
        chars.append(_ALPHABET36[number % 36])
    return "".join(reversed(chars))


class AsinAllocator:
    """Hands out unique ASINs (``B0`` + 8 upper-case alphanumerics) in a seeded order."""

    def __init__(self, seed: int) -> None:
        self._offset = stable_hash(f"asin:{seed}") % _SPACE
        self._next = 0

    def allocate(self) -> str:
        number = (self._next * _MULTIPLIER + self._offset) % _SPACE
        self._next += 1
        return "B0" + _base36(number, 8)


class IsrcAllocator:
    """Unique synthetic ISRCs, numbered per (country, registrant, year) as real ones are."""

    def __init__(self, seed: int, reserved: frozenset[str] = frozenset()) -> None:
        self._seed = seed
        self._reserved = reserved
        self._counters: dict[str, int] = {}
        self._prefixes: dict[str, str] = {}

    def _prefix(self, registrant_key: str) -> str:
        prefix = self._prefixes.get(registrant_key)
        if prefix is None:
            digest = stable_hash(f"isrc:{self._seed}:{registrant_key}")
            country = _COUNTRIES[digest % len(_COUNTRIES)]
            prefix = country + _base36(digest >> 8, 3)
            self._prefixes[registrant_key] = prefix
        return prefix

    def allocate(self, registrant_key: str, year: int) -> str:
        stem = f"{self._prefix(registrant_key)}{year % 100:02d}"
        while True:
            number = self._counters.get(stem, 0) + 1
            if number > 99_999:
                # A full registrant-year spills into the registrant's next code, as labels do.
                registrant_key += "+"
                stem = f"{self._prefix(registrant_key)}{year % 100:02d}"
                continue
            self._counters[stem] = number
            isrc = f"{stem}{number:05d}"
            if isrc not in self._reserved:
                return isrc


def uuid4_from(rng: random.Random) -> str:
    """A version-4 UUID string drawn from ``rng`` so that seeded runs repeat it."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def image_url(key: str) -> str:
    """A stable fake Amazon image URL such as ``https://m.media-amazon.com/images/I/71bs….jpg``."""
    digest = stable_hash(f"img:{key}")
    chars = [str(5 + digest % 5)]
    digest //= 5
    for _ in range(9):
        digest, index = divmod(digest, 62)
        chars.append(_ALPHABET62[index])
    return f"https://m.media-amazon.com/images/I/{''.join(chars)}L.jpg"
