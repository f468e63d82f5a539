"""Line charts as plain geometry for server-side SVG: no JavaScript, no network, readable.

``line_chart`` turns labelled series into the coordinates, gridlines and tick labels a template
draws, plus a one-sentence summary for screen readers (the page also offers the numbers as a
table). Pure: data in, numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 200
LEFT = 48  # room for the y-axis labels
RIGHT = 8
TOP = 10
BOTTOM = 24  # room for the x-axis labels


@dataclass(frozen=True)
class Series:
    name: str
    # None where there is nothing to show (a hit rate in a minute without lookups): a gap.
    values: Sequence[float | None]
    # A CSS class that picks the colour and dash pattern (dashboard.css).
    style: str = "s1"
    # "count": the values add up (calls, tracks); "percent": they do not (a hit rate).
    kind: str = "count"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    title: str
    unit: str
    labels: list[str]
    series: list[Series]
    top: float
    # Per series, its unbroken runs of points as SVG "x,y x,y" strings.
    lines: list[tuple[Series, list[str]]] = field(default_factory=list)
    # Points with no neighbour to draw a line to, drawn as dots instead: (series, x, y).
    dots: list[tuple[Series, float, float]] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    summary: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top_edge: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        """The table alternative: one row per point, one column per series."""
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]


def nice_top(value: float) -> float:
    """A round number at or above ``value`` (at least 2) whose half is a whole number, for the
    top of the scale and its middle gridline."""
    if value <= 2:
        return 2.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 10):
        top = step * power
        if value <= top and top % 2 == 0:
            return float(top)
    return float(10 * power)


def fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def line_chart(
    title: str,
    labels: list[str],
    series: list[Series],
    *,
    unit: str = "",
    top: float | None = None,
    x_ticks: int = 6,
) -> LineChart:
    points = len(labels)
    highest = max((v for s in series for v in s.values if v is not None), default=0.0)
    top = top if top is not None else nice_top(highest)
    chart = LineChart(title=title, unit=unit, labels=labels, series=series, top=top)
    plot_w = chart.right_edge - chart.left
    plot_h = chart.bottom_edge - chart.top_edge

    def x(i: int) -> float:
        return chart.left + (plot_w * i / (points - 1) if points > 1 else plot_w / 2)

    def y(v: float) -> float:
        return chart.bottom_edge - plot_h * (min(v, top) / top if top else 0)

    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((round(x(i), 1), round(y(v), 1)))
        chart.lines.append(
            (s, [" ".join(f"{px},{py}" for px, py in run) for run in runs if len(run) > 1])
        )
        chart.dots.extend((s, *run[0]) for run in runs if len(run) == 1)
    chart.y_ticks = [Tick(round(y(top * k / 2), 1), fmt(top * k / 2)) for k in range(3)]
    if points:
        step = max(1, math.ceil(points / x_ticks))
        chart.x_ticks = [Tick(round(x(i), 1), labels[i]) for i in range(0, points, step)]
    chart.summary = _summary(chart)
    return chart


def _summary(chart: LineChart) -> str:
    if not chart.labels:
        return f"{chart.title}: no data."
    parts = []
    for s in chart.series:
        known = [v for v in s.values if v is not None]
        if s.kind == "percent":
            if known:
                parts.append(f"{s.name}: between {fmt(min(known))}% and {fmt(max(known))}%")
            else:
                parts.append(f"{s.name}: no data")
            continue
        total = sum(known)
        if not total:
            parts.append(f"{s.name}: none")
            continue
        peak = max(known)
        at = chart.labels[s.values.index(peak)]
        parts.append(f"{s.name}: {fmt(total)} in all, at most {fmt(peak)} (at {at})")
    span = f"from {chart.labels[0]} to {chart.labels[-1]}"
    return f"{chart.title}, {span}. " + "; ".join(parts) + "."
