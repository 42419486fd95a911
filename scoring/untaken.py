"""A containing step the run never reached because a decision took another branch: which one (read from the
decision's own row), and the cause of an objective it leaves unmet (weigh the other option, on the decision's lever).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from ballotdrill.scenarios.structure import Option, Procedure, Step
from ballotdrill.scoring.advice import Advisor, Cause, step_lever
from ballotdrill.scoring.designed import designed_rest
from ballotdrill.scoring.model import IncidentTimes, ObjectiveResult, StepResult
from ballotdrill.scoring.passing import HarmCourse
from ballotdrill.scoring.ratings import bands, rate
from ballotdrill.scoring.text import HARM_MEASURES, chance_words, clock, minutes, number

__all__ = ["Branch", "better_late", "branch_cause", "faster_branch", "soonest_untaken", "too_late", "untaken_branch"]

_ROUNDING = 1e-3
"""The scores' times are rounded to 3 decimals: a journal row's t is matched to them within this."""


class Branch(NamedTuple):
    """A containing step the run never reached because a decision took another branch."""

    procedure: str
    decision: StepResult
    """The decision step, as it was played."""
    chosen: str
    """The option the run took."""
    row: int | None
    """The row that says so: the decision's ``decision_made`` row (its completion's when not known)."""
    other: str
    """An option whose branch leads to ``step``."""
    step: Step
    slows: bool
    """Whether the chosen branch slows the incident's wave (it contains nothing)."""
    loops: bool = False
    """Whether the chosen branch leads back to the decision (chosen again, as the run does, it never gets further)."""
    tried: StepResult | None = None
    """The containing step the run played on the branch it chose, after the decision (its draw failed, or it came
    late); None: none."""


def untaken_branch(advice: Advisor, incident: str, procedures: list[str], target: str | None = None,
                   by: float | None = None, past: str = "past the target") -> tuple[Branch | None, str]:
    """A containing step of ``procedures`` (step ``target``, when given) never played for ``incident`` because a
    decision of the run chose a branch that does not lead to it (whether or not the branch chosen played a containing
    step of its own: its draw may have failed, or it came too late), and that branch, taken when the decision was made,
    could have completed it by ``by`` (for a harm, when its target was passed; for a time, the run's end: any
    completion then changes its rating) (None: none); with, when every such branch would
    have come too late, why (:func:`too_late`, of the soonest; ``past`` says what ``by`` is), else ""."""
    found = list(_untaken(advice, incident, procedures, target))
    in_time = next((b for b in found if not too_late(advice, b, by, past)), None)
    if in_time is not None or not found:
        return in_time, ""
    return None, too_late(advice, min(found, key=lambda b: branch_reached(advice, b) or 0.0), by, past)


def soonest_untaken(advice: Advisor, incident: str, procedures: list[str]) -> Branch | None:
    """Of the containing steps of ``procedures`` never played for ``incident`` because a decision went another way
    (:func:`untaken_branch`), the one whose branch, taken when the decision was made, completes it soonest on its
    design (:func:`branch_reached`); None: none."""
    timed = [(at, b) for b in _untaken(advice, incident, procedures, None)
             if (at := branch_reached(advice, b)) is not None]
    return min(timed, key=lambda found: found[0])[1] if timed else None


def better_late(advice: Advisor, obj: ObjectiveResult, course: HarmCourse | None, branch: Branch,
                noun: str) -> str:
    """For a harm objective no branch could have kept within its target: the words for ``branch`` when, taken at its
    decision, its step completing on its design (past the target, before the run stopped) would still have left a
    smaller harm that rates better, all else as played (``course``: the incident's harm as played,
    :class:`~ballotdrill.scoring.passing.HarmCourse`), else ""."""
    reached = branch_reached(advice, branch)
    if course is None or reached is None or obj.kind not in HARM_MEASURES or obj.rating not in ("S", "M", "U") \
            or reached > float(advice.whole.until or 0.0) + 1e-9:  # after the run stopped: no containment in it
        return ""
    harm = course.harm_at(obj.kind, reached)
    rating = "U" if course.stopped_by(obj.kind, reached) else rate(harm, obj.target, True)[0]
    if "PSMU".index(rating) >= "PSMU".index(obj.rating):  # not better (past its close or cap: no better)
        return ""
    return (f"; taken at '{branch.decision.step}' ({clock(advice.whole.start, branch.decision.completed_at)}), "
            f"the '{branch.other}' branch completes '{branch.step.id}' on its design (mean durations and latencies) "
            f"at {clock(advice.whole.start, reached)}, past the target but with its {noun} then at "
            f"{number(harm, bands(obj.target, True))}: "
            f"{rating} rather than {obj.rating}, all else as played")


def _untaken(advice: Advisor, incident: str, procedures: list[str], target: str | None) -> Iterator[Branch]:
    """Every containing step of ``procedures`` (step ``target``, when given) never played for ``incident`` because
    a decision of the run chose a branch that does not lead to it, each with the first decision and option that
    would have reached it, and the containing step of the procedure the run played instead, if any.

    The option chosen is read from the decision's ``decision_made`` row (``advice.choices``); without them, from
    the steps played (the option whose next step was played: an option leading to the procedure's end, or one
    the run stopped before playing, is then not seen)."""
    structure = advice.structure
    if structure is None:
        return
    mine = [s for s in advice.whole.steps if s.incident == incident]
    played = {(s.procedure, s.step) for s in mine}
    reported: set[str] = set()
    for name in procedures:
        proc = structure.procedures[name]
        containing = {s.id: s for s in proc.steps
                      if (s.id == target if target is not None else s.effect is not None and s.effect.contains)}
        if not containing:
            continue
        for spec in proc.steps:
            made = next((s for s in mine if s.procedure == name and s.step == spec.id and s.completed_at is not None),
                        None) if spec.decision is not None else None
            if made is None or spec.decision is None:
                continue
            options = spec.decision.options
            chosen, row = _chosen(advice, incident, name, made, options, played)
            if chosen is None:
                continue
            on_chosen = _reachable(proc, options[chosen].next, spec.id)
            tried = _played_on(mine, name, made, {i for i in on_chosen if i in containing})
            slows = any(s.id in on_chosen and s.effect is not None and s.effect.slows for s in proc.steps)
            loops = options[chosen].next == spec.id or any(
                spec.id in proc.successors(i) for i, s in enumerate(proc.steps) if s.id in on_chosen)
            for other, opt in options.items():
                for hit in (containing[i] for i in _reachable(proc, opt.next, spec.id)
                            if i in containing and i not in on_chosen and (name, i) not in played):
                    if other != chosen and hit.id not in reported:
                        reported.add(hit.id)
                        yield Branch(name, made, chosen, row, other, hit, slows, loops, tried)


def _played_on(mine: list[StepResult], procedure: str, made: StepResult, steps: set[str]) -> StepResult | None:
    """The first of ``steps`` (the containing steps of the branch a decision chose) played after the decision ``made``
    completed, by completion (one not completed last); None: none (a containing step played before the decision is
    on no branch of it)."""
    decided = made.completed_at if made.completed_at is not None else math.inf
    after = [s for s in mine if s.procedure == procedure and s.step in steps
             and _arrived(s) >= decided - _ROUNDING]
    return min(after, key=lambda s: math.inf if s.completed_at is None else s.completed_at, default=None)


def _arrived(step: StepResult) -> float:
    """When ``step``'s work arrived: queued, else started (not told: never before anything)."""
    at = step.queued_at if step.queued_at is not None else step.started_at
    return math.inf if at is None else at


def _chosen(advice: Advisor, incident: str, procedure: str, made: StepResult, options: Mapping[str, Option],
            played: set[tuple[str, str]]) -> tuple[str | None, int | None]:
    """The option the decision ``made`` chose and the row that says so: its ``decision_made`` row (the one at its
    completion), or without the run's choices the option whose next step was played and the completion's row."""
    if advice.choices is not None:
        done = made.completed_at if made.completed_at is not None else math.inf
        begun = made.started_at if made.started_at is not None else -math.inf
        made_in = [c for c in advice.choices.get((incident, procedure, made.step), ())
                   if begun - _ROUNDING <= c.t <= done + _ROUNDING]  # the scores' times are rounded
        choice = made_in[-1] if made_in else None
        return (choice.option, choice.seq) if choice is not None and choice.option in options else (None, None)
    chosen = next((o for o, opt in options.items() if (procedure, opt.next) in played), None)
    return chosen, (made.evidence[-1] if made.evidence else None)


def _reachable(proc: Procedure, first: str, stop: str) -> list[str]:
    """The step ids reachable from ``first`` (itself included) without passing through step ``stop``."""
    ids = {s.id: i for i, s in enumerate(proc.steps)}
    found: list[str] = []
    todo = [first]
    while todo:
        step = todo.pop()
        if step == stop or step in found or step not in ids:
            continue
        found.append(step)
        todo += proc.successors(ids[step])
    return found


def branch_reached(advice: Advisor, branch: Branch) -> float | None:
    """t at which ``branch.step`` would have completed, on its design, had the decision taken the other option when
    it was made: the decision's completion plus the least designed minutes from it to that step's completion
    (:func:`~ballotdrill.scoring.designed.designed_rest`: mean durations and handoff latencies); None when that
    cannot be told."""
    done = branch.decision.completed_at
    if advice.structure is None or done is None:
        return None
    rest = designed_rest(advice.structure, branch.procedure, branch.decision.step,
                         lambda spec: spec.id == branch.step.id, begun=True)
    return None if rest is None else done + rest


def too_late(advice: Advisor, branch: Branch, by: float | None, past: str) -> str:
    """Why ``branch`` could not have changed its objective's rating: its step would have completed only after ``by``
    even taken when the decision was made (``past`` says what ``by`` is): the words, else ""."""
    reached = branch_reached(advice, branch)
    if reached is None or by is None or reached <= by + 1e-9:
        return ""
    decided = branch.decision.completed_at or 0.0
    return (f"no option at '{branch.decision.step}' ({branch.procedure}, decided at "
            f"{clock(advice.whole.start, decided)}) could have done it in time: the '{branch.other}' branch completes "
            f"'{branch.step.id}' {minutes(reached - decided)} after the decision on its design (mean durations and "
            f"latencies), at {clock(advice.whole.start, reached)}, {past}")


def branch_cause(advice: Advisor, branch: Branch, incident: IncidentTimes, plain: str, passed: str,
                  actor: str) -> Cause:
    """The cause of an objective whose incident's containing step lay on a branch the run did not take."""
    effect = branch.step.effect
    chance = 1.0 if effect is None else effect.chance
    decision = branch.decision.step
    spec = advice.structure.procedures[branch.procedure] if advice.structure else None
    default = next((s.decision.default for s in spec.steps if s.id == decision and s.decision), "") if spec else ""
    row = [branch.row] if branch.row is not None else []
    contains = effect is not None and effect.contains
    which = "which " + (("only slows it" if branch.slows else "does not contain it") if contains
                        else "does not lead to it")
    if branch.loops:  # its default (or the choice the run keeps making) comes back to the decision, never further
        which = f"which loops back to '{decision}' without {'containing it' if contains else 'reaching it'}"
    if branch.tried is not None and contains:
        which = _tried(advice, branch.tried, incident)
    chose = (f"the run chose '{branch.chosen}' at '{decision}' ({branch.procedure}, "
             f"{clock(advice.whole.start, branch.decision.completed_at)}{f', row #{row[0]}' if row else ''}), "
             f"{which}")
    kind = incident.type.replace("_", " ")
    does = (f"its step '{branch.step.id}' contains them ({chance_words(chance)})" if contains
            else f"it leads to step '{branch.step.id}'")
    reached = (f"the containing step '{branch.step.id}' ({chance_words(chance)})" if contains
               else f"step '{branch.step.id}'")
    fix = (f"Weigh the '{branch.other}' option at '{decision}' ({branch.procedure}) for {kind} incidents "
           f"like {incident.incident}"
           + (f" (the default is '{default}')" if default and default != branch.other else "")
           + f": {does}")
    return Cause("objective", f"{plain}: the '{branch.other}' branch would have reached {reached}; {chose}{passed}",
                 row + (branch.tried.evidence[-1:] if branch.tried is not None and contains else []), fix, actor,
                 step_lever(branch.procedure, decision))


def _tried(advice: Advisor, tried: StepResult, incident: IncidentTimes) -> str:
    """What became of the containing step the run played on the branch it chose: it contained the incident (late),
    its draw failed, or it had not completed when the run stopped."""
    spec = advice.structure.procedures[tried.procedure] if advice.structure else None
    effect = next((s.effect for s in spec.steps if s.id == tried.step), None) if spec else None
    chance = f" ({chance_words(effect.chance)})" if effect is not None else ""
    done = tried.completed_at
    if done is None:
        return f"whose containing step '{tried.step}' had not completed when the run stopped"
    contained = incident.started_at + incident.to_contain if incident.to_contain is not None else None
    if incident.contained_how == "effect" and contained is not None and abs(contained - done) < _ROUNDING:
        return f"whose containing step '{tried.step}' contained it only at {clock(advice.whole.start, done)}"
    if contained is not None and contained < done - _ROUNDING:
        return (f"whose containing step '{tried.step}' completed only at {clock(advice.whole.start, done)}, after it "
                f"had {'ended by itself' if incident.contained_how == 'ended' else 'been contained'}")
    return (f"whose containing step '{tried.step}' completed at {clock(advice.whole.start, done)} but did not "
            f"contain it{chance}")


def faster_branch(advice: Advisor, obj: ObjectiveResult, told: str = "") -> str:
    """For a time to a step achieved past its target: a decision of the run, made before the step's work arrived,
    another of whose options, taken then, brings the step's work on its design (:meth:`Advisor.designed_to`, each
    later decision at its default) so much sooner than it came as played that the time would have been within the
    target: the words, else "" (also when ``told``, the lever already explaining it, is that decision's)."""
    words = obj.subject.split()
    if obj.kind != "time" or obj.value is None or obj.value <= obj.target + 1e-9 or "step" not in words \
            or advice.structure is None or advice.choices is None:
        return ""
    target = words[words.index("step") + 1]
    incident = next((w for w in words if any(i.incident == w for i in advice.whole.incidents)), "")
    done = next((s for s in advice.whole.steps if s.incident == incident and s.step == target
                 and s.completed_at is not None), None)
    proc = advice.structure.procedures.get(done.procedure) if done is not None else None
    if done is None or proc is None:
        return ""
    arrived = done.queued_at if done.queued_at is not None else done.started_at or 0.0
    for spec in proc.steps:
        made = [c for c in advice.choices.get((incident, done.procedure, spec.id), ()) if c.t <= arrived + 1e-9]
        if spec.decision is None or not made or told == step_lever(done.procedure, spec.id):
            continue
        chosen = made[-1]
        to_decision = advice.designed_to(incident, done.procedure, spec.id)
        for option in spec.decision.options:
            reach = advice.designed_to(incident, done.procedure, target, {spec.id: option})
            if option == chosen.option or reach is None or to_decision is None:
                continue
            sooner = arrived - (chosen.t + reach - to_decision - float(spec.duration.mean))
            if sooner <= 0 or obj.value - sooner > obj.target + 1e-9:
                continue
            rest = reach - to_decision - float(spec.duration.mean)
            return (f"the '{option}' option at '{spec.id}' ({done.procedure}, decided at "
                    f"{clock(advice.whole.start, chosen.t)}), whose design brings the work to '{target}' "
                    f"{'at once' if rest < 0.5 else f'{minutes(rest)} after the decision'}, would have had it there "
                    f"{minutes(sooner)} sooner than the '{chosen.option}' the run took (row #{chosen.seq}): "
                    f"{obj.id} within its {obj.target_text} target, all else as played")
    return ""
