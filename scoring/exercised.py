"""Whether an objective was exercised in the played window, and in words why not.

HSEEP rates the players' performance of a task. A task whose subject never happened in the
played window (an incident after ``--until``, a contingency never released, a starting point
that never came), or an incident that went away by itself before the response could contain
it (within the target), exercised nothing: the objective is *not exercised* (``NE``), never
P and never U; unless the response had already slowed or shortened it (``Window.shaped``) and,
left to itself, it would have passed the target (``Window.unslowed``): its harm is then rated on
its value. One that would have stayed under the target anyway is NE: the response was not what
kept it there. A task the players had the whole target to perform and did not
is U; so is a time whose end point had not come when the run stopped before its target passed, when the least its
open work still needed, whatever was drawn, passes the target (:mod:`~ballotdrill.scoring.leastleft`): it could no
longer be met, and the reason says what work and how much of it was left. NE while it still could.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from ballotdrill.journal import Kind
from ballotdrill.journal.packed import Packed
from ballotdrill.scenarios.measures import Point
from ballotdrill.scenarios.scenario import Condition, Scenario
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.feed import Handlers, RowHandlers
from ballotdrill.scoring.leastleft import Left, OpenWork, least_left
from ballotdrill.scoring.model import IncidentTimes
from ballotdrill.scoring.text import between, chance_words, clock, minutes, took_from


class Window(NamedTuple):
    """What was played: the scenario, where the run stopped, and what happened to each incident."""

    scenario: Scenario
    structure: Structure
    start: float
    """Clock minutes of t = 0."""
    until: float
    """t where the run stopped."""
    end: float
    """t of the scenario's end."""
    incidents: dict[str, IncidentTimes]
    procedures: dict[tuple[str, str], str]
    """``(incident, procedure) -> outcome`` of procedure runs that ended (``completed`` or ``dropped``)."""
    growing: Mapping[tuple[str, str], float | None] = MappingProxyType({})
    """``(incident, measure)``: the harm each open incident was still doing when the run stopped, with a wave's
    doubling time then (:class:`~ballotdrill.scoring.growth.GrowthCollector`)."""
    shaped: Mapping[str, Sequence[int]] = MappingProxyType({})
    """Per incident: the rows where the response slowed its wave or shortened it (the same collector)."""
    unslowed: Mapping[str, Mapping[str, float]] = MappingProxyType({})
    """Per shaped incident that ended by itself: the harm it would have done left to itself, per measure
    (:meth:`~ballotdrill.scoring.growth.GrowthCollector.unslowed`)."""
    caps: Mapping[str, float] = MappingProxyType({})
    """Per incident with a wave: the most people it can reach
    (:meth:`~ballotdrill.scoring.growth.GrowthCollector.caps`)."""
    closes: Mapping[str, float] = MappingProxyType({})
    """Per incident costing voter- or station-minutes: t when its polling stations closed
    (:meth:`~ballotdrill.scoring.growth.GrowthCollector.closes`)."""
    lost: Mapping[str, Any] = MappingProxyType({})
    """Per incident a ``votes_lost`` objective measures: what decides its votes lost
    (:class:`~ballotdrill.scoring.voteslost.Lost`, not named here: that module reads this one)."""
    open_work: Sequence[OpenWork] = ()
    """The work open when the run stopped (:func:`~ballotdrill.scoring.leastleft.open_pieces`): what could still
    bring an end point that had not come, at the earliest (:func:`~ballotdrill.scoring.leastleft.least_left`)."""

    @property
    def cut(self) -> bool:
        """Whether the run stopped before the scenario's end (``--until``)."""
        return self.until < self.end - 1e-9

    def stopped(self) -> str:
        return f"the run stopped at {clock(self.start, self.until)}"

    def self_ended(self, incident: str) -> float | None:
        """Minutes after its start when ``incident`` ended by itself (its ``duration``), or None."""
        inc = self.incidents.get(incident)
        if inc is None or inc.contained_how != "ended":
            return None
        return inc.to_contain

    def after_start(self, incident: str, took: float | None, against: Sequence[float] = ()) -> str:
        """``took`` minutes after ``incident`` started, as the clocks read (:func:`~.text.took_from`; ``against``:
        the target it is told beside)."""
        return took_from(self.start, self.incidents[incident].started_at, took, against)

    def never_started(self, incident: str) -> str:
        """Why ``incident`` never started in this run."""
        for inject_id, inject in zip(self.scenario.inject_ids(), self.scenario.injects, strict=True):
            spec = inject.incident
            if spec is None or inject.every is not None or (spec.id or inject_id) != incident:
                continue
            if inject.when is not None:
                at = f" at {clock(0.0, inject.at)}" if inject.at is not None else ""
                return (f"incident {incident} never started: its contingency inject {inject_id} "
                        f"({_condition(inject.when)}{at}) was not released")
            if inject.at is not None and inject.at - self.start >= self.until:
                return f"incident {incident} starts at {clock(0.0, inject.at)}, after {self.stopped()}"
        return f"incident {incident} did not occur in this run"

    def procedure_of(self, step: str) -> str | None:
        """The procedure that has a step ``step`` (the first, in the structure's order)."""
        return next((name for name, proc in self.structure.procedures.items()
                     if any(s.id == step for s in proc.steps)), None)


class ProcedureOutcomes:
    """``(incident, procedure) -> outcome`` of procedure runs that ended, for the incidents objectives name."""

    def __init__(self, incidents: Collection[str]) -> None:
        self.incidents = incidents
        self.outcomes: dict[tuple[str, str], str] = {}

    def handlers(self) -> Handlers:
        return {}

    def row_handlers(self) -> RowHandlers:
        return {Kind.PROCEDURE_ENDED: self._ended}

    def _ended(self, seq: int, row: Packed) -> None:  # ProcedureEnded: outcome, procedure, run
        incident = row[2] or ""
        if incident in self.incidents:
            outcome, procedure = row[5][0], row[5][1]
            self.outcomes[(incident, str(procedure))] = str(outcome)


def _condition(cond: Condition) -> str:
    level = f" to {cond.level}" if cond.level else ""
    tests = ([f"reaches more than {cond.reach_above:,} people"] if cond.reach_above is not None
             else [f"is {cond.is_}{level}" + (f" before step {cond.before}" if cond.before else "")] if cond.is_
             else [f"is not {cond.is_not}{level}"] if cond.is_not else [])
    if cond.ended_before is not None:
        tests.append(f"ended by itself before step {cond.ended_before} completed")
    return f"when {cond.incident} {' and '.join(tests)}"


class Verdict(NamedTuple):
    """An objective that could not be rated on its value: NE (not exercised) or U, and why."""

    rating: str
    reason: str
    value_text: str = ""
    why: str = ""
    """Why an NE was not exercised, a key of :data:`UNEXERCISED` ("" for another reason)."""


UNEXERCISED: dict[str, str] = {
    "open": "still under way when the run stopped, within the target",
    "ended": "its incident ended by itself within the target",
    "absent": "its subject never came in the played window",
    "never": "it could never pass the target",
    "": "another reason",
}
"""Why an objective rated NE was not exercised, in words (a sweep counts its runs by it)."""


def missing_start(window: Window, point: Point) -> Verdict:
    """The measure's starting point never happened: nothing was asked of the players."""
    if point.incident not in window.incidents:
        return Verdict("NE", window.never_started(point.incident), why="absent")
    ended = window.self_ended(point.incident)
    if ended is not None:
        return Verdict("NE", f"incident {point.incident} ended by itself after "
                       f"{window.after_start(point.incident, ended)}, before "
                       f"{point.describe()}", why="ended")
    when = window.stopped() if window.cut else "the exercise ended"
    return Verdict("NE", f"{had_not(point)} when {when}, so the task was never set", why="absent")


def missing_end(window: Window, start: Point, start_t: float, end: Point, target: float,
                tried: Sequence[tuple[int, float]] = ()) -> Verdict:
    """The starting point happened at ``start_t`` but the end point never did.

    ``tried``: completions of the end step whose containment failed (row, minutes after ``start_t``): the step was
    done but not its purpose, so the end point had not come; the reason says so."""
    if end.incident not in window.incidents:
        return Verdict("NE", window.never_started(end.incident), why="absent")
    inc = window.incidents[end.incident]
    ended = window.self_ended(end.incident)
    played = window.until - start_t
    failed = _failed_attempts(window, start, start_t, end, tried, target)
    if ended is not None and end.step is not None and inc.started_at + ended - start_t <= target:
        # told against the target when measured from the incident's start, as the words read
        life = window.after_start(end.incident, ended, (target,) if abs(inc.started_at - start_t) < 1e-9 else ())
        return Verdict("NE", f"{failed}incident {end.incident} ended by itself after {life}, within the "
                       f"target, before {'its containment took hold' if tried else end.describe()}",
                       "containment failed, then ended by itself" if tried else
                       f"ended by itself (after {life}); '{end.step}' not done", why="ended")
    why = failed + (f"its containment never took hold (incident {end.incident} "
                    f"{'ended by itself' if ended is not None else 'was not contained by it'})"
                    if tried else had_not(end))
    if end.step is not None and not tried:
        procedure = window.procedure_of(end.step)
        outcome = window.procedures.get((end.incident, procedure)) if procedure else None
        if outcome == "completed":
            why = f"the response took another path: {procedure} completed without '{end.step}' (a decision)"
        elif outcome == "dropped":
            return Verdict("U", f"{procedure} was dropped (a handoff failed on every channel) before "
                           f"{end.describe()}", "never (procedure dropped)")
    told = between(window.start, start_t, window.until, (target,))  # as the clocks read, beside the target
    not_done = (f"'{end.step}' done in {between(window.start, start_t, start_t + tried[0][1], (target,))}, but "
                f"{_chance(window, end)} of containing {end.incident} failed; not contained in {told}" if tried
                else f"not done in {told}")
    if played >= target:
        return Verdict("U", f"{why}: {told} after {start.describe()} when "
                       f"{window.stopped() if window.cut else 'the exercise ended'}, past the "
                       f"{minutes(target)} target", not_done)
    when = window.stopped() if window.cut else f"the exercise ended at {clock(window.start, window.until)}"
    left = least_left(window.scenario, window.structure, window.open_work, end, window.until, window.cut,
                      [p for i, p in window.procedures if i == end.incident])
    if left is not None and played + left.minutes > target + 1e-9:
        # the players had not the whole target, but what its work still needed, at the least, passes it
        return Verdict("U", f"{failed}{had_not(end)} when {when}, {told} into the {minutes(target)} target, and "
                       f"could no longer be within it: {_least_words(window, left)}, so "
                       f"{'its containment' if end.step is None else repr(end.step)} could come at the earliest "
                       f"{minutes(played + left.minutes)} after {start.describe()}, past the target at "
                       f"{clock(window.start, start_t + target)}",
                       f"{not_done}, at the earliest {minutes(played + left.minutes)}")
    return Verdict("NE", f"{failed}{had_not(end)} when {when}, "
                   f"{told} into the {minutes(target)} target", why="open")


def _least_words(window: Window, left: Left) -> str:
    """What the open work still needed at the least, in words: "'S', under way since D+1 07:00, takes at least
    2 h 00 min, so the work open then needed at least 1 h 00 min more"."""
    work = left.work
    since = f"under way since {clock(window.start, work.began)}" if work.began is not None else "not yet begun"
    return (f"'{work.step}', {since}, takes at least {minutes(left.least)}, so the work open then needed at least "
            f"{minutes(left.minutes)} more")


def had_not(point: Point) -> str:
    """A point that did not come, as a sentence's subject and verb: ``incident N1 had not been detected``,
    ``incident N1 had not started``, ``step publish-debunk for incident N1 had not completed`` (a point's
    :meth:`~ballotdrill.scenarios.measures.Point.describe` does not take "had not happened")."""
    if point.step is not None:
        return f"step {point.step} for incident {point.incident} had not {point.event}"
    return f"incident {point.incident} had not {'' if point.event == 'started' else 'been '}{point.event}"


def _chance(window: Window, end: Point) -> str:
    """``its 90% chance``: the chance the end step had of containing its incident (``its chance`` when unknown)."""
    procedure = window.procedure_of(end.step) if end.step is not None else None
    proc = window.structure.procedures.get(procedure) if procedure is not None else None
    spec = next((s for s in proc.steps if s.id == end.step), None) if proc is not None else None
    return chance_words(spec.effect.chance, "its") if spec is not None and spec.effect is not None else "its chance"


def _failed_attempts(window: Window, start: Point, start_t: float, end: Point,
                     tried: Sequence[tuple[int, float]], target: float) -> str:
    """``step X completed 1 h 09 min after incident D2 detected, within the 2 h 00 min target, but its 75% chance of
    containing incident D2 failed (row #4810); `` (empty without any): whether each completion came within the
    target, and the chance that failed, so a step done is never read as one never done."""
    if not tried:
        return ""
    done = ", ".join(between(window.start, start_t, start_t + after, (target,)) for _, after in tried)
    rows = ", ".join(f"#{row}" for row, _ in tried)
    side = ("within" if all(after <= target + 1e-9 for _, after in tried) else
            "past" if all(after > target + 1e-9 for _, after in tried) else "first within, then past")
    return (f"step {end.step} completed {done} after {start.describe()}, {side} the {minutes(target)} target, but "
            f"{_chance(window, end)} of containing incident {end.incident} failed "
            f"({'each time, ' if len(tried) > 1 else ''}{'rows' if len(tried) > 1 else 'row'} {rows}); ")


def self_contained(window: Window, incident: str, took: float, target: float, text: str) -> Verdict:
    """A containment measure of an incident that ended by itself after ``took`` (``text``: the value in words).

    Within the target: the objective was not put to the test (NE), whatever the response did, which the reason
    tells (noticed, work begun). Past it: the players had the whole target and had not
    contained it by then (U); the reason says it ended by itself and how far the response had got by its end
    (noticed, work begun), since a response on its way and one never begun read alike in the band."""
    if took <= target:
        return Verdict("NE", f"incident {incident} ended by itself ({text}), within the target, before the response "
                       f"contained it ({_progress(window, incident)}): the objective was not put to the test, since it "
                       "was met whatever the response did", f"ended by itself ({text})", why="ended")
    return Verdict("U", f"incident {incident} ended by itself ({text}), past the target, before the response "
                   f"contained it; {_progress(window, incident)}", f"ended by itself ({text})")


def _progress(window: Window, incident: str) -> str:
    """How far the response to ``incident`` had got when it ended by itself: noticed, work begun (or not)."""
    inc = window.incidents[incident]
    ended = inc.to_contain if inc.to_contain is not None else window.until - inc.started_at
    if inc.to_detect is None or inc.to_detect > ended:
        return "nobody had noticed it by then"
    noticed = f"the response had noticed it after {window.after_start(incident, inc.to_detect)}"
    if inc.to_first_action is None or inc.to_first_action > ended:
        return noticed + " but begun no work on it"
    return noticed + f" and begun work after {window.after_start(incident, inc.to_first_action)}"
