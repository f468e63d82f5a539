"""The new-transfer form: where the tracks come from, where they go, and how strictly to match."""

from __future__ import annotations

from typing import Any

from django import forms

from transfer.core.choices import SourceKind, Strictness
from transfer.transfers.models import TransferJob


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


# The form's own wording for the kinds a person can pick; the values are SourceKind's.
SOURCES = [
    (SourceKind.FILE.value, "Upload export files"),
    (SourceKind.TEXT.value, "Paste a list"),
    (SourceKind.AMAZON_PLAYLIST.value, "Amazon Music playlists"),
    (SourceKind.AMAZON_LIBRARY_TRACKS.value, "My Amazon Music library songs"),
]


class NewTransferForm(forms.Form):
    source = forms.ChoiceField(choices=SOURCES, widget=forms.RadioSelect, initial=SourceKind.FILE)
    uploads = MultipleFileField(required=False, label="Export files")
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "Artist - Title\nArtist - Title"}),
        label="One track per line",
    )
    playlists = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    destination = forms.ChoiceField(
        choices=TransferJob.Destination.choices,
        widget=forms.RadioSelect,
        initial=TransferJob.Destination.NEW_PLAYLIST,
    )
    playlist_name = forms.CharField(required=False, max_length=200, label="New playlist name")
    existing_playlist = forms.ChoiceField(required=False, label="Add to playlist")
    strictness = forms.ChoiceField(choices=Strictness.choices, initial=Strictness.BALANCED)
    dry_run = forms.BooleanField(
        required=False, label="Dry run: match only, change nothing on Amazon Music"
    )
    skip_existing = forms.BooleanField(
        required=False, initial=True, label="Skip tracks that are already there"
    )

    def __init__(self, *args: Any, playlists: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        playlist_field = self.fields["playlists"]
        existing_field = self.fields["existing_playlist"]
        assert isinstance(playlist_field, forms.ChoiceField)
        assert isinstance(existing_field, forms.ChoiceField)
        playlist_field.choices = playlists
        existing_field.choices = [("", "Choose a playlist"), *playlists]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        if source == SourceKind.FILE and not data.get("uploads"):
            self.add_error("uploads", "Choose at least one file.")
        if source == SourceKind.TEXT and not (data.get("text") or "").strip():
            self.add_error("text", "Paste at least one line.")
        if source == SourceKind.AMAZON_PLAYLIST and not data.get("playlists"):
            self.add_error("playlists", "Choose at least one playlist.")
        destination = data.get("destination")
        if destination == TransferJob.Destination.EXISTING_PLAYLIST and not data.get(
            "existing_playlist"
        ):
            self.add_error("existing_playlist", "Choose the playlist to add to.")
        if (
            source
            and source.startswith("amazon_")
            and destination in (TransferJob.Destination.LIBRARY_TRACKS,)
            and source == SourceKind.AMAZON_LIBRARY_TRACKS
        ):
            self.add_error("destination", "Those songs are already in your library.")
        return data


class RenameForm(forms.Form):
    name = forms.CharField(max_length=300, label="Playlist name")


FIELD_LABELS = {
    "title": "Title",
    "artist": "Artist",
    "album": "Album",
    "duration": "Duration",
    "isrc": "ISRC",
}


class ReadAgainForm(forms.Form):
    """Which column feeds which field, and whether title and artist are the other way round."""

    swap = forms.BooleanField(required=False, label="Swap title and artist")

    def __init__(self, *args: Any, columns: list[str], fed_by: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.mappable = bool(columns)
        if not self.mappable:
            return
        choices = [("", "(none)"), *((name, name) for name in columns if name)]
        for name, label in FIELD_LABELS.items():
            current = fed_by.get(name, "")
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=name == "title",
                label=label,
                initial=current if current in columns else "",
            )
        self.order_fields([*FIELD_LABELS, "swap"])

    def columns(self) -> dict[str, str] | None:
        if not self.mappable:
            return None
        return {name: self.cleaned_data.get(name) or "" for name in FIELD_LABELS}
