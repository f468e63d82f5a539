"""Every endpoint the sandbox serves, called through the client over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from catalog_client import (
    AmazonMusicClient,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from catalog_client.models import (
    Album,
    Artist,
    Category,
    LibraryAlbum,
    LibraryTrack,
    Playlist,
    PlaylistEntry,
    PodcastEpisode,
    Track,
    User,
)
from tests.catalog_client.conftest import MakeClient, new_account
from tests.sandbox_server import SandboxServer, Tokens

# --- user (reference.md §3.1) -----------------------------------------------------------------


def test_get_me(client: AmazonMusicClient, alice: Tokens) -> None:
    me = client.get_me()
    assert isinstance(me, User)
    assert me.id == alice.music_user_id
    assert me.name


def test_update_me(make_client: MakeClient, newcomer: Tokens) -> None:
    client = make_client(newcomer)
    updated = client.update_me(
        name="Renamed Person", visibility="PUBLIC", playback_visibility="PRIVATE"
    )
    assert updated.name == "Renamed Person"
    assert client.get_me().name == "Renamed Person"


def test_user_playlists_of_another_user_shows_only_public(
    make_client: MakeClient, sandbox: SandboxServer
) -> None:
    owner_tokens = new_account(sandbox)
    owner = make_client(owner_tokens)
    public = owner.create_playlist("Shared", visibility="PUBLIC")
    owner.create_playlist("Secret", visibility="PRIVATE")
    viewer = make_client(new_account(sandbox))
    seen = list(viewer.iter_user_playlists(owner_tokens.music_user_id))
    assert [p.id for p in seen] == [public.id]
    assert all(isinstance(p, Playlist) for p in seen)
    with pytest.raises(NotFoundError):
        list(viewer.iter_user_playlists("no-such-user"))


# --- tracks (reference.md §3.4) ---------------------------------------------------------------


def test_get_track(client: AmazonMusicClient, catalog: dict[str, Any]) -> None:
    wanted = catalog["with_isrc"][0]
    track = client.get_track(wanted.id)
    assert isinstance(track, Track)
    assert track.id == wanted.id
    assert track.isrc == wanted.isrc
    assert track.duration
    assert track.duration > 0
    assert track.album is not None
    assert track.album.id
    assert track.artists
    assert track.artists[0].name


def test_get_track_not_found_carries_the_error_object(client: AmazonMusicClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_track("B0NOSUCHTRK")
    error = caught.value
    assert error.status == 404
    assert error.code == "RESOURCE_NOT_FOUND"
    assert error.message
    assert error.reference
    assert error.transient is False


def test_get_tracks_keeps_order_and_skips_unknown(
    client: AmazonMusicClient, catalog: dict[str, Any]
) -> None:
    ids = catalog["track_ids"][:5]
    tracks = client.get_tracks([ids[3], "B0NOSUCHTRK", ids[0], ids[3]])
    assert [t.id for t in tracks] == [ids[3], ids[0]]


# --- library tracks (seed-library.txt) ------------------------------------------------------


def test_save_list_and_remove_library_tracks(
    make_client: MakeClient, newcomer: Tokens, catalog: dict[str, Any]
) -> None:
    client = make_client(newcomer)
    track_id = catalog["track_ids"][0]
    saved = client.save_track(track_id)
    assert saved.save_state == "SAVED"
    assert saved.track is not None
    assert saved.track.id == track_id
    items = list(client.iter_library_tracks())
    assert [i.track.id for i in items] == [track_id]
    assert isinstance(items[0], LibraryTrack)
    removed = client.remove_track(track_id)
    assert removed is not None
    assert removed.save_state == "REMOVED"
    assert list(client.iter_library_tracks()) == []


# --- albums (seed-albums.txt) ----------------------------------------------------------------


def test_get_album_and_albums(client: AmazonMusicClient, catalog: dict[str, Any]) -> None:
    album_ids = catalog["album_ids"][:3]
    album = client.get_album(album_ids[0])
    assert isinstance(album, Album)
    assert album.id == album_ids[0]
    assert album.tracks
    assert album.tracks[0].id
    assert album.track_count == len(album.tracks)
    albums = client.get_albums([album_ids[2], album_ids[1], "B0NOSUCHALB"])
    assert [a.id for a in albums] == [album_ids[2], album_ids[1]]
    with pytest.raises(NotFoundError):
        client.get_album("B0NOSUCHALB")


def test_save_list_and_remove_library_albums(
    make_client: MakeClient, newcomer: Tokens, catalog: dict[str, Any]
) -> None:
    client = make_client(newcomer)
    first, second = catalog["album_ids"][:2]
    assert client.save_album(first).save_state == "SAVED"
    assert client.save_album(second).save_state == "SAVED"
    everything = list(client.iter_library_albums())
    assert {a.album.id for a in everything} == {first, second}
    assert all(isinstance(a, LibraryAlbum) and a.object_id for a in everything)
    only = list(client.iter_library_albums(album_ids=[second]))
    assert [a.album.id for a in only] == [second]
    removed = client.remove_album(first)
    assert removed is not None
    assert removed.save_state == "REMOVED"
    assert [a.album.id for a in client.iter_library_albums()] == [second]


# --- playlists (reference.md §3.2; seed-library.txt) ------------------------------------------


def test_playlist_lifecycle(
    make_client: MakeClient, newcomer: Tokens, catalog: dict[str, Any]
) -> None:
    client = make_client(newcomer)
    created = client.create_playlist("Road", description="for the car", visibility="PRIVATE")
    assert isinstance(created, Playlist)
    assert created.title == "Road"
    assert created.visibility == "PRIVATE"
    assert [p.id for p in client.iter_my_playlists()] == [created.id]

    fetched = client.get_playlist(created.id)
    assert fetched.description == "for the car"

    updated = client.update_playlist(created.id, title="Road 2", visibility="PUBLIC")
    assert updated.title == "Road 2"
    assert updated.visibility == "PUBLIC"

    ids = catalog["track_ids"][:4]
    added = client.add_playlist_tracks(created.id, ids)
    assert added.requested == 4
    assert added.chunks == 1
    assert [e.track_id for e in added.added_entries] == ids
    entries = list(client.iter_playlist_tracks(created.id))
    assert all(isinstance(e, PlaylistEntry) for e in entries)
    assert [e.track.id for e in entries] == ids
    # The entry id is the text after the last ':' of the edge cursor.
    assert [e.entry_id for e in entries] == [e.entry_id for e in added.added_entries]
    assert all(e.cursor and e.cursor.endswith(":" + e.entry_id) for e in entries)

    # Move the last entry to the top, then remove the (new) second one.
    reordered = client.reorder_playlist_tracks(
        created.id, [entries[3].entry_id], entry_id_below=entries[0].entry_id
    )
    assert reordered is not None
    assert reordered.track_count == 4
    order = [e.track.id for e in client.iter_playlist_tracks(created.id)]
    assert order == [ids[3], ids[0], ids[1], ids[2]]
    removed = client.remove_playlist_tracks(created.id, [entries[0].entry_id])
    assert removed.removed_entry_ids == [entries[0].entry_id]
    assert [e.track.id for e in client.iter_playlist_tracks(created.id)] == [ids[3], ids[1], ids[2]]

    client.delete_playlist(created.id)
    with pytest.raises(NotFoundError):
        client.get_playlist(created.id)
    assert list(client.iter_my_playlists()) == []


def test_adding_without_duplicates_skips_tracks_already_there(
    make_client: MakeClient, newcomer: Tokens, catalog: dict[str, Any]
) -> None:
    client = make_client(newcomer)
    playlist = client.create_playlist("Dupes")
    ids = catalog["track_ids"][:3]
    client.add_playlist_tracks(playlist.id, ids)
    again = client.add_playlist_tracks(playlist.id, [*ids, catalog["track_ids"][3]])
    assert again.skipped_track_ids == ids
    assert len(list(client.iter_playlist_tracks(playlist.id))) == 4
    with_dupes = client.add_playlist_tracks(playlist.id, ids[:1], add_duplicates=True)
    assert len(with_dupes.added_entries) == 1
    assert len(list(client.iter_playlist_tracks(playlist.id))) == 5


def test_unknown_track_ids_are_a_bad_request_with_the_payload(
    make_client: MakeClient, newcomer: Tokens
) -> None:
    client = make_client(newcomer)
    playlist = client.create_playlist("Bad ids")
    with pytest.raises(BadRequestError) as caught:
        client.add_playlist_tracks(playlist.id, ["B0NOSUCHTRK"])
    assert caught.value.status == 422
    assert caught.value.payload == {"unknownTrackIds": ["B0NOSUCHTRK"]}
    assert caught.value.transient is False


def test_someone_elses_playlist_cannot_be_changed(
    make_client: MakeClient, sandbox: SandboxServer
) -> None:
    owner = make_client(new_account(sandbox))
    shared = owner.create_playlist("Mine", visibility="PUBLIC")
    other = make_client(new_account(sandbox))
    assert other.get_playlist(shared.id).title == "Mine"
    with pytest.raises(PermissionDeniedError) as caught:
        other.update_playlist(shared.id, title="Yours")
    assert caught.value.status == 403
    assert caught.value.code == "ACCESS_DENIED"


def test_free_tier_and_no_music_account_are_permission_errors(
    make_client: MakeClient, sandbox: SandboxServer
) -> None:
    free = make_client(new_account(sandbox, tier="FREE"))
    with pytest.raises(PermissionDeniedError) as caught:
        free.create_playlist("Nope")
    assert caught.value.code == "DENIED_SUBSCRIPTION_TIER"
    nomusic = make_client(new_account(sandbox, music=False))
    with pytest.raises(PermissionDeniedError) as caught:
        nomusic.get_me()
    assert caught.value.code == "AUTH_NO_MUSIC_ACCOUNT_FOUND"
    assert caught.value.transient is False


# --- search (reference.md §3.7) ---------------------------------------------------------------


def test_search_tracks_by_name(client: AmazonMusicClient, catalog: dict[str, Any]) -> None:
    wanted = catalog["tracks"][0]
    word = (wanted.title or "").split()[0]
    results = client.search_tracks(filters=[{"field": "name", "query": word}]).take(10)
    assert results
    assert all(isinstance(t, Track) for t in results)
    assert any(word.lower() in (t.title or "").lower() for t in results)


def test_search_albums_artists_playlists(
    client: AmazonMusicClient, catalog: dict[str, Any]
) -> None:
    track = catalog["tracks"][0]
    assert track.album is not None
    assert track.album.title
    albums = client.search_albums(track.album.title).take(5)
    assert albums
    assert all(isinstance(a, Album) for a in albums)
    assert track.artists
    assert track.artists[0].name
    artists = client.search_artists(track.artists[0].name).take(5)
    assert artists
    assert all(isinstance(a, Artist) for a in artists)
    playlists = client.search_playlists("Essentials").take(5)
    assert all(isinstance(p, Playlist) for p in playlists)


def test_search_all(client: AmazonMusicClient, catalog: dict[str, Any]) -> None:
    word = (catalog["tracks"][0].title or "x").split()[0]
    result = client.search_all(word, limit=3)
    assert result.views
    assert result.views[0]["_type"] == "View"


def test_search_with_an_unknown_field_is_a_bad_request(client: AmazonMusicClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        client.search_tracks(filters=[{"field": "mood", "query": "x"}]).first_page()
    assert caught.value.status == 422


def test_find_tracks_by_isrc_returns_exact_matches_only(
    client: AmazonMusicClient, catalog: dict[str, Any]
) -> None:
    wanted = catalog["with_isrc"][0]
    found = client.find_tracks_by_isrc(wanted.isrc.lower())
    assert found
    assert all(t.isrc == wanted.isrc for t in found)
    assert wanted.id in {t.id for t in found}
    assert client.find_tracks_by_isrc("ZZZZ00000000") == []


# --- browse (seed-browse.txt) -----------------------------------------------------------------


def test_browse_top_lists(client: AmazonMusicClient) -> None:
    top = client.iter_top_tracks().first_page()
    assert 0 < len(top.items) <= 20
    assert all(isinstance(t, Track) for t in top.items)
    playlists = list(client.iter_top_playlists())
    assert playlists
    assert all(isinstance(p, Playlist) for p in playlists)
    episodes = list(client.iter_new_podcast_episodes())
    assert episodes
    assert all(isinstance(e, PodcastEpisode) for e in episodes)
    assert episodes[0].show is not None
    assert episodes[0].show.title


def test_categories_and_their_contents(client: AmazonMusicClient, catalog: dict[str, Any]) -> None:
    categories = list(client.iter_categories())
    assert categories
    assert all(isinstance(c, Category) and c.name for c in categories)
    category = client.get_category(categories[0].id)
    assert category.id == categories[0].id
    assert category.name == categories[0].name
    assert list(client.iter_category_albums(category.id, limit=5).take(5))
    assert all(isinstance(t, Track) for t in client.iter_category_tracks(category.id).take(5))
    assert all(isinstance(p, Playlist) for p in client.iter_category_playlists(category.id))
    with pytest.raises(NotFoundError):
        client.get_category("no-such-category")
