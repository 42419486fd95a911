"""Steps with a target still undecided when the run stopped: their share of an on-time objective is not known yet.

A step instance still queued or in progress at the stop with its target not passed could still meet it, and so
could the steps certain to follow it (up to its procedure's next decision step, :func:`~.designed.certain_path`)
and those a handoff still travelling carries, while their targets have not passed (those past it are late,
:mod:`.unarrived`). An on-time share counted so far says nothing final while any of them is left: the objective is
rated on it only once the undecided steps could no longer bring it to its target (:mod:`.ratings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.designed import certain_path
from ballotdrill.scoring.measured import HandoffMeasure, StepMeasure

__all__ = ["undecided"]


def undecided(structure: Structure, until: float, starts: Mapping[str, Mapping[str, float]],
              steps: Iterable[tuple[int, StepMeasure]], chains: Iterable[tuple[int, HandoffMeasure]]) -> list[str]:
    """The procedure of each step with a target still undecided when the run stopped at ``until`` (each
    (incident, procedure, step) once): open step instances within their target, the steps certain to follow them
    and those a handoff still travelling carries, their targets not passed."""
    points: list[tuple[str, str, str, bool]] = []
    found: set[tuple[str, str, str]] = set()
    for _, step in steps:
        if step.status != "completed":
            points.append((step.incident, step.procedure, step.step, False))
            if step.target is not None and step.on_time is None:
                found.add((step.incident, step.procedure, step.step))
    points.extend((c.incident, c.procedure, c.step, True) for _, c in chains if c.status == "in_transit")
    for incident, procedure, at, inclusive in points:
        proc = structure.procedures.get(procedure)
        began = starts.get(incident, {}).get(procedure)
        if proc is None or began is None:
            continue
        for spec in certain_path(proc, at, inclusive):
            if spec.target is not None and until - began <= float(spec.target) + 1e-9:
                found.add((incident, procedure, spec.id))
    return [procedure for _, procedure, _ in sorted(found)]
