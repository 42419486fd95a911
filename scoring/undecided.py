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
from ballotdrill.scoring.exercised import Verdict
from ballotdrill.scoring.measured import HandoffMeasure, StepMeasure
from ballotdrill.scoring.ontime import OnTimeShare
from ballotdrill.scoring.text import percent

__all__ = ["so_far", "undecided", "undecided_words"]


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


def undecided_words(count: int) -> str:
    """How the steps still undecided at the stop are named beside an on-time share."""
    their = "its" if count == 1 else "their"
    return f"{count} more with a target still undecided, in progress or to come within {their} target"


def so_far(share: OnTimeShare, named: str, target: float, note: str) -> tuple[Verdict | None, str]:
    """An on-time share counted so far in a run stopped early with steps still undecided (:func:`undecided`): NE while
    they could still bring it to ``target`` (all on time), else rated on the share so far, saying they cannot."""
    assert share.value is not None
    best = (share.met + share.undecided) / (share.counted + share.undecided)
    so_far = f"of the steps of {named} with a target counted so far, {share.met} of {share.counted} met it"
    if best >= target - 1e-9:
        return Verdict("NE", f"{so_far} ({percent(share.value)}), and {undecided_words(share.undecided)} when the run "
                       f"stopped: all on time they would bring it to {percent(best)}, so whether it meets the target "
                       f"is not known yet{note}", f"{percent(share.value)} so far, {share.undecided} undecided",
                       why="open"), note
    return None, (f"{note}; {so_far}, and even with the {share.undecided} still undecided when the run stopped all "
                  f"on time it would reach only {percent(best)}")
