"""How the sandbox's search engine turns titles, names and queries into tokens.

Index and query text go through the same ``tokens()``, so that they meet in the middle:
apostrophes vanish ("Don't" -> "dont"), "&" reads as "and", "$" inside a name reads as "s"
("Ke$ha" -> "kesha"), dotted abbreviations close up ("R.E.M." -> "rem"), and names joined by
"-", "/" or "." are indexed both apart and together ("AC/DC" -> "ac dc acdc"). Case and
diacritics are folded here and again by FTS5's ``unicode61 remove_diacritics 2`` tokenizer.

This is the sandbox's own engine; it shares nothing with the product's matcher on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_DOLLAR = re.compile(r"(?<=\w)\$|\$(?=\w)")
_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_JOINED = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)+")
_SPLIT = re.compile(r"[\W_]+")

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


@lru_cache(maxsize=65_536)
def tokens(text: str) -> tuple[str, ...]:
    """The search tokens of a title, a name or a query, in order, duplicates kept."""
    return tuple(t for t in _SPLIT.split(fold(_prepare(text))) if t)


def index_text(text: str) -> str:
    """What the full-text index stores for a field: its tokens separated by spaces."""
    return " ".join(tokens(text))
