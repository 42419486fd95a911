"""What a facilitator is told on releasing a scheduled inject early: a contingency whose condition has not held."""

from __future__ import annotations

from ballotdrill.exercise.engine import Exercise
from ballotdrill.exercise.incidents import condition_before_start
from ballotdrill.scenarios.scenario import Inject


def unheld(exercise: Exercise, inject: Inject) -> str:
    """``; its condition on D2 had not held (D2 has not started)`` for a contingency inject released before its
    condition held, the same test the engine applies at its time; empty otherwise."""
    when = inject.when
    if when is None:
        return ""
    state = exercise.incidents.get(when.incident)
    if (state.holds(when, exercise.env.now) if state is not None else condition_before_start(when)):
        return ""
    return (f"; its condition on {when.incident} had not held"
            + ("" if state is not None else f" ({when.incident} has not started)"))
