"""The measurement commands run end to end at tiny sizes and print their figures.

Real parts only: each command starts its own sandbox server, and bench_transfer real Celery
worker processes on the test database and Redis. No figure is held to a goal here; the goals
are checked in the commands' own output at full size.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from transfer.matching.evaluation import open_pairs
from transfer.transfers.models import TransferJob

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PAIRS = Path(__file__).resolve().parents[2] / "sandbox" / "data" / "itunes_amazon_pairs.csv.gz"


def small_pairs_file(path: Path, rows: int = 20) -> Path:
    """``rows`` pairs of the shipped file, positives and negatives, all in the valid split."""
    with open_pairs(PAIRS) as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        everything = list(reader)
    positives = [r for r in everything if r["label"] == "1"][: rows // 2]
    negatives = [r for r in everything if r["label"] == "0"][: rows - len(positives)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        for row in positives + negatives:
            writer.writerow({**row, "split": "valid"})
    return path


def test_evaluate_matching_prints_pairwise_and_retrieval_figures(tmp_path: Path) -> None:
    pairs = small_pairs_file(tmp_path / "pairs.csv")
    out = io.StringIO()
    call_command(
        "evaluate_matching",
        pairs=pairs,
        split="valid",
        decoys=10_000,
        json=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    report = json.loads(out.getvalue())
    assert report["pairwise"]["pairs"] == 20
    assert report["pairwise"]["positives"] == 10
    for name in ("precision", "recall"):
        assert 0 <= report["pairwise"][name] <= 1
    retrieval = report["retrieval"]
    assert retrieval["rows"] == retrieval["matched"] + retrieval["review"] + retrieval["not_found"]
    assert 0 < retrieval["rows"] <= 20
    assert retrieval["rows_with_positive"] > 0
    for name in ("matched_precision", "found_recall", "review_rate", "not_found_rate"):
        assert retrieval[name] is None or 0 <= retrieval[name] <= 1
    assert retrieval["catalog"]["listings"] > 0
    assert retrieval["api_calls"] > 0
    # The person and the job made for the measurement are gone again.
    assert not User.objects.exists()
    assert not TransferJob.objects.exists()


def test_evaluate_matching_prints_a_table(tmp_path: Path) -> None:
    pairs = small_pairs_file(tmp_path / "pairs.csv")
    out = io.StringIO()
    call_command("evaluate_matching", pairs=pairs, pairwise_only=True, stdout=out)
    text = out.getvalue()
    assert "Pairwise: 20 labelled pairs (10 same)" in text
    assert "precision" in text
    assert "recall" in text


def test_bench_transfer_runs_the_three_phases_and_prints_the_figures() -> None:
    out = io.StringIO()
    call_command(
        "bench_transfer",
        tracks=200,
        copy=100,
        workers=1,
        catalog=10_000,
        rate=50,
        timeout=150,
        json=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    report = json.loads(out.getvalue())
    assert [p["name"] for p in report["phases"]] == ["import", "copy", "re-run (warm)"]
    imported, copied, rerun = report["phases"]
    assert imported["tracks"] == 200
    assert copied["tracks"] == 100
    assert rerun["tracks"] == 200
    for phase in report["phases"]:
        assert phase["state"] == "done"
        for name in ("tracks_per_second", "calls_per_track", "achieved_over_limit", "failed"):
            assert phase[name] is not None
    assert imported["calls"] > 0
    assert rerun["decision_cache_hit_rate"] is not None
    for phase in report["phases"]:
        assert phase["limit"]
        assert phase["cpu_cores_used"]["machine"] >= phase["cpu_cores_used"]["workers"] > 0
    assert set(report["goals"]) == {
        "import_rate_over_limit",
        "no_failed_track",
        "warm_calls_per_track",
    }


def test_bench_transfer_fairness_times_a_small_job_alone_and_behind_a_big_one() -> None:
    out = io.StringIO()
    call_command(
        "bench_transfer",
        fairness=True,
        tracks=300,
        small=10,
        workers=2,
        catalog=10_000,
        rate=50,
        timeout=150,
        json=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    report = json.loads(out.getvalue())
    fairness = report["fairness"]
    assert fairness["small_idle_s"] > 0
    assert fairness["small_behind_big_s"] > 0
    assert fairness["small_states"] == ["done", "done"]
    assert (fairness["big_tracks"], fairness["big_state"]) == (300, "done")
    assert fairness["big_rate_over_limit"] is not None
    assert fairness["big_matching_calls"] > 0
    assert set(report["goals"]) == {
        "small_behind_big_at_most_2x_idle",
        "big_rate_over_limit",
        "big_matching_rate_over_limit",
    }


def test_bench_sandbox_prints_the_stand_ins_cpu_per_search_and_per_add() -> None:
    out = io.StringIO()
    call_command("bench_sandbox", catalog=10_000, requests=30, adds=3, json=True, stdout=out)
    report = json.loads(out.getvalue())
    for kind, sent in (("search", 30), ("add", 3), ("spotify_search", 30), ("spotify_add", 3)):
        assert report[kind]["requests"] == sent
        assert report[kind]["cpu_ms_per_request"] >= 0
    assert report["goal_ms"] == 8.0


def test_bench_matcher_prints_tracks_per_second() -> None:
    out = io.StringIO()
    call_command("bench_matcher", tracks=200, repeat=1, json=True, stdout=out)
    report = json.loads(out.getvalue())
    assert report["cold_tracks_per_second"] > 0
    assert report["warm_tracks_per_second"] > 0
    assert report["goal"] == 10000


def test_bench_upload_posts_a_library_through_gunicorn_and_a_worker() -> None:
    out = io.StringIO()
    call_command("bench_upload", tracks=300, json=True, stdout=out)
    report = json.loads(out.getvalue())
    assert report["tracks"] == 300
    assert report["track_rows_created"] == 300
    assert report["request_status"] == 302
    assert report["preview_status"] == 200
    assert report["parse_seconds"] > 0
    assert report["worker_peak_added_bytes_per_track"] > 0
