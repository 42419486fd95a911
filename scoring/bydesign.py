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
from ballotdrill.scoring.model import IncidentTimes, ObjectiveResult
from ballotdrill.scoring.ratings import rate
from ballotdrill.scoring.text import chance_words, clock
from ballotdrill.scoring.turning import could_turn

__all__ = ["ByDesign", "contained_by_design", "designed_containment", "noticed_at_once_turns"]


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
    soonest = designed_containment(advice, incident, steps, incident.started_at
                                   + (float(detection.after.mean) if detection is not None else 0.0))
    if soonest is None or soonest[0] > passed_at + 1e-9:
        return None
    at, procedure, step = soonest
    start = advice.whole.start
    chance = step.effect.chance if step.effect is not None else 1.0
    design = (f"its designed path completes its containing step '{step.id}' ({chance_words(chance)}) at "
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


def designed_containment(advice: Advisor, incident: IncidentTimes, steps: Sequence[tuple[str, Step]],
                         noticed: float) -> tuple[float, str, Step] | None:
    """When the designed path of ``incident``'s response, begun at ``noticed``, first completes a containing step
    (among ``steps``, its procedures' steps with an effect: mean durations and handoff latencies, each decision's
    default), with the step's procedure and the step; None when none is on it."""
    timed = [(noticed + arrival + float(st.duration.mean), name, st) for name, st in steps
             if st.effect is not None and st.effect.contains
             and (arrival := advice.designed_to(incident.incident, name, st.id)) is not None]
    return min(timed, key=lambda x: x[0]) if timed else None


def noticed_at_once_turns(advice: Advisor, obj: ObjectiveResult, incident: IncidentTimes,
                          steps: Sequence[tuple[str, Step]], passed_at: float | None) -> bool:
    """Whether noticing ``incident`` the moment it began could have changed ``obj``'s rating: its late detection
    taken away, as any lever is (:mod:`.turning`). A time that much shorter rates better; an incident the response
    contained, that much sooner, is contained before its harm passed the target, or its smaller harm then rates
    better (:func:`~.turning.could_turn`, with the scorer's passing moments; True when they are not known);
    one it did not contain, its designed path (from its start) completes a containing step before its harm passed
    the target, or before the incident ended by itself or the run stopped (a containment, where there was none).
    True when that cannot be told (no passing moment, no containing step on the designed path)."""
    removed = incident.to_detect or 0.0
    if obj.kind == "time":
        return obj.value is None or rate(obj.value - removed, obj.target, True)[0] != obj.rating
    if incident.to_contain is not None and incident.contained_how != "ended":  # contained by the response
        return could_turn(obj, removed, advice.whole, advice.passed, advice.paths)
    if passed_at is None:
        return True
    first = designed_containment(advice, incident, steps, incident.started_at)
    if first is None:
        return True
    ended = incident.started_at + incident.to_contain if incident.to_contain is not None else \
        float(advice.whole.until or 0.0)
    return first[0] <= passed_at + 1e-9 or first[0] < ended - 1e-9
