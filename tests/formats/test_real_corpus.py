"""Files people published, read right: every track's title and artists (tests/formats/data/real).

The expected values in manifest.json were written by reading each file, not by running our
readers; corpus.py also counts the files read right per layout for any checkout.
"""

from __future__ import annotations

import pytest

from tests.formats.corpus import REAL, differences, manifest
from transfer.formats import read_any

ENTRIES = manifest()


def test_the_corpus_is_big_and_varied_enough() -> None:
    assert len(ENTRIES) >= 40
    assert len({entry["layout"] for entry in ENTRIES}) >= 15
    files = {path.relative_to(REAL).as_posix() for path in REAL.rglob("*") if path.is_file()}
    assert files - {"manifest.json", "README.md"} == {entry["file"] for entry in ENTRIES}


def test_every_file_has_its_origin_in_the_readme() -> None:
    readme = (REAL / "README.md").read_text("utf-8")
    for entry in ENTRIES:
        assert f"`{entry['file']}`" in readme


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["file"] for entry in ENTRIES])
def test_real_file_is_read_right(entry: dict[str, object]) -> None:
    path = REAL / str(entry["file"])
    result = read_any(path.read_bytes(), path.name)
    assert differences(entry, result) == []
