"""The evaluation arithmetic: reading pairs files, pairwise confusion, retrieval verdicts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from transfer.formats.records import TrackRecord
from transfer.matching.cascade import decide
from transfer.matching.evaluation import (
    REQUIRED_COLUMNS,
    Confusion,
    Outcome,
    PairsFileError,
    Truth,
    Verdict,
    build_truth,
    confusion,
    duration_ms,
    goals,
    listing_identity,
    pairwise,
    read_pairs,
    retrieval,
    select,
)
from transfer.matching.types import Band, Candidate, MatchPolicy

DATA = Path(__file__).resolve().parents[2] / "sandbox" / "data"
HEADER = [
    "split",
    "row",
    "label",
    *(
        f"{side}_{name}"
        for side in ("itunes", "amazon")
        for name in (
            "song_name",
            "artist_name",
            "album_name",
            "genre",
            "price",
            "copyright",
            "time",
            "released",
        )
    ),
]


def write_pairs(path: Path, rows: list[tuple[str, int, tuple[str, ...], tuple[str, ...]]]) -> Path:
    """rows: (split, label, (song, artist, album, time) iTunes, (...) Amazon)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, (split, label, itunes, amazon) in enumerate(rows):
            sides = []
            for song, artist, album, time in (itunes, amazon):
                sides += [song, artist, album, "Pop", "$ 1.29", "2015 Label", time, "2015"]
            writer.writerow([split, number, label, *sides])
    return path


SONG = ("Silver and Gold", "Little Big Town", "Pain Killer", "3:33")
SONG_AMAZON = ("Silver And Gold", "Little Big Town", "Pain Killer", "3:31")
OTHER_AMAZON = ("Day Drinking", "Little Big Town", "Pain Killer", "3:25")


def test_durations_are_read_from_minutes_and_seconds() -> None:
    assert duration_ms("3:33") == 213_000
    assert duration_ms("1:02:03") == 3_723_000
    assert duration_ms("") is None
    assert duration_ms("n/a") is None


def test_a_pairs_file_is_read_as_written(tmp_path: Path) -> None:
    path = write_pairs(
        tmp_path / "pairs.csv",
        [("train", 1, SONG, SONG_AMAZON), ("valid", 0, SONG, OTHER_AMAZON)],
    )
    pairs = read_pairs(path)
    assert [p.split for p in pairs] == ["train", "valid"]
    assert [p.label for p in pairs] == [True, False]
    assert [p.index for p in pairs] == [0, 1]
    assert pairs[0].source_key == SONG
    assert pairs[0].source == TrackRecord(
        title="Silver and Gold",
        artists=("Little Big Town",),
        album="Pain Killer",
        duration_ms=213_000,
    )
    assert pairs[0].candidate.title == "Silver And Gold"
    assert len(select(pairs, "valid")) == 1
    assert len(select(pairs, "all")) == 2


def test_the_shipped_pairs_file_is_in_the_format() -> None:
    pairs = read_pairs(DATA / "itunes_amazon_pairs.csv.gz")
    assert len(pairs) == 430
    assert sum(p.label for p in pairs) == 105
    assert {p.split for p in pairs} == {"train", "valid"}


def test_a_file_in_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("title,artist\nA,B\n", encoding="utf-8")
    with pytest.raises(PairsFileError, match="itunes_song_name"):
        read_pairs(path)
    bad = write_pairs(tmp_path / "bad.csv", [("train", 1, SONG, SONG_AMAZON)])
    bad.write_text(bad.read_text().replace("train,0,1,", "train,0,yes,"), encoding="utf-8")
    with pytest.raises(PairsFileError, match="label"):
        read_pairs(bad)
    assert "label" in REQUIRED_COLUMNS


def test_confusion_counts_and_ratios() -> None:
    result = confusion([(True, True), (True, True), (True, False), (False, True), (False, False)])
    assert result == Confusion(tp=2, fp=1, fn=1, tn=1)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3)
    assert Confusion().precision is None
    assert result.as_dict()["pairs"] == 5


def test_pairwise_scores_each_pair_against_the_match_threshold(tmp_path: Path) -> None:
    path = write_pairs(
        tmp_path / "pairs.csv",
        [("valid", 1, SONG, SONG_AMAZON), ("valid", 0, SONG, OTHER_AMAZON)],
    )
    result = pairwise(read_pairs(path), MatchPolicy())
    assert result == Confusion(tp=1, fp=0, fn=0, tn=1)


def test_a_verdict_is_known_only_when_the_labels_give_it() -> None:
    truth = Truth(positives=frozenset({"A"}), negatives=frozenset({"B"}))
    assert truth.judge("A") is Verdict.RIGHT
    assert truth.judge("B") is Verdict.WRONG
    assert truth.judge("C") is Verdict.WRONG, "the row's match is known to be A"
    negatives_only = Truth(negatives=frozenset({"B"}))
    assert negatives_only.judge("B") is Verdict.WRONG
    assert negatives_only.judge("C") is Verdict.UNKNOWN


def test_truth_comes_from_every_pair_of_a_row(tmp_path: Path) -> None:
    path = write_pairs(
        tmp_path / "pairs.csv",
        [
            ("train", 1, SONG, SONG_AMAZON),
            ("valid", 0, SONG, OTHER_AMAZON),
            # Two listings the loader merged into one catalog track, labelled differently.
            ("valid", 0, SONG, SONG_AMAZON),
        ],
    )
    pairs = read_pairs(path)
    truth = build_truth(pairs, ["T1", "T2", "T1"])
    assert truth[SONG] == Truth(frozenset({"T1"}), frozenset({"T2"}))
    with pytest.raises(ValueError, match="catalog ids"):
        build_truth(pairs, ["T1"])


def test_retrieval_figures() -> None:
    keys = [(f"song {i}", "artist", "album", "3:00") for i in range(6)]
    truth = {
        keys[0]: Truth(positives=frozenset({"A0"})),
        keys[1]: Truth(positives=frozenset({"A1"})),
        keys[2]: Truth(positives=frozenset({"A2"})),
        keys[3]: Truth(negatives=frozenset({"B3"})),
        keys[4]: Truth(positives=frozenset({"A4"})),
    }
    outcomes = [
        Outcome(keys[0], Band.MATCHED, "A0"),  # right
        Outcome(keys[1], Band.MATCHED, "X"),  # wrong: the match is A1
        Outcome(keys[2], Band.REVIEW, "A2"),  # found, in review
        Outcome(keys[3], Band.MATCHED, "Y"),  # unknown
        Outcome(keys[4], Band.NOT_FOUND),  # missed
        Outcome(keys[5], Band.NOT_FOUND),  # nothing known
    ]
    result = retrieval(outcomes, truth)
    assert (result.matched, result.review, result.not_found) == (3, 1, 2)
    assert (result.matched_right, result.matched_wrong, result.matched_unknown) == (1, 1, 1)
    assert result.matched_precision == 0.5
    assert result.with_positive == 4
    assert result.found_right == 2
    assert result.found_recall == 0.5
    assert result.review_rate == pytest.approx(1 / 6)
    assert result.not_found_rate == pytest.approx(2 / 6)
    assert [o.chosen_id for o in result.wrong_rows] == ["X"]
    assert [o.chosen_id for o in result.unknown_rows] == ["Y"]
    # The rows with a labelled match not found with it: the wrong match and the not found.
    assert [o.key for o in result.missed_rows] == [keys[1], keys[4]]
    assert goals(result) == {"matched_precision": False, "found_recall": False}
    assert goals(retrieval([], {})) == {"matched_precision": None, "found_recall": None}


def test_listings_are_recognised_through_tokenisation() -> None:
    assert listing_identity("Ca n't Stop ( Live )", "Hits [ Explicit ]") == listing_identity(
        "Can't Stop (Live)", "Hits [Explicit]"
    )
    assert listing_identity("Song", "Album") != listing_identity("Song", "Album (Deluxe)")


@pytest.mark.parametrize("album", ["The Heist (Deluxe Edition)", "The Heist"])
def test_between_two_editions_of_one_recording_the_named_edition_wins(album: str) -> None:
    source = TrackRecord(
        title="Thrift Shop (feat. Wanz)",
        artists=("Macklemore & Ryan Lewis",),
        album=album,
        duration_ms=235_000,
    )
    editions = [
        Candidate(
            id=name,
            title="Thrift Shop (feat. Wanz) [Explicit]",
            artists=("Macklemore & Ryan Lewis",),
            album=name,
            duration_ms=235_000,
        )
        for name in ("The Heist [Explicit]", "The Heist [Deluxe Edition] [Explicit]")
    ]
    wanted = (
        "The Heist [Deluxe Edition] [Explicit]" if "Deluxe" in album else "The Heist [Explicit]"
    )
    for order in (editions, editions[::-1]):
        decision = decide(source, order)
        assert decision.band is Band.MATCHED
        assert decision.track_id == wanted
