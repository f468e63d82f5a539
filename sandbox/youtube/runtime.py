"""The YouTube stand-in's people, playlists, quota and OAuth server, in the sandbox's memory.

Quota follows YouTube's: a daily budget of units per project (the OAuth client, or the API key),
each method with its documented cost, reset at midnight Pacific time (or at once through the
control API, to test a job resuming on a new day).
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from sandbox.catalog.ids import stable_hash
from sandbox.spotify.oauth import Client, OAuthServer
from sandbox.youtube.catalog import YouTubeCatalog, channel_id, video_id, youtube_catalog

PACIFIC = ZoneInfo("America/Los_Angeles")
COSTS = {"list": 1, "insert": 50, "update": 50, "delete": 50, "search": 100}
DEFAULT_DAILY_QUOTA = 10_000
FIXTURE_NAMES = {
    "2024_03_get_playlist": "Rap Caviar Mix",
    "2024_03_get_playlist_public": "Public Favourites",
    "2025_12_get_playlist_audio": "Audio Picks",
    "2025_01_get_playlist_chart": "Top 100 Songs Global",
}


@dataclass
class YTPlaylist:
    id: str
    title: str
    channel: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (playlistItem id, video id)
    privacy: str = "private"
    description: str = ""


@dataclass
class Person:
    id: str
    name: str
    email: str
    channel_id: str
    playlists: list[str] = field(default_factory=list)


class Quota:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.daily = DEFAULT_DAILY_QUOTA
        self.used: dict[str, int] = {}
        self.day = self.today()
        self.offset_days = 0

    def today(self) -> dt.date:
        return dt.datetime.now(PACIFIC).date()

    def spend(self, project: str, units: int) -> bool:
        with self.lock:
            today = self.today() + dt.timedelta(days=getattr(self, "offset_days", 0))
            if today != self.day:
                self.day = today
                self.used.clear()
            if self.used.get(project, 0) + units > self.daily:
                return False
            self.used[project] = self.used.get(project, 0) + units
            return True

    def new_day(self) -> None:
        """What midnight Pacific time does."""
        with self.lock:
            self.offset_days += 1
            self.day = self.today() + dt.timedelta(days=self.offset_days)
            self.used.clear()


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.people: dict[str, Person] = {}
        self.playlists: dict[str, YTPlaylist] = {}
        self._seeded = False
        self._counter = 0

    def ensure_seeded(self) -> YouTubeCatalog:
        catalog = youtube_catalog()
        with self.lock:
            if not self._seeded:
                self._seeded = True
                alice = self.create_person("alice", playlists=[150, 600], catalog=catalog)
                for key, ids in catalog.fixture_playlists.items():
                    self.add_playlist(alice, FIXTURE_NAMES.get(key, key), ids)
                self.create_person("bob", playlists=[40], catalog=catalog)
        return catalog

    def create_person(
        self, name: str, *, playlists: list[int], catalog: YouTubeCatalog | None = None
    ) -> Person:
        catalog = catalog or self.ensure_seeded()
        with self.lock:
            if name in self.people:
                raise ValueError(f"There is already a Google account {name!r}.")
            person = Person(
                id=str(100_000_000_000_000_000_000 + stable_hash("google:" + name) % 10**20),
                name=name.replace(".", " ").title(),
                email=f"{name}@example.com",
                channel_id=channel_id("person:" + name),
            )
            self.people[name] = person
            rng = random.Random(stable_hash("yt-person:" + name))
            pool = catalog.generated[:4000]
            for number, size in enumerate(playlists):
                self.add_playlist(
                    person,
                    f"{person.name}'s videos {number + 1}",
                    rng.sample(pool, min(size, len(pool))),
                )
            return person

    def add_playlist(
        self, person: Person, title: str, video_ids: list[str], *, description: str = ""
    ) -> YTPlaylist:
        with self.lock:
            self._counter += 1
            playlist_id = "PL" + video_id(f"pl:{person.id}:{title}:{self._counter}") * 3
            playlist = YTPlaylist(
                playlist_id[:34], title, person.channel_id, description=description
            )
            for vid in video_ids:
                self.append(playlist, vid)
            self.playlists[playlist.id] = playlist
            person.playlists.insert(0, playlist.id)
            return playlist

    def append(self, playlist: YTPlaylist, vid: str) -> str:
        self._counter += 1
        item_id = "UE" + video_id(f"item:{playlist.id}:{self._counter}") * 4
        playlist.items.append((item_id[:46], vid))
        return item_id[:46]

    def person_by_google_id(self, google_id: str) -> Person | None:
        return next((p for p in self.people.values() if p.id == google_id), None)


class LostAnswers:
    """Calls that do their work and then answer 503 backendError, as when Google's answer is
    lost on the way: the write happened, the caller does not know it. Counted per method name,
    e.g. ``{"playlists.insert": 1}``. ``slow`` holds the answer of every such call back that
    many seconds after the work is done (time to kill the caller in between)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.left: dict[str, int] = {}
        self.slow: dict[str, float] = {}

    def delay(self, method: str) -> float:
        with self.lock:
            return self.slow.get(method, 0.0)

    def take(self, method: str) -> bool:
        with self.lock:
            if self.left.get(method, 0) <= 0:
                return False
            self.left[method] -= 1
            return True


store = Store()
quota = Quota()
lost_answers = LostAnswers()
oauth = OAuthServer(
    access_prefix="ya29.",
    refresh_prefix="1//",
    access_token_ttl=int(getattr(settings, "SANDBOX_ACCESS_TOKEN_TTL", 3600)),
    default_ttl=int(getattr(settings, "SANDBOX_ACCESS_TOKEN_TTL", 3600)),
)
oauth.register(
    Client(
        client_id=settings.SANDBOX_GOOGLE_CLIENT_ID,
        client_secret=settings.SANDBOX_GOOGLE_CLIENT_SECRET,
        redirect_uris=list(settings.SANDBOX_GOOGLE_REDIRECT_URIS),
    )
)
# API keys (Google Cloud "API key" credentials) that may read public data.
api_keys: set[str] = {settings.SANDBOX_YOUTUBE_API_KEY}
