"""Timeliness and harm: collectors fed journal events once, in ``seq`` order.

- per incident: minutes from its start to detection, to the first step started, to
  containment and to resolution (None when it never happened in the run);
- per step instance: queue wait, elapsed time since its procedure started, against its
  target (``late_by`` = elapsed - target when positive) and its legal deadline; a step still
  queued or in progress when the run stopped is measured to the end (late once past its target);
- per incident harm: reach, voter-minutes and station-minutes from ``contained``, or from
  ``run_ended.data.harm`` for an incident still open at the end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import NamedTuple

from ballotdrill.journal import (
    Contained,
    Escalated,
    Event,
    IncidentStarted,
    Kind,
    ProcedureStarted,
    RunEnded,
    RunStarted,
    StepCompleted,
    StepQueued,
    StepStarted,
    StepTargets,
)
from ballotdrill.journal.kinds import (
    CONTAINED,
    DETECTED,
    ESCALATED,
    INCIDENT_STARTED,
    PROCEDURE_STARTED,
    RESOLVED,
    RUN_ENDED,
    RUN_STARTED,
    STEP_COMPLETED,
    STEP_QUEUED,
    STEP_STARTED,
)
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.feed import Handlers, feed_all
from ballotdrill.scoring.measured import HarmMeasure, IncidentMeasure, StepMeasure
from ballotdrill.scoring.model import (
    Harm,
    IncidentTimes,
    StepResult,
    StepStatus,
    r3,
    r3n,
    unchecked,
)


class RunInfo(NamedTuple):
    """``run_started``'s fields (None where the journal has none), with ``last_t`` the last event's t."""

    scenario: str
    seed: int | None
    start: float | None
    end: float | None
    until: float | None
    last_t: float


class RunClock:
    """The run's ``run_started`` fields (the first such row), its last ``run_ended`` and its latest t.

    ``last_t`` is kept by the scorer, which sees every event (not only the kinds handled here).
    """

    def __init__(self) -> None:
        self.started: RunStarted | None = None
        self.ended_t: float | None = None
        self.last_t = 0.0

    def handlers(self) -> Handlers:
        return {RUN_STARTED: self._started, RUN_ENDED: self._ended}

    def _started(self, event: Event) -> None:
        if self.started is None:
            self.started = event.fields(RunStarted)

    def _ended(self, event: Event) -> None:
        self.ended_t = float(event.t)

    @property
    def start(self) -> float:
        """Clock minutes of t = 0 (0 without a ``run_started`` row)."""
        return float(self.started.start or 0.0) if self.started is not None else 0.0

    def info(self) -> RunInfo:
        started = self.started
        if started is None:
            return RunInfo("", None, 0.0, None, None, self.last_t)
        return RunInfo(started.scenario if started.scenario is not None else "", started.seed,
                       started.start if started.start is not None else 0.0, started.end, started.until,
                       self.last_t)

    def until(self) -> float:
        """Where the run stopped: ``run_ended``'s t, else ``run_started.data.until``, else the last event."""
        if self.ended_t is not None:
            return self.ended_t
        until = self.info().until
        return float(until) if isinstance(until, (int, float)) else float(self.last_t)


class _First(NamedTuple):
    """The first row of one kind for an incident: what timing and evidence need of it."""

    seq: int
    t: float
    actor: str | None
    how: str | None = None


class _Incident:
    """What is known of one incident so far."""

    __slots__ = ("escalations", "firsts", "start")

    def __init__(self) -> None:
        self.start: tuple[Event, IncidentStarted] | None = None
        self.firsts: dict[str, _First] = {}
        self.escalations: list[str] = []

    def times(self, incident: str) -> IncidentTimes:
        return unchecked(IncidentTimes, self.measure(incident)._asdict())  # validated again if kept

    def measure(self, incident: str) -> IncidentMeasure:
        """The incident's fields as its :class:`IncidentTimes` holds them, without building the record."""
        assert self.start is not None
        start, data = self.start
        firsts = self.firsts

        def after(kind: str) -> float | None:
            first = firsts.get(kind)
            return None if first is None else r3(first.t - start.t)

        detected, contained = firsts.get(DETECTED), firsts.get(CONTAINED)
        rows = [start.seq] + [f.seq for k in (DETECTED, STEP_STARTED, ESCALATED, CONTAINED,
                                              RESOLVED) if (f := firsts.get(k)) is not None]
        return IncidentMeasure(
            incident, str(data.type or ""), str(data.title or ""), int(data.severity or 0), str(data.inject or ""),
            is_background(incident, data), r3(start.t), detected.actor if detected else None,
            after(DETECTED), after(STEP_STARTED), after(CONTAINED), after(RESOLVED),
            contained.actor if contained else None, contained.how if contained else None,
            list(self.escalations), sorted(rows),
        )


def is_background(incident: str, started: IncidentStarted) -> bool:
    """Whether an incident is an arrival of a background (``every:``) inject: its id is ``INJECT-n``."""
    return bool(started.inject) and incident.startswith(f"{started.inject}-")


class IncidentCollector:
    """Time to detect, first action, contain and resolve of every incident (the first row of each kind)."""

    def __init__(self) -> None:
        self.incidents: dict[str, _Incident] = {}
        self.order: dict[str, int] = {}
        """Incidents in the order they started, each with its ordinal (the n-th to start)."""
        self.started = 0

    def handlers(self) -> Handlers:
        table: Handlers = {kind: self._first for kind in _FIRSTS}
        table[INCIDENT_STARTED] = self._started
        table[ESCALATED] = self._escalated
        return table

    def _get(self, event: Event) -> _Incident | None:
        if event.incident is None:
            return None
        found = self.incidents.get(event.incident)
        if found is None:
            found = self.incidents[event.incident] = _Incident()
        return found

    def _started(self, event: Event) -> None:
        inc = self._get(event)
        if inc is not None and inc.start is None:
            inc.start = (event, event.fields(IncidentStarted))
            self.order[event.incident or ""] = self.started
            self.started += 1

    def _first(self, event: Event) -> None:
        inc = self._get(event)
        if inc is not None and event.kind not in inc.firsts:
            how = str(event.fields(Contained).how) if event.kind == CONTAINED else None
            inc.firsts[event.kind] = _First(event.seq, event.t, event.actor, how)

    def _escalated(self, event: Event) -> None:
        inc = self._get(event)
        if inc is not None:
            inc.escalations.append(str(event.fields(Escalated).to or ""))
            if ESCALATED not in inc.firsts:
                inc.firsts[ESCALATED] = _First(event.seq, event.t, event.actor)

    def results(self) -> list[IncidentTimes]:
        """Every incident that started (and was not taken out with :meth:`pop`), in start order."""
        return [self.incidents[i].times(i) for i in self.order]

    def numbered(self) -> list[tuple[int, IncidentTimes]]:
        """:meth:`results`, each with its start ordinal."""
        return [(n, self.incidents[i].times(i)) for i, n in self.order.items()]

    def pop(self, incident: str) -> tuple[int, IncidentTimes]:
        """Take a started incident out, with its start ordinal: what is known of it is final."""
        n = self.order.pop(incident)
        return n, self.incidents.pop(incident).times(incident)


def incident_times(events: Iterable[Event]) -> list[IncidentTimes]:
    """Time to detect, first action, contain and resolve for every incident, in start order."""
    collector = IncidentCollector()
    feed_all(collector, events)
    return collector.results()


_FIRSTS = (Kind.DETECTED, Kind.STEP_STARTED, Kind.CONTAINED, Kind.RESOLVED)
"""Kinds whose first row per incident times it (``escalated`` also collects every level)."""


class _Queued(NamedTuple):
    seq: int
    t: float
    unstaffed: bool


class _Started(NamedTuple):
    seq: int
    t: float
    wait: float | None


class _Completed(NamedTuple):
    seq: int
    t: float
    elapsed: float | None
    goals: StepTargets


_NO_TARGETS = StepTargets()


class _End(NamedTuple):
    """What measuring a step still open at the end needs: where the run stopped, procedure starts, targets."""

    until: float
    procedure_start: dict[str, dict[str, float]]
    goals: dict[tuple[str, str], tuple[float | None, float | None]]


class _Open:
    """A step instance being assembled from its queued/started/completed rows."""

    __slots__ = ("actor", "completed", "incident", "n", "procedure", "queued", "started", "step")

    def __init__(self, event: Event, procedure: str, n: int) -> None:
        self.n = n
        """The n-th step instance to appear in the run."""
        self.incident = event.incident or ""
        self.procedure = procedure
        self.step = event.step or ""
        self.actor = event.actor or ""
        self.queued: _Queued | None = None
        self.started: _Started | None = None
        self.completed: _Completed | None = None

    def measure(self, end: _End | None = None) -> StepMeasure:
        """The step instance's fields as its :class:`StepResult` holds them; ``end`` measures one still open when
        the run stopped."""
        done = self.completed
        goals = done.goals if done else _NO_TARGETS
        elapsed = r3n(done.elapsed if done else None)
        target = r3n(goals.target)
        deadline = r3n(goals.deadline)
        wait = self.started.wait if self.started else None
        status: StepStatus = "completed"
        if done is None and end is not None:
            status = "in_progress" if self.started else "queued"
            if self.started is None and self.queued is not None:
                wait = end.until - self.queued.t
            began = end.procedure_start.get(self.incident, {}).get(self.procedure)
            elapsed = None if began is None else r3(max(0.0, end.until - began))
            target, deadline = end.goals.get((self.procedure, self.step), (None, None))
        late = None if elapsed is None or target is None else r3(max(0.0, elapsed - target))
        on_time = None if late is None else late == 0
        deadline_met = None if deadline is None or elapsed is None else elapsed <= deadline
        if status != "completed" and on_time:  # still open, not yet past its target: undecided
            on_time, late = None, None
        if status != "completed" and deadline_met:
            deadline_met = None
        queued, started = self.queued, self.started
        return StepMeasure(
            self.incident, self.procedure, self.step, self.actor, r3n(queued.t if queued else None),
            r3n(started.t if started else None), r3n(done.t if done else None), r3n(wait), elapsed, target, late,
            on_time, deadline, deadline_met, str(goals.basis or ""), bool(queued and queued.unstaffed), status,
            [row.seq for row in (queued, started, done) if row is not None])

    def result(self, end: _End | None = None) -> StepResult:
        """The step instance's result; ``end`` measures one still open when the run stopped."""
        return unchecked(StepResult, self.measure(end)._asdict())  # validated again if kept


def step_goals(structure: Structure) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """``(procedure, step) -> (target, legal deadline)`` in minutes, from the structure."""
    return {(name, step.id): (step.target, step.deadline.within if step.deadline else None)
            for name, proc in structure.procedures.items() for step in proc.steps}


_StepKey = tuple[str | None, str, str | None, str | None]


class StepCollector:
    """Every step instance, paired first-in first-out per (incident, procedure, step, actor)."""

    def __init__(self) -> None:
        self.queued: dict[_StepKey, deque[_Open]] = {}
        self.running: dict[_StepKey, deque[_Open]] = {}
        self.by_incident: dict[str, list[_Open]] = {}
        """Every step instance not taken out (:meth:`pop`), by incident, each numbered in the order it appeared."""
        self.made = 0
        self.procedure_start: dict[str, dict[str, float]] = {}

    def handlers(self) -> Handlers:
        return {PROCEDURE_STARTED: self._procedure, STEP_QUEUED: self._queued,
                STEP_STARTED: self._started, STEP_COMPLETED: self._completed}

    def _procedure(self, event: Event) -> None:
        self.procedure_start.setdefault(event.incident or "", {})[str(event.fields(ProcedureStarted).procedure)] = \
            event.t

    def _new(self, event: Event, procedure: str) -> _Open:
        item = _Open(event, procedure, self.made)
        self.made += 1
        found = self.by_incident.get(item.incident)
        if found is None:
            self.by_incident[item.incident] = [item]
        else:
            found.append(item)
        return item

    def _take(self, table: dict[_StepKey, deque[_Open]], key: _StepKey, event: Event, procedure: str) -> _Open:
        """The oldest instance waiting for ``event``, or a new one (work that started or ended unseen)."""
        waiting = table.get(key)
        if waiting:
            item = waiting.popleft()
            if not waiting:
                del table[key]
            return item
        return self._new(event, procedure)

    def _queued(self, event: Event) -> None:
        data = event.fields(StepQueued)
        procedure = str(data.procedure or "")
        item = self._new(event, procedure)
        item.queued = _Queued(event.seq, event.t, data.on_duty == 0)
        self.queued.setdefault((event.incident, procedure, event.step, event.actor), deque()).append(item)

    def _started(self, event: Event) -> None:
        data = event.fields(StepStarted)
        procedure = str(data.procedure or "")
        key = (event.incident, procedure, event.step, event.actor)
        item = self._take(self.queued, key, event, procedure)
        item.started = _Started(event.seq, event.t, data.wait)
        self.running.setdefault(key, deque()).append(item)

    def _completed(self, event: Event) -> None:
        data = event.fields(StepCompleted)
        procedure = str(data.procedure or "")
        item = self._take(self.running, (event.incident, procedure, event.step, event.actor), event, procedure)
        item.completed = _Completed(event.seq, event.t, data.elapsed, event.fields(StepTargets))

    def results(self, structure: Structure | None = None, until: float | None = None) -> list[StepResult]:
        """Every step instance in the order it first appeared; with ``until``, open ones measured to it."""
        return [result for _, result in self.numbered(structure, until)]

    def numbered(self, structure: Structure | None = None,
                 until: float | None = None) -> list[tuple[int, StepResult]]:
        """:meth:`results`, each with its ordinal (the n-th step instance to appear)."""
        end = None if until is None else _End(until, self.procedure_start, step_goals(structure) if structure else {})
        items = sorted((item for items in self.by_incident.values() for item in items), key=lambda item: item.n)
        return [(item.n, item.result(end)) for item in items]

    def measured(self, goals: dict[tuple[str, str], tuple[float | None, float | None]],
                 until: float) -> list[StepMeasure]:
        """Every step instance in the order it first appeared, open ones measured to ``until`` against ``goals``
        (:func:`step_goals`): :meth:`results` without building the records."""
        end = _End(until, self.procedure_start, goals)
        items = sorted((item for items in self.by_incident.values() for item in items), key=lambda item: item.n)
        return [item.measure(end) for item in items]

    def done(self, incident: str) -> bool:
        """Whether every step instance of ``incident`` seen so far has completed."""
        return all(item.completed is not None for item in self.by_incident.get(incident, ()))

    def pop(self, incident: str) -> list[tuple[int, StepResult]]:
        """Take out the step instances of ``incident`` (all completed), numbered: they are final."""
        self.procedure_start.pop(incident, None)
        return [(item.n, item.result()) for item in self.by_incident.pop(incident, ())]


def step_results(events: Iterable[Event], structure: Structure | None = None,
                 until: float | None = None) -> list[StepResult]:
    """Every step instance, paired first-in first-out per (incident, procedure, step, actor).

    With ``until`` (where the run stopped), a step still queued or in progress is measured to
    it, against its target and deadline in ``structure``.
    """
    collector = StepCollector()
    feed_all(collector, events)
    return collector.results(structure, until)


class HarmCollector:
    """Reach, voter-minutes and station-minutes per incident (at containment, or at the run's end)."""

    def __init__(self) -> None:
        self.contained: dict[str, tuple[int, Contained]] = {}
        self.incidents: dict[str, None] = {}  # ids in start order (a dict: membership is O(1))
        self.end_harm: dict[str, dict[str, float]] = {}
        self.end_seq: int | None = None

    def handlers(self) -> Handlers:
        return {INCIDENT_STARTED: self._started, CONTAINED: self._contained, RUN_ENDED: self._ended}

    def _started(self, event: Event) -> None:
        if event.incident:
            self.incidents.setdefault(event.incident)

    def _contained(self, event: Event) -> None:
        if event.incident and event.incident not in self.contained:
            self.contained[event.incident] = (event.seq, event.fields(Contained))

    def _ended(self, event: Event) -> None:
        self.end_harm = dict(event.fields(RunEnded).harm or {})
        self.end_seq = event.seq

    def results(self) -> list[Harm]:
        """Every incident's harm, in start order."""
        return [self.harm_of(incident) for incident in self.incidents]

    def pop(self, incident: str) -> Harm:
        """Take out a contained incident's harm: it is final."""
        found = self.harm_of(incident)
        self.incidents.pop(incident, None)
        self.contained.pop(incident, None)
        return found

    def harm_of(self, incident: str) -> Harm:
        return unchecked(Harm, self.measure(incident)._asdict())  # validated again if kept

    def measure(self, incident: str) -> HarmMeasure:
        """``incident``'s harm as its :class:`Harm` holds it, without building the record."""
        row = self.contained.get(incident)
        if row is not None:
            data, evidence, still_open = row[1], [row[0]], False
        else:
            at_end = self.end_harm.get(incident) or {}
            data = Contained("", at_end.get("reach"), at_end.get("voter_minutes"), at_end.get("station_minutes"))
            evidence, still_open = ([self.end_seq] if self.end_seq is not None else []), True
        return HarmMeasure(incident, r3(data.reach or 0), r3(data.voter_minutes or 0), r3(data.station_minutes or 0),
                           still_open, evidence)


def harm(events: Iterable[Event]) -> list[Harm]:
    """Reach, voter-minutes and station-minutes per incident (at containment, or at the run's end)."""
    collector = HarmCollector()
    feed_all(collector, events)
    return collector.results()
