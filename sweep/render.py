"""A sweep's files: ``sweep.json`` (the result), ``sweep.csv`` (every figure, one per row),
``replications.csv`` (one row per replication) and ``sweep.html`` (the summary for a director)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ballotdrill.scenarios.safetext import csv_cell
from ballotdrill.scoring.model import dumps
from ballotdrill.scoring.text import percent
from ballotdrill.sweep import charts
from ballotdrill.sweep.measures import Measure, Outcome
from ballotdrill.sweep.model import RATINGS, Comparison, Difference, ObjectiveSummary, PointSummary, SweepResult
from ballotdrill.sweep.plan import BASELINE

MAX_DETAILED_POINTS = 12
"""Points whose objectives get histograms in the HTML; the rest are in the tables and sweep.csv."""


def render_json(result: SweepResult) -> str:
    return dumps(result.model_dump(mode="json"))


def _cell(value: Any) -> Any:
    """A CSV cell: numbers as they are; text that a spreadsheet would run as a formula, quoted as text."""
    if value is None:
        return ""
    return csv_cell(value) if isinstance(value, str) else value


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def _grid(point: PointSummary) -> str:
    return "; ".join(f"{g.path}={g.value}" for g in point.grid)


SWEEP_COLUMNS = ("point", "variant", "grid", "section", "item", "field", "unit", "runs", "count", "mean",
                 "ci_low", "ci_high", "p10", "p50", "p90", "verdict")


def render_csv(result: SweepResult) -> str:
    """Every figure of the result, one per row: measures, rating shares, bottlenecks, paired differences."""
    rows: list[list[Any]] = []
    for p in result.points:
        head = [p.index, p.variant, _grid(p)]
        for o in p.objectives:
            for rating in RATINGS:
                s = o.ratings[rating]
                rows.append([*head, "rating", o.id, rating, "share", s.runs, s.count, s.share, s.ci_low, s.ci_high,
                             None, None, None, None])
        for b in p.bottlenecks:
            s = b.share
            rows.append([*head, "bottleneck", b.actor or "none", "share", "share", s.runs, s.count, s.share,
                         s.ci_low, s.ci_high, None, None, None, None])
        for m in p.measures:
            st = m.stat
            rows.append([*head, m.section, m.item, m.field, m.unit, st.runs, st.reached, st.mean, st.ci_low,
                         st.ci_high, st.p10, st.p50, st.p90, None])
    points = {p.index: p for p in result.points}
    for c in result.comparisons:
        head = [c.variant_point, c.variant, _grid(points[c.variant_point])]
        for od in c.objectives:
            rows.append([*head, "difference", f"objective.{od.id}", "met", "share", od.variant.runs, None,
                         od.difference, od.ci_low, od.ci_high, None, None, None, od.verdict])
        for d in c.measures:
            rows.append([*head, "difference", f"{d.section}.{d.item}", d.field, d.unit, d.pairs, d.pairs, d.mean,
                         d.ci_low, d.ci_high, None, None, None, d.verdict])
    return _csv(SWEEP_COLUMNS, rows)


def render_replications(result: SweepResult, outcomes: Sequence[Outcome]) -> str:
    """One row per replication: its point, seed, ratings, bottleneck and every measure."""
    objectives = [o.id for o in result.points[0].objectives] if result.points else []
    keys: dict[Measure, None] = {}
    for o in outcomes:
        keys.update(dict.fromkeys(o.values))
    measures = sorted(keys, key=lambda m: m.key)
    header = ["point", "variant", "grid", "replication", "seed", "events", "bottleneck",
              *(f"{oid}.rating" for oid in objectives), *(m.key for m in measures)]
    points = {p.index: p for p in result.points}
    rows = ([o.point, points[o.point].variant, _grid(points[o.point]), o.replication, o.seed, o.events,
             o.bottleneck, *(o.ratings.get(oid) for oid in objectives), *(o.values.get(m) for m in measures)]
            for o in outcomes)
    return _csv(header, rows)


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("ballotdrill.sweep", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(percent=percent, value=charts.value_text)
    return env


def _load_charts(result: SweepResult) -> list[tuple[str, charts.Chart]]:
    """Per objective, the chance of meeting it against the first grid axis (a line per variant and other axes)."""
    if not result.axes or not result.points:
        return []
    axis = result.axes[0]
    lines: dict[str, list[PointSummary]] = {}
    for p in result.points:
        rest = ", ".join(f"{g.path.rsplit('.', 1)[-1]}={g.value}" for g in p.grid[1:])
        lines.setdefault(p.variant + (f" ({rest})" if rest else ""), []).append(p)
    out = []
    for k, objective in enumerate(result.points[0].objectives):
        series = [charts.Series(label, [pt.objectives[k].met for pt in pts]) for label, pts in lines.items()]
        out.append((objective.id, charts.load_chart(axis.values, series, axis.path.rsplit(".", 1)[-1])))
    return out


def breaking_point(result: SweepResult, objective: int) -> str:
    """Where the baseline stops meeting an objective along the first grid axis: the first value met in
    fewer than half the runs."""
    axis = result.axes[0]
    others = result.points[0].grid[1:]
    base = [p for p in result.points if p.variant == BASELINE and p.grid[1:] == others]
    for p in base:
        met = p.objectives[objective].met
        if met.share is not None and met.share < 0.5:
            return f"met in fewer than half the runs from {axis.path.rsplit('.', 1)[-1]} = {p.grid[0].value} " \
                   f"({percent(met.share)})"
    return f"met in at least half the runs at every {axis.path.rsplit('.', 1)[-1]} tried"


def render_html(result: SweepResult) -> str:
    """The summary page: the chance of meeting each objective and the bottleneck first, then the detail."""
    points = {p.index: p for p in result.points}
    detailed = result.points[:MAX_DETAILED_POINTS]
    hist = {(p.index, o.id): charts.histogram_chart(o.histogram, o.target, o.unit)
            for p in detailed for o in p.objectives if o.histogram is not None}
    bars = {(p.index, o.id): charts.rating_bar(o.ratings) for p in result.points for o in p.objectives}
    diffs = {c.variant_point: charts.difference_chart(c.objectives) for c in result.comparisons if c.objectives}
    breaks = [breaking_point(result, k) for k in range(len(result.points[0].objectives))] if result.axes else []
    return _environment().get_template("sweep.html.j2").render(
        r=result, points=points, detailed=detailed, hist=hist, bars=bars, diffs=diffs,
        load=_load_charts(result), breaks=breaks, ratings=RATINGS, colours=charts.COLOURS,
        notable=_notable, comparison_of=_comparison_of(result), difference_text=difference_text,
        unpaired=unpaired_text,
        value_difference=objective_value_difference)


_VERDICT_TEXT = {"better": "better", "worse": "worse", "different": "a real difference",
                 "within noise": "within noise (the interval includes no change)", "no change": "no change in any run",
                 "not comparable": "never measured in both"}


def difference_text(d: Difference) -> str:
    """``-12 min (95 % CI -19 min to -5 min) over 98 paired runs: better``, and the runs where only one side had a
    value (left out of the figure), if any."""
    if d.mean is None:
        text = _VERDICT_TEXT[d.verdict]
    elif d.verdict == "no change":
        text = f"the same in all {d.pairs} paired runs" if d.pairs > 1 else "the same in the one paired run"
    else:
        interval = (f" (95 % CI {charts.difference_value(d.ci_low, d.unit)} to "
                    f"{charts.difference_value(d.ci_high, d.unit)})" if d.ci_low is not None else "")
        text = (f"{charts.difference_value(d.mean, d.unit)}{interval} over {d.pairs} paired runs: "
                f"{_VERDICT_TEXT[d.verdict]}")
    return text + unpaired_text(d)


def unpaired_text(d: Difference) -> str:
    """The runs a paired figure leaves out, if any: ``; not in the figure: 24 runs with a value on neither side and
    1 run with a value only with the baseline``."""
    parts = [f"{n} run{'s' if n != 1 else ''} with a value {side}"
             for n, side in ((d.neither, "on neither side"), (d.only_baseline, "only with the baseline"),
                             (d.only_variant, "only with the variant")) if n]
    return f"; not in the figure: {', '.join(parts[:-1])}{' and ' if len(parts) > 1 else ''}{parts[-1]}" \
        if parts else ""


def objective_value_difference(comparison: Comparison, objective: str) -> Difference | None:
    """The paired difference of an objective's measured value, if both sides ever reached it."""
    return next((d for d in comparison.measures if d.section == "objective" and d.item == objective), None)


def _notable(comparison: Comparison) -> list[Any]:
    return [d for d in comparison.measures if d.verdict in ("better", "worse", "different")]


def _comparison_of(result: SweepResult) -> dict[int, Comparison]:
    return {c.variant_point: c for c in result.comparisons}


def objective_line(o: ObjectiveSummary) -> str:
    """``met in 42% of runs (95 % CI 33–52%)``."""
    m = o.met
    return f"met in {percent(m.share)} of runs (95 % CI {percent(m.ci_low)}–{percent(m.ci_high)})"
