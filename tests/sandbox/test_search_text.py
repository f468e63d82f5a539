"""The search engine's pure parts: tokens for index and queries, and the re-ranker."""

from __future__ import annotations

import pytest

from sandbox.search import rank
from sandbox.search.text import index_text, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Don't Stop Believin'", ("dont", "stop", "believin")),
        ("Don\u2019t Be So Hard On Yourself", ("dont", "be", "so", "hard", "on", "yourself")),
        ("Beyoncé", ("beyonce",)),
        ("MÖTLEY CRÜE", ("motley", "crue")),
        ("AC/DC", ("ac", "dc", "acdc")),
        ("Jay-Z", ("jay", "z", "jayz")),
        ("R.E.M.", ("rem",)),
        ("Ke$ha", ("kesha",)),
        ("Ty Dolla $ign", ("ty", "dolla", "sign")),
        ("Simon & Garfunkel", ("simon", "and", "garfunkel")),
        ("Hold On (Live) [Explicit]", ("hold", "on", "live", "explicit")),
    ],
)
def test_titles_and_names_become_folded_tokens(text, expected):
    assert tokens(text) == expected


def test_index_text_is_the_tokens_joined():
    assert index_text("Hold On - Remastered 2011") == "hold on remastered 2011"


def _candidate(track_id: int, title: str, artists: str, album: str, popularity: int):
    return rank.Candidate(
        id=track_id,
        fields=(tokens(title), tokens(artists), tokens(album)),
        popularity=popularity,
    )


def _free_text(query: str, documents: dict[str, int]) -> list[rank.Part]:
    total = 1_000_000
    terms = tuple(
        rank.Term(
            token=t,
            alternatives=frozenset(),
            phrases=(),
            prefix="",
            weight=rank.idf(documents.get(t, 10), total),
            optional=t in ("the", "and"),
        )
        for t in tokens(query)
    )
    return [rank.Part(columns=rank.ALL_COLUMNS, terms=terms)]


DOCS = {"hold": 5000, "on": 80000, "wilson": 300, "phillips": 400}


def test_the_exact_song_beats_its_versions_and_other_artists():
    candidates = [
        _candidate(1, "Hold On", "Justin Bieber", "Justice", 90),
        _candidate(2, "Hold On (Live)", "Wilson Phillips", "Live at Red Rocks", 60),
        _candidate(3, "Hold On", "Wilson Phillips", "Wilson Phillips", 20),
        _candidate(4, "Release Me", "Wilson Phillips", "Wilson Phillips", 95),
    ]
    ranked = rank.rank(_free_text("hold on wilson phillips", DOCS), candidates)
    assert [c.id for c in ranked] == [3, 2, 4, 1]


def test_popularity_orders_equally_good_answers():
    candidates = [
        _candidate(1, "Hold On", "Radiants", "Hold On", 10),
        _candidate(2, "Hold On", "Wilson Phillips", "Wilson Phillips", 90),
        _candidate(3, "Hold On Loosely", ".38 Special", "Wild-Eyed Southern Boys", 95),
    ]
    ranked = rank.rank(_free_text("hold on", DOCS), candidates)
    assert [c.id for c in ranked] == [2, 1, 3]


def test_an_artist_query_prefers_popular_songs_not_short_titles():
    candidates = [
        _candidate(1, "Cowboy", "Whitney Houston", "Whitney Houston", 30),
        _candidate(2, "I Will Always Love You", "Whitney Houston", "The Bodyguard", 96),
    ]
    ranked = rank.rank(_free_text("whitney houston", {"whitney": 50, "houston": 80}), candidates)
    assert [c.id for c in ranked] == [2, 1]


def test_spelling_alternatives_and_split_words_count_as_found():
    term = rank.Term("rapsody", frozenset({"rhapsody"}), (), "", 5.0, optional=False)
    assert term.found_in({"bohemian", "rhapsody"})
    joined = rank.Term("im", frozenset(), (("i", "m"),), "", 2.0, optional=False)
    assert joined.found_in({"i", "m", "better"})
    prefix = rank.Term("bohem", frozenset(), (), "bohem", 2.0, optional=False)
    assert prefix.found_in({"bohemian"})
    assert not prefix.found_in({"rhapsody"})
