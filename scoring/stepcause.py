"""A late step's root cause and its recommendation, from one decision so they cannot contradict each other: the
largest by minutes of its own delays (a queue, a failed handoff, a target shorter than the work, slow work) and the
distinct ones earlier on its procedure's path (a queue earlier, a decision loop earlier, an earlier step's work or
handoff beyond the design that made most of the work's arrival late); with no delay of its own, the largest of those,
a slow handoff that carried it and the loop that brought it back; else a target shorter than the designed path and
the work (only when the design's own miss is the larger part of the lateness), or the delays before the step.
"""

from __future__ import annotations

from collections.abc import Mapping

from ballotdrill.scenarios.structure import OWNER
from ballotdrill.scoring.advice import (
    SLOW_FACTOR,
    Advisor,
    Cause,
    actor_lever,
    channel_lever,
    decision_lever,
    delivery_lever,
    step_lever,
)
from ballotdrill.scoring.crews import ShortCrew, crew_fix, on_duty_text, short_crew
from ballotdrill.scoring.desks import desk_of
from ballotdrill.scoring.heldby import Held, WaitParts, wait_parts
from ballotdrill.scoring.model import DecisionWait, IncidentTimes, StepResult
from ballotdrill.scoring.text import between, clock, failed_on, minutes
from ballotdrill.scoring.usual import DIRECT, failure_stretch
from ballotdrill.scoring.waits import waits_named

__all__ = ["answer_wait", "branch_cause", "branch_taken", "ended_before_late", "options_taken", "step_cause",
           "with_named_waits"]


def ended_before_late(step: StepResult, incidents: Mapping[str, IncidentTimes], start: float) -> str:
    """``, which had already ended by itself at 18:15, 1 h 28 min before it was completed: its lateness cost no
    harm`` when ``step``, completed late, was late only after its incident had ended by itself (it ended at or
    before the step's target passed); else "". The step still counts against its target (an on-time share counts
    every step with one), but none of its lateness held up the incident's response."""
    inc = incidents.get(step.incident)
    if inc is None or inc.contained_how != "ended" or inc.to_contain is None or step.completed_at is None \
            or not step.late_by:
        return ""
    ended, due = inc.started_at + inc.to_contain, step.completed_at - step.late_by
    if ended > due + 1e-9:  # it was still going once the step ran late: the lateness was the response's
        return ""
    return (f", which had already ended by itself at {clock(start, ended)}, "
            f"{between(start, ended, step.completed_at)} before it was completed: its lateness cost no harm")


def step_cause(step: StepResult, advice: Advisor) -> Cause:
    """Why a step was late, and the matching fix: of its own delays (a shift gap, a queue or failed handoffs that
    cost at least half its lateness, a target shorter than the work, slow work) and the distinct delays earlier on
    its path (an earlier step's wait, from half of what the path before it took; a decision loop earlier; an
    earlier step's work over its usual or handoff over its channel's design, from half of how much later than the
    designed path the work arrived, and more than the design itself misses by) the
    largest by minutes, its own first when tied — the one that alone would have put it on time whenever any would;
    with no delay of its own, the largest of those earlier delays, the slow handoff that carried it and the loop
    that brought it back; else a designed path longer than the target, or the delays before the step."""
    goal, goal_text = _goal(step)
    late = step.late_by if step.target is not None or step.deadline is None else \
        max(0.0, (step.elapsed or 0.0) - step.deadline)  # a step with a legal deadline and no target
    late = late or 0.0
    who = advice.who(step.actor)
    arrived = step.queued_at if step.queued_at is not None else step.started_at  # work that started at once
    carrier = next((h for h in advice.carriers(step) if h.received_at is not None
                    and arrived is not None and h.received_at <= arrived), None)
    usual = advice.usual_duration(step)
    end = step.completed_at if step.completed_at is not None else advice.until
    answer = answer_wait(step, advice)
    asked = answer.made_at - answer.requested_at if answer is not None else 0.0  # no work: a wait for an answer
    work = (end or 0.0) - (step.started_at if step.started_at is not None else end or 0.0) - asked
    own: list[tuple[float, Cause]] = []  # (minutes, cause), in the order that breaks ties
    short = short_crew(step, advice.structure, advice.start)
    held = advice.crews.holding(step) if advice.crews is not None and short is None else None
    parts = wait_parts(step, advice.structure, advice.start, held, end) if step.unstaffed or held is not None \
        else None
    held_by = _held_by(step, parts, held)
    if short is not None:  # it waited for a crew the shift did not have, not for cover alone nor behind work
        own.append((step.wait or 0.0, Cause(
            "crew", f"crew larger than the shift on duty: '{step.step}' needs {short.need} staff at once; {who} had "
            f"{short.on_duty or 'nobody'} on duty when it arrived at {clock(advice.start, step.queued_at)}, so it "
            f"waited {minutes(step.wait)}{_still(step)}", [], crew_fix(short, who, advice.start), step.actor,
            actor_lever(step.actor))))
    elif held_by == "off_duty":  # most of its wait, or how it began when the shifts cannot tell
        part = f" ({minutes(parts.off_duty)} of its {minutes(sum(parts))} wait)" \
            if parts is not None and parts.off_duty < sum(parts) - 1e-9 else ""
        own.append((step.wait or 0.0, Cause("shift_gap", f"gap in shift cover: queued at {who} with nobody on duty"
                                            f"{part}", [], advice.shift_gap(step.actor), step.actor,
                                            actor_lever(step.actor))))
    elif step.wait and step.wait >= late / 2 and held is not None and held_by == "crew":  # the desk serves in order
        own.append((step.wait, Cause(
            "queue", f"held behind '{held.step.step}' ({held.step.incident}) at {who}, which needs {held.need} staff "
            f"at once while {on_duty_text(held)}: work is served in order, so '{step.step}' waited "
            f"{minutes(step.wait)} before starting{_still(step)}", [], crew_fix(held, who, advice.start), step.actor,
            actor_lever(step.actor))))
    elif step.wait and step.wait >= late / 2:
        desk = desk_of(advice.structure, step)  # a post's queue is the post's, whatever the actor's staff
        own.append((step.wait, Cause("queue", _wait_text(step, step, advice), [], advice.queue(desk),
                                     step.actor, actor_lever(desk), waiting=step)))
    if answer is not None and asked >= late / 2:  # as a queue wait: a short one is no cause of a long lateness
        own.append((asked, _answer_cause(step, answer, advice)))
    lost_from, lost_to = failure_stretch(carrier, advice.structure) if carrier is not None else (0.0, 0.0)
    cost = lost_to - lost_from  # what its failed attempts cost, beyond its first channel's designed attempt
    if carrier is not None and carrier.failures and cost >= late / 2 \
            and cost >= work - (usual if usual is not None else work):
        channel = carrier.first_channel or DIRECT  # (failures costing less than half the lateness, or than the work
        # beyond its usual, are not it: a 3-min retry is no cause of a step an hour late)
        where = failed_on(carrier.failures, channel, carrier.channel or channel)
        got = f", got through on {carrier.channel}" if carrier.channel not in (None, channel) else ""
        own.append((cost, Cause("channel", f"failed channel: the handoff failed {carrier.failures}× {where}{got} and "
                                f"took {minutes(carrier.latency)}", list(carrier.evidence), advice.channel(channel),
                                carrier.sender, channel_lever(channel))))
    if usual is not None and step.target is not None and usual >= step.target:
        own.append((usual - step.target, Cause(
            "target", f"target shorter than the work: '{step.step}' usually takes about "
            f"{minutes(usual, (step.target,))} at {who}, "
            f"against a {minutes(step.target)} target counted from the procedure's start", [],
            f"Review the {minutes(step.target)} target of '{step.step}' ({step.procedure}): the work alone usually "
            f"takes about {minutes(usual, (step.target,))} at {who}", step.actor,
            step_lever(step.procedure, step.step))))
    elif usual is not None and step.target is None and goal is not None and usual >= goal:  # a legal deadline
        own.append((usual - goal, Cause(
            "target", f"legal deadline shorter than the work: '{step.step}' usually takes about "
            f"{minutes(usual, (goal,))} at {who}, against {goal_text} counted from the procedure's start", [],
            f"Cut the usual {minutes(usual, (goal,))} of '{step.step}' ({step.procedure}) at {who} under {goal_text}, "
            "which "
            "the response cannot move: work prepared before election day (templates, pre-filled forms, standing "
            "approvals)", step.actor, step_lever(step.procedure, step.step))))
    if work >= late and (usual is None or work > SLOW_FACTOR * usual):
        typical = f" (usually about {minutes(usual)})" if usual is not None else ""
        own.append((work - (usual or 0.0), Cause(
            "slow_work", f"slow work at {who}: {minutes(work)} on the step itself{typical}", [],
            _long_cases_fix(step, who), step.actor, step_lever(step.procedure, step.step))))
    before = (step.elapsed or 0.0) - work - asked - (step.wait or 0.0)
    designed = advice.designed_arrival(step)
    earlier = advice.earlier_wait(step, arrived)
    prior: list[tuple[float, Cause]] = []
    if earlier is not None and (earlier.wait or 0.0) >= before / 2:
        ahead = advice.crews.holding(earlier) if advice.crews is not None else None
        by = _held_by(earlier, wait_parts(earlier, advice.structure, advice.start, ahead, arrived)
                      if earlier.unstaffed or ahead is not None else None, ahead)
        desk = desk_of(advice.structure, earlier)  # a post's queue is the post's (a post is never off duty nor a crew)
        prior.append((earlier.wait or 0.0, Cause(  # mostly with nobody on duty: it wants cover, not staff
            "shift_gap" if by == "off_duty" else "queue", _wait_text(earlier, step, advice), [],
            advice.shift_gap(earlier.actor) if by == "off_duty" else crew_fix(ahead, advice.who(earlier.actor),
                                                                              advice.start)
            if by == "crew" and ahead is not None else advice.queue(desk), earlier.actor,
            actor_lever(desk), waiting=earlier)))
    design_over = max(0.0, designed + usual - goal) if designed is not None and usual is not None \
        and goal is not None else 0.0  # what the design itself misses the goal by at this step
    behind = before - designed if designed is not None else 0.0  # how much later than designed it arrived (0: none)
    path = (f" (the designed path reaches it after {minutes(designed)})"
            if designed is not None and abs(designed - before) >= 0.5 else "")
    upstream = _largest_earlier(step, advice, arrived)
    # an earlier delay beyond the design that is at least half of how much later than designed the work arrived,
    # more than the design's own miss and, as far as it delayed the arrival, at least half the step's lateness (as
    # its own delays): the step was late from it (off the designed path, nothing says how late it arrived)
    if upstream is not None and behind > 0 and upstream[0] >= behind / 2 and upstream[0] > design_over \
            and min(upstream[0], behind) >= late / 2:
        prior.append((min(upstream[0], behind), upstream[1]._replace(
            text=f"{upstream[1].text}, so the work reached {who} {minutes(before)} after {step.procedure} "
                 f"began{path}")))
    if own:  # its own delays and the distinct ones earlier on its path, by minutes: the delay that matters most
        return _largest(own + prior + _loop_before(step, advice, arrived, before, designed, who))
    if carrier is not None and (carrier.latency or 0.0) >= before / 2:
        channel = carrier.channel or DIRECT
        # on the lever its delay is counted on (ranking): a failing first channel, else the channel's slow deliveries
        lever = channel_lever(carrier.first_channel) if carrier.failures else delivery_lever(channel)
        prior.append((carrier.latency or 0.0, Cause(
            "channel", f"slow handoff: '{step.step}' took {minutes(carrier.latency)} to reach {who} on {channel}",
            list(carrier.evidence), advice.slow_channel(carrier), carrier.sender, lever)))
    back = next((h for h in reversed(advice.carriers(step)) if h.received_at is not None and arrived is not None
                 and h.received_at <= arrived + 1e-9), None)
    designed_text = f", where the designed path reaches it after {minutes(designed)}" if designed is not None else ""
    if back is not None and back.ping_pong:  # this instance is the loop's own: the work came back to be done again
        prior.append((before, Cause(
            "ping_pong", f"decision loop: {back.returned}, the work reaching {who} "
            f"{minutes(before)} after {step.procedure} began{designed_text}", list(back.evidence),
            advice.loop_fix(back), advice.loop_decider(back),
            step_lever(back.procedure, back.step))))
    prior.extend(_loop_before(step, advice, arrived, before, designed, who))
    if prior:
        return _largest(prior)
    left = (goal or 0.0) - before
    where = f"with {minutes(left)} of {goal_text} left" if left > 0 else f"already past {goal_text}"
    branch = branch_taken(step, advice, arrived, designed)
    if branch is not None and (goal or 0.0) < before + work:
        return branch._replace(text=f"{branch.text}; it reached {who} {minutes(before)} after {step.procedure} "
                               f"began, {where}")
    room = (goal or 0.0) - designed if designed is not None else left  # the design's slack
    # the design misses the target at this step (reaching it in time, its work does not fit); a step the design
    # reaches only past its target is late from the steps before it
    designed_long = usual is not None and usual >= room and (left > 0 or room > 0) \
        and (designed is None or behind <= design_over)  # the design's own miss is the larger part of the lateness
    if goal is not None and usual is not None and (designed_long or (left > 0 and usual >= room / SLOW_FACTOR)):
        longer = "the target" if step.target is not None else goal_text
        what = f"path longer than {longer}" if designed_long else "little slack in the path"
        lead = f"on a path longer than {longer}" if designed_long else "with little slack in the path"
        review = (f"Review the {minutes(step.target)} target of '{step.step}' ({step.procedure}) against"
                  if step.target is not None else
                  f"Fit the path to {goal_text}, which the response cannot move: weigh")
        ran, made_late = _ran_long(step, work, usual, late)
        return Cause("target", f"{f'work longer than usual, {lead}' if made_late else what}: it reached {who} "
                     f"{minutes(before)} after {step.procedure} began{path}, {where}, and the work usually takes "
                     f"about {minutes(usual)}{ran}", [],
                     f"{review} the path before it and its usual {minutes(usual)} of work, or shorten the steps "
                     f"before it{_long_cases(step, who) if made_late else ''}", step.actor,
                     step_lever(step.procedure, step.step))
    over = work - usual if usual is not None else 0.0
    ran = (f"; its own work also ran {minutes(over)} longer than its usual {minutes(usual)}"
           f"{' so far' if step.completed_at is None else ''}" if usual is not None and over >= 0.5 else "")
    largest = (f"; the largest of them: {upstream[1].text.partition(': ')[2]}"
               if upstream is not None and behind > 0 else "")
    return Cause("upstream", f"delays before the step: it reached {who} {minutes(before)} after "
                 f"{step.procedure} began{path}, {where}{ran}{largest}", [],
                 f"Shorten the steps and handoffs of {step.procedure} before '{step.step}' (see the earlier late "
                 f"steps{' and queues' if earlier is not None else ''}), or start it earlier", step.actor,
                 step_lever(step.procedure, step.step))


def _loop_before(step: StepResult, advice: Advisor, arrived: float | None, before: float, designed: float | None,
                 who: str) -> list[tuple[float, Cause]]:
    """A decision loop earlier in ``step``'s procedure run that cost at least half of what the path before it took
    beyond its design (``before``: minutes from the run's start to the work's arrival; ``designed``: the designed
    arrival), as (minutes before the work arrived, cause); none otherwise."""
    loop, looped = advice.loop_before(step, arrived)
    if loop is None or looped < (before - (designed if designed is not None else 0.0)) / 2:
        return []
    whole = advice.loop_length(loop)
    took = (f"which took {minutes(whole)}" if whole is None or whole - looped < 0.5 else
            f"which took {minutes(whole)}, {minutes(looped)} of it before the work reached {who}")
    designed_text = f", where the designed path reaches it after {minutes(designed)}" if designed is not None else ""
    return [(looped, Cause(
        "ping_pong", f"decision loop earlier in {step.procedure}: {loop.returned}, {took}; "
        f"the work reached {who} {minutes(before)} after {step.procedure} began{designed_text}",
        list(loop.evidence), advice.loop_fix(loop), advice.loop_decider(loop),
        step_lever(loop.procedure, loop.step)))]


def branch_taken(step: StepResult, advice: Advisor, arrived: float | None, designed: float | None) -> Cause | None:
    """A decision of ``step``'s procedure run that chose, before its work arrived, an option other than its default
    whose designed path reaches ``step`` later than the default path does (or the default never reaches it): the
    branch, not a delay, put it late (None: none such, or the run's choices are not known)."""
    taken, rows = options_taken(advice, step.incident, step.procedure, arrived)
    via = advice.designed_to(step.incident, step.procedure, step.step, taken) if taken else None
    if via is None or (designed is not None and via <= designed + 0.5):
        return None
    goal = (f"the {minutes(step.target)} target of '{step.step}', or set a target for '{step.step}' that allows for "
            "that branch" if step.target is not None
            else f"the {minutes(step.deadline)} legal deadline of '{step.step}'")
    return branch_cause(advice, step.procedure, step.step, (taken, rows), via, designed, goal, step.actor)


def options_taken(advice: Advisor, incident: str, procedure: str,
                  by: float | None) -> tuple[dict[str, str], dict[str, int]]:
    """The options other than their default that the run's decisions of ``procedure`` for ``incident`` chose by
    ``by`` (the last at each decision step), by decision step, and the ``decision_made`` row of each (none when the
    run's choices are not known)."""
    proc = advice.structure.procedures.get(procedure) if advice.structure is not None else None
    taken: dict[str, str] = {}
    rows: dict[str, int] = {}
    if proc is None or advice.choices is None or by is None:
        return taken, rows
    for spec in proc.steps:
        made = [c for c in advice.choices.get((incident, procedure, spec.id), ()) if c.t <= by + 1e-9]
        if spec.decision is not None and made and made[-1].option != spec.decision.default:
            taken[spec.id], rows[spec.id] = made[-1].option, made[-1].seq
    return taken, rows


def branch_cause(advice: Advisor, procedure: str, step: str, choices: tuple[dict[str, str], dict[str, int]],
                 via: float, designed: float | None, goal: str, actor: str) -> Cause:
    """The cause of ``step`` put late by the branch its run took (``choices``: :func:`options_taken`), whose designed
    path reaches it after ``via`` minutes (``designed``: on the default path; None, never): weigh the option against
    ``goal``, on the decision's lever."""
    taken, rows = choices
    decision = next(iter(taken))
    proc = advice.structure.procedures[procedure] if advice.structure is not None else None
    spec = next(s for s in proc.steps if s.id == decision) if proc is not None else None
    default = spec.decision.default if spec is not None and spec.decision is not None else ""
    against = (f"against {minutes(designed)} on the default path" if designed is not None
               else "a step the default path does not reach")
    role = spec.actor if spec is not None else actor
    decider = advice.structure.roles.get(role, role) if advice.structure is not None else actor
    return Cause("branch", f"decision branch: '{decision}' chose '{taken[decision]}' instead of its default "
                 f"'{default}' (row #{rows[decision]}): that branch reaches '{step}' after {minutes(via)} of "
                 f"designed work, {against}", [rows[decision]],
                 f"Weigh the '{taken[decision]}' option at '{decision}' ({procedure}) against {goal}",
                 decider if decider != OWNER else actor, step_lever(procedure, decision))


def answer_wait(step: StepResult, advice: Advisor) -> DecisionWait | None:
    """The wait of decision step ``step`` for a player's answer or its timeout (live play), which ended as it
    completed (None: none, or a decision made at once)."""
    waits = advice.answers.get((step.incident, step.procedure, step.step), ())
    if step.completed_at is None:  # still waiting for its answer when the run stopped, asked after it began
        return next((w for w in waits if not w.answered and step.started_at is not None
                     and w.requested_at >= step.started_at - 1e-6 and w.made_at > w.requested_at), None)
    return next((w for w in waits if w.answered and abs(w.made_at - step.completed_at) < 1e-6
                 and w.made_at > w.requested_at), None)


def _answer_cause(step: StepResult, answer: DecisionWait, advice: Advisor) -> Cause:
    """A late decision step's wait for its answer as its cause: a decision wait on its actor's decisions (rehearsal,
    or more time to decide), never its work or its staff."""
    who = advice.who(step.actor)
    proc = advice.structure.procedures.get(step.procedure) if advice.structure is not None else None
    decision = next((s.decision for s in proc.steps if s.id == step.step), None) if proc is not None else None
    timed_out = answer.timed_out and decision is not None and decision.timeout is not None  # as the journal says
    how = (f"left to its timeout, the default '{decision.default}' applied" if timed_out and decision is not None
           else "answered" if answer.answered else "still waiting for its answer when the run stopped")
    return Cause("decision_timeout", f"decision waiting for an answer at {who}: '{step.step}' was put to its "
                 f"players at {clock(advice.start, answer.requested_at)} and {how} "
                 f"{between(advice.start, answer.requested_at, answer.made_at)} later, at "
                 f"{clock(advice.start, answer.made_at)}", [],
                 f"Rehearse '{step.step}' ({step.procedure}) with {who}'s players so they answer sooner: "
                 f"{_goal(step)[1]} counts the wait for the answer"
                 + (f" (up to its {minutes(decision.timeout)} timeout)" if timed_out and decision else ""),
                 step.actor, decision_lever(step.actor))


def _goal(step: StepResult) -> tuple[float | None, str]:
    """What ``step`` was late against, in minutes and words: its target, else (no target) its legal deadline."""
    if step.target is not None or step.deadline is None:
        return step.target, f"its {minutes(step.target)} target"
    return step.deadline, f"its {minutes(step.deadline)} legal deadline"


def with_named_waits(cause: Cause, step: StepResult, advice: Advisor) -> Cause:
    """``cause`` (of ``step``) naming the queue wait it is about by its actor's waits as ``advice`` knows them (a
    cause found before the run's waits were known names them a queue)."""
    return cause._replace(text=_wait_text(cause.waiting, step, advice)) if cause.waiting is not None else cause


def _wait_text(waiting: StepResult, step: StepResult, advice: Advisor) -> str:
    """The queue wait of ``waiting`` (``step`` itself, or a step before it on its path), named as its actor's
    finding names the actor's waits (a queue, one long wait, or waits one at a time:
    :func:`~ballotdrill.scoring.waits.waits_named`)."""
    desk = desk_of(advice.structure, waiting)
    where = advice.who(desk)
    named = waits_named(advice.loads.get(desk), where)
    if waiting is not step:
        return (f"{named.kind} earlier in {step.procedure}: '{waiting.step}' waited {minutes(waiting.wait)} at "
                f"{where}{' (it arrived with nobody on duty)' if waiting.unstaffed else ''} before "
                f"{advice.who(step.actor)} could start")
    waited = f"waited {minutes(step.wait)} before starting{_still(step)}"
    return named.followed_by(f"'{step.step}' {waited}" if named.explained else waited)  # after "; ", say which


def _held_by(step: StepResult, parts: WaitParts | None, held: ShortCrew | None) -> Held | None:
    """What held most of ``step``'s wait (``parts``: :func:`~.heldby.wait_parts`), when it began with nobody on duty
    or behind a step short of its crew (None otherwise: a queue); how it began when the shifts cannot tell."""
    if parts is None or (step.unstaffed and not parts.off_duty):
        return "off_duty" if step.unstaffed else "crew" if held is not None else None
    return parts.largest


def _ran_long(step: StepResult, work: float, usual: float, late: float) -> tuple[str, bool]:
    """How ``step``'s ``work`` compares with its ``usual`` duration, after "usually takes about …" (``(1 h 24 min
    this time)``, or ``; it ran 24 min longer this time (1 h 24 min)``), and whether that excess alone made it
    late (``late``: by how much): with its usual work, a completed step would have been on time."""
    over = work - usual
    open_ = step.completed_at is None
    if over < 0.5:
        return f" ({minutes(work)} {'so far, still open' if open_ else 'this time'})", False
    made_late = not open_ and over >= late - 1e-9
    return (f"; it ran {minutes(over)} longer {'so far, still open' if open_ else 'this time'} ({minutes(work)})"
            + (": with its usual work it would have been on time" if made_late else ""), made_late)


def _long_cases_fix(step: StepResult, who: str) -> str:
    """The fix for slow work at ``who`` on ``step``: prepare its long cases."""
    return (f"Prepare {who} for the long cases of '{step.step}' ({step.procedure}): standing resources, a template "
            "or pre-approved wording, practised before election day")


def _largest_earlier(step: StepResult, advice: Advisor, arrived: float | None) -> tuple[float, Cause] | None:
    """The largest delay beyond the design earlier on ``step``'s path, before its work ``arrived``, and its minutes:
    an earlier step's work over its usual duration, or a handoff carrying an earlier step slower than its channel's
    designed mean (the mean the designed path counts); its cause's words say what it was, not what it did."""
    found: list[tuple[float, Cause]] = []
    for earlier in advice.earlier_done(step, arrived):
        usual = advice.usual_duration(earlier)
        answer = answer_wait(earlier, advice)
        asked = answer.made_at - answer.requested_at if answer is not None else 0.0  # no work: a wait for an answer
        if usual and earlier.started_at is not None and earlier.completed_at is not None:  # (no duration: no usual)
            took = earlier.completed_at - earlier.started_at - asked
            doer = advice.who(earlier.actor)
            found.append((took - usual, Cause(
                "slow_work", f"work longer than usual earlier in {step.procedure}: '{earlier.step}' took "
                f"{minutes(took)} at {doer}, {minutes(took - usual)} over its usual {minutes(usual)}",
                list(earlier.evidence[-1:]), _long_cases_fix(earlier, doer), earlier.actor,
                step_lever(earlier.procedure, earlier.step), earlier=True)))
        for chain in advice.carriers(earlier):
            channel = chain.channel or DIRECT
            spec = advice.structure.channels.get(chain.first_channel or channel) if advice.structure else None
            if chain.latency is None or spec is None:
                continue
            mean, first = float(spec.latency.mean), chain.first_channel or channel
            failed = f", failing {chain.failures}× before getting through on {channel}" if chain.failures else ""
            found.append((chain.latency - mean, Cause(
                "channel", f"a handoff slower than by design earlier in {step.procedure}: '{chain.step}' took "
                f"{minutes(chain.latency)} to reach {advice.who(chain.receiver)}, sent on {first} (about "
                f"{minutes(mean)} by design){failed}",
                list(chain.evidence),
                advice.channel(chain.first_channel or channel) if chain.failures else advice.slow_channel(chain),
                chain.sender, channel_lever(chain.first_channel) if chain.failures else delivery_lever(channel),
                earlier=True)))
    largest = max(found, key=lambda fc: fc[0], default=None)
    return largest if largest is not None and largest[0] >= 0.5 else None


def _long_cases(step: StepResult, who: str) -> str:
    """The fix for a step whose work ran long enough to make it late: its long cases."""
    return (f"; or prepare {who} for the long cases of '{step.step}' (standing resources, a template, practised "
            "before election day)")


def _still(step: StepResult) -> str:
    return " (still waiting at the end)" if step.status == "queued" else ""


def _largest(causes: list[tuple[float, Cause]]) -> Cause:
    """The cause of the most minutes (the first of those tied)."""
    return max(enumerate(causes), key=lambda ic: (ic[1][0], -ic[0]))[1][1]
