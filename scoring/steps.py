"""Step instances: queue wait and elapsed time against target and legal deadline, from a collector fed journal events
once, in ``seq`` order.

Per step instance: queue wait, elapsed time since its procedure started, against its target (``late_by`` = elapsed -
target when positive) and its legal deadline; a step still queued or in progress when the run stopped is measured to
the end (late once past its target).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from operator import attrgetter
from typing import Any, NamedTuple

from ballotdrill.journal import Event, StepTargets
from ballotdrill.journal.kinds import PROCEDURE_STARTED, STEP_COMPLETED, STEP_QUEUED, STEP_STARTED
from ballotdrill.journal.packed import Packed
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.feed import Handlers, RowHandlers, feed_all
from ballotdrill.scoring.foldone import LoadFold, fold_step
from ballotdrill.scoring.measured import StepMeasure
from ballotdrill.scoring.model import StepResult, StepStatus, r3, r3n, unchecked
from ballotdrill.scoring.ontime import OnTimeTally

_NO_TARGETS = StepTargets()
_BY_ORDINAL = attrgetter("n")
"""A step instance's place in the run (the n-th to appear)."""
_new: Any = tuple.__new__


class _End(NamedTuple):
    """What measuring a step still open at the end needs: where the run stopped, procedure starts, targets."""

    until: float
    procedure_start: dict[str, dict[str, float]]
    goals: dict[tuple[str, str], tuple[float | None, float | None]]


class _Open:
    """A step instance being assembled from its queued/started/completed rows: each row's ``seq`` and ``t`` (None
    until the row is seen) and what it says."""

    __slots__ = ("actor", "completed", "completed_t", "elapsed", "goals", "incident", "n", "procedure", "queued",
                 "queued_t", "started", "started_t", "step", "unstaffed", "wait")

    def __init__(self, incident: str | None, procedure: str, step: str | None, actor: str | None, n: int) -> None:
        self.n = n
        """The n-th step instance to appear in the run."""
        self.incident = incident or ""
        self.procedure = procedure
        self.step = step or ""
        self.actor = actor or ""
        self.queued: int | None = None
        """The ``step_queued`` row's seq (None: not seen), then its t and whether nobody was on duty."""
        self.queued_t = 0.0
        self.unstaffed = False
        self.started: int | None = None
        """The ``step_started`` row's seq (None: not seen), then its t and the minutes queued it records."""
        self.started_t = 0.0
        self.wait: float | None = None
        self.completed: int | None = None
        """The ``step_completed`` row's seq (None: not seen), then its t, elapsed minutes and targets."""
        self.completed_t = 0.0
        self.elapsed: float | None = None
        self.goals = _NO_TARGETS

    def measure(self, end: _End | None = None) -> StepMeasure:
        """The step instance's fields as its :class:`StepResult` holds them; ``end`` measures one still open when
        the run stopped."""
        if self.completed is not None:
            return self.final()
        queued, started = self.queued, self.started
        elapsed = target = deadline = None
        wait = self.wait if started is not None else None
        status: StepStatus = "completed"
        if end is not None:
            status = "in_progress" if started is not None else "queued"
            if started is None and queued is not None:
                wait = end.until - self.queued_t
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
        measured: StepMeasure = _new(StepMeasure, (  # as StepMeasure(...), without its Python-level __new__
            self.incident, self.procedure, self.step, self.actor, r3n(self.queued_t if queued is not None else None),
            r3n(self.started_t if started is not None else None), None, r3n(wait), elapsed, target, late,
            on_time, deadline, deadline_met, "", queued is not None and self.unstaffed, status,
            [seq for seq in (queued, started) if seq is not None]))
        return measured

    def final(self) -> StepMeasure:
        """The fields of a completed step instance (what :meth:`measure` gives it, worked out in fewer steps)."""
        goals = self.goals
        if goals is _NO_TARGETS:  # neither target nor deadline (what _judged gives of it, without the call)
            elapsed = None if self.elapsed is None else r3(self.elapsed)
            target = late = on_time = deadline = deadline_met = None
        else:
            elapsed, target, late, on_time, deadline, deadline_met = _judged(self.elapsed, goals)
        queued, started, completed = self.queued, self.started, self.completed
        wait = self.wait if started is not None else None
        evidence: list[int]
        if started is not None and completed is not None:  # its rows, without a comprehension (a call)
            evidence = [started, completed] if queued is None else [queued, started, completed]
        else:
            evidence = [seq for seq in (queued, started, completed) if seq is not None]
        measured: StepMeasure = _new(StepMeasure, (  # as StepMeasure(...), without its Python-level __new__
            self.incident, self.procedure, self.step, self.actor,
            None if queued is None else r3(self.queued_t), None if started is None else r3(self.started_t),
            r3(self.completed_t), None if wait is None else r3(wait) if wait else 0.0,  # r3(0) is 0.0: started at once
            elapsed, target, late, on_time, deadline, deadline_met, str(goals.basis or ""),
            queued is not None and self.unstaffed, "completed", evidence))
        return measured


def _judged(elapsed: float | None, goals: StepTargets) -> tuple[float | None, float | None, float | None,
                                                                 bool | None, float | None, bool | None]:
    """A completed step instance's elapsed minutes, target, minutes late, on time, legal deadline and whether it met
    it, as its record holds them (rounded), from its ``step_completed`` row's elapsed minutes and targets."""
    if elapsed is not None:
        elapsed = r3(elapsed)
    target = goals.target
    deadline = goals.deadline
    late = on_time = deadline_met = None
    if target is not None:
        target = r3(target)
        if elapsed is not None:
            late = r3(max(0.0, elapsed - target))
            on_time = late == 0
    if deadline is not None:
        deadline = r3(deadline)
        if elapsed is not None:
            deadline_met = elapsed <= deadline
    return elapsed, target, late, on_time, deadline, deadline_met


def _met(elapsed: float | None, goals: StepTargets) -> tuple[float | None, bool | None, bool | None]:
    """What :func:`_judged` gives of minutes late, on time and deadline met, without rounding a step done within its
    target and deadline: rounding never reorders two values (``r3`` is ``round(x, 3)``), so elapsed within the target
    (or deadline) is so rounded too, and 0 minutes late."""
    target, deadline = goals.target, goals.deadline
    if elapsed is not None and (target is None or elapsed <= target) and (deadline is None or elapsed <= deadline):
        return (None, None, None if deadline is None else True) if target is None else (
            0.0, True, None if deadline is None else True)
    _, _, late, on_time, _, deadline_met = _judged(elapsed, goals)
    return late, on_time, deadline_met


class CompletedSteps:
    """Folds each step instance into the run-wide counts (:attr:`counts`, :class:`~.foldone.StepCounts`' order),
    the on-time shares and the busy time as it completes (:func:`~.foldone.fold_step`, the rule every fold of
    step instances follows), so none is kept or measured again at the end: what a sweep does.

    An instance whose rounded end lies past ``horizon`` (where the run is to stop: ``run_started``'s ``until``;
    -inf until known) is left to the end, where its busy time is measured to where the run stopped, as
    before (its rounded end could lie past it). A measured run always plays to its ``until`` (a run that failed is
    not measured), so every instance folded earlier ends before where it stopped; and the staff changes its busy
    time is carried over (:func:`~.foldone.fold_step`) are those already read, as rows come in time order and a
    desk changes staff only at a shift's boundary, a whole minute, which a rounded end never passes.
    """

    def __init__(self, load: LoadFold, on_time: OnTimeTally) -> None:
        self.counts = [0, 0, 0, 0, 0]
        self.load = load
        self.on_time = on_time
        self.horizon = -math.inf

    def take(self, item: _Open) -> bool:
        """Fold the completed ``item`` in, unless it is left to the end (False)."""
        end = r3(item.completed_t)
        if end > self.horizon:
            return False
        started = item.started
        late, on_time, deadline_met = _met(item.elapsed, item.goals)
        fold_step(self.counts, self.load, None, item.actor, None if started is None else r3(item.started_t), end,
                  None, on_time, deadline_met, "completed", (item.queued, started, item.completed))
        if on_time is not None:
            self.on_time.add_one(item.procedure, on_time, late, item.completed)  # type: ignore[arg-type]
        return True


def step_goals(structure: Structure) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """``(procedure, step) -> (target, legal deadline)`` in minutes, from the structure."""
    return {(name, step.id): (step.target, step.deadline.within if step.deadline else None)
            for name, proc in structure.procedures.items() for step in proc.steps}


_StepKey = tuple[str | None, str, str | None, str | None]


class StepCollector:
    """Every step instance, paired first-in first-out per (incident, procedure, step, actor).

    With ``fold`` (a sweep), each instance is folded in as it completes and let go (:meth:`pop` and :meth:`done`
    are then not for use): :meth:`numbered_fields` gives those still open, and those ``fold`` left to the end.
    """

    def __init__(self, fold: CompletedSteps | None = None) -> None:
        self.fold = fold
        self.live: dict[int, _Open] = {}
        """With ``fold``: every instance not folded in, by ordinal (in the order it appeared)."""
        self.queued: dict[_StepKey, list[_Open]] = {}
        self.running: dict[_StepKey, list[_Open]] = {}
        self.by_incident: dict[str, list[_Open]] = {}
        """Every step instance not taken out (:meth:`pop`), by incident, each numbered in the order it appeared."""
        self.made = 0
        self.procedure_start: dict[str, dict[str, float]] = {}

    def handlers(self) -> Handlers:
        return {}

    def row_handlers(self) -> RowHandlers:
        return {PROCEDURE_STARTED: self._procedure, STEP_QUEUED: self._queued,
                STEP_STARTED: self._started, STEP_COMPLETED: self._completed}

    def _procedure(self, seq: int, row: Packed) -> None:  # ProcedureStarted: procedure, run
        self.procedure_start.setdefault(row[2] or "", {})[str(row[5][0])] = row[0]

    def _new(self, row: Packed, procedure: str) -> _Open:
        item = _Open(row[2], procedure, row[4], row[3], self.made)
        self.made += 1
        if self.fold is not None:
            self.live[item.n] = item
            return item
        found = self.by_incident.get(item.incident)
        if found is None:
            self.by_incident[item.incident] = [item]
        else:
            found.append(item)
        return item

    def _queued(self, seq: int, row: Packed) -> None:  # StepQueued: on_duty, procedure, queue (then StepCrew)
        t, _, incident, actor, step, values = row
        procedure = str(values[1] or "")
        item = self._new(row, procedure)
        item.queued, item.queued_t, item.unstaffed = seq, t, values[0] == 0
        _append(self.queued, (incident, procedure, step, actor), item)

    def _started(self, seq: int, row: Packed) -> None:  # StepStarted: procedure, wait (then StepCrew)
        t, _, incident, actor, step, values = row
        procedure = str(values[0] or "")
        key = (incident, procedure, step, actor)
        queued = self.queued  # the oldest instance waiting for the row, or a new one
        waiting = queued.get(key)
        if waiting:
            item = waiting.pop(0)
            if not waiting:
                del queued[key]
        else:
            item = self._new(row, procedure)
        item.started, item.started_t, item.wait = seq, t, values[1]
        running = self.running
        waiting = running.get(key)
        if waiting is None:
            running[key] = [item]
        else:
            waiting.append(item)

    def _completed(self, seq: int, row: Packed) -> None:  # StepCompleted: elapsed, procedure (then StepTargets)
        t, _, incident, actor, step, values = row
        procedure = str(values[1] or "")
        running, key = self.running, (incident, procedure, step, actor)
        waiting = running.get(key)  # as in _started
        if waiting:
            item = waiting.pop(0)
            if not waiting:
                del running[key]
        else:
            item = self._new(row, procedure)
        item.completed, item.completed_t, item.elapsed = seq, t, values[0]
        if len(values) > 2:
            item.goals = _new(StepTargets, values[2:])  # as StepTargets._make (the layout's last three fields)
        fold = self.fold
        if fold is not None and fold.take(item):
            del self.live[item.n]

    def results(self, structure: Structure | None = None, until: float | None = None) -> list[StepResult]:
        """Every step instance in the order it first appeared; with ``until``, open ones measured to it."""
        return [result for _, result in self.numbered(structure, until)]

    def numbered(self, structure: Structure | None = None,
                 until: float | None = None) -> list[tuple[int, StepResult]]:
        """:meth:`results`, each with its ordinal (the n-th step instance to appear)."""
        goals = step_goals(structure) if structure is not None and until is not None else {}
        return [(n, unchecked(StepResult, step._asdict())) for n, step in self.numbered_fields(goals, until)]

    def numbered_fields(self, goals: dict[tuple[str, str], tuple[float | None, float | None]],
                        until: float | None) -> list[tuple[int, StepMeasure]]:
        """Every step instance with its ordinal, in the order it first appeared, as its fields (no record built); with
        ``until``, open ones measured to it against ``goals`` (:func:`step_goals`)."""
        end = None if until is None else _End(until, self.procedure_start, goals)
        items: Iterable[_Open] = self.live.values() if self.fold is not None else sorted(
            itertools.chain.from_iterable(self.by_incident.values()), key=_BY_ORDINAL)
        return [(item.n, item.measure(end)) for item in items]

    def measured(self, goals: dict[tuple[str, str], tuple[float | None, float | None]],
                 until: float) -> list[StepMeasure]:
        """:meth:`results` without building the records (``goals``: :func:`step_goals`)."""
        return [step for _, step in self.numbered_fields(goals, until)]

    def done(self, incident: str) -> bool:
        """Whether every step instance of ``incident`` seen so far has completed."""
        for item in self.by_incident.get(incident, ()):  # noqa: SIM110 - a loop costs less than all() of a generator
            if item.completed is None:
                return False
        return True

    def pop(self, incident: str) -> list[tuple[int, StepMeasure]]:
        """Take out the step instances of ``incident`` (all completed), numbered, as their fields (no record built):
        they are final."""
        self.procedure_start.pop(incident, None)
        return [(item.n, item.final()) for item in self.by_incident.pop(incident, ())]


def _append(table: dict[_StepKey, list[_Open]], key: _StepKey, item: _Open) -> None:
    """Queue ``item`` under ``key`` (first in, first out: such a queue rarely holds more than one)."""
    waiting = table.get(key)
    if waiting is None:
        table[key] = [item]
    else:
        waiting.append(item)


def step_results(events: Iterable[Event], structure: Structure | None = None,
                 until: float | None = None) -> list[StepResult]:
    """Every step instance, paired first-in first-out per (incident, procedure, step, actor).

    With ``until`` (where the run stopped), a step still queued or in progress is measured to
    it, against its target and deadline in ``structure``.
    """
    collector = StepCollector()
    feed_all(collector, events)
    return collector.results(structure, until)
