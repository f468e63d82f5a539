"""How the sandbox's search engine turns titles, names and queries into tokens.

Index and query text go through the same ``tokens()``, so that they meet in the middle:
apostrophes vanish ("Don't" -> "dont"), "&" reads as "and", "$" inside a name reads as "s"
("Ke$ha" -> "kesha"), dotted abbreviations close up ("R.E.M." -> "rem"), and names joined by
"-", "/" or "." are indexed both apart and together ("AC/DC" -> "ac dc acdc"). Case and
diacritics are folded here and again by FTS5's ``unicode61 remove_diacritics 2`` tokenizer.

Other scripts are searched as real catalogs search them. Chinese, Japanese and Korean text is
written without spaces between words, so runs of those characters are cut into overlapping
pairs of characters (as Lucene's CJK analyzer does): "夜に駆ける" is "夜に に駆 駆け ける", and a
query for "駆ける" finds it. A trigram index beside this one would miss the two-character words
that most of those languages' words are. And titles and names in another script are also
indexed in Latin letters (anyascii; pykakasi for Japanese, read as Japanese), so "Gruppa
krovi" finds "Группа крови" and "yoru ni kakeru" finds "夜に駆ける". Artists are indexed with
their other names (``transfer/matching/data/artist_aliases.csv``): "BTS" finds "방탄소년단".

This is the sandbox's own engine; it shares nothing with the product's matcher on purpose.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from anyascii import anyascii

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_DOLLAR = re.compile(r"(?<=\w)\$|\$(?=\w)")
_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_JOINED = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)+")
_SPLIT = re.compile(r"[\W_]+")
# Han, kana and Hangul: scripts written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CJK_RUN = re.compile(rf"{_CJK.pattern}{{2,}}")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN_OR_KANA_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")
# Letters beyond Latin (Latin Extended ends at U+024F).
_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")
ALIASES_FILE = (
    Path(__file__).resolve().parents[2] / "transfer" / "matching" / "data" / "artist_aliases.csv"
)

# Words a query may add or leave out without changing what it asks for.
OPTIONAL_TOKENS = frozenset(
    {"the", "a", "an", "and", "feat", "ft", "featuring", "with", "of", "vs", "x", "presents"}
)
# Words in a title or credit that say nothing about which song it is.
NEUTRAL_TOKENS = frozenset({"the", "a", "an", "and", "feat", "ft", "featuring", "with", "of"})


def fold(text: str) -> str:
    """Lower case without diacritics: "Beyoncé" -> "beyonce"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def _prepare(text: str) -> str:
    text = _APOSTROPHES.sub("", text)
    text = _DOLLAR.sub("s", text)
    text = text.replace("&", " and ").replace("+", " and ")
    text = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    joined = [re.sub(r"[-/.]", "", m.group(0)) for m in _JOINED.finditer(text)]
    if joined:
        text = f"{text} {' '.join(joined)}"
    return text


def _fold_keeping_kana(text: str) -> str:
    # fold() takes the voicing marks off kana (が -> か) and splits Hangul into letters; put
    # them back together for those scripts.
    if not _CJK.search(text):
        return fold(text)
    return unicodedata.normalize("NFC", text).casefold()


@lru_cache(maxsize=65_536)
def tokens(text: str) -> tuple[str, ...]:
    """The search tokens of a title, a name or a query, in order, duplicates kept."""
    found: list[str] = []
    for token in _SPLIT.split(_fold_keeping_kana(_prepare(text))):
        if not token:
            continue
        if _CJK_RUN.search(token):
            found.extend(_bigrams(token))
        else:
            found.append(token)
    return tuple(found)


def _bigrams(token: str) -> list[str]:
    """A token with runs of CJK characters cut into overlapping pairs; other letters stay
    whole ("bts방탄" -> "bts", "방탄")."""
    parts: list[str] = []
    for piece in re.split(rf"({_CJK_RUN.pattern})", token):
        if not piece:
            continue
        if _CJK_RUN.fullmatch(piece):
            parts.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        else:
            parts.append(piece)
    return parts


@lru_cache(maxsize=65_536)
def latin_tokens(text: str) -> tuple[str, ...]:
    """The Latin-letter tokens of text written in another script ("Группа крови" -> "gruppa
    krovi"); nothing for Latin text."""
    if text.isascii() or not _OTHER_SCRIPT.search(text):
        return ()
    forms = [anyascii(text)]
    if _HAN_OR_KANA_RUN.search(text) and (
        _KANA.search(text) or not re.search(r"[\uac00-\ud7af]", text)
    ):
        forms.append(anyascii(_japanese(text)))
    found: list[str] = []
    for form in forms:
        words = [t for t in _SPLIT.split(fold(_prepare(form))) if t]
        found.extend(words)
        if len(words) > 1:
            found.append("".join(words))  # romanisers split words differently
    return tuple(dict.fromkeys(found))


def _japanese(text: str) -> str:
    kakasi = _kakasi()
    return _HAN_OR_KANA_RUN.sub(
        lambda m: " ".join(item["hepburn"] for item in kakasi.convert(m.group(0))) + " ", text
    )


@cache
def _kakasi() -> Any:
    import pykakasi  # a second to load: only when a Japanese title is indexed

    return pykakasi.kakasi()


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Every known name of an artist (folded) -> its other names."""
    groups: dict[str, set[str]] = {}
    with ALIASES_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = {row["name"].strip(), row["other_name"].strip()} - {""}
            for name in names:
                groups.setdefault(fold(name), set()).update(names)
    return {key: tuple(sorted(names)) for key, names in groups.items()}


def other_names(name: str) -> tuple[str, ...]:
    """An artist's other names ("BTS" -> "방탄소년단"), from ``ALIASES_FILE``."""
    return tuple(n for n in _aliases().get(fold(name.strip()), ()) if fold(n) != fold(name))


def index_text(text: str) -> str:
    """What the full-text index stores for a field: its tokens separated by spaces, and for
    text in another script, its Latin-letter tokens after them."""
    return " ".join((*tokens(text), *latin_tokens(text)))
