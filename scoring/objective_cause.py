"""The cause of an objective rated M or U that no finding explains, on the lever of what it measures.

An incident nobody noticed is traced to its detection; otherwise a late detection, a containing step whose draw
failed, or a designed response slower than the target (for a harm measure: one that does not contain the incident
before its harm passes the target, or only slows it).
"""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.scenarios.measures import parse_interval
from ballotdrill.scenarios.scenario import Detection, Scenario
from ballotdrill.scenarios.structure import OWNER, Step
from ballotdrill.scoring.advice import Advisor, Cause, actor_lever, step_lever
from ballotdrill.scoring.bydesign import contained_by_design, designed_containment, noticed_at_once_turns
from ballotdrill.scoring.leftopen import further_step_fix
from ballotdrill.scoring.model import IncidentTimes, ObjectiveResult
from ballotdrill.scoring.owncause import failed_containment
from ballotdrill.scoring.passing import HarmCourse
from ballotdrill.scoring.ranking import Unexplaining
from ballotdrill.scoring.stepcause import branch_taken
from ballotdrill.scoring.stopped import drop_cause, dropped
from ballotdrill.scoring.text import HARM_NOUNS, between, chance_words, clock, minutes, number, took_from
from ballotdrill.scoring.unexplained import unexplained
from ballotdrill.scoring.untaken import better_late, branch_cause, faster_branch, soonest_untaken, untaken_branch
from ballotdrill.scoring.wavecap import slowed_from_start


def objective_cause(advice: Advisor, obj: ObjectiveResult, delays: Sequence[Unexplaining] = (),
                    passed_at: float | None = None, course: HarmCourse | None = None) -> Cause:
    """Why an objective rated M or U that no finding explains fell short, and the lever of the procedure
    it measures: a containment draw that failed before the target was passed, or a designed path longer than
    the target.

    ``delays``: the delays in the response it measures before it passed the next better band's bound
    (:func:`~.windows.explaining_bound`: its target for S, 1.25 × it for M, all of them for U), each with why it does
    not explain it (:func:`~ballotdrill.scoring.ranking.unexplaining`); ``passed_at``: t when its target was passed
    (a harm measure's harm passed it, or a time's start plus the target), when known; ``course``: a harm measure's
    incident's harm as played, to tell what an option the run did not take would have rated
    (:func:`~.untaken.better_late`).
    """
    words = obj.subject.split()
    incident = next((i for i in advice.whole.incidents if i.incident in words), None)
    plain = (f"no queue, failed handoff or slow step delayed the response to {incident.incident}"
             if incident is not None else "no queue, failed handoff or slow step explains it")
    if incident is not None and _troubled(advice, incident.incident):  # there were some: none explains it
        plain = f"no area for improvement explains {obj.id}"
    if delays:
        plain = unexplained(advice, obj, delays, incident.incident if incident is not None else None)
    unnoticed = _unnoticed_cause(advice, obj, incident) if incident is not None else None
    if unnoticed is not None:
        return unnoticed
    if obj.kind == "time" and "step" in words:
        step = words[words.index("step") + 1]
        procedure = _procedure_of(advice, step)
        actor = _actor_of(advice, procedure, step, incident.incident if incident else None)
        stopped = dropped(advice, incident.incident, passed_at, procedure) if incident is not None else None
        if stopped is not None:
            return drop_cause(advice, stopped, f", so '{step}' was never done")
        failed = failed_containment(advice, incident.incident, [procedure], None, step) \
            if incident is not None and procedure else None
        if failed is not None and incident is not None:  # the step was done, its purpose not: the end never came
            done, spec = failed
            chance = spec.effect.chance if spec.effect is not None else 1.0
            late = passed_at is not None and done.completed_at is not None and done.completed_at > passed_at
            fix = further_step_fix(step, incident.type, procedure)
            if late:
                fix = f"Review the path to step '{step}' (it came after the target) and " + fix[0].lower() + fix[1:]
            return Cause("objective", f"the containing step '{step}' completed at "
                         f"{clock(advice.whole.start, done.completed_at)}{', past the target,' if late else ''} "
                         f"but did not contain {incident.incident} ({chance_words(chance)}), so the objective's "
                         "end point never came", list(done.evidence[-1:]), fix, done.actor,
                         step_lever(procedure, step))
        end = advice.whole.until
        skipped, too_late = untaken_branch(advice, incident.incident, [procedure], step, end,
                                           f"after the run ended at {clock(advice.whole.start, end)}") \
            if incident is not None and procedure else (None, "")
        if skipped is not None and incident is not None:  # the step never came: a decision went another way
            return branch_cause(advice, skipped, incident, plain,
                                 f", so '{step}' was not done within the {obj.target_text} target",
                                 _actor_of(advice, skipped.procedure, skipped.decision.step, incident.incident))
        designed = _designed_time(advice, obj, procedure, step, incident)
        played = (f"as played it took {obj.value_text}" if obj.value is not None
                  else f"as played it was {obj.value_text}")
        if designed is not None and designed > obj.target + 1e-9:
            path = (f"the designed path to '{step}' takes {minutes(designed, (obj.target,))}, longer than the "
                    f"{obj.target_text} target")
        elif designed is not None:
            path = (f"the designed path to '{step}' takes {minutes(designed, (obj.target,))}, within the "
                    f"{obj.target_text} target; {played}")
        else:
            path = f"the path to '{step}' against the {obj.target_text} target: {played}"
        if too_late:
            path += f"; {too_late}"
        if faster := faster_branch(advice, obj):
            path += f"; {faster}"
        design = designed is not None and designed > obj.target + 1e-9
        fix = (_design_fix(advice, obj, procedure, step, incident, designed) if design and designed is not None
               else f"Review the path to step '{step}': its actor's staff and shifts, its target, and the handoffs "
                    "before it")
        return Cause("objective", f"{plain}: {path}", [], fix, actor, step_lever(procedure, step) if procedure else "",
                     design=design)
    stopped = dropped(advice, incident.incident, passed_at) if incident is not None and obj.kind != "on_time" \
        else None
    if stopped is not None:
        return drop_cause(advice, stopped, "")
    if obj.kind == "on_time":
        return Cause("objective", plain, [], f"Review the targets and staffing of the steps of {obj.subject}",
                     "", f"procedure:{obj.subject}" if obj.subject != "all" else "")
    kind = incident.type if incident else ""
    names = [n for n in (advice.procedures_for(kind, incident.severity) if incident else [])
             if advice.structure is not None and any(st.effect for st in advice.structure.procedures[n].steps)]
    if not names or advice.structure is None or incident is None:
        return Cause("none", f"no procedure contains {kind.replace('_', ' ') or 'such'} incidents", [],
                     f"Add a procedure that contains {kind.replace('_', ' ') or 'such'} incidents", "", "",
                     design=True)
    measured = obj.target if obj.kind == "time" else (
        incident.to_contain if incident.to_contain is not None
        else float(advice.whole.until or 0.0) - incident.started_at)
    steps = [(n, st) for n in names for st in advice.structure.procedures[n].steps if st.effect]
    if incident.to_detect is not None and incident.detected_by and incident.to_detect >= measured / 2 \
            and not obj.subject.startswith(f"from incident {incident.incident} detected") \
            and noticed_at_once_turns(advice, obj, incident, steps, passed_at):  # a lever only where it could turn it
        who = advice.who(incident.detected_by)
        share = (f"at least half the {obj.target_text} target" if obj.kind == "time"
                 else "at least half of the time it was doing harm")
        return Cause("detection", f"late detection: {who} noticed {incident.incident} only "
                     f"{_after(advice, incident, incident.to_detect)} after it began, {share}, and the response "
                     "could start "
                     "only then", [],
                     f"Detect {kind.replace('_', ' ')} incidents sooner at {who}: watch hours, staff on watch and "
                     "monitoring tools", incident.detected_by, actor_lever(incident.detected_by))
    failed = failed_containment(advice, incident.incident, names, passed_at)
    owner, first = next(((n, st) for n, st in steps if st.effect and st.effect.contains), steps[0])
    lever = step_lever(owner, first.id)  # its first containing step (a slowing one only when none contains)
    likelier = "" if first.effect is not None and first.effect.chance >= 1 else " (or a likelier one)"  # sure: no
    fix = (f"Give {', '.join(names)} an earlier containing step{likelier} for {kind} incidents, so "
           f"{incident.incident} is contained within the target")
    contains = any(st.effect and st.effect.contains for _, st in steps)
    evidence: list[int] = []
    noun = HARM_NOUNS.get(obj.kind)
    design = True  # the designed response itself misses the target, as ``short`` says
    if not contains and not any(st.effect and st.effect.slows for _, st in steps):
        short = (f"the designed response ({', '.join(names)}) has no step that may contain {kind} incidents (a chance "
                 "above 0, or resolving)")
        fix = f"Give {', '.join(names)} a step that contains {kind} incidents, so {incident.incident} is contained"
    elif noun is None:
        short, fix, evidence, design = _contained_in_time(advice, obj, incident, steps, fix, passed_at)
    elif failed is None and (by_design := contained_by_design(advice, incident, steps, passed_at, noun,
                                                              obj.target_text)) is not None:
        owner, first, short, fix, evidence = by_design
        lever, design = step_lever(owner, first.id), False
    elif contains:
        short = f"the designed response does not contain it before its {noun} passes the {obj.target_text} target"
        design = passed_at is not None
        if passed_at is not None:
            short += (f" (it passed it at {clock(advice.whole.start, passed_at)}, "
                      f"{between(advice.whole.start, incident.started_at, passed_at)} after it began)")
    else:
        short = (f"the designed response ({', '.join(names)}) only slows {kind} incidents and contains none, so "
                 f"its {noun} passed the {obj.target_text} target")
        fix = _slowing_fix(advice, obj, incident, names, steps, kind)
    end = advice.whole.until  # a time never achieved turns with any containment in the run; a harm, or a time
    late = incident.contained_how == "effect"  # contained late, only by coming before its target was passed
    branch, too_late = (untaken_branch(advice, incident.incident, names, by=passed_at) if noun is not None or late
                        else untaken_branch(advice, incident.incident, names, by=end,
                                            past=f"after the run ended at {clock(advice.whole.start, end)}")) \
        if not late or passed_at is not None else (None, "")
    soonest = soonest_untaken(advice, incident.incident, names) if too_late and noun is not None else None
    better = better_late(advice, obj, course, soonest, noun) if soonest is not None and noun is not None else ""
    if better and soonest is not None and passed_at is not None:  # past the target, yet it turns the rating
        return branch_cause(advice, soonest, incident, plain, f", and its {noun} passed the {obj.target_text} target "
                            f"at {clock(advice.whole.start, passed_at)}{better}",
                            _actor_of(advice, soonest.procedure, soonest.decision.step, incident.incident))
    if failed is not None and branch is None:
        chance = failed[1].effect.chance if failed[1].effect is not None else 1.0
        return Cause("objective", f"the containing step '{failed[0].step}' completed at "
                     f"{clock(advice.whole.start, failed[0].completed_at)} but did not contain "
                     f"{incident.incident} ({chance_words(chance)}){f'; {too_late}' if too_late else ''}",
                     list(failed[0].evidence[-1:]), fix, failed[0].actor,
                     step_lever(failed[0].procedure, failed[0].step))
    taken = _branch_to_containment(advice, obj, incident, names) if noun is None and branch is None else None
    if taken is not None:
        return taken
    if too_late:
        short += f"; {too_late}"
    if branch is not None:
        passed = (f", and its {noun} passed the {obj.target_text} target" if noun is not None
                  else f", and it was not contained within the {obj.target_text} target")
        if noun is not None and passed_at is not None:
            passed += f" at {clock(advice.whole.start, passed_at)}"
        return branch_cause(advice, branch, incident, plain, passed,
                             _actor_of(advice, branch.procedure, branch.decision.step, incident.incident))
    cut = advice.whole.until is not None and advice.whole.end is not None \
        and advice.whole.until < advice.whole.end - 1e-9
    own = obj.kind == "time" and obj.value is not None and incident.to_contain is not None \
        and abs(obj.value - incident.to_contain) < 1e-6  # the objective's own time: told beside its target
    beside = (obj.target,) if own else ()
    took = ((f"was not contained when the run stopped at {clock(advice.whole.start, advice.whole.until)}" if cut
             else "was never contained") if incident.to_contain is None else
            f"ended by itself after {_after(advice, incident, incident.to_contain, beside)}"
            if incident.contained_how == "ended"
            else f"was contained after {_after(advice, incident, incident.to_contain, beside)}")
    if incident.contained_how == "ended" and passed_at is not None:
        took += f"; {_containing_progress(advice, incident, names, passed_at, obj.kind == 'time')}"
    return Cause("objective", f"{plain}: detected after {_after(advice, incident, incident.to_detect)}, first "
                 f"action after {_after(advice, incident, incident.to_first_action)}, it {took}; {short}", evidence,
                 fix,
                 _actor_of(advice, owner, first.id, incident.incident), lever, design=design)


def _contained_in_time(advice: Advisor, obj: ObjectiveResult, incident: IncidentTimes,
                       steps: Sequence[tuple[str, Step]], fix: str,
                       passed_at: float | None = None) -> tuple[str, str, list[int], bool]:
    """For a time to an incident's containment (or votes lost) that no delay explains: the soonest designed path to a
    containing step against the target (the design is slower only if that path is; for a measure without a time,
    :func:`_designed_from_detection`), and a draw of such a step that failed after the target had passed (one before
    it is the cause itself); the words, the fix, the rows and whether the design itself misses the target."""
    paths = [(took, name, st) for name, st in steps if st.effect is not None and st.effect.contains
             and (took := _designed_time(advice, obj, name, st.id, incident)) is not None]
    if not paths:
        return _designed_from_detection(advice, incident, steps, fix, passed_at)
    took, procedure, step = min(paths, key=lambda path: path[0])
    path = f"the designed path to its containing step '{step.id}' ({procedure}) takes {minutes(took, (obj.target,))}"
    if took > obj.target + 1e-9:
        return f"{path}, longer than the {obj.target_text} target", fix, [], True
    failed = failed_containment(advice, incident.incident, [name for _, name, _ in paths])
    if failed is None:
        return (f"{path}, within the {obj.target_text} target", f"Review the path to step '{step.id}' "
                f"({procedure}): its actors' staff and shifts, and the handoffs before it", [], False)
    done, spec = failed
    chance = spec.effect.chance if spec.effect is not None else 1.0
    return (f"{path}, within the {obj.target_text} target; '{done.step}' completed at "
            f"{clock(advice.whole.start, done.completed_at)} but did not contain {incident.incident} "
            f"({chance_words(chance)})", further_step_fix(done.step, incident.type, done.procedure),
            list(done.evidence[-1:]), False)

def _designed_from_detection(advice: Advisor, incident: IncidentTimes, steps: Sequence[tuple[str, Step]], fix: str,
                             passed_at: float | None) -> tuple[str, str, list[int], bool]:
    """For a measure without a time of its own (votes lost): the designed path to a containing step begun at the
    run's own detection of ``incident`` (:func:`~.bydesign.designed_containment`) against when the target was passed
    (``passed_at``); within it, the fix is the path as played. The words, the fix, the rows and whether the design
    itself misses the target."""
    noticed = incident.started_at + incident.to_detect if incident.to_detect is not None else None
    soonest = designed_containment(advice, incident, steps, noticed) if noticed is not None else None
    if soonest is None or passed_at is None or noticed is None:
        return ("no containing step is on its designed path (each decision's default)" if soonest is None
                else "when its target was passed is not known, so its designed path was not measured against it"), \
            fix, [], soonest is None
    at, procedure, step = soonest
    start = advice.whole.start
    chance = step.effect.chance if step.effect is not None else 1.0
    words = (f"its designed path from its detection at {clock(start, noticed)} completes its containing step "
             f"'{step.id}' ({chance_words(chance)}) at {clock(start, at)}, "
             f"{'before' if at <= passed_at + 1e-9 else 'after'} the target was passed at {clock(start, passed_at)}")
    if at > passed_at + 1e-9:
        return words, fix, [], True
    return words, (f"Review the path to step '{step.id}' ({procedure}): its actors' staff and shifts, and the "
                   "handoffs before it"), [], False


def _slowing_fix(advice: Advisor, obj: ObjectiveResult, incident: IncidentTimes, names: Sequence[str],
                 steps: Sequence[tuple[str, Step]], kind: str) -> str:
    """The fix for a harm a response that only slows could not keep under the target: a containing step, and a
    slowing one sooner only where slowing the wave from its very start (:func:`~.wavecap.slowed_from_start`) would
    have kept its reach within the target by the moment it was measured; else a stronger one."""
    contain = f"Give {', '.join(names)} a step that contains {kind} incidents (a removal or an order)"
    began = advice.waves.get(incident.incident) if obj.kind == "reach" else None
    if began is None:
        return f"{contain}, so {incident.incident} stays under the target"
    at = incident.started_at + (incident.to_contain if incident.to_contain is not None
                                else float(advice.whole.until or 0.0) - incident.started_at)
    least = slowed_from_start(began, [st.effect for _, st in steps if st.effect and st.effect.slows], at)
    if least <= obj.target:
        return f"{contain}, or one that slows them sooner, so {incident.incident} stays under the target"
    return (f"{contain} or slows them more, so {incident.incident} stays under the target: slowed as its steps "
            f"slow it from its very start ({clock(advice.whole.start, began.start)}), it would still have reached "
            f"{number(least, (obj.target,))} by {clock(advice.whole.start, at)}, past the {obj.target_text} target")


def _designed_time(advice: Advisor, obj: ObjectiveResult, procedure: str, step: str,
                   incident: IncidentTimes | None) -> float | None:
    """The minutes a time objective to ``step`` measures on the designed path
    (:func:`~ballotdrill.scoring.designed.designed_arrival`, plus the step's own mean work unless it measures to
    its start): from its procedure's start (an incident's detection, for a procedure its detection starts), from
    the incident's start (adding its detection's mean delay), or from an earlier step on the same path; None when
    the path cannot be worked out (a procedure started on a level or by an action, a step off the default path)."""
    if advice.structure is None or not procedure or incident is None:
        return None
    try:
        interval = parse_interval(obj.subject)
    except ValueError:
        return None

    def at(point_step: str, event: str) -> float | None:
        arrival = advice.designed_to(incident.incident, procedure, point_step)
        spec = next((s for s in advice.structure.procedures[procedure].steps if s.id == point_step), None) \
            if advice.structure is not None else None
        if arrival is None or spec is None:
            return None
        return arrival + (0.0 if event == "started" else float(spec.duration.mean))

    end = at(step, interval.end.event)
    begin = interval.start
    if end is None or begin.incident != incident.incident:
        return None
    if begin.step is not None:
        start = at(begin.step, begin.event)
        return None if start is None or start > end else end - start
    if procedure not in advice.procedures_for(incident.type, incident.severity):
        return None
    if begin.event == "detected":
        return end
    if begin.event == "started":
        detection = advice.detections.get(incident.inject)
        return end + (float(detection.after.mean) if detection is not None else 0.0)
    return None


def _design_fix(advice: Advisor, obj: ObjectiveResult, procedure: str, step: str, incident: IncidentTimes | None,
                designed: float) -> str:
    """The fix of a time objective to ``step`` whose designed path alone takes longer than its target: that path,
    named by its longest parts (the detection's mean delay, each step's mean work, each handoff's mean latency:
    :func:`_designed_parts`), never the staff or the handoffs of a run that may have played it as designed."""
    parts = sorted(_designed_parts(advice, obj, procedure, step, incident), key=lambda p: -p[1])[:3]
    longest = [f"{name} about {minutes(took)}" for name, took in parts if took >= 0.5]
    named = f"; its longest parts: {_listed(longest)}" if longest else ""
    return (f"Review the designed path to step '{step}' against the {obj.target_text} target: by design it takes "
            f"{minutes(designed, (obj.target,))}{named}; shorten or reorder them, or review the target")


def _listed(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _designed_parts(advice: Advisor, obj: ObjectiveResult, procedure: str, step: str,
                    incident: IncidentTimes | None) -> list[tuple[str, float]]:
    """The parts of what a time objective to ``step`` measures on the designed path (:func:`_designed_time`), each
    named with its minutes: the detection's mean delay (from the incident's start), the handoffs' mean latencies and
    the steps' mean work (:func:`~ballotdrill.scoring.designed.designed_legs`); empty when not worked out."""
    if advice.structure is None or not procedure or incident is None:
        return []
    try:
        interval = parse_interval(obj.subject)
    except ValueError:
        return []
    steps = {s.id: s for s in advice.structure.procedures[procedure].steps} \
        if procedure in advice.structure.procedures else {}

    def upto(point_step: str, event: str) -> list[tuple[str, float]]:
        legs = advice.designed_legs(incident.incident, procedure, point_step) or []
        parts = [(f"'{leg.step}'" if leg.kind == "step" else f"the handoff to '{leg.step}'", leg.minutes)
                 for leg in legs]
        own = steps.get(point_step)
        return parts + ([(f"'{point_step}'", float(own.duration.mean))] if own and event != "started" else [])

    end, begin = upto(step, interval.end.event), interval.start
    if begin.step is not None:
        return end[len(upto(begin.step, begin.event)):]
    detection = advice.detections.get(incident.inject) if begin.event == "started" else None
    return ([("detection", float(detection.after.mean))] if detection is not None else []) + end


def _containing_progress(advice: Advisor, incident: IncidentTimes, procedures: list[str], at: float,
                         say_when: bool) -> str:
    """How far the response had got to containing ``incident`` when its target was passed (``at``, said when
    ``say_when``): its first containing step in progress, queued, or not yet reached."""
    structure = advice.structure
    assert structure is not None
    when = f"when the target was passed ({clock(advice.whole.start, at)})" if say_when else \
        "when the target was passed"
    containing = [s for s in advice.whole.steps if s.incident == incident.incident and s.procedure in procedures
                  and any(spec.id == s.step and spec.effect is not None and spec.effect.contains
                          for spec in structure.procedures[s.procedure].steps)]
    step = min(containing, key=lambda s: (s.queued_at if s.queued_at is not None else s.started_at or 0.0),
               default=None)
    if step is not None and step.started_at is not None and step.started_at <= at:
        usual = advice.usual_duration(step)
        typical = f", usually {minutes(usual)} of work" if usual is not None else ""
        return (f"{when} its containing step '{step.step}' had been in progress at {advice.who(step.actor)} since "
                f"{clock(advice.whole.start, step.started_at)}{typical}")
    if step is not None and step.queued_at is not None and step.queued_at <= at:
        return (f"{when} its containing step '{step.step}' was queued at {advice.who(step.actor)} since "
                f"{clock(advice.whole.start, step.queued_at)}")
    return f"{when} the response had not yet reached a step that contains it"


def _troubled(advice: Advisor, incident: str) -> bool:
    """Whether the response to ``incident`` had a failed handoff, a wait in a queue or a late step."""
    return any(h.incident == incident and h.failures for h in advice.whole.handoffs) or any(
        st.incident == incident and ((st.wait or 0.0) > 0 or st.on_time is False) for st in advice.whole.steps)

def _unnoticed_cause(advice: Advisor, obj: ObjectiveResult, incident: IncidentTimes) -> Cause | None:
    """The cause of an objective about ``incident`` when nobody had noticed it by the end: no response could
    start, so the lever is its detection (None if it was noticed, is noticed at once, or the objective's
    interval starts at its detection and so never began)."""
    detection = advice.detections.get(incident.inject)
    if incident.to_detect is not None or detection is None or obj.kind == "on_time":
        return None
    if obj.kind == "time":
        start = parse_interval(obj.subject).start
        if start.step is None and start.incident == incident.incident and start.event == "detected":
            return None
    who = advice.who(detection.actor)
    elapsed = float(advice.whole.until or 0.0) - incident.started_at
    usual = detection.after.mean
    scripted = f"the scenario has {who} notice such incidents {minutes(usual)} after they begin, on average"
    if obj.kind == "time" and usual > obj.target:
        scripted += f", longer than the {obj.target_text} target"
    kind = incident.type.replace("_", " ") or "such"
    return Cause("detection", f"{who} had not noticed {incident.incident} when the run stopped at "
                 f"{clock(advice.whole.start, advice.whole.until)}, {minutes(elapsed)} after it began, so no "
                 f"response to it could start; {scripted}", [],
                 f"Detect {kind} incidents sooner at {who}: watch hours, staff on watch and monitoring tools",
                 detection.actor, actor_lever(detection.actor))

def _branch_to_containment(advice: Advisor, obj: ObjectiveResult, incident: IncidentTimes,
                           names: Sequence[str]) -> Cause | None:
    """A time to containment past its target only because a decision took a branch other than its default, which
    reaches the step that contained the incident later than the default path does, while the default path's design
    contains it within the target: that branch is the cause (on the decision's lever, as the step's own finding
    says), never "no area for improvement explains"."""
    if incident.contained_how != "effect" or incident.to_contain is None or advice.structure is None:
        return None
    at = incident.started_at + incident.to_contain
    done = next((s for s in advice.whole.steps if s.incident == incident.incident and s.procedure in names
                 and s.completed_at is not None and abs(s.completed_at - at) < 1e-6), None)
    if done is None:
        return None
    designed = _designed_time(advice, obj, done.procedure, done.step, incident)
    if designed is None or designed > obj.target + 1e-9:
        return None
    arrived = done.queued_at if done.queued_at is not None else done.started_at
    taken = branch_taken(done, advice, arrived, advice.designed_arrival(done))
    if taken is None:
        return None
    return taken._replace(text=f"{taken.text}; it was contained by '{done.step}' after "
                          f"{_after(advice, incident, incident.to_contain)}, where the default path's design takes "
                          f"{minutes(designed)}, "
                          f"within the {obj.target_text} target")


def _after(advice: Advisor, incident: IncidentTimes, took: float | None, against: Sequence[float] = ()) -> str:
    """``took`` minutes after ``incident`` started, as the clocks read (:func:`~.text.took_from`; ``against``: the
    target it is told beside)."""
    return took_from(advice.whole.start, incident.started_at, took, against)

def _procedure_of(advice: Advisor, step: str) -> str:
    procs = advice.structure.procedures.items() if advice.structure else []
    return next((n for n, p in procs if any(s.id == step for s in p.steps)), "")

def _actor_of(advice: Advisor, procedure: str, step: str, incident: str | None) -> str:
    """Who does ``step``: its actor in the structure, or for the incident's owner the actor the run journalled."""
    proc = advice.structure.procedures.get(procedure) if advice.structure else None
    actor = next((s.actor for s in proc.steps if s.id == step), "") if proc else ""
    if actor != OWNER:
        return actor
    return next((s.actor for s in advice.whole.steps if s.step == step and s.incident == incident), "")


def detections_of(scenario: Scenario) -> dict[str, Detection]:
    """Per inject, who notices its incidents and how long after they begin (injects noticed at once left out)."""
    return {inject_id: inject.detected_by for inject_id, inject in
            zip(scenario.inject_ids(), scenario.injects, strict=True) if inject.detected_by is not None}
