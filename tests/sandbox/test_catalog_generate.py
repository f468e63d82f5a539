"""The catalog generator: deterministic, sized exactly, and as messy as a real catalog."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import astuple

import pytest

from sandbox.catalog.generate import CATEGORY_IDS, CatalogGenerator, isrc_is_valid
from sandbox.catalog.people import PERSONAS, music_user_id, people_records, user_id
from sandbox.catalog.records import (
    AccountRecord,
    AlbumRecord,
    ArtistRecord,
    CategoryRecord,
    LibraryTrackRecord,
    PlaylistRecord,
    PodcastEpisodeRecord,
    PodcastShowRecord,
    Record,
    TrackRecord,
)
from sandbox.catalog.sources import spotify_fixture

SIZE = 10_000


def _generate(size: int, seed: int) -> tuple[list[Record], CatalogGenerator]:
    generator = CatalogGenerator(tracks=size, seed=seed)
    return list(generator.records()), generator


@pytest.fixture(scope="module")
def catalog() -> tuple[list[Record], CatalogGenerator]:
    return _generate(SIZE, 0)


@pytest.fixture(scope="module")
def tracks(catalog: tuple[list[Record], CatalogGenerator]) -> list[TrackRecord]:
    return [r for r in catalog[0] if isinstance(r, TrackRecord)]


def test_the_same_seed_gives_the_same_catalog(catalog):
    again, _ = _generate(SIZE, 0)
    assert [astuple(r) for r in again] == [astuple(r) for r in catalog[0]]


def test_another_seed_gives_another_catalog_of_the_same_songs(tracks):
    other, _ = _generate(SIZE, 1)
    other_tracks = [r for r in other if isinstance(r, TrackRecord)]
    assert [t.asin for t in other_tracks[:100]] != [t.asin for t in tracks[:100]]
    # Which hits come first follows the charts, not the seed.
    assert {t.work for t in tracks[:300]} & {t.work for t in other_tracks[:300]}


@pytest.mark.parametrize("size", [10_000, 10_007])
def test_it_yields_exactly_the_requested_number_of_tracks(size, catalog):
    records = catalog[0] if size == SIZE else _generate(size, 3)[0]
    assert sum(isinstance(r, TrackRecord) for r in records) == size


@pytest.mark.parametrize("size", [9_999, 1_000_001])
def test_it_refuses_sizes_out_of_range(size):
    with pytest.raises(ValueError, match="between"):
        CatalogGenerator(tracks=size)


def test_every_reference_points_at_an_earlier_record(catalog):
    artists: set[int] = set()
    albums: dict[int, AlbumRecord] = {}
    tracks_per_album: Counter[int] = Counter()
    tracks: set[int] = set()
    for record in catalog[0]:
        if isinstance(record, ArtistRecord):
            artists.add(record.id)
        elif isinstance(record, AlbumRecord):
            assert set(record.artist_ids) <= artists
            albums[record.id] = record
        elif isinstance(record, TrackRecord):
            assert record.album_id in albums
            assert record.artist_ids
            assert set(record.artist_ids) <= artists
            assert record.album_title == albums[record.album_id].title
            tracks_per_album[record.album_id] += 1
            tracks.add(record.id)
        elif isinstance(record, PlaylistRecord):
            assert set(record.track_ids) <= tracks
            assert len(record.entry_ids) == len(set(record.entry_ids)) == len(record.track_ids)
    assert all(album.track_count == tracks_per_album[i] for i, album in albums.items())


def test_ids_look_like_amazons_and_are_unique(catalog):
    asins = [
        r.asin
        for r in catalog[0]
        if isinstance(r, ArtistRecord | AlbumRecord | TrackRecord | PodcastShowRecord)
    ]
    asins += [r.id for r in catalog[0] if isinstance(r, PlaylistRecord) and r.curated]
    assert all(re.fullmatch(r"B0[0-9A-Z]{8}", a) for a in asins)
    assert len(asins) == len(set(asins))
    images = [r.image_url for r in catalog[0] if isinstance(r, AlbumRecord)]
    assert all(
        re.fullmatch(r"https://m\.media-amazon\.com/images/I/\w{10}L\.jpg", u) for u in images
    )


def test_isrcs_are_twelve_characters_and_one_per_recording(tracks):
    assert all(isrc_is_valid(t.isrc) for t in tracks)
    isrcs_of_recording: dict[int, set[str]] = defaultdict(set)
    recordings_of_isrc: dict[str, set[int]] = defaultdict(set)
    for track in tracks:
        isrcs_of_recording[track.recording].add(track.isrc)
        recordings_of_isrc[track.isrc].add(track.recording)
    assert all(len(isrcs) == 1 for isrcs in isrcs_of_recording.values())
    assert all(len(recordings) == 1 for recordings in recordings_of_isrc.values())
    # Compilations and deluxe editions reuse recordings, so some ISRCs are on several tracks.
    assert len(recordings_of_isrc) < len(tracks)


def test_only_the_real_fixture_tracks_have_real_isrcs(tracks):
    real = {t.isrc for t in tracks if not t.isrc_synthetic}
    assert real == {f.isrc for f in spotify_fixture()}
    assert "GBAHT1400473" in real  # "Give Me a Try" by The Wombats


def test_explicit_and_clean_twins_are_different_recordings(tracks):
    by_work: dict[str, list[TrackRecord]] = defaultdict(list)
    for track in tracks:
        by_work[track.work].append(track)
    twins = [
        (explicit, clean)
        for versions in by_work.values()
        for explicit in versions
        if explicit.title.endswith("[Explicit]")
        for clean in versions
        if clean.version == "clean"
    ]
    assert len(twins) > 50
    assert all(e.isrc != c.isrc and e.explicit and not c.explicit for e, c in twins)
    assert any(c.title.endswith("[Clean]") for _, c in twins)


def test_it_has_the_versions_a_real_catalog_has(tracks):
    versions = Counter(t.version for t in tracks)
    for kind in ("explicit", "clean", "remastered", "remix", "karaoke", "cover", "acoustic"):
        assert versions[kind] > 0, kind
    titles = [t.title for t in tracks]
    assert any(re.search(r" - Remastered \d{4}$|\(\d{4} Remaster\)", t) for t in titles)
    assert any(t.endswith("(Radio Edit)") for t in titles)
    assert any("[Karaoke Version]" in t or "(Karaoke Version)" in t for t in titles)
    assert any(t.endswith("(Live)") or "(Live at " in t for t in titles) or versions["live"] == 0


def test_deluxe_and_remastered_albums_reuse_or_renumber_recordings(catalog, tracks):
    albums = {r.id: r for r in catalog[0] if isinstance(r, AlbumRecord)}
    deluxe = [a for a in albums.values() if a.version == "deluxe"]
    assert deluxe
    assert any("(Deluxe" in a.title or "(Expanded Edition)" in a.title for a in deluxe)
    isrcs_by_album: dict[int, set[str]] = defaultdict(set)
    for track in tracks:
        isrcs_by_album[track.album_id].add(track.isrc)
    standard = {a.title: a.id for a in albums.values() if a.version in ("", "explicit")}
    shared = 0
    for album in deluxe:
        base = re.sub(r" \((Deluxe.*|Expanded Edition)\).*$", "", album.title)
        for title, album_id in standard.items():
            if title.removesuffix(" [Explicit]") == base:
                shared += bool(isrcs_by_album[album.id] & isrcs_by_album[album_id])
    assert shared


def test_the_same_title_by_other_artists_is_common(tracks):
    artists_by_title: dict[str, set[str]] = defaultdict(set)
    for track in tracks:
        if track.version in ("", "explicit"):
            artists_by_title[track.title.casefold()].add(track.artist_text)
    assert sum(len(a) >= 2 for a in artists_by_title.values()) > 100


def test_chart_credits_become_several_artists(catalog, tracks):
    names = {r.id: r.name for r in catalog[0] if isinstance(r, ArtistRecord)}
    featuring = [t for t in tracks if " Featuring " in t.artist_text]
    assert featuring
    for track in featuring[:50]:
        linked = [names[i] for i in track.artist_ids]
        assert len(linked) >= 2
        assert all(name in track.artist_text for name in linked)
    # Amazon's own style moves the guest into the title: "Title (feat. X)" by the main artist.
    moved = [t for t in tracks if "(feat. " in t.title or "[feat. " in t.title]
    assert any(len(t.artist_ids) >= 2 for t in moved)


def test_real_amazon_listings_are_in_the_catalog_detokenised(tracks):
    titles = {t.title for t in tracks}
    assert "Still Down (feat. Chevy Woods & Ty Dolla $ign) [Explicit]" in titles
    assert "Silver And Gold" in titles
    assert not any(" ( " in t or " [ " in t for t in titles)


def test_categories_playlists_and_podcasts(catalog, tracks):
    categories = [r for r in catalog[0] if isinstance(r, CategoryRecord)]
    assert {c.slug for c in categories} == set(CATEGORY_IDS)
    assert all(t.category_ids and t.category_ids[0] in CATEGORY_IDS.values() for t in tracks)
    curated = [r for r in catalog[0] if isinstance(r, PlaylistRecord)]
    assert len(curated) >= 40
    assert all(p.curated and p.owner_id is None and p.visibility == "PUBLIC" for p in curated)
    assert all(p.category_ids for p in curated)
    shows = [r for r in catalog[0] if isinstance(r, PodcastShowRecord)]
    episodes = [r for r in catalog[0] if isinstance(r, PodcastEpisodeRecord)]
    assert shows
    assert len(episodes) > len(shows)


def test_people_have_stable_logins_and_a_playlist_longer_than_a_page(catalog):
    people = list(people_records(catalog[1].summary, seed=0))
    accounts = [r for r in people if isinstance(r, AccountRecord)]
    assert [a.username for a in accounts] == [p.username for p in PERSONAS]
    assert accounts[0].user_id == user_id("alice")
    assert re.fullmatch(r"amzn1\.account\.[A-Z2-7]{28}", accounts[0].user_id)
    assert re.fullmatch(r"[a-z0-9]{26}", music_user_id("alice"))
    tiers = {a.username: (a.subscription_tier, a.has_music_account) for a in accounts}
    assert tiers["dave"] == ("FREE", True)
    assert tiers["erin"][1] is False
    playlists = [r for r in people if isinstance(r, PlaylistRecord)]
    longest = max(playlists, key=lambda p: len(p.track_ids))
    assert (longest.title, len(longest.track_ids), longest.owner_id) == (
        "Everything I Love",
        1200,
        accounts[0].id,
    )
    assert len(set(longest.track_ids)) == 1200
    assert any(len(set(p.track_ids)) < len(p.track_ids) for p in playlists)  # a duplicate
    library = [r for r in people if isinstance(r, LibraryTrackRecord)]
    pairs = [(r.account_id, r.track_id) for r in library]
    assert len(pairs) == len(set(pairs))
    assert list(people_records(catalog[1].summary, seed=0)) == people
