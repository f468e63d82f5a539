"""The forms of the sync pages: what to sync, where to, how often and how."""

from __future__ import annotations

from typing import Any

from django import forms

from transfer.connections.selectors import ServiceState
from transfer.syncs.models import Sync

Source = Sync.SourceKind
Dest = Sync.Destination
# A YouTube playlist as a source is chosen on "Transfer between services" (it lists them).
FORM_SOURCES = [
    (value, label) for value, label in Source.choices if value != Source.YOUTUBE_PLAYLIST
]
SERVICE_SOURCES = (Source.SPOTIFY_PLAYLIST, Source.SPOTIFY_LIKED, Source.YOUTUBE_PLAYLIST)
AMAZON_DESTINATIONS = (Dest.NEW_PLAYLIST, Dest.EXISTING_PLAYLIST, Dest.LIBRARY_TRACKS)


class NewSyncForm(forms.Form):
    source = forms.ChoiceField(
        label="Keep in sync from",
        choices=FORM_SOURCES,
        initial=Source.AMAZON_PLAYLIST,
        widget=forms.RadioSelect,
    )
    playlist = forms.ChoiceField(label="Amazon Music playlist", required=False)
    spotify_playlist = forms.ChoiceField(label="Spotify playlist", required=False)
    url = forms.URLField(
        label="Web address of a playlist file",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="A CSV, M3U, XSPF, JSPF, Spotify or iTunes export that stays at this address.",
    )
    destination = forms.ChoiceField(
        label="Into",
        choices=Sync.Destination.choices,
        initial=Sync.Destination.NEW_PLAYLIST,
        widget=forms.RadioSelect,
    )
    destination_name = forms.CharField(
        label="Name of the new playlist",
        required=False,
        max_length=300,
        help_text="Left empty, it is named after the source.",
    )
    existing_playlist = forms.ChoiceField(label="Existing playlist", required=False)
    existing_spotify_playlist = forms.ChoiceField(
        label="Existing Spotify playlist",
        required=False,
        help_text="Tracks already in it stay; mirror mode removes only what the sync added.",
    )
    schedule = forms.ChoiceField(
        choices=Sync.Schedule.choices, initial=Sync.Schedule.DAILY, label="How often"
    )
    mode = forms.ChoiceField(
        choices=Sync.Mode.choices,
        initial=Sync.Mode.ADDITIVE,
        widget=forms.RadioSelect,
        label="What to do with tracks the source removes",
    )

    def __init__(
        self,
        *args: Any,
        playlists: list[tuple[str, str]],
        services: dict[str, ServiceState] | None = None,
        spotify_playlists: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = services or {}
        self.playlist_names = dict(playlists)
        self.spotify_names = dict(spotify_playlists or [])
        for name, options in (
            ("playlist", playlists),
            ("existing_playlist", playlists),
            ("spotify_playlist", spotify_playlists or []),
            ("existing_spotify_playlist", spotify_playlists or []),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Choose a playlist…"), *options]
        # Each service's choices say its connection state, so the person sees what to connect.
        for name, plain in (("source", FORM_SOURCES), ("destination", Dest.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, self._labelled(v, label)) for v, label in plain]

    def _labelled(self, value: Any, label: Any) -> str:
        state = self.services.get(str(value).partition("_")[0])
        if state is None or (state.connected and not state.needs_reconnect and state.can_write):
            return str(label)
        if not state.enabled:
            return f"{label} (not set up on this server)"
        if state.connected and not state.needs_reconnect and str(value) in SERVICE_SOURCES:
            return str(label)  # read-only is enough to read
        return f"{label} ({state.label.lower()})"

    def _service_ready(self, value: str, field: str, *, write: bool) -> None:
        state = self.services.get(value.partition("_")[0])
        if state is None:
            return
        if not state.enabled:
            self.add_error(field, f"{state.name} is not set up on this server.")
        elif not state.connected:
            self.add_error(field, f"Connect {state.name} first (below, or on your account page).")
        elif state.needs_reconnect:
            self.add_error(field, f"Reconnect {state.name} first. {state.detail}".strip())
        elif write and not state.can_write:
            self.add_error(
                field,
                f"{state.name} was connected for reading only: reconnect it to allow writing.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source == Sync.SourceKind.AMAZON_PLAYLIST and not data.get("playlist"):
            self.add_error("playlist", "Choose the playlist to keep in sync.")
        if source == Source.SPOTIFY_PLAYLIST and not data.get("spotify_playlist"):
            self.add_error("spotify_playlist", "Choose the Spotify playlist to keep in sync.")
        if source in SERVICE_SOURCES:
            self._service_ready(source, "source", write=False)
        if source == Sync.SourceKind.URL and not data.get("url"):
            self.add_error("url", "Give the web address of the playlist file.")
        destination = data.get("destination")
        if destination == Sync.Destination.EXISTING_PLAYLIST and not data.get("existing_playlist"):
            self.add_error("existing_playlist", "Choose the playlist to write into.")
        if destination == Dest.SPOTIFY_EXISTING_PLAYLIST and not data.get(
            "existing_spotify_playlist"
        ):
            self.add_error("existing_spotify_playlist", "Choose the Spotify playlist to add to.")
        if destination and destination not in AMAZON_DESTINATIONS:
            self._service_ready(destination, "destination", write=True)
            if source in SERVICE_SOURCES:
                self.add_error(
                    "destination",
                    "A Spotify or YouTube source is kept in sync with Amazon Music: choose an "
                    "Amazon Music destination.",
                )
        if source == Sync.SourceKind.AMAZON_LIBRARY and destination == (
            Sync.Destination.LIBRARY_TRACKS
        ):
            self.add_error("destination", "The library cannot be synced into itself.")
        if (
            source == Sync.SourceKind.AMAZON_PLAYLIST
            and destination == Sync.Destination.EXISTING_PLAYLIST
            and data.get("playlist")
            and data.get("playlist") == data.get("existing_playlist")
        ):
            self.add_error("existing_playlist", "A playlist cannot be synced into itself.")
        return data


class EditSyncForm(forms.Form):
    schedule = forms.ChoiceField(choices=Sync.Schedule.choices, label="How often")
    mode = forms.ChoiceField(
        choices=Sync.Mode.choices,
        widget=forms.RadioSelect,
        label="What to do with tracks the source removes",
    )
