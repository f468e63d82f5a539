"""Writing systems: Latin forms of titles and names written in other scripts, and artists' other
names.

"Gruppa krovi" and "Группа крови", "Dynamite" by "BTS" and by "방탄소년단" are the same songs; a
comparison of letters sees nothing in common. When the two sides are written in different
scripts, the scorer compares Latin transliterations instead:

* Japanese (kana, and kanji when kana are present) goes through ``pykakasi``, which reads kanji
  as Japanese (千本桜 -> senbonzakura); a general table would read them as Chinese (qianbenying).
* Everything else (Cyrillic, Greek, Hangul in Revised Romanization, Arabic, Devanagari, Chinese
  in pinyin, ...) goes through ``anyascii``: one small table-driven library with no native code,
  kept up to date with Unicode, ISC-licensed. ``unidecode`` does the same job but is GPL.

Transliterations are compared with spaces removed: romanisers split words differently
("yoru ni kake ru" against "Yoru ni Kakeru").

Artists known by several names across scripts (방탄소년단 and BTS) come from
``data/artist_aliases.csv`` (see the README there for its origin).
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path
from typing import Any

from anyascii import anyascii

from transfer.matching.normalize import fold, squash

ALIASES_FILE = Path(__file__).resolve().parent / "data" / "artist_aliases.csv"

# Letters of scripts other than Latin (Greek and beyond; Latin Extended ends at U+024F).
_NON_LATIN = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]+")


def has_other_script(text: str) -> bool:
    """Whether the text has letters outside the Latin script."""
    return not text.isascii() and _NON_LATIN.search(text) is not None


@functools.lru_cache(maxsize=1)
def _kakasi() -> Any:
    # Loaded on first use only (its kanji table is a 10 MB pickle, 0.4 s of CPU): a web
    # process or a script may never need it. Workers load it at start (``preload``).
    import pykakasi

    return pykakasi.kakasi()


def preload() -> None:
    """Load the tables now rather than on the first track that needs them.

    A Celery worker calls this before it starts its pool, so that forked children share the
    tables instead of each loading its own, and no track waits for them.
    """
    _kakasi()
    _alias_table()


@functools.lru_cache(maxsize=50_000)
def to_latin(text: str) -> str:
    """The text with every non-Latin run written in Latin letters; Latin text is unchanged.
    Kana make a text Japanese, read with Japanese readings; kanji alone are read as Chinese
    (``latin_forms`` gives both readings for those)."""
    if not has_other_script(text):
        return text
    if _KANA.search(text):
        return anyascii(_japanese(text))
    return anyascii(text)


def _japanese(text: str) -> str:
    kakasi = _kakasi()
    return _JAPANESE.sub(
        lambda m: " ".join(item["hepburn"] for item in kakasi.convert(m.group(0))) + " ", text
    )


@functools.lru_cache(maxsize=50_000)
def latin_forms(text: str) -> tuple[str, ...]:
    """Every plausible Latin reading of the text: kanji without kana may be Japanese (水平線,
    suiheisen) or Chinese (shuipingxian), so both are given."""
    if not has_other_script(text):
        return (text,)
    first = to_latin(text)
    if _HAN.search(text) and not _KANA.search(text):
        return (first, anyascii(_japanese(text)))
    return (first,)


@functools.lru_cache(maxsize=1)
def _alias_table() -> dict[str, str]:
    """Every known name of an artist (squashed) -> the name it is filed under (squashed)."""
    table: dict[str, str] = {}
    if not ALIASES_FILE.exists():
        return table
    with ALIASES_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            canonical = squash(fold(row["name"]))
            for alias in (row["name"], row["other_name"]):
                key = squash(fold(alias))
                if key and canonical:
                    table.setdefault(key, canonical)
    return table


@functools.lru_cache(maxsize=50_000)
def artist_aliases(name: str) -> tuple[str, ...]:
    """Other names of a (squashed) artist name: its filed name, and its Latin form."""
    found: list[str] = []
    canonical = _alias_table().get(name)
    if canonical and canonical != name:
        found.append(canonical)
    if has_other_script(name):
        latin = squash(fold(to_latin(name)))
        if latin and latin != name:
            found.append(latin)
            filed = _alias_table().get(latin)
            if filed and filed not in found:
                found.append(filed)
    return tuple(found)
