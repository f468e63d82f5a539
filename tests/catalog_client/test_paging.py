"""Iterators that page for you, id batches and chunked playlist writes, over real HTTP."""

from __future__ import annotations

import itertools
from typing import Any

from catalog_client import AmazonMusicClient, Paginator
from tests.catalog_client.conftest import MakeClient, server_requests
from tests.sandbox_server import SandboxServer, Tokens


def test_top_tracks_follow_the_token_across_many_pages(
    make_client: MakeClient, sandbox: SandboxServer
) -> None:
    client = make_client(cache=False)
    before = server_requests(sandbox)
    pager = client.iter_top_tracks(limit=7)
    assert isinstance(pager, Paginator)
    pages = []
    for page in pager.pages():
        pages.append(page)
        if len(pages) == 12:
            break
    assert len(pages) == 12
    assert all(len(p.items) == 7 for p in pages)
    assert all(p.page_info.has_next_page and p.next_cursor for p in pages)
    ids = [t.id for p in pages for t in p.items]
    assert len(set(ids)) == len(ids) == 84  # no page repeated or skipped
    assert server_requests(sandbox) - before == 12


def test_take_stops_fetching_once_it_has_enough(
    make_client: MakeClient, sandbox: SandboxServer
) -> None:
    client = make_client(cache=False)
    before = server_requests(sandbox)
    assert len(client.iter_top_tracks(limit=10).take(25)) == 25
    assert server_requests(sandbox) - before == 3


def test_a_paginator_makes_no_call_until_iterated(
    make_client: MakeClient, sandbox: SandboxServer
) -> None:
    client = make_client(cache=False)
    before = server_requests(sandbox)
    client.iter_my_playlists()
    client.iter_top_tracks()
    assert server_requests(sandbox) == before


def test_playlist_of_hundreds_of_tracks_chunked_in_and_paged_out(
    make_client: MakeClient, newcomer: Tokens, catalog: dict[str, Any], sandbox: SandboxServer
) -> None:
    client = make_client(newcomer, cache=False)
    ids = catalog["track_ids"][:250]
    assert len(ids) == 250
    playlist = client.create_playlist("Big")
    before = server_requests(sandbox)
    result = client.add_playlist_tracks(playlist.id, ids)
    # 100 is the most one request takes (reference.md §3.2); 250 ids make three requests.
    assert (result.requested, result.chunks, len(result.added_entries)) == (250, 3, 250)
    assert server_requests(sandbox) - before == 3

    before = server_requests(sandbox)
    entries = list(client.iter_playlist_tracks(playlist.id, limit=20))
    assert server_requests(sandbox) - before == 13
    assert [e.track.id for e in entries] == ids
    assert len({e.entry_id for e in entries}) == 250
    # Default page size (the sandbox uses 50 like the real API) pages too.
    assert [e.track.id for e in client.iter_playlist_tracks(playlist.id)] == ids

    before = server_requests(sandbox)
    removed = client.remove_playlist_tracks(playlist.id, [e.entry_id for e in entries[:150]])
    assert (removed.requested, removed.chunks, len(removed.removed_entry_ids)) == (150, 2, 150)
    assert server_requests(sandbox) - before == 2
    assert [e.track.id for e in client.iter_playlist_tracks(playlist.id)] == ids[150:]


def test_get_tracks_batches_ids_by_one_hundred(
    make_client: MakeClient, catalog: dict[str, Any], sandbox: SandboxServer
) -> None:
    client = make_client(cache=False)
    ids = catalog["track_ids"][:250]
    before = server_requests(sandbox)
    tracks = client.get_tracks(ids)
    assert [t.id for t in tracks] == ids
    assert server_requests(sandbox) - before == 3


def test_get_albums_batches_ids_by_one_hundred_and_asks_for_repeats_once(
    make_client: MakeClient, client: AmazonMusicClient, sandbox: SandboxServer
) -> None:
    distinct: list[str] = []
    for category in client.iter_categories():
        for album in client.iter_category_albums(category.id):
            if album.id not in distinct:
                distinct.append(album.id)
        if len(distinct) >= 150:
            break
    distinct = distinct[:150]
    assert len(distinct) == 150
    ids = distinct + distinct[:40]  # repeats are asked for once
    uncached = make_client(cache=False)
    before = server_requests(sandbox)
    albums = uncached.get_albums(ids)
    assert [a.id for a in albums] == distinct
    assert server_requests(sandbox) - before == 2


def test_search_pages_with_the_token_in_the_body(
    make_client: MakeClient, catalog: dict[str, Any], sandbox: SandboxServer
) -> None:
    client = make_client(cache=False)
    word = (catalog["tracks"][0].title or "").split()[0]
    before = server_requests(sandbox)
    pager = client.search_tracks(word, limit=3)
    pages = []
    for page in pager.pages():
        pages.append(page)
        if len(pages) == 4:
            break
    assert len(pages) == 4
    assert all(len(p.items) == 3 for p in pages)
    ids = [t.id for p in pages for t in p.items]
    assert len(set(ids)) == 12
    assert server_requests(sandbox) - before == 4
    assert len(client.search_tracks(word, limit=3, max_items=7).to_list()) == 7


def test_categories_page_with_edge_cursors_and_tokens(make_client: MakeClient) -> None:
    client = make_client(cache=False)
    everything = [c.id for c in client.iter_categories()]
    one_by_one = [c.id for c in client.iter_categories(limit=1)]
    assert one_by_one == everything
    assert len(everything) >= 2


def test_a_cursor_from_an_earlier_page_starts_there(make_client: MakeClient) -> None:
    client = make_client(cache=False)
    first, second = itertools.islice(client.iter_top_tracks(limit=5).pages(), 2)
    resumed = client.iter_top_tracks(limit=5, cursor=first.next_cursor).first_page()
    assert [t.id for t in resumed.items] == [t.id for t in second.items]
    entries = client.iter_categories(limit=1, cursor=None).take(3)
    tail = client.iter_categories(
        limit=1, cursor=client.iter_categories(limit=1).first_page().next_cursor
    )
    assert [c.id for c in tail.take(2)] == [c.id for c in entries[1:3]]
