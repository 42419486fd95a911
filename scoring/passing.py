"""When the harm a harm objective measures first passed its target, read from the journal's own rows.

A wave's reach doubles from its start at a rate a mitigation (``mitigated``, before it began) or a
response (``wave_slowed``) changes, up to its cap; voter- and station-minutes grow at a constant
rate (``voters``; ``stations`` × the share of throughput lost) while the incident's polling
stations are open. Both stop when it is contained. So the moment the harm first exceeded the
target is exact from ``run_started``, ``incident_started``, ``mitigated``, ``wave_slowed``,
``voting_extended``, ``contained`` and ``run_ended``. The ranking weighs the delay before the moment the harm passed
the next better band's bound (:func:`~ballotdrill.scoring.windows.explaining_bound`: the target for S, 1.25 × it
for M, along its course, :meth:`HarmCourse.passes`; the whole window for U), not after: a delay that began once
that bound was passed, taken away, leaves it past the bound.

Each incident's course is kept as it was when it stopped (:class:`HarmCourse`), so the harm it had done by an
earlier moment is known: what an incident contained that much sooner would have done
(:func:`~ballotdrill.scoring.turning.sooner_rating`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from ballotdrill.journal import Event, IncidentStarted, Mitigated, RunStarted, VotingExtended, WaveSlowed
from ballotdrill.journal.kinds import (
    CONTAINED,
    INCIDENT_STARTED,
    MITIGATED,
    RUN_ENDED,
    RUN_STARTED,
    VOTING_EXTENDED,
    WAVE_SLOWED,
)
from ballotdrill.scenarios.scenario import Scenario
from ballotdrill.scoring.feed import Handlers
from ballotdrill.scoring.model import ObjectiveResult
from ballotdrill.scoring.ratings import carried_on
from ballotdrill.scoring.text import HARM_MEASURES

__all__ = ["HarmCourse", "Passed", "TargetPassing", "passing_times"]


class HarmCourse(NamedTuple):
    """One incident's harm as the journal drew it, up to where it stopped (its containment, or the run's end)."""

    segments: tuple[tuple[float, float, float], ...]
    """Its wave: ``(since, reach then, doubling time from then)`` per stretch at one rate (one: never slowed)."""
    cap: float
    opens: float
    """t from which its voter- and station-minutes count (its start, or the polls' opening)."""
    closes: float
    """t when its polling stations closed (after any extension)."""
    voter_rate: float
    station_rate: float

    def harm_at(self, kind: str, t: float) -> float:
        """Its ``kind`` of harm (``reach``, ``voter_minutes``, ``station_minutes``) done by ``t``, along this course."""
        if kind == "reach":
            since, reach, doubling = next((s for s in reversed(self.segments) if s[0] <= t), self.segments[0])
            grown = 0.0 if math.isinf(doubling) or t <= since else (t - since) / doubling
            return float(int(min(self.cap, reach * 2.0 ** min(grown, 1023.0))))
        rate = self.voter_rate if kind == "voter_minutes" else self.station_rate
        return rate * max(0.0, min(t, self.closes) - self.opens)

    def reach_slowed_sooner(self, removed: float, t: float, after: float = -math.inf) -> float:
        """Its reach by ``t`` had each slowing of its wave that came after ``after`` (when the delay taken away began)
        come ``removed`` minutes sooner, never before ``after`` nor before it began (one that came before the delay
        began is where it was): the least that taking a delay of that length out of the response could have let it
        reach."""
        first, reach, doubling = self.segments[0]
        at = first
        for since, _, slower in self.segments[1:]:
            moved = since if since <= after else max(first, after, since - removed)
            if moved >= t:
                break
            if not math.isinf(doubling):
                reach = min(self.cap, reach * 2.0 ** min((moved - at) / doubling, 1023.0))
            at, doubling = moved, slower
        if not math.isinf(doubling) and t > at:
            reach = min(self.cap, reach * 2.0 ** min((t - at) / doubling, 1023.0))
        return float(int(reach))

    def passes(self, kind: str, value: float) -> float | None:
        """When its ``kind`` of harm first exceeded ``value`` along this course (None: it never did)."""
        if kind != "reach":
            rate = self.voter_rate if kind == "voter_minutes" else self.station_rate
            t = self.opens + value / rate if rate > 0 else math.inf
            return t if t < self.closes else None
        for index, (since, reach, doubling) in enumerate(self.segments):
            if reach > value:
                return since
            if value >= self.cap or math.isinf(doubling) or reach <= 0:
                continue
            t = since + doubling * math.log2(value / reach)
            if index + 1 == len(self.segments) or t < self.segments[index + 1][0]:
                return t
        return None

    def stopped_by(self, kind: str, t: float) -> bool:
        """Whether its ``kind`` of harm had stopped growing by itself by ``t``: its wave at its cap, its polling
        stations closed (the rating's U)."""
        return self.harm_at(kind, t) >= self.cap if kind == "reach" else t >= self.closes - 1e-9

    def exact(self, kind: str) -> bool:
        """Whether :meth:`harm_at` an earlier moment is what the incident would have done had it stopped then: the
        minutes grow at one rate while the polls are open; a wave slowed on the way (several segments) would have
        been slowed sooner too, so its reach along this course is at most an upper bound."""
        return kind != "reach" or len(self.segments) == 1


class Passed(dict[str, float]):
    """Objective id -> t when its harm first exceeded its target (absent: it did not), and each harm objective's
    incident's course (``courses``, by objective id)."""

    courses: dict[str, HarmCourse]


class _Course:
    """One incident's harm as it grows: its wave's present segment and the rate of its minutes."""

    __slots__ = ("cap", "closes", "doubling", "opens", "reach", "segments", "since", "station_rate", "voter_rate")

    def __init__(self, t: float, spec: IncidentStarted, opens: float, closes: float) -> None:
        wave = spec.reach or {}
        self.since = t
        """Start of the wave's present segment (and of the incident)."""
        self.reach = float(wave.get("initial", 0.0))
        """Reach at ``since``."""
        self.doubling = float(wave.get("doubling", math.inf))
        self.cap = float(wave.get("cap", math.inf))
        self.opens, self.closes = max(t, opens), closes
        self.voter_rate = float(spec.voters or 0)
        self.station_rate = float(spec.stations or 0) * (1.0 - (spec.throughput or 0.0))
        self.segments: list[tuple[float, float, float]] = []
        """The wave's earlier segments (``since``, ``reach``, ``doubling``)."""

    def course(self) -> HarmCourse:
        """Its course so far."""
        return HarmCourse((*self.segments, (self.since, self.reach, self.doubling)), self.cap, self.opens,
                          self.closes, self.voter_rate, self.station_rate)

    def reach_passes(self, target: float, until: float) -> float | None:
        """When the reach first exceeds ``target`` in the present segment, before ``until`` (None: not by then)."""
        if self.reach > target:
            return self.since
        if target >= self.cap or math.isinf(self.doubling) or self.reach <= 0:
            return None
        t = self.since + self.doubling * math.log2(target / self.reach)
        return t if t <= until else None

    def minutes_pass(self, rate: float, target: float, until: float) -> float | None:
        """When minutes at ``rate`` a minute, counted from the polls' opening, first exceed ``target`` before
        ``until`` and the close (None: not by then)."""
        if rate <= 0:
            return None
        t = self.opens + target / rate
        return t if t < min(until, self.closes) else None


class TargetPassing:
    """Fed a run's events in ``seq`` order: for each objective on ``reach``, ``voter_minutes`` or
    ``station_minutes``, the t its incident's harm first exceeded the target (:meth:`passed_for`), and the same
    for each incident carrying its incident on (``continues``: an objective is measured on one when its own ended
    by itself)."""

    def __init__(self, scenario: Scenario) -> None:
        self._targets: dict[str, list[tuple[str, str, float]]] = {}
        chains = scenario.continuations()
        for objective in scenario.objectives:
            kind = objective.measure.kind
            if kind in ("reach", "voter_minutes", "station_minutes"):
                for incident in carried_on(objective.measure.subject, chains):
                    self._targets.setdefault(incident, []).append((objective.id, kind, objective.target_value))
        self._opens, self._closes, self._last_close = -math.inf, {}, math.inf  # type: float, dict[str, float], float
        self._courses: dict[str, _Course] = {}
        self.passed_on: dict[tuple[str, str], float] = {}
        """(objective id, incident) -> t when that incident's harm first exceeded the objective's target."""
        self.courses: dict[str, HarmCourse] = {}
        """Per incident a harm objective measures, its course where it stopped (its containment, the end)."""

    def passed_for(self, objectives: Iterable[ObjectiveResult]) -> Passed:
        """Objective id -> t when the harm it was rated on first exceeded its target: its subject's, or the
        incident's it was measured on (``ObjectiveResult.measured``); absent: it did not. With each one's course
        (``Passed.courses``)."""
        objectives = list(objectives)
        found = {o.id: self.passed_on.get((o.id, o.measured or o.subject)) for o in objectives}
        passed = Passed({objective: t for objective, t in found.items() if t is not None})
        passed.courses = {o.id: self.courses[o.measured or o.subject] for o in objectives
                          if o.kind in HARM_MEASURES and (o.measured or o.subject) in self.courses}
        return passed

    @property
    def wanted(self) -> bool:
        """Whether the scenario has a harm objective (else nothing needs feeding)."""
        return bool(self._targets)

    def handlers(self) -> Handlers:
        if not self._targets:
            return {}
        return {RUN_STARTED: self._run_started, INCIDENT_STARTED: self._started, MITIGATED: self._mitigated,
                WAVE_SLOWED: self._slowed, VOTING_EXTENDED: self._extended, CONTAINED: self._stopped,
                RUN_ENDED: self._ended}

    def _run_started(self, event: Event) -> None:
        started = event.fields(RunStarted)
        if started.polls:
            self._opens, self._last_close = started.polls[0], started.polls[1]
        self._closes = dict(started.closes or {})

    def _started(self, event: Event) -> None:
        incident = event.incident
        if incident is None or incident not in self._targets or incident in self._courses:
            return
        spec = event.fields(IncidentStarted)
        closes = self._closes.get(spec.voting, self._last_close) if spec.voting else self._last_close
        self._courses[incident] = _Course(event.t, spec, self._opens, closes)

    def _mitigated(self, event: Event) -> None:
        course = self._courses.get(event.incident or "")
        growth = event.fields(Mitigated).growth
        if course is not None and growth is not None:  # a share of the growth rate before the wave began
            course.doubling = course.doubling / growth if growth > 0 else math.inf

    def _slowed(self, event: Event) -> None:
        course = self._courses.get(event.incident or "")
        if course is None:
            return
        self._check(str(event.incident), course, event.t, reach_only=True)
        slowed = event.fields(WaveSlowed)
        course.segments.append((course.since, course.reach, course.doubling))
        course.since, course.reach = event.t, float(slowed.reach)
        course.doubling = math.inf if slowed.doubling is None else slowed.doubling

    def _extended(self, event: Event) -> None:
        course, row = self._courses.get(event.incident or ""), event.fields(VotingExtended)
        if course is not None and row.keeps(event.t):
            course.closes = row.until

    def _stopped(self, event: Event) -> None:
        course = self._courses.pop(event.incident or "", None)
        if course is not None:
            self._check(str(event.incident), course, event.t)
            self.courses[str(event.incident)] = course.course()

    def _ended(self, event: Event) -> None:
        for incident, course in self._courses.items():
            self._check(incident, course, event.t)
            self.courses[incident] = course.course()
        self._courses = {}

    def _check(self, incident: str, course: _Course, until: float, *, reach_only: bool = False) -> None:
        """Record the objectives on ``incident`` whose target its harm passed before ``until``."""
        for objective, kind, target in self._targets[incident]:
            if (objective, incident) in self.passed_on or (reach_only and kind != "reach"):
                continue
            t = (course.reach_passes(target, until) if kind == "reach" else
                 course.minutes_pass(course.voter_rate if kind == "voter_minutes" else course.station_rate,
                                     target, until))
            if t is not None:
                self.passed_on[(objective, incident)] = t


def passing_times(scenario: Scenario, events: Iterable[Event],
                  objectives: Iterable[ObjectiveResult] | None = None) -> Mapping[str, float]:
    """Objective id -> t when its harm first exceeded its target, from a run's events in ``seq`` order
    (``objectives``: the run's, so one measured on an incident continuing its subject's is read there)."""
    passing = TargetPassing(scenario)
    table = passing.handlers()
    for event in events:
        handler = table.get(event.kind)
        if handler is not None:
            handler(event)
    if objectives is None:
        return {objective: t for (objective, incident), t in passing.passed_on.items()
                if any(o.id == objective and o.measure.subject == incident for o in scenario.objectives)}
    return passing.passed_for(objectives)
