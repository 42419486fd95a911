"""What the findings need of every incident, folded one incident at a time (:class:`Digest`).

The streaming scorer folds each incident in once (a background arrival when it is final, the
rest at the end of the run), so the findings count every step instance, handoff and incident
while only the open ones are held: per step of a procedure, its late and on-time instances and
their commonest root cause; per actor, its long waits; per channel, its failed, slow and
overdue handoffs; per incident type, the incidents never worked on; per lever, the harm its delay
caused. A finding about one step instance or handoff (a missed legal deadline, a ping-pong) is
kept for every scripted incident and every arrival within the cap, and beyond it for the
:data:`WORST` worst per lever, with a count of all.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ballotdrill.scenarios.scenario import Scenario
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.advice import Advisor, Cause, ChannelFailures, Incidents, decision_lever, step_lever
from ballotdrill.scoring.background import WORST, AnyArrival, Arrival, recorded
from ballotdrill.scoring.decisions import answers_of
from ballotdrill.scoring.delays import Span, answer_span, slow_delivery, spans_of
from ballotdrill.scoring.designed import loop_span
from ballotdrill.scoring.desks import step_posts
from ballotdrill.scoring.foldrules import QUEUE_P90 as QUEUE_P90  # where the queue findings read it
from ballotdrill.scoring.foldrules import LongWaits as LongWaits
from ballotdrill.scoring.foldrules import fold_chains, fold_steps
from ballotdrill.scoring.harmpath import HarmPaths
from ballotdrill.scoring.harmshare import ScriptedHarm, harm_shares
from ballotdrill.scoring.leftopen import LeftOpen, fold_left_open
from ballotdrill.scoring.measured import HandoffLike, HarmLike, IncidentLike, StepLike, as_chain, as_step
from ballotdrill.scoring.model import EVIDENCE_ROWS, Handoff, Harm, IncidentTimes, Scores, StepResult
from ballotdrill.scoring.ranking import HarmBehind
from ballotdrill.scoring.stepcause import answer_wait, step_cause
from ballotdrill.scoring.text import HARM_MEASURES
from ballotdrill.scoring.unreached import Unreached
from ballotdrill.scoring.work import WorkFold, drawn


class Case(NamedTuple):
    """One step instance or handoff a finding is about, with its root cause, in the run's order (``n``)."""

    n: int
    step: StepResult | None
    chain: Handoff | None
    cause: Cause | None


class Cases:
    """The cases of one kind on one lever: every one counted; kept whole for scripted incidents and arrivals
    within the cap, and beyond it the :data:`WORST` of the largest ``size``."""

    __slots__ = ("beyond", "count", "kept")

    def __init__(self) -> None:
        self.count = 0
        self.kept: list[Case] = []
        self.beyond: list[tuple[float, int, Case]] = []

    def add(self, case: Case, size: float, listed: bool) -> None:
        self.count += 1
        if listed:
            self.kept.append(case)
        elif len(self.beyond) < WORST:
            heapq.heappush(self.beyond, (size, -case.n, case))
        elif (size, -case.n) > self.beyond[0][:2]:
            heapq.heapreplace(self.beyond, (size, -case.n, case))

    def cases(self) -> list[Case]:
        """The cases kept, in the run's order."""
        return sorted([*self.kept, *(c for _, _, c in self.beyond)], key=lambda c: c.n)


class Example(NamedTuple):
    """A late step instance with its root cause and the context to redo it (its incident's steps and handoffs)."""

    key: tuple[float, int]
    step: StepResult
    cause: Cause
    steps: Sequence[StepResult]
    chains: Sequence[Handoff]


class LateStep:
    """One step of a procedure: its late instances (the worst, the commonest cause and its best example),
    those still open, those on time (the first, the earliest rows), the incidents (bounded)."""

    __slots__ = ("causes", "examples", "first_late", "first_on_time", "incidents", "late", "on_time", "on_time_rows",
                 "still", "subjects", "worst")

    def __init__(self, pinned: frozenset[str]) -> None:
        self.late = self.still = self.on_time = 0
        self.first_late: int | None = None
        self.worst: tuple[tuple[float, int], StepResult] | None = None
        self.causes: Counter[tuple[str, str]] = Counter()
        self.examples: dict[tuple[str, str], Example] = {}
        self.incidents = Incidents(pinned)
        self.subjects: set[str] = set()
        self.first_on_time: tuple[int, StepResult] | None = None
        self.on_time_rows: list[int] = []
        """A heap of the 10 earliest rows (as ``-row``) of the on-time instances."""

    def add_late(self, n: int, step: StepResult, cause: Cause, steps: Sequence[StepResult],
                 chains: Sequence[Handoff]) -> None:
        self.late += 1
        if self.first_late is None or n < self.first_late:
            self.first_late = n
        self.still += step.status != "completed"
        key = (step.late_by or 0.0, -step.evidence[-1])
        if self.worst is None or key > self.worst[0]:
            self.worst = (key, step)
        kind = (cause.kind, cause.lever)
        self.causes[kind] += 1
        best = self.examples.get(kind)
        if best is None or key > best.key:
            self.examples[kind] = Example(key, step, cause, steps, chains)
        self.incidents.add(step.incident)
        if step.incident in self.incidents.pinned:
            self.subjects.add(step.incident)

    def add_on_time(self, n: int, step: StepResult) -> None:
        self.on_time += 1
        if self.first_on_time is None or n < self.first_on_time[0]:
            self.first_on_time = (n, step)
        row = -step.evidence[-1]
        if len(self.on_time_rows) < 10:
            heapq.heappush(self.on_time_rows, row)
        elif row > self.on_time_rows[0]:
            heapq.heapreplace(self.on_time_rows, row)

    def main_cause(self) -> Example:
        """The root cause shared by most late instances (ties: the one of the latest), with its latest example."""
        best = max(self.examples.values(), key=lambda e: (self.causes[(e.cause.kind, e.cause.lever)], e.key))
        return best


class Slow:
    """Handoffs on one channel slower than it usually takes without failing: received late (:func:`.slow_delivery`),
    or still travelling past its usual latency at the end (overdue); the longest by the time taken."""

    __slots__ = ("count", "first", "incidents", "longest", "longest_of")

    def __init__(self, pinned: frozenset[str]) -> None:
        self.count = 0
        self.longest: tuple[tuple[float, float], Handoff] | None = None
        self.longest_of: dict[str, tuple[tuple[float, float], Handoff]] = {}
        """The longest of each incident an objective names, which a finding explaining it names."""
        self.first: list[tuple[int, list[int]]] = []
        """The first 10 (in the run's order) as ``(-n, evidence)`` in a heap."""
        self.incidents = Incidents(pinned)

    def add(self, n: int, chain: Handoff) -> None:
        self.count += 1
        key = (chain.latency if chain.latency is not None else chain.in_transit_for or 0.0, -chain.sent_at)
        if self.longest is None or key > self.longest[0]:
            self.longest = (key, chain)
        if chain.incident in self.incidents.pinned and (
                chain.incident not in self.longest_of or key > self.longest_of[chain.incident][0]):
            self.longest_of[chain.incident] = (key, chain)
        if len(self.first) < 10:
            heapq.heappush(self.first, (-n, chain.evidence))
        elif -n > self.first[0][0]:
            heapq.heapreplace(self.first, (-n, chain.evidence))
        self.incidents.add(chain.incident)


class Unanswered:
    """Incidents of one type detected but never worked on: how many, the highest severity, their harm per
    measure, and the first :data:`~ballotdrill.scoring.model.EVIDENCE_ROWS` by start (and those the objectives
    name)."""

    __slots__ = ("count", "first", "harm", "pinned", "severity")

    def __init__(self, pinned: frozenset[str]) -> None:
        self.count = self.severity = 0
        self.first: list[tuple[int, IncidentTimes]] = []
        """A heap of the first by start, as ``(-n, times)``."""
        self.pinned: dict[int, IncidentTimes] = {}
        self.harm = dict.fromkeys(HARM_MEASURES, 0.0)

    def add(self, n: int, times: IncidentTimes, pinned: bool) -> None:
        self.count += 1
        self.severity = max(self.severity, times.severity)
        if pinned:
            self.pinned[n] = times
        if len(self.first) < EVIDENCE_ROWS:
            heapq.heappush(self.first, (-n, times))
        elif -n > self.first[0][0]:
            heapq.heapreplace(self.first, (-n, times))

    def kept(self) -> list[IncidentTimes]:
        """The incidents kept, in start order."""
        found = {-k: t for k, t in self.first} | self.pinned
        return [found[n] for n in sorted(found)]

    def first_one(self) -> IncidentTimes:
        return self.kept()[0]

    def ids(self) -> list[str]:
        return [t.incident for t in self.kept()]


class Digest:
    """Every incident folded in once, in any order; ``listed(arrival)`` says whether its cases are kept whole."""

    def __init__(self, names: dict[str, str], structure: Structure | None, pinned: Iterable[str] = (),
                 on_time_subjects: Iterable[str] = (), scenario: Scenario | None = None) -> None:
        self.advice = Advisor(None, names, structure, failures={}, unstaffed_at={})
        self.paths = HarmPaths(structure, scenario)
        """Which steps could change an incident's harm (``scenario``: which incidents have a natural end)."""
        self.pinned = frozenset(pinned)
        self.posts = step_posts(structure)
        """The steps done at a post: their waits are the post's (:mod:`.desks`)."""
        self.deadlines: dict[str, Cases] = defaultdict(Cases)
        self.ping_pongs: dict[str, Cases] = defaultdict(Cases)
        self.steps: dict[tuple[str, str], LateStep] = {}
        self.waits: dict[str, LongWaits] = {}
        self.failures: dict[str, ChannelFailures] = defaultdict(ChannelFailures)
        self.dropped_on: dict[str, ChannelFailures] = defaultdict(ChannelFailures)
        """Per channel, the handoffs dropped on it after falling back to it (their failures are their first
        channel's): who sent them, when no handoff sent first on it failed."""
        self.unstaffed_at: dict[str, float] = {}
        self.overdue: dict[str, Slow] = {}
        self.slow: dict[str, Slow] = {}
        """Per channel, the handoffs received later than it usually takes without failing."""
        self.unanswered: dict[str, Unanswered] = {}
        self.left_open: dict[str, LeftOpen] = {}
        """Per procedure, its background incidents left open after their containment failed (:mod:`.leftopen`)."""
        self.harm_total = dict.fromkeys(HARM_MEASURES, 0.0)
        self.lever_harm: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(HARM_MEASURES, 0.0))
        self.work = WorkFold()
        self.on_time_levers: dict[str, dict[str, tuple[int, int]]] = {s: {} for s in on_time_subjects}
        """Per on-time objective's subject: per lever, the late steps it explains and the first of them."""
        self.unreached: list[Unreached] = []
        """Legal deadlines of steps the response never reached (:mod:`.unreached`): set by the scorer at the end."""
        self.on_time_counts: dict[str, tuple[int, int]] = dict.fromkeys(on_time_subjects, (0, 0))
        """Per on-time objective's subject: the steps with a target it counts, and those on time."""
        self.capped: Callable[[str, float], float | None] = _never_capped
        """t when an incident's wave reached its cap, by a given time (None: it did not, or it is not known): set by
        the scorer (:meth:`~ballotdrill.scoring.wavecap.WaveCaps.capped_at`); asked once per incident folded in."""
        self.scripted_harm: dict[str, ScriptedHarm] = {}
        """Per scripted incident that did harm: when its wave reached its cap and the levers behind its harm (for
        harm no objective measures, :mod:`.unmeasured`)."""

    def late_step(self, procedure: str, step: str) -> LateStep:
        found = self.steps.get((procedure, step))
        if found is None:
            found = self.steps[(procedure, step)] = LateStep(self.pinned)
        return found

    def add(self, n: int, times: IncidentTimes | None, harm: Harm | None, steps: Sequence[tuple[int, StepResult]],
            chains: Sequence[tuple[int, Handoff]], until: float | None, listed: bool = True) -> None:
        """Fold in the ``n``-th incident to start (``times`` None: work of no started incident); ``until``: where
        the run stopped (None while it plays: the incident's work has all ended); ``listed``: keep its cases
        whole."""
        self._count(times, harm, steps, chains)
        self._findings(n, times, harm, steps, chains, until, listed)

    def _count(self, times: IncidentLike | None, harm: HarmLike | None, steps: Sequence[tuple[int, StepLike]],
               chains: Sequence[tuple[int, HandoffLike]]) -> None:
        """What every incident adds whatever its findings: its work, long waits, unstaffed queues and harm."""
        background = times.inject if times is not None and times.background else None
        step_fields = [(n, as_step(step)) for n, step in steps]
        chain_fields = [(n, as_chain(chain)) for n, chain in chains]
        work = self.work
        if background is None:
            fold_chains(chain_fields, work=work)
            fold_steps(step_fields, digest=self)
        else:
            drawn_too = drawn(len(steps), times.severity if times is not None else 0, harm is not None and harm.nonzero)
            fold_chains(chain_fields, work=work,
                        group=work.background_arrival(background, len(steps), chain_fields, drawn_too))
            fold_steps(step_fields, groups=work.steps, digest=self)
        if times is not None and harm is not None:
            self.count_harm(harm)

    def count_harm(self, harm: HarmLike) -> None:
        """Add an incident's harm to the run's."""
        for m in HARM_MEASURES:
            self.harm_total[m] += float(getattr(harm, m))

    def add_cases(self, arrival: AnyArrival, listed: bool) -> None:
        """The cases of a final background arrival a finding may name (its counts folded in apart)."""
        whole = recorded(arrival)
        self._findings(whole.n, whole.times, whole.harm, whole.steps, whole.chains, None, listed)

    def _findings(self, n: int, times: IncidentTimes | None, harm: Harm | None, steps: Sequence[tuple[int, StepResult]],
                  chains: Sequence[tuple[int, Handoff]], until: float | None, listed: bool) -> None:
        """The cases of one incident a finding may name: late and missed-deadline steps with their causes, failed,
        overdue and returned handoffs, work never begun, the harm behind each lever."""
        plain_steps, plain_chains = [s for _, s in steps], [c for _, c in chains]
        local: Advisor | None = None  # the incident's own context, made when a late step needs its cause
        harmful = harm is not None and harm.nonzero  # its delays count only against harm it did
        every = self.paths.for_incident(times, {s.procedure for s in plain_steps}) if harmful else False
        spans: list[Span] = []
        counts = self.on_time_counts
        for n, step in steps:
            cause = None
            if counts and step.on_time is not None:
                for subject in ("all", step.procedure):
                    if subject in counts:
                        counted, met = counts[subject]
                        counts[subject] = (counted + 1, met + bool(step.on_time))
            if step.deadline_met is False or step.on_time is False:
                if local is None:
                    local = self.advice.local(plain_steps, plain_chains, until)
                cause = step_cause(step, local)
            if step.deadline_met is False:
                self.deadlines[step_lever(step.procedure, step.step)].add(
                    Case(n, step, None, cause), step.elapsed or 0.0, listed)
            if step.on_time is False and cause is not None:
                self.late_step(step.procedure, step.step).add_late(n, step, cause, plain_steps, plain_chains)
                for subject, levers in self.on_time_levers.items():
                    if subject in ("all", step.procedure):
                        count, first = levers.get(cause.lever, (0, n))
                        levers[cause.lever] = (count + 1, min(first, n))
            elif step.on_time:
                self.late_step(step.procedure, step.step).add_on_time(n, step)
            if harmful and self.paths.moves(step.procedure, step.step, every):  # only delays that could change it
                spans.extend(spans_of(step, None, cause, self.advice, until))
                answer = answer_wait(step, self.advice)
                if answer is not None:  # a decision's wait for its answer: on its actor's decisions, no work
                    answer_span(spans, answer, decision_lever(step.actor), True)
        for n, chain in chains:
            if chain.failures:
                self.failures[chain.first_channel or "direct"].add(chain)
                if chain.status == "dropped" and chain.channel != chain.first_channel:
                    self.dropped_on[chain.channel or "direct"].add(chain)
            overdue = chain.status == "in_transit" and chain.overdue
            if overdue or slow_delivery(chain, self.advice):
                kept = self.overdue if overdue else self.slow
                channel = str(chain.channel or "direct")
                found = kept.get(channel)
                if found is None:
                    found = kept[channel] = Slow(self.pinned)
                found.add(n, chain)
            if chain.ping_pong:
                self.ping_pongs[step_lever(chain.procedure, chain.step)].add(Case(n, None, chain, None), 0.0, listed)
            if harmful and self.paths.moves(chain.procedure, chain.step, every):
                loop = loop_span(chain, plain_steps, until) if chain.ping_pong else None
                spans.extend(spans_of(None, chain, None, self.advice, until, loop=loop))
        left = fold_left_open(self.left_open, times, plain_steps, plain_chains, self.advice.structure, until)
        if left is not None and harmful:  # the harm done after the failure is its procedure's
            spans.append(left)
        if times is not None and harm is not None:
            self._incident(n, times, harm, bool(steps or chains), spans, until)

    def late_steps(self) -> list[tuple[tuple[str, str], LateStep]]:
        """Each step with a late instance, in the order its first late instance appeared."""
        found = [(key, group) for key, group in self.steps.items() if group.first_late is not None]
        return sorted(found, key=lambda kg: kg[1].first_late or 0)

    def on_time_steps(self) -> list[tuple[tuple[str, str], LateStep]]:
        """Each step never late with an on-time instance, in the order its first instance appeared."""
        found = [(key, group) for key, group in self.steps.items()
                 if group.first_late is None and group.first_on_time is not None]
        return sorted(found, key=lambda kg: kg[1].first_on_time[0] if kg[1].first_on_time else 0)

    @staticmethod
    def in_order(kept: dict[str, Cases]) -> list[tuple[Case, Cases]]:
        """Every case kept (deadlines missed, ping-pongs) in the run's order, each with its lever's cases."""
        return sorted(((case, cases) for cases in kept.values() for case in cases.cases()), key=lambda cc: cc[0].n)

    def overdue_channels(self) -> list[tuple[str, Slow]]:
        """Channels with handoffs overdue at the end, in the order of the first of them."""
        return sorted(self.overdue.items(), key=lambda co: -max(co[1].first)[0])

    def slow_channels(self) -> list[tuple[str, Slow]]:
        """Channels with handoffs received later than they usually take without failing, in the order of the first
        of them."""
        return sorted(self.slow.items(), key=lambda co: -max(co[1].first)[0])

    def unanswered_types(self) -> list[tuple[str, Unanswered]]:
        """Incident types with incidents never worked on, in the order of the first of them."""
        return sorted(self.unanswered.items(), key=lambda tu: -max(tu[1].first)[0] if tu[1].first else 0)

    def harm_behind(self) -> HarmBehind:
        """The run's harm, and the part of it behind each lever and each incident type nobody worked on."""
        return HarmBehind(self.harm_total, self.lever_harm,
                          {f"type:{kind}": never.harm for kind, never in self.unanswered.items()})

    def _incident(self, n: int, times: IncidentTimes, harm: Harm, worked: bool, spans: list[Span],
                  until: float | None) -> None:
        amounts = {m: float(getattr(harm, m)) for m in HARM_MEASURES}
        if unanswered(times, harm, worked):
            found = self.unanswered.get(times.type)
            if found is None:
                found = self.unanswered[times.type] = Unanswered(self.pinned)
            found.add(n, times, times.incident in self.pinned)
            for m, amount in amounts.items():
                found.harm[m] += amount
        start = times.started_at
        end = start + times.to_contain if times.to_contain is not None else float(until or 0.0)
        capped, polls = self.capped(times.incident, end), harm.polls
        if not harm.nonzero:
            return
        behind = harm_shares(spans, start, end, capped, polls)  # per measure, over its harm window
        if not times.background:
            self.scripted_harm[times.incident] = ScriptedHarm(capped, behind)
        for lever in dict.fromkeys(lever for shares in behind.values() for lever in shares):
            shares = self.lever_harm[lever]
            for m, amount in amounts.items():
                share = behind[m].get(lever)
                if amount and share:
                    shares[m] += amount * share


def _never_capped(incident: str, until: float) -> float | None:
    return None


def unanswered(times: IncidentLike, harm: HarmLike, worked: bool) -> bool:
    """Whether an incident was detected and never worked on nor resolved (nor ended by the run)."""
    return times.to_detect is not None and times.to_resolve is None and not worked \
        and times.contained_how != "ended" and (times.severity >= 2 or harm.nonzero)


def digest_of(scores: Scores, names: dict[str, str], structure: Structure | None,
              scenario: Scenario | None = None) -> Digest:
    """The digest of complete ``scores`` (every incident in its lists, all kept whole; ``scenario``: which of
    them have a natural end)."""
    objectives = scores.objectives
    digest = Digest(names, structure, {w for o in objectives for w in o.subject.split()},
                    {o.subject for o in objectives if o.kind == "on_time"}, scenario)
    digest.advice.answers, digest.advice.start = answers_of(scores.decisions), scores.start
    steps: dict[str, list[tuple[int, StepResult]]] = defaultdict(list)
    chains: dict[str, list[tuple[int, Handoff]]] = defaultdict(list)
    for n, step in enumerate(scores.steps):
        steps[step.incident].append((n, step))
    for n, chain in enumerate(scores.handoffs):
        chains[chain.incident].append((n, chain))
    harm = {h.incident: h for h in scores.harm}
    for n, inc in enumerate(scores.incidents):
        digest.add(n, inc, harm.get(inc.incident) or Harm(incident=inc.incident), steps.pop(inc.incident, []),
                   chains.pop(inc.incident, []), scores.until)
    for incident in sorted({*steps, *chains}):  # work of no started incident
        digest.add(-1, None, None, steps[incident], chains[incident], scores.until)
    return digest


def fold_arrival(digest: Digest, arrival: Arrival, until: float | None, listed: bool) -> None:
    """Fold one scored incident into ``digest``."""
    digest.add(arrival.n, arrival.times, arrival.harm, arrival.steps, arrival.chains, until, listed)
