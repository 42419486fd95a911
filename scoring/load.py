"""Load per actor: utilisation, queue waits, longest queue, busiest hour, unstaffed work.

- *utilisation* = busy staff-minutes while on duty / on-duty staff-minutes over the run (t = 0
  to where it stopped), never above 100 %; the busy staff-minutes beyond the staff on duty at each
  moment (work that ran past a shift's end) are *off-duty minutes*, counted apart
  (:func:`off_duty_minutes`);
- *queue wait*: mean, 90th percentile (exact: every wait is kept, 8 bytes each) and maximum;
- *longest queue*: the largest ``step_queued.data.queue``.
- *busiest hour*: the clock hour (hours since 00:00 on day D) with the most step starts,
  ties broken by busy minutes, then the earliest.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import fmean
from typing import Any

from ballotdrill.journal import Event, Kind, RunStarted, StaffChanged
from ballotdrill.journal.packed import Packed
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.exactsum import ExactSum
from ballotdrill.scoring.feed import Handlers, RowHandlers, feed_all
from ballotdrill.scoring.foldone import hour_sums, hours_total, spread_hours
from ballotdrill.scoring.foldrules import fold_steps
from ballotdrill.scoring.measured import StepLike, as_step
from ballotdrill.scoring.model import ActorLoad, HourLoad, StepResult, r3, r3n, unchecked


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile by nearest rank (None for no values)."""
    if not values:
        return None
    return p90_sorted(sorted(values))


def p90_sorted(ordered: Sequence[float]) -> float:
    """The 90th percentile by nearest rank of values sorted in ascending order (at least one)."""
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def actor_names(structure: Structure) -> dict[str, str]:
    """Display name of every actor (its ``name``, else its key) and of every post (``actor/post``: "Name: post")."""
    names = {key: actor.name or key for key, actor in structure.actors.items()}
    for key, actor in structure.actors.items():
        names.update({f"{key}/{post}": f"{actor.name or key}: {post}" for post in actor.posts})
    return names


def _posts(structure: Structure) -> set[str]:
    return {f"{key}/{post}" for key, actor in structure.actors.items() for post in actor.posts}


class LoadCollector:
    """Per actor: staff changes, step starts and queue waits, queue lengths and unstaffed work, as they come.

    ``start``: clock minutes of t = 0; None takes it from the journal's first ``run_started`` row.
    """

    def __init__(self, start: float | None = None, detail: bool = True, duty: OnDuty | None = None) -> None:
        self.start = start
        self.detail = detail
        """False: the measures alone (what a sweep reads); the longest waits, step starts by hour and unstaffed rows
        that the evidence and the busiest hour need are not kept."""
        self.duty = duty if duty is not None else OnDuty()
        """Each actor's on-duty staff-minutes per clock hour (kept across runs that share one: a sweep's worker)."""
        self.crews: dict[int, tuple[str, int]] = {}
        """Per ``step_started`` row of a post's or a k-staff step: the desk and the staff it took."""
        self.staff_rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.changed: dict[str, list[float]] = {}
        """Per desk, the t of each of its ``staff_changed`` rows (``staff_rows``' times)."""
        self.carried: dict[tuple[str, int], list[tuple[float, float]]] = defaultdict(list)
        """Per desk and staff change (its index in ``changed``): each step instance under way then, as its end (or
        where the run stopped) and the staff it took."""
        self.waits: dict[str, array[float]] = defaultdict(lambda: array("d"))
        self.top_waits: dict[str, list[tuple[float, int]]] = defaultdict(list)
        """Per actor, a heap of the 5 longest waits as ``(wait, -seq)`` (ties: the earliest row)."""
        self.longest: dict[str, tuple[int, int]] = {}
        self.unstaffed: dict[str, int] = defaultdict(int)
        self.unstaffed_rows: dict[str, list[int]] = defaultdict(list)
        self.starts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.early_starts: list[tuple[str, float]] = []
        """Step starts seen before ``run_started`` (their clock hour needs its start)."""
        self.seen: set[str] = set()
        self.busy: dict[str, dict[int, ExactSum]] = defaultdict(lambda: defaultdict(ExactSum))
        """Busy staff-minutes per desk and clock hour of the step instances folded in so far, summed exactly (read
        with :func:`~.foldone.hour_sums`: the same in any order of folding)."""
        self.started_steps: dict[str, int] = defaultdict(int)
        self.waiting: dict[str, list[tuple[float, int]]] = defaultdict(list)
        """Work still queued when the run stopped: its wait so far and its queued row."""
        self.queued_posts: dict[int, str] = {}
        """Per ``step_queued`` row of a post's step not yet folded in: its desk (``actor/post``), where the work
        counts if still queued when the run stopped."""

    def handlers(self) -> Handlers:
        return {Kind.RUN_STARTED: self._run_started, Kind.STAFF_CHANGED: self._staff}

    def row_handlers(self) -> RowHandlers:
        return {Kind.STEP_STARTED: self._started, Kind.STEP_QUEUED: self._queued}

    def _run_started(self, event: Event) -> None:
        if self.start is None:
            self.start = float(event.fields(RunStarted).start or 0.0)

    def _staff(self, event: Event) -> None:
        if event.actor is not None:
            self.staff_rows[event.actor].append((event.t, float(event.fields(StaffChanged).staff or 0)))
            self.changed.setdefault(event.actor, []).append(event.t)

    def _started(self, seq: int, row: Packed) -> None:  # StepStarted: procedure, wait (then StepCrew: post, staff)
        t, _, _, actor, _, values = row
        if actor is None:
            return
        if len(values) > 2:
            post, staff = values[2], values[3]
            if post is not None or staff is not None:
                actor = actor if post is None else f"{actor}/{post}"
                self.crews[seq] = (actor, staff or 1)
        self.seen.add(actor)
        wait = float(values[1] or 0.0)
        self.waits[actor].append(wait)
        if not self.detail:
            return
        top = self.top_waits[actor]
        if len(top) < _TOP_WAITS or wait >= top[0][0]:  # else shorter than all five kept: (wait, -seq) < top[0]
            _keep_top(top, wait, seq)
        if self.start is None:
            self.early_starts.append((actor, t))
        else:
            self.starts[actor][math.floor((self.start + t) / 60)] += 1

    def _queued(self, seq: int, row: Packed) -> None:  # StepQueued: on_duty, procedure, queue (then StepCrew)
        actor = row[3]
        if actor is None:
            return
        values = row[5]
        post = values[3] if len(values) > 3 else None
        if post is not None:
            actor = self.queued_posts[seq] = f"{actor}/{post}"
        self.seen.add(actor)
        size, current = (int(values[2] or 0), -seq), self.longest.get(actor)
        if current is None or size > current:
            self.longest[actor] = size
        if values[0] == 0:
            self.unstaffed[actor] += 1
            if self.detail and len(self.unstaffed_rows[actor]) < _UNSTAFFED_ROWS:
                self.unstaffed_rows[actor].append(seq)

    def fold(self, steps: Iterable[StepLike], until: float | None = None) -> None:
        """Count the busy time of ``steps`` and the work still queued among them (every step instance is folded in
        once: when its incident is final, or at the end; the rule: :func:`~.foldrules.fold_steps`); ``until``: where
        the run stopped (None: before the end, for steps that all ended)."""
        fold_steps(enumerate(map(as_step, steps)), self, until)

    def results(self, structure: Structure, until: float, detail: bool = True) -> list[ActorLoad]:
        """Load of every actor and post of the structure (and any other actor seen in the journal), by key, every
        step instance folded in (:meth:`fold`, where the run stopped: ``until``).

        ``detail=False`` (or a collector made with it): the measures alone (no hour-by-hour load, busiest hour or
        evidence rows), all a sweep reads.
        """
        detail = detail and self.detail
        start = self.start if self.start is not None else 0.0
        starts = {actor: dict(hours) for actor, hours in self.starts.items()}
        for actor, t in self.early_starts:
            hour = math.floor((start + t) / 60)
            starts.setdefault(actor, {})[hour] = starts.get(actor, {}).get(hour, 0) + 1
        names = actor_names(structure)
        posts = _posts(structure)
        return [self._load(actor, names, posts, structure, self.waiting.get(actor, []), starts.get(actor, {}),
                           start, until, detail)
                for actor in sorted(set(names) | self.seen)]

    def _load(self, actor: str, names: dict[str, str], posts: set[str], structure: Structure,
              waiting: list[tuple[float, int]], actor_starts: dict[int, int], start: float, until: float,
              detail: bool) -> ActorLoad:
        buckets = self.busy.get(actor, {})
        busy, busy_total = hour_sums(buckets) if detail else ({}, hours_total(buckets))  # hour by hour: detail only
        rows = self.staff_rows.get(actor)
        if rows:
            changes = tuple(rows)
        elif actor in structure.actors:
            changes = ((0.0, float(structure.actors[actor].staff)),)
        else:
            changes = ((0.0, 1.0),) if actor in posts else ()
        on_duty, duty_total = self.duty.hours(changes, start, until)
        wait_values = self.waits.get(actor, array("d")) + array("d", (w for w, _ in waiting))
        off_duty = off_duty_minutes(rows or [], [self.carried.get((actor, i), []) for i in range(len(rows or []))],
                                    until)
        measures: dict[str, Any] = dict(
            actor=actor, name=names.get(actor, actor), steps=self.started_steps.get(actor, 0),
            busy_minutes=r3(busy_total), on_duty_minutes=r3(duty_total),
            utilisation=r3(min(1.0, (busy_total - off_duty) / duty_total)) if duty_total > 0 else None,
            off_duty_minutes=r3(off_duty),
            wait_mean=r3n(fmean(wait_values) if wait_values else None), wait_p90=r3n(p90(wait_values)),
            wait_max=r3n(max(wait_values) if wait_values else None), longest_queue=self.longest.get(actor, (0, 1))[0],
            queued_at_end=len(waiting), waited=sum(1 for w in wait_values if w > 1e-9),
            unstaffed_queued=self.unstaffed.get(actor, 0),
        )
        if not detail:  # every field, in its order and of its type: made without validating them again
            unstaffed = measures.pop("unstaffed_queued")
            return unchecked(ActorLoad, {**measures, "busiest_hour": None, "busiest_hour_starts": 0,
                                         "unstaffed_queued": unstaffed, "hours": [], "evidence": []})
        top = list(self.top_waits.get(actor, []))
        for wait, seq in waiting:
            _keep_top(top, wait, seq)
        hours = sorted(set(on_duty) | set(busy) | set(actor_starts))
        busiest = max(hours, key=lambda h: (actor_starts.get(h, 0), busy.get(h, 0.0), -h), default=None)
        if busiest is not None and actor_starts.get(busiest, 0) == 0 and busy.get(busiest, 0.0) == 0:
            busiest = None
        neg_seq = self.longest.get(actor, (0, 1))[1]
        evidence = {-s for w, s in top if w > 0 and -s >= 0}
        evidence |= set(self.unstaffed_rows.get(actor, []))
        if -neg_seq >= 0:
            evidence.add(-neg_seq)
        return ActorLoad(
            **measures, busiest_hour=busiest,
            busiest_hour_starts=actor_starts.get(busiest, 0) if busiest is not None else 0,
            hours=[HourLoad(hour=h, busy=r3(busy.get(h, 0.0)), on_duty=r3(on_duty.get(h, 0.0)),
                            starts=actor_starts.get(h, 0)) for h in hours],
            evidence=sorted(evidence),
        )


def off_duty_minutes(rows: Sequence[tuple[float, float]], carried: Sequence[Sequence[tuple[float, float]]],
                     until: float) -> float:
    """Busy staff-minutes beyond the staff on duty, from a desk's staff changes (``rows``: t and staff) and, per
    change, the work under way then (``carried``: each item's end and the staff it took), up to ``until``.

    A desk starts work only while its staff has room for it (:class:`~ballotdrill.exercise.desk.Desk`), so between
    two changes more can be busy than on duty only through work already under way at the first of them, until
    enough of it ends: the minutes beyond the staff are those items' own, counted against the shift's actual on-duty
    intervals (never hour by hour, where work and a shift's end in one clock hour would move minutes between
    utilisation and off duty)."""
    total = 0.0
    for index, (t0, staff) in enumerate(rows):
        t1 = min(until, rows[index + 1][0] if index + 1 < len(rows) else until)
        under_way = sorted(carried[index])
        busy = sum(weight for _, weight in under_way)
        at = t0
        for end, weight in under_way:
            if busy <= staff or at >= t1:
                break
            upto = min(end, t1)
            if upto > at:
                total += (busy - staff) * (upto - at)
                at = upto
            busy -= weight
    return total


class OnDuty:
    """On-duty staff-minutes per clock hour over a run, from an actor's staff changes: each change ``(t, staff)``
    holds until the next one or ``until`` (a change before t = 0 counts from 0). Worked out once per changes,
    start and end, and kept: the runs of one scenario change staff at the same shift boundaries."""

    def __init__(self) -> None:
        self.known: dict[tuple[tuple[tuple[float, float], ...], float, float], tuple[dict[int, float], float]] = {}

    def hours(self, changes: tuple[tuple[float, float], ...], start: float,
              until: float) -> tuple[dict[int, float], float]:
        """Staff-minutes on duty per clock hour (read only: shared) and their sum."""
        key = (changes, start, until)
        found = self.known.get(key)
        if found is None:
            on_duty: dict[int, ExactSum] = defaultdict(ExactSum)
            for (t0, staff), nxt in zip(changes, [*changes[1:], None], strict=True):
                t1 = nxt[0] if nxt is not None else until
                spread_hours(max(0.0, t0), min(until, t1), staff, start, on_duty)
            if len(self.known) >= _KNOWN_DUTIES:
                self.known.clear()
            found = self.known[key] = hour_sums(on_duty)
        return found


_KNOWN_DUTIES = 4096
"""Staff patterns an :class:`OnDuty` keeps (a worker sweeping many points starts afresh past it)."""
_TOP_WAITS = 5
"""The longest waits per actor named as evidence."""


def _keep_top(top: list[tuple[float, int]], wait: float, seq: int) -> None:
    """Keep in the heap ``top`` the :data:`_TOP_WAITS` longest waits as ``(wait, -seq)`` (ties: the earliest row)."""
    if len(top) < _TOP_WAITS:
        heapq.heappush(top, (wait, -seq))
    elif (wait, -seq) > top[0]:
        heapq.heapreplace(top, (wait, -seq))
_UNSTAFFED_ROWS = 10
"""Unstaffed queue rows per actor named as evidence."""


def actor_load(events: Iterable[Event], steps: Sequence[StepResult], structure: Structure,
               start: float, until: float) -> list[ActorLoad]:
    """Load of every actor and post of the structure (and any other actor seen in the journal), by key.

    A post's steps count at the post (``actor/post``, one person always on duty), not at its actor;
    a step that takes ``staff: k`` keeps k of its actor's staff busy.
    """
    collector = LoadCollector(start)
    feed_all(collector, events)
    collector.fold(steps, until)
    return collector.results(structure, until)
