"""Objectives: each measured from the journal and rated on the HSEEP scale.

Rating thresholds (T = the objective's target, v = the measured value):

Lower is better (``time``, ``reach``, ``voter_minutes``, ``station_minutes``; ``votes_lost``, rated by
:mod:`ballotdrill.scoring.voteslost`: P when none was lost, U when its voters were, NE when it could not tell):

- **P** (performed without challenges): v ≤ T
- **S** (performed with some challenges): T < v ≤ 1.25 × T
- **M** (performed with major challenges): v > 1.25 × T, but achieved in the run
  (the reason gives the same rule, missed by more than 25 %, and adds when v is more than 2 × T)
- **U** (unable to be performed): not achieved although the players had the whole target
  (the end point never came; the incident was never contained by the response and its harm
  passed the target). A time whose end point had not come when the run stopped (a ``--until`` cut or the
  scenario's own end) before its target passed is U too when the least its open work still needed, whatever was
  drawn, passes the target (:func:`~ballotdrill.scoring.leastleft.least_left`): it could no longer be met; NE
  while it still could. An incident that ended by itself past the target is U too: the reason
  says it ended by itself and how far the response had got (noticed, work begun), never that
  the response failed.
- **NE** (not exercised, see :mod:`ballotdrill.scoring.exercised`): the subject never happened
  in the played window, or the incident ended by itself within the target before any response
  contained or slowed it, or a reach objective's wave has a cap within the target, or a voter- or station-minutes
  objective's incident began once its polling stations had closed (it could never pass it, whatever the response
  did). Never P, never U. A harm measure of an incident that ended by itself
  within the target after the response slowed its wave or shortened it is rated on its value
  when, left to itself (its wave at its starting rate, its drawn duration unshortened), it would
  have passed the target: the response kept it there, and the reason says so with that figure.
  Had it stayed under the target anyway, it is NE: the response was not what kept it there. A time
  to the containment of an incident that ended by itself keeps the time until it ended as its
  value, rated as above. A time to a step carrying a containment that completed only after its incident had ended
  by itself (it restored nothing) is rated as that end: NE when it came within the target, U past it.

Higher is better (``on_time``: the share of steps with a target, of one procedure or ``all``, that met it: those
completed, those still open once past their target, and those the work had not reached by the stop once past their
target, :mod:`.unarrived`):

- **P**: v ≥ T;  **S**: v ≥ T / 1.25 (= 0.8 × T);  **M**: v ≥ T / 2;
- **U**: v < T / 2;  **NE**: no step with a target was played (nothing to measure).

A harm measure (``reach``, ``voter_minutes``, ``station_minutes``) of an incident still open when
the exercise ends is the harm it did in the window: rated on that value under the target, and the
reason says it was still open and whether the harm was still growing (a wave: when, at its last
rate, it would pass the target). In a run stopped early (``--until``) it is NE while under the
target.

Ratings are simulated bands computed from a measure and its target, not an evaluator's
observation of the players; one seed is one draw.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple

from ballotdrill.journal import Event, Kind
from ballotdrill.journal.kinds import EFFECT_FAILED, STEP_COMPLETED, STEP_STARTED
from ballotdrill.journal.packed import Packed
from ballotdrill.scenarios.measures import Interval, Point
from ballotdrill.scenarios.scenario import Objective, Scenario
from ballotdrill.scoring.exercised import Verdict, Window, missing_end, missing_start, self_contained
from ballotdrill.scoring.feed import Handlers, RowHandlers
from ballotdrill.scoring.model import Harm, ObjectiveResult, Rating, r3
from ballotdrill.scoring.ontime import OnTimeTally
from ballotdrill.scoring.text import (
    HARM_MEASURES,
    HARM_NOUNS,
    UNITS,
    between,
    clock,
    measure_value,
    minutes,
)
from ballotdrill.scoring.undecided import so_far, undecided_words
from ballotdrill.scoring.voteslost import rate_lost

S_FACTOR = 1.25
"""S band: up to this multiple of the target (lower is better) or down to target / this."""
M_FACTOR = 2.0
"""M band for higher-is-better: down to target / this; for lower-is-better, noted in the reason."""

RATING_NAMES: dict[str, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
    "NE": "Not exercised",
}

THRESHOLDS: list[tuple[str, str, str]] = [
    ("P", "value ≤ target", "value ≥ target"),
    ("S", "target < value ≤ 1.25 × target", "0.8 × target ≤ value < target"),
    ("M", "value > 1.25 × target, but achieved in the run", "0.5 × target ≤ value < 0.8 × target"),
    ("U", "not achieved although the players had the whole target: the end point never came, the "
     "incident was never contained by the response, or its harm had stopped growing before it was contained (its "
     "wave at its cap, its polling stations closed); or, stopped before its target passed, a time whose open work "
     "could no longer bring its end point within it, whatever was drawn",
     "value < 0.5 × target"),
    ("NE", "the subject never happened in the played window (incident after the stop, contingency not "
     "released), the incident ended by itself within the target before any response contained or slowed it, or "
     "it could never pass the target (its wave's cap within it, or it began once its polling stations had closed)",
     "no step with a target played"),
]
"""(rating, lower-is-better rule, higher-is-better rule): the table shown in reports."""


def bands(target: float, lower_is_better: bool) -> tuple[float, float, float]:
    """The bounds :func:`rate` tells a value by: the target and the S and M bands' (its words keep a value on its side
    of each, :func:`~.text.told_against`)."""
    if lower_is_better:
        return target, S_FACTOR * target, M_FACTOR * target
    return target, target / S_FACTOR, target / M_FACTOR


def rate(value: float | None, target: float, lower_is_better: bool) -> tuple[Rating, str]:
    """The HSEEP rating of ``value`` against ``target`` and a one-line reason."""
    if value is None:
        return "U", "never achieved in the run"
    if lower_is_better:
        if value <= target:
            return "P", "met the target"
        if value <= S_FACTOR * target:
            return "S", f"missed the target by at most {S_FACTOR - 1:.0%}"
        if value <= M_FACTOR * target:
            return "M", f"missed the target by more than {S_FACTOR - 1:.0%}"
        return "M", f"missed the target by more than {S_FACTOR - 1:.0%} (more than {M_FACTOR:g} × the target)"
    if value >= target:
        return "P", "met the target"
    s_edge = f"{_share(target / S_FACTOR)} ({1 / S_FACTOR:.0%} of the {_share(target)} target)"
    if value >= target / S_FACTOR:
        return "S", f"below the target, at least {s_edge}"
    m_edge = f"{_share(target / M_FACTOR)} ({1 / M_FACTOR:.0%} of the {_share(target)} target)"
    if value >= target / M_FACTOR:
        return "M", f"below {s_edge}, at least {m_edge}"
    return "U", f"below {m_edge}"


def _share(value: float) -> str:
    """A band's edge or target as a share (the one kind rated higher-is-better is a share of steps on time):
    ``64%``, ``37.5%`` (a tenth kept so that an edge never reads as a whole it is not)."""
    return f"{value * 100:.1f}".removesuffix(".0") + "%"


_STEP_KINDS = frozenset((STEP_STARTED, STEP_COMPLETED))

_INCIDENT_KINDS = {"started": Kind.INCIDENT_STARTED, "detected": Kind.DETECTED, "escalated": Kind.ESCALATED,
                   "contained": Kind.CONTAINED, "resolved": Kind.RESOLVED}


class Reached(NamedTuple):
    """The first journal row where a point happened."""

    seq: int
    t: float


class PointCollector:
    """The first row where each point an objective measures from or to happened.

    A step's completion whose containing effect failed (an ``effect_failed`` row for the same incident and step
    right after it) is not the point: a step carrying a containment is done when its containment took hold, or
    when the incident was already contained. Its failed completions are kept (``failed``) for the reason.
    """

    def __init__(self, points: Iterable[Point]) -> None:
        self.wanted: dict[tuple[str, str | None, str | None], list[Point]] = {}
        for point in points:
            if point.step is None:
                kind = _INCIDENT_KINDS[point.event]
            else:
                kind = STEP_STARTED if point.event == "started" else STEP_COMPLETED
            key = (kind, point.incident, point.step)
            if point not in self.wanted.setdefault(key, []):
                self.wanted[key].append(point)
        self.reached: dict[Point, Reached] = {}
        self.failed: dict[Point, list[Reached]] = {}
        """Completions of a step whose containing effect failed, per point (the ``effect_failed`` row and t)."""

    def handlers(self) -> Handlers:
        kinds = {key[0] for key in self.wanted}
        table: Handlers = {kind: self._seen for kind in kinds - _STEP_KINDS}
        if STEP_COMPLETED in kinds:
            table[EFFECT_FAILED] = self._failed
        return table

    def row_handlers(self) -> RowHandlers:
        """The step points, read from the packed rows (no event made for each of the run's step rows)."""
        return {kind: self._step_seen for kind in {key[0] for key in self.wanted} & _STEP_KINDS}

    def _seen(self, event: Event) -> None:
        step = event.step if event.kind in _STEP_KINDS else None
        for point in self.wanted.get((event.kind, event.incident, step), ()):
            if point not in self.reached:
                self.reached[point] = Reached(event.seq, event.t)

    def _step_seen(self, seq: int, row: Packed) -> None:  # a step_started or step_completed row: (t, kind, incident,
        points = self.wanted.get((row[1], row[2], row[4]))  # actor, step, values)
        if points is not None:
            for point in points:
                if point not in self.reached:
                    self.reached[point] = Reached(seq, row[0])

    def _failed(self, event: Event) -> None:
        """The containment of the step just completed failed: that completion is not the point."""
        for point in self.wanted.get((STEP_COMPLETED, event.incident, event.step), ()):
            done = self.reached.get(point)
            if done is not None and done.t == event.t:
                del self.reached[point]
                self.failed.setdefault(point, []).append(Reached(event.seq, event.t))


def objective_points(scenario: Scenario) -> list[Point]:
    """The points the interval objectives measure between, and the same points on the incidents continuing theirs."""
    chains = scenario.continuations()
    points: list[Point] = []
    for objective in scenario.objectives:
        interval = objective.measure.interval
        if interval is None:
            continue
        for point in (interval.start, interval.end):
            points += [point._replace(incident=i) for i in carried_on(point.incident, chains)]
    return points




def harm_subjects(scenario: Scenario, kinds: Collection[str] = HARM_MEASURES) -> list[str]:
    """The incidents the harm objectives (those of ``kinds``) measure, and the incidents carrying them on
    (``continues``)."""
    chains = scenario.continuations()
    subjects: list[str] = []
    for objective in scenario.objectives:
        if objective.measure.kind in kinds:
            subjects += [i for i in carried_on(objective.measure.subject, chains) if i not in subjects]
    return subjects


def carried_on(incident: str, chains: Mapping[str, Sequence[str]]) -> list[str]:
    """``incident`` and every incident carrying it on (``continues``), directly or in turn, in MSEL order."""
    found = [incident]
    for known in found:
        found += [i for i in chains.get(known, ()) if i not in found]
    return found


def measure_objective(objective: Objective, reached: Mapping[Point, Reached], on_time: OnTimeTally,
                      harms: Sequence[Harm], window: Window,
                      failed: Mapping[Point, Sequence[Reached]] | None = None) -> ObjectiveResult:
    """Measure one objective and rate it (NE when it was not exercised in ``window``).

    ``reached``: where each point of the interval objectives first happened (:class:`PointCollector`), and
    ``failed``: the completions of a step point whose containment failed, so which were not the point;
    ``on_time``: every step instance's on-time share, tallied for the procedures of the on-time objectives.
    """
    kind, target, lower = objective.measure.kind, objective.target_value, objective.lower_is_better
    interval, subject = objective.measure.interval, objective.measure.subject
    failed = failed or {}
    value, evidence, verdict, note = _measure(objective, interval, subject, reached, on_time, harms, window, failed)
    carried = measured = ""
    obj_subject = objective.measure.subject
    chains = window.scenario.continuations()
    while verdict is not None and verdict.rating == "NE" and kind != "on_time":
        ended = next((i for i in _incidents(interval, subject)
                      if window.self_ended(i) is not None and _started_continuation(i, chains, window)), None)
        if ended is None:
            break
        successor = _started_continuation(ended, chains, window)
        assert successor is not None
        carried += (f"incident {ended} ended by itself after {window.after_start(ended, window.self_ended(ended))}; "
                    f"measured on {successor}, which continues it: ")
        interval = interval and Interval(*(p._replace(incident=successor) if p.incident == ended else p
                                           for p in interval))
        subject = successor if interval is None else subject
        measured = " ".join(successor if word == ended else word for word in (measured or obj_subject).split())
        value, more, verdict, note = _measure(objective, interval, subject, reached, on_time, harms, window,
                                              failed)
        evidence = evidence + more
    if verdict is not None:
        rating, reason, value_text = verdict.rating, carried + verdict.reason, verdict.value_text
        unexercised = verdict.why if rating == "NE" else ""
    else:
        rating, reason = rate(value, target, lower)
        unexercised = ""
        reason = carried + reason + note
        value_text = _value_told(kind, value, bands(target, lower), interval, reached, window)
        if kind in HARM_MEASURES and any(h.incident == subject and h.open for h in harms):
            value_text += " at the end, still open"
        elif kind in HARM_MEASURES and window.self_ended(subject) is not None:
            value_text += ", ended by itself"
    target_text = objective.target if isinstance(objective.target, str) else measure_value(kind, target)
    return ObjectiveResult(
        id=objective.id, capability=objective.capability, description=objective.description, kind=kind,
        subject=objective.measure.subject, target=r3(target), target_text=str(target_text), value=value,
        unit=UNITS[kind], value_text=value_text or ("not exercised" if rating == "NE" else "—"), lower_is_better=lower,
        rating=rating, reason=reason, evidence=sorted(evidence), measured=measured, unexercised=unexercised,
    )


def _value_told(kind: str, value: float | None, marks: Sequence[float], interval: Interval | None,
                reached: Mapping[Point, Reached], window: Window) -> str:
    """An objective's value in its unit, kept on its side of ``marks``; a time between two moments of the run as
    their clocks read (:func:`~.text.between`), as the incident table, the story and the causes tell that same
    interval: "1 h 31 min" for 12:40:00 to 14:10:40 read beside "noticed only 1 h 30 min after it began"."""
    first, last = (reached.get(interval.start), reached.get(interval.end)) if interval is not None else (None, None)
    if kind != "time" or first is None or last is None:
        return measure_value(kind, value, marks)
    return between(window.start, first.t, last.t, marks)


def _repaired_after_its_end(window: Window, end: Point, done: float) -> float | None:
    """t when ``end``'s incident ended by itself, when ``end`` is the completion (at ``done``) of a step carrying a
    containment that came only after that: the step found nothing left to contain (None otherwise)."""
    ended = window.self_ended(end.incident)
    procedure = window.procedure_of(end.step) if end.step is not None and end.event == "completed" else None
    proc = window.structure.procedures.get(procedure) if procedure is not None else None
    spec = next((s for s in proc.steps if s.id == end.step), None) if proc is not None else None
    if ended is None or spec is None or spec.effect is None or not spec.effect.contains:
        return None
    over = window.incidents[end.incident].started_at + ended
    return over if over <= done + 1e-9 else None


def _contained_after_close(window: Window, incident: str) -> bool:
    """Whether ``incident`` was contained (by the response) only once its polling stations had closed: its voter-
    and station-minutes had stopped growing by then, as a wave at its cap stops."""
    closes, inc = window.closes.get(incident), window.incidents.get(incident)
    if closes is None or inc is None or inc.to_contain is None or inc.contained_how == "ended":
        return False
    return inc.started_at + inc.to_contain >= closes - 1e-9


def _open_at_end(incident: str, kind: str, measured: float, target: float, window: Window) -> str:
    """What a harm objective's reason adds for an incident still open at the end, under the target: whether its
    harm was still growing and, for a wave, when at its last rate it would pass the target."""
    noun = HARM_NOUNS[kind]
    if (incident, kind) not in window.growing:
        return f"; incident {incident} was still open at the end, but its {noun} had stopped growing"
    doubling = window.growing[(incident, kind)]
    if doubling is None:
        return (f"; incident {incident} was still open at the end and its {noun} still growing (its polling "
                "stations were open)")
    grows = f"; incident {incident} was still open at the end, its reach doubling every {minutes(doubling)}"
    if measured <= 0:
        return grows
    passes = doubling * math.log2(max(target, measured) / measured)
    return grows + f": at that rate it would pass the target about {minutes(passes)} after the end"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _incidents(interval: Interval | None, subject: str) -> list[str]:
    """The incidents a measure names: its interval's, or its subject (a harm measure's incident)."""
    return [subject] if interval is None else list(dict.fromkeys(p.incident for p in interval))


def _started_continuation(incident: str, chains: Mapping[str, Sequence[str]], window: Window) -> str | None:
    """The first incident continuing ``incident`` that started in the played window, or None."""
    return next((i for i in chains.get(incident, ()) if i in window.incidents), None)


def _measure(objective: Objective, interval: Interval | None, subject: str, reached: Mapping[Point, Reached],
             on_time: OnTimeTally, harms: Sequence[Harm], window: Window,
             failed: Mapping[Point, Sequence[Reached]]) -> tuple[float | None, list[int], Verdict | None, str]:
    """The measured value, its evidence rows, the verdict when it could not be rated on its value, and a note
    on the evidence when not every row is listed."""
    kind, target = objective.measure.kind, objective.target_value
    value: float | None = None
    evidence: list[int] = []
    verdict: Verdict | None = None
    note = ""
    if interval is not None:
        first, last = reached.get(interval.start), reached.get(interval.end)
        evidence = [e.seq for e in (first, last) if e is not None]
        tried = failed.get(interval.end, ()) if last is None else ()
        if first is None:
            verdict = missing_start(window, interval.start)
        elif last is None:
            verdict = missing_end(window, interval.start, first.t, interval.end, target,
                                  [(f.seq, f.t - first.t) for f in tried if f.t >= first.t])
            evidence += [f.seq for f in tried if f.t >= first.t]
        elif (over := _repaired_after_its_end(window, interval.end, last.t)) is not None:
            value = r3(last.t - first.t)  # the step came after the incident had ended by itself: it restored nothing
            verdict = self_contained(window, interval.end.incident, r3(over - first.t), target,
                                     _took(window, first.t, over, interval, target))
            done = (f"'{interval.end.step}' completed {'' if verdict.rating == 'NE' else 'only '}"
                    f"{between(window.start, over, last.t)} after it had ended (at {clock(window.start, last.t)})")
            if verdict.rating == "NE":  # the response was exercised, its step done: only its containment was not
                took, life = last.t - first.t, _took(window, first.t, over, interval, target)
                done = (f"incident {interval.end.incident} ended by itself ({life})"
                        f" before the response could contain it, so '{interval.end.step}' contained nothing and no "
                        f"containment was exercised; {done}, {between(window.start, first.t, last.t, (target,))} after "
                        f"{interval.start.describe()}, "
                        f"{'within' if took <= target + 1e-9 else 'past'} the {minutes(target)} target")
            after = between(window.start, over, last.t)
            verdict = verdict._replace(reason=done, value_text=f"{verdict.value_text}; '{interval.end.step}' done "
                                       f"{after} after it") if verdict.rating == "NE" else \
                verdict._replace(reason=f"{verdict.reason}; {done}")
        elif interval.end.step is None and interval.end.event == "contained" and \
                window.self_ended(interval.end.incident) is not None:
            value = r3(last.t - first.t)  # the time it took, rated as the verdict says
            verdict = self_contained(window, interval.end.incident, value, target,
                                     _took(window, first.t, last.t, interval, target))
        else:
            value = r3(last.t - first.t)
    elif kind == "votes_lost":
        return rate_lost(subject, target, window.lost.get(subject), window)
    elif kind == "on_time":
        share = on_time.share(objective.measure.subject)
        value, evidence, note = share.value, share.evidence, share.note
        named = "any procedure" if objective.measure.subject == "all" else objective.measure.subject
        if value is None:
            cut_left = share.undecided and window.cut
            left = f" ({undecided_words(share.undecided)} when the run stopped)" if cut_left else ""
            verdict = Verdict("NE", f"no step of {named} with a target was played to its end or past its target{left}",
                              why="absent")
        elif share.undecided and window.cut:
            verdict, note = so_far(share, named, target, note)
    else:
        incident = subject
        row = next((h for h in harms if h.incident == incident), None)
        if row is None:
            verdict = Verdict("NE", window.never_started(incident), why="absent")
        else:
            evidence = list(row.evidence)
            measured = float(getattr(row, kind))
            text = measure_value(kind, measured, (target,))  # told beside the target: kept on its side
            ended = window.self_ended(incident)
            shaped = window.shaped.get(incident, ())
            alone = window.unslowed.get(incident, {}).get(kind)
            cap = window.caps.get(incident, math.inf) if kind == "reach" else math.inf
            if cap <= target:  # it could never pass the target: the response was not what kept it there
                verdict = Verdict("NE", f"incident {incident}'s wave has a cap of "
                                  f"{measure_value(kind, cap, (target,))}, within the target: whatever the response "
                                  "did its reach could never pass it, so the objective was not put to the test",
                                  f"{text}, its cap within the target", why="never")
            elif kind != "reach" and not measured and incident in window.incidents and \
                    window.incidents[incident].started_at >= window.closes.get(incident, math.inf) - 1e-9:
                closed = clock(window.start, window.closes[incident])  # its harm window is empty: nothing to keep
                verdict = Verdict("NE", f"incident {incident} began at "
                                  f"{clock(window.start, window.incidents[incident].started_at)}, once its polling "
                                  f"stations had closed at {closed}: it could do no {HARM_NOUNS[kind]} whatever the "
                                  "response did, so the objective was not put to the test",
                                  f"{text}, its polling stations closed", why="never")
            elif ended is not None and shaped and measured <= target:
                done = (f"incident {incident} ended by itself after {window.after_start(incident, ended)}, and the "
                        "response had slowed "
                        f"or shortened it before then ({_times(len(shaped))}: rows "
                        f"{', '.join(f'#{n}' for n in shaped)})")
                if alone is not None and alone <= target:  # it would have stayed under the target anyway
                    verdict = Verdict("NE", f"{done}, but left to itself its {HARM_NOUNS[kind]} would have been "
                                      f"{measure_value(kind, alone, (target,))}, also within the target: the "
                                      "response was not what kept it there, so the objective was not put to the test",
                                      f"{text}, ended by itself", why="ended")
                else:  # the response kept it under the target
                    value = measured
                    note = "; " + done + ("" if alone is None else f"; left to itself its {HARM_NOUNS[kind]} would "
                                          f"have been {measure_value(kind, alone, (target,))}, past the target")
            elif ended is not None:
                verdict = self_contained(window, incident, measured, target, text)
            elif row.open and measured > target:
                verdict = (Verdict("U", f"incident {incident} was not contained when {window.stopped()} ({text} "
                                   "then)", f"{text} when the run stopped, not contained") if window.cut else
                           Verdict("U", f"incident {incident} was never contained ({text} at the end)",
                                   f"{text} at the end, not contained"))
            elif kind == "reach" and measured > target and measured >= window.caps.get(incident, math.inf):
                verdict = Verdict("U", f"incident {incident}'s wave reached its cap ({text}, the most it can reach) "
                                  "before anything contained it: the response did not limit its reach",
                                  f"{text}, its cap")
            elif kind != "reach" and measured > target and _contained_after_close(window, incident):
                closed = clock(window.start, window.closes[incident])
                verdict = Verdict("U", f"incident {incident}'s polling stations closed at {closed}, before anything "
                                  f"contained it: its {HARM_NOUNS[kind]} ({text}) ran for all their open hours, so "
                                  "the response did not limit them", f"{text}, all its polling hours")
            elif row.open and window.cut:
                verdict = Verdict("NE", f"incident {incident} was still open when {window.stopped()} "
                                  f"({text} so far, within the target)", f"{text} so far, still open", why="open")
            else:  # the harm done in the whole exercise window; one still open is said to be, and how it grew
                value = measured
                if row.open:
                    note = _open_at_end(incident, kind, measured, target, window)
            if verdict is not None and verdict.rating == "U":
                value = measured  # past the target: the harm it judged (never contained, or ended by itself)
    return value, evidence, verdict, note


def _took(window: Window, t0: float, t1: float, interval: Interval, target: float) -> str:
    """How long an incident that ended by itself took, from the measure's start at ``t0`` to ``t1``, as the clocks
    read and beside the ``target`` it is rated against: ``after 40 min`` from its own start, else from the measure's
    start (``35 min after incident AF detected``), never read as its whole life."""
    start, took = interval.start, between(window.start, t0, t1, (target,))
    if start.step is None and start.event == "started" and start.incident == interval.end.incident:
        return f"after {took}"
    return f"{took} after {start.describe()}"
