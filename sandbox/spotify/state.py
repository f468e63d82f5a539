"""Spotify people, their Liked Songs, saved albums and playlists, in the sandbox's memory.

Seeded on first use from the catalog: alice (1,500 Liked Songs, 40 saved albums, four playlists
she owns, among them the real fixture playlist "Raid the Data Center" in its real order, and two
she follows) and bob (whose public "Rock Classics" alice follows). Tests and benchmarks create
their own people through the control API so the seeded ones stay as they are. Nothing here
survives a restart of the sandbox: the stand-in is for demos and tests.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from dataclasses import dataclass, field

from sandbox.catalog import sources
from sandbox.catalog.ids import stable_hash
from sandbox.spotify.catalog import SpotifyCatalog, base62_id, spotify_catalog

REFERENCE = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
EDITORIAL_OWNER = "spotify"


@dataclass
class Playlist:
    id: str
    name: str
    owner: str
    description: str = ""
    public: bool = False
    collaborative: bool = False
    items: list[tuple[str, str]] = field(default_factory=list)  # (track id, added_at)
    version: int = 1

    @property
    def snapshot_id(self) -> str:
        return base62_id(f"snap:{self.id}:{self.version}", 32)


@dataclass
class User:
    id: str
    display_name: str
    email: str
    product: str = "premium"
    country: str = "US"
    liked: list[tuple[str, str]] = field(default_factory=list)  # newest first
    albums: list[tuple[str, str]] = field(default_factory=list)  # newest first
    playlists: list[str] = field(default_factory=list)  # as /me/playlists lists them


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.playlists: dict[str, Playlist] = {}
        self._seeded = False

    def ensure_seeded(self) -> SpotifyCatalog:
        catalog = spotify_catalog()
        with self.lock:
            if not self._seeded:
                self._seeded = True
                self._seed(catalog)
        return catalog

    def reset(self) -> None:
        with self.lock:
            self.users.clear()
            self.playlists.clear()
            self._seeded = False

    # -- building people ---------------------------------------------------------------------

    def create_user(
        self,
        name: str,
        *,
        liked: int = 0,
        playlists: list[int] | None = None,
        albums: int = 0,
        product: str = "premium",
        display_name: str | None = None,
    ) -> User:
        catalog = self.ensure_seeded()
        with self.lock:
            if name in self.users:
                raise ValueError(f"There is already a Spotify user {name!r}.")
            user = User(
                id=name,
                display_name=display_name or name.replace(".", " ").title(),
                email=f"{name}@example.com",
                product=product,
            )
            self.users[name] = user
            rng = random.Random(stable_hash("spotify-user:" + name))
            pool = _pool(catalog, rng, max(liked, *(playlists or [0]), 1))
            user.liked = _dated(rng.sample(pool, min(liked, len(pool))), rng)
            album_ids = sorted(catalog.albums)
            picked = rng.sample(album_ids, min(albums, len(album_ids)))
            user.albums = _dated(picked, rng)
            for number, size in enumerate(playlists or []):
                tracks = rng.sample(pool, min(size, len(pool)))
                self.add_playlist(user, f"{user.display_name}'s mix {number + 1}", tracks, rng)
            return user

    def add_playlist(
        self,
        owner: User,
        name: str,
        track_ids: list[str],
        rng: random.Random | None = None,
        *,
        public: bool = False,
        description: str = "",
    ) -> Playlist:
        with self.lock:
            playlist_id = base62_id(f"playlist:{owner.id}:{name}:{len(self.playlists)}")
            added = _dated(track_ids, rng or random.Random(0), newest_first=False)
            playlist = Playlist(
                playlist_id, name, owner.id, description=description, public=public, items=added
            )
            self.playlists[playlist_id] = playlist
            owner.playlists.insert(0, playlist_id)
            return playlist

    def follow(self, user: User, playlist: Playlist) -> None:
        with self.lock:
            if playlist.id not in user.playlists:
                user.playlists.insert(0, playlist.id)

    def _seed(self, catalog: SpotifyCatalog) -> None:
        rng = random.Random(7)
        editorial = User(id=EDITORIAL_OWNER, display_name="Spotify", email="")
        self.users[editorial.id] = editorial
        popular = catalog.popular()
        top = self.add_playlist(
            editorial,
            "Today's Top Hits",
            popular[:50],
            rng,
            public=True,
            description="The hottest 50. (Editorial: not readable by new apps since Nov 2024.)",
        )
        bob = self.create_user("bob", liked=300, albums=10, display_name="Bob")
        classics = self.add_playlist(
            bob, "Rock Classics", rng.sample(popular[:3000], 100), rng, public=True
        )
        self.add_playlist(bob, "Gym", rng.sample(popular[:3000], 40), rng)
        alice = self.create_user("alice", liked=1500, albums=40, display_name="Alice")
        real = [f.service_id for f in sources.spotify_fixture() if f.service_id in catalog.tracks]
        self.add_playlist(alice, "Everything Mix", rng.sample(popular[:6000], 1000), rng)
        self.add_playlist(
            alice, "Late Night", [*rng.sample(popular[:4000], 22), *catalog.service_only()], rng
        )
        self.add_playlist(alice, "Road Trip", rng.sample(popular[:2000], 60), rng)
        self.add_playlist(alice, "Raid the Data Center", real, rng, public=True)
        self.follow(alice, classics)
        self.follow(alice, top)


def _pool(catalog: SpotifyCatalog, rng: random.Random, size: int) -> list[str]:
    popular = catalog.popular()
    return popular[: max(size * 2, 2000)]


def _dated(
    ids: list[str], rng: random.Random, *, newest_first: bool = True
) -> list[tuple[str, str]]:
    """Give each id an added_at, a few hours apart, ending at the reference time."""
    moments = []
    when = REFERENCE
    for _ in ids:
        when -= dt.timedelta(minutes=rng.randint(5, 600))
        moments.append(when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if not newest_first:
        moments.reverse()
    return list(zip(ids, moments, strict=True))


store = Store()
