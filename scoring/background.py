"""Background arrivals as aggregates, and the bounded list of them shown one by one.

Scripted incidents are always listed in full. A background (``every:``) inject's arrivals are
listed up to :data:`DETAIL_CAP` (in start order), plus its :data:`WORST` worst cases by time to
contain (still open first) and by harm; every arrival is counted in the aggregates per inject,
per incident type and per actor, whatever was listed. Below the cap nothing changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import median

from ballotdrill.scoring.load import p90
from ballotdrill.scoring.model import (
    ActorArrivals,
    ArrivalStats,
    Background,
    Handoff,
    Harm,
    IncidentTimes,
    Scores,
    Spread,
    StepResult,
    r3,
)

DETAIL_CAP = 500
"""Background arrivals listed one by one per inject (in start order), besides the worst cases."""
WORST = 10
"""Worst cases listed per inject and per criterion (time to contain, harm) beyond the cap."""


def spread(values: Iterable[float | None]) -> Spread:
    """Count, median, 90th percentile (nearest rank) and maximum of the known values."""
    known = [v for v in values if v is not None]
    if not known:
        return Spread()
    return Spread(count=len(known), median=r3(median(known)), p90=r3(p90(known) or 0.0), max=r3(max(known)))


def slowest(incs: Sequence[IncidentTimes], harm: dict[str, Harm]) -> str | None:
    """The arrival still open (the earliest) or, if none, the one that took longest to contain."""
    still = [i for i in incs if i.incident in harm and harm[i.incident].open]
    if still:
        return still[0].incident
    timed = [i for i in incs if i.to_contain is not None]
    return max(timed, key=lambda i: (i.to_contain or 0.0, i.incident)).incident if timed else None


def most_harm(harms: Sequence[Harm]) -> str | None:
    """The arrival that did the most harm, if any did."""
    worst = max(harms, key=lambda h: (h.reach + h.voter_minutes + h.station_minutes, h.incident), default=None)
    return worst.incident if worst is not None and worst.nonzero else None


class _Work:
    """Each incident's step instances and handoffs, by incident id."""

    def __init__(self, steps: Sequence[StepResult], chains: Sequence[Handoff], wanted: set[str]) -> None:
        self.steps: dict[str, list[StepResult]] = defaultdict(list)
        self.chains: dict[str, list[Handoff]] = defaultdict(list)
        for step in steps:
            if step.incident in wanted:
                self.steps[step.incident].append(step)
        for chain in chains:
            if chain.incident in wanted:
                self.chains[chain.incident].append(chain)


def _stats(key: str, incs: list[IncidentTimes], harm: dict[str, Harm], work: _Work) -> ArrivalStats:
    mine = [harm[i.incident] for i in incs if i.incident in harm]
    steps = [s for i in incs for s in work.steps.get(i.incident, [])]
    chains = [h for i in incs for h in work.chains.get(i.incident, [])]
    return ArrivalStats(
        key=key, title=incs[0].title, type=incs[0].type, arrivals=len(incs),
        open_at_end=sum(h.open for h in mine), worked_on=sum(i.to_first_action is not None for i in incs),
        detect=spread(i.to_detect for i in incs), first_action=spread(i.to_first_action for i in incs),
        contain=spread(i.to_contain for i in incs), resolve=spread(i.to_resolve for i in incs),
        reach=r3(sum(h.reach for h in mine)), voter_minutes=r3(sum(h.voter_minutes for h in mine)),
        station_minutes=r3(sum(h.station_minutes for h in mine)),
        steps=len(steps), late_steps=sum(s.on_time is False for s in steps),
        deadlines_missed=sum(s.deadline_met is False for s in steps),
        handoffs=len(chains), failed_attempts=sum(h.failures for h in chains),
        drops=sum(h.status == "dropped" for h in chains),
        worst_contain=slowest(incs, harm), worst_harm=most_harm(mine),
    )


def _listed(incs: list[IncidentTimes], harm: dict[str, Harm], cap: int) -> list[str]:
    """The arrivals of one inject listed one by one: the first ``cap``, then the worst cases."""
    if len(incs) <= cap:
        return [i.incident for i in incs]
    order = {i.incident: n for n, i in enumerate(incs)}

    def contain_badness(i: IncidentTimes) -> tuple[int, float, int]:
        h = harm.get(i.incident)
        if h is not None and h.open:
            return (0, 0.0, order[i.incident])
        return (1, -(i.to_contain or 0.0), order[i.incident])

    def harm_badness(i: IncidentTimes) -> float:
        h = harm.get(i.incident)
        return -(h.reach + h.voter_minutes + h.station_minutes) if h is not None else 0.0

    chosen = {i.incident for i in incs[:cap]}
    chosen |= {i.incident for i in sorted(incs, key=contain_badness)[:WORST]}
    chosen |= {i.incident for i in sorted(incs, key=harm_badness)[:WORST] if harm_badness(i) < 0}
    return [i.incident for i in incs if i.incident in chosen]


def summarise(scores: Scores, cap: int | None = DETAIL_CAP) -> tuple[Background, set[str]]:
    """The background aggregates of ``scores`` and the ids of the background arrivals listed one by one."""
    background = [i for i in scores.incidents if i.background]
    harm = {h.incident: h for h in scores.harm}
    work = _Work(scores.steps, scores.handoffs, {i.incident for i in background})
    by_inject: dict[str, list[IncidentTimes]] = {}
    by_type: dict[str, list[IncidentTimes]] = {}
    for inc in background:
        by_inject.setdefault(inc.inject, []).append(inc)
        by_type.setdefault(inc.type, []).append(inc)
    listed: set[str] = set()
    for incs in by_inject.values():
        listed.update(_listed(incs, harm, len(incs) if cap is None else cap))
    actors: dict[str, list[StepResult]] = {}
    for inc in background:
        for step in work.steps.get(inc.incident, []):
            actors.setdefault(step.actor, []).append(step)
    summary = Background(
        cap=cap or 0, arrivals=len(background), listed=len(listed),
        injects=[_stats(key, incs, harm, work) for key, incs in by_inject.items()],
        types=[_stats(key, incs, harm, work) for key, incs in sorted(by_type.items())],
        actors=[ActorArrivals(actor=actor, steps=len(steps), late_steps=sum(s.on_time is False for s in steps),
                              wait=spread(s.wait for s in steps)) for actor, steps in sorted(actors.items())],
    )
    return summary, listed


def bounded(scores: Scores, cap: int | None = DETAIL_CAP) -> Scores:
    """``scores`` with its background aggregates, and its lists bounded to the listed arrivals (``cap=None``: all)."""
    summary, listed = summarise(scores, cap)
    if not summary.capped:
        return scores.model_copy(update={"background": summary})
    dropped = {i.incident for i in scores.incidents if i.background and i.incident not in listed}
    summary_per_incident = {k: v for k, v in scores.handoff_summary.per_incident.items() if k not in dropped}
    return scores.model_copy(update={
        "background": summary,
        "incidents": [i for i in scores.incidents if i.incident not in dropped],
        "steps": [s for s in scores.steps if s.incident not in dropped],
        "handoffs": [h for h in scores.handoffs if h.incident not in dropped],
        "harm": [h for h in scores.harm if h.incident not in dropped],
        "handoff_summary": scores.handoff_summary.model_copy(update={"per_incident": summary_per_incident}),
    })
