"""Root causes and recommendations fitted to the response structure.

Every recommendation names a lever of the structure: an actor's staff or shifts, a channel
(its reliability or fallback), or a procedure's step or target. A late step's root cause and
its recommendation come from one decision (:func:`~ballotdrill.scoring.stepcause.step_cause`), so they cannot contradict
each other.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Literal, NamedTuple

from ballotdrill.scenarios.scenario import Detection
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.chains import fallback_candidates, figures, more_dropped, onward
from ballotdrill.scoring.choices import Choices
from ballotdrill.scoring.crews import CrewWaits
from ballotdrill.scoring.decisions import Answers, answers_of
from ballotdrill.scoring.desks import post_fix, post_of

if TYPE_CHECKING:
    from ballotdrill.scoring.extensions import Extension
    from ballotdrill.scoring.harmpath import HarmPaths
    from ballotdrill.scoring.wavecap import WaveStart
from ballotdrill.scoring.chains import resend_fix
from ballotdrill.scoring.channel_lines import add_lines
from ballotdrill.scoring.designed import Leg, designed_legs, loop_span
from ballotdrill.scoring.model import (
    EVIDENCE_ROWS,
    ActorLoad,
    ChannelStats,
    Handoff,
    Scores,
    StepResult,
)
from ballotdrill.scoring.text import clock, minutes
from ballotdrill.scoring.usual import DIRECT, usual_latency

CauseKind = Literal["queue", "crew", "channel", "shift_gap", "late_step", "deadline", "drop", "ping_pong",
                    "objective", "slow_work", "target", "upstream", "branch", "detection", "decision_timeout",
                    "containment", "unmeasured", "none"]

SLOW_FACTOR = 1.5
"""Work longer than this multiple of its usual duration is *slow work*, a late step's cause of its own; shorter is
usual work, though a late step's minutes beyond its usual are still a delay on its step's lever (ranking)."""


def actor_lever(actor: str) -> str:
    """The lever of an actor's staff and shifts."""
    return f"actor:{actor}"


def decision_lever(actor: str) -> str:
    """The lever of an actor's players answering its decisions in time (rehearsal, or more time to decide): apart
    from its staff and shifts (:func:`actor_lever`)."""
    return f"decision:{actor}"


def channel_lever(channel: str | None) -> str:
    """The lever of a channel (``direct`` for a handoff without one)."""
    return f"channel:{channel or DIRECT}"


def delivery_lever(channel: str | None) -> str:
    """The lever of a channel's slow deliveries: handoffs that took longer than it usually takes without failing (or
    are still travelling past that), apart from its failures (:func:`channel_lever`)."""
    return f"delivery:{channel or DIRECT}"


def step_lever(procedure: str, step: str) -> str:
    """The lever of one step of a procedure (its work, its target)."""
    return f"step:{procedure}/{step}"


class Cause(NamedTuple):
    """Why a step was late, in words, with its extra evidence, the fix that follows, whose lever it is
    (``actor``) and the lever itself (see :mod:`ballotdrill.scoring.ranking`)."""

    kind: CauseKind
    text: str
    evidence: list[int]
    fix: str
    actor: str
    lever: str
    waiting: StepResult | None = None
    """The step whose queue wait it is (the late step's own, or one earlier on its path): its words name that
    actor's waits by the bottleneck rule (see :mod:`.stepcause`)."""
    design: bool = False
    """An objective's own cause that is the designed response itself missing its target (played as designed, it
    would have missed it too): an area for improvement whatever the rating (:mod:`.findings`)."""
    earlier: bool = False
    """A late step's cause that is a delay earlier on its path (an earlier step's slow work or slow handoff): the
    step is its consequence, so its finding never speaks for that delay's lever (:mod:`.findings`)."""


class ChannelFailures:
    """The handoffs with a failed attempt whose first attempt went on one channel: how many, who sent them, the
    failed attempts per step, and the incidents (the first :data:`~ballotdrill.scoring.model.EVIDENCE_ROWS` by id,
    and every one an objective names)."""

    __slots__ = ("attempts", "handoffs", "incidents", "senders", "steps")

    def __init__(self) -> None:
        self.handoffs = 0
        self.senders: Counter[str] = Counter()
        self.attempts: Counter[str] = Counter()
        """Failed attempts per sender."""
        self.steps: Counter[str] = Counter()
        self.incidents = Incidents()

    def owners(self) -> list[str]:
        """The senders of most failed handoffs, then of most failed attempts (more than one: tied), by name."""
        if not self.senders:
            return []
        most = max((self.senders[s], self.attempts[s]) for s in self.senders)
        return sorted(s for s in self.senders if (self.senders[s], self.attempts[s]) == most)

    def add(self, chain: Handoff) -> None:
        self.handoffs += 1
        self.senders[chain.sender] += 1
        self.attempts[chain.sender] += chain.failures
        self.steps[chain.step] += chain.failures
        self.incidents.add(chain.incident)


class Incidents:
    """Incident ids named by a finding: each counted once, the first :data:`EVIDENCE_ROWS` by id kept (and the
    ``pinned`` ones, those the objectives name). An incident's ids come together (the digest folds each incident at
    once, as :class:`Advisor` does a run's failed handoffs), so an id seen before is the last one or a kept one: the
    count is exact with at most ``2 × EVIDENCE_ROWS`` ids held, however many incidents a run has."""

    __slots__ = ("count", "ids", "last", "pinned")

    def __init__(self, pinned: frozenset[str] = frozenset()) -> None:
        self.ids: set[str] = set()
        self.pinned = pinned
        self.count = 0
        self.last: str | None = None

    def add(self, incident: str) -> None:
        if incident == self.last or incident in self.ids:
            return
        self.last = incident
        self.count += 1
        self.ids.add(incident)
        if len(self.ids) > 2 * EVIDENCE_ROWS:
            keep = sorted(self.ids)[:EVIDENCE_ROWS]
            self.ids = {*keep, *(i for i in self.ids if i in self.pinned)}

    def listed(self) -> list[str]:
        """The ids kept, sorted (every one while there are at most :data:`EVIDENCE_ROWS`)."""
        ordered = sorted(self.ids)
        if len(ordered) <= EVIDENCE_ROWS:
            return ordered
        return sorted({*ordered[:EVIDENCE_ROWS], *(i for i in ordered if i in self.pinned)})


class Advisor:
    """Recommendations for root causes, fitted to the response structure when there is one.

    ``steps`` and ``chains``: the step instances and handoffs it looks up a step's context in (those of ``scores``,
    or of one incident); ``failures`` and ``unstaffed_at``: per channel, the failed handoffs, and per actor, when
    work first arrived with nobody on duty, over the whole run (None: from ``scores``); ``detections``: per inject,
    who notices its incidents and how long after they begin (its ``detected_by``; without one, at once);
    ``choices``: the decisions the run made, with their rows (:mod:`.choices`; None: not known, a branch is then
    read from the steps played after a decision); ``loads``: per actor, its waits over the whole run (None: from
    ``scores``, else none known); ``start``: the run's start without ``scores`` (its clock times are the run's)."""

    def __init__(self, scores: Scores | None, names: dict[str, str], structure: Structure | None, *,
                 steps: Sequence[StepResult] | None = None, chains: Sequence[Handoff] | None = None,
                 until: float | None = None, failures: Mapping[str, ChannelFailures] | None = None,
                 unstaffed_at: Mapping[str, float] | None = None,
                 detections: Mapping[str, Detection] | None = None,
                 channel_stats: Mapping[str, ChannelStats] | None = None,
                 choices: Choices | None = None, loads: Mapping[str, ActorLoad] | None = None,
                 start: float | None = None) -> None:
        self.scores, self.names, self.structure = scores, names, structure
        self.loads: Mapping[str, ActorLoad] = {a.actor: a for a in scores.load} if scores is not None else loads or {}
        """Per actor, its waits over the whole run (none known: empty)."""
        self.choices = choices
        self.extensions: Mapping[str, Extension] = {}
        """Per incident, the response's extension of its polling stations' hours (:mod:`.extended`), when known."""
        self.waves: Mapping[str, WaveStart] = {}
        """Per incident with a wave, how it began (:func:`~.wavecap.wave_starts`), when known."""
        self.passed: Mapping[str, float] | None = None
        self.paths: HarmPaths | None = None
        """When each objective's harm passed its target (:mod:`.passing`) and which steps could change it, when known:
        an objective's own cause tests a lever (a late detection) as the ranking does (:mod:`.turning`)."""
        self.answers: Answers = answers_of(scores.decisions if scores is not None else ())
        """Per (incident, procedure, decision step), its waits for a player's answer or its timeout (live play)."""
        self.channel_stats: Mapping[str, ChannelStats] = {c.channel: c for c in scores.channels} if scores else (
            channel_stats or {})
        """Per channel, its attempts and failures over the whole run (none known: empty)."""
        self.detections: Mapping[str, Detection] = detections or {}
        steps = steps if steps is not None else scores.steps if scores is not None else []
        chains = chains if chains is not None else scores.handoffs if scores is not None else []
        self.until = until if until is not None or scores is None else scores.until
        self.start = scores.start if scores is not None else start or 0.0
        """The run's start (its clock's origin): from ``scores``, else as given (an incident's context: its run's)."""
        self.crews = CrewWaits(steps, structure, self.start) if scores is not None else None  # a local one: its run's
        self._to: dict[tuple[str, str, str], list[Handoff]] = defaultdict(list)
        for h in chains:
            self._to[(h.incident, h.step, h.receiver)].append(h)
        self._runs: dict[tuple[str, str], list[StepResult]] = defaultdict(list)
        for step in steps:
            self._runs[(step.incident, step.procedure)].append(step)
        self._loops: dict[tuple[str, str], list[Handoff]] = defaultdict(list)
        for h in chains:
            if h.ping_pong:
                self._loops[(h.incident, h.procedure)].append(h)
        if failures is None:
            found: dict[str, ChannelFailures] = defaultdict(ChannelFailures)
            for h in sorted((h for h in chains if h.failures), key=attrgetter("incident")):  # each incident at once
                found[h.first_channel or DIRECT].add(h)
            failures = found
        if unstaffed_at is None:
            firsts: dict[str, float] = {}
            for step in steps:
                if step.unstaffed and step.queued_at is not None:
                    firsts[step.actor] = min(step.queued_at, firsts.get(step.actor, step.queued_at))
            unstaffed_at = firsts
        self.failures, self.unstaffed_at = failures, unstaffed_at
        self._channel_fix: dict[str, str] = {}

    def local(self, steps: Sequence[StepResult], chains: Sequence[Handoff], until: float | None) -> Advisor:
        """This advisor looking up a step's context among ``steps`` and ``chains`` (one incident's)."""
        local = Advisor(None, self.names, self.structure, steps=steps, chains=chains, until=until,
                        failures=self.failures, unstaffed_at=self.unstaffed_at, detections=self.detections,
                        channel_stats=self.channel_stats, choices=self.choices, loads=self.loads, start=self.start)
        local.answers, local.crews = self.answers, self.crews
        return local

    @property
    def whole(self) -> Scores:
        """The run's scores (an advisor made for one incident's context has none)."""
        if self.scores is None:
            raise ValueError("this advisor was made for one incident's context")
        return self.scores

    def earlier_wait(self, step: StepResult, before: float | None) -> StepResult | None:
        """The step of the same procedure run that waited longest in a queue before ``step`` arrived."""
        if before is None:
            return None
        earlier = [s for s in self._runs.get((step.incident, step.procedure), [])
                   if s is not step and s.started_at is not None and s.started_at <= before and s.wait]
        return max(earlier, key=lambda s: (s.wait or 0.0, -(s.started_at or 0.0)), default=None)

    def earlier_done(self, step: StepResult, before: float | None) -> list[StepResult]:
        """The steps of the same procedure run completed by ``before`` (``step``'s work's arrival), in their order."""
        if before is None:
            return []
        return [s for s in self._runs.get((step.incident, step.procedure), [])
                if s is not step and s.completed_at is not None and s.completed_at <= before + 1e-9]

    def designed_arrival(self, step: StepResult) -> float | None:
        """Minutes from its procedure's start to when ``step``'s work reaches its actor on the designed path
        (:func:`~ballotdrill.scoring.designed.designed_arrival`; None without a structure or off the default path)."""
        return self.designed_to(step.incident, step.procedure, step.step)

    def designed_to(self, incident: str, procedure: str, step: str,
                    chosen: Mapping[str, str] | None = None) -> float | None:
        """:meth:`designed_arrival` of step ``step`` of ``procedure`` for ``incident`` (``chosen``: the options taken
        at decision steps, instead of their defaults)."""
        legs = self.designed_legs(incident, procedure, step, chosen)
        return None if legs is None else sum(leg.minutes for leg in legs)

    def designed_legs(self, incident: str, procedure: str, step: str,
                      chosen: Mapping[str, str] | None = None) -> list[Leg] | None:
        """The parts of the designed path to step ``step`` of ``procedure`` for ``incident``, as the run played its
        actors (:func:`~ballotdrill.scoring.designed.designed_legs`)."""
        if self.structure is None:
            return None
        run = self._runs.get((incident, procedure), [])
        actors = {s.step: s.actor for s in run}
        first = min(run, key=lambda s: s.started_at if s.started_at is not None else math.inf, default=None)
        handed_in = first is not None and bool(self.carriers(first))
        return designed_legs(self.structure, procedure, step, actors, handed_in, chosen)

    def loop_before(self, step: StepResult, arrived: float | None) -> tuple[Handoff | None, float]:
        """The decision loop of ``step``'s procedure run that cost most before ``step``'s work arrived, and the
        minutes all its loops cost before then (None, 0: none)."""
        if arrived is None:
            return None, 0.0
        run = self._runs.get((step.incident, step.procedure), [])
        costs = []
        for chain in self._loops.get((step.incident, step.procedure), []):
            span = loop_span(chain, run, self.until)
            if span is not None and span[0] < arrived:
                costs.append((min(span[1], arrived) - span[0], chain))
        if not costs:
            return None, 0.0
        return max(costs, key=lambda c: c[0])[1], sum(c for c, _ in costs)

    def loop_length(self, chain: Handoff) -> float | None:
        """The whole stretch a decision loop cost (:func:`~ballotdrill.scoring.designed.loop_span`), None if none."""
        span = loop_span(chain, self._runs.get((chain.incident, chain.procedure), []), self.until)
        return None if span is None else span[1] - span[0]

    def loop_fix(self, chain: Handoff) -> str:
        """The fix of a decision loop (a ping-pong handoff)."""
        return (f"Review the loop in '{chain.procedure}' ({chain.returned}): give {self.who(self.loop_decider(chain))} "
                f"what it needs to decide once, or let {self.who(chain.receiver)} finish without the work coming back")

    def loop_decider(self, chain: Handoff) -> str:
        """Who decided the loop that sent ``chain``'s work back: the actor of the last decision of its procedure run
        that can lead back to itself, made by the time the handoff was sent; else (no such decision known) the
        handoff's sender."""
        proc = self.structure.procedures.get(chain.procedure) if self.structure is not None else None
        if proc is None:
            return chain.sender
        looping = {s.id for i, s in enumerate(proc.steps) if s.decision is not None and proc.loops_back(i)}
        made = [s for s in self._runs.get((chain.incident, chain.procedure), []) if s.step in looping
                and s.completed_at is not None and s.completed_at <= chain.sent_at + 1e-9]
        return max(made, key=lambda s: s.completed_at or 0.0).actor if made else chain.sender

    def carriers(self, step: StepResult) -> list[Handoff]:
        """The handoffs that carried ``step``'s work to its actor (same incident and step), first first."""
        return self._to.get((step.incident, step.step, step.actor), [])

    def failed_on(self, channel: str) -> ChannelFailures:
        """The handoffs with a failed attempt whose first attempt went on ``channel``."""
        return self.failures.get(channel) or ChannelFailures()

    def who(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def slow_channel(self, chain: Handoff) -> str:
        """A handoff that travelled (or is still travelling) much longer than its channel usually takes
        (:func:`~ballotdrill.scoring.chains.resend_fix`)."""
        channel = chain.channel or DIRECT
        spec = self.structure.channels.get(channel) if self.structure else None
        fallback = spec.fallback if spec is not None else None
        took = chain.latency if chain.latency is not None else chain.in_transit_for
        return resend_fix(chain.step, channel, fallback, self.usual_latency(channel), self.usual_latency(fallback),
                          took)

    def queue(self, actor: str) -> str:
        """Waits at ``actor``'s desk (an actor, or ``actor/post``: :mod:`.desks`)."""
        post = post_of(self.structure, actor)
        if post is not None:
            return post_fix(self.who(post[0]), post[1])
        return f"Add staff or a surge shift at {self.who(actor)}, or let another actor take part of its work"

    def shift_gap(self, actor: str) -> str:
        """Shift cover: name the hours the actor is staffed and when work arrived with nobody there."""
        who = self.who(actor)
        arrived = self.unstaffed_at.get(actor)
        when = f" (work arrived at {clock(self.start, arrived)} with nobody there)" if arrived is not None else ""
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
        """A failing channel: more lines when most failures came under load, else its fallback first if it has one,
        else give it one."""
        if channel not in self._channel_fix:
            self._channel_fix[channel] = self._channel(self.channel_stats.get(channel) or ChannelStats(channel=channel))
        return self._channel_fix[channel]

    def _channel(self, stats: ChannelStats) -> str:
        channel = stats.channel
        per_step = self.failed_on(channel).steps
        steps = sorted((s for s in per_step if per_step[s]), key=lambda s: (-per_step[s], s))
        which = _quoted(steps)
        spec = self.structure.channels.get(channel) if self.structure else None
        if stats.capacity is not None and 2 * stats.failures_under_load >= stats.failures:
            fallback = (f", or make its fallback {spec.fallback} the first choice "
                        f"({onward(self.structure, spec.fallback)})" if spec and spec.fallback and self.structure
                        and not self._no_better(stats, spec.reliability, spec.fallback) else "")
            return add_lines(stats) + fallback
        if spec is not None and spec.fallback:
            handoffs = f" for the handoffs of {which}" if which else ""
            worse = self._no_better(stats, spec.reliability, spec.fallback)
            if worse:
                return (f"Make {channel} more reliable{handoffs}; its fallback {spec.fallback} is no better a first "
                        f"choice ({worse})")
            then = f" ({onward(self.structure, spec.fallback)})" if self.structure is not None else ""
            return (f"Make {channel} more reliable, or make its fallback {spec.fallback} the first "
                    f"choice{handoffs}{then}")
        if self.structure is None:
            return f"Make {channel} more reliable or give it a fallback channel"
        if channel == DIRECT:
            return (f"Send {which} through a channel with a fallback instead of directly" if which
                    else "Send these handoffs through a channel with a fallback instead of directly")
        # no cycle the format refuses, and never two channels proposed as each other's fallback
        best = fallback_candidates(self.structure, channel)[:1]
        hint = (f" (e.g. {best[0].channels[0]}, {self.structure.channels[best[0].channels[0]].reliability:.0%} "
                "reliable)" if best else "")
        return f"Make {channel} more reliable, or give it a fallback channel{hint}: it has none"

    def _no_better(self, stats: ChannelStats, reliability: float, fallback: str) -> str:
        """Why ``fallback`` is no better a first choice than the channel of ``stats`` (set at ``reliability``), as
        designed: set less reliable, slower (like with like: the mean time of a handoff through its chain, against
        through the channel's, :func:`~ballotdrill.scoring.chains.figures`), else, sent first with its own fallbacks,
        dropping more handoffs (:func:`~ballotdrill.scoring.chains.more_dropped`: a fallback with none of its own);
        without its structure, failing a larger share of its attempts in this run; empty when not worse."""
        spec = self.structure.channels.get(fallback) if self.structure else None
        seen = self.channel_stats.get(fallback)
        why = []
        if spec is not None and spec.reliability < reliability:
            why.append(f"set at {spec.reliability:.0%} reliable against {reliability:.0%}")
        if spec is not None and self.structure is not None:
            then, now = figures(self.structure, fallback).minutes, figures(self.structure, stats.channel).minutes
            if then > now + 1e-9:
                why.append(f"sent first, a handoff would take about {minutes(then)} on average through it and its "
                           f"fallbacks until it gets through or is dropped, against about {minutes(now)} on "
                           f"{stats.channel} first, as designed (mean latencies, failures at the set reliabilities "
                           "and retries included)")
        if self.structure is not None and not why:
            why.append(more_dropped(self.structure, stats.channel, fallback))
        if spec is None and seen is not None and seen.attempts and stats.attempts and \
                seen.failures / seen.attempts > stats.failures / stats.attempts:
            why.append(f"{seen.failures} of its {seen.attempts} attempt(s) failed in this run, against "
                       f"{stats.failures} of {stats.attempts} on {stats.channel}")
        return "; ".join(w for w in why if w)

    def fallible(self, channel: str) -> bool:
        """Whether ``channel`` can fail at all (a reliability below 1; unknown without a structure)."""
        if channel == DIRECT:
            return False
        spec = self.structure.channels.get(channel) if self.structure else None
        return spec is None or spec.reliability < 1.0

    def procedures_for(self, kind: str, severity: int) -> list[str]:
        """Procedures that detection of an incident of this type and severity starts."""
        if self.structure is None:
            return []
        return [name for name, proc in self.structure.procedures.items()
                if proc.trigger.action is None and proc.trigger.level is None and kind in proc.trigger.types
                and severity >= proc.trigger.min_severity]

    def usual_latency(self, channel: str | None) -> float:
        """The usual latency of ``channel`` (its 90th percentile; 0 for a direct handoff or without a structure)."""
        spec = self.structure.channels.get(channel) if self.structure and channel else None
        return 0.0 if spec is None else usual_latency(spec.latency)

    def usual_duration(self, step: StepResult) -> float | None:
        """The mean duration of ``step``'s work in the structure (None without one)."""
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
