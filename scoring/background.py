"""Background arrivals as aggregates, and the bounded list of them shown one by one.

Scripted incidents are always listed in full. A background (``every:``) inject's arrivals are
listed up to :data:`DETAIL_CAP` (in start order), plus its :data:`WORST` worst cases by time to
contain (still open first) and by harm; every arrival is counted in the aggregates per inject,
per incident type and per actor, whatever was listed. Below the cap nothing changes.

The aggregates are folded one arrival at a time (:class:`BackgroundFold`), each when it is final
(the streaming scorer lets go of it then) or at the end of the run: memory holds the running
aggregates, the arrivals listed so far and the worst-case candidates, never every arrival.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from ballotdrill.scoring.foldone import ChainCounts, StepCounts
from ballotdrill.scoring.foldrules import ActorSteps, fold_chains, fold_steps
from ballotdrill.scoring.load import p90_sorted
from ballotdrill.scoring.measured import HandoffMeasure, HarmMeasure, IncidentMeasure, StepMeasure, as_chain, as_step
from ballotdrill.scoring.model import (
    ActorArrivals,
    ArrivalStats,
    Background,
    Handoff,
    Harm,
    IncidentTimes,
    Scores,
    Spread,
    StepResult,
    r3,
    unchecked,
)

DETAIL_CAP = 500
"""Background arrivals listed one by one per inject (in start order), besides the worst cases."""
_new: Any = tuple.__new__
WORST = 10
"""Worst cases listed per inject and per criterion (time to contain, harm) beyond the cap."""


def spread(values: Iterable[float]) -> Spread:
    """Count, median, 90th percentile (nearest rank) and maximum of ``values``, from one sort of them (the median as
    :func:`statistics.median` takes it: the middle value, or the mean of the middle two)."""
    ordered = sorted(values)
    count = len(ordered)
    if not count:
        return Spread()
    half = count // 2
    middle = ordered[half] if count % 2 else (ordered[half - 1] + ordered[half]) / 2
    return Spread(count=count, median=r3(middle), p90=r3(p90_sorted(ordered)), max=r3(ordered[-1]))


class Arrival(NamedTuple):
    """One incident with everything scored of it, numbered in the run's order (what the lists are sorted by)."""

    n: int
    """Its start ordinal: the n-th incident to start."""
    times: IncidentTimes
    harm: Harm
    steps: list[tuple[int, StepResult]]
    chains: list[tuple[int, Handoff]]

    @property
    def harm_sum(self) -> float:
        return self.harm.reach + self.harm.voter_minutes + self.harm.station_minutes


class MeasuredArrival(NamedTuple):
    """A final background arrival as its fields alone (:mod:`.measured`): what is folded into the aggregates and
    let go builds no record; :meth:`recorded` gives the :class:`Arrival` of one that is kept."""

    n: int
    times: IncidentMeasure
    harm: HarmMeasure
    steps: list[tuple[int, StepMeasure]]
    chains: list[tuple[int, HandoffMeasure]]

    @property
    def harm_sum(self) -> float:
        return self.harm.reach + self.harm.voter_minutes + self.harm.station_minutes

    def recorded(self) -> Arrival:
        """The arrival with its records, built from its fields (unchecked: validated again if the scores keep them)."""
        return Arrival(self.n, unchecked(IncidentTimes, self.times._asdict()), unchecked(Harm, self.harm._asdict()),
                       [(n, unchecked(StepResult, step._asdict())) for n, step in self.steps],
                       [(n, unchecked(Handoff, chain._asdict())) for n, chain in self.chains])


AnyArrival = Arrival | MeasuredArrival
"""An arrival with its records, or as its fields alone: the aggregates read either."""


def recorded(arrival: AnyArrival) -> Arrival:
    """``arrival`` with its records (itself when it has them)."""
    return arrival if isinstance(arrival, Arrival) else arrival.recorded()


class _Facts(NamedTuple):
    """What one arrival adds to its inject's and its type's aggregates, read off it once."""

    n: int
    incident: str
    title: str
    type: str
    to_detect: float | None
    to_first_action: float | None
    to_contain: float | None
    to_resolve: float | None
    reach: float
    voter_minutes: float
    station_minutes: float
    open: bool
    harmed: bool
    harm_sum: float
    steps: int
    steps_with_target: int
    late_steps: int
    deadlines_missed: int
    handoffs: int
    failed_attempts: int
    drops: int


_TIMES = attrgetter("incident", "title", "type", "to_detect", "to_first_action", "to_contain", "to_resolve")
_HARM = attrgetter("reach", "voter_minutes", "station_minutes", "open")


class _Group:
    """The running aggregate of one inject's (or one incident type's) arrivals."""

    __slots__ = ("arrivals", "contain", "deadlines_missed", "detect", "drops", "failed_attempts", "first",
                 "first_action", "handoffs", "late_steps", "most_harm", "open_at_end", "open_first", "open_first_id",
                 "reach", "resolve", "slowest", "station_minutes", "steps", "steps_with_target", "title", "type",
                 "voter_minutes", "worked_on")

    def __init__(self) -> None:
        self.first: int | None = None
        self.title = self.type = ""
        self.arrivals = self.open_at_end = self.worked_on = 0
        self.detect, self.first_action = array("d"), array("d")
        self.contain, self.resolve = array("d"), array("d")
        self.reach = self.voter_minutes = self.station_minutes = 0.0
        self.steps = self.steps_with_target = self.late_steps = self.deadlines_missed = 0
        self.handoffs = self.failed_attempts = self.drops = 0
        self.open_first: int | None = None
        self.open_first_id: str | None = None
        self.slowest: tuple[float, str] | None = None
        self.most_harm: tuple[float, str] | None = None

    def add(self, facts: _Facts) -> None:
        """Fold in one arrival, as its facts."""
        (n, incident, title, kind, to_detect, to_first_action, to_contain, to_resolve, reach, voter_minutes,
         station_minutes, still_open, harmed, harm_sum, steps, steps_with_target, late_steps, deadlines_missed,
         handoffs, failed_attempts, drops) = facts
        if self.first is None or n < self.first:
            self.first, self.title, self.type = n, title, kind
        self.arrivals += 1
        self.worked_on += to_first_action is not None
        if to_detect is not None:
            self.detect.append(to_detect)
        if to_first_action is not None:
            self.first_action.append(to_first_action)
        if to_contain is not None:
            self.contain.append(to_contain)
        if to_resolve is not None:
            self.resolve.append(to_resolve)
        self.reach += reach
        self.voter_minutes += voter_minutes
        self.station_minutes += station_minutes
        if still_open:
            self.open_at_end += 1
            if self.open_first is None or n < self.open_first:
                self.open_first, self.open_first_id = n, incident
        elif to_contain is not None and (self.slowest is None or (to_contain, incident) > self.slowest):
            self.slowest = (to_contain, incident)
        if harmed and (self.most_harm is None or (harm_sum, incident) > self.most_harm):
            self.most_harm = (harm_sum, incident)
        self.steps += steps
        self.steps_with_target += steps_with_target
        self.late_steps += late_steps
        self.deadlines_missed += deadlines_missed
        self.handoffs += handoffs
        self.failed_attempts += failed_attempts
        self.drops += drops

    def stats(self, key: str) -> ArrivalStats:
        worst_contain = self.open_first_id if self.open_first_id is not None else (
            self.slowest[1] if self.slowest is not None else None)
        return ArrivalStats(
            key=key, title=self.title, type=self.type, arrivals=self.arrivals, open_at_end=self.open_at_end,
            worked_on=self.worked_on, detect=spread(self.detect), first_action=spread(self.first_action),
            contain=spread(self.contain), resolve=spread(self.resolve), reach=r3(self.reach),
            voter_minutes=r3(self.voter_minutes), station_minutes=r3(self.station_minutes), steps=self.steps,
            steps_with_target=self.steps_with_target, late_steps=self.late_steps,
            deadlines_missed=self.deadlines_missed, handoffs=self.handoffs,
            failed_attempts=self.failed_attempts, drops=self.drops, worst_contain=worst_contain,
            worst_harm=self.most_harm[1] if self.most_harm is not None else None,
        )


class _Inject:
    """One inject's arrivals: their aggregate, how many started, and the worst-case candidates."""

    __slots__ = ("contain", "first", "group", "harm")

    def __init__(self) -> None:
        self.group = _Group()
        self.first: list[Arrival] = []
        """Its arrivals within the cap: always listed."""
        self.contain: _Ranked = []
        """A heap of the :data:`WORST` slowest to contain beyond the cap (still open first)."""
        self.harm: _Ranked = []
        """A heap of the :data:`WORST` most harmful (harm > 0)."""


_Ranked = list[tuple[tuple[float, ...], Arrival]]


def _key(item: tuple[tuple[float, ...], Arrival]) -> tuple[float, ...]:
    return item[0]


def _push(heap: _Ranked, key: tuple[float, ...], arrival: AnyArrival, bound: bool) -> None:
    """Keep in ``heap`` the :data:`WORST` arrivals of the largest ``key`` (keys are unique: they end in the ordinal;
    ``bound=False``: keep every one), with their records."""
    if not bound or len(heap) < WORST:
        heapq.heappush(heap, (key, recorded(arrival)))
    elif key > heap[0][0]:
        heapq.heapreplace(heap, (key, recorded(arrival)))


def _worst(contain: _Ranked, harm: _Ranked, arrival: AnyArrival, bound: bool = True) -> None:
    """Rank ``arrival`` among the slowest to contain (still open first, then the longest; ties: the earliest)
    and, if it did harm, among the most harmful."""
    if arrival.harm.open:
        _push(contain, (0, -0.0, -arrival.n), arrival, bound)
    else:
        _push(contain, (-1, arrival.times.to_contain or 0.0, -arrival.n), arrival, bound)
    if arrival.harm_sum > 0:
        _push(harm, (arrival.harm_sum, -arrival.n), arrival, bound)


class BackgroundFold:
    """Every background arrival folded in once, in any order: aggregates per inject, type and actor, the first
    ``cap`` arrivals of each inject (``cap=None``: all) and each inject's worst cases, kept whole to be listed.

    ``ordinal(arrival)`` is its place among its inject's arrivals in start order (0 for the first).
    """

    def __init__(self, cap: int | None = DETAIL_CAP) -> None:
        self.cap = cap
        self.injects: dict[str, _Inject] = {}
        self.types: dict[str, _Group] = {}
        self.actors: dict[str, ActorSteps] = {}
        self.arrivals = 0

    def add(self, arrival: AnyArrival, ordinal: int) -> None:
        """Fold in one background arrival (final, or at the end of the run), the ``ordinal``-th of its inject; the
        arrivals listed or among the worst so far are kept with their records."""
        steps = [(n, as_step(step)) for n, step in arrival.steps]
        counted = fold_steps(steps, actors=self.actors)
        handed, _ = fold_chains((n, as_chain(chain)) for n, chain in arrival.chains)
        self.add_counted(arrival, ordinal, len(steps), counted, handed)

    def add_counted(self, arrival: AnyArrival, ordinal: int, steps: int, counted: StepCounts,
                    handed: ChainCounts, harmed: bool | None = None) -> None:
        """:meth:`add` of an arrival of ``steps`` step instances, its steps and handoffs counted (:mod:`.foldrules`)
        and its steps already folded in per actor; ``harmed``: whether it did harm, if known (its harm's
        ``nonzero``)."""
        _, _, judged, late, missed = counted
        handoffs, _, failed, _, _, drops, _, _, _ = handed
        harm = arrival.harm
        if harmed is None:
            harmed = harm.nonzero
        facts: _Facts = _new(_Facts, (arrival.n, *_TIMES(arrival.times), *_HARM(harm), harmed, arrival.harm_sum,
                                      steps, judged, late, missed, handoffs, failed, drops))
        inc = arrival.times
        self.arrivals += 1
        inject = self.injects.get(inc.inject)
        if inject is None:
            inject = self.injects[inc.inject] = _Inject()
        inject.group.add(facts)
        kind = self.types.get(inc.type)
        if kind is None:
            kind = self.types[inc.type] = _Group()
        kind.add(facts)
        if self.cap is None or ordinal < self.cap:
            inject.first.append(recorded(arrival))
        else:
            _worst(inject.contain, inject.harm, arrival)

    def deadline_missed(self, inject: str, kind: str) -> None:
        """A legal deadline of an arrival of ``inject`` (of type ``kind``) that passed with its step never reached
        (:mod:`.unreached`), counted beside those of steps done."""
        if inject in self.injects:
            self.injects[inject].group.deadlines_missed += 1
        if kind in self.types:
            self.types[kind].deadlines_missed += 1

    def listed(self) -> list[Arrival]:
        """The arrivals listed one by one: the first ``cap`` of each inject, then its worst cases, in start order.

        The worst are chosen among every arrival of the inject: one already within the cap takes a place among
        them too, so the list is what choosing from the whole run would give.
        """
        chosen: dict[int, Arrival] = {}
        for inject in self.injects.values():
            contain, harm = list(inject.contain), list(inject.harm)
            for arrival in inject.first:
                chosen[arrival.n] = arrival
                _worst(contain, harm, arrival, bound=False)
            for _, arrival in heapq.nlargest(WORST, contain, key=_key) + heapq.nlargest(WORST, harm, key=_key):
                chosen[arrival.n] = arrival
        return [chosen[n] for n in sorted(chosen)]

    def summary(self, listed: int) -> Background:
        """The aggregates of every arrival folded in; ``listed``: how many are listed one by one."""
        injects = sorted(self.injects.items(), key=lambda kv: kv[1].group.first or 0)
        return Background(
            cap=self.cap or 0, arrivals=self.arrivals, listed=listed,
            injects=[inject.group.stats(key) for key, inject in injects],
            types=[group.stats(key) for key, group in sorted(self.types.items())],
            actors=[ActorArrivals(actor=key, steps=a.steps, steps_with_target=a.steps_with_target,
                                  late_steps=a.late_steps, wait=spread(a.waits))
                    for key, a in sorted(self.actors.items())],
        )


def arrivals_of(scores: Scores) -> list[Arrival]:
    """Every incident of ``scores`` with its harm, steps and handoffs, numbered in the lists' order."""
    steps: dict[str, list[tuple[int, StepResult]]] = {}
    chains: dict[str, list[tuple[int, Handoff]]] = {}
    for n, step in enumerate(scores.steps):
        steps.setdefault(step.incident, []).append((n, step))
    for n, chain in enumerate(scores.handoffs):
        chains.setdefault(chain.incident, []).append((n, chain))
    harm = {h.incident: h for h in scores.harm}
    return [Arrival(n, inc, harm.get(inc.incident) or Harm(incident=inc.incident), steps.get(inc.incident, []),
                    chains.get(inc.incident, [])) for n, inc in enumerate(scores.incidents)]


def fold_all(arrivals: Sequence[Arrival], cap: int | None) -> BackgroundFold:
    """The background arrivals among ``arrivals`` (in start order) folded in."""
    fold = BackgroundFold(cap)
    seen: dict[str, int] = {}
    for arrival in arrivals:
        if arrival.times.background:
            ordinal = seen.get(arrival.times.inject, 0)
            seen[arrival.times.inject] = ordinal + 1
            fold.add(arrival, ordinal)
    return fold


def summarise(scores: Scores, cap: int | None = DETAIL_CAP) -> tuple[Background, set[str]]:
    """The background aggregates of complete ``scores`` and the ids of the background arrivals listed one by one."""
    fold = fold_all(arrivals_of(scores), cap)
    listed = fold.listed()
    return fold.summary(len(listed)), {a.times.incident for a in listed}


def bounded(scores: Scores, cap: int | None = DETAIL_CAP) -> Scores:
    """Complete ``scores`` with its background aggregates, and its lists bounded to the listed arrivals
    (``cap=None``: all)."""
    summary, listed = summarise(scores, cap)
    if not summary.capped:
        return scores.model_copy(update={"background": summary})
    dropped = {i.incident for i in scores.incidents if i.background and i.incident not in listed}
    summary_per_incident = {k: v for k, v in scores.handoff_summary.per_incident.items() if k not in dropped}
    return scores.model_copy(update={
        "background": summary,
        "incidents": [i for i in scores.incidents if i.incident not in dropped],
        "steps": [s for s in scores.steps if s.incident not in dropped],
        "handoffs": [h for h in scores.handoffs if h.incident not in dropped],
        "harm": [h for h in scores.harm if h.incident not in dropped],
        "handoff_summary": scores.handoff_summary.model_copy(update={"per_incident": summary_per_incident}),
    })
