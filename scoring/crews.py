"""Steps that waited for a crew larger than the staff on duty, and the work held behind them.

A step with ``staff: k`` starts only when k of its actor's staff are free together, and its actor's desk serves
waiting work in order: while such a step waits at the head of the queue, work behind it waits too, even with staff
idle. A step that arrived when fewer than k were on duty (its actor's shift, :meth:`Actor.staff_at`) waited for a
crew, not behind other work nor for want of cover alone (an on-call rota of one would not start it): its fix is the
crew on duty when it can arrive, or the step's own staffing. Work that arrived at the same desk while such a step
was still waiting was held behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.model import StepResult
from ballotdrill.scoring.text import clock

__all__ = ["CrewWaits", "ShortCrew", "crew_fix", "on_duty_text", "short_crew"]


class ShortCrew(NamedTuple):
    """A step that arrived when its actor had fewer staff on duty than the step needs at once."""

    step: StepResult
    need: int
    on_duty: int


def short_crew(step: StepResult, structure: Structure | None, start: float) -> ShortCrew | None:
    """``step`` as a :class:`ShortCrew` when it waited and needs more staff at once than its actor had on duty when it
    arrived (None otherwise, or without a structure)."""
    if structure is None or step.queued_at is None or not step.wait:
        return None
    proc = structure.procedures.get(step.procedure)
    spec = next((s for s in proc.steps if s.id == step.step), None) if proc is not None else None
    actor = structure.actors.get(step.actor)
    if spec is None or actor is None or spec.staff <= 1 or spec.post is not None:
        return None
    on_duty = actor.staff_at(start + step.queued_at)
    return ShortCrew(step, spec.staff, on_duty) if spec.staff > on_duty else None


def crew_fix(short: ShortCrew, who: str, start: float) -> str:
    """The fix of a crew larger than the shift: that crew on duty when the step can arrive, or its own staffing."""
    step = short.step
    return (f"Have {short.need} of {who}'s staff on duty whenever '{step.step}' ({step.procedure}) can arrive "
            f"({short.on_duty or 'nobody'} on duty at {clock(start, step.queued_at)}), or review whether "
            f"'{step.step}' needs {short.need} at once")


def on_duty_text(short: ShortCrew) -> str:
    """``1 was on duty`` / ``nobody was on duty``."""
    return f"{short.on_duty} was on duty" if short.on_duty else "nobody was on duty"


class CrewWaits:
    """Per actor, its steps that waited for a crew larger than the shift (:func:`short_crew`), first first."""

    def __init__(self, steps: Sequence[StepResult], structure: Structure | None, start: float) -> None:
        self.by_actor: dict[str, list[ShortCrew]] = defaultdict(list)
        for step in steps:
            short = short_crew(step, structure, start)
            if short is not None:
                self.by_actor[step.actor].append(short)
        for found in self.by_actor.values():
            found.sort(key=lambda s: s.step.queued_at or 0.0)

    def holding(self, step: StepResult) -> ShortCrew | None:
        """The step short of its crew at ``step``'s desk that was still waiting when ``step`` arrived, arriving before
        it (None: none, or ``step`` is one itself, or did not wait)."""
        arrived = step.queued_at
        if arrived is None or not step.wait:
            return None
        for short in self.by_actor.get(step.actor, ()):
            other = short.step
            if _same(other, step):
                continue
            if (other.queued_at or 0.0) <= arrived and (other.started_at is None or other.started_at > arrived):
                return short
        return None

    def most_held(self, actor: str, steps: Sequence[StepResult]) -> tuple[int, ShortCrew] | None:
        """The step of ``actor`` short of its crew that held most of ``steps`` behind it (the first of those tied),
        with how many (None: none short of its crew)."""
        best: tuple[int, ShortCrew] | None = None
        for short in self.by_actor.get(actor, ()):
            held = self.held(short, steps)
            if best is None or held > best[0]:
                best = (held, short)
        return best

    def held(self, short: ShortCrew, steps: Sequence[StepResult]) -> int:
        """How many of ``steps`` arrived at its desk while ``short`` was waiting, after it (held behind it)."""
        first, until = short.step.queued_at or 0.0, short.step.started_at
        return sum(1 for s in steps if not _same(s, short.step) and s.actor == short.step.actor and s.wait
                   and s.queued_at is not None and first <= s.queued_at and (until is None or s.queued_at < until))


def _same(a: StepResult, b: StepResult) -> bool:
    """The same step instance (records of it may be copies)."""
    return (a.incident, a.procedure, a.step, a.queued_at) == (b.incident, b.procedure, b.step, b.queued_at)


