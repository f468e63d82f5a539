"""Normalisation of titles, artist credits and album names for comparison.

Services write the same recording differently: "Song (feat. X)" against "Song [feat. X]",
"- Remastered 2011" against "(2011 Remaster)", "[Explicit]" suffixes, "Featuring" and "&" in
artist credits, curly apostrophes, diacritics, even tokenised text such as "Ca n't" in some
datasets. This module reduces each string to a comparable core and pulls out what the
decorations say (featured artists, version tags, explicit/clean), because those carry signal
that plain fuzzy matching would either drown in or throw away.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Version tags that make a *different recording* from the original. A tag on one side only is
# penalised by the scorer. "remaster" is listed but treated as the same recording.
VERSION_PATTERNS: dict[str, re.Pattern[str]] = {
    "live": re.compile(r"\blive\b|\bin concert\b|\bunplugged\b"),
    "remix": re.compile(r"\bremix(ed)?\b|\brmx\b|\bmix\b|\brework\b|\bbootleg\b"),
    "instrumental": re.compile(r"\binstrumental\b"),
    "karaoke": re.compile(r"\bkaraoke\b|\bmade famous by\b|\boriginally performed by\b"),
    "acoustic": re.compile(r"\bacoustic\b|\bstripped\b"),
    "cover": re.compile(r"\bcover\b|\btribute\b|\bin the style of\b"),
    "radio edit": re.compile(r"\bradio (edit|version|mix)\b|\bsingle (edit|version)\b"),
    "demo": re.compile(r"\bdemo\b"),
    "a cappella": re.compile(r"\ba ?cappella\b"),
    "sped up": re.compile(r"\bsped up\b|\bslowed\b|\bnightcore\b"),
    "remaster": re.compile(r"\bremaster(ed)?\b|\bremastering\b"),
}
SAME_RECORDING_TAGS = frozenset({"remaster"})
# All of the above in one pass: group names are the tags with spaces as underscores.
_VERSION_ANY = re.compile(
    "|".join(f"(?P<{tag.replace(' ', '_')}>{p.pattern})" for tag, p in VERSION_PATTERNS.items())
)

_FEAT = re.compile(
    r"[\(\[]\s*(?:feat\.?|ft\.?|featuring|with)\s+(?P<who>[^\)\]]+)[\)\]]"
    r"|\s(?:feat\.?|ft\.?|featuring)\s+(?P<who2>.+)$",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
# " - Remastered 2011", " - Live at Wembley", " - Radio Edit": a dash suffix that names a version.
_DASH_SUFFIX = re.compile(r"\s[-\u2013\u2014]\s(?P<suffix>[^-\u2013\u2014]+)$")
_EXPLICIT = re.compile(r"\bexplicit\b|\bdirty\b")
_CLEAN = re.compile(r"\bclean\b|\bedited\b|\bcensored\b")
_ALBUM_NOISE = re.compile(
    r"\b(deluxe|expanded|special|anniversary|collector'?s|bonus track|super deluxe|platinum)"
    r"(\s(edition|version))?\b|\b(edition|version)\b|\bsingle\b|\bep\b|\blp\b|\bremaster(ed)?\b"
    r"|\b\d{4}\b"
)
_ARTIST_SPLIT = re.compile(
    r"\s*(?:,|;|/|\s&\s|\band\b|\bx\b|\bvs\.?\b|\bfeat\.?\b|\bft\.?\b|\bfeaturing\b|\bwith\b"
    r"|\+)\s*",
    re.IGNORECASE,
)
_TOKENISED_SPACES = re.compile(r"\s+(?=[\)\]\.,!?:;'])|(?<=[\(\[])\s+|\s+(?=n't\b)")
_NON_WORD = re.compile(r"[^\w\s]")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
# Digits anywhere; roman numerals only after "pt", "part", "no", "vol" (a bare "ii" is too often
# mojibake or a word).
_NUMBERS = re.compile(r"\b\d+\b|(?<=\bpt )\w+\b|(?<=\bpart )\w+\b|(?<=\bno )\w+\b|(?<=\bvol )\w+\b")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+")
_ALBUM_EDITION_TAG = re.compile(r"[\(\[][^\)\]]*(explicit|clean|edited)[^\)\]]*[\)\]]")
# Words that name no edition in particular: "Deluxe Edition" and "(Deluxe)" are one edition.
_GENERIC_ALBUM_WORDS = frozenset({"edition", "version", "the"})


@dataclass(frozen=True, slots=True)
class TitleParts:
    core: str
    featured: tuple[str, ...]
    versions: frozenset[str]
    explicit: bool | None
    # The words of version decorations ("goldhouse remix", "spanish version"): two remixes of
    # one song share the "remix" tag but not this.
    detail: str
    # Numbers and roman numerals in the title ("Pt. II", "Symphony No. 5") that tell parts apart.
    numbers: frozenset[str]


# Latin letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "\u0131": "i",
        "$": "s",
    }
)


def fold(text: str) -> str:
    """Lower-case, strip diacritics, unify apostrophes and dashes."""
    if text.isascii():
        return text.replace("`", "'").lower()
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("`", "'")
        .replace("\u2013", "-")
        .replace("\u2014", "-")
        .lower()
    )


def squash(text: str) -> str:
    """Only letters, digits and single spaces; '&' reads as 'and', apostrophes vanish."""
    text = text.replace("&", " and ").replace("'", "")
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def detokenise(text: str) -> str:
    """Undo tokenised punctuation ("Ca n't", "( Live )", "Here 's") found in some datasets."""
    return _TOKENISED_SPACES.sub("", text)


@functools.lru_cache(maxsize=200_000)
def title_parts(title: str) -> TitleParts:
    text = detokenise(fold(title))
    featured: list[str] = []
    for match in _FEAT.finditer(text):
        who = match.group("who") or match.group("who2") or ""
        featured.extend(split_artists(who))
    text = _FEAT.sub(" ", text)

    versions: set[str] = set()
    explicit: bool | None = None
    details: list[str] = []
    decorations: list[str] = [m.group(1) for m in _BRACKETED.finditer(text)]
    text = _BRACKETED.sub(" ", text)
    dash = _DASH_SUFFIX.search(text)
    if dash and _describes_version(dash.group("suffix")):
        decorations.append(dash.group("suffix"))
        text = text[: dash.start()]
    for decoration in decorations:
        if _EXPLICIT.search(decoration):
            explicit = True
            continue
        if _CLEAN.search(decoration):
            explicit = False
            continue
        tags = _version_tags(decoration)
        versions.update(tags)
        if tags - SAME_RECORDING_TAGS or _describes_version(decoration):
            details.append(_YEAR.sub(" ", squash(decoration)))
    core = squash(text)
    # "We Dem Boyz Remix": a version word in the bare title counts too. Both sides are read the
    # same way, so a title that merely contains "live" ("Live Forever") cancels out.
    versions.update(_version_tags(core))
    if not core:
        # A title that is all brackets ("(I Can't Get No) Satisfaction" edge cases): keep words.
        core = squash(_BRACKETED.sub(r" \1 ", detokenise(fold(title))))
    detail = _SPACES.sub(" ", " ".join(details)).strip()
    if not (versions - SAME_RECORDING_TAGS):
        detail = ""  # "Remastered 2011" or "Mono" say nothing about which recording it is
    numbers = frozenset(_NUMBERS.findall(core))
    return TitleParts(core, tuple(featured), frozenset(versions), explicit, detail, numbers)


@functools.lru_cache(maxsize=200_000)
def split_artists(credit: str) -> tuple[str, ...]:
    names = (squash(name) for name in _ARTIST_SPLIT.split(detokenise(fold(credit))))
    return tuple(_LEADING_THE.sub("", name) for name in names if name)


@functools.lru_cache(maxsize=100_000)
def album_core(album: str) -> tuple[str, bool | None]:
    """An album name without edition noise, and what it says about explicit/clean."""
    text = detokenise(fold(album))
    explicit: bool | None = None
    if _EXPLICIT.search(text):
        explicit = True
    elif re.search(r"[\(\[]\s*(clean|edited)\s*[\)\]]", text):
        explicit = False
    text = re.sub(r"[\(\[][^\)\]]*(explicit|clean|edited)[^\)\]]*[\)\]]", " ", text)
    text = _ALBUM_NOISE.sub(" ", squash(text))
    return _SPACES.sub(" ", text).strip(), explicit


@functools.lru_cache(maxsize=100_000)
def album_words(album: str) -> frozenset[str]:
    """An album name's words with the edition kept ("deluxe", "2 0", "party", "video").

    album_core drops edition words so that a track on the deluxe edition still counts as on
    the album; this keeps them, so that between two editions holding the same recording the
    one the source names can be preferred. Only the explicit/clean tag is dropped.
    """
    text = _ALBUM_EDITION_TAG.sub(" ", detokenise(fold(album)))
    return frozenset(squash(text).split()) - _GENERIC_ALBUM_WORDS


def _describes_version(suffix: str) -> bool:
    return bool(_version_tags(suffix)) or bool(
        re.search(r"\b(version|edit|mix|mono|stereo|single|from|feat)\b", suffix)
    )


def _version_tags(text: str) -> set[str]:
    return {
        match.lastgroup.replace("_", " ")
        for match in _VERSION_ANY.finditer(text)
        if match.lastgroup is not None
    }
