"""A sweep's files: ``sweep.json`` (the result), ``sweep.csv`` (every figure, one per row),
``replications.csv`` (one row per replication) and ``sweep.html`` (the summary for a director)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ballotdrill.scenarios.safetext import html_value, spreadsheet_text
from ballotdrill.scoring.exercised import UNEXERCISED
from ballotdrill.scoring.model import dumps
from ballotdrill.scoring.summary import NO_QUEUE, QUEUE_RULE
from ballotdrill.scoring.svg import Chart
from ballotdrill.sweep import charts
from ballotdrill.sweep.aggregate import CLEAR
from ballotdrill.sweep.measures import Measure, Outcome
from ballotdrill.sweep.model import (
    RATINGS,
    AxisInfo,
    Comparison,
    Difference,
    MeasureSummary,
    ObjectiveSummary,
    PointSummary,
    Share,
    SweepResult,
    axis_names,
)

MAX_DETAILED_POINTS = 12
"""Points whose objectives get histograms in the HTML; the rest are in the tables and sweep.csv."""


def render_json(result: SweepResult) -> str:
    return dumps(result.model_dump(mode="json"))


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:  # numbers as they are, None empty, text a spreadsheet would run as a formula quoted as text
        writer.writerow(["" if v is None else spreadsheet_text(v) if isinstance(v, str) else v for v in row])
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
                      undefined=StrictUndefined, finalize=html_value,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(percent=charts.run_share, value=charts.value_text, difference=charts.difference_value)
    return env


def _lines(result: SweepResult) -> dict[str, list[PointSummary]]:
    """The points along the first grid axis, one line per variant and value of the other axes."""
    lines: dict[str, list[PointSummary]] = {}
    names = axis_names([a.path for a in result.axes])
    for p in result.points:
        rest = ", ".join(f"{name}={g.value}" for name, g in zip(names[1:], p.grid[1:], strict=True))
        lines.setdefault(p.variant + (f" ({rest})" if rest else ""), []).append(p)
    return lines


def _load_axis(result: SweepResult) -> str:
    """The first grid axis (the load read along) by its name apart from the other axes (:func:`axis_names`)."""
    return axis_names([a.path for a in result.axes])[0]


def _load_charts(result: SweepResult) -> list[tuple[str, Chart]]:
    """Per objective, the chance of meeting it in the runs that exercised it against the first grid axis (a line per
    variant and value of the other axes)."""
    if not result.axes or not result.points or result.axes[0].path in result.inert:
        return []  # no load to read along an axis that changed nothing
    axis = result.axes[0]
    lines = _lines(result)
    out = []
    for k, objective in enumerate(result.points[0].objectives):
        series = [charts.Series(label, [pt.objectives[k].met_when_exercised for pt in pts])
                  for label, pts in lines.items()]
        out.append((objective.id, charts.load_chart(axis.values, series, _load_axis(result))))
    return out


LOAD_DIRECTIONS = {"background_factor": 1, "staff": -1}
"""Grid fields whose value reads as load: 1, more load as the value rises (a scenario's background factor); -1, less
(an actor's staff). Any other field has no direction of load the sweep knows."""


def load_direction(axis: AxisInfo) -> int | None:
    """Which way an axis's values raise the load (1 up, -1 down), or None when its field has no known direction or
    its values are not all numbers."""
    direction = LOAD_DIRECTIONS.get(axis.path.rsplit(".", 1)[-1])
    try:
        [float(v) for v in axis.values]
    except ValueError:
        return None
    return direction


HALF = (0.5,)
"""The mark a breaking point is read at: a share told beside it stays on its side (``49.9%``, never ``50%``)."""


def _met(share: Share, runs: int) -> str:
    met = charts.run_share(share.share, HALF)
    return met if share.runs == runs else f"{met} of the {share.runs} runs that exercised it"


def breaking_points(result: SweepResult, objective: int) -> list[str]:
    """Where each line of points (a variant, a value of the other axes) stops meeting an objective along the first
    grid axis, read along the load: the first value, from the lightest load, at which it is met in fewer than half
    the runs that exercised it. Below half already at the lightest load and at every heavier one is no breaking
    point: "at every value tried". An axis with no known direction of load gets the values below half instead."""
    axis = result.axes[0]
    field = _load_axis(result)
    direction = load_direction(axis)
    lines = _lines(result)
    return [(f"{label}: " if len(lines) > 1 else "")
            + _reading(field, direction, [(p.grid[0].value, p.objectives[objective].met_when_exercised) for p in pts],
                       result.runs) + done_text([p.objectives[objective] for p in pts], "; ")
            for label, pts in lines.items()]


def done_text(summaries: Sequence[ObjectiveSummary], lead: str = "") -> str:
    """What the runs that did not exercise an objective did all the same, over ``summaries`` (its points): its end
    step done after its incident had ended by itself (``; 'receive' was done all the same in 240 of the 240 runs that
    did not exercise it, after its incident had ended by itself, within the target in 238``); empty when none was."""
    done = sum(o.done_unexercised for o in summaries)
    if not done:
        return ""
    unplayed = sum(o.ratings[RATINGS[4]].count for o in summaries)
    within = sum(o.done_within for o in summaries)
    return (f"{lead}'{summaries[0].end_step}' was done all the same in {done} of the {unplayed} runs that did not "
            f"exercise it, after its incident had ended by itself, within the target in {within}")


def unexercised_text(objective: ObjectiveSummary) -> str:
    """Why the runs that did not exercise an objective did not, most first: ``20 still under way when the run
    stopped, within the target, 1 its subject never came in the played window``; empty when every run did."""
    counts = sorted(objective.unexercised.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{count} {UNEXERCISED.get(why, UNEXERCISED[''])}" for why, count in counts if count)


def _reading(field: str, direction: int | None, shares: Sequence[tuple[str, Share]], runs: int) -> str:
    unplayed = [v for v, s in shares if s.share is None]
    note = f"; not exercised in any run at {field} = {', '.join(unplayed)}" if unplayed else ""
    played = [(v, s.share, s) for v, s in shares if s.share is not None]
    if not played:
        return f"not exercised in any run at any {field} tried: no chance of meeting it to read"
    below = [(v, s) for v, share, s in played if share < 0.5]
    if not below:
        return f"met in at least half the runs that exercised it at every {field} tried{note}"
    if direction is None:
        return (f"no breaking point read ({field} has no direction of load the sweep knows); met in fewer than half "
                "the runs that exercised it at " + ", ".join(f"{field} = {v} ({_met(s, runs)})" for v, s in below)
                + note)
    ordered = sorted(played, key=lambda row: direction * float(row[0]))  # the lightest load first
    first = next(i for i, row in enumerate(ordered) if row[1] < 0.5)
    value, _, share = ordered[first]
    heavier = ordered[first + 1:]
    back = next((row for row in heavier if row[1] >= 0.5), None)
    if back is None and first == 0:  # below half from the lightest load on: no value broke it
        return (f"met in fewer than half the runs that exercised it at every {field} tried ("
                + ", ".join(f"{_met(s, runs)} at {v}" for v, _, s in ordered) + f"){note}")
    if back is not None:
        return (f"met in fewer than half the runs that exercised it first at {field} = {value} ({_met(share, runs)}), "
                f"but in at least half again at {field} = {back[0]} ({_met(back[2], runs)}){note}")
    if not heavier:
        return (f"met in fewer than half the runs that exercised it only at {field} = {value}, the heaviest load "
                f"tried ({_met(share, runs)}){note}")
    way = "and up" if direction > 0 else "and fewer (fewer is more load)"
    return (f"met in fewer than half the runs that exercised it from {field} = {value} {way} "
            f"({_met(share, runs)} at {value}){note}")


def same_incidents(result: SweepResult) -> str:
    """What the pairing holds: the same seeds everywhere, the same incidents only where nothing changes the
    arrivals (a grid axis under ``scenarios.`` other than an objective's does; variants change the structure only)."""
    if len(result.points) == 1:
        return f"The scenario was played {result.runs} times, each on its own seed."
    head = f"Each point was played {result.runs} times on the same {result.runs} seeds"
    arrivals = [a.path for a in result.axes if changes_arrivals(a.path) and a.path not in result.inert]
    inert = (f" {' and '.join(result.inert)} changed nothing played (no inject arrives in the background, or its "
             "values give the same scenario), so its values are the same runs."
             if result.inert else "")
    if not arrivals:
        return head + ", so every variant and every grid value faced the same random incidents." + inert
    tail = (f"; {' and '.join(arrivals)} change{'s' if len(arrivals) == 1 else ''} the incidents themselves, so "
            "different values drew different incidents from the same seeds (they share the random draws, not the "
            "incidents)")
    if result.variants:
        tail += ", while each variant faced the same incidents as the baseline at the same grid value"
    if result.limited:
        tail += (f". Background {'injects' if len(result.limited) > 1 else 'inject'} {', '.join(result.limited)} "
                 "stop at their limit, so a load factor raises the load less than it says: the incidents a run "
                 "met at each value are the measure run · incidents")
    return head + tail + "." + inert


def changes_arrivals(path: str) -> bool:
    """Whether a grid path may change which incidents arrive: anything in a scenario but its objectives and words."""
    parts = path.split(".")
    return parts[0] == "scenarios" and "objectives" not in parts and parts[-1] not in ("title", "description")


def render_html(result: SweepResult) -> str:
    """The summary page: the chance of meeting each objective and the bottleneck first, then the detail."""
    points = {p.index: p for p in result.points}
    detailed = result.points[:MAX_DETAILED_POINTS]
    hist = {(p.index, o.id): charts.histogram_chart(o.histogram, o.target, o.unit)
            for p in detailed for o in p.objectives if o.histogram is not None}
    bars = {(p.index, o.id): charts.rating_bar(o.ratings) for p in result.points for o in p.objectives}
    diffs = {c.variant_point: charts.difference_chart(c.objectives) for c in result.comparisons if c.objectives}
    breaks = [breaking_points(result, k) for k in range(len(result.points[0].objectives))] if result.axes else []
    return _environment().get_template("sweep.html.j2").render(
        r=result, points=points, detailed=detailed, hist=hist, bars=bars, diffs=diffs,
        load=_load_charts(result), breaks=breaks, axis_name=_load_axis(result) if breaks else "",
        same_incidents=same_incidents(result), ratings=RATINGS,
        colours=charts.COLOURS,
        notable=_notable, comparison_of=_comparison_of(result), difference_text=difference_text,
        unpaired=unpaired_text, not_exercised_anywhere=NOT_EXERCISED_ANYWHERE, queue_rule=QUEUE_RULE,
        unexercised=unexercised_text,
        no_queue=NO_QUEUE, longest_waits=longest_wait_text,
        value_difference=objective_value_difference, marks=measure_marks)


def measure_marks(point: PointSummary, measure: MeasureSummary) -> tuple[float, ...]:
    """The marks a measure's figures are told beside: an objective's value beside its target, so a figure never
    reads on the other side of it (``20.4`` beside a 20 target); none for any other measure."""
    if measure.section != "objective":
        return ()
    return next(((o.target,) for o in point.objectives if o.id == measure.item), ())


_VERDICT_TEXT = {"better": "better", "worse": "worse", "different": CLEAR["different"],
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
        verdict = f"within noise ({d.chance})" if d.chance else _VERDICT_TEXT[d.verdict]
        text = f"{charts.difference_value(d.mean, d.unit)}{interval} over {d.pairs} paired runs: {verdict}"
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


NOT_EXERCISED_ANYWHERE = "not exercised in any run"
"""The chance of meeting an objective no run exercised: there is none to read."""


def met_text(objective: ObjectiveSummary, runs: int) -> str:
    """The chance of meeting an objective, of the runs that exercised it: ``42% (33%–52%)``, ``12% (4%–36%) of the 16
    runs that exercised it``, or :data:`NOT_EXERCISED_ANYWHERE`."""
    met = objective.met_when_exercised
    if not met.runs:
        return NOT_EXERCISED_ANYWHERE
    return share_text(met) + ("" if met.runs == runs else f" of the {met.runs} runs that exercised it")


def share_text(share: Share) -> str:
    """``42% (33%–52%)``, ``0.5% (0.09%–3%)``; an em dash for a share of no runs."""
    if share.share is None:
        return "—"
    return f"{charts.run_share(share.share)} ({charts.run_share(share.ci_low)}–{charts.run_share(share.ci_high)})"


SHOWN_BOTTLENECKS = 3
"""Bottlenecks a one-line summary names at a point; it says how many more there are."""


def bottleneck_text(point: PointSummary, shown: int = SHOWN_BOTTLENECKS) -> str:
    """``Front desk 57% (42%–71%), Repair cell 40% (26%–55%), and 2 more (sweep.html, sweep.csv)``."""
    tops = ", ".join(f"{b.name} {share_text(b.share)}" for b in point.bottlenecks[:shown])
    more = len(point.bottlenecks) - shown
    return tops + (f", and {more} more (in sweep.html and sweep.csv)" if more > 0 else "")


SHOWN_WAITS = 2
"""Actors a point's longest-single-wait text names."""


def longest_wait_text(point: PointSummary, shown: int = SHOWN_WAITS) -> str:
    """The actors where a run's longest single wait was longest on average (mean over the runs where the actor had
    work), whether or not it made a queue, each by its name as the bottleneck shares and the report name it:
    ``Platform trust and safety 42 min, Poliisi 16 min`` (empty when no work waited). One long wait is no bottleneck,
    but what a variant does to it should show."""
    waits = sorted(((m.stat.mean, m.item) for m in point.measures
                    if m.section == "actor" and m.field == "wait_max" and m.stat.mean), key=lambda w: (-w[0], w[1]))
    return ", ".join(f"{point.actor_names.get(actor, actor)} {charts.value_text(mean, 'minutes')}"
                     for mean, actor in waits[:shown])

