"""The Spotify stand-in's catalog, made from Amazon rows, keeps Spotify's shape for explicit and
clean twins: the flag per track (as the real fixture has it), no "[Explicit]"/"[Clean]" in
titles or album names, a clean twin under its own ISRC. Pure: rows in, catalog out."""

from __future__ import annotations

from sandbox.spotify.catalog import AmazonRow, SpotifyCatalog, bucket


def row(asin: str, title: str, album: str, *, isrc: str, explicit: bool) -> AmazonRow:
    return AmazonRow(
        asin=asin,
        title=title,
        artists=("Twin Example",),
        album_asin="A" + asin[1:],
        album_title=album,
        album_artist="Twin Example",
        release_date="2004-05-01",
        duration_s=201,
        isrc=isrc,
        explicit=explicit,
        popularity=50,
        track_number=1,
        disc_number=1,
    )


def test_spotify_standin_flags_explicit_per_track_and_names_albums_untagged() -> None:
    rows = [
        # The explicit song and its clean twin (another recording), each on its edition...
        row(
            "B0TWINEXPL", "Song [Explicit]", "Album [Explicit]", isrc="QZTW10400001", explicit=True
        ),
        row("B0TWINCLEN", "Song [Clean]", "Album [Clean]", isrc="QZTW10400002", explicit=False),
        # ...and a clean song on both editions: one recording, one ISRC.
        row("B0SONGONEX", "Other Song", "Album [Explicit]", isrc="QZTW10400003", explicit=False),
        row("B0SONGONCL", "Other Song", "Album [Clean]", isrc="QZTW10400003", explicit=False),
    ]
    assert all(bucket(r.asin) >= 9 for r in rows)  # none missing, none under another ISRC
    catalog = SpotifyCatalog(rows)
    made = {r.asin: catalog.tracks[catalog.by_asin[r.asin]] for r in rows}

    assert {a: (t.name, t.explicit, t.isrc) for a, t in made.items()} == {
        "B0TWINEXPL": ("Song", True, "QZTW10400001"),
        "B0TWINCLEN": ("Song", False, "QZTW10400002"),
        "B0SONGONEX": ("Other Song", False, "QZTW10400003"),
        "B0SONGONCL": ("Other Song", False, "QZTW10400003"),
    }
    albums = {catalog.albums[t.album_id].name for t in made.values()}
    assert albums == {"Album"}
    # The two editions stay two Spotify albums, as on Spotify.
    assert made["B0SONGONEX"].album_id != made["B0SONGONCL"].album_id
