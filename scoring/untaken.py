"""A containing step the run never reached because a decision took another branch: which one (read from the
decision's own row), and the cause of an objective it leaves unmet (weigh the other option, on the decision's lever).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from ballotdrill.scenarios.structure import Option, Procedure, Step
from ballotdrill.scoring.advice import Advisor, Cause, step_lever
from ballotdrill.scoring.model import IncidentTimes, StepResult
from ballotdrill.scoring.text import clock

__all__ = ["Branch", "branch_cause", "untaken_branch"]

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


def untaken_branch(advice: Advisor, incident: str, procedures: list[str], target: str | None = None) -> Branch | None:
    """A containing step of ``procedures`` (step ``target``, when given) never played for ``incident`` because a
    decision of the run chose a branch that does not lead to it (None: none, or such a step was played).

    The option chosen is read from the decision's ``decision_made`` row (``advice.choices``); without them, from
    the steps played (the option whose next step was played: an option leading to the procedure's end, or one
    the run stopped before playing, is then not seen)."""
    structure = advice.structure
    if structure is None:
        return None
    mine = [s for s in advice.whole.steps if s.incident == incident]
    played = {(s.procedure, s.step) for s in mine}
    for name in procedures:
        proc = structure.procedures[name]
        containing = {s.id: s for s in proc.steps
                      if (s.id == target if target is not None else s.effect is not None and s.effect.contains)}
        if not containing or any((name, step) in played for step in containing):
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
            for other, opt in options.items():
                hit = next((containing[i] for i in _reachable(proc, opt.next, spec.id)
                            if i in containing and i not in on_chosen), None)
                if other != chosen and hit is not None:
                    slows = any(s.id in on_chosen and s.effect is not None and s.effect.slows for s in proc.steps)
                    return Branch(name, made, chosen, row, other, hit, slows)
    return None


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
    which = ("only slows it" if branch.slows else "does not contain it") if contains else "does not lead to it"
    chose = (f"the run chose '{branch.chosen}' at '{decision}' ({branch.procedure}, "
             f"{clock(advice.whole.start, branch.decision.completed_at)}{f', row #{row[0]}' if row else ''}), "
             f"which {which}")
    kind = incident.type.replace("_", " ")
    does = (f"its step '{branch.step.id}' contains them (a {chance:.0%} chance)" if contains
            else f"it leads to step '{branch.step.id}'")
    reached = (f"the containing step '{branch.step.id}' (a {chance:.0%} chance)" if contains
               else f"step '{branch.step.id}'")
    fix = (f"Weigh the '{branch.other}' option at '{decision}' ({branch.procedure}) for {kind} incidents "
           f"like {incident.incident}"
           + (f" (the default is '{default}')" if default and default != branch.other else "")
           + f": {does}")
    return Cause("objective", f"{plain}: the '{branch.other}' branch would have reached {reached}; {chose}{passed}",
                 list(row), fix, actor, step_lever(branch.procedure, decision))
