"""The sweep summary's SVG charts as plain shapes; the template writes them out (autoescaped, no script).

Charts: a stacked bar of rating shares, a histogram of an objective's value with its target,
the chance of meeting each objective against the grid's load, and paired differences with
their intervals against zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ballotdrill.scoring.svg import Chart
from ballotdrill.scoring.text import minutes, number, percent, points, signed, told_against
from ballotdrill.sweep.model import RATINGS, Histogram, ObjectiveDifference, Share

COLOURS = {"P": "#2e7d32", "S": "#8bb22c", "M": "#e67e22", "U": "#c62828", "not exercised": "#9aa3b2"}
SERIES = ("#1f3a5f", "#2f6db5", "#e67e22", "#8e44ad", "#16a085", "#c0392b", "#7f8c8d")


SECONDS_BELOW = 10.0
"""A time under this many minutes is told with its seconds in a sweep's texts (page, terminal, JSON)."""


def duration(value: float, sign: str = "", against: Sequence[float] = ()) -> str:
    """A time in a sweep's texts, the one rule for its page, terminal and JSON: under :data:`SECONDS_BELOW` minutes
    with its seconds (``1 min 14 s``, ``45 s``), so an interval of a quantity of a minute or so never loses up to 30 s
    to rounding (-1.23 min is never ``-1 min``); longer as the report tells it (``12 min``, ``1 h 05 min``).
    ``sign``: ``+`` to sign a positive time too (a difference). ``against``: the marks it is told beside (a target),
    kept on their sides as the report keeps them (:func:`~ballotdrill.scoring.text.told_against`): 59 min 40 s beside
    a 1 h target is never ``1 h 00 min``."""
    seconds = round(abs(value) * 60)
    whole, rest = divmod(seconds, 60)
    lead = sign if value > 0 else ""
    shown = round(value) if whole >= SECONDS_BELOW else (seconds if value >= 0 else -seconds) / 60
    told = told_against(shown, value, against) if against else ""
    if told:
        return lead + told
    if whole >= SECONDS_BELOW:
        return lead + minutes(value)
    mark = ("-" if value < 0 else sign) if seconds else ""
    return f"{mark}{whole} min {rest:02d} s" if whole else f"{mark}{rest} s"


SHARE_EDGES = (0.0, 1.0)
"""A share is told on its side of none and all: 1 run of 200 is "0.5%", never "0%" (which reads as never)."""


def run_share(value: float | None, against: Sequence[float] = ()) -> str:
    """A share of runs (or an interval's bound) as a percent on its side of none and all and of ``against`` (the
    half a breaking point is read at): ``0.5%`` for 1 run of 200, ``49.9%`` beside one in two, never ``50%``."""
    return percent(value, (*SHARE_EDGES, *against))


def value_text(value: float | None, unit: str, against: Sequence[float] = ()) -> str:
    """A measure's value in its unit: minutes as ``1 h 05 min``, shares as ``87%``, people as ``12,345``.
    ``against``: the marks it is told beside (an objective's target), kept on their sides as the report keeps them
    (``20.4`` people beside a 20 target, never ``20``; ``59 min 40 s`` beside 1 h, never ``1 h 00 min``)."""
    if value is None:
        return "—"
    if unit == "minutes":
        return duration(value, against=against)
    if unit == "share":
        return percent(value, against)
    if unit == "count" and not against:
        return f"{value:,.1f}".removesuffix(".0")
    return number(value, against)


def difference_value(value: float | None, unit: str) -> str:
    """A paired difference of a measure in its unit, signed, never rounded to a zero it is not: ``-1 min 14 s``,
    ``-26 s``, ``-0.3 s``, ``+12 min``, ``+0.4 points``, ``+84 people``, ``-0.3`` (a count)."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{points(value)} points"
    if unit == "minutes":
        return duration(value, "+") if round(value * 60) else signed(value * 60, " s")  # "-0.3 s": never a false 0
    return signed(value, "" if unit in ("count", "") else f" {unit}")


def rating_bar(ratings: dict[str, Share], width: float = 260.0) -> Chart:
    """The runs' ratings as one stacked bar, P to not exercised."""
    chart = Chart(width, 16.0, "share of runs by rating: " + ", ".join(
        f"{r} {run_share(ratings[r].share)}" for r in RATINGS))
    x = 0.0
    for rating in RATINGS:
        part = ratings[rating].share or 0.0
        if part > 0:
            chart.add("rect", title=f"{rating}: {ratings[rating].count} of {ratings[rating].runs} runs",
                      x=x, y=0.0, width=part * width, height=16.0, fill=COLOURS[rating])
        x += part * width
    return chart


def histogram_chart(hist: Histogram, target: float, unit: str, width: float = 300.0) -> Chart:
    """The value's distribution over the runs that reached it, with the target as a dashed line; every value on it
    told on its side of the target (a bin's edge of 59 min 40 s is never ``1 h 00 min`` beside a 1 h target)."""
    height, base = 84.0, 66.0

    def told(value: float) -> str:
        return value_text(value, unit, (target,))

    top = max(hist.counts) or 1
    chart = Chart(width, height, f"distribution of the value from {told(hist.low)} "
                                 f"to {told(hist.high)}; target {told(target)}")
    bar = width / len(hist.counts)
    step = (hist.high - hist.low) / len(hist.counts)
    for i, count in enumerate(hist.counts):
        if count:
            h = (base - 4) * count / top
            low = hist.low + i * step
            chart.add("rect", title=f"{told(low)} – {told(low + step)}: {count} run{'s' if count != 1 else ''}",
                      x=i * bar + 0.5, y=base - h, width=max(bar - 1, 1.0), height=h, fill="#2f6db5")
    chart.add("line", x1=0.0, y1=base, x2=width, y2=base, stroke="#5b6475", stroke_width=1.0)
    tx = (target - hist.low) / (hist.high - hist.low) * width
    chart.add("line", title=f"target {told(target)}", x1=tx, y1=0.0, x2=tx, y2=base,
              stroke="#c62828", stroke_width=1.5, stroke_dasharray="4 3")
    chart.add("text", told(hist.low), x=0.0, y=height - 4, font_size=11, fill="#5b6475")
    chart.add("text", told(hist.high), x=width, y=height - 4, font_size=11, fill="#5b6475",
              text_anchor="end")
    return chart


@dataclass(frozen=True)
class Series:
    """One line of a load chart: a label and the chance of meeting the objective at each grid value."""

    label: str
    shares: list[Share]


def load_chart(values: Sequence[str], series: Sequence[Series], axis: str, width: float = 560.0) -> Chart:
    """The chance of meeting an objective (the shares given: e.g. of the runs that exercised it rated P, with
    intervals) at each value of the grid axis."""
    left, right, top, bottom = 44.0, 16.0, 12.0, 62.0
    height = 226.0
    plot_w, plot_h = width - left - right, height - top - bottom
    chart = Chart(width, height, f"share of the runs that exercised it rated P against {axis}")

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / len(values))

    def y(p: float) -> float:
        return top + plot_h * (1 - p)

    for p in (0.0, 0.25, 0.5, 0.75, 1.0):
        chart.add("line", x1=left, y1=y(p), x2=width - right, y2=y(p), stroke="#d9dee7" if p != 0.5 else "#9aa3b2",
                  stroke_width=1.0, stroke_dasharray="" if p != 0.5 else "4 3")
        chart.add("text", percent(p), x=left - 6, y=y(p) + 4, font_size=11, fill="#5b6475", text_anchor="end")
    for i, value in enumerate(values):
        chart.add("text", value, x=x(i), y=height - bottom + 16, font_size=11, fill="#1d2433", text_anchor="middle")
    chart.add("text", axis, x=left + plot_w / 2, y=height - bottom + 31, font_size=11, fill="#5b6475",
              text_anchor="middle")
    for k, line in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        points = [(x(i), y(s.share)) for i, s in enumerate(line.shares) if s.share is not None]
        if len(points) > 1:
            chart.add("polyline", points=" ".join(f"{px:.1f},{py:.1f}" for px, py in points), fill="none",
                      stroke=colour, stroke_width=2.0)
        for i, s in enumerate(line.shares):
            if s.share is None or s.ci_low is None or s.ci_high is None:
                continue
            tip = (f"{line.label} at {values[i]}: met in {s.count} of the {s.runs} runs that exercised it "
                   f"({run_share(s.share, (0.5,))}, "
                   f"95 % CI {run_share(s.ci_low)}–{run_share(s.ci_high)})")
            chart.add("line", x1=x(i), y1=y(s.ci_low), x2=x(i), y2=y(s.ci_high), stroke=colour, stroke_width=1.0)
            chart.add("circle", title=tip, cx=x(i), cy=y(s.share), r=4.0, fill=colour)
    for k, line in enumerate(series):
        lx = left + 8 + k * 150
        chart.add("rect", x=lx, y=height - 14, width=10.0, height=10.0, fill=SERIES[k % len(SERIES)])
        chart.add("text", line.label[:22], x=lx + 14, y=height - 5, font_size=11, fill="#1d2433")
    return chart


def difference_chart(rows: Sequence[ObjectiveDifference], width: float = 560.0) -> Chart:
    """Each objective's change in the chance of meeting it (variant − baseline, points) with its interval."""
    left, right, row_h = 70.0, 20.0, 22.0
    height = row_h * len(rows) + 28
    plot_w = width - left - right
    chart = Chart(width, height, "paired difference in the share of runs rated P, with 95 % intervals")

    def x(d: float) -> float:
        return left + plot_w * (d + 1) / 2

    for d in (-1.0, -0.5, 0.0, 0.5, 1.0):
        chart.add("line", x1=x(d), y1=0.0, x2=x(d), y2=height - 20, stroke="#5b6475" if d == 0 else "#d9dee7",
                  stroke_width=1.0)
        chart.add("text", f"{d * 100:+.0f}" if d else "0", x=x(d), y=height - 6, font_size=11, fill="#5b6475",
                  text_anchor="middle")
    for i, row in enumerate(rows):
        cy = row_h * i + row_h / 2
        chart.add("text", row.id, x=left - 8, y=cy + 4, font_size=12, fill="#1d2433", text_anchor="end")
        if row.difference is None:
            continue
        colour = {"better": "#2e7d32", "worse": "#c62828"}.get(row.verdict, "#5b6475")
        if row.ci_low is not None and row.ci_high is not None:
            chart.add("line", x1=x(row.ci_low), y1=cy, x2=x(row.ci_high), y2=cy, stroke=colour, stroke_width=2.0)
        chart.add("circle", title=row.text, cx=x(row.difference), cy=cy, r=4.5, fill=colour)
    return chart
