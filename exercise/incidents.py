"""An incident's state during a run, and the harm it does until contained."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from ballotdrill.exercise.waves import Wave
from ballotdrill.journal.rounding import r3
from ballotdrill.scenarios.scenario import Condition, Incident
from ballotdrill.scenarios.types import LEVELS

Draw = Callable[[random.Random], float]
"""A distribution's draw on a stream (:func:`~ballotdrill.exercise.sampling.sampler`)."""


class IncidentPlan:
    """What a run reads of an inject's incident as it plays, read once from the scenario's models (shared by every
    arrival of a background inject): a pydantic model's fields read several times slower than a plain attribute's,
    and an incident's start and harm read a dozen. The rare paths (mitigations, live views) read :attr:`spec`."""

    __slots__ = ("background", "data", "detection", "detector", "duration", "ends", "inject", "level", "mitigated",
                 "owner", "polls", "reach", "severity", "spec", "stations", "throughput", "type", "voters")

    def __init__(self, spec: Incident, inject: str, *, background: bool = False,
                 polls: tuple[float, float] = (-math.inf, math.inf), data: dict[str, Any] | None = None,
                 duration: Draw | None = None, detection: Draw | None = None, detector: str | None = None) -> None:
        self.spec = spec
        self.inject = inject
        self.background = background
        """A background arrival (an ``every:`` inject's): forgotten once resolved, since no condition can name it."""
        self.polls = polls
        """Simulation minutes when the polls open and close for the way of voting it disrupts."""
        self.data = data if data is not None else {}
        """Its ``incident_started`` row's fields."""
        self.duration = duration
        """Its duration's draw, or None: it lasts until contained."""
        self.detection = detection
        self.detector = detector
        """Its detection delay's draw and who detects it, or None: detected at once, by nobody in particular."""
        self.type = spec.type
        self.severity = spec.severity
        self.level = LEVELS.index(spec.level)
        self.owner = spec.owner
        self.reach = spec.reach
        self.voters = spec.voters
        self.stations = spec.stations
        self.throughput = spec.throughput
        self.mitigated = bool(spec.mitigated_by)
        self.ends = spec.duration is not None
        """Whether it goes away by itself (its ``duration``)."""


class IncidentState:
    """What has happened to one incident so far."""

    __slots__ = ("asked", "background", "completed", "contained_at", "detected_at", "detector", "effects",
                 "ended_with", "id", "initial_level", "inject", "level", "open_runs", "plan", "polls", "procedures",
                 "resolved_at", "severity", "spec", "started_at", "stoppable", "watched", "wave")

    def __init__(self, incident_id: str, plan: IncidentPlan, t: float, growth: float = 1.0, *,
                 watched: bool = False) -> None:
        self.id = incident_id
        self.watched = watched
        """Whether a contingency inject waits on it (a ``when:`` naming it): only then is it looked up when it changes
        (a background arrival never is: no condition can name it)."""
        self.plan = plan
        self.polls = plan.polls
        """Simulation minutes when the polls open and close: harm to voters and stations counts only between."""
        self.spec = plan.spec
        self.severity = plan.severity
        """The spec's severity (read for every step queued: a plain attribute reads faster than the spec's)."""
        self.inject = plan.inject
        self.started_at = t
        self.wave = Wave(plan.reach, t, growth) if plan.reach is not None else None
        """Its wave's growth (``growth`` scales the rate it starts with), or None for an incident without ``reach``."""
        self.background = plan.background
        """A background arrival: forgotten once resolved, since no condition can name it."""
        self.effects: random.Random | None = None
        """The stream deciding whether effects work (``incident/ID/effects``), made on first use."""
        self.detected_at: float | None = None
        self.detector: str | None = None
        self.contained_at: float | None = None
        self.completed: set[str] = set()
        """Ids of the steps completed for it so far (any procedure)."""
        self.ended_with: frozenset[str] | None = None
        """The ids of the steps completed for it when its own ``duration`` ran out and contained it (it went away by
        itself), kept as they were then: a step completed later ran after its end. None: it did not end by itself."""
        self.resolved_at: float | None = None
        self.level = self.initial_level = plan.level
        self.open_runs = 0
        self.procedures: dict[str, int] = {}
        """Procedure runs started for this incident, by procedure."""
        self.asked: dict[str, int] = {}
        """How often each decision step has asked, for stable decision keys."""
        self.stoppable = plan.ends
        """Whether something can contain it: a natural end or a containing effect in a procedure that ran."""

    def reach(self, t: float) -> int:
        """People reached by ``t`` (a wave grows until contained, up to its cap)."""
        wave = self.wave
        if wave is None:
            return 0
        return wave.reach(t if self.contained_at is None else min(t, self.contained_at))

    def reach_crossing(self, threshold: int, now: float) -> float | None:
        """Minutes after ``now`` till the reach first exceeds ``threshold`` (None: never at its present rate)."""
        if self.wave is None or self.contained_at is not None:
            return None
        return self.wave.crossing(threshold, now)

    def harm(self, t: float) -> dict[str, Any]:
        """Reach, voter-minutes lost and station-minutes disrupted by ``t``.

        Voter- and station-minutes count only while the polls are open; a station-minute is
        weighted by the share of its throughput lost (``1 - throughput``). Each is rounded to thousandths as
        ``round(x, 3)`` would (:func:`~ballotdrill.journal.rounding.r3`: never negative here, so never a -0.0 it
        would turn into 0.0).
        """
        end = t if self.contained_at is None else min(t, self.contained_at)
        opened, closed = self.polls
        minutes = max(0.0, min(end, closed) - max(self.started_at, opened))
        harm: dict[str, Any] = {}
        if self.wave is not None:
            harm["reach"] = self.reach(t)
        plan = self.plan
        if plan.voters:
            harm["voter_minutes"] = r3(plan.voters * minutes)
        if plan.stations:
            harm["station_minutes"] = r3(plan.stations * (1.0 - plan.throughput) * minutes)
        return harm

    @property
    def ended(self) -> bool:
        """Whether it was contained by its own ``duration`` running out (it went away by itself)."""
        return self.ended_with is not None

    def end_by_itself(self) -> None:
        """Its own ``duration`` ran out while nothing had contained it: it went away by itself, after the steps
        completed so far."""
        self.ended_with = frozenset(self.completed)

    def holds(self, cond: Condition, t: float) -> bool:
        """Whether the condition is true of this incident at ``t``."""
        if cond.ended_before is not None and (self.ended_with is None or cond.ended_before in self.ended_with):
            return False
        if cond.reach_above is not None:
            return self.reach(t) > cond.reach_above
        if cond.is_ is not None:
            return self.has(cond.is_, cond.level) and (cond.before is None or cond.before not in self.completed)
        return cond.is_not is None or not self.has(cond.is_not, cond.level)  # no test but 'ended_before': it held

    def has(self, state: str, level: str | None = None) -> bool:
        if state == "started":
            return True
        if state == "detected":
            return self.detected_at is not None
        if state == "escalated":
            return self.level >= LEVELS.index(level) if level else self.level > self.initial_level
        if state == "contained":
            return self.contained_at is not None
        if state == "ended":
            return self.ended
        return self.resolved_at is not None


def condition_before_start(cond: Condition) -> bool:
    """The condition's value while its incident has not started (nothing has happened to it yet)."""
    return cond.is_not is not None and cond.ended_before is None
