"""Whether taking a lever's delay away could have changed an objective's rating (:func:`could_turn`), for the
ranking's objectives explained (:mod:`~ballotdrill.scoring.ranking`).

A time's value that much shorter rates better; a harm measure's incident contained that much sooner is contained
before its harm passed the target. What never came — an incident never contained, a time whose end never came —
could have come that much before the run stopped at the earliest, and only if the response was still under way
then (:func:`under_way`); for reach, a slowing step that much sooner may also have kept it under. A containing step
that completed and failed its draw is not undone by coming sooner (the same draw).
"""

from __future__ import annotations

from collections.abc import Mapping

from ballotdrill.scenarios.measures import parse_interval
from ballotdrill.scoring.harmpath import HarmPaths
from ballotdrill.scoring.model import ObjectiveResult, Scores
from ballotdrill.scoring.ratings import rate
from ballotdrill.scoring.windows import point_time

__all__ = ["could_turn", "under_way"]


def could_turn(obj: ObjectiveResult, removed: float, scores: Scores, passed: Mapping[str, float] | None,
               paths: HarmPaths | None = None) -> bool:
    """Whether taking ``removed`` minutes of delay out of what ``obj`` measures could have changed its rating.

    A time's value that much shorter rates better; one whose end never came could have come, at the earliest, that
    much before the run stopped, and only if the response was still under way then (:func:`under_way`). A harm
    measure's incident contained that much sooner is contained before its harm passed the target; one never
    contained could have been contained that much before the run stopped at the earliest, if its response was
    still under way then, or (for reach) had its wave slowed that much sooner by a slowing step (done, or still to
    be done when the run stopped) before its reach passed the target. True when that cannot be told (when its
    harm passed the target, or what the structure says, is not known)."""
    until = float(scores.until or 0.0)
    if obj.kind == "time":
        if obj.value is not None:
            return rate(obj.value - removed, obj.target, True)[0] != obj.rating
        try:
            interval = parse_interval(obj.subject)
        except ValueError:
            return True
        start = point_time(scores, interval.start, paths.structure if paths else None)
        if start is None or paths is None:
            return True
        return rate(until - removed - start, obj.target, True)[0] != obj.rating \
            and under_way(interval.end.incident, scores, paths, interval.end.step)
    crossed = (passed or {}).get(obj.id)
    inc = next((i for i in scores.incidents if i.incident == obj.subject), None)
    if crossed is None or inc is None:
        return True
    if inc.to_contain is not None:
        return inc.started_at + inc.to_contain - removed <= crossed
    if paths is None or paths.structure is None:
        return True
    if until - removed <= crossed and under_way(inc.incident, scores, paths):
        return True
    return obj.kind == "reach" and any(
        (step.completed_at if step.completed_at is not None else until) - removed <= crossed
        for step in scores.steps if step.incident == inc.incident and _slows(paths, step.procedure, step.step))


def under_way(incident: str, scores: Scores, paths: HarmPaths, step: str | None = None) -> bool:
    """Whether the response to ``incident`` still had work open when the run stopped (a step instance not completed,
    a handoff still travelling) that could bring what is measured: a step on a path that could change its harm
    (:meth:`~ballotdrill.scoring.harmpath.HarmPaths.moves`: one that contains, slows or mitigates it, or escalates
    it to where a procedure starts that could), or, for a time to ``step``, one leading to ``step``."""
    mine = [s for s in scores.steps if s.incident == incident]
    work = [(s.procedure, s.step) for s in mine if s.completed_at is None] + [
        (h.procedure, h.step) for h in scores.handoffs if h.incident == incident and h.status == "in_transit"]
    if step is not None:
        return any(paths.leads_to(procedure, at, step) for procedure, at in work)
    times = next((i for i in scores.incidents if i.incident == incident), None)
    every = paths.for_incident(times, {s.procedure for s in mine})
    return any(paths.moves(procedure, at, every) for procedure, at in work)


def _slows(paths: HarmPaths, procedure: str, step: str) -> bool:
    """Whether ``step`` of ``procedure`` slows its incident's wave."""
    proc = paths.structure.procedures.get(procedure) if paths.structure is not None else None
    spec = next((s for s in proc.steps if s.id == step), None) if proc is not None else None
    return spec is not None and spec.effect is not None and spec.effect.slows
