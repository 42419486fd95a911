"""Strengths, areas for improvement (with root causes), the improvement plan and key findings.

Derived from :class:`~scoring.model.Scores` alone. Thresholds:

- a *queue* at an actor: 90th-percentile queue wait ≥ ``QUEUE_P90`` (15 min);
- a *failed channel*: at least one failed handoff attempt on it (a drop is worse);
- a *gap in shift cover*: work queued at an actor with nobody on duty;
- a *late step*: a completed step later than its target; a *missed deadline*: later than its
  legal deadline; *ping-pong*: work handed back to an actor it had left.

Areas for improvement are ordered by priority (1 most urgent): missed deadline or dropped
handoff 1, objective rated U or shift gap 2, objective rated M, failed channel or queue 3,
late step 4, ping-pong 5; ties by the size of the problem.

Recommendations fit the response structure when it is given: a failing channel that already
has a fallback is told to make that fallback the first choice (not to "add a fallback"); a
queue that formed while nobody was on duty gets shift cover, not more staff; slow work that
the structure itself makes longer than its target gets a target review.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from pydantic import Field

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.handoffs import DIRECT
from ballotdrill.scoring.model import Frozen, Handoff, IncidentTimes, ObjectiveResult, Scores, StepResult
from ballotdrill.scoring.text import clock, minutes, percent

QUEUE_P90 = 15.0
"""Minutes of 90th-percentile queue wait from which an actor's queue is an area for improvement."""

CauseKind = Literal["queue", "channel", "shift_gap", "late_step", "deadline", "drop", "ping_pong",
                    "objective", "slow_work", "upstream", "none"]


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


class PlanItem(Frozen):
    """A row of the improvement plan (HSEEP AAR/IP appendix A)."""

    id: str
    recommendation: str
    capability: str
    responsible: str
    actor: str | None = None
    priority: int
    finding: str


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


def _capability(scores: Scores, incidents: set[str], procedure: str | None, default: str) -> str:
    """The capability of the first objective about one of ``incidents`` or ``procedure``, else ``default``."""
    for obj in scores.objectives:
        about = obj.subject.split()
        if incidents & set(about) or obj.subject in incidents or (procedure and obj.subject == procedure):
            return obj.capability
    return default


def _step_cause(step: StepResult, advice: _Advisor) -> tuple[CauseKind, str, list[int]]:
    """Why a step was late: a queue, a failed channel, a shift gap, slow work or upstream delays."""
    late = step.late_by or 0.0
    carrier = next((h for h in advice.carriers(step) if h.received_at is not None
                    and step.queued_at is not None and h.received_at <= step.queued_at), None)
    who = advice.who(step.actor)
    if step.unstaffed:
        return "shift_gap", f"gap in shift cover: queued at {who} with nobody on duty", []
    if step.wait and step.wait >= late / 2:
        return "queue", f"queue at {who}: waited {minutes(step.wait)} before starting", []
    if carrier is not None and carrier.failures:
        return ("channel", f"failed channel: the handoff failed {carrier.failures}× on "
                f"{carrier.first_channel or DIRECT} and took {minutes(carrier.latency)}", carrier.evidence)
    work = (step.completed_at or 0.0) - (step.started_at or 0.0)
    if work >= late:
        return "slow_work", f"slow work at {who}: {minutes(work)} on the step itself", []
    return "upstream", "delays earlier in the procedure (the step began already close to its target)", []


def analyse(scores: Scores, names: dict[str, str], structure: Structure | None = None) -> Analysis:
    """Strengths, areas for improvement, improvement plan and key findings of ``scores``.

    ``structure`` (the run's response structure) lets recommendations fit it: channel
    fallbacks, shifts and the usual duration of each step.
    """
    def name(key: str) -> str:
        return names.get(key, key)

    advice = _Advisor(scores, names, structure)

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
    late_groups: dict[tuple[str, str], list[StepResult]] = defaultdict(list)
    on_time_groups: dict[tuple[str, str], list[StepResult]] = defaultdict(list)
    for step in scores.steps:
        if step.deadline_met is False:
            improve(step.elapsed or 0.0, title=f"Legal deadline missed: {step.step} ({step.incident})",
                    detail=f"{name(step.actor)} completed '{step.step}' {minutes(step.elapsed)} after the procedure "
                    f"began; the deadline was {minutes(step.deadline)} ({step.basis or 'no basis given'}).",
                    root_cause=_step_cause(step, advice)[1], cause="deadline", actor=step.actor,
                    capability=_capability(scores, {step.incident}, step.procedure, "Operational coordination"),
                    recommendation=f"Give '{step.step}' a standing priority at {name(step.actor)} so the legal "
                    f"deadline ({minutes(step.deadline)}) is met", priority=1, incidents=[step.incident],
                    evidence=step.evidence)
        if step.on_time is False:
            late_groups[(step.procedure, step.step)].append(step)
        elif step.on_time:
            on_time_groups[(step.procedure, step.step)].append(step)
    for (procedure, step_id), group in late_groups.items():
        worst = max(group, key=lambda s: (s.late_by or 0.0, -s.evidence[-1]))
        cause, text, extra = _step_cause(worst, advice)
        total = len(group) + len(on_time_groups.get((procedure, step_id), []))
        improve(worst.late_by or 0.0, title=f"Step '{step_id}' late ({len(group)} of {total})",
                detail=f"'{step_id}' ({procedure}) by {name(worst.actor)} missed its {minutes(worst.target)} target "
                f"by up to {minutes(worst.late_by)} (incident {worst.incident}).",
                root_cause=text, cause="late_step", actor=worst.actor,
                capability=_capability(scores, {s.incident for s in group}, procedure, "Operational coordination"),
                recommendation=advice.fix(cause, worst), priority=4,
                incidents=sorted({s.incident for s in group}), evidence=sorted({*worst.evidence, *extra}))
    for (procedure, step_id), group in on_time_groups.items():
        if (procedure, step_id) not in late_groups:
            strengths.append(Finding(kind="strength", title=f"Step '{step_id}' always on time",
                                     detail=f"All {len(group)} completion(s) of '{step_id}' ({procedure}) met "
                                     f"the {minutes(group[0].target)} target.", actor=group[0].actor,
                                     evidence=sorted(s.evidence[-1] for s in group)[:10]))
    for load in scores.load:
        if load.wait_p90 is not None and load.wait_p90 >= QUEUE_P90:
            long_waits = [s for s in scores.steps if s.actor == load.actor and (s.wait or 0.0) >= QUEUE_P90]
            off_duty = sum(s.unstaffed for s in long_waits)
            unstaffed_queue = bool(long_waits) and 2 * off_duty >= len(long_waits)
            improve(load.wait_p90, title=f"Queue at {load.name}",
                    detail=f"90th-percentile queue wait {minutes(load.wait_p90)} (mean {minutes(load.wait_mean)}, "
                    f"max {minutes(load.wait_max)}), longest queue {load.longest_queue}, utilisation "
                    f"{percent(load.utilisation)}.",
                    root_cause=(f"queue at {load.name}: {off_duty} of the {len(long_waits)} long wait(s) began with "
                                "nobody on duty" if unstaffed_queue else f"queue at {load.name}"),
                    cause="queue", actor=load.actor, capability="Operational coordination", priority=3,
                    evidence=load.evidence,
                    recommendation=advice.shift_gap(load.actor) if unstaffed_queue else advice.queue(load.actor))
        elif load.steps and not load.wait_max:
            strengths.append(Finding(kind="strength", title=f"{load.name} kept up",
                                     detail=f"All {load.steps} step(s) started without waiting.",
                                     actor=load.actor, evidence=load.evidence))
        if load.unstaffed_queued:
            improve(load.unstaffed_queued, title=f"Gap in shift cover at {load.name}",
                    detail=f"{load.unstaffed_queued} item(s) of work queued at {load.name} with nobody on duty.",
                    root_cause=f"gap in shift cover at {load.name}", cause="shift_gap", actor=load.actor,
                    capability="Operational coordination", priority=2, evidence=load.evidence,
                    recommendation=advice.shift_gap(load.actor))
    for channel in scores.channels:
        if channel.failures:
            sent = Counter(h.sender for h in advice.failed_on(channel.channel))
            owner = max(sorted(sent), key=sent.__getitem__, default=None)
            improve(channel.failures + 10 * channel.drops,
                    title=f"Handoffs failed on {channel.channel}" + (" (dropped)" if channel.drops else ""),
                    detail=f"{channel.failures} of {channel.attempts} attempt(s) on {channel.channel} failed; "
                    f"{channel.drops} handoff(s) dropped with no fallback left.",
                    root_cause=f"failed channel {channel.channel}", cause="drop" if channel.drops else "channel",
                    actor=owner, capability="Operational communications", priority=1 if channel.drops else 3,
                    evidence=channel.evidence, recommendation=advice.channel(channel.channel))
        elif channel.attempts:
            strengths.append(Finding(kind="strength", title=f"{channel.channel} reliable",
                                     detail=f"{channel.attempts} attempt(s) on {channel.channel}, none failed.",
                                     evidence=[]))
    for chain in scores.handoffs:
        if chain.status == "lost":
            improve(1, title=f"Handoff never received: {chain.step} ({chain.incident})",
                    detail=f"{name(chain.sender)} sent '{chain.step}' to {name(chain.receiver)}; it never arrived.",
                    root_cause=f"failed channel {chain.channel or DIRECT}", cause="drop", actor=chain.sender,
                    capability="Operational communications", priority=1, evidence=chain.evidence,
                    incidents=[chain.incident],
                    recommendation=advice.channel(chain.channel or DIRECT))
        if chain.ping_pong:
            improve(1, title=f"Work bounced back to {name(chain.receiver)} ({chain.incident})",
                    detail=f"'{chain.step}' went back from {name(chain.sender)} to {name(chain.receiver)}, "
                    "which had already handed the work on.", root_cause="ping-pong between actors",
                    cause="ping_pong", actor=chain.sender, capability="Operational coordination", priority=5,
                    evidence=chain.evidence, incidents=[chain.incident],
                    recommendation=f"Let {name(chain.sender)} complete '{chain.step}' "
                    f"or decide with {name(chain.receiver)} in one exchange")
    harmed = {h.incident for h in scores.harm if h.nonzero}
    unanswered: dict[str, list[IncidentTimes]] = defaultdict(list)
    for inc in scores.incidents:
        if inc.to_first_action is None and inc.to_resolve is None and (inc.severity >= 2 or inc.incident in harmed):
            unanswered[inc.type].append(inc)
    for kind, incs in unanswered.items():
        first, ids = incs[0], [i.incident for i in incs]
        improve(len(ids), title=f"No response to {kind.replace('_', ' ')} incidents ({', '.join(ids[:5])})",
                detail=f"{len(ids)} incident(s) of type {kind} were never worked on: no procedure step started.",
                root_cause=f"no procedure started for {kind} incidents (no trigger matched, or it was dropped)",
                cause="none", actor=first.detected_by, capability=_capability(scores, set(ids), None,
                                                                             "Operational coordination"),
                recommendation=f"Add or extend a procedure triggered by {kind} incidents", priority=2,
                incidents=ids, evidence=first.evidence)
    causes = sorted(improvements, key=lambda x: (x[0], x[1], x[2].title))
    for obj in scores.objectives:
        if obj.rating in ("M", "U"):
            related = _related_cause(obj, causes)
            improve(0 if obj.value is None else obj.value,
                    title=f"Objective {obj.id} rated {obj.rating} ({obj.capability})",
                    detail=(f"{obj.value_text} against a target of {obj.target_text}: {obj.reason}."
                            if obj.value is not None else f"Not achieved (target {obj.target_text}): {obj.reason}."),
                    root_cause=related.root_cause if related else "no single cause found in the journal",
                    cause="objective", actor=related.actor if related else None, capability=obj.capability,
                    priority=2 if obj.rating == "U" else 3, evidence=obj.evidence,
                    recommendation=related.recommendation if related else f"Review the plan for {obj.capability}")
    ordered = [f for _, _, f in sorted(improvements, key=lambda x: (x[0], x[1], x[2].title))]
    plan = _plan(ordered, names)
    return Analysis(strengths=strengths, improvements=ordered, plan=plan, key=_key(scores, plan))


def _related_cause(obj: ObjectiveResult, causes: list[tuple[int, float, Finding]]) -> Finding | None:
    """The most urgent finding about the objective's incident, else sharing its capability or rows."""
    words = set(obj.subject.split())
    for _, _, finding in causes:
        if words & set(finding.incidents):
            return finding
    for _, _, finding in causes:
        if finding.capability == obj.capability or (set(finding.evidence) & set(obj.evidence)):
            return finding
    return causes[0][2] if causes and obj.kind == "on_time" else None


class _Advisor:
    """Recommendations for root causes, fitted to the response structure when there is one."""

    def __init__(self, scores: Scores, names: dict[str, str], structure: Structure | None) -> None:
        self.scores, self.names, self.structure = scores, names, structure
        self._to: dict[tuple[str, str, str], list[Handoff]] = defaultdict(list)
        self._failed: dict[str, list[Handoff]] = defaultdict(list)
        for h in scores.handoffs:
            self._to[(h.incident, h.step, h.receiver)].append(h)
            if h.failures:
                self._failed[h.first_channel or DIRECT].append(h)
        self._channel_fix: dict[str, str] = {}

    def carriers(self, step: StepResult) -> list[Handoff]:
        """The handoffs that carried ``step``'s work to its actor (same incident and step), first first."""
        return self._to.get((step.incident, step.step, step.actor), [])

    def failed_on(self, channel: str) -> list[Handoff]:
        """The handoffs with a failed attempt whose first attempt went on ``channel``."""
        return self._failed.get(channel, [])

    def who(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def fix(self, cause: str, step: StepResult) -> str:
        """The fix for a late step, by its root cause."""
        if cause == "queue":
            return self.queue(step.actor)
        if cause == "shift_gap":
            return self.shift_gap(step.actor)
        if cause == "channel":
            carrier = next((h for h in self.carriers(step) if h.failures), None)
            return self.channel(carrier.first_channel or DIRECT if carrier else DIRECT)
        if cause == "slow_work":
            return self.slow_work(step)
        return f"Review the handoffs leading to '{step.step}' to start it earlier"

    def queue(self, actor: str) -> str:
        return f"Add staff or a surge shift at {self.who(actor)}, or let another actor take part of its work"

    def shift_gap(self, actor: str) -> str:
        """Shift cover: name the hours the actor is staffed and when work arrived with nobody there."""
        who = self.who(actor)
        arrived = sorted(s.queued_at for s in self.scores.steps
                         if s.actor == actor and s.unstaffed and s.queued_at is not None)
        when = f" (work arrived at {clock(self.scores.start, arrived[0])} with nobody there)" if arrived else ""
        spec = self.structure.actors.get(actor) if self.structure else None
        if spec is None:
            return f"Extend shift cover or set an on-call rota at {who} so work never waits with nobody on duty"
        covered = [s for s in spec.shifts if s.staff > 0]
        if not covered and spec.staff == 0:
            return f"Give {who} staff or an on-call rota: nobody is on duty at any time{when}"
        if covered and spec.staff == 0:
            hours = ", ".join(shift_text(s.start, s.end) for s in covered)
            return (f"Extend {who}'s shift cover beyond {hours}, or set an on-call rota, so work never waits "
                    f"with nobody on duty{when}")
        return f"Extend shift cover or set an on-call rota at {who} so work never waits with nobody on duty{when}"

    def channel(self, channel: str) -> str:
        """A failing channel: use its fallback first if it has one, else give it one."""
        if channel not in self._channel_fix:
            self._channel_fix[channel] = self._channel(channel)
        return self._channel_fix[channel]

    def _channel(self, channel: str) -> str:
        failed = self.failed_on(channel)
        per_step: Counter[str] = Counter()
        for h in failed:
            per_step[h.step] += h.failures
        steps = sorted(per_step, key=lambda s: (-per_step[s], s))
        which = _quoted(steps)
        spec = self.structure.channels.get(channel) if self.structure else None
        if spec is not None and spec.fallback:
            return (f"Make {channel} more reliable, or make its fallback {spec.fallback} the first choice for "
                    f"the handoffs of {which}" if which else
                    f"Make {channel} more reliable, or make its fallback {spec.fallback} the first choice")
        if self.structure is None:
            return f"Make {channel} more reliable or give it a fallback channel"
        others = sorted(((c.reliability, k) for k, c in self.structure.channels.items() if k != channel),
                        key=lambda rk: (-rk[0], rk[1]))
        if channel == DIRECT:
            return (f"Send {which} through a channel with a fallback instead of directly" if which
                    else "Send these handoffs through a channel with a fallback instead of directly")
        hint = f" (e.g. {others[0][1]}, {others[0][0] * 100:.0f}% reliable)" if others else ""
        return f"Make {channel} more reliable, or give it a fallback channel{hint}: it has none"

    def slow_work(self, step: StepResult) -> str:
        """Slow work: a target review when the structure makes the step longer than its target."""
        who = self.who(step.actor)
        usual = self._usual_duration(step)
        if usual is not None and step.target is not None and usual >= step.target:
            return (f"Review the {minutes(step.target)} target of '{step.step}' at {who}: the work alone usually "
                    f"takes about {minutes(usual)}; or start it earlier in the procedure")
        took = (step.completed_at or 0.0) - (step.started_at or 0.0)
        if usual is not None and took <= 1.5 * usual:
            return (f"Start '{step.step}' at {who} earlier: the work took {minutes(took)}, close to its usual "
                    f"{minutes(usual)}, so the delay built up earlier in the procedure")
        if usual is not None:
            return (f"Plan for the long cases of '{step.step}' at {who} (usually about {minutes(usual)}, up to "
                    f"{minutes(took)} in this run): standing resources, a template or pre-approved wording")
        return f"Shorten '{step.step}' at {who} with a template or pre-approved wording"

    def _usual_duration(self, step: StepResult) -> float | None:
        if self.structure is None or step.procedure not in self.structure.procedures:
            return None
        spec = next((s for s in self.structure.procedures[step.procedure].steps if s.id == step.step), None)
        return None if spec is None else float(spec.duration.mean)


def shift_text(start: str, end: str) -> str:
    """A daily shift as ``06:30–22:00`` (as the structure writes it)."""
    return f"{start}–{end}"


def _quoted(items: list[str], limit: int = 3) -> str:
    """``'a', 'b' and 'c'`` (at most ``limit``, then ``and N more``)."""
    shown = [f"'{s}'" for s in items[:limit]]
    if len(items) > limit:
        return ", ".join(shown) + f" and {len(items) - limit} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1] if shown else ""


def _plan(improvements: list[Finding], names: dict[str, str]) -> list[PlanItem]:
    """One plan row per distinct recommendation, most urgent first."""
    rows: list[PlanItem] = []
    seen: set[str] = set()
    for finding in improvements:
        if not finding.recommendation or finding.recommendation in seen:
            continue
        seen.add(finding.recommendation)
        rows.append(PlanItem(id=f"IP-{len(rows) + 1}", recommendation=finding.recommendation,
                             capability=finding.capability or "Operational coordination",
                             responsible=names.get(finding.actor, finding.actor) if finding.actor else "Exercise lead",
                             actor=finding.actor, priority=finding.priority, finding=finding.title))
    return rows


def _key(scores: Scores, plan: list[PlanItem]) -> KeyFindings:
    """Bottleneck actor (by p90 queue wait), worst channel (by failures), first thing to fix."""
    waited = [a for a in scores.load if a.wait_p90]
    bottleneck = max(waited, key=lambda a: (a.wait_p90 or 0.0, a.wait_mean or 0.0, a.actor), default=None)
    failing = [c for c in scores.channels if c.failures]
    worst = max(failing, key=lambda c: (c.drops, c.failures, c.failures / max(1, c.attempts), c.channel),
                default=None)
    ratings = {r: sum(o.rating == r for o in scores.objectives) for r in "PSMU"}
    longest = max((a for a in scores.load if a.wait_max), key=lambda a: (a.wait_max or 0.0, a.actor), default=None)
    if bottleneck is None and longest is not None:
        b_text = (f"No actor was a bottleneck: 90% of the work everywhere started without waiting; the longest "
                  f"single wait was {minutes(longest.wait_max)} at {longest.name}.")
    elif bottleneck is None:
        b_text = "No work waited in a queue: no actor was a bottleneck."
    else:
        b_text = (f"{bottleneck.name} was the bottleneck: 90th-percentile queue wait "
                  f"{minutes(bottleneck.wait_p90)} (max {minutes(bottleneck.wait_max)}, longest queue "
                  f"{bottleneck.longest_queue}, utilisation {percent(bottleneck.utilisation)}).")
    if worst is None:
        w_text = "No handoff failed on any channel."
    else:
        w_text = (f"{worst.channel} was the worst channel: {worst.failures} of {worst.attempts} attempt(s) failed"
                  f", {worst.drops} handoff(s) dropped.")
    evidence = sorted({*(bottleneck.evidence if bottleneck else []), *(worst.evidence if worst else [])})
    return KeyFindings(
        bottleneck=bottleneck.actor if bottleneck else None, bottleneck_text=b_text,
        worst_channel=worst.channel if worst else None, worst_channel_text=w_text,
        first_fix=(f"{plan[0].recommendation} ({plan[0].responsible}; {plan[0].finding})." if plan
                   else "Nothing to fix: no area for improvement was found."),
        ratings=ratings, evidence=evidence,
    )
