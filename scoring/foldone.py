"""What one step instance or one handoff adds to the run-wide counts and to a desk's busy time: the rules every fold
follows (:mod:`.foldrules` folds many with them; a sweep folds each as it completes or ends, :mod:`.steps` and
:mod:`.handoffs`). Busy time per desk and clock hour is summed exactly (:class:`~.exactsum.ExactSum`: a few floats
per hour, whatever the number of parts), so the order instances are folded in never moves a last bit.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left
from collections.abc import Sequence
from typing import NamedTuple, Protocol

from ballotdrill.scoring.exactsum import ExactSum


def spread_hours(t0: float, t1: float, weight: float, start: float, buckets: dict[int, ExactSum]) -> None:
    """Add ``weight`` × the overlap of [t0, t1) with each clock hour to ``buckets`` (each hour's sum kept exact, so
    the order the parts are added in never moves a last bit: :func:`hour_sums`)."""
    if t1 <= t0 or weight == 0:
        return
    clock0, clock1 = start + t0, start + t1
    hour = math.floor(clock0 / 60)
    if clock1 <= hour * 60 + 60:  # within one clock hour (what the loop below adds, without its tests)
        buckets[hour].add(weight * (clock1 - clock0))
        return
    at = hour * 60.0
    while at < clock1:  # each hour's [at, at + 60) clipped to [clock0, clock1): max and min as expressions, no calls
        nxt = at + 60
        lo = at if at > clock0 else clock0
        hi = nxt if nxt < clock1 else clock1
        if hi > lo:
            buckets[hour].add(weight * (hi - lo))
        hour += 1
        at = nxt


def hour_sums(buckets: dict[int, ExactSum]) -> tuple[dict[int, float], float]:
    """Each hour's sum (:func:`spread_hours`) and the sum of them all, each correctly rounded from the exact sum: the
    same whatever the order the parts were added in."""
    return {hour: exact.total() for hour, exact in buckets.items()}, hours_total(buckets)


def hours_total(buckets: dict[int, ExactSum]) -> float:
    """The sum over every hour (:func:`hour_sums`' second figure) without each hour's own."""
    return math.fsum(itertools.chain.from_iterable(exact.terms() for exact in buckets.values()))


class StepCounts(NamedTuple):
    """What a set of step instances adds to the run-wide counts."""

    completed: int
    still_open: int
    judged: int
    """With a target."""
    late: int
    missed: int
    """Past their legal deadline."""


class ChainCounts(NamedTuple):
    """What a set of handoffs adds to the run-wide counts."""

    handoffs: int
    received: int
    failed_attempts: int
    reroutes: int
    ping_pongs: int
    drops: int
    in_transit: int
    overdue: int
    unstaffed: int


class LoadFold(Protocol):
    """What :func:`fold_step` updates of a :class:`~ballotdrill.scoring.load.LoadCollector` (a protocol: the
    collector imports this module)."""

    @property
    def start(self) -> float | None: ...
    @property
    def crews(self) -> dict[int, tuple[str, int]]: ...
    @property
    def started_steps(self) -> dict[str, int]: ...
    @property
    def busy(self) -> dict[str, dict[int, ExactSum]]: ...
    @property
    def waiting(self) -> dict[str, list[tuple[float, int]]]: ...
    @property
    def queued_posts(self) -> dict[int, str]: ...
    @property
    def changed(self) -> dict[str, list[float]]: ...
    @property
    def carried(self) -> dict[tuple[str, int], list[tuple[float, float]]]: ...


def fold_step(counts: list[int], load: LoadFold | None, until: float | None, actor: str, began: float | None,
              end: float | None, wait: float | None, on_time: bool | None, deadline_met: bool | None, status: str,
              evidence: Sequence[int | None]) -> None:
    """Fold one step instance into ``counts`` (completed, still open, judged, late, missed: :class:`StepCounts`' order)
    and, with ``load``, into its busy time per desk and clock hour, or the work still queued (``until``: where the run
    stopped; None: before the end, for a step that ended). ``evidence``: its rows' seqs in order (None: a row not
    seen). The rule of every fold of step instances: :func:`~.foldrules.fold_steps` calls it, and a sweep folds each
    instance with it as it completes."""
    if end is not None:
        counts[0] += 1
    if status != "completed":
        counts[1] += 1
    if on_time is not None:
        counts[2] += 1
        if on_time is False:
            counts[3] += 1
    if deadline_met is False:
        counts[4] += 1
    if load is None:
        return
    queued = evidence[0] if evidence else None
    posts = load.queued_posts
    if posts and queued is not None:  # a post's step (none in most structures): its queued row named the post
        actor = posts.pop(queued, actor)
    if began is None:
        if status == "queued" and wait is not None:  # still waiting when the run stopped
            load.waiting[actor].append((wait, queued if queued is not None else -1))
        return
    crew = None
    crews = load.crews
    if crews:  # a post's or a k-staff step's rows (none in most structures)
        for seq in evidence:
            crew = crews.pop(seq, None)  # type: ignore[arg-type]
            if crew is not None:
                break
    desk, staff = crew if crew is not None else (actor, 1)
    load.started_steps[desk] += 1
    t1 = end if end is not None else until
    if t1 is None:
        return
    t1 = max(began, t1)
    if until is not None:
        t1 = min(t1, until)
    weight = float(staff)
    if t1 > began and weight != 0:
        start = load.start if load.start is not None else 0.0
        clock0, clock1 = start + began, start + t1
        hour = math.floor(clock0 / 60)
        if clock1 <= hour * 60 + 60:  # within one clock hour: what spread_hours adds, without a call
            load.busy[desk][hour].add(weight * (clock1 - clock0))
        else:
            spread_hours(began, t1, weight, start, load.busy[desk])
        times = load.changed.get(desk)
        if times is not None:  # work under way at a change of staff (the off-duty rule, .load)
            i = bisect_left(times, began)
            while i < len(times) and times[i] < t1:
                load.carried[(desk, i)].append((t1, weight))
                i += 1


def fold_chain(counts: list[int], state: str, failures: int, rerouted: bool, ping_pong: bool, overdue: bool,
               unstaffed: bool) -> None:
    """Count one handoff into ``counts`` (:class:`ChainCounts`' order): the rule of every fold of handoffs
    (:func:`~.foldrules.fold_chains` calls it, and a sweep counts each handoff with it as it is received or dropped)."""
    counts[0] += 1
    if state == "received":
        counts[1] += 1
    elif state == "dropped":
        counts[5] += 1
    elif state == "in_transit":
        counts[6] += 1
    if failures:
        counts[2] += failures
    if rerouted:  # a test, not an int + bool (which CPython 3.11 adds unspecialised) for each flag
        counts[3] += 1
    if ping_pong:
        counts[4] += 1
    if overdue:
        counts[7] += 1
    if unstaffed:
        counts[8] += 1
