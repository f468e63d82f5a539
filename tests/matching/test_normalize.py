from __future__ import annotations

import pytest

from transfer.matching.normalize import album_core, split_artists, title_parts


@pytest.mark.parametrize(
    ("title", "core"),
    [
        ("Don\u2019t Stop Me Now", "dont stop me now"),
        ("Don't Stop Me Now - Remastered 2011", "dont stop me now"),
        ("I Ca n't Go There ( Acoustic Version )", "i cant go there"),
        ("Beyoncé", "beyonce"),
        ("Rock & Roll", "rock and roll"),
        ("Illusion ( feat . Echosmith )", "illusion"),
        ("Cold Water [feat. Justin Bieber & MØ]", "cold water"),
    ],
)
def test_titles_reduce_to_a_comparable_core(title: str, core: str) -> None:
    assert title_parts(title).core == core


def test_featured_artists_come_out_of_the_title() -> None:
    parts = title_parts("Cold Water (feat. Justin Bieber & MØ)")
    assert parts.featured == ("justin bieber", "mo")


@pytest.mark.parametrize(
    ("title", "tags"),
    [
        ("Over When It's Over (Live)", {"live"}),
        ("Applause (Goldhouse Remix)", {"remix"}),
        ("We Dem Boyz Remix", {"remix"}),
        ("Hello - Radio Edit", {"radio edit"}),
        ("Yesterday - Remastered 2009", {"remaster"}),
        ("Smells Like Teen Spirit (Karaoke Version)", {"karaoke"}),
        ("Plain Song", set()),
    ],
)
def test_version_tags_are_recognised(title: str, tags: set[str]) -> None:
    assert title_parts(title).versions == tags


@pytest.mark.parametrize(
    ("title", "explicit"),
    [("Beggin' [Explicit]", True), ("Roll Up [ Clean ]", False), ("Heat Waves", None)],
)
def test_explicit_and_clean_markers(title: str, explicit: bool | None) -> None:
    assert title_parts(title).explicit is explicit


def test_two_remixes_differ_in_detail_not_in_tag() -> None:
    a = title_parts("Applause (Goldhouse Remix)")
    b = title_parts("Applause (Empire Of The Sun Remix)")
    assert a.versions == b.versions == {"remix"}
    assert a.detail != b.detail


def test_a_remaster_year_is_not_a_different_recording() -> None:
    assert title_parts("Yesterday - Remastered 2009").detail == ""


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("Drake Featuring Rihanna", ("drake", "rihanna")),
        ("Zedd, Maren Morris & Grey", ("zedd", "maren morris", "grey")),
        ("The Beatles", ("beatles",)),
        ("Silk Sonic (Bruno Mars & Anderson .Paak)", ("silk sonic bruno mars", "anderson paak")),
    ],
)
def test_artist_credits_split_into_names(credit: str, names: tuple[str, ...]) -> None:
    assert split_artists(credit) == names


def test_album_edition_noise_is_removed() -> None:
    assert album_core("Glitterbug (Deluxe Edition)")[0] == "glitterbug"
    assert album_core("Nothing But the Beat 2.0 [ Explicit ]") == ("nothing but the beat 2 0", True)
