"""The forms of the sync pages: what to sync, where to, how often and how."""

from __future__ import annotations

from typing import Any

from django import forms

from transfer.syncs.models import Sync


class NewSyncForm(forms.Form):
    source = forms.ChoiceField(
        label="Keep in sync from",
        choices=Sync.SourceKind.choices,
        initial=Sync.SourceKind.AMAZON_PLAYLIST,
        widget=forms.RadioSelect,
    )
    playlist = forms.ChoiceField(label="Amazon Music playlist", required=False)
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
    schedule = forms.ChoiceField(
        choices=Sync.Schedule.choices, initial=Sync.Schedule.DAILY, label="How often"
    )
    mode = forms.ChoiceField(
        choices=Sync.Mode.choices,
        initial=Sync.Mode.ADDITIVE,
        widget=forms.RadioSelect,
        label="What to do with tracks the source removes",
    )

    def __init__(self, *args: Any, playlists: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.playlist_names = dict(playlists)
        choices = [("", "Choose a playlist…"), *playlists]
        for name in ("playlist", "existing_playlist"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source == Sync.SourceKind.AMAZON_PLAYLIST and not data.get("playlist"):
            self.add_error("playlist", "Choose the playlist to keep in sync.")
        if source == Sync.SourceKind.URL and not data.get("url"):
            self.add_error("url", "Give the web address of the playlist file.")
        destination = data.get("destination")
        if destination == Sync.Destination.EXISTING_PLAYLIST and not data.get("existing_playlist"):
            self.add_error("existing_playlist", "Choose the playlist to write into.")
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
