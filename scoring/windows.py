"""What an objective measures in a run: when its points happened, the stretch of each incident it measures, and
when its target was passed — read as the rating reads them (:mod:`~ballotdrill.scoring.ratings`).

A time's end point at a step carrying a containment is the completion whose containment took hold (or found the
incident already contained), not one whose draw failed; a time's stretch ends at the end of the run when its end
never came, and no later than its start plus the next better band's bound (:func:`explaining_bound`: the target for
S, 1.25 × it for M, none for U); a harm measure's stretch is its incident's harm window (its start to its
containment, or the end of the run while open; voter- and station-minutes only while its polls were open), up to the
moment its harm passed that bound; the delays that can explain it are counted from the incident's
start (a wait before the polls opened delayed the containment all the same).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ballotdrill.scenarios.measures import Point, parse_interval
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.model import ObjectiveResult, Scores
from ballotdrill.scoring.passing import Passed
from ballotdrill.scoring.pollwindow import harm_stretch
from ballotdrill.scoring.ratings import S_FACTOR
from ballotdrill.scoring.text import HARM_MEASURES

__all__ = ["end_step", "explaining_bound", "harm_stretches", "harm_window", "objective_windows", "point_time",
           "target_passed"]


def harm_window(scores: Scores, incident: str, measure: str = "") -> tuple[float, float] | None:
    """When ``incident`` was doing ``measure``'s harm: its start to its containment (or the end of the run while
    open), voter- and station-minutes only while its polls were open (:func:`~.pollwindow.harm_stretch`, the rule
    the harm behind each lever reads; the polls as its harm record keeps them)."""
    inc = next((i for i in scores.incidents if i.incident == incident), None)
    if inc is None:
        return None
    end = inc.started_at + inc.to_contain if inc.to_contain is not None else float(scores.until or 0.0)
    harm = next((h for h in scores.harm if h.incident == incident), None)
    return harm_stretch(measure, inc.started_at, end, None if harm is None else harm.polls)


def point_time(scores: Scores, point: Point, structure: Structure | None = None) -> float | None:
    """When a measure's point happened in the run (None: it did not, or its time is not scored).

    As the rating reads it (:class:`~ballotdrill.scoring.ratings.PointCollector`): a completion of a step carrying
    a containment (in ``structure``) is the point only when its containment took hold, or the incident was already
    contained; a completion whose containment failed is not."""
    if point.step is not None:
        mine = [s for s in scores.steps if s.incident == point.incident and s.step == point.step]
        if point.event == "started":
            return mine[0].started_at if mine else None
        done = [s for s in mine if s.completed_at is not None]
        if structure is not None and done:
            closed = _contained_at(scores, point.incident)
            done = [s for s in done if not _contains(structure, s.procedure, s.step)
                    or (closed is not None and closed <= (s.completed_at or 0.0) + 1e-9)]
        return done[0].completed_at if done else None
    inc = next((i for i in scores.incidents if i.incident == point.incident), None)
    if inc is None:
        return None
    offset = {"started": 0.0, "detected": inc.to_detect, "contained": inc.to_contain,
              "resolved": inc.to_resolve}.get(point.event)
    return None if offset is None else inc.started_at + offset


def _contained_at(scores: Scores, incident: str) -> float | None:
    inc = next((i for i in scores.incidents if i.incident == incident), None)
    return None if inc is None or inc.to_contain is None else inc.started_at + inc.to_contain


def _contains(structure: Structure, procedure: str, step: str) -> bool:
    """Whether ``step`` of ``procedure`` carries a containment (a chance above 0 to contain, or resolving): the
    steps whose completion the engine follows with a draw."""
    proc = structure.procedures.get(procedure)
    spec = next((s for s in proc.steps if s.id == step), None) if proc is not None else None
    return spec is not None and spec.effect is not None and spec.effect.contains


def objective_windows(obj: ObjectiveResult, scores: Scores, passed: Mapping[str, float] | None = None,
                      structure: Structure | None = None) -> dict[str, tuple[float, float]]:
    """The incidents an objective measures and the stretch of the run it measures in each, up to when it passed the
    next better band's bound (:func:`explaining_bound`): a time from one point to another (to the end of the run if
    the end never came; to the start plus that bound at most; a containing step's point where its containment took
    hold, :func:`point_time`), or an incident's harm window (to the moment its harm passed that bound: for S the
    target, when ``passed`` — objective id -> t — says; for M 1.25 × the target along its course,
    :meth:`~.passing.HarmCourse.passes`, else the target's moment; for U its whole window)."""
    if obj.kind == "time":
        try:
            interval = parse_interval(obj.subject)
        except ValueError:
            return {}
        lo = point_time(scores, interval.start, structure)
        if lo is None:
            return {}
        hi = point_time(scores, interval.end, structure)
        hi = float(scores.until or 0.0) if hi is None else hi
        return {interval.end.incident: (lo, min(hi, lo + explaining_bound(obj)))}
    window = harm_window(scores, obj.subject, obj.kind) if obj.kind != "on_time" else None
    inc = next((i for i in scores.incidents if i.incident == obj.subject), None) if window else None
    if inc is None or window is None:
        return {}
    crossed = (passed or {}).get(obj.id)
    end = window[1] if crossed is None else min(window[1], crossed)
    if obj.kind in HARM_MEASURES and obj.rating in ("M", "U"):  # up to the next better band's bound instead
        course = passed.courses.get(obj.id) if isinstance(passed, Passed) and obj.measured in ("", obj.subject) \
            else None
        bound = explaining_bound(obj)
        beyond = window[1] if math.isinf(bound) else course.passes(obj.kind, bound) if course is not None else None
        end = min(window[1], beyond) if beyond is not None else end
    return {obj.subject: (inc.started_at, end)}  # a wait before its polls opened delayed it too


def explaining_bound(obj: ObjectiveResult) -> float:
    """The value of what ``obj`` measures up to which a delay can explain its rating: the bound of the next better
    band (:func:`~.ratings.bands`), since a delay that came once what it measures had passed that bound, taken away,
    leaves it past the bound still — its target for S (and any other rating), :data:`~.ratings.S_FACTOR` × its target
    for M, none for U (M needs only to be achieved in the run: up to the end of what it measures). A time, a reach, a
    voter- or station-minutes measure; others (votes lost, an on-time share): its target."""
    if obj.kind == "time" or obj.kind in HARM_MEASURES:
        if obj.rating == "U":
            return math.inf
        if obj.rating == "M":
            return S_FACTOR * obj.target
    return obj.target


def harm_stretches(obj: ObjectiveResult, scores: Scores,
                   passed: Mapping[str, float] | None = None) -> dict[str, tuple[float, float]]:
    """The stretch in which the harm a harm objective measures was done (:func:`harm_window`), up to when its
    target was passed (``passed``: objective id -> t): what a delay must be a material share of to explain it."""
    window = harm_window(scores, obj.subject, obj.kind) if obj.kind not in ("on_time", "time") else None
    if window is None:
        return {}
    crossed = (passed or {}).get(obj.id)
    return {obj.subject: window if crossed is None else (window[0], min(window[1], crossed))}


def target_passed(obj: ObjectiveResult, scores: Scores, passed: Mapping[str, float] | None,
                  structure: Structure | None = None) -> float | None:
    """t when the objective's target was passed: a harm measure's from ``passed``, a time's start plus its
    target when that came before the end point (:func:`point_time`) and the run's end (None otherwise, or not
    known)."""
    if obj.kind == "time":
        try:
            interval = parse_interval(obj.subject)
        except ValueError:
            return None
        start, end = point_time(scores, interval.start, structure), point_time(scores, interval.end, structure)
        if start is None:
            return None
        end = float(scores.until or 0.0) if end is None else end
        return start + obj.target if start + obj.target < end else None
    return (passed or {}).get(obj.id) if obj.kind != "on_time" else None


def end_step(obj: ObjectiveResult) -> str | None:
    """The step a time objective measures to (``... to step S ...``), or None."""
    if obj.kind != "time":
        return None
    try:
        return parse_interval(obj.subject).end.step
    except ValueError:
        return None
