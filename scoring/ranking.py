"""Which area for improvement to fix first: a weight from the objectives it explains and the harm it caused.

Every area for improvement works on one *lever* of the response structure: an actor's staff
or shifts (``actor:A``), a channel (``channel:C``), or a procedure's step (``step:P/S``).

**Delay attribution.** The delay an incident's response suffered is split over levers:
the queue waits of its steps go to their actor, the time its handoffs spent failing and
retrying beyond the first channel's usual latency (its 90th percentile), or still overdue in
transit, to the channel they were first sent on, and the
lateness of a step that was slow of itself (its work took longer than the structure's own
assumption, or its target is shorter than that work) to the step.

**Objectives explained.** An objective rated S, M or U is explained by the lever behind
most of its delay: for an objective about an incident, the lever with the most delay
minutes in that incident's response; for an on-time share, the root cause of most of the
late steps it counts. Objectives with no delay to attribute are explained by nothing.

An incident detected but never worked on is explained by the finding that says so.

**Weight** of an area for improvement (higher = fix sooner)::

    weight = Σ over the objectives its lever explains of   U: 4,  M: 2,  S: 1
           + 4 × its harm share
           + 4 for a missed legal deadline or a dropped handoff (as much as an objective rated U)

The objectives and harm of a lever count once, for the first finding on it in the order of
the kinds' own priority (a queue speaks before the late steps it caused); the others on the
same lever keep only their own points (a missed deadline's 4).

*Harm share*: the harm a lever's delay plausibly caused. For each measure of harm (reach,
voter-minutes, station-minutes): each incident's harm times the share of the time it was
doing harm (start to containment, or to the end while open) that the lever's delay covers
(only delay inside that time counts; when the delays add up to more than that time, each
gets its share of the total instead), summed and divided by the run's total of that measure;
the largest of the three. Incidents detected but never worked on count in full for the
finding that says so. Harm with no delay behind it (the response was as quick as the
structure allows) is nobody's lever.

**Priority** follows the weight: 1 from 4 (an objective rated U, or the run's harm), 2 from
2, 3 above 0; a finding of weight 0 keeps its kind's own priority, at best 4 (ping-pong 5).
Order: priority, then weight (highest first), then the kind's own priority, then size; a
finding that restates an objective comes after the lever that explains it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from ballotdrill.scoring.advice import Advisor, actor_lever, channel_lever, step_cause, step_lever
from ballotdrill.scoring.model import ObjectiveResult, Scores

OBJECTIVE_POINTS: dict[str, float] = {"U": 4.0, "M": 2.0, "S": 1.0}
"""Weight added for each objective a lever explains, by its rating."""
HARM_POINTS = 4.0
"""Weight of a lever behind all of the run's harm (by its largest share over the three measures)."""
LOSS_POINTS = 4.0
"""Weight of a missed legal deadline or a dropped handoff, whatever else it explains."""
HARM_MEASURES = ("reach", "voter_minutes", "station_minutes")

RANKING_TERMS: list[tuple[str, str]] = [
    ("Lever", "what a finding's fix works on: an actor's staff or shifts, a channel, or a procedure's step"),
    ("Weight (Fix first)", "per objective rated U, M or S that the lever explains (the lever behind most of its "
     "delay) 4, 2 or 1; plus 4 × the lever's share of the run's harm (largest over reach, voter-minutes, "
     "station-minutes; each incident's harm split over the levers by the delay each caused it); plus 4 for a "
     "missed legal deadline or a dropped handoff. Priority 1 from weight 4, 2 from 2, 3 above 0; "
     "“Fix first” is the heaviest"),
    ("Capability element", "from the root cause: queue or shift gap → Organisation; failed or slow channel → "
     "Equipment; slow work or a decision left to its timeout → Training; targets, procedures and triggers → "
     "Planning; unanswered discussion questions → Exercises"),
    ("Responsible organisation", "the owner of the lever: the actor's organisation, the channel's or the "
     "procedure's owner as the structure says, else the actor itself (the sender of most failed handoffs for a "
     "channel)"),
]
"""Definitions of the ranking and the plan's columns, for the report's appendix."""

__all__ = [
    "HARM_POINTS",
    "LOSS_POINTS",
    "OBJECTIVE_POINTS",
    "RANKING_TERMS",
    "Delay",
    "Ranked",
    "Weighing",
    "delays",
    "priority_of",
    "weigh",
]


Delay = dict[str, float]
"""Minutes of delay per lever."""


def delays(scores: Scores, advice: Advisor, harmful_only: bool = False) -> dict[str, Delay]:
    """Per incident: delay minutes per lever (queue waits, failed or overdue handoffs, slow steps).

    ``harmful_only``: only the minutes while the incident was still doing harm (from its start
    to its containment, or to the end of the run while open).
    """
    window = {i.incident: (i.started_at, i.started_at + i.to_contain if i.to_contain is not None
                           else float(scores.until or 0.0)) for i in scores.incidents}
    out: dict[str, Delay] = defaultdict(lambda: defaultdict(float))

    def add(incident: str, lever: str, lo: float, hi: float) -> None:
        if harmful_only:
            start, end = window.get(incident, (lo, hi))
            lo, hi = max(lo, start), min(hi, end)
        if hi > lo:
            out[incident][lever] += hi - lo

    for step in scores.steps:
        if step.wait and step.queued_at is not None:
            add(step.incident, actor_lever(step.actor), step.queued_at, step.queued_at + step.wait)
        if step.on_time is False and step.late_by and step_cause(step, advice).kind in ("slow_work", "target"):
            end = step.completed_at if step.completed_at is not None else float(scores.until or 0.0)
            add(step.incident, step_lever(step.procedure, step.step), end - step.late_by, end)
    for chain in scores.handoffs:
        took = chain.latency if chain.latency is not None else chain.in_transit_for or 0.0
        if chain.failures:
            usual = advice.usual_latency(chain.first_channel)
            add(chain.incident, channel_lever(chain.first_channel), chain.sent_at + usual, chain.sent_at + took)
        elif chain.status == "in_transit" and chain.overdue:
            add(chain.incident, channel_lever(chain.channel), chain.sent_at + (chain.usual_latency or 0.0),
                chain.sent_at + took)
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


def _subject_incidents(obj: ObjectiveResult, known: set[str]) -> list[str]:
    return [w for w in obj.subject.split() if w in known]


def explaining_lever(obj: ObjectiveResult, scores: Scores, advice: Advisor, delay: dict[str, Delay],
                     findings: Sequence[Ranked]) -> str | None:
    """The lever (among those some finding works on) behind most of the objective's delay."""
    levers = {f.lever for f in findings if f.lever}
    if obj.kind == "on_time":
        tally: Counter[str] = Counter()
        for step in scores.steps:
            if step.on_time is False and obj.subject in ("all", step.procedure):
                tally[step_cause(step, advice).lever] += 1
        return next((lever for lever, _ in tally.most_common() if lever in levers), None)
    known = {i.incident for i in scores.incidents}
    subject = _subject_incidents(obj, known)
    unanswered = next((f.lever for f in findings if f.cause == "none" and set(subject) & set(f.incidents)), None)
    if unanswered is not None:  # nobody worked on it: that, not any delay, is why
        return unanswered
    total: Delay = defaultdict(float)
    for incident in subject:
        for lever, lost in delay.get(incident, {}).items():
            total[lever] += lost
    ranked = sorted(total, key=lambda lever: (-total[lever], lever))
    return next((lever for lever in ranked if lever in levers and total[lever] > 0), None)


def weigh(scores: Scores, advice: Advisor, findings: Sequence[Ranked]) -> tuple[list[Weighing], dict[str, str]]:
    """The :class:`Weighing` of each finding, and which lever explains each objective rated S, M or U."""
    delay = delays(scores, advice)
    explained: dict[str, str] = {}
    points: Delay = defaultdict(float)
    named: dict[str, list[str]] = defaultdict(list)
    for obj in scores.objectives:
        if obj.rating in OBJECTIVE_POINTS:
            lever = explaining_lever(obj, scores, advice, delay, findings)
            if lever is not None:
                explained[obj.id] = lever
                points[lever] += OBJECTIVE_POINTS[obj.rating]
                named[lever].append(f"{obj.id} ({obj.rating})")
    totals = {m: sum(float(getattr(h, m)) for h in scores.harm) for m in HARM_MEASURES}
    harmful = delays(scores, advice, harmful_only=True)
    harm_time = {i.incident: (i.to_contain if i.to_contain is not None else float(scores.until or 0.0) - i.started_at)
                 for i in scores.incidents}
    harm_of = {h.incident: h for h in scores.harm}

    def share(finding: Ranked) -> float:
        best = 0.0
        for measure in HARM_MEASURES:
            if totals[measure] <= 0:
                continue
            done = 0.0
            for incident, row in harm_of.items():
                amount = float(getattr(row, measure))
                if not amount:
                    continue
                if finding.cause == "none":  # detected, never worked on: the whole harm is the finding's
                    part = 1.0 if incident in finding.incidents else 0.0
                else:
                    lost = harmful.get(incident, {})
                    whole = max(sum(lost.values()), harm_time.get(incident, 0.0))
                    part = lost.get(finding.lever, 0.0) / whole if whole > 0 and finding.lever else 0.0
                done += amount * part
            best = max(best, done / totals[measure])
        return round(best, 3)

    out = []
    spoken: set[str] = set()
    for finding in findings:
        loss = LOSS_POINTS if finding.cause in ("deadline", "drop") else 0.0
        if finding.cause == "objective" or finding.lever in spoken:  # the lever's first finding speaks for it
            out.append(Weighing([], 0.0, finding.own + loss))
            continue
        spoken.add(finding.lever)
        harm = share(finding)
        weight = HARM_POINTS * harm + loss + points.get(finding.lever, 0.0)
        out.append(Weighing(named.get(finding.lever, []), harm, round(weight, 3)))
    return out, explained


def priority_of(weight: float, base: int) -> int:
    """Priority 1 (most urgent) to 5 from the weight; a finding of weight 0 keeps its kind's own, at best 4."""
    if weight >= 4:
        return 1
    if weight >= 2:
        return 2
    if weight > 0:
        return 3
    return max(4, base)
