"""The user's playlists (reference.md §3.2; seed-library.txt), with idempotent creation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalog_client._base import (
    _PENDING,
    IDEMPOTENCY_TTL,
    MAX_PAGE_SIZE,
    MAX_TRACKS_PER_WRITE,
    BaseClient,
)
from catalog_client._http import Retry
from catalog_client._parsing import (
    _chunks,
    _dig,
    _digest,
    _first_present,
    _model,
    _playlist_entry,
    _seg,
)
from catalog_client.errors import (
    APIConnectionError,
    InvalidResponseError,
    NotFoundError,
    ServerError,
)
from catalog_client.models import (
    AddedEntry,
    Playlist,
    PlaylistEntry,
    PlaylistRemoveResult,
    PlaylistTracksResult,
)
from catalog_client.pagination import Paginator


class PlaylistsResource(BaseClient):
    """``/me/playlists`` and ``/playlists``."""

    def iter_my_playlists(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /me/playlists (seed-library.txt): the playlists the user owns."""
        return self._paged_get(
            "/me/playlists",
            ("user", "playlists"),
            Playlist,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            cursor=cursor,
        )

    def get_playlist(self, playlist_id: str) -> Playlist:
        """GET /playlists/{id} (reference.md §3.2): metadata only, no tracks."""
        path = f"/playlists/{_seg(playlist_id)}"
        data = self._user_read(path, lambda: self._http.request("GET", path))
        return _model(Playlist, _dig(data, "playlist"))

    def iter_playlist_tracks(
        self, playlist_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[PlaylistEntry]:
        """GET /playlists/{id}/tracks (reference.md §3.2): entries with their entry ids."""
        return self._paged_get(
            f"/playlists/{_seg(playlist_id)}/tracks",
            ("playlist", "tracks"),
            PlaylistEntry,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            edge_to_item=_playlist_entry,
            cursor=cursor,
        )

    def create_playlist(
        self,
        title: str,
        *,
        description: str = "",
        visibility: str = "PRIVATE",
        idempotency_key: str | None = None,
    ) -> Playlist:
        """POST /playlists (reference.md §3.2 Create): answer ``createPlaylist``.

        Creating is not idempotent and the API has no idempotency header, so a create whose
        outcome is unknown (5xx, read timeout, dropped connection, a cut-off answer) is never
        simply sent again: the request may still be in flight and land later. Only 429s and
        failures to connect, where the server cannot have acted, are retried in the call.

        With an ``idempotency_key`` (e.g. the transfer job's id) a retrying caller cannot
        duplicate the playlist:

        * the key goes into the description as ``[ref:<key>]``, so the playlist can be
          recognised in the user's list later;
        * in Redis the key is recorded as *pending* before the request and as the playlist id
          after it; a call with a key already done returns that playlist without a create;
        * a call whose key is pending (an earlier attempt ended in doubt), or any keyed call
          when there is no Redis, first looks through the user's playlists for the marker;
        * after an ambiguous failure the client looks once at once (the common case: the
          playlist was made and only the answer was lost) and otherwise raises the error,
          which is transient: the task retries later, by when a slow request has landed, and
          the look-up then finds it.

        Without a key, an ambiguous failure is raised as is, and the caller must check.
        """
        marker = f"[ref:{idempotency_key}]" if idempotency_key else None
        full_description = f"{description} {marker}".strip() if marker else description
        body = {"title": title, "description": full_description, "visibility": visibility}
        record = (
            f"{self.key_prefix}:idem:{_digest(self.api_key)}:{_digest(idempotency_key)}"
            if idempotency_key and self.redis is not None
            else None
        )
        if marker is not None:
            state = self._idempotency_state(record)
            if state not in (None, _PENDING):
                try:
                    return self.get_playlist(state)
                except NotFoundError:
                    pass  # Deleted since: look again, then create anew.
            if state is not None or record is None:
                found = self._find_playlist_by_marker(title, marker)
                if found is not None:
                    self._record_idempotency(record, found.id)
                    return found
            self._record_idempotency(record, _PENDING)
        try:
            data = self._write("POST", "/playlists", json_body=body, retry=Retry.REJECTED_ONLY)
            playlist = _model(Playlist, _dig(data, "createPlaylist"))
        except (ServerError, APIConnectionError, InvalidResponseError):
            if marker is None:
                raise
            found = self._find_playlist_by_marker(title, marker)
            if found is None:
                raise
            playlist = found
        self._record_idempotency(record, playlist.id)
        return playlist

    def _idempotency_state(self, record: str | None) -> str | None:
        if record is None or self.redis is None:
            return None
        value = self.redis.get(record)
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    def _record_idempotency(self, record: str | None, value: str) -> None:
        if record is not None and self.redis is not None:
            self.redis.set(record, value, ex=IDEMPOTENCY_TTL)

    def _find_playlist_by_marker(self, title: str, marker: str) -> Playlist | None:
        """The user's playlist whose description carries ``marker``, if any.

        Read past the user cache: a create whose caller died mid-request never invalidated
        it, so a cached list could miss the very playlist being looked for.
        """
        fresh: Paginator[Playlist] = self._paged_get(
            "/me/playlists", ("user", "playlists"), Playlist, limit=MAX_PAGE_SIZE
        )
        for playlist in fresh:
            description = playlist.description
            if description is None:
                if playlist.title != title:
                    continue
                # The list may leave descriptions out; the single playlist has them.
                description = self.get_playlist(playlist.id).description
            if description and marker in description:
                return playlist
        return None

    def update_playlist(
        self,
        playlist_id: str,
        *,
        title: str | None = None,
        description: str | None = None,
        visibility: str | None = None,
    ) -> Playlist:
        """PUT /playlists/{id} (reference.md §3.2 Update): answer ``updatePlaylist``; idempotent."""
        body = {
            k: v
            for k, v in (("title", title), ("description", description), ("visibility", visibility))
            if v is not None
        }
        data = self._write("PUT", f"/playlists/{_seg(playlist_id)}", json_body=body)
        return _model(Playlist, _dig(data, "updatePlaylist"))

    def add_playlist_tracks(
        self,
        playlist_id: str,
        track_ids: Sequence[str],
        *,
        add_duplicates: bool = False,
        chunk_size: int = MAX_TRACKS_PER_WRITE,
    ) -> PlaylistTracksResult:
        """PUT /playlists/{id}/tracks (reference.md §3.2 Add tracks), chunked.

        With ``add_duplicates=False`` (the API's default) a repeated chunk adds nothing, so
        chunks are retried on any transient failure and a resumed transfer may send them again;
        with True they are only retried when the server certainly did not act.
        """
        chunk_size = max(1, min(chunk_size, MAX_TRACKS_PER_WRITE))
        result = PlaylistTracksResult(playlist_id=playlist_id)
        retry = Retry.REJECTED_ONLY if add_duplicates else Retry.SAFE
        for chunk in _chunks(list(track_ids), chunk_size):
            data = self._write(
                "PUT",
                f"/playlists/{_seg(playlist_id)}/tracks",
                json_body={"trackIds": chunk, "addDuplicateTracks": add_duplicates},
                retry=retry,
            )
            result.requested += len(chunk)
            result.chunks += 1
            # The answer's body is undocumented (reference.md §9 item 1): read what is there.
            answer = _first_present(data, "addTracksToPlaylist", "updatePlaylistTracks") or {}
            if isinstance(answer, dict):
                playlist = answer.get("playlist")
                if isinstance(playlist, dict) and playlist.get("id"):
                    result.playlist = _model(Playlist, playlist)
                for entry in answer.get("addedEntries") or []:
                    result.added_entries.append(_model(AddedEntry, entry))
                result.skipped_track_ids.extend(str(t) for t in answer.get("skippedTrackIds") or [])
        return result

    def reorder_playlist_tracks(
        self,
        playlist_id: str,
        entry_ids: Sequence[str],
        *,
        entry_id_above: str | None = None,
        entry_id_below: str | None = None,
    ) -> Playlist | None:
        """PATCH /playlists/{id}/tracks (reference.md §3.2 Reorder): by entry ids; idempotent.

        Moves the entries, in the order given, right after ``entry_id_above`` or right before
        ``entry_id_below``. Returns the playlist when the server reports it.
        """
        body: dict[str, Any] = {"entryIds": list(entry_ids)}
        if entry_id_above is not None:
            body["entryIdAbove"] = entry_id_above
        if entry_id_below is not None:
            body["entryIdBelow"] = entry_id_below
        data = self._write("PATCH", f"/playlists/{_seg(playlist_id)}/tracks", json_body=body)
        answer = _first_present(data, "reorderPlaylistTracks")
        playlist = answer.get("playlist") if isinstance(answer, dict) else None
        return _model(Playlist, playlist) if isinstance(playlist, dict) else None

    def remove_playlist_tracks(
        self, playlist_id: str, entry_ids: Sequence[str], *, chunk_size: int = MAX_TRACKS_PER_WRITE
    ) -> PlaylistRemoveResult:
        """DELETE /playlists/{id}/tracks (reference.md §3.2 Remove) by entry ids, chunked.

        Entry ids are unique, so a repeated removal removes nothing more: retried freely.
        """
        result = PlaylistRemoveResult(playlist_id=playlist_id)
        for chunk in _chunks(list(entry_ids), max(1, min(chunk_size, MAX_TRACKS_PER_WRITE))):
            data = self._write(
                "DELETE",
                f"/playlists/{_seg(playlist_id)}/tracks",
                json_body={"entryIds": chunk},
            )
            result.requested += len(chunk)
            result.chunks += 1
            answer = _first_present(data, "removeTracksFromPlaylist")
            if isinstance(answer, dict):
                result.removed_entry_ids.extend(str(e) for e in answer.get("removedEntryIds") or [])
                result.skipped_entry_ids.extend(str(e) for e in answer.get("skippedEntryIds") or [])
        return result

    def delete_playlist(self, playlist_id: str) -> None:
        """DELETE /playlists/{id} (reference.md §3.2); a 404 after a lost answer is success."""
        self._write("DELETE", f"/playlists/{_seg(playlist_id)}", delete=True)
