"""Two runs side by side: what differs in their inputs, and every measure and rating with its difference (B − A);
the words a side's value and the notes are told in are :mod:`~.comparewords`'s.

``better`` says which run did better on a row in this draw (``a``, ``b``, ``same`` or empty when the
measure has no direction or a side is missing); ``small`` marks a difference within
:data:`SMALL_SHARE` of the larger value (:data:`SMALL_POINTS` for a share), which one seed per side
cannot tell from luck. Ratings compare on P > S > M > U. Every row carries its ``unit``: ``min``
(minutes), ``clock`` (minutes since 00:00 on day D), ``share`` (0..1), ``people``, ``voter-min``,
``station-min``, ``count`` or ``rating``.

Scripted incidents are compared by id: both runs face the same incident (a contingency released in
one run only shows with a dash on the other side). Background arrivals are not (``B1-3`` in one run
and ``B1-3`` in the other are unrelated draws): each background inject, incident type and actor is
compared as a distribution from the aggregates that count every arrival (count, open at the end,
median / p90 / max times, the share late of the steps with a target, harm). A step's target is judged when it
was met, or missed by the end of the run (``on_time`` set): ``late share`` is late steps of those, the same count
as the run's "late steps N of M with a target"; a step with no target, or still within it, is in neither.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic import Field

from ballotdrill.scenarios.timefmt import format_end
from ballotdrill.scoring.comparewords import (
    META_ABSENT,
    META_INPUTS,
    SAME_INPUTS_DIFFER,
    STOPPED,
    UNSIMULATED,
    InputDifference,
    bottleneck_words,
    notes,
    shown_value,
    time_as_told,
    value_words,
)
from ballotdrill.scoring.judged import judged_value
from ballotdrill.scoring.model import (
    ActorArrivals,
    ArrivalStats,
    Frozen,
    Scores,
    dumps,
    r3,
)
from ballotdrill.scoring.text import HARM_MEASURES, UNITS

_RATING_ORDER = {"P": 0, "S": 1, "M": 2, "U": 3}
SMALL_SHARE = 0.10
"""A difference within this share of the larger of the two values is ``small``."""
SMALL_POINTS = 0.05
"""A difference of shares (0..1) within this many points (here 5) is ``small``."""


class ComparisonRow(Frozen):
    """One measure in both runs."""

    section: str
    item: str
    measure: str
    a: float | str | None
    b: float | str | None
    diff: float | None = None
    better: str = ""
    unit: str = ""
    small: bool = False
    """The two values differ by at most :data:`SMALL_SHARE` of the larger (:data:`SMALL_POINTS` for a share)."""
    a_text: str = ""
    b_text: str = ""
    """A side's value in the report's words, where they say more than the number in its unit (empty: the number):
    an incident's time as its clocks read, ``ended by itself after …`` for one nobody contained, an objective's
    value as its row in the report gives it. The number still gives the difference."""
    a_shown: float | None = None
    b_shown: float | None = None
    """A side's value as its words show it, from which a reader works out B − A (a time as its clocks read, in whole
    minutes); None: as its unit rounds it."""


class Comparison(Frozen):
    """Run A against run B: their inputs' differences, what one draw per side can and cannot say, every measure."""

    a: str
    b: str
    scenario: str = ""
    inputs: list[InputDifference] = Field(default_factory=list)
    unsimulated: list[InputDifference] = Field(default_factory=list)
    """Inputs that differ but change nothing simulated (:data:`UNSIMULATED`), listed apart from ``inputs``."""
    notes: list[str] = Field(default_factory=list)
    """Plain sentences on how far the differences can be read as effects (one seed per side is one draw)."""
    scored_from: dict[str, str] = Field(default_factory=dict)
    """For ``a`` and ``b``: where the run's scores were taken from (its ``scores.json``, or its journal and why)."""
    rows: list[ComparisonRow] = Field(default_factory=list)


def _better(a: float | None, b: float | None, lower_is_better: bool | None) -> str:
    if a is None or b is None or lower_is_better is None:
        return ""
    if a == b:
        return "same"
    return ("a" if a < b else "b") if lower_is_better else ("a" if a > b else "b")


def is_small(a: float | None, b: float | None, unit: str) -> bool:
    """Whether two different values are close: within 10 % of the larger (5 points for a share; never a clock
    time, whose size says nothing)."""
    if a is None or b is None or a == b or unit == "clock":
        return False
    if unit == "share":
        return abs(b - a) <= SMALL_POINTS + 1e-9
    return abs(b - a) <= SMALL_SHARE * max(abs(a), abs(b)) + 1e-9


def _num_row(section: str, item: str, measure: str, a: float | str | None, b: float | str | None,
             lower: bool | None = True, unit: str = "") -> ComparisonRow:
    """A row of two values (a text in place of a value has no difference and is neither better nor small)."""
    x, y = (None if isinstance(v, str) else v for v in (a, b))
    diff = None if x is None or y is None else r3(y - x)
    return ComparisonRow(section=section, item=item, measure=measure, a=a, b=b, diff=diff,
                         better=_better(x, y, lower), unit=unit, small=is_small(x, y, unit))


def _pairs(a: Iterable[Any], b: Iterable[Any], key: Callable[[Any], str]) -> list[tuple[str, Any, Any]]:
    left, right = {key(x): x for x in a}, {key(x): x for x in b}
    order = list(left) + [k for k in right if k not in left]
    return [(k, left.get(k), right.get(k)) for k in order]


_TOTALS: tuple[tuple[str, bool | None, str], ...] = (
    ("incidents", None, "count"), ("open_incidents", True, "count"), ("steps_completed", None, "count"),
    ("late_steps", True, "count"), ("deadlines_missed", True, "count"), ("handoffs", None, "count"),
    ("handoff_failures", True, "count"), ("drops", True, "count"), ("reroutes", True, "count"),
    ("ping_pongs", True, "count"), ("unstaffed_queued", True, "count"), ("decisions_defaulted", None, "count"),
    ("on_time", False, "share"), ("reach", True, "people"), ("voter_minutes", True, "voter-min"),
    ("station_minutes", True, "station-min"))
_HARM_UNITS = {kind: UNITS[kind] for kind in HARM_MEASURES}
_LOAD: tuple[tuple[str, bool | None, str], ...] = (
    ("utilisation", None, "share"), ("wait_mean", True, "min"), ("wait_p90", True, "min"), ("wait_max", True, "min"),
    ("longest_queue", True, "count"), ("unstaffed_queued", True, "count"), ("steps", None, "count"))


def compare(a: Scores, b: Scores, label_a: str = "A", label_b: str = "B",
            inputs: Sequence[InputDifference] | None = None,
            continuations: Mapping[str, Sequence[str]] | None = None,
            first_fixes: tuple[str, str] | None = None) -> Comparison:
    """Every measure and rating of ``a`` and ``b`` side by side (``inputs``: how their inputs differ, None if not
    compared;
    ``continuations``: the scenario's incidents carried on by others). An objective's value is the one its rating
    judged (a harm objective rated U: the harm done by the end, :func:`~ballotdrill.scoring.judged.judged_value`);
    without one, the report's words for it (:func:`~.comparewords.shown_value`).

    The key findings lead: each run's bottleneck, and its "Fix first" when ``first_fixes`` gives them
    (:func:`~.comparewords.fix_first_words` of each report's plan): what a what-if is run to find out."""
    rows: list[ComparisonRow] = [
        ComparisonRow(section="key findings", item="run", measure="bottleneck", a=bottleneck_words(a),
                      b=bottleneck_words(b))]
    if first_fixes is not None:
        rows.append(ComparisonRow(section="key findings", item="run", measure="fix_first", a=first_fixes[0],
                                  b=first_fixes[1]))
    for field, lower, unit in _TOTALS:
        rows.append(_num_row("totals", "run", field, getattr(a.totals, field), getattr(b.totals, field), lower, unit))
    for oid, x, y in _pairs(a.objectives, b.objectives, lambda o: o.id):
        kind = (x or y).kind
        value_a = shown_value(x, judged_value(x, a.harm, continuations)) if x else None
        value_b = shown_value(y, judged_value(y, b.harm, continuations)) if y else None
        row = _num_row("objective", oid, "value", value_a, value_b, (x or y).lower_is_better, UNITS.get(kind, ""))
        rows.append(row.model_copy(update={"a_text": value_words(x, value_a), "b_text": value_words(y, value_b)}))
        ra, rb = (x.rating if x else None), (y.rating if y else None)
        better = ("" if ra not in _RATING_ORDER or rb not in _RATING_ORDER
                  else _better(_RATING_ORDER[str(ra)], _RATING_ORDER[str(rb)], True))
        rows.append(ComparisonRow(section="objective", item=oid, measure="rating", a=ra, b=rb, better=better,
                                  unit="rating"))
    harm_a, harm_b = {h.incident: h for h in a.harm}, {h.incident: h for h in b.harm}
    for inc, x, y in _pairs((i for i in a.incidents if not i.background),
                            (i for i in b.incidents if not i.background), lambda i: i.incident):
        rows.append(_num_row("incident", inc, "started", x.started_at + a.start if x else None,
                             y.started_at + b.start if y else None, None, "clock"))
        ended = any(i is not None and i.contained_how == "ended" for i in (x, y))
        for field in ("to_detect", "to_first_action", "to_contain", "to_resolve"):
            # an incident that went away by itself was contained by no one: neither run did better at it
            row = _num_row("incident", inc, field, getattr(x, field) if x else None,
                           getattr(y, field) if y else None, None if ended and field == "to_contain" else True, "min")
            rows.append(row.model_copy(update={**time_as_told("a", a, x, field), **time_as_told("b", b, y, field)}))
        for field, unit in _HARM_UNITS.items():
            va = getattr(harm_a[inc], field) if inc in harm_a else None
            vb = getattr(harm_b[inc], field) if inc in harm_b else None
            if va or vb:
                rows.append(_num_row("incident", inc, field, va, vb, True, unit))
        lost_a, lost_b = (h.votes_lost if h is not None else None for h in (harm_a.get(inc), harm_b.get(inc)))
        if lost_a is not None or lost_b is not None:  # an incident a votes_lost objective measures
            rows.append(_num_row("incident", inc, "votes_lost", lost_a, lost_b, True, "votes"))
    rows += _arrivals("background", a.background.injects, b.background.injects)
    rows += _arrivals("background type", a.background.types, b.background.types)
    rows += _arrival_actors(a.background.actors, b.background.actors)
    for actor, x, y in _pairs(a.load, b.load, lambda load: load.actor):
        for field, lower, unit in _LOAD:
            rows.append(_num_row("load", actor, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None, lower, unit))
    for channel, x, y in _pairs(a.channels, b.channels, lambda c: c.channel):
        for field, lower, unit in (("attempts", None, "count"), ("failures", True, "count"), ("drops", True, "count"),
                                   ("mean_latency", True, "min")):
            rows.append(_num_row("channel", channel, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None, lower, unit))
    stopped = stop_difference(a, b)
    # with a stop difference each side is measured over its own window: neither is better at anything
    told = inputs is not None  # None: the inputs were not compared, so no "same inputs" can be said
    inputs = list(inputs or [])
    if stopped is not None:
        inputs = [stopped, *inputs]
    impossible = told and not [d for d in inputs if d.what not in UNSIMULATED] and any(changed(r) for r in rows)
    if stopped is not None or impossible:
        rows = ungraded(rows)
    return Comparison(a=label_a, b=label_b, scenario=a.scenario if a.scenario == b.scenario else "",
                      inputs=[d for d in inputs if d.what not in UNSIMULATED],
                      unsimulated=[d for d in inputs if d.what in UNSIMULATED],
                      notes=[SAME_INPUTS_DIFFER, *notes(inputs)] if impossible else notes(inputs), rows=rows)


def ungraded(rows: Sequence[ComparisonRow]) -> list[ComparisonRow]:
    """``rows`` with no side marked better and no difference marked small: for runs whose difference can come from
    where they stopped, from a run that did not finish, or from a change made after a run."""
    return [row.model_copy(update={"better": "", "small": False}) if row.better or row.small else row for row in rows]


def stop_difference(a: Scores, b: Scores) -> InputDifference | None:
    """Where each run stopped, when not at the same time: their measures cover different windows."""
    if a.until == b.until:
        return None
    return InputDifference(what=STOPPED, a=_stop(a), b=_stop(b))


def _stop(scores: Scores) -> str:
    return "—" if scores.until is None else format_end(scores.start, scores.start + scores.until)


Measures = dict[str, tuple[float | None, bool | None, str]]
"""A group's measures by name: value, whether lower is better (None: no direction), unit."""


def _share(part: int, whole: int) -> float | None:
    return r3(part / whole) if whole else None


NO_ARRIVALS: Measures = {
    "arrivals": (0, None, "count"), "open_at_end": (0, True, "count"), "steps": (0, None, "count"),
    "steps_with_target": (0, None, "count"),
    "deadlines_missed": (0, True, "count"), "failed_attempts": (0, True, "count"), "drops": (0, True, "count")}
"""A background group with no arrival in a run: every count 0; its times and shares are undefined."""


def _group_measures(group: ArrivalStats | None) -> Measures:
    """One background inject's (or type's) arrivals as a distribution, from its aggregates (a group the run's scores
    do not list had no arrival in it)."""
    if group is None:
        return NO_ARRIVALS
    out: Measures = {
        "arrivals": (group.arrivals, None, "count"), "open_at_end": (group.open_at_end, True, "count"),
        "open share": (_share(group.open_at_end, group.arrivals), True, "share")}
    for field, values in (("to_detect", group.detect), ("to_first_action", group.first_action),
                          ("to_contain", group.contain), ("to_resolve", group.resolve)):
        out[f"{field} median"] = (values.median, True, "min")
        out[f"{field} p90"] = (values.p90, True, "min")
        out[f"{field} max"] = (values.max, True, "min")
    out["steps"] = (group.steps, None, "count")
    out["steps_with_target"] = (group.steps_with_target, None, "count")
    out["late share"] = (_share(group.late_steps, group.steps_with_target), True, "share")
    out["deadlines_missed"] = (group.deadlines_missed, True, "count")
    out["failed_attempts"] = (group.failed_attempts, True, "count")
    out["drops"] = (group.drops, True, "count")
    for field, unit in _HARM_UNITS.items():
        out[field] = (getattr(group, field), True, unit)
    return out


def _actor_measures(actor: ActorArrivals | None) -> Measures:
    """Background arrivals' work at one actor: steps, the share late, queue waits (none listed: no step there)."""
    if actor is None:
        return {"steps": (0, None, "count"), "steps_with_target": (0, None, "count")}
    return {"steps": (actor.steps, None, "count"), "steps_with_target": (actor.steps_with_target, None, "count"),
            "late share": (_share(actor.late_steps, actor.steps_with_target), True, "share"),
            "wait median": (actor.wait.median, True, "min"), "wait p90": (actor.wait.p90, True, "min"),
            "wait max": (actor.wait.max, True, "min")}


def _rows(section: str, item: str, sa: Measures, sb: Measures) -> list[ComparisonRow]:
    rows: list[ComparisonRow] = []
    for measure in [*sa, *(k for k in sb if k not in sa)]:
        _, lower, unit = sa.get(measure) or sb[measure]
        va = sa[measure][0] if measure in sa else None
        vb = sb[measure][0] if measure in sb else None
        if measure in _HARM_UNITS and not va and not vb:
            continue
        rows.append(_num_row(section, item, measure, va, vb, lower, unit))
    return rows


def _arrivals(section: str, a: Sequence[ArrivalStats], b: Sequence[ArrivalStats]) -> list[ComparisonRow]:
    """Each background group (an inject, or an incident type) in A and in B, compared as distributions (never
    arrival by arrival), from the aggregates that count every arrival (the listed ones may be bounded)."""
    return [row for key, x, y in _pairs(a, b, lambda g: g.key)
            for row in _rows(section, key, _group_measures(x), _group_measures(y))]


def _arrival_actors(a: Sequence[ActorArrivals], b: Sequence[ActorArrivals]) -> list[ComparisonRow]:
    return [row for actor, x, y in _pairs(a, b, lambda g: g.actor)
            for row in _rows("background load", actor, _actor_measures(x), _actor_measures(y))]


def changed(row: ComparisonRow) -> bool:
    """Whether the two runs differ on this row."""
    return row.a != row.b


def input_differences(meta_a: Mapping[str, str], meta_b: Mapping[str, str], document_a: Any, document_b: Any,
                      limit: int = 200) -> list[InputDifference]:
    """How two runs' inputs differ: scenario, seed, overrides, tool version, then the scenario files' values.

    ``document_*`` are the stored scenario files as plain data (after their overrides). Values
    differ at a path such as ``structure.actors.national-cert.staff``; at most ``limit`` are listed.
    """
    a, b = ({**META_ABSENT, **meta_a}, {**META_ABSENT, **meta_b})
    out = [InputDifference(what=key, a=str(a.get(key, "—")), b=str(b.get(key, "—")))
           for key in META_INPUTS
           if a.get(key) != b.get(key)]
    found: list[InputDifference] = []
    _diff(document_a, document_b, "", found, limit)
    return out + found


def _diff(a: Any, b: Any, path: str, out: list[InputDifference], limit: int) -> None:
    if len(out) >= limit or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in b:
                out.append(InputDifference(what=sub, a=_short(a[key]), b="(absent)"))
            elif key not in a:
                out.append(InputDifference(what=sub, a="(absent)", b=_short(b[key])))
            else:
                _diff(a[key], b[key], sub, out, limit)
        return
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{n}]", out, limit)
        return
    out.append(InputDifference(what=path or "(the whole file)", a=_short(a), b=_short(b)))


def _short(value: Any, width: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[:width - 1] + "…"


def comparison_json(comparison: Comparison) -> str:
    """The comparison as canonical JSON."""
    return dumps(comparison.model_dump(mode="json"))
