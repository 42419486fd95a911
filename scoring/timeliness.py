"""Timeliness and harm: pure functions from journal events.

- per incident: minutes from its start to detection, to the first step started, to
  containment and to resolution (None when it never happened in the run);
- per step instance: queue wait, elapsed time since its procedure started, against its
  target (``late_by`` = elapsed - target when positive) and its legal deadline; a step still
  queued or in progress when the run stopped is measured to the end (late once past its target);
- per incident harm: reach, voter-minutes and station-minutes from ``contained``, or from
  ``run_ended.data.harm`` for an incident still open at the end.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
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
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.model import Harm, IncidentTimes, StepResult, StepStatus, r3, r3n


class RunInfo(NamedTuple):
    """``run_started``'s fields (None where the journal has none), with ``last_t`` the last event's t."""

    scenario: str
    seed: int | None
    start: float | None
    end: float | None
    until: float | None
    last_t: float


def run_info(events: Sequence[Event]) -> RunInfo:
    """The run's ``run_started`` fields and its last event's t."""
    last_t = max((e.t for e in events), default=0.0)
    started = next((e.fields(RunStarted) for e in events if e.kind == Kind.RUN_STARTED), None)
    if started is None:
        return RunInfo("", None, 0.0, None, None, last_t)
    return RunInfo(started.scenario if started.scenario is not None else "", started.seed,
                   started.start if started.start is not None else 0.0, started.end, started.until, last_t)


def run_until(events: Sequence[Event], info: RunInfo | None = None) -> float:
    """Where the run stopped: ``run_ended``'s t, else ``run_started.data.until``, else the last event.

    ``info``: :func:`run_info` of ``events`` when the caller has it already.
    """
    for event in reversed(events):
        if event.kind == Kind.RUN_ENDED:
            return float(event.t)
    info = info if info is not None else run_info(events)
    until = info.until
    return float(until) if isinstance(until, (int, float)) else float(info.last_t)


def incident_times(events: Sequence[Event]) -> list[IncidentTimes]:
    """Time to detect, first action, contain and resolve for every incident, in start order."""
    started: dict[str, Event] = {}
    firsts: dict[tuple[str, str], Event] = {}
    escalations: dict[str, list[str]] = defaultdict(list)
    for event in events:
        if event.incident is None:
            continue
        if event.kind == Kind.INCIDENT_STARTED:
            started.setdefault(event.incident, event)
        elif event.kind in _FIRSTS:
            firsts.setdefault((event.incident, event.kind), event)
        elif event.kind == Kind.ESCALATED:
            escalations[event.incident].append(str(event.fields(Escalated).to or ""))
            firsts.setdefault((event.incident, event.kind), event)
    out: list[IncidentTimes] = []
    for incident, start in started.items():
        def after(kind: str, inc: str = incident, t0: float = start.t) -> float | None:
            event = firsts.get((inc, kind))
            return None if event is None else r3(event.t - t0)

        rows = [start] + [e for k in (Kind.DETECTED, Kind.STEP_STARTED, Kind.ESCALATED, Kind.CONTAINED, Kind.RESOLVED)
                          if (e := firsts.get((incident, k))) is not None]
        detected = firsts.get((incident, Kind.DETECTED))
        contained = firsts.get((incident, Kind.CONTAINED))
        data = start.fields(IncidentStarted)
        out.append(IncidentTimes(
            incident=incident, type=str(data.type or ""), title=str(data.title or ""),
            severity=int(data.severity or 0), inject=str(data.inject or ""),
            background=bool(data.inject) and incident.startswith(f"{data.inject}-"),
            started_at=r3(start.t),
            detected_by=detected.actor if detected else None,
            to_detect=after(Kind.DETECTED), to_first_action=after(Kind.STEP_STARTED),
            to_contain=after(Kind.CONTAINED), to_resolve=after(Kind.RESOLVED),
            contained_by=contained.actor if contained else None,
            contained_how=str(contained.fields(Contained).how) if contained else None,
            escalations=escalations.get(incident, []), evidence=sorted(e.seq for e in rows),
        ))
    return out


_FIRSTS = (Kind.DETECTED, Kind.STEP_STARTED, Kind.CONTAINED, Kind.RESOLVED)
"""Kinds whose first row per incident times it (``escalated`` also collects every level)."""

_STEP_RECORDS: dict[str, type[StepQueued | StepStarted | StepCompleted]] = {
    Kind.STEP_QUEUED: StepQueued, Kind.STEP_STARTED: StepStarted, Kind.STEP_COMPLETED: StepCompleted}


class _Open:
    """A step instance being assembled from its queued/started/completed rows."""

    def __init__(self, event: Event, procedure: str) -> None:
        self.incident = event.incident or ""
        self.procedure = procedure
        self.step = event.step or ""
        self.actor = event.actor or ""
        self.queued: Event | None = None
        self.started: Event | None = None
        self.completed: Event | None = None

    def result(self, end: _End | None = None) -> StepResult:
        """The step instance's result; ``end`` measures one still open when the run stopped."""
        done = self.completed
        goals = done.fields(StepTargets) if done else StepTargets()
        elapsed = r3n(done.fields(StepCompleted).elapsed if done else None)
        target = r3n(goals.target)
        deadline = r3n(goals.deadline)
        wait = self.started.fields(StepStarted).wait if self.started else None
        status: StepStatus = "completed"
        if done is None and end is not None:
            status = "in_progress" if self.started else "queued"
            if self.started is None and self.queued is not None:
                wait = end.until - self.queued.t
            began = end.procedure_start.get((self.incident, self.procedure))
            elapsed = None if began is None else r3(max(0.0, end.until - began))
            target, deadline = end.goals.get((self.procedure, self.step), (None, None))
        late = None if elapsed is None or target is None else r3(max(0.0, elapsed - target))
        on_time = None if late is None else late == 0
        deadline_met = None if deadline is None or elapsed is None else elapsed <= deadline
        if status != "completed" and on_time:  # still open, not yet past its target: undecided
            on_time, late = None, None
        if status != "completed" and deadline_met:
            deadline_met = None
        unstaffed = bool(self.queued and self.queued.fields(StepQueued).on_duty == 0)
        return StepResult(
            incident=self.incident, procedure=self.procedure, step=self.step, actor=self.actor,
            queued_at=r3n(self.queued.t if self.queued else None),
            started_at=r3n(self.started.t if self.started else None),
            completed_at=r3n(done.t if done else None), wait=r3n(wait), elapsed=elapsed,
            target=target, late_by=late, on_time=on_time, deadline=deadline, deadline_met=deadline_met,
            basis=str(goals.basis or ""), unstaffed=unstaffed, status=status,
            evidence=[e.seq for e in (self.queued, self.started, done) if e is not None],
        )


def _take(waiting: deque[_Open], event: Event, procedure: str, order: list[_Open]) -> _Open:
    """The oldest instance waiting for ``event``, or a new one (work that started or ended unseen)."""
    if waiting:
        return waiting.popleft()
    item = _Open(event, procedure)
    order.append(item)
    return item


class _End(NamedTuple):
    """What measuring a step still open at the end needs: where the run stopped, procedure starts, targets."""

    until: float
    procedure_start: dict[tuple[str, str], float]
    goals: dict[tuple[str, str], tuple[float | None, float | None]]


def step_goals(structure: Structure) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """``(procedure, step) -> (target, legal deadline)`` in minutes, from the structure."""
    return {(name, step.id): (step.target, step.deadline.within if step.deadline else None)
            for name, proc in structure.procedures.items() for step in proc.steps}


def step_results(events: Sequence[Event], structure: Structure | None = None,
                 until: float | None = None) -> list[StepResult]:
    """Every step instance, paired first-in first-out per (incident, procedure, step, actor).

    With ``until`` (where the run stopped), a step still queued or in progress is measured to
    it, against its target and deadline in ``structure``.
    """
    queued: dict[tuple[str | None, ...], deque[_Open]] = defaultdict(deque)
    running: dict[tuple[str | None, ...], deque[_Open]] = defaultdict(deque)
    order: list[_Open] = []
    procedure_start: dict[tuple[str, str], float] = {}
    for event in events:
        if event.kind == Kind.PROCEDURE_STARTED:
            procedure_start[(event.incident or "", str(event.fields(ProcedureStarted).procedure))] = event.t
            continue
        record = _STEP_RECORDS.get(event.kind)
        if record is None:
            continue
        procedure = str(event.fields(record).procedure or "")
        key = (event.incident, procedure, event.step, event.actor)
        if event.kind == Kind.STEP_QUEUED:
            item = _Open(event, procedure)
            item.queued = event
            queued[key].append(item)
            order.append(item)
        elif event.kind == Kind.STEP_STARTED:
            item = _take(queued[key], event, procedure, order)
            item.started = event
            running[key].append(item)
        else:
            _take(running[key], event, procedure, order).completed = event
    end = None if until is None else _End(until, procedure_start, step_goals(structure) if structure else {})
    return [item.result(end) for item in order]


def harm(events: Sequence[Event]) -> list[Harm]:
    """Reach, voter-minutes and station-minutes per incident (at containment, or at the run's end)."""
    contained: dict[str, Event] = {}
    incidents: dict[str, None] = {}  # ids in start order (a dict: membership is O(1))
    end_harm: dict[str, dict[str, float]] = {}
    end_seq: int | None = None
    for event in events:
        if event.kind == Kind.INCIDENT_STARTED and event.incident:
            incidents.setdefault(event.incident)
        elif event.kind == Kind.CONTAINED and event.incident:
            contained.setdefault(event.incident, event)
        elif event.kind == Kind.RUN_ENDED:
            end_harm = dict(event.fields(RunEnded).harm or {})
            end_seq = event.seq
    out: list[Harm] = []
    for incident in incidents:
        row = contained.get(incident)
        if row is not None:
            data, evidence, still_open = row.fields(Contained), [row.seq], False
        else:
            at_end = end_harm.get(incident) or {}
            data = Contained("", at_end.get("reach"), at_end.get("voter_minutes"), at_end.get("station_minutes"))
            evidence, still_open = ([end_seq] if end_seq is not None else []), True
        out.append(Harm(
            incident=incident, reach=r3(data.reach or 0), voter_minutes=r3(data.voter_minutes or 0),
            station_minutes=r3(data.station_minutes or 0), open=still_open, evidence=evidence,
        ))
    return out
