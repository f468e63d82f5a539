"""The deterministic catalog generator: real chart songs and albums, plus everything around them.

``CatalogGenerator(tracks=N, seed=S).records()`` yields exactly N tracks (and their artists,
albums, categories, curated playlists and podcasts) as plain records, in an order the store can
insert directly. The same (N, seed) always yields the same records; a larger N adds releases
without changing which songs come first, because releases are taken in order of real chart
success, not of the seed.

Releases come from interleaved streams, each with a share of the track budget:

- listings: the real Amazon listings of the iTunes-Amazon pairs (detokenised), and the tracks
  of the real Spotify and YouTube Music fixtures. Always first, always complete.
- singles: Hot 100 and classic-rock songs that no chart album holds, most successful first,
  each with its explicit and clean twins.
- albums: Billboard 200 albums with track lists (their hits plus made-up album tracks), clean
  twins of explicit albums, deluxe editions with bonus tracks, remastered editions.
- versions: remix EPs, radio edits, acoustic singles, karaoke and cover singles of the hits.
- collections: greatest-hits and live albums of artists with several hits, and various-artists
  compilations ("Now That's What I Call Music!") that reuse the hits' recordings.
- synthetic: made-up artists and albums that fill large catalogs, a quarter of whose titles are
  real chart titles (so the same title by many artists is common, as on a real service).

How ISRCs behave (see sandbox/README.md): one ISRC per recording. A recording reused on a
compilation, a deluxe edition or a clean album keeps its ISRC; explicit and clean twins are
different recordings; a remaster gets a new ISRC seven times in ten; live, remix, acoustic,
radio-edit, karaoke and cover versions always get new ones.
"""

from __future__ import annotations

import heapq
import random
import re
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sandbox.catalog import names as namepools
from sandbox.catalog import sources, text
from sandbox.catalog.credits import Credit, CreditSplitter, join_names, known_solo_names
from sandbox.catalog.ids import AsinAllocator, IsrcAllocator, image_url, stable_hash
from sandbox.catalog.records import (
    REFERENCE_TIME,
    AlbumRecord,
    ArtistRecord,
    CategoryRecord,
    PlaylistRecord,
    PodcastEpisodeRecord,
    PodcastShowRecord,
    Record,
    TrackRecord,
)

MIN_TRACKS = 10_000
# Curated playlists draw from this many of the most popular tracks of their category.
CURATED_POOL = 400
MAX_TRACKS = 1_000_000

GENRES: tuple[tuple[str, str], ...] = (
    ("pop", "Pop"),
    ("rock", "Rock"),
    ("hip-hop", "Rap & Hip-Hop"),
    ("rnb", "R&B"),
    ("country", "Country"),
    ("dance-electronic", "Dance & Electronic"),
    ("alternative", "Alternative Rock"),
    ("latin", "Latin Music"),
    ("soul-oldies", "Soul & Oldies"),
    ("christian", "Christian & Gospel"),
    ("soundtracks", "Soundtracks"),
    ("jazz", "Jazz"),
    ("holiday", "Holiday"),
)
MOODS: tuple[tuple[str, str], ...] = (
    ("chill", "Chill"),
    ("party", "Party"),
    ("workout", "Workout"),
    ("focus", "Focus"),
    ("feel-good", "Feel Good"),
    ("romance", "Romance"),
    ("sad-songs", "Sad Songs"),
    ("throwback", "Throwback"),
)
CATEGORY_IDS: dict[str, int] = {
    slug: index + 1 for index, (slug, _title) in enumerate(GENRES + MOODS)
}

# Shares of the track budget once the real listings are in.
_SHARES = {
    "singles": 0.30,
    "albums": 0.35,
    "versions": 0.12,
    "collections": 0.05,
    "synthetic": 0.18,
}
_ERA_GENRES: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = (
    (1970, (("soul-oldies", 0.45), ("pop", 0.35), ("rock", 0.15), ("country", 0.05))),
    (
        1980,
        (("rock", 0.35), ("pop", 0.25), ("soul-oldies", 0.2), ("country", 0.1), ("rnb", 0.1)),
    ),
    (
        1990,
        (
            ("pop", 0.35),
            ("rock", 0.3),
            ("rnb", 0.15),
            ("country", 0.1),
            ("dance-electronic", 0.05),
            ("alternative", 0.05),
        ),
    ),
    (
        2000,
        (
            ("pop", 0.2),
            ("rnb", 0.2),
            ("hip-hop", 0.2),
            ("alternative", 0.15),
            ("country", 0.15),
            ("rock", 0.05),
            ("dance-electronic", 0.05),
        ),
    ),
    (
        2010,
        (
            ("hip-hop", 0.28),
            ("pop", 0.25),
            ("country", 0.17),
            ("rnb", 0.12),
            ("alternative", 0.08),
            ("rock", 0.05),
            ("dance-electronic", 0.05),
        ),
    ),
    (
        9999,
        (
            ("hip-hop", 0.3),
            ("pop", 0.25),
            ("country", 0.2),
            ("dance-electronic", 0.1),
            ("rnb", 0.08),
            ("latin", 0.04),
            ("alternative", 0.03),
        ),
    ),
)
_AMAZON_GENRES = (
    ("Rap", "hip-hop"),
    ("Dance", "dance-electronic"),
    ("Electronica", "dance-electronic"),
    ("Alternative", "alternative"),
    ("Latin", "latin"),
    ("Country", "country"),
    ("R&B", "rnb"),
    ("Soundtrack", "soundtracks"),
    ("Holiday", "holiday"),
    ("Christian", "christian"),
    ("Gospel", "christian"),
    ("Rock", "rock"),
    ("Pop", "pop"),
)
_VARIOUS = "Various Artists"
_DELUXE_FORMS = ("(Deluxe Edition)", "(Deluxe)", "(Deluxe Version)", "(Expanded Edition)")
_REMASTER_ALBUM_FORMS = ("(Remastered)", "({year} Remaster)", "(Remastered Edition)")
_HITS_TITLES = (
    "Greatest Hits",
    "The Very Best of {artist}",
    "The Essential {artist}",
    "Gold",
    "Number Ones",
    "Icon",
    "20th Century Masters - The Millennium Collection: The Best of {artist}",
    "Playlist: The Very Best of {artist}",
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
    )
}
_COPYRIGHT_PREFIX = re.compile(r"^\s*(?:\(\s*[CP]\s*\)\s*)?(?:\d{4}\s*)?")


@dataclass(slots=True)
class _Recording:
    id: int
    isrc: str
    synthetic: bool


@dataclass(slots=True)
class _TrackDraft:
    title: str
    artist_text: str
    artist_names: tuple[str, ...]
    duration: int
    recording: _Recording
    explicit: bool
    version: str
    popularity: int
    release_date: date | None
    work: str
    disc: int = 1


@dataclass(slots=True)
class _AlbumDraft:
    title: str
    artist_text: str
    artist_names: tuple[str, ...]
    release_date: date | None
    label: str
    explicit: bool
    version: str
    popularity: int
    genre: str
    tracks: list[_TrackDraft] = field(default_factory=list)


@dataclass(slots=True)
class _Work:
    """A song by a credit, with the choices that every release of it shares."""

    key: str
    title: str
    credit: Credit
    credit_text: str
    title_base: str
    artist_text: str
    year: int
    release_date: date
    popularity: int
    duration: int
    explicit: bool
    genre: str


@dataclass(slots=True)
class CatalogSummary:
    """What the people and sample builders need to know about a generated catalog."""

    track_count: int = 0
    album_count: int = 0
    artist_count: int = 0
    # (popularity, track id, release year) of original recordings of hits, for playlists.
    hits: list[tuple[int, int, int]] = field(default_factory=list)
    album_ids: list[tuple[int, int]] = field(default_factory=list)
    # The most popular (popularity, track id) of each category, a min-heap of CURATED_POOL.
    category_tracks: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


def _parse_amazon_date(text_value: str) -> date | None:
    match = re.match(r"(\w+) (\d+) , (\d{4})", text_value.strip())
    if not match or match.group(1) not in _MONTHS:
        return None
    return date(int(match.group(3)), _MONTHS[match.group(1)], int(match.group(2)))


def _parse_seconds(text_value: str) -> int | None:
    minutes, _, seconds = text_value.strip().partition(":")
    if minutes.isdigit() and seconds.isdigit():
        return int(minutes) * 60 + int(seconds)
    return None


def _era_duration(year: int, rng: random.Random) -> int:
    if year < 1965:
        mean, spread = 150, 25
    elif year < 1975:
        mean, spread = 200, 45
    elif year < 1990:
        mean, spread = 240, 40
    elif year < 2010:
        mean, spread = 235, 35
    else:
        mean, spread = 205, 35
    return max(90, min(600, int(rng.gauss(mean, spread))))


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random() * sum(weight for _, weight in options)
    for value, weight in options:
        roll -= weight
        if roll <= 0:
            return value
    return options[-1][0]


class CatalogGenerator:
    """Yields a whole catalog as records; see the module docstring for what is in it."""

    def __init__(self, tracks: int, seed: int = 0, include_pairs: bool = True) -> None:
        if not MIN_TRACKS <= tracks <= MAX_TRACKS:
            raise ValueError(f"tracks must be between {MIN_TRACKS} and {MAX_TRACKS}")
        self.size = tracks
        self.seed = seed
        # Without them, the iTunes-Amazon listings can come only from sandbox_load_catalog.
        self.include_pairs = include_pairs
        self.summary = CatalogSummary()
        self._asins = AsinAllocator(seed)
        real_isrcs = frozenset(t.isrc for t in sources.spotify_fixture() if t.isrc)
        self._isrcs = IsrcAllocator(seed, reserved=real_isrcs)
        songs = sources.chart_songs()
        albums = sources.chart_albums()
        rock = sources.classic_rock_songs()
        known = known_solo_names(
            [s.credit for s in songs] + [a.credit for a in albums] + [r.artist for r in rock]
        )
        self._splitter = CreditSplitter(known)
        self._names = namepools.NameMaker([s.title for s in songs], sorted(known))
        self._recordings: dict[str, _Recording] = {}
        self._works: dict[str, _Work] = {}
        self._artist_ids: dict[str, int] = {}
        self._artist_genres: dict[str, str] = {}
        self._next_ids = {"artist": 0, "album": 0, "track": 0}
        self._emitted_tracks = 0
        # Feeds for the version and collection streams, filled as hits are emitted.
        self._version_queue: deque[_Work] = deque()
        self._artist_hits: dict[str, list[_Work]] = defaultdict(list)
        self._collection_queue: deque[tuple[str, str]] = deque()
        self._recent_hits: list[_Work] = []
        self._compilation_number = 0
        self._seen_hit_keys: set[str] = set()
        self._songs_by_year: dict[int, list[tuple[float, str, str, date, int, str]]] = defaultdict(
            list
        )

    # ----- identities -----------------------------------------------------------------

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(stable_hash(":".join(str(p) for p in (self.seed, *parts))))

    def _recording(self, key: str, registrant: str, year: int, real_isrc: str = "") -> _Recording:
        found = self._recordings.get(key)
        if found is None:
            if real_isrc:
                found = _Recording(len(self._recordings) + 1, real_isrc, synthetic=False)
            else:
                isrc = self._isrcs.allocate(registrant, year)
                found = _Recording(len(self._recordings) + 1, isrc, synthetic=True)
            self._recordings[key] = found
        return found

    def _genre_for_artist(self, name: str, year: int, hint: str = "") -> str:
        genre = self._artist_genres.get(name)
        if genre is not None:
            return genre
        if hint:
            genre = hint
        elif name == _VARIOUS:
            genre = "soundtracks"
        elif "Orchestra" in name or "Quartet" in name:
            genre = "jazz"
        else:
            rng = random.Random(stable_hash(f"genre:{self.seed}:{name}"))
            table = next(options for limit, options in _ERA_GENRES if year < limit)
            genre = _weighted(rng, table)
        self._artist_genres[name] = genre
        return genre

    def _work(
        self,
        title: str,
        credit_text: str,
        year: int,
        release_date: date,
        popularity: int,
        genre_hint: str = "",
    ) -> _Work:
        key = f"{credit_text}\x1f{title}"
        found = self._works.get(key)
        if found is not None:
            return found
        rng = self._rng("work", key)
        credit = self._splitter.split(credit_text)
        main = credit.main or (credit_text,)
        genre = self._genre_for_artist(main[0], year, genre_hint)
        if credit.featured and year >= 1995 and genre in ("pop", "rnb") and rng.random() < 0.5:
            genre = "hip-hop"
        # Parental-advisory versions are a 1990s-onward thing, and mostly hip-hop.
        if year >= 1992:
            explicit_chance = 0.45 if genre == "hip-hop" else 0.1
        elif year >= 1988:
            explicit_chance = 0.02
        else:
            explicit_chance = 0.0
        if credit.featured and rng.random() < 0.45:
            title_base = text.with_featured(title, credit.featured, rng)
            artist_text = join_names(main)
        else:
            title_base, artist_text = title, credit_text
        found = _Work(
            key=key,
            title=title,
            credit=credit,
            credit_text=credit_text,
            title_base=title_base,
            artist_text=artist_text,
            year=year,
            release_date=release_date,
            popularity=popularity,
            duration=_era_duration(year, rng),
            explicit=rng.random() < explicit_chance,
            genre=genre,
        )
        self._works[key] = found
        return found

    def _registrant(self, work: _Work) -> str:
        return work.credit.main[0] if work.credit.main else work.credit_text

    def _original(self, work: _Work, popularity: int | None = None) -> _TrackDraft:
        """The main recording of a work: explicit if the work is."""
        recording = self._recording(f"{work.key}|o", self._registrant(work), work.year)
        return _TrackDraft(
            title=text.explicit(work.title_base) if work.explicit else work.title_base,
            artist_text=work.artist_text,
            artist_names=work.credit.artists or (work.credit_text,),
            duration=work.duration,
            recording=recording,
            explicit=work.explicit,
            version="explicit" if work.explicit else "",
            popularity=work.popularity if popularity is None else popularity,
            release_date=work.release_date,
            work=work.key,
        )

    def _clean_twin(self, work: _Work, rng: random.Random) -> _TrackDraft:
        recording = self._recording(f"{work.key}|c", self._registrant(work), work.year)
        title = text.clean(work.title_base) if rng.random() < 0.75 else work.title_base
        return _TrackDraft(
            title=title,
            artist_text=work.artist_text,
            artist_names=work.credit.artists or (work.credit_text,),
            duration=max(60, work.duration + rng.randint(-2, 1)),
            recording=recording,
            explicit=False,
            version="clean",
            popularity=max(0, work.popularity - rng.randint(8, 25)),
            release_date=work.release_date,
            work=work.key,
        )

    def _variant(
        self,
        work: _Work,
        rng: random.Random,
        *,
        kind: str,
        title: str,
        duration: int,
        popularity: int,
        year: int,
        release_date: date | None,
        recording_key: str | None = None,
        artist_text: str | None = None,
        artist_names: tuple[str, ...] | None = None,
    ) -> _TrackDraft:
        names = artist_names or work.credit.artists or (work.credit_text,)
        registrant = names[0]
        recording = self._recording(recording_key or f"{work.key}|{kind}:{title}", registrant, year)
        return _TrackDraft(
            title=title,
            artist_text=artist_text or work.artist_text,
            artist_names=names,
            duration=max(60, duration),
            recording=recording,
            explicit=False,
            version=kind,
            popularity=max(0, popularity),
            release_date=release_date,
            work=work.key,
        )

    def _remaster(self, work: _Work, rng: random.Random, year: int) -> _TrackDraft:
        # Labels often re-register remasters; sometimes they keep the original ISRC.
        same_isrc = random.Random(stable_hash(f"remaster:{self.seed}:{work.key}")).random() < 0.3
        key = f"{work.key}|o" if same_isrc else f"{work.key}|r"
        return self._variant(
            work,
            rng,
            kind="remastered",
            title=text.remastered(work.title_base, year, rng),
            duration=work.duration + rng.randint(-1, 1),
            popularity=int(work.popularity * rng.uniform(0.4, 0.8)),
            year=work.year if same_isrc else year,
            release_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            recording_key=key,
        )

    def _note_hit(self, work: _Work) -> None:
        if work.key in self._seen_hit_keys:
            return
        self._seen_hit_keys.add(work.key)
        self._version_queue.append(work)
        main = work.credit.main[0] if work.credit.main else work.credit_text
        hits = self._artist_hits[main]
        hits.append(work)
        if len(hits) in (5, 12):
            self._collection_queue.append(("hits", main))
        if len(hits) == 4:
            self._collection_queue.append(("live", main))
        self._recent_hits.append(work)
        if len(self._recent_hits) == 30:
            self._collection_queue.append(("various", ""))

    # ----- plans from the real data ----------------------------------------------------

    def _song_priority(self) -> list[tuple[float, str, str, date, int, str]]:
        """All chart and classic-rock songs, most successful first, with their popularity."""
        songs = sources.chart_songs()
        scores = sorted(
            ((s.weeks * (101 - s.peak), s) for s in songs), key=lambda p: (p[0], p[1].title)
        )
        rank = {id(s): i / max(1, len(scores) - 1) for i, (_, s) in enumerate(scores)}
        plan: list[tuple[float, str, str, date, int, str]] = []
        seen: set[tuple[str, str]] = set()
        for score, song in scores:
            popularity = int(30 + 70 * rank[id(song)] ** 2)
            plan.append((score, song.title, song.credit, song.first_chart, popularity, ""))
            seen.add((song.title.casefold(), song.credit.casefold()))
        for rock in sources.classic_rock_songs():
            if (rock.title.casefold(), rock.artist.casefold()) in seen:
                continue
            seen.add((rock.title.casefold(), rock.artist.casefold()))
            year = rock.year or 1975
            day = date(year, 1, 1) + timedelta(days=stable_hash(rock.title) % 330)
            popularity = min(80, 25 + rock.play_count // 3)
            plan.append((rock.play_count * 8.0, rock.title, rock.artist, day, popularity, "rock"))
        plan.sort(key=lambda p: (-p[0], p[1], p[2]))
        return plan

    def _album_plan(
        self, songs: list[tuple[float, str, str, date, int, str]]
    ) -> tuple[list[tuple[sources.ChartAlbum, list[int]]], set[int]]:
        """Chart albums by success, each with the indexes of the songs it holds."""
        albums = sorted(
            sources.chart_albums(), key=lambda a: (-a.weeks * (201 - a.peak), a.title, a.credit)
        )
        by_artist: dict[str, list[int]] = defaultdict(list)
        for index, album in enumerate(albums):
            main = self._splitter.split(album.credit).main
            by_artist[(main or (album.credit,))[0]].append(index)
        holdings: dict[int, list[int]] = defaultdict(list)
        placed: set[int] = set()
        for song_index, (_, _title, credit, first, _pop, _hint) in enumerate(songs):
            main = self._splitter.split(credit).main
            candidates = by_artist.get((main or (credit,))[0], [])
            best: tuple[int, int] | None = None
            for album_index in candidates:
                gap = (first - albums[album_index].first_chart).days
                if -365 <= gap <= 240 and len(holdings[album_index]) < 5:
                    distance = abs(gap + 60)
                    if best is None or distance < best[0]:
                        best = (distance, album_index)
            if best is not None:
                holdings[best[1]].append(song_index)
                placed.add(song_index)
        return [(album, holdings.get(i, [])) for i, album in enumerate(albums)], placed

    # ----- streams ----------------------------------------------------------------------

    def _listing_units(self) -> Iterator[list[_AlbumDraft]]:
        groups: dict[tuple[str, str], list[sources.AmazonListing]] = defaultdict(list)
        for listing in sources.amazon_listings() if self.include_pairs else ():
            groups[(listing.album, listing.artist)].append(listing)
        for (album_title, artist), listings in groups.items():
            rng = self._rng("listing", album_title, artist)
            artist_name = text.detokenise(artist)
            released = _parse_amazon_date(listings[0].released) or date(2015, 1, 1)
            hint = next((slug for word, slug in _AMAZON_GENRES if word in listings[0].genre), "pop")
            genre = self._genre_for_artist(artist_name, released.year, hint)
            label = _COPYRIGHT_PREFIX.sub("", text.detokenise(listings[0].copyright)) or "Unknown"
            album = _AlbumDraft(
                title=text.detokenise(album_title),
                artist_text=artist_name,
                artist_names=(artist_name,),
                release_date=released,
                label=label[:300],
                explicit=any("Explicit" in x.title for x in listings),
                version="",
                popularity=rng.randint(30, 70),
                genre=genre,
            )
            for listing in listings:
                title = text.detokenise(listing.title)
                work = self._work(title, artist_name, released.year, released, album.popularity)
                year = (_parse_amazon_date(listing.released) or released).year
                album.tracks.append(
                    _TrackDraft(
                        title=title,
                        artist_text=artist_name,
                        artist_names=(artist_name,),
                        duration=_parse_seconds(listing.time) or work.duration,
                        recording=self._recording(f"listing|{title}|{album_title}", artist, year),
                        explicit="[Explicit]" in title,
                        version="explicit" if "[Explicit]" in title else "",
                        popularity=max(0, album.popularity + rng.randint(-15, 10)),
                        release_date=released,
                        work=work.key,
                    )
                )
            yield [album]
        fixtures = sources.spotify_fixture() + sources.ytmusic_fixture()
        fixture_groups: dict[tuple[str, str], list[sources.FixtureTrack]] = defaultdict(list)
        for fixture in fixtures:
            group = fixture.album or fixture.title
            fixture_groups[(group, fixture.album_artists)].append(fixture)
        for (album_title, album_artists), tracks in fixture_groups.items():
            rng = self._rng("fixture", album_title, album_artists)
            released = (
                date.fromisoformat(tracks[0].release_date)
                if len(tracks[0].release_date) == 10
                else date(rng.randint(1965, 2024), rng.randint(1, 12), rng.randint(1, 28))
            )
            album_names = tuple(n.strip() for n in album_artists.split(",") if n.strip())
            album = _AlbumDraft(
                title=album_title,
                artist_text=album_artists,
                artist_names=album_names or (album_artists,),
                release_date=released,
                label=rng.choice(namepools.LABELS),
                explicit=any(t.explicit for t in tracks),
                version="",
                popularity=rng.randint(35, 75),
                genre=self._genre_for_artist(album_names[0] if album_names else "", released.year),
            )
            seen_titles: set[str] = set()
            for fixture in sorted(tracks, key=lambda t: t.track_number):
                if fixture.title in seen_titles:
                    continue
                seen_titles.add(fixture.title)
                title = text.explicit(fixture.title) if fixture.explicit else fixture.title
                artist_names = tuple(n.strip() for n in fixture.artists.split(",") if n.strip())
                work = self._work(
                    fixture.title, fixture.artists, released.year, released, album.popularity
                )
                album.tracks.append(
                    _TrackDraft(
                        title=title,
                        artist_text=fixture.artists,
                        artist_names=artist_names or (fixture.artists,),
                        duration=(fixture.duration_ms or work.duration * 1000) // 1000,
                        recording=self._recording(
                            f"fixture|{fixture.service_id}",
                            fixture.artists,
                            released.year,
                            real_isrc=fixture.isrc,
                        ),
                        explicit=fixture.explicit,
                        version="explicit" if fixture.explicit else "",
                        popularity=max(0, album.popularity + rng.randint(-10, 10)),
                        release_date=released,
                        work=work.key,
                    )
                )
            yield [album]

    def _single_units(
        self, songs: list[tuple[float, str, str, date, int, str]], placed: set[int]
    ) -> Iterator[list[_AlbumDraft]]:
        for index, (_, title, credit, first, popularity, hint) in enumerate(songs):
            if index in placed:
                continue
            rng = self._rng("single", credit, title)
            released = first - timedelta(days=rng.randint(7, 60))
            work = self._work(title, credit, released.year, released, popularity, hint)
            self._note_hit(work)
            yield self._single_releases(work, rng)

    def _single_releases(self, work: _Work, rng: random.Random) -> list[_AlbumDraft]:
        main_names = work.credit.main or (work.credit_text,)
        label = namepools.LABELS[stable_hash(main_names[0]) % len(namepools.LABELS)]
        original = self._original(work)
        suffix = " - Single" if rng.random() < 0.15 else ""
        single = _AlbumDraft(
            title=original.title + suffix,
            artist_text=work.artist_text,
            artist_names=main_names,
            release_date=work.release_date,
            label=label,
            explicit=work.explicit,
            version="single",
            popularity=work.popularity,
            genre=work.genre,
            tracks=[original],
        )
        if rng.random() < 0.12:
            single.tracks.append(
                self._variant(
                    work,
                    rng,
                    kind="instrumental",
                    title=text.instrumental(work.title_base),
                    duration=work.duration + rng.randint(-5, 5),
                    popularity=work.popularity // 4,
                    year=work.year,
                    release_date=work.release_date,
                )
            )
        releases = [single]
        if work.explicit and rng.random() < 0.85:
            twin = self._clean_twin(work, rng)
            releases.append(
                _AlbumDraft(
                    title=twin.title + suffix,
                    artist_text=single.artist_text,
                    artist_names=main_names,
                    release_date=work.release_date,
                    label=label,
                    explicit=False,
                    version="clean",
                    popularity=twin.popularity,
                    genre=work.genre,
                    tracks=[twin],
                )
            )
        return releases

    def _filler_title(
        self, rng: random.Random, songs: list[tuple[float, str, str, date, int, str]]
    ) -> str:
        # A quarter of made-up tracks borrow a real chart title: same title, other artist.
        if rng.random() < 0.25:
            return songs[rng.randrange(len(songs))][1]
        return self._names.song_title(rng)

    def _album_units(
        self,
        plan: list[tuple[sources.ChartAlbum, list[int]]],
        songs: list[tuple[float, str, str, date, int, str]],
    ) -> Iterator[list[_AlbumDraft]]:
        for rank, (chart_album, held) in enumerate(plan):
            rng = self._rng("album", chart_album.credit, chart_album.title)
            popularity = max(5, int(85 - 60 * rank / max(1, len(plan))) + rng.randint(-8, 8))
            released = chart_album.first_chart - timedelta(days=rng.randint(0, 14))
            if chart_album.credit in (_VARIOUS, "Soundtrack") or chart_album.credit.startswith(
                "Original"
            ):
                unit = self._various_album(chart_album, rng, released, popularity, songs)
                if unit:
                    yield unit
                continue
            yield self._artist_album(chart_album, held, rng, released, popularity, songs)

    def _various_album(
        self,
        chart_album: sources.ChartAlbum,
        rng: random.Random,
        released: date,
        popularity: int,
        songs: list[tuple[float, str, str, date, int, str]],
    ) -> list[_AlbumDraft]:
        # Soundtracks and compilations of the year: real hits of the time, same recordings.
        year = released.year
        if not self._songs_by_year:
            for song in songs[:6000]:
                if not song[5]:
                    self._songs_by_year[song[3].year].append(song)
        pool = [s for y in (year - 1, year, year + 1) for s in self._songs_by_year.get(y, [])]
        if not pool:
            return []
        picks = rng.sample(pool, min(len(pool), rng.randint(10, 18)))
        album = _AlbumDraft(
            title=chart_album.title,
            artist_text=_VARIOUS,
            artist_names=(_VARIOUS,),
            release_date=released,
            label=rng.choice(namepools.LABELS),
            explicit=False,
            version="compilation",
            popularity=popularity,
            genre="soundtracks" if chart_album.credit == "Soundtrack" else "pop",
        )
        for _, title, credit, first, song_pop, hint in picks:
            work = self._work(title, credit, first.year, first, song_pop, hint)
            album.tracks.append(self._original(work, popularity=song_pop // 2))
            album.explicit = album.explicit or work.explicit
        return [album]

    def _artist_album(
        self,
        chart_album: sources.ChartAlbum,
        held: list[int],
        rng: random.Random,
        released: date,
        popularity: int,
        songs: list[tuple[float, str, str, date, int, str]],
    ) -> list[_AlbumDraft]:
        credit = self._splitter.split(chart_album.credit)
        main_names = credit.main or (chart_album.credit,)
        year = released.year
        genre = self._genre_for_artist(main_names[0], year)
        label = namepools.LABELS[stable_hash(main_names[0]) % len(namepools.LABELS)]
        hits: list[_Work] = []
        for song_index in held:
            _, title, song_credit, first, song_pop, hint = songs[song_index]
            hit = self._work(title, song_credit, first.year, first, song_pop, hint)
            hits.append(hit)
            self._note_hit(hit)
        count = max(len(hits) + 2, rng.randint(9, 15))
        explicit_album = any(h.explicit for h in hits) or (
            year >= 1992 and genre == "hip-hop" and rng.random() < 0.6
        )
        slots: list[_Work] = []
        used = {h.key for h in hits}
        for number in range(count - len(hits)):
            filler_title = self._filler_title(rng, songs)
            filler = self._work(
                filler_title,
                chart_album.credit,
                year,
                released,
                max(1, popularity // 2 - rng.randint(0, 20)),
            )
            if filler.key in used:
                filler = self._work(
                    f"{filler_title} (Interlude {number + 1})",
                    chart_album.credit,
                    year,
                    released,
                    max(1, popularity // 3),
                )
            if explicit_album and not filler.explicit and rng.random() < 0.5:
                filler.explicit = True
            used.add(filler.key)
            slots.append(filler)
        hit_keys = {h.key for h in hits}
        for hit in hits:
            slots.insert(rng.randint(0, len(slots)), hit)
        title = chart_album.title
        album = _AlbumDraft(
            title=text.explicit(title) if explicit_album and rng.random() < 0.8 else title,
            artist_text=chart_album.credit,
            artist_names=main_names,
            release_date=released,
            label=label,
            explicit=explicit_album,
            version="explicit" if explicit_album else "",
            popularity=popularity,
            genre=genre,
        )
        for work in slots:
            track_pop = (
                work.popularity
                if work.key in hit_keys
                else max(0, popularity // 2 + rng.randint(-15, 5))
            )
            album.tracks.append(self._original(work, popularity=track_pop))
        releases = [album]
        if explicit_album and rng.random() < 0.75:
            clean_album = _AlbumDraft(
                title=text.clean(title),
                artist_text=album.artist_text,
                artist_names=main_names,
                release_date=released,
                label=label,
                explicit=False,
                version="clean",
                popularity=max(0, popularity - 15),
                genre=genre,
            )
            for work, track in zip(slots, album.tracks, strict=True):
                clean_album.tracks.append(
                    self._clean_twin(work, rng) if work.explicit else self._copy(track, -10)
                )
            releases.append(clean_album)
        deluxe_chance = 0.35 if year >= 2000 else 0.15
        if popularity > 40 and rng.random() < deluxe_chance:
            deluxe = _AlbumDraft(
                title=f"{title} {rng.choice(_DELUXE_FORMS)}"
                + (" [Explicit]" if explicit_album else ""),
                artist_text=album.artist_text,
                artist_names=main_names,
                release_date=released + timedelta(days=rng.choice((0, 0, 180, 365))),
                label=label,
                explicit=explicit_album,
                version="deluxe",
                popularity=max(0, popularity - 5),
                genre=genre,
                tracks=[self._copy(t, -3) for t in album.tracks],
            )
            for number in range(rng.randint(2, 6)):
                bonus_title = self._names.song_title(rng)
                bonus = self._work(
                    bonus_title, chart_album.credit, year, released, max(1, popularity // 4)
                )
                draft = self._original(bonus)
                roll = rng.random()
                if roll < 0.3:
                    draft.title = f"{draft.title} (Bonus Track)"
                elif roll < 0.45:
                    draft.title = f"{draft.title} (Demo)"
                    draft.version = "demo"
                elif roll < 0.6 and album.tracks:
                    source_work = self._works[album.tracks[number % len(album.tracks)].work]
                    draft = self._variant(
                        source_work,
                        rng,
                        kind="acoustic",
                        title=text.acoustic(source_work.title_base, rng),
                        duration=source_work.duration + rng.randint(-20, 10),
                        popularity=popularity // 5,
                        year=year,
                        release_date=deluxe.release_date,
                    )
                draft.disc = 2 if len(deluxe.tracks) >= 14 else 1
                deluxe.tracks.append(draft)
            releases.append(deluxe)
        if year < 2000 and rng.random() < 0.35:
            remaster_year = rng.randint(max(year + 10, 2001), 2022)
            form = rng.choice(_REMASTER_ALBUM_FORMS).format(year=remaster_year)
            remaster = _AlbumDraft(
                title=f"{title} {form}",
                artist_text=album.artist_text,
                artist_names=main_names,
                release_date=date(remaster_year, rng.randint(1, 12), rng.randint(1, 28)),
                label=label,
                explicit=explicit_album,
                version="remastered",
                popularity=max(0, popularity - 10),
                genre=genre,
            )
            for work in slots:
                remaster.tracks.append(self._remaster(work, rng, remaster_year))
            releases.append(remaster)
        return releases

    def _copy(self, track: _TrackDraft, popularity_change: int) -> _TrackDraft:
        """The same recording on another release."""
        return _TrackDraft(
            title=track.title,
            artist_text=track.artist_text,
            artist_names=track.artist_names,
            duration=track.duration,
            recording=track.recording,
            explicit=track.explicit,
            version=track.version,
            popularity=max(0, track.popularity + popularity_change),
            release_date=track.release_date,
            work=track.work,
            disc=track.disc,
        )

    def _version_units(self) -> Iterator[list[_AlbumDraft] | None]:
        while True:
            if not self._version_queue:
                yield None
                continue
            work = self._version_queue.popleft()
            rng = self._rng("versions", work.key)
            releases: list[_AlbumDraft] = []
            main_names = work.credit.main or (work.credit_text,)
            top = work.popularity >= 70
            if work.year >= 1985 and rng.random() < (
                0.35 if work.genre == "dance-electronic" else 0.14
            ):
                year = work.year + rng.randint(0, 1)
                released = work.release_date + timedelta(days=rng.randint(20, 200))
                ep = _AlbumDraft(
                    title=f"{work.title_base} "
                    + rng.choice(("(Remixes)", "(The Remixes)", "[Remixes]")),
                    artist_text=join_names(main_names),
                    artist_names=main_names,
                    release_date=released,
                    label=namepools.LABELS[stable_hash(main_names[0]) % len(namepools.LABELS)],
                    explicit=False,
                    version="remix",
                    popularity=work.popularity // 3,
                    genre=work.genre,
                )
                ep.tracks.append(
                    self._variant(
                        work,
                        rng,
                        kind="radio edit",
                        title=text.radio_edit(work.title_base, rng),
                        duration=work.duration - rng.randint(20, 60),
                        popularity=work.popularity // 2,
                        year=year,
                        release_date=released,
                    )
                )
                for _ in range(rng.randint(2, 5)):
                    remixer = self._names.remixer(rng)
                    ep.tracks.append(
                        self._variant(
                            work,
                            rng,
                            kind="remix",
                            title=text.remix(work.title_base, remixer, rng),
                            duration=work.duration + rng.randint(40, 200),
                            popularity=work.popularity // 5,
                            year=year,
                            release_date=released,
                        )
                    )
                if rng.random() < 0.4:
                    ep.tracks.append(
                        self._variant(
                            work,
                            rng,
                            kind="extended",
                            title=f"{work.title_base} (Extended Mix)",
                            duration=work.duration + rng.randint(60, 180),
                            popularity=work.popularity // 6,
                            year=year,
                            release_date=released,
                        )
                    )
                releases.append(ep)
            if rng.random() < 0.07:
                year = min(2025, work.year + rng.randint(1, 8))
                released = date(year, rng.randint(1, 12), rng.randint(1, 28))
                acoustic = self._variant(
                    work,
                    rng,
                    kind="acoustic",
                    title=text.acoustic(work.title_base, rng),
                    duration=work.duration + rng.randint(-30, 15),
                    popularity=work.popularity // 4,
                    year=year,
                    release_date=released,
                )
                releases.append(
                    self._one_track_release(acoustic, main_names, work.genre, "acoustic")
                )
            karaoke_chance = 0.3 if top else 0.06
            if rng.random() < karaoke_chance:
                singer = rng.choice(namepools.KARAOKE_ARTISTS)
                year = min(2025, max(work.year, 2005) + rng.randint(0, 10))
                karaoke = self._variant(
                    work,
                    rng,
                    kind="karaoke",
                    title=text.karaoke(
                        work.title, join_names(work.credit.main or (work.credit_text,)), rng
                    ),
                    duration=work.duration + rng.randint(-4, 6),
                    popularity=rng.randint(0, 8),
                    year=year,
                    release_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    artist_text=singer,
                    artist_names=(singer,),
                )
                releases.append(self._one_track_release(karaoke, (singer,), work.genre, "karaoke"))
            cover_chance = 0.18 if top else 0.05
            if rng.random() < cover_chance:
                if rng.random() < 0.4:
                    performer = rng.choice(namepools.TRIBUTE_ARTISTS)
                    title = (
                        text.made_famous(work.title, join_names(main_names))
                        if rng.random() < 0.3
                        else work.title
                    )
                else:
                    performer = self._names.artist_name(rng)
                    title = work.title
                year = min(2025, work.year + rng.randint(1, 30))
                cover = self._variant(
                    work,
                    rng,
                    kind="cover",
                    title=title,
                    duration=work.duration + rng.randint(-25, 25),
                    popularity=rng.randint(2, 25),
                    year=year,
                    release_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    artist_text=performer,
                    artist_names=(performer,),
                    recording_key=f"{work.key}|cover:{performer}",
                )
                releases.append(self._one_track_release(cover, (performer,), work.genre, "cover"))
            if releases:
                yield releases

    def _one_track_release(
        self, track: _TrackDraft, artist_names: tuple[str, ...], genre: str, version: str
    ) -> _AlbumDraft:
        return _AlbumDraft(
            title=track.title,
            artist_text=track.artist_text,
            artist_names=artist_names,
            release_date=track.release_date,
            label=namepools.LABELS[stable_hash(artist_names[0]) % len(namepools.LABELS)],
            explicit=track.explicit,
            version=version,
            popularity=track.popularity,
            genre=genre,
            tracks=[track],
        )

    def _collection_units(self) -> Iterator[list[_AlbumDraft] | None]:
        while True:
            if not self._collection_queue:
                yield None
                continue
            kind, artist = self._collection_queue.popleft()
            if kind == "various":
                unit = self._now_compilation()
            elif kind == "live":
                unit = self._live_album(artist)
            else:
                unit = self._greatest_hits(artist)
            if unit:
                yield unit

    def _now_compilation(self) -> list[_AlbumDraft]:
        hits, self._recent_hits = self._recent_hits, []
        if not hits:
            return []
        self._compilation_number += 1
        rng = self._rng("compilation", self._compilation_number)
        year = max(h.year for h in hits)
        title = (
            f"Now That's What I Call Music! {self._compilation_number}"
            if rng.random() < 0.5
            else f"Billboard Top Hits: {year}"
            if rng.random() < 0.5
            else f"Hits of the {year // 10 % 10}0s, Vol. {self._compilation_number}"
        )
        album = _AlbumDraft(
            title=title,
            artist_text=_VARIOUS,
            artist_names=(_VARIOUS,),
            release_date=date(year, 11, rng.randint(1, 28)),
            label=rng.choice(namepools.LABELS),
            explicit=False,
            version="compilation",
            popularity=rng.randint(20, 60),
            genre="pop",
        )
        for work in rng.sample(hits, min(len(hits), rng.randint(14, 20))):
            # Compilations mostly carry the clean recording of an explicit hit.
            if work.explicit and rng.random() < 0.7:
                album.tracks.append(self._clean_twin(work, rng))
            else:
                album.tracks.append(self._original(work, popularity=work.popularity // 3))
        return [album]

    def _greatest_hits(self, artist: str) -> list[_AlbumDraft]:
        rng = self._rng("hits", artist, len(self._artist_hits[artist]))
        if rng.random() > 0.6:
            return []
        works = sorted(self._artist_hits[artist], key=lambda w: (w.release_date, w.title))
        last_year = max(w.year for w in works)
        year = min(2025, last_year + rng.randint(1, 6))
        remastered = last_year < 1995 and rng.random() < 0.4
        album = _AlbumDraft(
            title=rng.choice(_HITS_TITLES).format(artist=artist),
            artist_text=artist,
            artist_names=(artist,),
            release_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            label=namepools.LABELS[stable_hash(artist) % len(namepools.LABELS)],
            explicit=any(w.explicit for w in works),
            version="compilation",
            popularity=min(90, max(w.popularity for w in works) - rng.randint(0, 15)),
            genre=works[0].genre,
        )
        for work in works[:20]:
            if remastered:
                album.tracks.append(self._remaster(work, rng, year))
            else:
                album.tracks.append(self._original(work, popularity=work.popularity // 2))
        return [album]

    def _live_album(self, artist: str) -> list[_AlbumDraft]:
        rng = self._rng("live", artist)
        if rng.random() > 0.3:
            return []
        works = self._artist_hits[artist]
        venue = rng.choice(namepools.VENUES)
        year = min(2025, max(w.year for w in works) + rng.randint(0, 8))
        released = date(year, rng.randint(1, 12), rng.randint(1, 28))
        album = _AlbumDraft(
            title=f"Live at {venue}" if rng.random() < 0.7 else f"{artist} Live",
            artist_text=artist,
            artist_names=(artist,),
            release_date=released,
            label=namepools.LABELS[stable_hash(artist) % len(namepools.LABELS)],
            explicit=False,
            version="live",
            popularity=max(w.popularity for w in works) // 3,
            genre=works[0].genre,
        )
        with_venue = rng.random() < 0.3
        for work in works:
            album.tracks.append(
                self._variant(
                    work,
                    rng,
                    kind="live",
                    title=text.live(work.title_base, venue if with_venue else None, rng),
                    duration=work.duration + rng.randint(15, 90),
                    popularity=work.popularity // 4,
                    year=year,
                    release_date=released,
                    artist_text=artist,
                    artist_names=(artist,),
                    recording_key=f"{work.key}|live:{venue}",
                )
            )
        return [album]

    def _synthetic_units(
        self, songs: list[tuple[float, str, str, date, int, str]]
    ) -> Iterator[list[_AlbumDraft]]:
        number = 0
        while True:
            number += 1
            rng = self._rng("synthetic", number)
            artist = self._names.artist_name(rng)
            if rng.random() < 0.3:
                artist = f"{artist} {number}" if artist in self._artist_genres else artist
            first_year = rng.randint(1962, 2024)
            genre = self._genre_for_artist(artist, first_year)
            releases: list[_AlbumDraft] = []
            for album_number in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
                year = min(2025, first_year + album_number * rng.randint(1, 4))
                released = date(year, rng.randint(1, 12), rng.randint(1, 28))
                titles: list[str] = []
                for _ in range(rng.randint(6, 14)):
                    candidate = self._filler_title(rng, songs)
                    if candidate not in titles:
                        titles.append(candidate)
                popularity = max(0, int(rng.expovariate(1 / 12)))
                explicit_album = genre == "hip-hop" and year >= 1992 and rng.random() < 0.5
                album_title = self._names.album_title(rng, titles)
                album = _AlbumDraft(
                    title=text.explicit(album_title) if explicit_album else album_title,
                    artist_text=artist,
                    artist_names=(artist,),
                    release_date=released,
                    label=rng.choice(namepools.LABELS),
                    explicit=explicit_album,
                    version="explicit" if explicit_album else "",
                    popularity=min(60, popularity),
                    genre=genre,
                )
                works = [
                    self._work(t, artist, year, released, min(60, popularity + rng.randint(-5, 10)))
                    for t in titles
                ]
                for work in works:
                    if explicit_album and rng.random() < 0.6:
                        work.explicit = True
                    album.tracks.append(self._original(work))
                releases.append(album)
                if explicit_album and rng.random() < 0.5:
                    clean_album = _AlbumDraft(
                        title=text.clean(album_title),
                        artist_text=artist,
                        artist_names=(artist,),
                        release_date=released,
                        label=album.label,
                        explicit=False,
                        version="clean",
                        popularity=max(0, album.popularity - 5),
                        genre=genre,
                        tracks=[
                            self._clean_twin(w, rng) if w.explicit else self._copy(t, -3)
                            for w, t in zip(works, album.tracks, strict=True)
                        ],
                    )
                    releases.append(clean_album)
            # Synthetic works are never referenced again; dropping them keeps memory flat.
            for release in releases:
                for track in release.tracks:
                    self._works.pop(track.work, None)
            yield releases

    # ----- emission -----------------------------------------------------------------------

    def _next_id(self, kind: str) -> int:
        self._next_ids[kind] += 1
        return self._next_ids[kind]

    def _artist_records(self, names: tuple[str, ...]) -> Iterator[ArtistRecord]:
        for name in names:
            if name not in self._artist_ids:
                artist_id = self._next_id("artist")
                self._artist_ids[name] = artist_id
                asin = self._asins.allocate()
                self.summary.artist_count += 1
                yield ArtistRecord(artist_id, asin, name[:300], image_url(f"artist:{asin}"))

    def _ids_of(self, artist_names: tuple[str, ...]) -> tuple[int, ...]:
        if len(artist_names) == 1:
            return (self._artist_ids[artist_names[0]],)
        return tuple(dict.fromkeys(self._artist_ids[n] for n in artist_names))

    def _emit(self, unit: list[_AlbumDraft], mood_rng: random.Random) -> Iterator[Record]:
        for draft in unit:
            remaining = self.size - self._emitted_tracks
            if remaining <= 0:
                return
            tracks = draft.tracks[:remaining]
            if not tracks:
                continue
            yield from self._artist_records(draft.artist_names)
            for track in tracks:
                yield from self._artist_records(track.artist_names)
            album_id = self._next_id("album")
            asin = self._asins.allocate()
            genre_id = CATEGORY_IDS[draft.genre]
            album_title = draft.title[:400]
            yield AlbumRecord(
                id=album_id,
                asin=asin,
                title=album_title,
                artist_text=draft.artist_text[:600],
                artist_ids=tuple(self._artist_ids[n] for n in draft.artist_names),
                release_date=draft.release_date,
                label=draft.label,
                image_url=image_url(f"album:{asin}"),
                explicit=draft.explicit,
                version=draft.version,
                popularity=max(0, min(100, draft.popularity)),
                track_count=len(tracks),
                duration=sum(t.duration for t in tracks),
                category_ids=(genre_id,),
            )
            self.summary.album_count += 1
            self.summary.album_ids.append((draft.popularity, album_id))
            for number, track in enumerate(tracks, start=1):
                track_id = self._next_id("track")
                categories: tuple[int, ...] = (genre_id,)
                if mood_rng.random() < 0.08:
                    mood = MOODS[mood_rng.randrange(len(MOODS))][0]
                    categories = (genre_id, CATEGORY_IDS[mood])
                popularity = max(0, min(100, track.popularity))
                self._emitted_tracks += 1
                yield TrackRecord(
                    id=track_id,
                    asin=self._asins.allocate(),
                    title=track.title[:400],
                    artist_text=track.artist_text[:600],
                    artist_ids=self._ids_of(track.artist_names),
                    album_id=album_id,
                    album_title=album_title,
                    disc_number=track.disc,
                    track_number=number,
                    duration=track.duration,
                    isrc=track.recording.isrc,
                    isrc_synthetic=track.recording.synthetic,
                    explicit=track.explicit,
                    version=track.version,
                    popularity=popularity,
                    release_date=track.release_date,
                    category_ids=categories,
                    recording=track.recording.id,
                    work=track.work,
                )
                self.summary.track_count += 1
                for category in categories:
                    pool = self.summary.category_tracks.setdefault(category, [])
                    if len(pool) < CURATED_POOL:
                        heapq.heappush(pool, (popularity, track_id))
                    elif (popularity, track_id) > pool[0]:
                        heapq.heapreplace(pool, (popularity, track_id))
                if track.version in ("", "explicit") and popularity >= 35:
                    year = track.release_date.year if track.release_date else 2000
                    self.summary.hits.append((popularity, track_id, year))

    def records(self) -> Iterator[Record]:
        """Every record of the catalog, parents before children."""
        for position, (slug, title) in enumerate(GENRES + MOODS):
            yield CategoryRecord(
                id=CATEGORY_IDS[slug],
                slug=slug,
                title=title,
                image_url=image_url(f"category:{slug}"),
                position=position,
            )
        songs = self._song_priority()
        album_plan, placed = self._album_plan(songs)
        mood_rng = self._rng("moods")
        for unit in self._listing_units():
            yield from self._emit(unit, mood_rng)
        streams: dict[str, Iterator[list[_AlbumDraft] | None]] = {
            "singles": self._single_units(songs, placed),
            "albums": self._album_units(album_plan, songs),
            "versions": self._version_units(),
            "collections": self._collection_units(),
            "synthetic": self._synthetic_units(songs),
        }
        emitted = dict.fromkeys(streams, 0)
        start = self._emitted_tracks
        while self._emitted_tracks < self.size and streams:
            total = self._emitted_tracks - start
            order = sorted(
                streams, key=lambda s: (emitted[s] - _SHARES[s] * total, list(_SHARES).index(s))
            )
            progressed = False
            for name in order:
                try:
                    next_unit = next(streams[name])
                except StopIteration:
                    del streams[name]
                    break
                if next_unit is None:
                    continue
                before = self._emitted_tracks
                yield from self._emit(next_unit, mood_rng)
                emitted[name] += self._emitted_tracks - before
                progressed = True
                break
            if not progressed and "synthetic" not in streams:
                break
        yield from self._curated_playlists()
        yield from self._podcasts()

    # ----- after the tracks -----------------------------------------------------------------

    def _curated_playlists(self) -> Iterator[PlaylistRecord]:
        rng = self._rng("curated")
        titles_by_category = {
            "pop": ("Happy Modern Pop", "Pop Culture", "Fresh Pop"),
            "rock": ("Classic Rock Essentials", "Rock Anthems", "Guitar Heroes"),
            "hip-hop": ("Rap Rotation", "Hip-Hop Throwbacks", "Fresh Hip-Hop"),
            "rnb": ("R&B Now", "Slow Jams", "Throwback R&B"),
            "country": ("Country Heat", "Country Classics", "Back Roads"),
            "dance-electronic": ("Dance Party", "Club Anthems", "Electronic Essentials"),
            "alternative": ("Alt Nation", "Indie Favorites"),
            "latin": ("Latin Hits", "Reggaeton Party"),
            "soul-oldies": ("Golden Oldies", "Motown Magic", "Soul Classics"),
            "christian": ("Worship Now",),
            "soundtracks": ("Movie Magic", "Soundtrack Hits"),
            "jazz": ("Jazz Standards",),
            "holiday": ("Holiday Favorites",),
            "chill": ("Chill Vibes", "Lazy Sunday"),
            "party": ("Party Starters", "Pride Hits"),
            "workout": ("Workout Mix", "Cardio Pop"),
            "focus": ("Deep Focus",),
            "feel-good": ("Feel Good Hits", "Good Vibes Only"),
            "romance": ("Love Songs", "Date Night"),
            "sad-songs": ("Sad Songs", "Heartbreak Hotel"),
            "throwback": ("Totally 80s", "90s Hits", "2000s Throwback"),
        }
        for slug, titles in titles_by_category.items():
            category_id = CATEGORY_IDS[slug]
            pool = sorted(self.summary.category_tracks.get(category_id, []), reverse=True)
            if not pool:
                continue
            for title in titles:
                count = min(len(pool), rng.randint(25, 100))
                track_ids = [t for _, t in rng.sample(pool, count)]
                created = REFERENCE_TIME - timedelta(days=rng.randint(30, 900))
                yield PlaylistRecord(
                    id=self._asins.allocate(),
                    owner_id=None,
                    title=title,
                    description=f"The best of {dict(GENRES + MOODS)[slug]}, picked by our editors.",
                    visibility="PUBLIC",
                    image_url=image_url(f"playlist:{slug}:{title}"),
                    curated=True,
                    popularity=rng.randint(20, 100),
                    created_at=created,
                    updated_at=created + timedelta(days=rng.randint(0, 29)),
                    track_ids=track_ids,
                    entry_ids=[
                        f"{stable_hash(f'{self.seed}:{title}:{i}'):016x}" for i in range(count)
                    ],
                    category_ids=(category_id,),
                )

    def _podcasts(self) -> Iterator[PodcastShowRecord | PodcastEpisodeRecord]:
        rng = self._rng("podcasts")
        suffixes = ("Podcast", "Radio", "Hour", "Show", "Talks", "Daily", "Weekly", "Stories")
        episode_id = 0
        for show_id in range(1, 31):
            title = f"{self._names.phrase(rng, rng.randint(1, 2))} {rng.choice(suffixes)}"
            show = PodcastShowRecord(
                id=show_id,
                asin=self._asins.allocate(),
                title=title,
                publisher=rng.choice(namepools.LABELS).replace("Records", "Media"),
                image_url=image_url(f"show:{show_id}:{title}"),
            )
            yield show
            latest = REFERENCE_TIME - timedelta(hours=rng.randint(1, 24 * 20))
            for number in range(rng.randint(8, 25), 0, -1):
                episode_id += 1
                yield PodcastEpisodeRecord(
                    id=episode_id,
                    asin=self._asins.allocate(),
                    show_id=show_id,
                    title=f"Ep. {number}: {self._names.song_title(rng)}",
                    description=f"{title} talks about {self._names.phrase(rng, 3).lower()}.",
                    duration=rng.randint(15, 120) * 60,
                    published_at=latest - timedelta(days=7 * (25 - number)),
                )


def isrc_is_valid(isrc: str) -> bool:
    """The ISRC shape: country (2 letters), registrant (3 alphanumerics), year, 5 digits."""
    return bool(re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}\d{7}", isrc))
