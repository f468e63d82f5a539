"""The current user and other users' public playlists (reference.md §3.1)."""

from __future__ import annotations

from catalog_client._base import MAX_PAGE_SIZE, BaseClient
from catalog_client._parsing import _dig, _model, _seg
from catalog_client.models import Playlist, User
from catalog_client.pagination import Paginator


class MeResource(BaseClient):
    """``/me`` and ``/users/{id}``."""

    def get_me(self) -> User:
        """GET /me (reference.md §3.1): the current user; scope music::profile."""
        data = self._user_read("me", lambda: self._http.request("GET", "/me"))
        return _model(User, _dig(data, "user"))

    def update_me(self, *, name: str, visibility: str, playback_visibility: str) -> User:
        """PUT /me (reference.md §3.1): all three fields required; answer ``updateUser``."""
        body = {"name": name, "visibility": visibility, "playbackVisibility": playback_visibility}
        data = self._write("PUT", "/me", json_body=body)
        user = data.get("updateUser", data) if isinstance(data, dict) else data
        return _model(User, user)

    def iter_user_playlists(
        self, user_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /users/{id}/playlists (reference.md §3.1): another user's public playlists."""
        return self._paged_get(
            f"/users/{_seg(user_id)}/playlists",
            ("user", "playlists"),
            Playlist,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            cursor=cursor,
        )
