"""From the replications' outcomes to the sweep's answer: distributions, rating shares, paired differences.

Outcomes arrive sorted by point and replication; every figure is computed from them in that
order, so the result does not depend on how many workers ran them or where.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ballotdrill.scenarios import ScenarioFile
from ballotdrill.scenarios.scenario import Objective
from ballotdrill.scoring.text import measure_value, points, same_sides
from ballotdrill.sweep.measures import (
    ACTOR_FIELDS,
    CHANNEL_FIELDS,
    HARM_FIELDS,
    INCIDENT_FIELDS,
    NO_BOTTLENECK,
    RUN_FIELDS,
    Measure,
    Outcome,
    absent,
    lower_is_better,
    unit,
)
from ballotdrill.sweep.model import (
    RATINGS,
    ActorShare,
    AxisInfo,
    Comparison,
    Difference,
    GridValue,
    Histogram,
    MeasureSummary,
    ObjectiveDifference,
    ObjectiveSummary,
    PointSummary,
    Share,
    Stat,
    SweepResult,
    VariantInfo,
    Verdict,
)
from ballotdrill.sweep.plan import BASELINE, Axis, Point, Variant
from ballotdrill.sweep.stats import mean_ci, paired_share_ci, percentile, runs_to_narrow, share_ci, too_few_changed

BINS = 20
_SECTIONS = {"run": RUN_FIELDS, "objective": ("value",), "incident": INCIDENT_FIELDS, "harm": HARM_FIELDS,
             "actor": ACTOR_FIELDS, "channel": CHANNEL_FIELDS}
_SECTION_ORDER = list(_SECTIONS)


def rating_category(rating: str) -> str:
    """P, S, M or U as rated; anything else (an objective not exercised in the run) as ``not exercised``."""
    return rating if rating in RATINGS[:4] else RATINGS[4]


def _r(value: float | None, against: Sequence[float] = ()) -> float | None:
    """``value`` to 4 decimals, but a value that is not zero never rounded to 0: it keeps 3 significant digits, so
    an interval bound of 0.00003 (a share: +0.003 points) still shows the sign its verdict was taken on; nor rounded
    onto or across a mark of ``against`` (an objective's target) it is not on: it keeps the digits that hold its side
    (60.00003 beside a 60 target, never 60.0)."""
    if value is None:
        return None
    out = round(value, 4)
    for digits in range(5, 10):  # the figure a spreadsheet reads stays on its side of the target, as the page's
        if same_sides(out, value, against):
            break
        out = round(value, digits)
    if out == 0:
        return float(f"{value:.3g}") if value else 0.0  # never -0.0
    return out


class _Value(NamedTuple):
    applies: bool
    """False: nothing to measure in this run (an incident that did not happen has no times)."""
    value: float | None
    """None: the measure's end point never happened (an incident never contained)."""


def _value(o: Outcome, key: Measure) -> _Value:
    """A run's value of a measure: as measured, or for an item the run's scores did not list, 0 for what counts
    (a channel nobody used carried 0 attempts) and nothing for the rest."""
    if key in o.values:
        return _Value(True, o.values[key])
    zero = absent(key)
    return _Value(zero is not None, zero)


_UNLISTED = _Value(False, None)
"""What :meth:`dict.get` answers for a measure a run did not list (a measure's value may itself be None)."""


def _applying(outcomes: Sequence[Outcome], key: Measure) -> list[float | None]:
    """A measure's values over the runs where it applies (None: its end point never happened): :func:`_value` of each
    run, one look-up a run."""
    zero, unlisted = absent(key), _UNLISTED
    values: list[float | None] = []
    for o in outcomes:
        value = o.values.get(key, unlisted)
        if value is not unlisted:
            values.append(value)  # type: ignore[arg-type]  # a run's own value (or None)
        elif zero is not None:
            values.append(zero)
    return values


def _bounds(unit_name: str, values: Sequence[float]) -> tuple[float | None, float | None]:
    """What a measure's mean can be at all: a share 0 … 1, anything else not below 0 (counts, times, harm) when no
    value is."""
    if unit_name == "share":
        return 0.0, 1.0
    return (0.0 if all(v >= 0 for v in values) else None), None


def stat(values: Sequence[float | None], unit_name: str = "", against: Sequence[float] = ()) -> Stat:
    """The distribution of a measure over the runs where it applied (None: its end point never happened); its
    interval within what the measure can be (``unit_name``: a share 0 … 1, the rest not below 0). ``against``: the
    marks its figures are read beside (an objective's target), each kept on its side of them (:func:`_r`)."""
    given = [v for v in values if v is not None]
    if not given:
        return Stat(runs=len(values), reached=0)
    ordered = sorted(given)
    ci = mean_ci(given, _bounds(unit_name, given))

    def kept(value: float | None) -> float | None:
        return _r(value, against)

    return Stat(runs=len(values), reached=len(given), mean=kept(ci.mean), sd=_r(ci.sd), ci_low=kept(ci.low),
                ci_high=kept(ci.high), p10=kept(percentile(ordered, 0.1)), p50=kept(percentile(ordered, 0.5)),
                p90=kept(percentile(ordered, 0.9)), min=kept(ordered[0]), max=kept(ordered[-1]))


def share(count: int, runs: int) -> Share:
    ci = share_ci(count, runs)
    return Share(count=count, runs=runs, share=_r(ci.share), ci_low=_r(ci.low), ci_high=_r(ci.high))


def histogram(values: Sequence[float], target: float | None = None) -> Histogram | None:
    """Equal bins over the values' range (widened to show the target)."""
    if not values:
        return None
    low, high = min(values), max(values)
    if target is not None:
        low, high = min(low, target), max(high, target)
    if high == low:
        high = low + 1.0
    width = (high - low) / BINS
    counts = [0] * BINS
    for value in values:
        counts[min(BINS - 1, int((value - low) / width))] += 1
    marks = () if target is None else (target,)  # its ends on their side of the target, as the values
    return Histogram(low=_r(low, marks) or 0.0, high=_r(high, marks) or 0.0, counts=counts)


def _measure_order(measure: Measure) -> tuple[int, str, int]:
    fields = _SECTIONS[measure.section]
    return _SECTION_ORDER.index(measure.section), measure.item, fields.index(measure.field)


def _objective(objective: Objective, outcomes: Sequence[Outcome]) -> ObjectiveSummary:
    key = Measure("objective", objective.id, "value")
    values = [o.values.get(key) for o in outcomes]
    counts = Counter(rating_category(o.ratings.get(objective.id, "")) for o in outcomes)
    runs = len(outcomes)
    exercised = runs - counts[RATINGS[4]]
    kind, target = objective.measure.kind, objective.target_value
    target_text = objective.target if isinstance(objective.target, str) else measure_value(kind, target)
    end = objective.measure.interval.end if objective.measure.interval is not None else None
    # not exercised, yet a time to its end step: that step was done after its incident had ended by itself
    done = [v for o, v in zip(outcomes, values, strict=True)
            if v is not None and end is not None and end.step is not None
            and rating_category(o.ratings.get(objective.id, "")) == RATINGS[4]]
    return ObjectiveSummary(
        id=objective.id, capability=objective.capability, description=objective.description, kind=kind,
        unit=unit(key, kind), target=target, target_text=str(target_text), lower_is_better=objective.lower_is_better,
        value=stat(values, unit(key, kind), (target,)),
        histogram=histogram([v for v in values if v is not None], target),
        ratings={r: share(counts[r], runs) for r in RATINGS}, met=share(counts["P"], runs),
        met_when_exercised=share(counts["P"], exercised), done_unexercised=len(done),
        done_within=sum(v <= target + 1e-9 for v in done), end_step=end.step or "" if end is not None else "",
        unexercised=dict(Counter(o.unexercised.get(objective.id, "") for o in outcomes
                                 if rating_category(o.ratings.get(objective.id, "")) == RATINGS[4])))


def summarise_point(point: Point, scenario: str, outcomes: Sequence[Outcome]) -> PointSummary:
    """Every measure, objective and bottleneck share of one point's replications."""
    sc = point.doc.scenarios[scenario]
    keys: dict[Measure, None] = {}
    for o in outcomes:
        keys.update(dict.fromkeys(o.values))
    measures = []
    objectives = {o.id: o for o in sc.objectives}
    for key in sorted(keys, key=_measure_order):
        values = _applying(outcomes, key)
        if key.section not in ("run", "objective") and not any(values):
            continue  # zero or unreached in every run: nothing to show (e.g. the reach of an outage)
        objective = objectives.get(key.item) if key.section == "objective" else None
        unit_name = unit(key, objective.measure.kind if objective else "")
        measures.append(MeasureSummary(
            section=key.section, item=key.item, field=key.field, unit=unit_name,
            lower_is_better=objective.lower_is_better if objective else lower_is_better(key),
            stat=stat(values, unit_name, (objective.target_value,) if objective else ())))
    runs = len(outcomes)
    tops = Counter(o.bottleneck for o in outcomes)
    names = {k: a.name or k for k, a in point.doc.structure.actors.items()}
    bottlenecks = [ActorShare(actor=actor, name=names.get(actor, actor) if actor else NO_BOTTLENECK,
                              share=share(count, runs))
                   for actor, count in sorted(tops.items(), key=lambda kv: (-kv[1], kv[0] or ""))]
    events = math.fsum(o.events for o in outcomes) / runs if runs else 0.0
    return PointSummary(
        index=point.index, variant=point.variant, grid=[GridValue(path=p, value=v) for p, v in point.grid],
        label=point.label, runs=runs, events_mean=round(events, 1),
        objectives=[_objective(obj, outcomes) for obj in sc.objectives], bottlenecks=bottlenecks,
        measures=measures, actor_names=names)


class _Verdict(NamedTuple):
    verdict: Verdict
    chance: str
    """Why a difference whose interval excludes no change is still within noise (:func:`too_few_changed`), or empty."""


def _verdict(diffs: Sequence[float], low: float | None, high: float | None,
             lower: bool | None, mean: float, one_sided: int = 0) -> _Verdict:
    """Every paired verdict: the interval must exclude no change and the changed runs must pass the exact sign test."""
    if not diffs:
        return _Verdict("not comparable", "")
    if all(d == 0 for d in diffs) and not one_sided:
        return _Verdict("no change", "")
    if low is None or high is None or low <= 0 <= high:
        return _Verdict("within noise", "")
    chance = too_few_changed(diffs)
    if chance:
        return _Verdict("within noise", chance)
    if lower is None:
        return _Verdict("different", "")
    return _Verdict("better" if (mean < 0) == lower else "worse", "")


def difference(key: Measure, kind: str, lower: bool | None, base: Sequence[Outcome],
               variant: Sequence[Outcome]) -> Difference:
    """Variant minus baseline of one measure, replication by replication (same seeds), over the runs where both
    have a value (a count is 0 where its item did not happen); the runs where only one side has one (an incident
    contained only with the variant) are counted apart, never silently dropped."""
    diffs: list[float] = []
    only_baseline = only_variant = neither = 0
    for a, b in zip(base, variant, strict=True):
        x, y = _value(a, key).value, _value(b, key).value
        if x is not None and y is not None:
            diffs.append(y - x)
        elif x is not None:
            only_baseline += 1
        elif y is not None:
            only_variant += 1
        else:
            neither += 1
    ci = mean_ci(diffs, (-1.0, 1.0) if unit(key, kind) == "share" else (None, None)) if diffs else None
    verdict = (_verdict(diffs, ci.low, ci.high, lower, ci.mean, only_baseline + only_variant) if ci
               else _Verdict("not comparable", ""))
    return Difference(
        section=key.section, item=key.item, field=key.field, unit=unit(key, kind), lower_is_better=lower,
        pairs=len(diffs), only_baseline=only_baseline, only_variant=only_variant, neither=neither,
        mean=_r(ci.mean) if ci else None, ci_low=_r(ci.low) if ci else None, ci_high=_r(ci.high) if ci else None,
        verdict=verdict.verdict, chance=verdict.chance)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


def _two_shares(first: float | None, second: float | None, runs: int) -> tuple[str, str]:
    """Two shares of ``runs`` runs as whole percents when every share of that many runs is one (``runs`` divides
    100), else both with one decimal (``66.7%`` and ``0.0%`` of 30, as ``60.0%`` beside it: one precision for every
    line over the same runs, which is the precision of the change in points shown beside them)."""
    if first is None or second is None:
        return _pct(first), _pct(second)
    if runs and 100 % runs == 0:
        return _pct(first), _pct(second)
    return f"{first * 100:.1f}%", f"{second * 100:.1f}%"


def _moves(pairs: Iterable[tuple[str, str]]) -> str:
    """``S → P in 33, M → P in 4``: each change of rating and in how many paired runs, the most frequent first."""
    return ", ".join(f"{x} → {y} in {n}" for (x, y), n in Counter(pairs).most_common())


CLEAR = {"better": "a clear improvement in the model (more than chance explains in these runs)",
         "worse": "a clear deterioration in the model (more than chance explains in these runs)",
         "different": "a clear difference in the model (more than chance explains in these runs)"}
"""A verdict whose interval excludes no change, in words: clear in the simulated runs, not observed."""


def objective_difference(objective: Objective, base: Sequence[Outcome], variant: Sequence[Outcome],
                         variant_name: str) -> ObjectiveDifference:
    """How much the chance of meeting an objective changed, paired run by run over the runs that exercised it on both
    sides (a run that did not exercise it neither met nor missed it), with Newcombe's interval for paired shares
    (within ±100 points, sound with few runs). The runs that exercised it on one side only are counted beside;
    with no pair that exercised it on both sides there is nothing to compare ("not comparable")."""
    unplayed = RATINGS[4]
    rated = [(rating_category(a.ratings.get(objective.id, "")), rating_category(b.ratings.get(objective.id, "")))
             for a, b in zip(base, variant, strict=True)]
    both = [(x == "P", y == "P") for x, y in rated if x != unplayed and y != unplayed]
    one_side = sum((x == unplayed) != (y == unplayed) for x, y in rated)
    met_a, met_b = [a for a, _ in both], [b for _, b in both]
    a, b = share(sum(met_a), len(both)), share(sum(met_b), len(both))
    if not both:
        why = (f"exercised on both sides in none of the {len(rated)} paired runs ({one_side} exercised it on one "
               "side only)" if one_side
               else f"not exercised in any of the {len(rated)} runs, with {variant_name} or without")
        return ObjectiveDifference(id=objective.id, baseline=a, variant=b, difference=None, ci_low=None,
                                   ci_high=None, verdict="not comparable",
                                   text=f"{objective.id} {why}: no chance of meeting it to compare" if rated
                                   else "no runs to compare")
    diffs = [float(y) - float(x) for x, y in both]
    ci = paired_share_ci(both)
    verdict, chance = _verdict(diffs, ci.low, ci.high, False, ci.difference)
    key = Measure("objective", objective.id, "value")
    moved = sum(_value(x, key) != _value(y, key) for (x, y), (r, s) in zip(zip(base, variant, strict=True),
                                                                          rated, strict=True)
                if r != unplayed and s != unplayed)  # the pairs ``both`` compares, no one-sided run
    untouched = not moved
    if verdict == "no change" and not untouched:  # no rating changed, but the values did: the interval, not
        verdict = "within noise"                   # the count of changed runs, says what these runs can rule out
    changed = sum(d != 0 for d in diffs)
    # the pairs whose rating moved: across met (P), which ``changed`` counts, and between S, M and U, which the
    # share met cannot show; each counted once, so the two add up to every pair whose rating changed
    pairs = [(x, y) for x, y in rated if x != y and unplayed not in (x, y)]
    crossed = _moves((x, y) for x, y in pairs if "P" in (x, y))
    shifts = [(x, y) for x, y in pairs if "P" not in (x, y)]
    shifted = (f"; in {len(shifts)}{' more' if changed else ''} its rating changed below met ({_moves(shifts)})"
               if shifts else "")
    of = (f"of the {len(both)} paired runs that exercised it on both sides" if len(both) < len(rated)
          else "of runs")
    without, with_variant = _two_shares(a.share, b.share, len(both))
    head = (f"{objective.id} met in {with_variant} {of} with {variant_name} against {without} "
            f"without ({changed} of {len(diffs)} paired runs changed whether it was met"
            + (f" ({crossed})" if changed else "")
            + (f"; its value changed in {moved}" if not changed and moved else "") + shifted
            + (f"; {one_side} run{'s' if one_side != 1 else ''} that exercised it on one side only left out"
               if one_side else "") + ")")
    if verdict == "no change":
        tail = f"its value was the same in every paired run: {variant_name} did not change it in these runs"
    else:
        interval = f"{points(ci.difference)} points (95 % CI {points(ci.low)} to {points(ci.high)}"
        noise = (f"): {chance}" if chance  # the verdict leads the line: "within noise" once
                 else f", which includes no change){_noise(both, ci.difference, ci.low, ci.high)}")
        tail = {"better": f"{interval}): {CLEAR['better']}", "worse": f"{interval}): {CLEAR['worse']}",
                "within noise": f"{interval}{noise}"}[verdict]
    return ObjectiveDifference(id=objective.id, baseline=a, variant=b, difference=_r(ci.difference), ci_low=_r(ci.low),
                               ci_high=_r(ci.high), verdict=verdict, text=f"{head}; {tail}")


RESOLUTION = 0.10
"""The half-width of a paired interval of a change in a share the sweep reports how many runs would reach (±10
points)."""


def _noise(pairs: Sequence[tuple[bool, bool]], difference: float, low: float, high: float) -> str:
    """What a difference within noise leaves open: with an interval wider than ±:data:`RESOLUTION`, that the sweep
    cannot tell with its runs and about how many would narrow it that far; else that a real change is inside it."""
    runs = len(pairs)
    if max(difference - low, high - difference) <= RESOLUTION:
        return ": any real change in the share met is inside the interval"
    more = runs_to_narrow(pairs, RESOLUTION)
    return (f": the sweep cannot tell with {runs} run{'s' if runs != 1 else ''}"
            + (f"; about {more} runs would narrow the interval to ±{RESOLUTION * 100:.0f} points" if more else ""))


def compare_points(scenario: str, base_point: Point, variant_point: Point, base: Sequence[Outcome],
                   variant: Sequence[Outcome], measures: Sequence[MeasureSummary]) -> Comparison:
    """A variant against the baseline at one grid point, on the same seeds."""
    objectives = {o.id: o for o in base_point.doc.scenarios[scenario].objectives}
    rows = []
    for m in measures:
        key = Measure(m.section, m.item, m.field)
        obj = objectives.get(m.item) if m.section == "objective" else None
        lower = obj.lower_is_better if obj is not None else lower_is_better(key)
        rows.append(difference(key, obj.measure.kind if obj else "", lower, base, variant))
    return Comparison(
        variant=variant_point.variant, baseline_point=base_point.index, variant_point=variant_point.index,
        grid=[GridValue(path=p, value=v) for p, v in base_point.grid],
        objectives=[objective_difference(o, base, variant, variant_point.variant) for o in objectives.values()],
        measures=rows)


def aggregate(scenario: str, seed: int, seeds: Sequence[int], overrides: Sequence[str], axes: Sequence[Axis],
              variants: Sequence[Variant], points: Sequence[Point], outcomes: Sequence[Outcome]) -> SweepResult:
    """The sweep's result from every replication's outcome (sorted by point, then replication)."""
    by_point: dict[int, list[Outcome]] = {p.index: [] for p in points}
    for o in outcomes:
        by_point[o.point].append(o)
    summaries = [summarise_point(p, scenario, by_point[p.index]) for p in points]
    comparisons = []
    baselines = {p.grid: p for p in points if p.variant == BASELINE}
    for p in points:
        if p.variant != BASELINE:
            base = baselines[p.grid]
            comparisons.append(compare_points(scenario, base, p, by_point[base.index], by_point[p.index],
                                              _union(summaries[base.index].measures, summaries[p.index].measures)))
    sc = points[0].doc.scenarios[scenario]
    return SweepResult(
        scenario=scenario, title=sc.title, seed=seed, runs=len(seeds), seeds=list(seeds), overrides=list(overrides),
        axes=[AxisInfo(path=a.path, values=list(a.values)) for a in axes],
        variants=[VariantInfo(name=v.name, source=v.source, description=v.description,
                              changes=changed_values(v, points)) for v in variants],
        points=summaries, comparisons=comparisons,
        limited=[f"{iid} (at most {inj.limit:,})" for iid, inj in zip(sc.inject_ids(), sc.injects, strict=True)
                 if inj.every is not None and inj.limit is not None],
        inert=[a.path for a in axes if inert(a.path, points)])


def inert(path: str, points: Sequence[Point]) -> bool:
    """Whether grid axis ``path`` (of two values or more) changed nothing played: at every variant and value of the
    other axes, its values gave the same scenario file, once a value that acts on nothing is left out (a background
    factor where no inject arrives in the background)."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[dict[str, Any]]] = {}
    for point in points:
        others = tuple((p, v) for p, v in point.grid if p != path)
        groups.setdefault((point.variant, others), []).append(_played(point.doc))
    compared = [docs for docs in groups.values() if len(docs) > 1]  # an axis of one value compares nothing
    return bool(compared) and all(all(doc == docs[0] for doc in docs[1:]) for docs in compared)


def _played(doc: ScenarioFile) -> dict[str, Any]:
    """``doc`` as data, without what acts on nothing: the background factor of a scenario with no background inject."""
    data: dict[str, Any] = doc.model_dump(mode="json", by_alias=True)
    for name, scenario in doc.scenarios.items():
        if not any(inject.every is not None for inject in scenario.injects):
            data["scenarios"][name].pop("background_factor", None)
    return data


def changed_values(variant: Variant, points: Sequence[Point]) -> list[str]:
    """Each path ``variant`` sets, with its value in the baseline and in the variant at the first grid point
    (``structure.actors.cert.shifts.0.staff: 6 → 2``): a change reads as what it does to this structure, and one
    that sets the value the baseline already has says so."""
    first = points[0].grid
    docs = {p.variant: p.doc for p in points if p.grid == first and p.variant in (BASELINE, variant.name)}
    base, changed = (docs[key].model_dump(mode="json", by_alias=True) for key in (BASELINE, variant.name))
    return [_change_text(path, _value_at(base, setting.path), _value_at(changed, setting.path))
            for path, setting in zip(variant.changes, variant.settings, strict=True)]


def _change_text(path: str, before: str, after: str) -> str:
    return f"{path}: {before} → {after}" + (" (unchanged: the baseline has it already)" if before == after else "")


def _value_at(data: Any, path: Sequence[str | int]) -> str:
    for part in path:
        in_dict = isinstance(data, dict) and part in data
        if not in_dict and not (isinstance(data, list) and isinstance(part, int) and -len(data) <= part < len(data)):
            return "(absent)"
        data = data[part]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 60 else text[:59] + "…"


def _union(a: Sequence[MeasureSummary], b: Sequence[MeasureSummary]) -> list[MeasureSummary]:
    seen = {(m.section, m.item, m.field) for m in a}
    merged = [*a, *(m for m in b if (m.section, m.item, m.field) not in seen)]
    return sorted(merged, key=lambda m: _measure_order(Measure(m.section, m.item, m.field)))
