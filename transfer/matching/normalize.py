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
from collections.abc import Sequence
from typing import NamedTuple

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
    # Each of these is its own recording (or a re-pitched copy of one), never the original.
    "extended": re.compile(
        r"\bextended\b|\bclub (mix|version|edit)\b|\bcontinuous mix\b|\boriginal mix\b"
        r"|\bdub mix\b"
    ),
    "sped up": re.compile(r"\bsped up\b|\bspeed up\b|\bnightcore\b|\b8d( audio)?\b"),
    "slowed": re.compile(r"\bslowed\b|\breverb\b|\bchopped (and|n) screwed\b"),
    "language version": re.compile(
        r"\b(japanese|korean|english|chinese|spanish|mandarin|thai) (ver|version)\b"
    ),
    "pop version": re.compile(r"\bpop (version|mix|remix)\b"),
    "piano": re.compile(r"\bpiano (version|ver|cover|arrangement)\b|\bon piano\b"),
    "orchestral": re.compile(r"\borchestral\b|\bsymphonic (version|edition)\b"),
    # "Re-recorded", "(Taylor's Version)": the artist's new recording of an old song.
    "re-recorded": re.compile(r"\bre-? ?recorded\b|\b\w+'s version\b"),
    "remaster": re.compile(r"\bremaster(ed)?\b|\bremastering\b"),
}
SAME_RECORDING_TAGS = frozenset({"remaster"})
# All of the above in one pass: group g<i> is the i-th tag.
_VERSION_TAGS = tuple(VERSION_PATTERNS)
_VERSION_ANY = re.compile(
    "|".join(f"(?P<g{i}>{p.pattern})" for i, p in enumerate(VERSION_PATTERNS.values()))
)
# Words that make a bracket a version or a credit, not a title's name in Latin letters.
_ALTERNATE_BLOCK = re.compile(r"\b(ver|version|edit|mix|mono|stereo|feat|ft|prod|inst)\b")
_VERSION_WORD = re.compile(r"\b(version|edit|mix|mono|stereo|single|from|feat)\b")

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
# Without one of these words (or a year) _ALBUM_NOISE cannot match. "collector s" is how a
# squashed "collector's" reads; "collectors" is the same word without the apostrophe.
_ALBUM_NOISE_WORDS = frozenset(
    {
        *("deluxe", "expanded", "special", "anniversary", "collectors", "collector", "bonus"),
        *("platinum", "edition", "version", "single", "ep", "lp", "remaster", "remastered"),
    }
)
_FOUR_DIGITS = re.compile(r"\b\d{4}\b")
_ARTIST_SPLIT = re.compile(
    r"\s*(?:,|;|/|\s&\s|\band\b|(?<=\s)x(?=\s)|\bvs\.?\b|\bfeat\.?\b|\bft\.?\b|\bfeaturing\b|\bwith\b"
    r"|\+)\s*",
    re.IGNORECASE,
)
# Without one of these (after folding) a credit is one name and needs no splitting.
_SEPARATOR_HINT = re.compile(r"[,;/&+]|and|\sx\s|vs|feat|ft|with")
_TOKENISED_SPACES = re.compile(r"\s+(?=[\)\]\.,!?:;'])|(?<=[\(\[])\s+|\s+(?=n't\b)")
_NON_WORD = re.compile(r"[^\w\s]")
# Punctuation and spaces in one run: squash needs a single substitution.
_NON_WORD_RUN = re.compile(r"[^\w]+")
_TOKENISED_HINT = re.compile(r"\s[\)\]\.,!?:;']|[\(\[]\s|\sn't")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
# Digits anywhere; roman numerals only after "pt", "part", "no", "vol" (a bare "ii" is too often
# mojibake or a word).
_NUMERAL = r"(?:\d+|[ivxlc]+)\b"
_NUMBERS = re.compile(
    rf"\b\d+\b|(?<=\bpt ){_NUMERAL}|(?<=\bpart ){_NUMERAL}|(?<=\bno ){_NUMERAL}"
    rf"|(?<=\bvol ){_NUMERAL}"
)
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+")
_ALBUM_EDITION_TAG = re.compile(r"[\(\[][^\)\]]*(explicit|clean|edited)[^\)\]]*[\)\]]")
_ALBUM_CLEAN_TAG = re.compile(r"[\(\[]\s*(clean|edited)\s*[\)\]]")
# Words that name no edition in particular: "Deluxe Edition" and "(Deluxe)" are one edition.
_GENERIC_ALBUM_WORDS = frozenset({"edition", "version", "the"})


# A named tuple, not a frozen dataclass: it is built for every new title, and a frozen
# dataclass costs several times more to construct.
class TitleParts(NamedTuple):
    core: str
    featured: tuple[str, ...]
    versions: frozenset[str]
    explicit: bool | None
    # The words of version decorations ("goldhouse remix", "spanish version"): two remixes of
    # one song share the "remix" tag but not this.
    detail: str
    # Numbers and roman numerals in the title ("Pt. II", "Symphony No. 5") that tell parts apart.
    numbers: frozenset[str]
    # A title in another script often carries its Latin name in brackets: "상남자 (Boy In Luv)",
    # "진격의 방탄 (Attack on Bangtan)". That name, or "" (always "" for Latin titles).
    alternate: str = ""
    # The core's words in sorted order: token_sort_ratio without sorting on every comparison.
    sorted_core: str = ""


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


# Kana voicing marks decompose like accents but change the syllable (か/が): they stay.
_KEEP_MARKS = frozenset("\u3099\u309a")


def fold(text: str) -> str:
    """Lower-case, strip diacritics, unify apostrophes and dashes."""
    if text.isascii():
        return text.replace("`", "'").lower()
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    text = "".join(ch for ch in text if ch in _KEEP_MARKS or not unicodedata.combining(ch))
    # Recompose Hangul syllables and voiced kana that NFKD split apart.
    text = unicodedata.normalize("NFC", text)
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
    if "&" in text:
        text = text.replace("&", " and ")
    if text.isascii():
        # The same as the regular expression below, several times faster on ASCII text: a
        # bytes table translates with one lookup per byte (str.translate goes through a dict),
        # and drops the apostrophes on the way.
        return " ".join(text.encode().translate(_ASCII_PUNCTUATION, b"'").decode().split())
    if "'" in text:
        text = text.replace("'", "")
    return _NON_WORD_RUN.sub(" ", text).strip()


# Every ASCII character that is not a letter, a digit or "_" (what \w keeps) becomes a space.
_ASCII_PUNCTUATION = bytes(
    c if chr(c).isalnum() or chr(c) == "_" or c >= 128 else ord(" ") for c in range(256)
)


def detokenise(text: str) -> str:
    """Undo tokenised punctuation ("Ca n't", "( Live )", "Here 's") found in some datasets."""
    if text.isascii():
        return _detokenise_ascii(text)
    return _TOKENISED_SPACES.sub("", text) if _TOKENISED_HINT.search(text) else text


def folded(text: str) -> str:
    """detokenise(fold(text)) in one call: every title, artist credit and album starts here."""
    if text.isascii():
        return _detokenise_ascii(text.replace("`", "'").lower())
    return detokenise(fold(text))


def _detokenise_ascii(text: str) -> str:
    if text.isprintable() and "  " not in text and " n't" not in text:
        # Every space stands alone between two other characters, so whether it goes depends
        # only on those two, and one replacement per punctuation mark does what the regular
        # expression does, several times faster (most tokenised titles take this path).
        for before, after in _TOKENISED_PAIRS:
            if before in text:
                text = text.replace(before, after)
        return text
    return _TOKENISED_SPACES.sub("", text) if _TOKENISED_HINT.search(text) else text


# _TOKENISED_SPACES for text whose only white space is single " ": a space goes before
# ")].,!?:;'" and after "([" (" n't" takes the regular expression: it needs a word boundary).
_TOKENISED_PAIRS = (*((f" {mark}", mark) for mark in ")].,!?:;'"), ("( ", "("), ("[ ", "["))


@functools.lru_cache(maxsize=200_000)
def title_parts(title: str) -> TitleParts:
    text = folded(title)
    featured: list[str] = []
    # Each pass below runs only when its trigger is in the text: most titles are plain, and
    # this function runs for every new catalog track.
    if "feat" in text or "ft" in text or "with" in text:
        matches = list(_FEAT.finditer(text))
        for match in matches:
            who = match.group("who") or match.group("who2") or ""
            featured.extend(split_artists(who))
        if featured:
            text = _cut(text, matches)  # _FEAT.sub(" ", text) without a second scan

    versions: set[str] = set()
    explicit: bool | None = None
    details: list[str] = []
    decorations: list[str] = []
    if "(" in text or "[" in text:
        brackets = list(_BRACKETED.finditer(text))
        decorations = [m.group(1) for m in brackets]
        if brackets:
            text = _cut(text, brackets)  # _BRACKETED.sub(" ", text)
    if " -" in text:
        dash = _DASH_SUFFIX.search(text)
        if dash and _describes_version(dash.group("suffix")):
            decorations.append(dash.group("suffix"))
            text = text[: dash.start()]
    alternate = ""
    for decoration in decorations:
        if not alternate and decoration.isascii() and not text.isascii():
            words = squash(decoration)
            if words and not _version_tags(decoration) and not _ALTERNATE_BLOCK.search(decoration):
                alternate = words
                continue
        if _EXPLICIT.search(decoration):
            explicit = True
            continue
        if _CLEAN.search(decoration):
            explicit = False
            continue
        tags = _version_tags(decoration)
        versions.update(tags)
        if tags or _VERSION_WORD.search(decoration):
            details.append(_YEAR.sub(" ", squash(decoration)))
    core = squash(text)
    # "We Dem Boyz Remix": a version word in the bare title counts too. Both sides are read the
    # same way, so a title that merely contains "live" ("Live Forever") cancels out. A squashed
    # core has no punctuation: its words alone say whether any pattern can match.
    core_words = core.split()
    if not _VERSION_HINTS.isdisjoint(core_words):
        versions.update(_version_tags(core))
    if not core:
        # A title that is all brackets ("(I Can't Get No) Satisfaction" edge cases): keep words.
        core = squash(_BRACKETED.sub(r" \1 ", folded(title)))
        core_words = core.split()
    detail = _SPACES.sub(" ", " ".join(details)).strip() if details else ""
    if not (versions - SAME_RECORDING_TAGS):
        detail = ""  # "Remastered 2011" or "Mono" say nothing about which recording it is
    numbers = frozenset(_NUMBERS.findall(core)) if _NUMBER_HINT.search(core) else _NO_NUMBERS
    return TitleParts(
        core,
        tuple(featured) if featured else (),
        frozenset(versions) if versions else _NO_VERSIONS,
        explicit,
        detail,
        numbers,
        alternate,
        " ".join(sorted(core_words)) if len(core_words) > 1 else core,
    )


def _cut(text: str, matches: list[re.Match[str]]) -> str:
    """What pattern.sub(" ", text) gives, from the matches a finditer of it already found."""
    pieces = []
    at = 0
    for match in matches:
        pieces.append(text[at : match.start()])
        at = match.end()
    pieces.append(text[at:])
    return " ".join(pieces)


_NO_NUMBERS: frozenset[str] = frozenset()
_NO_VERSIONS: frozenset[str] = frozenset()
_NUMBER_HINT = re.compile(r"\d|\b(pt|part|no|vol) ")


@functools.lru_cache(maxsize=200_000)
def split_artists(credit: str) -> tuple[str, ...]:
    text = folded(credit)
    if not _SEPARATOR_HINT.search(text):
        name = squash(text)  # one name: most credits
        return ((name[4:] if name.startswith("the ") else name),) if name else ()
    names = (squash(name) for name in _ARTIST_SPLIT.split(text))
    return tuple(name[4:] if name.startswith("the ") else name for name in names if name)


@functools.lru_cache(maxsize=100_000)
def album_parts(album: str) -> tuple[str, bool | None, frozenset[str]]:
    """album_core and album_words at once: the text is folded and read one time."""
    text = folded(album)
    explicit: bool | None = None
    if "(" in text or "[" in text:
        if _EXPLICIT.search(text):
            explicit = True
        elif _ALBUM_CLEAN_TAG.search(text):
            explicit = False
        text = _ALBUM_EDITION_TAG.sub(" ", text)
    elif _EXPLICIT.search(text):
        explicit = True
    words = squash(text)
    split = words.split()
    if _ALBUM_NOISE_WORDS.isdisjoint(split) and not _FOUR_DIGITS.search(words):
        core = words  # no edition words: nothing to take out
    else:
        core = " ".join(_ALBUM_NOISE.sub(" ", words).split())
    return core, explicit, frozenset(split) - _GENERIC_ALBUM_WORDS


def album_core(album: str) -> tuple[str, bool | None]:
    """An album name without edition noise, and what it says about explicit/clean."""
    core, explicit, _ = album_parts(album)
    return core, explicit


def album_words(album: str) -> frozenset[str]:
    """An album name's words with the edition kept ("deluxe", "2 0", "party", "video").

    album_core drops edition words so that a track on the deluxe edition still counts as on
    the album; this keeps them, so that between two editions holding the same recording the
    one the source names can be preferred. Only the explicit/clean tag is dropped.
    """
    return album_parts(album)[2]


def _describes_version(suffix: str) -> bool:
    return bool(_version_tags(suffix)) or bool(_VERSION_WORD.search(suffix))


# Words without which no version pattern can match: most titles have none, and one set test is
# far cheaper than running every pattern over them.
_VERSION_HINTS = frozenset(
    [
        "live",
        "concert",
        "unplugged",
        "remix",
        "remixed",
        "rmx",
        "mix",
        "rework",
        "bootleg",
        "instrumental",
        "karaoke",
        "famous",
        "originally",
        "acoustic",
        "stripped",
        "cover",
        "tribute",
        "style",
        "radio",
        "single",
        "edit",
        "demo",
        "cappella",
        "acappella",
        "extended",
        "club",
        "continuous",
        "dub",
        "sped",
        "speed",
        "nightcore",
        "8d",
        "slowed",
        "reverb",
        "chopped",
        "pop",
        "piano",
        "ver",
        "orchestral",
        "symphonic",
        "recorded",
        "rerecorded",
        "version",
        "remaster",
        "remastered",
        "remastering",
        "japanese",
        "korean",
        "english",
        "chinese",
        "spanish",
        "mandarin",
        "thai",
    ]
)
_PUNCTUATION_TO_SPACE = str.maketrans({c: " " for c in "()[]{}-.,;:!?/+&\"'"})
# The same for ASCII text as bytes. bytes.split() does not split at \x1c-\x1f as str.split()
# does, so those become spaces too: the words come out the same.
_PUNCTUATION_TO_SPACE_BYTES = bytes(
    ord(" ") if chr(c) in "()[]{}-.,;:!?/+&\"'" or 0x1C <= c <= 0x1F else c for c in range(256)
)
_VERSION_HINT_BYTES: frozenset[bytes] = frozenset(hint.encode() for hint in _VERSION_HINTS)


def _version_tags(text: str) -> set[str]:
    if text.isascii():
        # The same words as below, through a bytes table (several times faster).
        found: frozenset[str] | frozenset[bytes] = _VERSION_HINT_BYTES.intersection(
            text.encode().translate(_PUNCTUATION_TO_SPACE_BYTES).split()
        )
    else:
        found = _VERSION_HINTS.intersection(text.translate(_PUNCTUATION_TO_SPACE).split())
    if not found:
        return set()
    # What one pass of the alternation of every pattern would find (leftmost match first, the
    # earlier tag when two start at one place, matches never overlapping), but running only
    # the patterns that the text's words can start: several times faster.
    hints: tuple[str | bytes, ...] = tuple(found)
    if len(hints) == 1:
        candidates: Sequence[int] = _TAG_INDEXES_BY_HINT[hints[0]]
    else:
        candidates = sorted({index for hint in hints for index in _TAG_INDEXES_BY_HINT[hint]})
    tags: set[str] = set()
    position = 0
    while True:
        best: re.Match[str] | None = None
        best_index = -1
        for index in candidates:
            match = _VERSION_REGEXES[index].search(text, position)
            if match is not None and (best is None or match.start() < best.start()):
                best, best_index = match, index
        if best is None:
            return tags
        tags.add(_VERSION_TAGS[best_index])
        position = best.end() if best.end() > best.start() else best.start() + 1


_VERSION_REGEXES = tuple(VERSION_PATTERNS.values())
# Which patterns each hint word can start (a pattern needs one of its own words whole).
_TAG_INDEXES_BY_HINT: dict[str | bytes, tuple[int, ...]] = {
    hint: tuple(
        index
        for index, pattern in enumerate(_VERSION_REGEXES)
        if hint in re.sub(r"[^a-z0-9]+", " ", pattern.pattern.replace("\\b", " ")).split()
        or (hint == "version" and _VERSION_TAGS[index] == "re-recorded")
        or (hint in ("remix", "remixed") and _VERSION_TAGS[index] == "remix")
        or (
            hint in ("remaster", "remastered", "remastering") and _VERSION_TAGS[index] == "remaster"
        )
        or (hint in ("cappella", "acappella") and _VERSION_TAGS[index] == "a cappella")
        or (hint in ("recorded", "rerecorded") and _VERSION_TAGS[index] == "re-recorded")
    )
    for hint in _VERSION_HINTS
}
# The same, looked up by the bytes of the hint (ASCII text is read as bytes).
_TAG_INDEXES_BY_HINT.update({hint.encode(): _TAG_INDEXES_BY_HINT[hint] for hint in _VERSION_HINTS})
