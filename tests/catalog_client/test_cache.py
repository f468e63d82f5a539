"""Caching in real Redis: catalog hits and misses, TTLs, versioned keys, invalidation on writes."""

from __future__ import annotations

from typing import Any

import redis

from catalog_client import AmazonMusicClient, CacheTTLs, read_counters
from catalog_client.cache import SCHEMA_VERSION
from tests.catalog_client.conftest import MakeClient, server_requests
from tests.sandbox_server import SandboxServer, Tokens


def test_track_lookups_hit_the_cache(
    client: AmazonMusicClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    track_id = catalog["track_ids"][0]
    before = server_requests(sandbox)
    first = client.get_track(track_id)
    second = client.get_track(track_id)
    assert first == second
    assert server_requests(sandbox) - before == 1
    assert client.metrics.local["cache_misses"] == 1
    assert client.metrics.local["cache_hits"] == 1


def test_batch_lookups_fetch_only_the_misses_and_share_entries_with_single_ones(
    client: AmazonMusicClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    ids = catalog["track_ids"][:6]
    client.get_track(ids[0])
    client.get_tracks(ids[:3])
    before = server_requests(sandbox)
    tracks = client.get_tracks(ids)  # 3 cached, 3 fetched in one request
    assert [t.id for t in tracks] == ids
    assert server_requests(sandbox) - before == 1
    before = server_requests(sandbox)
    assert client.get_track(ids[5]).id == ids[5]
    assert [t.id for t in client.get_tracks(ids)] == ids
    assert server_requests(sandbox) == before


def test_albums_searches_and_isrc_lookups_are_cached(
    client: AmazonMusicClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    album_id = catalog["album_ids"][0]
    isrc = catalog["with_isrc"][0].isrc
    word = (catalog["tracks"][0].title or "").split()[0]
    client.get_album(album_id)
    client.get_albums(catalog["album_ids"][:3])
    client.search_tracks(word, limit=5).first_page()
    client.find_tracks_by_isrc(isrc)
    client.find_tracks_by_isrc("ZZZZ99999999")  # an empty answer is remembered too
    before = server_requests(sandbox)
    assert client.get_album(album_id).id == album_id
    assert [a.id for a in client.get_albums(catalog["album_ids"][:3])] == catalog["album_ids"][:3]
    assert client.search_tracks(word, limit=5).first_page().items
    assert client.find_tracks_by_isrc(isrc)
    assert client.find_tracks_by_isrc("ZZZZ99999999") == []
    assert server_requests(sandbox) == before


def test_keys_are_versioned_and_expire(
    client: AmazonMusicClient, rconn: redis.Redis, prefix: str, catalog: dict[str, Any]
) -> None:
    client.get_track(catalog["track_ids"][0])
    keys = [k.decode() for k in rconn.scan_iter(match=f"{prefix}:c:*")]
    assert keys == [f"{prefix}:c:{SCHEMA_VERSION}:track:{catalog['track_ids'][0]}"]
    ttl = rconn.ttl(keys[0])
    assert 0 < ttl <= CacheTTLs().track


def test_a_zero_ttl_turns_that_kind_off(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache_ttls=CacheTTLs(track=0))
    client.get_track(catalog["track_ids"][0])
    before = server_requests(sandbox)
    client.get_track(catalog["track_ids"][0])
    assert server_requests(sandbox) - before == 1


def test_clear_drops_every_entry(
    client: AmazonMusicClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client.get_track(catalog["track_ids"][0])
    assert client.cache is not None
    assert client.cache.clear() >= 1
    before = server_requests(sandbox)
    client.get_track(catalog["track_ids"][0])
    assert server_requests(sandbox) - before == 1


def test_user_data_is_cached_only_with_a_user_scope(
    make_client: MakeClient, newcomer: Tokens, sandbox: SandboxServer
) -> None:
    anonymous = make_client(newcomer)
    anonymous.get_me()
    before = server_requests(sandbox)
    anonymous.get_me()
    assert server_requests(sandbox) - before == 1

    scoped = make_client(newcomer, user_cache_scope="user-1")
    scoped.get_me()
    list(scoped.iter_my_playlists())
    before = server_requests(sandbox)
    scoped.get_me()
    list(scoped.iter_my_playlists())
    assert server_requests(sandbox) == before


def test_writes_invalidate_the_users_playlists_and_library(
    make_client: MakeClient, newcomer: Tokens, catalog: dict[str, Any]
) -> None:
    client = make_client(newcomer, user_cache_scope="user-2")
    assert list(client.iter_my_playlists()) == []
    playlist = client.create_playlist("Fresh")
    assert [p.id for p in client.iter_my_playlists()] == [playlist.id]

    assert list(client.iter_playlist_tracks(playlist.id)) == []
    client.add_playlist_tracks(playlist.id, catalog["track_ids"][:2])
    entries = list(client.iter_playlist_tracks(playlist.id))
    assert [e.track.id for e in entries] == catalog["track_ids"][:2]
    assert client.get_playlist(playlist.id).track_count == 2

    client.remove_playlist_tracks(playlist.id, [entries[0].entry_id])
    assert [e.track.id for e in client.iter_playlist_tracks(playlist.id)] == [
        catalog["track_ids"][1]
    ]
    client.update_playlist(playlist.id, title="Renamed")
    assert client.get_playlist(playlist.id).title == "Renamed"

    assert list(client.iter_library_tracks()) == []
    client.save_track(catalog["track_ids"][0])
    assert [i.track.id for i in client.iter_library_tracks()] == [catalog["track_ids"][0]]
    assert list(client.iter_library_albums()) == []
    client.save_album(catalog["album_ids"][0])
    assert [a.album.id for a in client.iter_library_albums()] == [catalog["album_ids"][0]]

    client.delete_playlist(playlist.id)
    assert list(client.iter_my_playlists()) == []
    assert client.metrics.local["cache_hits"] == 0  # every read after a write went out


def test_a_write_by_another_process_invalidates_too(
    make_client: MakeClient, newcomer: Tokens, sandbox: SandboxServer
) -> None:
    # Two clients (as in two Celery workers) for the same person share the user scope.
    reader = make_client(newcomer, user_cache_scope="user-3")
    writer = make_client(newcomer, user_cache_scope="user-3")
    assert list(reader.iter_my_playlists()) == []
    before = server_requests(sandbox)
    assert list(reader.iter_my_playlists()) == []
    assert server_requests(sandbox) == before  # cached
    made = writer.create_playlist("From the other worker")
    assert [p.id for p in reader.iter_my_playlists()] == [made.id]


def test_counters_are_shared_through_redis(
    make_client: MakeClient, rconn: redis.Redis, prefix: str, catalog: dict[str, Any]
) -> None:
    one = make_client()
    two = make_client()
    one.get_track(catalog["track_ids"][0])
    two.get_track(catalog["track_ids"][0])
    # Counts are sent in batches (at most a second apart); flush sends what is pending now.
    one.metrics.flush()
    two.metrics.flush()
    totals = read_counters(rconn, minutes=5, prefix=prefix)
    assert totals["calls"] == 1
    assert totals["cache_misses"] == 1
    assert totals["cache_hits"] == 1
    assert totals["errors"] == 0
