"""The strengths and areas for improvement of a run, kind by kind, before they are weighed and ranked.

Each kind reads the scores and the digest (:mod:`.digest`: every incident folded in) and adds its findings to a
:class:`Found`, in a fixed order (the order :func:`gather` calls them in is the order findings of equal rank keep).
Thresholds: see :mod:`.findings`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import Field

from ballotdrill.scoring.advice import (
    Advisor,
    Cause,
    CauseKind,
    actor_lever,
    channel_lever,
    decision_lever,
    delivery_lever,
    step_lever,
)
from ballotdrill.scoring.channel_lines import add_lines, lines_text
from ballotdrill.scoring.crews import crew_fix, on_duty_text
from ballotdrill.scoring.digest import QUEUE_P90, Case, Digest, Example, LateStep, LongWaits
from ballotdrill.scoring.leftopen import left_open_findings
from ballotdrill.scoring.model import EVIDENCE_ROWS, ActorLoad, Frozen, Handoff, Scores, StepResult
from ballotdrill.scoring.neverdone import missed_listed, never_done
from ballotdrill.scoring.plan import capability_of, element_of, loop_owner, responsible
from ballotdrill.scoring.slowtold import slow_words
from ballotdrill.scoring.sofar import met_so_far
from ballotdrill.scoring.stepcause import ended_before_late, step_cause, with_named_waits
from ballotdrill.scoring.text import clock, minutes, percent
from ballotdrill.scoring.unmeasured import unmeasured_findings
from ballotdrill.scoring.waits import MIN_WAITS, waits_named

MIN_STRENGTH = 3
"""A strength needs at least this many cases (ten times as many channel attempts): one is not evidence."""
BUSY = 0.25
"""An actor 'kept up' only if it was at least this busy (utilisation): an idle desk proves nothing."""

__all__ = ["BUSY", "MIN_STRENGTH", "Finding", "Found", "gather"]


class Finding(Frozen):
    """A strength or an area for improvement, with its evidence (journal ``seq`` numbers)."""

    kind: Literal["strength", "improvement"]
    title: str
    detail: str
    root_cause: str = ""
    cause: CauseKind = "none"
    capability: str = ""
    actor: str | None = None
    recommendation: str = ""
    priority: int = 9
    incidents: list[str] = Field(default_factory=list)
    evidence: list[int] = Field(default_factory=list)
    lever: str = ""
    """The lever of the structure it works on: ``actor:A``, ``channel:C`` or ``step:P/S`` (see ranking)."""
    element: str = "Planning"
    """HSEEP capability element of its fix (planning, organisation, equipment, training, exercises)."""
    responsible: str = ""
    """The organisation that owns the lever."""
    explains: list[str] = Field(default_factory=list)
    """Objectives rated S, M or U its lever explains, as ``O1 (U)``."""
    harm_share: float = 0.0
    """Largest share of the run's reach, voter-minutes or station-minutes behind its lever."""
    weight: float = 0.0
    """Ranking weight (see :mod:`ballotdrill.scoring.ranking`)."""
    weighed_with: str = ""
    """The finding whose weight counts this one's lever (the first on it), when that is another."""


class Found:
    """The findings gathered so far: strengths, areas for improvement with their kind's priority and size, and the
    titles of late-step findings late only from the delays before them (their consequences) and of those kept only
    if their lever weighs."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names
        self.strengths: list[Finding] = []
        self.improvements: list[tuple[int, float, Finding]] = []
        self.downstream: set[str] = set()
        """Titles of the late-step findings whose steps were late only from the delays before them."""
        self.if_weighed: set[str] = set()
        """Titles of the findings kept only if their lever weighs (a channel's slow deliveries)."""

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    def improve(self, size: float, **fields: object) -> None:
        finding = Finding(kind="improvement", **fields)  # type: ignore[arg-type,unused-ignore]
        self.improvements.append((finding.priority, -size, finding))


def gather(scores: Scores, digest: Digest, advice: Advisor, names: Mapping[str, str]) -> Found:
    """Every strength and area for improvement of ``scores`` but the objectives' own (weighed later), kind by kind."""
    found = Found(names)
    for kind in _KINDS:
        kind(found, scores, digest, advice)
    return found


def _elapsed(case: Case) -> tuple[float, int]:
    return ((case.step.elapsed or 0.0) if case.step else 0.0, -case.n)


def _met_objectives(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Each objective rated P: a strength, but for an on-time share of a procedure a dropped handoff stopped (its
    steps never played are not in the share, so it met its target only by leaving them out); met only so far when
    its harm was still growing near the target (:mod:`.sofar`)."""
    stopped = {h.procedure for h in scores.handoffs if h.status == "dropped"}
    for obj in scores.objectives:
        cut = obj.kind == "on_time" and bool(stopped) and (obj.subject == "all" or obj.subject in stopped)
        if obj.rating == "P" and not cut:
            so_far = met_so_far(obj, scores, advice.passed)
            met = "met so far" if so_far else "met"
            found.strengths.append(Finding(kind="strength", title=f"Objective {obj.id} {met} ({obj.capability})",
                                     detail=so_far or f"{obj.value_text} against a target of {obj.target_text}.",
                                     capability=obj.capability, evidence=obj.evidence))


def _missed_deadlines(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Each step that missed its legal deadline (the longest of each step first)."""
    name = found.name
    for case, cases in digest.in_order(digest.deadlines):
        step, why = case.step, case.cause
        assert step is not None and why is not None
        why = with_named_waits(why, step, advice)
        kept = cases.cases()
        more = (f" ({cases.count:,} missed deadlines of '{step.step}' in all; the other "
                f"{cases.count - len(kept):,} among background arrivals not listed)"
                if cases.count > len(kept) and case is max(kept, key=_elapsed) else "")
        done = (f"{name(step.actor)} completed '{step.step}'" if step.completed_at is not None else
                f"'{step.step}' at {name(step.actor)} was still "
                f"{'waiting' if step.status == 'queued' else 'in progress'} when the run stopped,")
        own = why.kind == "queue" and why.waiting == step  # its own queue (staff on duty): a priority would help
        found.improve(step.elapsed or 0.0, title=f"Legal deadline missed: {step.step} ({step.incident})",
                detail=f"{done} {minutes(step.elapsed)} after the procedure began; the deadline was "
                f"{minutes(step.deadline)} ({_basis(step, advice) or 'no basis given'}).{more}",
                root_cause=why.text, cause="deadline", actor=step.actor,
                lever=step_lever(step.procedure, step.step) if own else why.lever, element=element_of(why.kind),
                capability=capability_of(scores, {step.incident}, step.procedure, "Operational coordination"),
                recommendation=f"Give '{step.step}' a standing priority at {name(step.actor)} so the legal "
                f"deadline ({minutes(step.deadline)}) is met" if own else why.fix, priority=1,
                incidents=[step.incident], evidence=step.evidence)
    for item, more in missed_listed(digest.unreached):  # deadlines that passed, their step never reached
        detail, why = never_done(item, advice)
        found.improve(item.stopped_at - item.due_at + item.deadline,
                      title=f"Legal deadline missed: {item.step} ({item.incident})", detail=detail + more,
                      root_cause=why.text, cause="deadline", actor=why.actor, lever=why.lever,
                      element=element_of(why.kind), recommendation=why.fix, priority=1, incidents=[item.incident],
                      capability=capability_of(scores, {item.incident}, item.procedure, "Operational coordination"),
                      evidence=why.evidence)


def _basis(step: StepResult, advice: Advisor) -> str:
    """The basis in law of ``step``'s deadline: the instance's, else (a step still open at the end) the structure's."""
    if step.basis or advice.structure is None or step.procedure not in advice.structure.procedures:
        return step.basis
    spec = next((s for s in advice.structure.procedures[step.procedure].steps if s.id == step.step), None)
    return spec.deadline.basis if spec is not None and spec.deadline is not None else ""


def _late_steps(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Each step late at least once, with the root cause of most of its late instances."""
    name, times = found.name, {inc.incident: inc for inc in scores.incidents}
    for (procedure, step_id), group in digest.late_steps():
        if group.worst is None:
            continue
        worst = group.worst[1]
        best = group.main_cause()
        example = best.step
        why = step_cause(example, advice.local(best.steps, best.chains, scores.until))
        share = group.causes[(why.kind, why.lever)]
        total = group.late + group.on_time
        others = _other_causes(group, best, worst, advice, scores) if share < group.late else ""
        if why.kind == "upstream" or why.earlier:  # late from the delays before it: a consequence, after causes
            found.downstream.add(f"Step '{step_id}' late ({group.late} of {total})")
        found.improve(worst.late_by or 0.0, title=f"Step '{step_id}' late ({group.late} of {total})",
                detail=f"'{step_id}' ({procedure}) by {name(worst.actor)} missed its {minutes(worst.target)} target "
                f"by up to {minutes(worst.late_by, (0.0,))} (incident {worst.incident}"
                f"{ended_before_late(worst, times, scores.start)})"
                + (f"; {group.still} still open and past the target at the end." if group.still else "."),
                root_cause=(why.text if share == group.late else
                            f"{share} of the {group.late} late: {why.text} ({example.incident}"
                            f"{', the worst' if example is worst else ''}){others}"),
                cause="late_step", actor=why.actor, lever=why.lever, element=element_of(why.kind),
                responsible=_loop_owner(why, advice),
                capability=capability_of(scores, group.subjects, procedure, "Operational coordination"),
                recommendation=why.fix, priority=4, incidents=group.incidents.listed(),
                evidence=sorted({*worst.evidence, *example.evidence, *why.evidence}))


def _other_causes(group: LateStep, main: Example, worst: StepResult, advice: Advisor, scores: Scores) -> str:
    """The other root causes of a step's late instances besides its commonest (``main``), the worst first, two at
    most, each with its count and its worst example: ``; 1: gap in shift cover: … (BT-5, the worst)``."""
    others = sorted((e for e in group.examples.values() if e is not main), key=lambda e: e.key, reverse=True)
    told = []
    for other in others[:2]:
        why = step_cause(other.step, advice.local(other.steps, other.chains, scores.until))
        told.append(f"; {group.causes[(other.cause.kind, other.cause.lever)]}: {why.text} ({other.step.incident}"
                    f"{', the worst' if other.step is worst else ''})")
    return "".join(told) + ("; …" if len(others) > 2 else "")


def _loop_owner(why: Cause, advice: Advisor) -> str:
    """Who owns the fix of a root cause that is a decision loop (:func:`~ballotdrill.scoring.plan.loop_owner`); else
    nothing (the finding's lever says)."""
    if why.kind != "ping_pong":
        return ""
    procedure = why.lever.partition(":")[2].partition("/")[0]
    return loop_owner(procedure, why.actor, advice.names, advice.structure)


def _steps_on_time(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Each step always on time, often enough to be evidence: a strength."""
    for (procedure, step_id), group in digest.on_time_steps():
        if group.on_time >= MIN_STRENGTH and group.first_on_time is not None:
            first_step = group.first_on_time[1]
            found.strengths.append(Finding(kind="strength", title=f"Step '{step_id}' always on time",
                                     detail=f"All {group.on_time} completion(s) of '{step_id}' ({procedure}) met "
                                     f"the {minutes(first_step.target)} target.", actor=first_step.actor,
                                     evidence=sorted(-row for row in group.on_time_rows)))


def _not_a_queue(load: ActorLoad) -> str:
    """What the bottleneck rule (:func:`is_queue`) says of long waits that did not make a queue; else nothing."""
    if load.waited < MIN_WAITS:
        return " Only one piece of work waited here: one long wait, not a queue that built up."
    if load.longest_queue < MIN_WAITS:
        return (" Work waited here one piece at a time, never two at once: a gap in staffing or cover rather than "
                "a queue that built up.")
    return ""


def _held_by_crew(actor: str, scores: Scores, advice: Advisor) -> tuple[str, str]:
    """What an actor's queue finding adds when a step of its waited for a crew larger than the shift (and held the
    work behind it, :mod:`.crews`): the words, the crew's fix; else nothing."""
    found = advice.crews.most_held(actor, scores.steps) if advice.crews is not None else None
    if found is None:
        return "", ""
    held, short = found
    return (f"; '{short.step.step}' ({short.step.incident}) needs {short.need} staff at once while "
            f"{on_duty_text(short)} (from {clock(advice.start, short.step.queued_at)})"
            + (f"; {held} piece(s) of work waited behind it" if held else ""),
            crew_fix(short, advice.who(actor), advice.start))


def _loads(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Each actor's queue and gap in shift cover, or that it kept up (busy, no wait, and none of its steps late)."""
    late_at: dict[str, int] = {}
    for group in digest.steps.values():
        if group.late and group.worst is not None:
            late_at[group.worst[1].actor] = late_at.get(group.worst[1].actor, 0) + group.late
    for load in scores.load:
        if load.wait_p90 is not None and load.wait_p90 >= QUEUE_P90:
            waits = digest.waits.get(load.actor) or LongWaits(frozenset())
            off_duty, long_waits = waits.unstaffed, waits.count
            unstaffed_queue = bool(long_waits) and 2 * off_duty >= long_waits
            named = waits_named(load, load.name)
            held, crew = _held_by_crew(load.actor, scores, advice)
            found.improve(load.wait_p90, title=named.title,
                    detail=f"90th-percentile queue wait {minutes(load.wait_p90)} (mean {minutes(load.wait_mean)}, "
                    f"max {minutes(load.wait_max)}), longest queue {load.longest_queue}, utilisation "
                    f"{percent(load.utilisation)}"
                    + (f"; {load.queued_at_end} item(s) still waiting at the end." if load.queued_at_end else ".")
                    + _not_a_queue(load),
                    root_cause=(named.followed_by(f"{off_duty} of the {long_waits} long wait(s) began with nobody "
                                                  "on duty") if unstaffed_queue else named.named) + held,
                    cause="queue", actor=load.actor, capability="Operational coordination", priority=2,
                    lever=actor_lever(load.actor), element=element_of("queue"),
                    evidence=load.evidence, incidents=waits.incidents.listed(),
                    recommendation=crew or (advice.shift_gap(load.actor) if unstaffed_queue
                                            else advice.queue(load.actor)))
        elif load.steps >= MIN_STRENGTH and not load.wait_max and (load.utilisation or 0.0) >= BUSY and \
                not late_at.get(load.actor):  # work started at once but finished late did not keep up
            found.strengths.append(Finding(kind="strength", title=f"{load.name} kept up",
                                     detail=f"All {load.steps} steps started without waiting, at "
                                     f"{percent(load.utilisation)} utilisation.",
                                     actor=load.actor, evidence=load.evidence))
        if load.unstaffed_queued:
            found.improve(load.unstaffed_queued, title=f"Gap in shift cover at {load.name}",
                    detail=f"{load.unstaffed_queued} item(s) of work queued at {load.name} with nobody on duty.",
                    root_cause=f"gap in shift cover at {load.name}", cause="shift_gap", actor=load.actor,
                    lever=actor_lever(load.actor), element=element_of("shift_gap"),
                    capability="Operational coordination", priority=2, evidence=load.evidence,
                    recommendation=advice.shift_gap(load.actor))


def _channels(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Each channel's failed handoffs or waits for a line, or that it was reliable."""
    for channel in scores.channels:
        if channel.failures:
            failed = advice.failed_on(channel.channel)
            dropped = digest.dropped_on.get(channel.channel)  # failures after falling back to it
            owners = failed.owners() or (dropped.owners() if dropped is not None else [])
            owner = owners[0] if owners else None
            tied = " and ".join(dict.fromkeys(responsible(channel_lever(channel.channel), o, advice.names,
                                                          advice.structure) for o in owners)) if len(owners) > 1 else ""
            found.improve(channel.failures + 10 * channel.drops,
                    title=f"Handoffs failed on {channel.channel}" + (" (dropped)" if channel.drops else ""),
                    detail=f"{channel.failures} of {channel.attempts} attempt(s) on {channel.channel} failed; "
                    f"{channel.drops} handoff(s) dropped with no fallback left.{lines_text(channel)}",
                    root_cause=f"failed channel {channel.channel}", cause="drop" if channel.drops else "channel",
                    actor=owner, responsible=tied, capability="Operational communications",
                    priority=1 if channel.drops else 3,
                    lever=channel_lever(channel.channel), element=element_of("channel"),
                    incidents=failed.incidents.listed(),
                    evidence=channel.evidence, recommendation=advice.channel(channel.channel))
        elif channel.waited:
            found.improve(channel.waited,
                    title=f"Handoffs waited for a line on {channel.channel}",
                    detail=f"{channel.waited} of {channel.attempts} attempt(s) on {channel.channel} found all its "
                    f"{channel.capacity} line(s) in use and waited, up to {minutes(channel.longest_line_wait)}; "
                    "none failed.",
                    root_cause=f"too few lines on {channel.channel}", cause="channel", capability=
                    "Operational communications", priority=3, lever=channel_lever(channel.channel),
                    element=element_of("channel"), evidence=channel.evidence,
                    recommendation=add_lines(channel))
        elif channel.attempts >= 10 * MIN_STRENGTH and advice.fallible(channel.channel):
            found.strengths.append(Finding(kind="strength", title=f"{channel.channel} reliable",
                                     detail=f"{channel.attempts} attempt(s) on {channel.channel}, none failed.",
                                     evidence=[]))


def _decisions(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Each played actor's decisions left to their timeout, or that it answered every one."""
    name = found.name
    for tally in scores.decisions:
        if tally.timed_out:
            which = ", ".join(f"'{step}'" for step in tally.steps)
            found.improve(tally.timed_out, title=f"Decisions left to their timeout at {name(tally.actor)}",
                    detail=f"{tally.timed_out} of the {tally.put} decision request(s) put to {name(tally.actor)}'s "
                    f"players were not answered in time ({which}); the default option was applied.",
                    root_cause=f"decision left to its timeout at {name(tally.actor)}", cause="decision_timeout",
                    actor=tally.actor, capability="Operational coordination", priority=3,
                    lever=decision_lever(tally.actor), element=element_of("decision_timeout"), evidence=tally.evidence,
                    recommendation=f"Rehearse {which} with {name(tally.actor)}'s players so they answer within the "
                    "time allowed, or give the decision more time if the real procedure does")
        elif tally.put >= MIN_STRENGTH:
            found.strengths.append(Finding(kind="strength", title=f"{name(tally.actor)} answered every decision",
                                     detail=f"All {tally.put} decision request(s) put to {name(tally.actor)}'s "
                                     "players were answered in time.", actor=tally.actor, evidence=[]))


def _overdue_handoffs(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Handoffs still travelling past their channel's usual latency when the run stopped, per channel."""
    name = found.name
    for channel_name, late in digest.overdue_channels():
        assert late.longest is not None
        chain = late.longest[1]
        found.improve(chain.in_transit_for or 0.0,
                title=f"{late.count} handoff(s) overdue on {channel_name} at the end",
                detail=f"{late.count} handoff(s) were still travelling on {channel_name} when the run stopped, "
                f"past its usual {minutes(chain.usual_latency)}; the longest, '{chain.step}' from "
                f"{name(chain.sender)} to {name(chain.receiver)} ({chain.incident}), was sent at "
                f"{clock(scores.start, chain.sent_at)}, {minutes(chain.in_transit_for)} before. They are in "
                "transit, not dropped.",
                root_cause=f"slow channel {channel_name}: still in transit after {minutes(chain.in_transit_for)}",
                cause="channel", actor=chain.sender, capability="Operational communications", priority=3,
                lever=delivery_lever(channel_name), element=element_of("channel"),
                evidence=sorted({seq for _, rows in late.first for seq in rows}),
                incidents=late.incidents.listed(), recommendation=advice.slow_channel(chain))


def _slow_handoffs(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Handoffs received on a channel later than it usually takes, without failing (kept only if its lever weighs,
    :attr:`Found.if_weighed`: the tail of a channel's designed latency that delayed nothing that mattered is the
    design, not an area for improvement)."""
    for channel_name, slow in digest.slow_channels():
        assert slow.longest is not None
        found.if_weighed.add(f"Slow handoffs on {channel_name}")
        chain = slow.longest[1]
        words = slow_words(chain, slow, channel_name, scores, advice, "the slowest")
        found.improve((chain.latency or 0.0) - advice.usual_latency(channel_name),
                      title=f"Slow handoffs on {channel_name}", detail=words.detail, root_cause=words.root_cause,
                      cause="channel", actor=words.actor, capability="Operational communications", priority=3,
                      lever=delivery_lever(channel_name), element=element_of("channel"),
                      evidence=sorted({seq for _, rows in slow.first for seq in rows}),
                      incidents=slow.incidents.listed(), recommendation=words.recommendation)


def _ping_pongs(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Work bounced back to an actor that had already handed it on: one finding per loop (the same step sent back
    after the same decision, from and to the same actors) and lever, however many times it was played, saying how
    many (its lever's weight is the loop's, not one per pass)."""
    name = found.name
    loops: dict[tuple[str, str, str, str], list[Handoff]] = {}
    for case, _ in digest.in_order(digest.ping_pongs):
        bounced = case.chain
        assert bounced is not None
        key = (step_lever(bounced.procedure, bounced.step), bounced.sender, bounced.receiver, bounced.returned)
        loops.setdefault(key, []).append(bounced)
    told: set[str] = set()
    for (lever, *_), played in loops.items():
        bounced, cases = played[0], digest.ping_pongs[lever]
        listed = sum(len(p) for k, p in loops.items() if k[0] == lever)
        more = "" if lever in told or cases.count <= listed else (
            f" In all, '{bounced.step}' was looped back {cases.count:,} times; the other {cases.count - listed:,} "
            "among background arrivals not listed.")
        told.add(lever)
        ids = list(dict.fromkeys(h.incident for h in played))
        times = f"; played {len(played):,} times ({len(ids):,} incident(s))" if played[1:] else ""
        found.improve(len(played), title=f"Work bounced back to {name(bounced.receiver)} ({', '.join(ids[:5])}"
                      f"{', …' if ids[5:] else ''}{f', {len(played):,} times' if played[1:] else ''})",
                      detail=f"'{bounced.step}' went back from {name(bounced.sender)} to {name(bounced.receiver)}, "
                      f"which had already handed the work on: {bounced.returned}{times}.{more}",
                      root_cause=f"decision loop in {bounced.procedure}: {bounced.returned}",
                      cause="ping_pong", actor=advice.loop_decider(bounced), capability="Operational coordination",
                      priority=5, responsible=loop_owner(bounced.procedure, advice.loop_decider(bounced),
                                                         advice.names, advice.structure),
                      lever=lever, element=element_of("ping_pong"), incidents=ids,
                      evidence=sorted({row for h in played for row in h.evidence})[:EVIDENCE_ROWS],
                      recommendation=advice.loop_fix(bounced))


def _unanswered(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Incident types detected but never worked on."""
    for kind, never in digest.unanswered_types():
        first, ids = never.first_one(), never.ids()
        matching = advice.procedures_for(kind, never.severity)
        found.improve(never.count, title=f"No response to {kind.replace('_', ' ')} incidents ({', '.join(ids[:5])})",
                detail=f"{never.count} incident(s) of type {kind} were detected but never worked on: no procedure "
                "step was queued or started for them.",
                root_cause=(f"no procedure is triggered by {kind} incidents of this severity" if not matching else
                            f"procedures {', '.join(matching)} match {kind} but never ran for these incidents"),
                cause="none", actor=first.detected_by, lever=f"type:{kind}", element=element_of("none"),
                capability=capability_of(scores, set(ids), None, "Operational coordination"),
                recommendation=(f"Add a procedure triggered by {kind} incidents (or lower a trigger's "
                                "min_severity)" if not matching else
                                f"Check the triggers of {', '.join(matching)}: they did not start for {kind}"),
                priority=2, incidents=ids, evidence=first.evidence)


def _left_open(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Background incidents left open after their containment failed, per procedure (:mod:`.leftopen`)."""
    left_open_findings(found.improve, scores, digest.left_open)


def _unmeasured(found: Found, scores: Scores, digest: Digest, advice: Advisor) -> None:
    """Large harm no objective measures, per scripted incident (:mod:`.unmeasured`), naming the findings so far whose
    delays are behind it."""
    unmeasured_findings(found.improve, scores, found.names, advice.structure, digest.scripted_harm,
                        [f for _, _, f in found.improvements])


_KINDS: tuple[Callable[[Found, Scores, Digest, Advisor], None], ...] = (
    _met_objectives, _missed_deadlines, _late_steps, _steps_on_time, _loads, _channels, _decisions,
    _overdue_handoffs, _slow_handoffs, _ping_pongs, _unanswered, _left_open, _unmeasured)
"""The kinds of findings, in the order they are gathered."""
