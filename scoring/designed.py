"""What the response was designed to take, and what a decision loop added to it.

The *designed path* to a step is its procedure's default path (``next``, order, and each decision's default
option) from the procedure's start to the step: the structure's mean duration of each step on it, plus the mean
latency of each handoff on it (a change of actor, on the step's ``via`` channel or the structure's default one).
Only this, never the path as played, can say "the designed path is longer than the target": a path played
longer because of a queue, a slow step or a decision loop is the delay's, not the design's.

A *decision loop* (a ping-pong handoff, :mod:`~ballotdrill.scoring.handoffs`) costs the stretch from when the
decision sent the work back to when that decision step was completed again (the end of the run if it never was):
the work done again and the handoffs between.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, NamedTuple

from ballotdrill.scenarios.structure import OWNER, Procedure, Step, Structure
from ballotdrill.scoring.model import Handoff, StepResult

__all__ = ["Leg", "certain_path", "default_path", "designed_arrival", "designed_legs", "designed_rest", "loop_span"]


class Leg(NamedTuple):
    """One part of a designed path: a step's mean work (``step``) or the mean latency of the handoff to it
    (``handoff``), and its minutes."""

    kind: Literal["step", "handoff"]
    step: str
    minutes: float


def designed_arrival(structure: Structure, procedure: str, step: str, actors: Mapping[str, str],
                     handed_in: bool = False, chosen: Mapping[str, str] | None = None) -> float | None:
    """Minutes from ``procedure``'s start to when ``step``'s work reaches its actor on the designed path (None:
    ``step`` is not on the default path, or the procedure is unknown): the sum of :func:`designed_legs`."""
    legs = designed_legs(structure, procedure, step, actors, handed_in, chosen)
    return None if legs is None else sum(leg.minutes for leg in legs)


def designed_legs(structure: Structure, procedure: str, step: str, actors: Mapping[str, str],
                  handed_in: bool = False, chosen: Mapping[str, str] | None = None) -> list[Leg] | None:
    """The parts of the designed path from ``procedure``'s start to when ``step``'s work reaches its actor, in order
    (None: ``step`` is not on the default path, or the procedure is unknown).

    ``actors``: the actor that played each step id of this procedure run (a role or the owner resolves to it; a
    step not played takes the structure's actor); ``handed_in``: the first step's work came by a handoff (from
    the actor that noticed or escalated the incident), whose latency counts too; ``chosen``: the option to follow
    at a decision step (by its id) instead of its default, as a run chose it."""
    proc = structure.procedures.get(procedure)
    if proc is None:
        return None
    index = {s.id: i for i, s in enumerate(proc.steps)}
    at, legs, seen = 0, [], set()
    previous: str | None = None
    while True:
        spec = proc.steps[at]
        actor = actors.get(spec.id) or structure.roles.get(spec.actor, spec.actor)
        if (previous is not None and (actor != previous or actor == OWNER)) or (previous is None and handed_in):
            channel = spec.via or structure.default_channel
            latency = structure.channels.get(channel) if channel else None
            legs.append(Leg("handoff", spec.id, float(latency.latency.mean) if latency is not None else 0.0))
        if spec.id == step:
            return legs
        seen.add(at)
        legs.append(Leg("step", spec.id, float(spec.duration.mean)))
        option = (chosen or {}).get(spec.id, "") if spec.decision is not None else ""
        following = (spec.decision.options[option if option in spec.decision.options else spec.decision.default].next
                     if spec.decision is not None else proc.successors(at)[0])
        nxt = index.get(following)
        if nxt is None or nxt in seen:
            return None
        at, previous = nxt, actor


def designed_rest(structure: Structure, procedure: str, step: str, goal: Callable[[Step], bool],
                  begun: bool = False) -> float | None:
    """The least minutes, on the structure's means, from ``step``'s work reaching its actor (``begun``: from its
    start being past, its own work not counted) to the completion of the first step after it on any path of
    ``procedure`` (``step`` itself included) for which ``goal`` holds: the mean duration of each step on the way
    and the mean latency of each handoff between (a change of actor). None when no path reaches such a step or
    ``procedure`` or ``step`` is unknown."""
    proc = structure.procedures.get(procedure)
    index = {s.id: i for i, s in enumerate(proc.steps)} if proc is not None else {}
    first = index.get(step)
    if proc is None or first is None:
        return None

    def actor(spec: Step) -> str:
        return structure.roles.get(spec.actor, spec.actor)

    def latency(spec: Step) -> float:
        channel = structure.channels.get(spec.via or structure.default_channel or "")
        return float(channel.latency.mean) if channel is not None else 0.0

    todo = [(0.0 if begun else float(proc.steps[first].duration.mean), first)]
    done: set[int] = set()
    while todo:
        minutes, at = heapq.heappop(todo)
        if at in done:
            continue
        done.add(at)
        spec = proc.steps[at]
        if goal(spec):
            return minutes
        for name in proc.successors(at):
            following = index.get(name)
            if following is None or following in done:
                continue
            nxt = proc.steps[following]
            handed = actor(nxt) != actor(spec) or actor(nxt) == OWNER
            heapq.heappush(todo, (minutes + (latency(nxt) if handed else 0.0) + float(nxt.duration.mean), following))
    return None


def default_path(proc: Procedure, step: str, inclusive: bool) -> list[Step]:
    """The steps of ``proc`` on its designed path (each decision's default) from ``step`` (``inclusive``: ``step``
    itself first), each once."""
    return _walk(proc, step, inclusive, through_decisions=True)


def certain_path(proc: Procedure, step: str, inclusive: bool) -> list[Step]:
    """The steps of ``proc`` from ``step`` (``inclusive``: ``step`` itself first) that follow whatever is decided:
    up to its next decision step, included, each once."""
    return _walk(proc, step, inclusive, through_decisions=False)


def _walk(proc: Procedure, step: str, inclusive: bool, through_decisions: bool) -> list[Step]:
    """The steps from ``step`` on, each once: past a decision step along its default option, or stopping there."""
    index = {s.id: i for i, s in enumerate(proc.steps)}
    at = index.get(step)
    out: list[Step] = []
    seen: set[int] = set()
    while at is not None and at not in seen:
        seen.add(at)
        spec = proc.steps[at]
        if inclusive or spec.id != step:
            out.append(spec)
        if spec.decision is None:
            following = proc.successors(at)[0]
        elif through_decisions:
            following = spec.decision.options[spec.decision.default].next
        else:
            break
        at = index.get(following)
    return out


def loop_span(chain: Handoff, steps: Sequence[StepResult], until: float | None) -> tuple[float, float] | None:
    """The stretch a decision loop cost: from when ``chain`` (a ping-pong handoff) sent the work back to when the
    decision step its sender had just completed was completed again (the end of the run if never); None for a
    handoff that is not a loop."""
    if not chain.ping_pong:
        return None
    same = [s for s in steps if s.incident == chain.incident and s.procedure == chain.procedure
            and s.completed_at is not None]
    decided = max((s for s in same if s.actor == chain.sender and (s.completed_at or 0.0) <= chain.sent_at + 1e-9),
                  key=lambda s: s.completed_at or 0.0, default=None)
    if decided is None:
        return None
    again = min((s.completed_at or 0.0 for s in same if s.step == decided.step
                 and (s.completed_at or 0.0) > chain.sent_at + 1e-9), default=None)
    end = again if again is not None else float(until if until is not None else chain.sent_at)
    return (chain.sent_at, end) if end > chain.sent_at else None
