"""Hostile input: deeply nested JSON and XML are refused before a parser can blow up, on every
way in (upload, pasted list, synced URL); spreadsheet formulas never leave the app live, and
an export read back gives the original text."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.product_fixtures import Person
from tests.transfers.helpers import read_stored_upload
from transfer.formats import Limits, read_any
from transfer.formats.errors import FormatError
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.formats.spreadsheet import FORMULA_STARTS, neutralise, restore
from transfer.formats.writers import write_csv
from transfer.syncs.services.sources import url_preview
from transfer.transfers.models import TransferJob
from transfer.transfers.services.exports import export_unmatched
from transfer.transfers.services.jobs import TransferError, jobs_create

DATA = Path(__file__).parent / "data"
DEEP_JSON = ["n_structure_100000_opening_arrays.json", "n_structure_open_array_object.json"]
PAYLOADS = (DATA / "csv_injection_payloads.txt").read_text().splitlines()
# The examples of the issue, and cells a leading tab or carriage return already protects.
FORMULAS = [
    *PAYLOADS,
    '=HYPERLINK("http://example.org/x","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "'=already quoted",
    "''=twice",
    "- Live at Wembley -",
]


def deep_plist(depth: int) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict><key>Tracks</key>'
        + b"<dict><key>1</key>" * depth
    )


def deep_xspf(depth: int) -> bytes:
    return b'<playlist xmlns="http://xspf.org/ns/0/" version="1"><trackList>' + b"<track>" * depth


DEEP_FILES = [
    *((name, (DATA / name).read_bytes()) for name in DEEP_JSON),
    ("Library.xml", deep_plist(50_000)),
    ("deep.xspf", deep_xspf(50_000)),
]


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "data"), DEEP_FILES, ids=[n for n, _ in DEEP_FILES])
def test_a_deep_upload_is_refused_with_a_clear_message(
    alice: Person, name: str, data: bytes
) -> None:
    response = alice.client.post(
        "/transfers/new/",
        {
            "source": "file",
            "uploads": SimpleUploadedFile(name, data),
            "destination": "new_playlist",
            "strictness": "balanced",
        },
    )
    page = read_stored_upload(alice.client, response)
    assert "nests more than 64 levels deep" in page.content.decode()
    assert not TransferJob.objects.exists()


def test_a_deep_pasted_list_is_refused(alice: Person) -> None:
    response = alice.client.post(
        "/transfers/new/",
        {
            "source": "text",
            "text": (DATA / "n_structure_open_array_object.json").read_text(),
            "destination": "new_playlist",
            "strictness": "balanced",
        },
    )
    page = read_stored_upload(alice.client, response)
    assert "nests more than 64 levels deep" in page.content.decode()
    assert not TransferJob.objects.exists()


@pytest.fixture
def served(tmp_path: Path, settings: Any) -> Iterator[str]:
    """A local web server over tmp_path; the sync fetcher may reach it."""
    settings.SYNC_ALLOW_PRIVATE_URLS = True

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("name", "data"), DEEP_FILES, ids=[n for n, _ in DEEP_FILES])
def test_a_deep_file_at_a_sync_url_is_refused(
    served: str, tmp_path: Path, name: str, data: bytes
) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(TransferError, match="nests more than 64 levels deep"):
        url_preview(f"{served}/{name}")


def test_nesting_within_the_limit_is_read_as_usual() -> None:
    # 500 nested arrays is valid JSON; with a limit above it, the readers get to say what it is.
    data = (DATA / "i_structure_500_nested_arrays.json").read_bytes()
    with pytest.raises(FormatError, match="not a playlist layout we know"):
        read_any(data, "nested.json", limits=Limits(max_depth=600))
    with pytest.raises(FormatError, match="nests more than 64 levels deep"):
        read_any(data, "nested.json")


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    title = "[" * 200 + '{\\"' + "{" * 200
    data = ('{"playlist": {"title": "x", "track": [{"title": "' + title + '"}]}}').encode()
    parsed = read_any(data, "list.jspf")
    assert parsed.playlists[0].tracks[0].title == title.replace('\\"', '"')


@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_cell_is_written_inert_and_read_back_as_it_was(text: str) -> None:
    track = TrackRecord(title=text, artists=(text,), album=text, source_id="id-1")
    data = write_csv([PlaylistRecord(name=text, tracks=[track])])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for cell in rows[1]:
        assert not cell.startswith(FORMULA_STARTS), f"live cell {cell!r}"
    [playlist] = read_any(data, "export.csv").playlists
    [back] = playlist.tracks
    assert playlist.name == text
    assert back.title == text
    assert back.album == text


def test_neutralise_and_restore_are_inverse_for_formula_starts() -> None:
    for text in [*FORMULAS, "plain", "'quoted plain", "", "=", "'"]:
        assert restore(neutralise(text)) == text


def test_the_unmatched_export_of_a_job_keeps_formulas_inert(alice: Person) -> None:
    tracks = [TrackRecord(title=text, artists=("Someone",)) for text in FORMULAS]
    [job] = jobs_create(
        user=alice.user,
        playlists=[PlaylistRecord(name="=HYPERLINK(1)", tracks=tracks)],
        source_kind=TransferJob.SourceKind.TEXT,
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    job.tracks.update(band="not_found")
    data, _, _ = export_unmatched(job=job)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    [playlist] = read_any(data, "unmatched.csv").playlists
    assert [t.title for t in playlist.tracks] == FORMULAS
    assert playlist.name == "=HYPERLINK(1)"


def test_a_protective_tab_in_the_source_survives_the_import() -> None:
    source = "Title,Artist\r\n\t=1+1,Someone\r\n"
    [playlist] = read_any(source.encode(), "list.csv").playlists
    assert playlist.tracks[0].title == "\t=1+1"
    written = write_csv([playlist])
    assert "'\t=1+1" in written.decode("utf-8-sig")
