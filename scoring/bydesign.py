"""Whether the designed response contains a harm incident before its harm passed the target, and, when it does,
what the run did instead: the containing step came later and its draw failed, or had not come by then.

"The designed response does not contain it before its harm passes the target" is said only when the designed path
(:func:`~ballotdrill.scoring.designed.designed_arrival`: each decision's default, mean durations and handoff
latencies, from the incident's start plus its mean detection delay) completes no containing step by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ballotdrill.scenarios.structure import Step
from ballotdrill.scoring.advice import Advisor
from ballotdrill.scoring.model import IncidentTimes
from ballotdrill.scoring.text import clock

__all__ = ["ByDesign", "contained_by_design"]


class ByDesign(NamedTuple):
    """A designed response that contains the incident before its harm passed the target, against the run."""

    procedure: str
    step: Step
    """Its first containing step on the designed path."""
    short: str
    """What the design does and what the run did, in words."""
    fix: str
    evidence: list[int]


def contained_by_design(advice: Advisor, incident: IncidentTimes, steps: Sequence[tuple[str, Step]],
                        passed_at: float | None, noun: str, target: str) -> ByDesign | None:
    """The designed path's first containing step of ``incident`` (among ``steps``, its procedures' steps with an
    effect) when it completes before ``passed_at`` (when its ``noun`` passed the ``target`` target), with what the
    run did instead; None when no designed path contains it by then, or that cannot be told."""
    if passed_at is None:
        return None
    detection = advice.detections.get(incident.inject)
    noticed = incident.started_at + (float(detection.after.mean) if detection is not None else 0.0)
    timed = [(noticed + arrival + float(st.duration.mean), name, st) for name, st in steps
             if st.effect is not None and st.effect.contains
             and (arrival := advice.designed_to(incident.incident, name, st.id)) is not None]
    if not timed:
        return None
    at, procedure, step = min(timed, key=lambda x: x[0])
    if at > passed_at + 1e-9:
        return None
    start = advice.whole.start
    chance = step.effect.chance if step.effect is not None else 1.0
    design = (f"its designed path completes its containing step '{step.id}' (a {chance:.0%} chance) at "
              f"{clock(start, at)}, before its {noun} passed the {target} target at {clock(start, passed_at)}")
    done = [s for s in advice.whole.steps if s.incident == incident.incident and s.procedure == procedure
            and s.step == step.id and s.completed_at is not None]
    kind = incident.type.replace("_", " ")
    if done:
        first = min(done, key=lambda s: s.completed_at or 0.0)
        failed = incident.contained_how != "effect" or (incident.to_contain is not None and
                                                        incident.started_at + incident.to_contain
                                                        > (first.completed_at or 0.0) + 1e-9)
        played = (f"; as played it completed at {clock(start, first.completed_at)}, after that"
                  + (f", and did not contain {incident.incident} (its draw failed, which coming sooner does not "
                     "undo)" if failed else ""))
        fix = (f"Bring '{step.id}' ({procedure}) back to its designed time, before the target is passed"
               + (f", and make it likelier to contain {kind} incidents or give {procedure} a further containing step "
                  "should it fail" if failed and chance < 1 else ""))
        return ByDesign(procedure, step, design + played, fix, list(first.evidence[-1:]))
    return ByDesign(procedure, step, design + f"; as played it had not completed '{step.id}' by then",
                    f"Bring '{step.id}' ({procedure}) back to its designed time, before the target is passed", [])
