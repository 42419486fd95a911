"""What held a queue wait, minute by minute: nobody on duty at its desk, a step ahead of it waiting for a crew larger
than the shift (the desk serves in order), or other work.

``StepResult.unstaffed`` says only how a wait began. A wait that began with nobody on duty and went on, once the shift
began, behind other work or behind a step short of its crew is split by the staff on duty (the actor's shifts,
:meth:`~ballotdrill.scenarios.structure.Actor.staff_at`, the engine's own rule) and by when that step waited; the
cause of a late step, and its fix, follow the largest part.
"""

from __future__ import annotations

import itertools
import math
from typing import Literal, NamedTuple

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.crews import ShortCrew
from ballotdrill.scoring.model import StepResult

__all__ = ["Held", "WaitParts", "wait_parts"]

Held = Literal["off_duty", "crew", "behind"]


class WaitParts(NamedTuple):
    """A wait's minutes with nobody on duty, held behind a step short of its crew (staff on duty), and the rest
    (behind other work)."""

    off_duty: float
    crew: float
    behind: float

    @property
    def largest(self) -> Held:
        """The part of the most minutes (ties: nobody on duty, then the crew, then other work)."""
        parts: list[tuple[float, Held]] = [(self.off_duty, "off_duty"), (self.crew, "crew"), (self.behind, "behind")]
        return max(enumerate(parts), key=lambda ip: (ip[1][0], -ip[0]))[1][1]


def wait_parts(step: StepResult, structure: Structure | None, start: float, held: ShortCrew | None,
               until: float | None) -> WaitParts | None:
    """``step``'s wait (from its arrival to its start, or to ``until`` when it never started) split by what held it
    (``held``: the step short of its crew waiting ahead of it at its desk, if any; ``start``: the run's clock at
    t = 0); None when it did not wait or its actor is unknown."""
    actor = structure.actors.get(step.actor) if structure is not None else None
    begun = step.queued_at
    end = step.started_at if step.started_at is not None else until
    if actor is None or begun is None or end is None or end <= begun:
        return None
    crew_from, crew_to = (held.step.queued_at or 0.0, held.step.started_at if held.step.started_at is not None
                          else math.inf) if held is not None else (math.inf, math.inf)
    cuts = {begun, end, min(max(crew_from, begun), end), min(max(crew_to, begun), end)}
    for shift in actor.shifts:  # where the staff on duty can change: each shift's start and end, every day
        first, length = shift.window
        for day in range(math.floor((start + begun) / 1440) - 1, math.floor((start + end) / 1440) + 1):
            for clock in (first + 1440 * day, first + length + 1440 * day):
                if begun < clock - start < end:
                    cuts.add(clock - start)
    off = crew = behind = 0.0
    points = sorted(cuts)
    for lo, hi in itertools.pairwise(points):
        middle = (lo + hi) / 2
        if actor.staff_at(start + middle) == 0:
            off += hi - lo
        elif crew_from <= middle < crew_to:
            crew += hi - lo
        else:
            behind += hi - lo
    return WaitParts(off, crew, behind)
