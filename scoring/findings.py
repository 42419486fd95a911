"""Strengths, areas for improvement (with root causes), the improvement plan and key findings.

Derived from :class:`~scoring.model.Scores` alone. Thresholds:

- a *queue* at an actor: 90th-percentile queue wait ≥ ``QUEUE_P90`` (15 min);
- a *failed channel*: at least one failed handoff attempt on it (a drop is worse);
- a *gap in shift cover*: work queued at an actor with nobody on duty;
- a *late step*: a completed step later than its target; a *missed deadline*: later than its
  legal deadline; *ping-pong*: work handed back to an actor it had left.

Areas for improvement are ranked by their weight: the objectives their lever explains and the
harm its delay caused (:mod:`ballotdrill.scoring.ranking`); each kind's own priority (missed
deadline or dropped handoff 1, a queue, shift gap or objective rated U 2, failed channel or
objective rated M 3, late step 4, ping-pong 5) only breaks ties. Each finding's plan row names
the organisation owning its lever and the capability element of its root cause
(:mod:`ballotdrill.scoring.plan`).

Recommendations fit the response structure when it is given: a failing channel that already
has a fallback is told to make that fallback the first choice (not to "add a fallback"); a
queue that formed while nobody was on duty gets shift cover, not more staff; slow work that
the structure itself makes longer than its target gets a target review.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from ballotdrill.scenarios.scenario import Detection
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.advice import (
    Advisor,
    CauseKind,
    actor_lever,
    channel_lever,
    shift_text,
    step_cause,
    step_lever,
)
from ballotdrill.scoring.bottleneck import bottleneck_line
from ballotdrill.scoring.choices import Choices
from ballotdrill.scoring.digest import QUEUE_P90, Case, Digest, LongWaits, digest_of
from ballotdrill.scoring.model import ChannelStats, Frozen, Scores
from ballotdrill.scoring.objective_cause import objective_cause
from ballotdrill.scoring.plan import PlanItem, element_of, plan_of, responsible
from ballotdrill.scoring.ranking import (
    OBJECTIVE_POINTS,
    Ranked,
    delay_spans,
    objective_delay,
    priority_of,
    target_passed,
    weigh,
)
from ballotdrill.scoring.text import clock, minutes, percent

MIN_STRENGTH = 3
"""A strength needs at least this many cases (ten times as many channel attempts): one is not evidence."""
BUSY = 0.25
"""An actor 'kept up' only if it was at least this busy (utilisation): an idle desk proves nothing."""

__all__ = ["QUEUE_P90", "Analysis", "CauseKind", "Finding", "KeyFindings", "PlanItem", "analyse", "shift_text"]


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


class KeyFindings(Frozen):
    """What an evaluator must read first."""

    bottleneck: str | None = None
    bottleneck_text: str
    worst_channel: str | None = None
    worst_channel_text: str
    first_fix: str
    ratings: dict[str, int] = Field(default_factory=dict)
    evidence: list[int] = Field(default_factory=list)


class Analysis(Frozen):
    """Findings, plan and key findings of a run."""

    strengths: list[Finding] = Field(default_factory=list)
    improvements: list[Finding] = Field(default_factory=list)
    plan: list[PlanItem] = Field(default_factory=list)
    key: KeyFindings


def _elapsed(case: Case) -> tuple[float, int]:
    return ((case.step.elapsed or 0.0) if case.step else 0.0, -case.n)


def _capability(scores: Scores, incidents: set[str], procedure: str | None, default: str) -> str:
    """The capability of the first objective about one of ``incidents`` or ``procedure``, else ``default``."""
    for obj in scores.objectives:
        about = obj.subject.split()
        if incidents & set(about) or obj.subject in incidents or (procedure and obj.subject == procedure):
            return obj.capability
    return default


def analyse(scores: Scores, names: dict[str, str], structure: Structure | None = None,
            digest: Digest | None = None, detections: Mapping[str, Detection] | None = None,
            passed: Mapping[str, float] | None = None, choices: Choices | None = None) -> Analysis:
    """Strengths, areas for improvement, improvement plan and key findings of ``scores``.

    ``structure`` (the run's response structure) lets recommendations fit it: channel
    fallbacks, shifts and the usual duration of each step. ``digest``: every incident of the run
    folded in (the streaming scorer's, when ``scores`` lists only some background arrivals); None
    folds the incidents of ``scores``. ``detections``: per inject, who notices its incidents (the scenario's
    ``detected_by``), so an objective about an incident nobody noticed is traced to its detection. ``passed``:
    objective id -> t when its harm passed the target (:mod:`.passing`), so only the delay before counts
    (without it a harm objective's whole harm window counts; a time objective's is cut at its target always).
    ``choices``: the decisions the run made with their rows (:mod:`.choices`), so a branch not taken is read from
    the decision itself.
    """
    def name(key: str) -> str:
        return names.get(key, key)

    if digest is None:
        if scores.background.capped:
            raise ValueError("these scores list only some background arrivals: pass the scorer's digest "
                             "(Scorer.digest), or score with cap=None")
        digest = digest_of(scores, names, structure)
    advice = Advisor(scores, names, structure, failures=digest.failures, unstaffed_at=digest.unstaffed_at,
                     detections=detections, choices=choices)

    strengths: list[Finding] = []
    improvements: list[tuple[int, float, Finding]] = []

    def improve(size: float, **fields: object) -> None:
        finding = Finding(kind="improvement", **fields)  # type: ignore[arg-type,unused-ignore]
        improvements.append((finding.priority, -size, finding))

    for obj in scores.objectives:
        if obj.rating == "P":
            strengths.append(Finding(kind="strength", title=f"Objective {obj.id} met ({obj.capability})",
                                     detail=f"{obj.value_text} against a target of {obj.target_text}.",
                                     capability=obj.capability, evidence=obj.evidence))
    for case, cases in digest.in_order(digest.deadlines):
        step, why = case.step, case.cause
        assert step is not None and why is not None
        kept = cases.cases()
        more = (f" ({cases.count:,} missed deadlines of '{step.step}' in all; the other "
                f"{cases.count - len(kept):,} among background arrivals not listed)"
                if cases.count > len(kept) and case is max(kept, key=_elapsed) else "")
        improve(step.elapsed or 0.0, title=f"Legal deadline missed: {step.step} ({step.incident})",
                detail=f"{name(step.actor)} completed '{step.step}' {minutes(step.elapsed)} after the procedure "
                f"began; the deadline was {minutes(step.deadline)} ({step.basis or 'no basis given'}).{more}",
                root_cause=why.text, cause="deadline", actor=step.actor,
                lever=step_lever(step.procedure, step.step), element=element_of(why.kind),
                capability=_capability(scores, {step.incident}, step.procedure, "Operational coordination"),
                recommendation=f"Give '{step.step}' a standing priority at {name(step.actor)} so the legal "
                f"deadline ({minutes(step.deadline)}) is met", priority=1, incidents=[step.incident],
                evidence=step.evidence)
    downstream: set[str] = set()
    """Titles of the late-step findings whose steps were late only from the delays before them."""
    for (procedure, step_id), group in digest.late_steps():
        if group.worst is None:
            continue
        worst = group.worst[1]
        best = group.main_cause()
        example = best.step
        why = step_cause(example, advice.local(best.steps, best.chains, scores.until))
        share = group.causes[(why.kind, why.lever)]
        total = group.late + group.on_time
        if why.kind == "upstream":  # late only from the delays before it: a consequence, ranked after causes
            downstream.add(f"Step '{step_id}' late ({group.late} of {total})")
        improve(worst.late_by or 0.0, title=f"Step '{step_id}' late ({group.late} of {total})",
                detail=f"'{step_id}' ({procedure}) by {name(worst.actor)} missed its {minutes(worst.target)} target "
                f"by up to {minutes(worst.late_by)} (incident {worst.incident})"
                + (f"; {group.still} still open and past the target at the end." if group.still else "."),
                root_cause=(why.text if share == group.late else
                            f"{share} of the {group.late} late: {why.text} ({example.incident})"),
                cause="late_step", actor=why.actor, lever=why.lever, element=element_of(why.kind),
                capability=_capability(scores, group.subjects, procedure, "Operational coordination"),
                recommendation=why.fix, priority=4, incidents=group.incidents.listed(),
                evidence=sorted({*worst.evidence, *example.evidence, *why.evidence}))
    for (procedure, step_id), group in digest.on_time_steps():
        if group.on_time >= MIN_STRENGTH and group.first_on_time is not None:
            first_step = group.first_on_time[1]
            strengths.append(Finding(kind="strength", title=f"Step '{step_id}' always on time",
                                     detail=f"All {group.on_time} completion(s) of '{step_id}' ({procedure}) met "
                                     f"the {minutes(first_step.target)} target.", actor=first_step.actor,
                                     evidence=sorted(-row for row in group.on_time_rows)))
    for load in scores.load:
        if load.wait_p90 is not None and load.wait_p90 >= QUEUE_P90:
            waits = digest.waits.get(load.actor) or LongWaits(frozenset())
            off_duty, long_waits = waits.unstaffed, waits.count
            unstaffed_queue = bool(long_waits) and 2 * off_duty >= long_waits
            improve(load.wait_p90, title=f"Queue at {load.name}",
                    detail=f"90th-percentile queue wait {minutes(load.wait_p90)} (mean {minutes(load.wait_mean)}, "
                    f"max {minutes(load.wait_max)}), longest queue {load.longest_queue}, utilisation "
                    f"{percent(load.utilisation)}"
                    + (f"; {load.queued_at_end} item(s) still waiting at the end." if load.queued_at_end else "."),
                    root_cause=(f"queue at {load.name}: {off_duty} of the {long_waits} long wait(s) began with "
                                "nobody on duty" if unstaffed_queue else f"queue at {load.name}"),
                    cause="queue", actor=load.actor, capability="Operational coordination", priority=2,
                    lever=actor_lever(load.actor), element=element_of("queue"),
                    evidence=load.evidence, incidents=waits.incidents.listed(),
                    recommendation=advice.shift_gap(load.actor) if unstaffed_queue else advice.queue(load.actor))
        elif load.steps >= MIN_STRENGTH and not load.wait_max and (load.utilisation or 0.0) >= BUSY:
            strengths.append(Finding(kind="strength", title=f"{load.name} kept up",
                                     detail=f"All {load.steps} steps started without waiting, at "
                                     f"{percent(load.utilisation)} utilisation.",
                                     actor=load.actor, evidence=load.evidence))
        if load.unstaffed_queued:
            improve(load.unstaffed_queued, title=f"Gap in shift cover at {load.name}",
                    detail=f"{load.unstaffed_queued} item(s) of work queued at {load.name} with nobody on duty.",
                    root_cause=f"gap in shift cover at {load.name}", cause="shift_gap", actor=load.actor,
                    lever=actor_lever(load.actor), element=element_of("shift_gap"),
                    capability="Operational coordination", priority=2, evidence=load.evidence,
                    recommendation=advice.shift_gap(load.actor))
    for channel in scores.channels:
        if channel.failures:
            failed = advice.failed_on(channel.channel)
            sent = failed.senders
            owner = max(sorted(sent), key=sent.__getitem__, default=None)
            improve(channel.failures + 10 * channel.drops,
                    title=f"Handoffs failed on {channel.channel}" + (" (dropped)" if channel.drops else ""),
                    detail=f"{channel.failures} of {channel.attempts} attempt(s) on {channel.channel} failed; "
                    f"{channel.drops} handoff(s) dropped with no fallback left.{_lines_text(channel)}",
                    root_cause=f"failed channel {channel.channel}", cause="drop" if channel.drops else "channel",
                    actor=owner, capability="Operational communications", priority=1 if channel.drops else 3,
                    lever=channel_lever(channel.channel), element=element_of("channel"),
                    incidents=failed.incidents.listed(),
                    evidence=channel.evidence, recommendation=advice.channel(channel.channel))
        elif channel.waited:
            improve(channel.waited,
                    title=f"Handoffs waited for a line on {channel.channel}",
                    detail=f"{channel.waited} of {channel.attempts} attempt(s) on {channel.channel} found all its "
                    f"{channel.capacity} line(s) in use and waited, up to {minutes(channel.longest_line_wait)}; "
                    "none failed.",
                    root_cause=f"too few lines on {channel.channel}", cause="channel", capability=
                    "Operational communications", priority=3, lever=channel_lever(channel.channel),
                    element=element_of("channel"), evidence=channel.evidence,
                    recommendation=advice.add_lines(channel))
        elif channel.attempts >= 10 * MIN_STRENGTH and advice.fallible(channel.channel):
            strengths.append(Finding(kind="strength", title=f"{channel.channel} reliable",
                                     detail=f"{channel.attempts} attempt(s) on {channel.channel}, none failed.",
                                     evidence=[]))
    for tally in scores.decisions:
        if tally.timed_out:
            which = ", ".join(f"'{step}'" for step in tally.steps)
            improve(tally.timed_out, title=f"Decisions left to their timeout at {name(tally.actor)}",
                    detail=f"{tally.timed_out} of the {tally.put} decision request(s) put to {name(tally.actor)}'s "
                    f"players were not answered in time ({which}); the default option was applied.",
                    root_cause=f"decision left to its timeout at {name(tally.actor)}", cause="decision_timeout",
                    actor=tally.actor, capability="Operational coordination", priority=3,
                    lever=actor_lever(tally.actor), element=element_of("decision_timeout"), evidence=tally.evidence,
                    recommendation=f"Rehearse {which} with {name(tally.actor)}'s players so they answer within the "
                    "time allowed, or give the decision more time if the real procedure does")
        elif tally.put >= MIN_STRENGTH:
            strengths.append(Finding(kind="strength", title=f"{name(tally.actor)} answered every decision",
                                     detail=f"All {tally.put} decision request(s) put to {name(tally.actor)}'s "
                                     "players were answered in time.", actor=tally.actor, evidence=[]))
    for channel_name, late in digest.overdue_channels():
        assert late.longest is not None
        chain = late.longest[1]
        improve(chain.in_transit_for or 0.0,
                title=f"{late.count} handoff(s) overdue on {channel_name} at the end",
                detail=f"{late.count} handoff(s) were still travelling on {channel_name} when the run stopped, "
                f"past its usual {minutes(chain.usual_latency)}; the longest, '{chain.step}' from "
                f"{name(chain.sender)} to {name(chain.receiver)} ({chain.incident}), was sent at "
                f"{clock(scores.start, chain.sent_at)}, {minutes(chain.in_transit_for)} before. They are in "
                "transit, not dropped.",
                root_cause=f"slow channel {channel_name}: still in transit after {minutes(chain.in_transit_for)}",
                cause="channel", actor=chain.sender, capability="Operational communications", priority=3,
                lever=channel_lever(channel_name), element=element_of("channel"),
                evidence=sorted({seq for _, rows in late.first for seq in rows}),
                incidents=late.incidents.listed(), recommendation=advice.slow_channel(chain))
    for case, _ in digest.in_order(digest.ping_pongs):
        bounced = case.chain
        assert bounced is not None
        improve(1, title=f"Work bounced back to {name(bounced.receiver)} ({bounced.incident})",
                detail=f"'{bounced.step}' went back from {name(bounced.sender)} to {name(bounced.receiver)}, "
                f"which had already handed the work on: {bounced.returned}.",
                root_cause=f"decision loop in {bounced.procedure}: {bounced.returned}",
                cause="ping_pong", actor=bounced.sender, capability="Operational coordination", priority=5,
                lever=step_lever(bounced.procedure, bounced.step), element=element_of("ping_pong"),
                evidence=bounced.evidence, incidents=[bounced.incident],
                recommendation=f"Review the loop in '{bounced.procedure}' ({bounced.returned}): give "
                f"{name(bounced.sender)} what it needs to decide once, or let {name(bounced.receiver)} "
                "finish without the work coming back")
    for kind, never in digest.unanswered_types():
        first, ids = never.first_one(), never.ids()
        matching = advice.procedures_for(kind, never.severity)
        improve(never.count, title=f"No response to {kind.replace('_', ' ')} incidents ({', '.join(ids[:5])})",
                detail=f"{never.count} incident(s) of type {kind} were detected but never worked on: no procedure "
                "step was queued or started for them.",
                root_cause=(f"no procedure is triggered by {kind} incidents of this severity" if not matching else
                            f"procedures {', '.join(matching)} match {kind} but never ran for these incidents"),
                cause="none", actor=first.detected_by, lever=f"type:{kind}", element=element_of("none"),
                capability=_capability(scores, set(ids), None, "Operational coordination"),
                recommendation=(f"Add a procedure triggered by {kind} incidents (or lower a trigger's "
                                "min_severity)" if not matching else
                                f"Check the triggers of {', '.join(matching)}: they did not start for {kind}"),
                priority=2, incidents=ids, evidence=first.evidence)
    causes = [f for _, _, f in sorted(improvements, key=lambda x: (x[0], x[1], x[2].title))]
    size = {id(f): -neg for _, neg, f in improvements}
    paths = digest.paths
    spans = delay_spans(scores, advice, paths)
    weighings, explained = weigh(scores, advice, [Ranked(f.lever, f.cause, f.incidents) for f in causes],
                                 digest.harm_behind(), digest.on_time_levers, passed, paths)
    first_on: dict[str, int] = {}
    for index, f in enumerate(causes):  # the first finding on a lever, in the kinds' own order, speaks for it
        first_on.setdefault(f.lever, index)
    weighed: list[Finding] = []
    for index, (f, w) in enumerate(zip(causes, weighings, strict=True)):
        spoken = f.lever and first_on[f.lever] != index
        copy = f.model_copy(update={"explains": w.explains, "harm_share": w.harm_share, "weight": w.weight,
                                    "weighed_with": causes[first_on[f.lever]].title if spoken else ""})
        size[id(copy)] = size[id(f)]
        weighed.append(copy)
    by_lever = {f.lever: f for f in weighed if f.lever and not f.weighed_with}
    known = {i.incident for i in scores.incidents}
    for obj in scores.objectives:
        if obj.rating not in ("M", "U"):
            continue
        lever = explained.get(obj.id)
        related = by_lever.get(lever) if lever else None
        subject = [w for w in obj.subject.split() if w in known]
        delay = sum(objective_delay(obj, scores, spans, passed, paths).values())
        own = None if related else objective_cause(advice, obj, delay,
                                                     target_passed(obj, scores, passed, structure))
        finding = Finding(
            kind="improvement", title=f"Objective {obj.id} rated {obj.rating} ({obj.capability})",
            detail=(f"{obj.value_text} against a target of {obj.target_text}: {obj.reason}."
                    if obj.value is not None and (obj.rating != "U" or obj.kind == "on_time")
                    else f"Not achieved (target {obj.target_text}): {obj.reason}."),
            root_cause=related.root_cause if related else own.text if own else "",
            cause="objective", actor=related.actor if related else (own.actor if own else None) or None,
            capability=obj.capability, priority=2 if obj.rating == "U" else 3,
            evidence=sorted({*obj.evidence, *(own.evidence if own else [])}),
            lever=lever or (own.lever if own else ""),
            element=related.element if related else element_of(own.kind if own else "objective"),
            incidents=subject,
            recommendation=related.recommendation if related else own.fix if own else "",
            weight=OBJECTIVE_POINTS[str(obj.rating)])
        weighed.append(finding)
        size[id(finding)] = 0.0

    def rank(f: Finding) -> tuple[int, float, bool, bool, int, float, str]:
        """Priority from the weight, then weight, causes before the objectives they explain, a late step with a
        cause of its own before one late only from the delays before it (its consequence), the kind's own
        priority, size."""
        return (priority_of(f.weight, f.priority), -f.weight, f.cause == "objective", f.title in downstream,
                f.priority, -size[id(f)], f.title)

    ordered = [f.model_copy(update={"priority": priority_of(f.weight, f.priority),
                                    "responsible": responsible(f.lever, f.actor, names, structure)})
               for f in sorted(weighed, key=rank)]
    plan = plan_of(ordered)
    return Analysis(strengths=strengths, improvements=ordered, plan=plan, key=_key(scores, plan, ordered))


def _key(scores: Scores, plan: list[PlanItem], ordered: list[Finding]) -> KeyFindings:
    """Bottleneck actor (:func:`~ballotdrill.scoring.bottleneck.bottleneck_line`), worst channel (by failures),
    first thing to fix.

    When the bottleneck's queue is not the first fix, the bottleneck line says why (its weight)."""
    bottleneck, cited, b_text = bottleneck_line(scores.load)
    failing = [c for c in scores.channels if c.failures]
    worst = max(failing, key=lambda c: (c.drops, c.failures, c.failures / max(1, c.attempts), c.channel),
                default=None)
    ratings = {r: sum(o.rating == r for o in scores.objectives) for r in ("P", "S", "M", "U", "NE")}
    if bottleneck is not None:
        lead = ordered[0] if ordered else None
        queue = next((f for f in ordered if f.lever == f"actor:{bottleneck.actor}" and not f.weighed_with), None)
        if lead is not None and queue is not None and lead.lever != queue.lever and queue.weight < lead.weight:
            explains = f"it explains {', '.join(queue.explains)}" if queue.explains else \
                "it explains no objective rated S, M or U"
            b_text += (f" It is not the first fix: its queue weighs {queue.weight:g} against {lead.weight:g} "
                       f"({explains} and {percent(queue.harm_share)} of the harm).")
    if worst is None:
        w_text = "No handoff failed on any channel."
    else:
        w_text = (f"{worst.channel} was the worst channel: {worst.failures} of {worst.attempts} attempt(s) failed"
                  f", {worst.drops} handoff(s) dropped.")
    evidence = sorted({*(cited.evidence if cited else []), *(worst.evidence if worst else [])})
    return KeyFindings(
        bottleneck=bottleneck.actor if bottleneck else None, bottleneck_text=b_text,
        worst_channel=worst.channel if worst else None, worst_channel_text=w_text,
        first_fix=(f"{plan[0].recommendation} ({plan[0].responsible}; {plan[0].finding})." if plan
                   else _nothing_to_fix(scores)),
        ratings=ratings, evidence=evidence,
    )


def _nothing_to_fix(scores: Scores) -> str:
    """"Fix first" when no area for improvement was found, naming the objectives still met only with challenges."""
    some = [o.id for o in scores.objectives if o.rating == "S"]
    if not some:
        return "Nothing to fix: no area for improvement was found."
    return (f"Nothing to fix first: no area for improvement was found, though {', '.join(some)} "
            f"{'was' if len(some) == 1 else 'were'} rated S (performed with some challenges).")


def _lines_text(channel: ChannelStats) -> str:
    """What a channel with a capacity adds to its finding: how full it got and what that did."""
    if channel.capacity is None:
        return ""
    text = f" At its peak {channel.peak_occupancy or 0} of its {channel.capacity} line(s) were in use"
    if channel.busy:
        text += f"; {channel.busy} attempt(s) found every line busy"
    if channel.waited:
        text += f"; {channel.waited} waited for a line (up to {minutes(channel.longest_line_wait)})"
    return text + f"; {channel.failures_under_load} failure(s) came with more than half its lines in use."
