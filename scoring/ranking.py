"""Which area for improvement to fix first: a weight from the objectives it explains and the harm it caused.

Every area for improvement works on one *lever* of the response structure: an actor's staff
or shifts (``actor:A``), its players' decisions (``decision:A``, live play), a channel's failures (``channel:C``)
or its slow deliveries (``delivery:C``), or a procedure's step (``step:P/S``).

**Delay attribution** (the stretches of delay of each incident's response, each on its lever):
:mod:`~ballotdrill.scoring.delays`.

**Material delay.** A lever's delay counts only when it is material: at least :data:`MATERIAL_SHARE` (5 %) of
what it is measured against — a time objective's target, the stretch a harm objective measures (its incident's
start to the moment its harm passed the target), the incident's harm window for a harm share. A minute or two of
failed calls in a response of hours explains nothing. A smaller delay counts for an objective all the same when
taking it away alone turns its rating (:func:`~ballotdrill.scoring.turning.could_turn`): 5 min of slow calls on an
objective missed by 4.7 min is what turned it, however small beside its target.

**Objectives explained.** An objective rated S, M or U is explained by the lever behind most of its (material) delay
inside what it measures before it passed the next better band's bound
(:func:`~ballotdrill.scoring.windows.explaining_bound`: the target for S, 1.25 × it for M, none for U — M asks only
that it be achieved in the run; between its two points for a time, read as the rating reads them, no later than its
start plus that bound; for a time to a step, only the delays of steps leading to it,
:meth:`~ballotdrill.scoring.harmpath.HarmPaths.leads_to`; the incident's harm window for reach, voter- or
station-minutes, up to the moment its harm passed that bound, :mod:`~ballotdrill.scoring.passing`), and only if
taking its delay away — less the waits behind other work after it on the same path, which would have absorbed it
(:func:`net_delay`) — could have changed the rating (:func:`~ballotdrill.scoring.turning.could_turn`). When several
levers could each have turned it alone, all of them explain it and share its points equally, each finding naming the
others ("either delay taken away would have turned it"); when none could alone but some together could (most delay
first), those share it ("it turns only if the delays of both are taken away").
For an on-time share, by the same rule, the levers whose late steps (those each is the root cause of) taken away,
on time, would have turned its rating: any one alone, else the fewest together, most late steps first.
Objectives with no delay to attribute
are explained by nothing (the finding then says why: a failed containment draw, a designed path too slow).

An incident detected but never worked on is explained by the finding that says so.

**Weight** of an area for improvement (higher = fix sooner)::

    weight = Σ over the objectives its lever explains of   U: 4,  M: 2,  S: 1  (split equally between levers sharing it)
           + 4 × its harm share
           + 4 for a missed legal deadline or a dropped handoff (as much as an objective rated U)

The objectives and harm of a lever count once, for the first finding on it in the order of
the kinds' own priority (a queue speaks before the late steps it caused); the others on the
same lever keep only their own points (a missed deadline's 4).

*Harm share*: the harm a lever's delay plausibly caused. For each measure of harm (reach,
voter-minutes, station-minutes): each incident's harm times the share of the time it was
doing harm (start to containment, or to the end while open) that the lever's delay covers
(only delay inside that time counts, and only a material one; when the delays add up to more
than that time, each gets its share of the total instead), summed and divided by the run's total of that measure;
the largest of the three. Incidents detected but never worked on count in full for the
finding that says so. Harm with no delay behind it (the response was as quick as the
structure allows) is nobody's lever.

**Priority** follows the weight: 1 from 4 (an objective rated U, or the run's harm), 2 from
2, 3 above 0; a finding of weight 0 keeps its kind's own priority, at best 4 (ping-pong 5).
Order: priority, then weight (highest first), then the kind's own priority, then size; a
finding that restates an objective comes after the lever that explains it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from ballotdrill.scenarios.measures import parse_interval
from ballotdrill.scoring.delays import Delay, Span, delay_between
from ballotdrill.scoring.harmpath import HarmPaths
from ballotdrill.scoring.model import ObjectiveResult, Scores
from ballotdrill.scoring.text import HARM_MEASURES
from ballotdrill.scoring.turning import could_turn, on_time_turns, on_time_unturned, told_by_rating
from ballotdrill.scoring.windows import end_step, explaining_bound, harm_stretches, objective_windows

OBJECTIVE_POINTS: dict[str, float] = {"U": 4.0, "M": 2.0, "S": 1.0}
"""Weight added for each objective a lever explains, by its rating."""
HARM_POINTS = 4.0
"""Weight of a lever behind all of the run's harm (by its largest share over the three measures)."""
LOSS_POINTS = 4.0
"""Weight of a missed legal deadline or a dropped handoff, whatever else it explains."""
MATERIAL_SHARE = 0.05
"""A lever's delay is material (explains an objective, or a share of an incident's harm) only from this share of
what it is measured against: a time objective's target; the stretch a harm objective measures (its incident's
start to the moment its harm passed the target); the incident's harm window, for a harm share."""

RANKING_TERMS: list[tuple[str, str]] = [
    ("Lever", "what a finding's fix works on: an actor's staff or shifts, its players' decisions, a channel, or a "
     "procedure's step"),
    ("Weight (Fix first)", "per objective rated U, M or S that the lever explains (the lever behind most of its "
     "delay whose removal could have changed the rating) 4, 2 or 1, split equally between levers that could each "
     "have turned it alone, or only together; plus 4 × the lever's share of the run's harm (largest over reach, "
     "voter-minutes, station-minutes; each incident's harm split over the levers by the share of its time doing "
     "harm that each one's delay covers: a share of time, not the harm taking the delay away would avoid); a "
     f"delay counts only from {MATERIAL_SHARE:.0%} of the objective's target, of the time its harm took to pass "
     "it, or of the incident's harm window, or when taking it away alone turns the objective's rating; plus 4 for "
     "a missed legal deadline or a dropped handoff. Priority 1 "
     "from weight 4, 2 from 2, 3 above 0, and 4 or 5 (by the kind of finding) for a finding of weight 0; “Fix "
     "first” is the heaviest"),
    ("Capability element", "from the root cause: queue or shift gap → Organisation; failed or slow channel → "
     "Equipment; slow work or a decision left to its timeout → Training; targets, procedures and triggers → "
     "Planning; unanswered discussion questions → Exercises"),
    ("Responsible organisation", "the owner of the lever: the actor's organisation, the channel's or the "
     "procedure's owner as the structure says, else the actor itself (for a channel: the sender of most failed "
     "handoffs, then of most failed attempts; senders still tied are named together); a Training action on a "
     "step (preparing a desk for its long cases) is the organisation of the actor that did the work"),
]
"""Definitions of the ranking and the plan's columns, for the report's appendix."""

__all__ = [
    "HARM_POINTS", "LOSS_POINTS", "MATERIAL_SHARE", "OBJECTIVE_POINTS", "RANKING_TERMS", "Explained", "HarmBehind",
    "Ranked", "Unexplaining", "Weighing", "delay_starts", "explaining_levers", "material_delay", "measures_harm",
    "miss_by", "net_delay", "objective_delay", "unexplaining",
]


def measures_harm(obj: ObjectiveResult) -> bool:
    """Whether the objective measures an incident's harm: reach, voter- or station-minutes, or a time to its
    containment (only delays that could change the harm explain it)."""
    if obj.kind in HARM_MEASURES:
        return True
    if obj.kind != "time":
        return False
    try:
        end = parse_interval(obj.subject).end
    except ValueError:
        return False
    return end.step is None and end.event == "contained"


def objective_delay(obj: ObjectiveResult, scores: Scores, spans: dict[str, list[Span]],
                    passed: Mapping[str, float] | None = None, paths: HarmPaths | None = None) -> Delay:
    """Delay per lever inside what the objective measures, before it passed the next better band's bound
    (:func:`~.windows.explaining_bound`); for a time to a step,
    only the delays of steps leading to it (``paths``, :meth:`~ballotdrill.scoring.harmpath.HarmPaths.leads_to`)."""
    total: Delay = defaultdict(float)
    harm = measures_harm(obj)
    for lo, hi, counted in _windowed(obj, scores, spans, passed, paths):
        for lever, lost in delay_between(counted, lo, hi, harm).items():
            total[lever] += lost
    return total


def delay_starts(obj: ObjectiveResult, scores: Scores, spans: dict[str, list[Span]],
                 paths: HarmPaths | None = None) -> dict[str, float]:
    """When each lever's delay inside all of what ``obj`` measures (as :func:`net_delay` counts it) began: what came
    before, taken away its delay, comes no sooner (:func:`~.turning.could_turn`'s ``since``)."""
    harm = measures_harm(obj)
    out: dict[str, float] = {}
    for lo, hi, counted in _windowed(obj.model_copy(update={"target": math.inf}), scores, spans, None, paths):
        for span in counted:
            if (not harm or span.harm) and min(span.hi, hi) > max(span.lo, lo):
                out[span.lever] = min(out.get(span.lever, math.inf), max(span.lo, lo))
    return out


def _windowed(obj: ObjectiveResult, scores: Scores, spans: dict[str, list[Span]], passed: Mapping[str, float] | None,
              paths: HarmPaths | None) -> list[tuple[float, float, list[Span]]]:
    """Each stretch ``obj`` measures (:func:`~.windows.objective_windows`) with the spans of its incident that can
    count there (for a time to a step, those of steps leading to it)."""
    target = end_step(obj) if paths is not None else None
    out = []
    for incident, (lo, hi) in objective_windows(obj, scores, passed, paths.structure if paths else None).items():
        counted = spans.get(incident, [])
        if target is not None and paths is not None:
            counted = [s for s in counted if s.at is None or paths.leads_to(s.at[0], s.at[1], target)]
        out.append((lo, hi, counted))
    return out


class Weighing(NamedTuple):
    """What a lever earns: objectives it explains (``O1 (U)``), its harm share and its weight."""

    explains: list[str]
    harm_share: float
    weight: float


class Ranked(NamedTuple):
    """The ranking inputs of a finding."""

    lever: str
    cause: str
    incidents: Sequence[str]
    own: float = 0.0
    """Points of its own: an objective finding's rating (it explains nothing else)."""
    title: str = ""
    """The finding's title, to name it beside another lever sharing an objective."""


class Explained(NamedTuple):
    """The levers that explain an objective: one, or several whose delays weigh on it alike (``together``: it turns
    only if all their delays are taken away; else taking any one of them away alone would have turned it)."""

    levers: tuple[str, ...]
    together: bool = False


def explaining_levers(obj: ObjectiveResult, scores: Scores, spans: dict[str, list[Span]],
                      findings: Sequence[Ranked], on_time_levers: Mapping[str, tuple[int, int]],
                      passed: Mapping[str, float] | None = None, paths: HarmPaths | None = None,
                      on_time_count: tuple[int, int] | None = None) -> Explained | None:
    """The levers (among those some finding works on) that explain the objective: of those with a material delay
    inside what it measures before it passed the next better band's bound, every one whose delay alone taken away
    could have changed its rating (:func:`~ballotdrill.scoring.turning.could_turn`), most delay first; when none
    could alone, the fewest of them, most delay first, whose delays taken away together could; None when nothing
    could.

    An on-time share is turned by the late steps a lever made late (``on_time_levers``: per lever, the late steps
    whose root cause it is and the first of them; ``on_time_count``: the steps the share counts and those on time):
    taken away, those steps on time, the share must rate better (:func:`on_time_turns`), alone or together, most late
    steps first. ``passed``: objective id -> t when its harm passed the target."""
    levers = {f.lever for f in findings if f.lever}
    if obj.kind == "on_time":
        ranked = [lever for lever in sorted(on_time_levers, key=lambda lv: (-on_time_levers[lv][0],
                                                                          on_time_levers[lv][1])) if lever in levers]
        if on_time_count is None:  # the share's counts not known: the lever behind most of its late steps
            return Explained((ranked[0],)) if ranked else None
        made_late = {lever: float(on_time_levers[lever][0]) for lever in ranked}
        return _turning(ranked, made_late, lambda fixed, _: on_time_turns(obj, fixed, on_time_count))
    subject = set(objective_windows(obj, scores)) or set(obj.subject.split())
    unanswered = next((f.lever for f in findings if f.cause == "none" and subject & set(f.incidents)), None)
    if unanswered is not None:  # nobody worked on it: that, not any delay, is why
        return Explained((unanswered,))
    total = objective_delay(obj, scores, spans, passed, paths)
    least = material_delay(obj, scores, passed)
    whole = net_delay(obj, scores, spans, paths)
    starts = delay_starts(obj, scores, spans, paths)

    def turns(removed: float, taken: tuple[str, ...]) -> bool:
        return could_turn(obj, removed, scores, passed, paths, taken, min(starts.get(lv, -math.inf) for lv in taken))
    ranked = [lever for lever in sorted(total, key=lambda lever: (-total[lever], lever))
              if lever in levers and total[lever] > 0 and (total[lever] >= least or turns(whole.get(lever, 0.0),
                                                                                          (lever,)))]
    return _turning(ranked, whole, turns)


def _turning(ranked: Sequence[str], amounts: Mapping[str, float],
             turns: Callable[[float, tuple[str, ...]], bool]) -> Explained | None:
    """Of the ``ranked`` levers, every one whose amount (of delay, of late steps) alone taken away ``turns`` the
    objective (told the amount and the levers taken away); when none alone, the fewest, in order, whose amounts
    together do; None when nothing does."""
    alone = tuple(lever for lever in ranked if turns(amounts.get(lever, 0.0), (lever,)))
    if alone:
        return Explained(alone)
    removed = 0.0
    for count, lever in enumerate(ranked, 1):
        removed += amounts.get(lever, 0.0)
        if turns(removed, tuple(ranked[:count])):
            return Explained(tuple(ranked[:count]), together=True)
    return None


def net_delay(obj: ObjectiveResult, scores: Scores, spans: dict[str, list[Span]], paths: HarmPaths | None) -> Delay:
    """Each lever's whole delay inside what ``obj`` measures, less the queue waits behind other work after it on the
    same path before its end point (the later desk was busy until then: arriving sooner, the work would have waited
    longer there), at least 0 — what taking it away could save, for :func:`~.turning.could_turn`. A later wait is
    on the same path only when it is of the same incident and procedure as one of the lever's own delays and its
    step follows that one's (``paths.leads_to``), and, for a harm, its step could change the harm; without
    ``paths`` nothing is taken off."""
    whole = obj.model_copy(update={"target": math.inf})
    target = end_step(obj) if paths is not None else None
    counted = [(i, s) for i, (lo, hi) in objective_windows(whole, scores, None,
                                                          paths.structure if paths else None).items()
               for s in spans.get(i, []) if lo - 1e-9 <= s.lo and s.hi <= hi + 1e-9 and (
                   target is None or paths is None or s.at is None or paths.leads_to(s.at[0], s.at[1], target))]
    out: Delay = {}
    for lever, lost in objective_delay(whole, scores, spans, None, paths).items():
        own = [(i, s) for i, s in counted if s.lever == lever]
        done = max((s.hi for _, s in own), default=math.inf)
        out[lever] = max(0.0, lost - sum(s.hi - s.lo for i, s in counted if s.lever != lever and s.behind
                                         and s.lo >= done - 1e-9 and _downstream(i, s, own, paths, target)))
    return out


def _downstream(incident: str, later: Span, own: list[tuple[str, Span]], paths: HarmPaths | None,
                target: str | None) -> bool:
    """Whether ``later`` (a wait of ``incident``) follows one of a lever's ``own`` delays on its procedure's path
    (and, with no end step, could change the harm)."""
    return paths is not None and later.at is not None and (target is not None or later.harm) and any(
        i == incident and d.at is not None and d.at[0] == later.at[0] and paths.leads_to(d.at[0], d.at[1], later.at[1])
        for i, d in own)


class Unexplaining(NamedTuple):
    """A delay inside what an objective measures that does not explain it, and why: ``small`` (under the material
    share), ``no_finding`` (its lever has no area for improvement; ``no_finding_turns`` when, material, taken away
    alone it could have changed the rating; an on-time share's also :func:`~.turning.on_time_unturned`'s) or
    ``no_change`` (taken away — alone, or with the other material delays on a finding's lever — the rating would
    have been the same; ``not_in_time`` for a harm whose rating with its
    incident contained sooner cannot be told, :func:`~.turning.told_by_rating`: its incident would still not have
    been contained before its harm passed the target)."""

    lever: str
    minutes: float
    why: str


def unexplaining(obj: ObjectiveResult, scores: Scores, spans: dict[str, list[Span]], levers: set[str],
                 passed: Mapping[str, float] | None = None, paths: HarmPaths | None = None,
                 on_time_levers: Mapping[str, tuple[int, int]] | None = None,
                 on_time_count: tuple[int, int] | None = None) -> list[Unexplaining]:
    """Each lever's delay inside what ``obj`` measures before it passed the next better band's bound, with the test of
    :func:`explaining_levers` it fails (``levers``: those some finding works on), most minutes first; for an objective
    no lever explains. For an on-time share, each lever's late steps (``on_time_levers``, their count in ``minutes``),
    a lever with no finding tested against the share's counts (``on_time_count``: :func:`.turning.on_time_unturned`)."""
    if obj.kind == "on_time":
        return [Unexplaining(*told) for told in on_time_unturned(obj, levers, on_time_levers or {}, on_time_count)]
    total = objective_delay(obj, scores, spans, passed, paths)
    least = material_delay(obj, scores, passed)
    whole = net_delay(obj, scores, spans, paths)
    starts = delay_starts(obj, scores, spans, paths)

    def why(lever: str) -> str:
        since = starts.get(lever, -math.inf)
        turns = could_turn(obj, whole.get(lever, 0.0), scores, passed, paths, (lever,), since)
        if lever in levers:
            if total[lever] < least and not turns and total[lever] < miss_by(obj) - 1:
                return "small"
            told = told_by_rating(obj, whole.get(lever, 0.0), scores, passed, paths, (lever,), since)
            return "no_change" if told else "not_in_time"
        return "no_finding_turns" if turns else "no_finding"
    return [Unexplaining(lever, total[lever], why(lever))
            for lever in sorted(total, key=lambda lv: (-total[lv], lv)) if total[lever] > 0]


def miss_by(obj: ObjectiveResult) -> float:
    """How far a time objective's value passed the bound a delay can explain it by
    (:func:`~.windows.explaining_bound`); infinite for any other (nothing to weigh a delay against in minutes)."""
    bound = explaining_bound(obj)
    if obj.kind != "time" or obj.value is None or math.isinf(bound):
        return math.inf
    return obj.value - bound


def material_delay(obj: ObjectiveResult, scores: Scores, passed: Mapping[str, float] | None = None) -> float:
    """The least delay that can explain ``obj``: :data:`MATERIAL_SHARE` of a time objective's target, or of the
    stretch in which a harm objective's harm was done (its incident's start, or its polls' opening for voter- and
    station-minutes, to the moment its harm passed the target, or to its containment or the end when it never did:
    :func:`~.windows.harm_stretches`)."""
    if obj.kind == "time":
        return MATERIAL_SHARE * obj.target
    windows = harm_stretches(obj, scores, passed)
    return MATERIAL_SHARE * max((hi - lo for lo, hi in windows.values()), default=0.0)


class HarmBehind(NamedTuple):
    """The run's harm per measure, and the part of it behind each lever (its delay's share of each incident's
    harm, summed) and behind each incident type nobody worked on (``type:T``, in full)."""

    total: Mapping[str, float]
    levers: Mapping[str, Mapping[str, float]]
    unanswered: Mapping[str, Mapping[str, float]]
