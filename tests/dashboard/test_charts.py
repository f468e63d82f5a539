"""Chart geometry: lines inside the plot, gaps where there is no data, words for screen readers."""

from __future__ import annotations

import pytest

from transfer.dashboard.charts import Series, line_chart, nice_top


@pytest.mark.parametrize(
    ("value", "top"), [(0, 2), (1, 2), (3, 4), (7, 10), (12, 20), (45, 50), (180, 200), (501, 1000)]
)
def test_the_scale_ends_at_a_round_number_above_the_highest_value(value: float, top: float) -> None:
    assert nice_top(value) == top


def test_points_stay_inside_the_plot_and_the_highest_reaches_the_scale() -> None:
    chart = line_chart("Calls", ["10:00", "10:01", "10:02"], [Series("Calls", [0, 50, 100])])
    [(_, [points])] = chart.lines
    coords = [tuple(map(float, p.split(","))) for p in points.split()]
    assert [x for x, _ in coords] == sorted(x for x, _ in coords)
    assert all(chart.left <= x <= chart.right_edge for x, _ in coords)
    assert coords[0][1] == chart.bottom_edge
    assert coords[2][1] == chart.top_edge, "100 is the top of a 0-100 scale"
    assert [t.label for t in chart.y_ticks] == ["0", "50", "100"]


def test_missing_values_break_the_line_and_lone_points_become_dots() -> None:
    chart = line_chart(
        "Hit rate",
        ["a", "b", "c", "d", "e"],
        [Series("Hit rate", [50, 60, None, 80, None], kind="percent")],
        top=100,
    )
    [(_, runs)] = chart.lines
    assert len(runs) == 1
    assert len(chart.dots) == 1, "d has no neighbour to join"
    assert "between 50% and 80%" in chart.summary


def test_the_summary_says_totals_and_peaks_in_words() -> None:
    chart = line_chart(
        "Tracks matched",
        ["14:00", "14:01", "14:02"],
        [Series("Tracks", [3, 9, 0]), Series("Errors", [0, 0, 0])],
    )
    assert chart.summary == (
        "Tracks matched, from 14:00 to 14:02. Tracks: 12 in all, at most 9 (at 14:01); "
        "Errors: none."
    )
    assert chart.rows == [("14:00", [3, 0]), ("14:01", [9, 0]), ("14:02", [0, 0])]
