"""Timeliness and harm: pure functions from journal events.

- per incident: minutes from its start to detection, to the first step started, to
  containment and to resolution (None when it never happened in the run);
- per step instance: queue wait, elapsed time since its procedure started, against its
  target (``late_by`` = elapsed - target when positive) and its legal deadline;
- per incident harm: reach, voter-minutes and station-minutes from ``contained``, or from
  ``run_ended.data.harm`` for an incident still open at the end.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from typing import Any

from ballotdrill.journal import Event
from ballotdrill.scoring.model import Harm, IncidentTimes, StepResult, r3, r3n


def run_info(events: Sequence[Event]) -> dict[str, Any]:
    """``run_started`` data (``start``, ``end``, ``until``, ``seed``), with ``last_t`` the last event's t."""
    info: dict[str, Any] = {"start": 0.0, "end": None, "until": None, "seed": None, "scenario": ""}
    for event in events:
        if event.kind == "run_started":
            info.update(event.data)
            break
    info["last_t"] = max((e.t for e in events), default=0.0)
    return info


def run_until(events: Sequence[Event], info: dict[str, Any] | None = None) -> float:
    """Where the run stopped: ``run_ended``'s t, else ``run_started.data.until``, else the last event.

    ``info``: :func:`run_info` of ``events`` when the caller has it already.
    """
    for event in reversed(events):
        if event.kind == "run_ended":
            return float(event.t)
    info = info if info is not None else run_info(events)
    until = info.get("until")
    return float(until) if isinstance(until, (int, float)) else float(info["last_t"])


def incident_times(events: Sequence[Event]) -> list[IncidentTimes]:
    """Time to detect, first action, contain and resolve for every incident, in start order."""
    started: dict[str, Event] = {}
    firsts: dict[tuple[str, str], Event] = {}
    escalations: dict[str, list[str]] = defaultdict(list)
    for event in events:
        if event.incident is None:
            continue
        if event.kind == "incident_started":
            started.setdefault(event.incident, event)
        elif event.kind in ("detected", "step_started", "contained", "resolved"):
            firsts.setdefault((event.incident, event.kind), event)
        elif event.kind == "escalated":
            escalations[event.incident].append(str(event.data.get("to", "")))
            firsts.setdefault((event.incident, event.kind), event)
    out: list[IncidentTimes] = []
    for incident, start in started.items():
        def after(kind: str, inc: str = incident, t0: float = start.t) -> float | None:
            event = firsts.get((inc, kind))
            return None if event is None else r3(event.t - t0)

        rows = [start] + [e for k in ("detected", "step_started", "escalated", "contained", "resolved")
                          if (e := firsts.get((incident, k))) is not None]
        detected = firsts.get((incident, "detected"))
        contained = firsts.get((incident, "contained"))
        out.append(IncidentTimes(
            incident=incident, type=str(start.data.get("type", "")), title=str(start.data.get("title") or ""),
            severity=int(start.data.get("severity") or 0), inject=str(start.data.get("inject") or ""),
            background=bool(start.data.get("inject")) and incident.startswith(f"{start.data.get('inject')}-"),
            started_at=r3(start.t),
            detected_by=detected.actor if detected else None,
            to_detect=after("detected"), to_first_action=after("step_started"),
            to_contain=after("contained"), to_resolve=after("resolved"),
            contained_by=contained.actor if contained else None,
            escalations=escalations.get(incident, []), evidence=sorted(e.seq for e in rows),
        ))
    return out


class _Open:
    """A step instance being assembled from its queued/started/completed rows."""

    def __init__(self, event: Event) -> None:
        self.incident = event.incident or ""
        self.procedure = str(event.data.get("procedure", ""))
        self.step = event.step or ""
        self.actor = event.actor or ""
        self.queued: Event | None = None
        self.started: Event | None = None
        self.completed: Event | None = None

    def result(self) -> StepResult:
        done = self.completed
        data = done.data if done else {}
        elapsed = r3n(data.get("elapsed"))
        target = r3n(data.get("target"))
        deadline = r3n(data.get("deadline"))
        late = None if elapsed is None or target is None else r3(max(0.0, elapsed - target))
        wait = self.started.data.get("wait") if self.started else None
        unstaffed = bool(self.queued and self.queued.data.get("on_duty", 1) == 0)
        return StepResult(
            incident=self.incident, procedure=self.procedure, step=self.step, actor=self.actor,
            queued_at=r3n(self.queued.t if self.queued else None),
            started_at=r3n(self.started.t if self.started else None),
            completed_at=r3n(done.t if done else None), wait=r3n(wait), elapsed=elapsed,
            target=target, late_by=late, on_time=None if late is None else late == 0,
            deadline=deadline,
            deadline_met=None if deadline is None or elapsed is None else elapsed <= deadline,
            basis=str(data.get("basis") or ""), unstaffed=unstaffed,
            evidence=[e.seq for e in (self.queued, self.started, done) if e is not None],
        )


def _take(waiting: deque[_Open], event: Event, order: list[_Open]) -> _Open:
    """The oldest instance waiting for ``event``, or a new one (work that started or ended unseen)."""
    if waiting:
        return waiting.popleft()
    item = _Open(event)
    order.append(item)
    return item


def step_results(events: Sequence[Event]) -> list[StepResult]:
    """Every step instance, paired first-in first-out per (incident, procedure, step, actor)."""
    queued: dict[tuple[str | None, ...], deque[_Open]] = defaultdict(deque)
    running: dict[tuple[str | None, ...], deque[_Open]] = defaultdict(deque)
    order: list[_Open] = []
    for event in events:
        if event.kind not in ("step_queued", "step_started", "step_completed"):
            continue
        key = (event.incident, str(event.data.get("procedure", "")), event.step, event.actor)
        if event.kind == "step_queued":
            item = _Open(event)
            item.queued = event
            queued[key].append(item)
            order.append(item)
        elif event.kind == "step_started":
            item = _take(queued[key], event, order)
            item.started = event
            running[key].append(item)
        else:
            _take(running[key], event, order).completed = event
    return [item.result() for item in order]


def harm(events: Sequence[Event]) -> list[Harm]:
    """Reach, voter-minutes and station-minutes per incident (at containment, or at the run's end)."""
    contained: dict[str, Event] = {}
    incidents: dict[str, None] = {}  # ids in start order (a dict: membership is O(1))
    end_harm: dict[str, Any] = {}
    end_seq: int | None = None
    for event in events:
        if event.kind == "incident_started" and event.incident:
            incidents.setdefault(event.incident)
        elif event.kind == "contained" and event.incident:
            contained.setdefault(event.incident, event)
        elif event.kind == "run_ended":
            end_harm = dict(event.data.get("harm") or {})
            end_seq = event.seq
    out: list[Harm] = []
    for incident in incidents:
        row = contained.get(incident)
        if row is not None:
            data, evidence, still_open = row.data, [row.seq], False
        else:
            data = dict(end_harm.get(incident) or {})
            evidence, still_open = ([end_seq] if end_seq is not None else []), True
        out.append(Harm(
            incident=incident, reach=r3(data.get("reach") or 0), voter_minutes=r3(data.get("voter_minutes") or 0),
            station_minutes=r3(data.get("station_minutes") or 0), open=still_open, evidence=evidence,
        ))
    return out
