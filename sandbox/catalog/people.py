"""The demo's sandbox people: accounts, their playlists and their libraries.

Account identities (user id, music user id, email) depend only on the username, so that a
reseed with another seed or size keeps the same logins. What they own is drawn from the
catalog with a seeded generator, so it repeats for the same catalog.

- alice: Unlimited; "Everything I Love" holds 1,200 tracks (more than one page of 1,000), and she
  has a playlist with a duplicate entry and an empty one.
- bob, carol: Unlimited, with a few playlists (bob has a public one).
- dave: the Free tier, which the API denies library writes (403).
- erin: an Amazon account without Amazon Music (403 on /v1 calls).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sandbox.catalog.generate import CatalogSummary
from sandbox.catalog.ids import stable_hash, uuid4_from
from sandbox.catalog.records import (
    REFERENCE_TIME,
    AccountRecord,
    LibraryAlbumRecord,
    LibraryTrackRecord,
    PlaylistRecord,
)

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class Persona:
    username: str
    name: str
    tier: str
    has_music_account: bool
    # (title, track count, visibility, what to draw from)
    playlists: tuple[tuple[str, int, str, str], ...]
    library_tracks: int
    library_albums: int


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "alice",
        "Alice Anderson",
        "UNLIMITED",
        True,
        (
            ("Everything I Love", 1200, "PRIVATE", "hits"),
            ("Road Trip", 42, "PRIVATE", "hits"),
            ("90s Throwbacks", 60, "PUBLIC", "1990s"),
            ("Chill Evening", 25, "PRIVATE", "any"),
            ("Played Twice", 12, "PRIVATE", "duplicates"),
            ("New Playlist", 0, "PRIVATE", "any"),
        ),
        500,
        40,
    ),
    Persona(
        "bob",
        "Bob Brown",
        "UNLIMITED",
        True,
        (
            ("Workout", 80, "PRIVATE", "hits"),
            ("Hip-Hop Favourites", 50, "PUBLIC", "2000s"),
            ("Oldies but Goldies", 35, "PRIVATE", "1960s"),
        ),
        200,
        20,
    ),
    Persona(
        "carol",
        "Carol Clark",
        "PRIME",
        True,
        (("Country Roads", 45, "PRIVATE", "hits"), ("Sunday Morning", 20, "PRIVATE", "any")),
        100,
        10,
    ),
    Persona("dave", "Dave Davis", "FREE", True, (("My Songs", 15, "PRIVATE", "hits"),), 20, 0),
    Persona("erin", "Erin Evans", "FREE", False, (), 0, 0),
)


def _code(username: str, salt: str, alphabet: str, length: int) -> str:
    number = stable_hash(f"{salt}:{username}") * 2**64 + stable_hash(f"{username}:{salt}")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def user_id(username: str) -> str:
    """The LWA user id, ``amzn1.account.`` and 28 upper-case characters, like Amazon's."""
    return "amzn1.account." + _code(username, "user", _UPPER, 28)


def music_user_id(username: str) -> str:
    """The id GET /me returns: 26 lower-case characters, like the API's example."""
    return _code(username, "music", _LOWER, 26)


def _pick_tracks(rng: random.Random, summary: CatalogSummary, source: str, count: int) -> list[int]:
    hits = summary.hits
    if source.endswith("s") and source[:4].isdigit():
        decade = int(source[:4])
        pool = [t for _, t, year in hits if decade <= year < decade + 10] or [t for _, t, _ in hits]
    elif source == "any":
        pool = list(range(1, summary.track_count + 1))
    else:
        # People mostly save what is popular, with a long tail of everything else.
        ranked = sorted(hits, reverse=True)
        pool = [t for _, t, _ in ranked[: max(count * 4, 2000)]]
    if source == "duplicates":
        picks = rng.sample(pool, min(len(pool), count - 2))
        return [*picks, picks[0], picks[1]]
    if count <= len(pool):
        return rng.sample(pool, count)
    chosen = list(dict.fromkeys(pool))
    taken = set(chosen)
    while len(chosen) < min(count, summary.track_count):
        track_id = rng.randint(1, summary.track_count)
        if track_id not in taken:
            taken.add(track_id)
            chosen.append(track_id)
    return chosen


def people_records(
    summary: CatalogSummary, seed: int
) -> Iterator[AccountRecord | PlaylistRecord | LibraryTrackRecord | LibraryAlbumRecord]:
    rng = random.Random(stable_hash(f"people:{seed}"))
    for account_id, persona in enumerate(PERSONAS, start=1):
        created = REFERENCE_TIME - timedelta(days=400 + account_id * 37)
        yield AccountRecord(
            id=account_id,
            username=persona.username,
            user_id=user_id(persona.username),
            music_user_id=music_user_id(persona.username),
            name=persona.name,
            email=f"{persona.username}@example.com",
            has_music_account=persona.has_music_account,
            subscription_tier=persona.tier,
            image_url="",
            created_at=created,
        )
        for index, (title, count, visibility, source) in enumerate(persona.playlists):
            track_ids = _pick_tracks(rng, summary, source, count) if count else []
            made = created + timedelta(days=10 + index * 23, minutes=rng.randint(0, 600))
            yield PlaylistRecord(
                id=uuid4_from(rng),
                owner_id=account_id,
                title=title,
                description="",
                visibility=visibility,
                image_url="https://images-na.ssl-images-amazon.com/images/Playlists.png",
                curated=False,
                popularity=0,
                created_at=made,
                updated_at=made + timedelta(days=rng.randint(0, 60)),
                track_ids=track_ids,
                entry_ids=[uuid4_from(rng) for _ in track_ids],
            )
        if persona.library_tracks:
            for offset, track_id in enumerate(
                _pick_tracks(rng, summary, "hits", persona.library_tracks)
            ):
                yield LibraryTrackRecord(
                    account_id=account_id,
                    track_id=track_id,
                    added_at=REFERENCE_TIME - timedelta(hours=7 * offset + account_id),
                )
        albums = sorted(summary.album_ids, reverse=True)[:2000]
        for offset, (_, album_id) in enumerate(
            rng.sample(albums, min(len(albums), persona.library_albums))
        ):
            yield LibraryAlbumRecord(
                account_id=account_id,
                album_id=album_id,
                object_id=uuid4_from(rng),
                purchased=rng.random() < 0.2,
                uploaded=rng.random() < 0.05,
                added_at=REFERENCE_TIME - timedelta(hours=11 * offset + account_id),
            )
