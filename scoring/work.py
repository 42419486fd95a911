"""The report's tables of work over every incident, folded one incident at a time (:class:`WorkFold`).

Handoffs per sender and receiver (the handoff matrix), background arrivals' handoffs per inject
and their steps per procedure step, and how many there are in all: counted over every incident
as the streaming scorer lets go of it, so a report whose background lists are bounded still
tells the whole run in its tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from ballotdrill.scoring.exactsum import ExactSum
from ballotdrill.scoring.measured import HandoffLike, StepLike
from ballotdrill.scoring.model import Frozen


class LinkRow(Frozen):
    """Every handoff from one actor to another, summed."""

    sender: str
    receiver: str
    channels: list[str]
    count: int
    mean_latency: float | None
    max_latency: float | None
    failures: int
    lost: int
    ping_pongs: int


class InjectHandoffs(Frozen):
    """The handoffs of one background inject's arrivals."""

    inject: str
    handoffs: int
    failed_attempts: int
    rerouted: int
    not_received: int
    longest_latency: float | None


class StepGroup(Frozen):
    """The instances of one procedure step in background arrivals (``actor``: the first one's)."""

    procedure: str
    step: str
    actor: str
    instances: int
    late: int
    unfinished: int
    longest_wait: float | None
    worst_late: float | None


class WorkTables(Frozen):
    """The report's tables of work, over every incident of the run."""

    links: list[LinkRow] = Field(default_factory=list)
    """In the order actors first send or receive a handoff (senders, then receivers)."""
    actor_order: dict[str, int] = Field(default_factory=dict)
    background_handoffs: list[InjectHandoffs] = Field(default_factory=list)
    background_steps: list[StepGroup] = Field(default_factory=list)
    background_handoff_count: int = 0
    background_step_count: int = 0
    background_drawn: int = 0
    """Background arrivals a timeline would draw: with a step, of severity 2 or more, or that did harm."""


class _Link:
    __slots__ = ("channels", "count", "failures", "latencies", "longest", "lost", "ping_pongs")

    def __init__(self) -> None:
        self.channels: set[str] = set()
        self.count = self.failures = self.lost = self.ping_pongs = 0
        self.latencies = ExactSum()
        self.longest: float | None = None


class _Inject:
    __slots__ = ("failed", "first", "handoffs", "longest", "not_received", "rerouted")

    def __init__(self, n: int) -> None:
        self.first = n
        self.handoffs = self.failed = self.rerouted = self.not_received = 0
        self.longest: float | None = None


class _Step:
    __slots__ = ("actor", "first", "instances", "late", "unfinished", "wait", "worst")

    def __init__(self, n: int, actor: str) -> None:
        self.first, self.actor = n, actor
        self.instances = self.late = self.unfinished = 0
        self.wait: float | None = None
        self.worst: float | None = None


class WorkFold:
    """Every incident's step instances and handoffs folded in once, in any order."""

    def __init__(self) -> None:
        self.links: dict[tuple[str, str], _Link] = {}
        self.order: dict[str, int] = {}
        """Per actor, where it first appears: 2n as the sender of the n-th handoff, 2n + 1 as its receiver."""
        self.injects: dict[str, _Inject] = {}
        self.steps: dict[tuple[str, str], _Step] = {}
        self.background_handoffs = self.background_steps = self.drawn = 0

    def add(self, steps: Sequence[tuple[int, StepLike]], chains: Sequence[tuple[int, HandoffLike]],
            background: str | None, drawn: bool) -> None:
        """Fold in one incident's work; ``background``: its inject when it is a background arrival;
        ``drawn``: whether a timeline draws it."""
        order, links = self.order, self.links
        group = None
        if background is not None and chains:
            self.background_handoffs += len(chains)
            group = self.injects.get(background)
            if group is None:
                group = self.injects[background] = _Inject(chains[0][0])
        for n, chain in chains:
            sender, receiver = chain.sender, chain.receiver
            seen = order.get(sender)
            if seen is None or 2 * n < seen:  # an actor's first appearance: (n, 0) as a sender, (n, 1) as a receiver
                order[sender] = 2 * n
            seen = order.get(receiver)
            if seen is None or 2 * n + 1 < seen:
                order[receiver] = 2 * n + 1
            link = links.get((sender, receiver))
            if link is None:
                link = links[(sender, receiver)] = _Link()
            link.count += 1
            status, latency, failures = chain.status, chain.latency, chain.failures
            link.channels.add(chain.first_channel or "direct")
            if status == "received":
                link.channels.add(chain.channel or "direct")
            if latency is not None:
                link.latencies.add(latency)
                if link.longest is None or latency > link.longest:
                    link.longest = latency
            link.failures += failures
            if status == "dropped":
                link.lost += 1
            if chain.ping_pong:
                link.ping_pongs += 1
            if group is not None:
                if n < group.first:
                    group.first = n
                group.handoffs += 1
                group.failed += failures
                group.rerouted += chain.rerouted
                if status != "received":
                    group.not_received += 1
                if latency is not None and (group.longest is None or latency > group.longest):
                    group.longest = latency
        if background is None:
            return
        self.drawn += drawn
        self.background_steps += len(steps)
        groups = self.steps
        for n, step in steps:
            key = (step.procedure, step.step)
            found = groups.get(key)
            if found is None:
                found = groups[key] = _Step(n, step.actor)
            elif n < found.first:
                found.first, found.actor = n, step.actor
            found.instances += 1
            if step.on_time is False:
                found.late += 1
            if step.completed_at is None:
                found.unfinished += 1
            wait = step.wait
            if wait is not None and (found.wait is None or wait > found.wait):
                found.wait = wait
            late = step.late_by
            if late and (found.worst is None or late > found.worst):
                found.worst = late

    def tables(self) -> WorkTables:
        ranked = sorted(self.order, key=self.order.__getitem__)
        order = {actor: i for i, actor in enumerate(ranked)}
        links = [LinkRow(sender=s, receiver=r, channels=sorted(x.channels), count=x.count,
                         mean_latency=x.latencies.mean(), max_latency=x.longest, failures=x.failures, lost=x.lost,
                         ping_pongs=x.ping_pongs)
                 for (s, r), x in sorted(self.links.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))]
        injects = sorted(self.injects.items(), key=lambda kv: kv[1].first)
        steps = sorted(self.steps.items(), key=lambda kv: kv[1].first)
        return WorkTables(
            links=links, actor_order=order,
            background_handoffs=[InjectHandoffs(inject=k, handoffs=g.handoffs, failed_attempts=g.failed,
                                                rerouted=g.rerouted, not_received=g.not_received,
                                                longest_latency=g.longest) for k, g in injects],
            background_steps=[StepGroup(procedure=p, step=st, actor=g.actor, instances=g.instances, late=g.late,
                                        unfinished=g.unfinished, longest_wait=g.wait, worst_late=g.worst)
                              for (p, st), g in steps],
            background_handoff_count=self.background_handoffs, background_step_count=self.background_steps,
            background_drawn=self.drawn,
        )
