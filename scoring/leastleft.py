"""The least the response still needed, whatever is drawn, to bring an objective's end point from the work it had
open when the run stopped: whether a time objective not finished at the stop could still have been met.

A lower bound, never an estimate: each step on the way counts the least its duration can draw (a triangular's or a
uniform's minimum, a fixed value, the smallest listed value; nothing for an exponential or a lognormal), less what
a step under way had already run; a handoff, a queue, a shift gap, a failed containment draw or a decision loop
can only add to it, so none is counted. From each piece of open work (a step queued or under way, a handoff still
travelling: the step it carries) along every path of its procedure (every option of a decision not yet taken) to
the first step that brings the end point (the end step's completion; for a containment, a step that may contain
the incident) or that escalates the incident (a procedure it starts could bring it: the bound stops there). None
when it cannot be told: the incident has a natural end (it could end by itself at any time) or is a background
arrival, no work of it was open, no open work leads there, its procedures' completion is what contains it (none
has an effect), or, in a run stopped early, an action (scripted, or a player's) could still start another
procedure for it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from ballotdrill.scenarios.distributions import Empirical, Fixed, Triangular, Uniform
from ballotdrill.scenarios.measures import Point
from ballotdrill.scenarios.scenario import Incident, Scenario
from ballotdrill.scenarios.structure import Procedure, Structure

__all__ = ["Left", "OpenWork", "least_duration", "least_left", "open_pieces"]


class OpenWork(NamedTuple):
    """A piece of work open when the run stopped: a step instance queued or under way (``began``: when its work
    began), or the step a handoff still travelling carries (``began`` None)."""

    incident: str
    procedure: str
    step: str
    began: float | None


class Left(NamedTuple):
    """The least minutes still needed after the stop, and the open work they run from."""

    minutes: float
    work: OpenWork
    least: float
    """The least the work's own step takes, whatever is drawn."""


def open_pieces(steps: Iterable[tuple[int, object]], chains: Iterable[tuple[int, object]]) -> list[OpenWork]:
    """The work open at the stop from a scorer's numbered step and handoff fields (``StepMeasure``,
    ``HandoffMeasure``): steps not completed, handoffs in transit."""
    out = [OpenWork(s.incident, s.procedure, s.step, s.started_at)  # type: ignore[attr-defined]
           for _, s in steps if s.status != "completed"]  # type: ignore[attr-defined]
    return out + [OpenWork(c.incident, c.procedure, c.step, None)  # type: ignore[attr-defined]
                  for _, c in chains if c.status == "in_transit"]  # type: ignore[attr-defined]


def least_duration(dist: object) -> float:
    """The least minutes a draw of ``dist`` can take (0 for an exponential or a lognormal)."""
    if isinstance(dist, Fixed):
        return float(dist.value)
    if isinstance(dist, (Uniform, Triangular)):
        return float(dist.min)
    if isinstance(dist, Empirical):
        weights = dist.weights or [1.0] * len(dist.values)
        return min(float(v) for v, w in zip(dist.values, weights, strict=True) if w > 0)
    return 0.0


def least_left(scenario: Scenario, structure: Structure, work: Sequence[OpenWork], end: Point, until: float,
               cut: bool, ran: Collection[str] = ()) -> Left | None:
    """The least minutes after ``until`` before ``end`` (a step's completion, or an incident's containment) could
    come, from the open ``work`` of its incident (module docstring; ``cut``: the run
    stopped before the scenario's end; ``ran``: the procedures run for the incident that ended); None when that
    cannot be told."""
    if end.event not in ("completed", "contained") or (end.event == "completed") != (end.step is not None):
        return None
    mine = [piece for piece in work if piece.incident == end.incident]
    started = {*ran, *(piece.procedure for piece in mine)}
    spec = _spec(scenario, end.incident)
    if spec is None or spec.duration is not None or (cut and _action_may_start(structure, spec, started)):
        return None
    procedures = [structure.procedures.get(name) for name in started]
    if end.step is None and not any(proc is not None and any(s.effect is not None for s in proc.steps)
                                    for proc in procedures):
        return None  # no procedure of it has an effect: their completion is what contains it
    best: Left | None = None
    for piece in mine:
        proc = structure.procedures.get(piece.procedure)
        index = {s.id: i for i, s in enumerate(proc.steps)} if proc is not None else {}
        at = index.get(piece.step)
        if proc is None or at is None:
            return None
        own = least_duration(proc.steps[at].duration)
        first = max(0.0, own - (until - piece.began)) if piece.began is not None else own
        found = _first_goal(proc, index, at, first, end)
        if found is not None and (best is None or found < best.minutes):
            best = Left(found, piece, own)
    return best


def _first_goal(proc: Procedure, index: dict[str, int], at: int, first: float, end: Point) -> float | None:
    """The least minutes to the first completion, from step ``at`` (its own work ``first``), of a step that brings
    ``end`` or escalates the incident, along every path (every option of a decision)."""
    best: dict[int, float] = {at: first}
    todo = [at]
    found: float | None = None
    while todo:
        here = todo.pop()
        spec, spent = proc.steps[here], best[here]
        if (spec.id == end.step if end.step is not None else spec.effect is not None and spec.effect.contains) \
                or spec.escalate is not None:
            found = spent if found is None else min(found, spent)
            continue
        for name in proc.successors(here):
            nxt = index.get(name)
            if nxt is None:
                continue
            total = spent + least_duration(proc.steps[nxt].duration)
            if total < best.get(nxt, math.inf) - 1e-9:
                best[nxt] = total
                todo.append(nxt)
    return found


def _spec(scenario: Scenario, incident: str) -> Incident | None:
    """``incident``'s spec, by its inject (None when the scenario has no inject of it: a background arrival)."""
    for inject_id, inject in zip(scenario.inject_ids(), scenario.injects, strict=True):
        spec = inject.incident
        if spec is not None and (spec.id or inject_id) == incident:
            return spec
    return None


def _action_may_start(structure: Structure, spec: Incident, started: Collection[str]) -> bool:
    """Whether an action (scripted, or a player's in a live exercise) could still start a procedure for an incident
    of ``spec``'s type that has not started for it (``started``)."""
    return any(proc.trigger.action is not None and name not in started
               and (proc.trigger.type is None or spec.type in proc.trigger.types)
               for name, proc in structure.procedures.items())
