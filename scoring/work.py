"""The report's tables of work over every incident, folded one incident at a time (:class:`WorkFold`).

Handoffs per sender and receiver (the handoff matrix), background arrivals' handoffs per inject
and their steps per procedure step, and how many there are in all: counted over every incident
as the streaming scorer lets go of it, so a report whose background lists are bounded still
tells the whole run in its tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from ballotdrill.scoring.foldrules import InjectTally, LinkTally, StepTally, fold_chains, fold_steps
from ballotdrill.scoring.measured import HandoffLike, StepLike, as_chain, as_step
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


def drawn(steps: int, severity: int, harmed: bool) -> bool:
    """Whether a timeline draws an incident of ``steps`` step instances: with a step, of severity 2 or more, or that
    did harm."""
    return bool(steps) or severity >= 2 or harmed


class WorkFold:
    """Every incident's step instances and handoffs folded in once, in any order."""

    def __init__(self) -> None:
        self.links: dict[tuple[str, str], LinkTally] = {}
        self.order: dict[str, int] = {}
        """Per actor, where it first appears: 2n as the sender of the n-th handoff, 2n + 1 as its receiver."""
        self.injects: dict[str, InjectTally] = {}
        self.steps: dict[tuple[str, str], StepTally] = {}
        self.background_handoffs = self.background_steps = self.drawn = 0

    def add(self, steps: Sequence[tuple[int, StepLike]], chains: Sequence[tuple[int, HandoffLike]],
            background: str | None, drawn: bool) -> None:
        """Fold in one incident's work; ``background``: its inject when it is a background arrival;
        ``drawn``: whether a timeline draws it."""
        fields = [(n, as_chain(chain)) for n, chain in chains]
        group = None if background is None else self.background_arrival(background, len(steps), fields, drawn)
        fold_chains(fields, work=self, group=group)
        if background is not None:
            fold_steps(((n, as_step(step)) for n, step in steps), groups=self.steps)

    def background_arrival(self, inject: str, steps: int, chains: Sequence[tuple[int, HandoffLike]],
                           drawn: bool) -> InjectTally | None:
        """Count an arrival of the background inject ``inject``: ``steps`` step instances, its handoffs ``chains``,
        whether a timeline draws it (``drawn``); the inject's handoffs to fold ``chains`` into (None without any)."""
        self.drawn += drawn
        self.background_steps += steps
        if not chains:
            return None
        self.background_handoffs += len(chains)
        group = self.injects.get(inject)
        if group is None:
            group = self.injects[inject] = InjectTally(chains[0][0])
        return group

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
