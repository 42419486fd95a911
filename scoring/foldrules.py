"""What one step instance and one handoff add to each running aggregate: every fold rule, once.

The run-wide counts (:mod:`.tally`), the busy time per desk and clock hour (:mod:`.load`), the background
aggregate per actor (:mod:`.background`), the report's work tables (:mod:`.work`) and the findings' long waits and
unstaffed queues (:mod:`.digest`) all read a few fields of the same step instances and handoffs. Each folds them
here: :func:`fold_steps` and :func:`fold_chains` unpack every item once (its :mod:`.measured` fields as locals)
and update each aggregate they are given from them. A final arrival let go while the run plays (:mod:`.letgo`) is
given to all of them in one pass; what is held to the end, and a report's tables made again from its scores, to
those that count it. Records are folded as their fields (:func:`~.measured.as_step`, :func:`~.measured.as_chain`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from ballotdrill.scoring.advice import Advisor, Incidents
from ballotdrill.scoring.delays import delivered_late
from ballotdrill.scoring.exactsum import ExactSum
from ballotdrill.scoring.foldone import ChainCounts, LoadFold, StepCounts, fold_chain, fold_step
from ballotdrill.scoring.measured import HandoffMeasure, StepMeasure

QUEUE_P90 = 15.0
"""Minutes of 90th-percentile queue wait from which an actor's queue is an area for improvement."""
_new: Any = tuple.__new__


class ActorSteps:
    """One actor's step instances in background arrivals: how many, with a target, late, and their waits."""

    __slots__ = ("late_steps", "steps", "steps_with_target", "waits")

    def __init__(self) -> None:
        self.steps = self.steps_with_target = self.late_steps = 0
        self.waits = array("d")


class StepTally:
    """The instances of one procedure step in background arrivals (``actor``: the first one's)."""

    __slots__ = ("actor", "first", "instances", "late", "unfinished", "wait", "worst")

    def __init__(self, n: int, actor: str) -> None:
        self.first, self.actor = n, actor
        self.instances = self.late = self.unfinished = 0
        self.wait: float | None = None
        self.worst: float | None = None


class LinkTally:
    """Every handoff from one actor to another."""

    __slots__ = ("channels", "count", "failures", "latencies", "longest", "lost", "ping_pongs")

    def __init__(self) -> None:
        self.channels: set[str] = set()
        self.count = self.failures = self.lost = self.ping_pongs = 0
        self.latencies = ExactSum()
        self.longest: float | None = None


class InjectTally:
    """The handoffs of one background inject's arrivals (``first``: the earliest one's ordinal)."""

    __slots__ = ("failed", "first", "handoffs", "longest", "not_received", "rerouted")

    def __init__(self, n: int) -> None:
        self.first = n
        self.handoffs = self.failed = self.rerouted = self.not_received = 0
        self.longest: float | None = None


class LongWaits:
    """An actor's step instances that waited at least :data:`QUEUE_P90`: how many, how many began with nobody on
    duty, their incidents."""

    __slots__ = ("count", "incidents", "unstaffed")

    def __init__(self, pinned: frozenset[str]) -> None:
        self.count = self.unstaffed = 0
        self.incidents = Incidents(pinned)


class UsualLatencies(dict[str, float]):
    """Each channel's usual latency, asked of ``advice`` once per channel (the run does not change it): look one up
    with ``usual[channel]`` (a dictionary's lookup, no Python call once known)."""

    def __init__(self, advice: Advisor) -> None:
        super().__init__()
        self.advice = advice

    def __missing__(self, channel: str) -> float:
        found = self[channel] = self.advice.usual_latency(channel)
        return found



class DigestFold(Protocol):
    """What :func:`fold_steps` updates of a :class:`~ballotdrill.scoring.digest.Digest`."""

    @property
    def waits(self) -> dict[str, LongWaits]: ...
    @property
    def unstaffed_at(self) -> dict[str, float]: ...
    @property
    def pinned(self) -> frozenset[str]: ...
    @property
    def posts(self) -> dict[tuple[str, str], str]: ...


class WorkLinks(Protocol):
    """What :func:`fold_chains` updates of a :class:`~ballotdrill.scoring.work.WorkFold`."""

    @property
    def order(self) -> dict[str, int]: ...
    @property
    def links(self) -> dict[tuple[str, str], LinkTally]: ...


def fold_steps(steps: Iterable[tuple[int, StepMeasure]], load: LoadFold | None = None,
               until: float | None = None, actors: dict[str, ActorSteps] | None = None,
               groups: dict[tuple[str, str], StepTally] | None = None, digest: DigestFold | None = None) -> StepCounts:
    """Fold the numbered ``steps`` into each aggregate given, and count them (:class:`StepCounts`).

    ``load``: their busy time per desk and clock hour and the work still queued, ``until`` where the run stopped
    (None: before the end, for steps that all ended; both: :func:`fold_step`); ``actors``: the background aggregate
    per actor; ``groups``: the work tables' instances per procedure step; ``digest``: the findings' long waits and
    unstaffed queues.
    """
    counts = [0, 0, 0, 0, 0]
    if digest is not None:
        long_waits, unstaffed_at, pinned = digest.waits, digest.unstaffed_at, digest.pinned
        posts = digest.posts  # a post's waits are the post's (:mod:`.desks`)
    for n, step in steps:
        (incident, procedure, name, actor, queued_at, began, end, wait, _, _, late_by, on_time, _,
         deadline_met, _, unstaffed, status, evidence) = step
        fold_step(counts, load, until, actor, began, end, wait, on_time, deadline_met, status, evidence)
        if actors is not None:
            own = actors.get(actor)
            if own is None:
                own = actors[actor] = ActorSteps()
            own.steps += 1
            if on_time is not None:
                own.steps_with_target += 1
                if on_time is False:
                    own.late_steps += 1
            if wait is not None:
                own.waits.append(wait)
        if groups is not None:
            key = (procedure, name)
            found = groups.get(key)
            if found is None:
                found = groups[key] = StepTally(n, actor)
            elif n < found.first:
                found.first, found.actor = n, actor
            found.instances += 1
            if on_time is False:
                found.late += 1
            if end is None:
                found.unfinished += 1
            if wait is not None and (found.wait is None or wait > found.wait):
                found.wait = wait
            if late_by and (found.worst is None or late_by > found.worst):
                found.worst = late_by
        if digest is not None:
            if (wait or 0.0) >= QUEUE_P90:
                post = posts.get((procedure, name)) if posts else None
                desk = actor if post is None else f"{actor}/{post}"
                waits = long_waits.get(desk)
                if waits is None:
                    waits = long_waits[desk] = LongWaits(pinned)
                waits.count += 1
                waits.unstaffed += unstaffed
                waits.incidents.add(incident)
            if unstaffed and queued_at is not None:
                unstaffed_at[actor] = min(queued_at, unstaffed_at.get(actor, queued_at))
    counted: StepCounts = _new(StepCounts, counts)
    return counted


def fold_chains(chains: Iterable[tuple[int, HandoffMeasure]], latencies: ExactSum | None = None,
                work: WorkLinks | None = None, group: InjectTally | None = None,
                usual: Callable[[str], float] | None = None) -> tuple[ChainCounts, bool]:
    """Fold the numbered ``chains`` into each aggregate given, and count them (:class:`ChainCounts`).

    ``latencies``: the run-wide latencies; ``work``: the work tables' links and the order actors appear in;
    ``group``: their background inject's handoffs. With ``usual`` (a channel's usual latency, e.g. a
    :class:`UsualLatencies`' lookup), also whether a finding may name one of them (:meth:`Digest.add
    <ballotdrill.scoring.digest.Digest.add>` looks at a handoff that failed, came back, is overdue in transit or was
    delivered slowly: :func:`~.delays.slow_delivery`); else False.
    """
    counts = [0] * len(ChainCounts._fields)
    named = False
    if work is not None:
        order, links = work.order, work.links
    for n, chain in chains:
        (_, _, _, sender, receiver, first_channel, channel, _, _, latency, _, failures, state, _, _,
         is_overdue, is_rerouted, ping_pong, _, is_unstaffed, _) = chain
        fold_chain(counts, state, failures, is_rerouted, ping_pong, is_overdue, is_unstaffed)
        if latency is not None and latencies is not None:
            latencies.add(latency)
        if work is not None:
            seen = order.get(sender)
            if seen is None or 2 * n < seen:  # an actor's first appearance: (n, 0) as a sender, (n, 1) as a receiver
                order[sender] = 2 * n
            seen = order.get(receiver)
            if seen is None or 2 * n + 1 < seen:
                order[receiver] = 2 * n + 1
            link = links.get((sender, receiver))
            if link is None:
                link = links[(sender, receiver)] = LinkTally()
            link.count += 1
            link.channels.add(first_channel or "direct")
            if state == "received":
                link.channels.add(channel or "direct")
            if latency is not None:
                link.latencies.add(latency)
                if link.longest is None or latency > link.longest:
                    link.longest = latency
            link.failures += failures
            if state == "dropped":
                link.lost += 1
            if ping_pong:
                link.ping_pongs += 1
        if group is not None:
            if n < group.first:
                group.first = n
            group.handoffs += 1
            group.failed += failures
            group.rerouted += is_rerouted
            if state != "received":
                group.not_received += 1
            if latency is not None and (group.longest is None or latency > group.longest):
                group.longest = latency
        if usual is not None and not named:
            named = bool(failures or ping_pong or (state == "in_transit" and is_overdue)) \
                or delivered_late(state, failures, channel, latency, usual)
    counted: ChainCounts = _new(ChainCounts, counts)
    return counted, named
