"""Whether taking a lever's delay away could have changed an objective's rating (:func:`could_turn`), for the
ranking's objectives explained (:mod:`~ballotdrill.scoring.ranking`).

A time's value that much shorter rates better; a harm measure's incident contained that much sooner is contained before
its harm passed the target, or did a smaller harm that rates better (:func:`sooner_rating`: along its own course, exact
for voter- and station-minutes and an unslowed wave; for a slowed wave the least it could have reached, every slowing
that much sooner too, which turns it when that rates better). For one that ended by itself, what comes sooner is its
response's containing step completed after that end (none: what never came, below), never the incident's own end. What
never came — an incident never contained, a time whose end never came — could have come, at the earliest, that much
before the run stopped plus what the designed path still had to do from the work open then (:func:`still_to_go`: a
handoff still travelling, a step queued, or one under way with what its work still had left on average,
:func:`~ballotdrill.scoring.residual.mean_left`) to the step that brings it, and only if such work was open; for
reach, a slowing step that much sooner may also have kept it under. Only what came after the delay began comes sooner
(``since``): a slowing of the wave, a slowing step's completion before it stays where it was. A containing step that
completed and failed its draw is not undone by coming sooner (the same draw).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from functools import partial

from ballotdrill.scenarios.measures import parse_interval
from ballotdrill.scenarios.structure import Step
from ballotdrill.scoring.advice import step_lever
from ballotdrill.scoring.designed import default_path, designed_rest
from ballotdrill.scoring.harmpath import HarmPaths, IncidentPath
from ballotdrill.scoring.model import ObjectiveResult, Rating, Scores, r3
from ballotdrill.scoring.passing import Passed
from ballotdrill.scoring.ratings import rate
from ballotdrill.scoring.residual import mean_left
from ballotdrill.scoring.text import HARM_MEASURES, chance_words
from ballotdrill.scoring.windows import point_time

__all__ = ["chance_held", "containment_chance", "could_turn",
           "on_time_turns", "on_time_unturned", "sooner_rating", "still_to_go", "told_by_rating"]


def could_turn(obj: ObjectiveResult, removed: float, scores: Scores, passed: Mapping[str, float] | None,
               paths: HarmPaths | None = None, levers: Collection[str] = (), since: float = -math.inf) -> bool:
    """Whether taking ``removed`` minutes of delay out of what ``obj`` measures could have changed its rating.

    A time's value that much shorter rates better; one whose end never came could have come, at the earliest, that
    much before the run stopped plus what its designed path still had to do then (:func:`still_to_go`), only if
    work leading to it was open, and then only if that is before the run stopped. A harm measure's incident
    contained that much sooner is contained before its harm passed the target, or its smaller harm then rates
    better (:func:`sooner_rating`; one that ended by itself: its response's containing step completed after that
    end, that much sooner); one never contained could have been contained (or its wave slowed) that much
    before the run stopped plus what the designed path still had to do to a step with an effect, at the earliest, if
    such work was open, before its harm passed the target, or (for reach) had its wave slowed that much sooner by a
    slowing step under way or done before then, its reach then (every slowing that much sooner,
    :meth:`~.passing.HarmCourse.reach_slowed_sooner`) within the target; or contained within the run, its harm by
    then rating better than U
    (:func:`sooner_rating`). True when that cannot be told
    (when its harm passed the target, or what the structure says, is not known). ``levers``: those whose delay is
    taken away (:func:`still_to_go`: a step under way at the stop whose own slow work is among them needs no more);
    ``since``: when the first of their delays began (what came before it does not come sooner: a slowing of the
    wave, a slowing step's completion)."""
    until = float(scores.until or 0.0)
    if obj.kind == "time":
        if obj.value is not None:
            return rate(obj.value - removed, obj.target, True)[0] != obj.rating
        try:
            interval = parse_interval(obj.subject)
        except ValueError:
            return True
        start = point_time(scores, interval.start, paths.structure if paths else None)
        if start is None or paths is None:
            return True
        rest = still_to_go(interval.end.incident, scores, paths, interval.end.step, interval.end.event == "started",
                           levers=levers)
        return rest is not None and rest <= removed and \
            rate(until - removed + rest - start, obj.target, True)[0] != obj.rating
    crossed = (passed or {}).get(obj.id)
    inc = next((i for i in scores.incidents if i.incident == obj.subject), None)
    if crossed is None or inc is None:
        return True
    if inc.to_contain is not None and inc.contained_how != "ended":
        if inc.started_at + inc.to_contain - removed <= crossed:
            return True
        sooner = sooner_rating(obj, removed, scores, passed, paths, levers, since)
        return sooner is not None and sooner[0] != obj.rating
    if paths is None or paths.structure is None:
        return True
    if inc.to_contain is not None:  # ended by itself: its own end does not come sooner; its response's might
        ended = inc.started_at + inc.to_contain
        done = _contained_by_response(inc.incident, ended, scores, paths)
        if done is not None:
            if done - removed <= crossed:
                return True
            sooner = sooner_rating(obj, removed, scores, passed, paths, levers, since)
            return done - removed < ended if sooner is None else sooner[0] != obj.rating
    rest = still_to_go(inc.incident, scores, paths, levers=levers)
    if rest is not None and until - removed + rest <= crossed:
        return True
    if obj.kind == "reach" and any(
            _sooner(step.completed_at if step.completed_at is not None else until, removed, since) <= crossed
            for step in scores.steps if step.incident == inc.incident and _slows(paths, step.procedure, step.step)) \
            and _slowed_sooner_turns(obj, removed, passed, inc.started_at + inc.to_contain
                                     if inc.to_contain is not None else until, since):
        return True
    sooner = sooner_rating(obj, removed, scores, passed, paths, levers, since)
    return sooner is not None and sooner[0] != obj.rating


def _slowed_sooner_turns(obj: ObjectiveResult, removed: float, passed: Mapping[str, float] | None, at: float,
                         since: float) -> bool:
    """Whether the wave of a reach objective no response contained, every slowing of it after ``since`` (when the
    delay began) ``removed`` minutes sooner, would have rated otherwise by ``at`` (its own end, or the run's):
    within the target P, past it U, as such an incident is rated. True when its course is not known."""
    course = (passed.courses if isinstance(passed, Passed) else {}).get(obj.id)
    if course is None:
        return True
    return ("P" if course.reach_slowed_sooner(removed, at, since) <= obj.target else "U") != obj.rating


def _sooner(t: float, removed: float, since: float) -> float:
    """When what came at ``t`` would have come with ``removed`` minutes of delay begun at ``since`` taken away: that
    much sooner, never before ``since``; what came before ``since`` where it was."""
    return t if t <= since else max(since, t - removed)


def on_time_turns(obj: ObjectiveResult, fixed: float, count: tuple[int, int]) -> bool:
    """Whether an on-time share with ``fixed`` more of its steps on time (``count``: the steps it counts, those on
    time) rates other than it did."""
    counted, met = count
    if counted <= 0:
        return False
    return rate(r3(min(counted, met + fixed) / counted), obj.target, False)[0] != obj.rating


def on_time_unturned(obj: ObjectiveResult, levers: Collection[str], made: Mapping[str, tuple[int, int]],
                     count: tuple[int, int] | None) -> list[tuple[str, float, str]]:
    """For an on-time share no lever explains, each lever's late steps (``made``: their count and first) with what
    having them on time would have done (most first), for :func:`~.ranking.unexplaining`: ``no_change`` on a
    finding's lever (``levers``: it turned it neither alone nor with the others'); on a lever with no finding, tested
    against the share's counts (``count``), ``no_finding_turns`` (alone), ``no_finding_together`` (only with every
    lever's late steps), ``no_finding_no_change`` (not even then), ``no_finding`` (the counts unknown)."""
    def turns(fixed: float) -> bool | None:
        return None if count is None else on_time_turns(obj, fixed, count)
    together = turns(float(sum(late for late, _ in made.values())))

    def why(lever: str) -> str:
        if lever in levers:
            return "no_change"
        if (alone := turns(float(made[lever][0]))) is None:
            return "no_finding"
        return "no_finding_turns" if alone else "no_finding_together" if together else "no_finding_no_change"
    return [(lever, float(made[lever][0]), why(lever)) for lever in sorted(made, key=lambda lv: (-made[lv][0],
                                                                                                 made[lv][1]))]


def sooner_rating(obj: ObjectiveResult, removed: float, scores: Scores, passed: Mapping[str, float] | None,
                  paths: HarmPaths | None = None, levers: Collection[str] = (),
                  since: float = -math.inf) -> tuple[Rating, bool] | None:
    """The rating of a harm objective had the response contained its incident ``removed`` minutes sooner, and whether
    that is exact: the harm done by then along its own course (:class:`~ballotdrill.scoring.passing.HarmCourse`; U
    when by then its harm had stopped growing by itself, its wave at its cap or its stations closed). Not exact
    (False) when its wave was slowed on the way: it would have been slowed sooner too, so its harm is the least it
    could have reached, every slowing that much sooner (:meth:`~.passing.HarmCourse.reach_slowed_sooner`).
    An incident never contained could have been, at the earliest, that much before the run stopped plus what the
    designed path still had to do from the work open then to a containing step (:func:`still_to_go`); U, exactly,
    when no such work was open or it would have come after the stop. An incident that ended by itself: its
    response's containing step completed after that end (:func:`_contained_by_response`), else as one never
    contained; its rating unchanged, exactly, when that much sooner is still after its own end. None when it cannot
    be told: not a harm measure, measured on another incident, its course unknown (or, not contained by the
    response, the structure)."""
    courses = passed.courses if isinstance(passed, Passed) else {}
    course = courses.get(obj.id)
    inc = next((i for i in scores.incidents if i.incident == obj.subject), None)
    if course is None or inc is None or (obj.measured and obj.measured != obj.subject):
        return None
    ended = inc.started_at + inc.to_contain if inc.to_contain is not None and inc.contained_how == "ended" else None
    done = None if ended is None or paths is None or paths.structure is None else \
        _contained_by_response(inc.incident, ended, scores, paths)
    if inc.to_contain is not None and ended is None:
        sooner = inc.started_at + inc.to_contain - removed
    elif done is not None:
        sooner = done - removed
    elif paths is None or paths.structure is None:
        return None
    else:
        rest = still_to_go(inc.incident, scores, paths, containing=True, levers=levers)
        if rest is None or rest > removed:
            return ("U", True) if ended is None else (obj.rating, True)
        sooner = float(scores.until or 0.0) - removed + rest
    if ended is not None and sooner >= ended - 1e-9:
        return obj.rating, True  # its own end came first: the same harm
    exact = course.exact(obj.kind)  # a slowed wave: the least it could have reached, each slowing that much sooner
    harm = course.harm_at(obj.kind, sooner) if exact else course.reach_slowed_sooner(removed, sooner, since)
    if harm >= course.cap if obj.kind == "reach" else course.stopped_by(obj.kind, sooner):
        return "U", exact
    return rate(harm, obj.target, True)[0], exact


def told_by_rating(obj: ObjectiveResult, removed: float, scores: Scores, passed: Mapping[str, float] | None,
                   paths: HarmPaths | None = None, levers: Collection[str] = (), since: float = -math.inf) -> bool:
    """Whether :func:`could_turn`'s "no" for ``obj`` with ``removed`` minutes taken away is that its rating would have
    been the same: a time's, or a harm's whose rating then is known (:func:`sooner_rating`: a slowed wave's least
    reach rating the same, it rates the same). Else (its course, or what the structure still had to do, not known)
    the "no" says only that its incident would not have been contained before its harm passed the target."""
    return obj.kind not in HARM_MEASURES or \
        sooner_rating(obj, removed, scores, passed, paths, levers, since) is not None


def still_to_go(incident: str, scores: Scores, paths: HarmPaths, step: str | None = None,
                started: bool = False, containing: bool = False, levers: Collection[str] = ()) -> float | None:
    """The least designed minutes the response to ``incident`` still needed when the run stopped, from the work it
    had open then (a step instance not completed; a handoff still travelling: the step it carries), to what is
    measured (:func:`~ballotdrill.scoring.designed.designed_rest`): for a time to ``step``, that step's completion
    (its start, ``started``); else the completion of a step that could change its harm (one with an effect, or an
    escalation to where a procedure starts that could, :meth:`~ballotdrill.scoring.harmpath.HarmPaths.moves`;
    ``containing``: a step that contains it), only from work whose designed path (each decision's default, as the run
    chooses) reaches such a step. A step not begun counts its mean duration; one under way the mean of what its work
    still had left, given it had run since it began (:func:`~ballotdrill.scoring.residual.mean_left`: never nothing
    for a duration that could still run on), unless its own slow work is among the ``levers`` whose delay is taken
    away and it had run its usual (mean) duration: without that delay it was done. 0 when that cannot be told
    from the structure (or completing the procedures is what contains it); None when no open work led there
    (``containing``: no containing step follows any of it)."""
    until = float(scores.until or 0.0)
    mine = [s for s in scores.steps if s.incident == incident]
    work = [(s.procedure, s.step, s.started_at) for s in mine if s.completed_at is None] + [
        (h.procedure, h.step, None) for h in scores.handoffs if h.incident == incident and h.status == "in_transit"]
    every = paths.for_incident(next((i for i in scores.incidents if i.incident == incident), None),
                               {s.procedure for s in mine})
    best: float | None = None
    for procedure, at, began in work:
        if not (paths.leads_to(procedure, at, step) if step is not None else paths.moves(procedure, at, every)):
            continue
        begun = began is not None
        rest: float | None = 0.0
        if paths.structure is not None and (step is not None or not every.every):
            brings = partial(_brings, paths, procedure, step, every, containing)
            proc = paths.structure.procedures.get(procedure)
            if proc is not None and not any(map(brings, default_path(proc, at, True))):
                continue  # its designed path (each decision's default) never brings it: a default loop, or an end
            rest = designed_rest(paths.structure, procedure, at, brings, begun)
            if rest is None and containing:  # no containing step after it: this work contains nothing
                continue
        if rest is not None and began is not None and not (started and at == step):
            rest += _left(paths, procedure, at, until - began, levers)
        if rest is not None and started and step is not None and not (begun and at == step):
            rest = max(0.0, rest - _mean_duration(paths, procedure, step))
        best = min(best if best is not None else math.inf, rest if rest is not None else 0.0)
    return best


def _left(paths: HarmPaths, procedure: str, step: str, elapsed: float, levers: Collection[str]) -> float:
    """The mean minutes of work a step under way for ``elapsed`` minutes still had left
    (:func:`~ballotdrill.scoring.residual.mean_left`); none when its own slow work (beyond its usual, mean,
    duration) is among the ``levers`` taken away; 0 when the step is not known."""
    spec = _spec(paths, procedure, step)
    if spec is None or (step_lever(procedure, step) in levers and elapsed >= float(spec.duration.mean) - 1e-9):
        return 0.0
    return mean_left(spec.duration, elapsed)


def chance_held(step: str, chance: float) -> str:
    """The words for a turn that rests on ``step`` containing its incident, which it does only with ``chance``:
    "if the 75% chance of 'S' containing it held" ("" for a sure containment)."""
    return "" if chance >= 1 - 1e-9 else f"if {chance_words(chance, 'the')} of '{step}' containing it held"


def containment_chance(obj: ObjectiveResult, scores: Scores, paths: HarmPaths) -> str:
    """For a turn of ``obj`` that rests on its incident's response containing it sooner, where that containment was
    never drawn, the step it rests on when that step contains only with a chance (:func:`chance_held`): for an
    incident that ended by itself, the response's first containing step completed after that end; for one never
    contained, the step the response would have reached first from the work open when the run stopped
    (:func:`_next_effect`). Else "" (contained by a step's effect: the same draw, which held; no such step; or a
    wave's slowing step first, which the turn may rest on and which draws nothing)."""
    incident = obj.subject
    if obj.kind == "time":
        try:
            end = parse_interval(obj.subject).end
        except ValueError:
            return ""
        if end.event != "contained":
            return ""
        incident = end.incident
    inc = next((i for i in scores.incidents if i.incident == incident), None)
    if inc is not None and inc.to_contain is None:
        first = _next_effect(incident, scores, paths, obj.kind == "reach")
        return chance_held(first.id, first.effect.chance) if first is not None and first.effect is not None \
            and first.effect.contains else ""
    if inc is None or inc.to_contain is None or inc.contained_how != "ended":
        return ""
    ended = inc.started_at + inc.to_contain
    step = min((s for s in scores.steps if s.incident == incident and s.completed_at is not None
                and s.completed_at >= ended - 1e-9 and _contains(paths, s.procedure, s.step)),
               key=lambda s: s.completed_at or 0.0, default=None)
    spec = _spec(paths, step.procedure, step.step) if step is not None else None
    if step is None or spec is None or spec.effect is None:
        return ""
    return chance_held(step.step, spec.effect.chance)


def _next_effect(incident: str, scores: Scores, paths: HarmPaths, slowing: bool) -> Step | None:
    """The step with an effect on ``incident`` — one that contains it, or (``slowing``: a reach) one that slows its
    wave — that the response would have completed first, on the structure's means, from the work it had open when
    the run stopped (a step not completed, a handoff still travelling: the step it carries), along each open work's
    designed path (each decision's default) as :func:`still_to_go` reads it. None when no open work leads to one
    within its procedure (an escalation's procedure is not followed) or the structure is not known."""
    if paths.structure is None:
        return None
    work = [(s.procedure, s.step, s.started_at is not None) for s in scores.steps
            if s.incident == incident and s.completed_at is None] + [
        (h.procedure, h.step, False) for h in scores.handoffs if h.incident == incident and h.status == "in_transit"]
    best: tuple[float, Step] | None = None
    for procedure, at, begun in work:
        proc = paths.structure.procedures.get(procedure)
        first = None if proc is None else next(
            (spec for spec in default_path(proc, at, True) if spec.effect is not None
             and (spec.effect.contains or (slowing and spec.effect.slows))), None)
        if first is None:
            continue
        rest = designed_rest(paths.structure, procedure, at, partial(_is, first.id), begun)
        if rest is not None and (best is None or rest < best[0]):
            best = (rest, first)
    return best[1] if best is not None else None


def _is(step: str, spec: Step) -> bool:
    return spec.id == step


def _contained_by_response(incident: str, ended: float, scores: Scores, paths: HarmPaths) -> float | None:
    """When the first step of ``incident``'s response that could contain it completed after the incident had ended
    by itself at ``ended`` (None when none did): taking delays away moves that completion, not the incident's own
    end. One completed before that end had its draw, and failed it: coming sooner does not undo the same draw."""
    return min((step.completed_at for step in scores.steps if step.incident == incident
                and step.completed_at is not None and step.completed_at >= ended - 1e-9
                and _contains(paths, step.procedure, step.step)), default=None)


def _brings(paths: HarmPaths, procedure: str, step: str | None, every: IncidentPath, containing: bool,
            spec: Step) -> bool:
    """Whether completing ``spec`` brings what is measured: ``step`` (or an escalation on the way to it), or an
    effect on the incident's harm (``containing``: its containment; or an escalation to where a procedure starts that
    could change it)."""
    if spec.escalate is not None:
        return paths.leads_to(procedure, spec.id, step) if step is not None else paths.moves(procedure, spec.id, every)
    if step is not None:
        return spec.id == step
    return spec.effect is not None and (spec.effect.contains or not containing)


def _spec(paths: HarmPaths, procedure: str, step: str) -> Step | None:
    """Step ``step`` of ``procedure`` in the structure (None when not known)."""
    proc = paths.structure.procedures.get(procedure) if paths.structure is not None else None
    return next((s for s in proc.steps if s.id == step), None) if proc is not None else None


def _mean_duration(paths: HarmPaths, procedure: str, step: str) -> float:
    spec = _spec(paths, procedure, step)
    return float(spec.duration.mean) if spec is not None else 0.0


def _contains(paths: HarmPaths, procedure: str, step: str) -> bool:
    """Whether completing ``step`` of ``procedure`` may contain its incident."""
    spec = _spec(paths, procedure, step)
    return spec is not None and spec.effect is not None and spec.effect.contains


def _slows(paths: HarmPaths, procedure: str, step: str) -> bool:
    """Whether ``step`` of ``procedure`` slows its incident's wave."""
    spec = _spec(paths, procedure, step)
    return spec is not None and spec.effect is not None and spec.effect.slows
