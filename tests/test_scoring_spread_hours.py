"""Busy time spread over clock hours (:func:`ballotdrill.scoring.foldone.spread_hours`): each hour gets weight × the
overlap of the interval with it, the very floats the plain rule (each hour clipped with ``max`` and ``min``) adds."""

from __future__ import annotations

import math
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from ballotdrill.scoring.exactsum import ExactSum
from ballotdrill.scoring.foldone import spread_hours


def _plain(t0: float, t1: float, weight: float, start: float) -> dict[int, list[float]]:
    """The parts each hour gets by the rule written plainly: within one clock hour, the whole; else every hour the
    interval touches, clipped."""
    parts: dict[int, list[float]] = defaultdict(list)
    if t1 <= t0 or weight == 0:
        return parts
    clock0, clock1 = start + t0, start + t1
    hour = math.floor(clock0 / 60)
    if clock1 <= hour * 60 + 60:
        parts[hour].append(weight * (clock1 - clock0))
        return parts
    while hour * 60 < clock1:
        lo, hi = max(clock0, hour * 60.0), min(clock1, hour * 60.0 + 60)
        if hi > lo:
            parts[hour].append(weight * (hi - lo))
        hour += 1
    return parts


def _spread(t0: float, t1: float, weight: float, start: float) -> dict[int, list[float]]:
    buckets: dict[int, ExactSum] = defaultdict(ExactSum)
    spread_hours(t0, t1, weight, start, buckets)
    return {hour: exact.terms() for hour, exact in buckets.items()}


def test_a_step_across_two_hours_is_split_at_the_hour() -> None:
    assert _spread(50.0, 75.0, 2.0, 360.0) == {6: [20.0], 7: [30.0]}  # 06:50 to 07:15, two staff


def test_a_step_across_whole_hours_fills_them() -> None:
    assert _spread(30.0, 170.0, 1.0, 0.0) == {0: [30.0], 1: [60.0], 2: [50.0]}


def test_a_step_ending_on_the_hour_adds_nothing_to_the_next() -> None:
    assert _spread(10.0, 60.0, 1.0, 0.0) == {0: [50.0]}
    assert _spread(10.0, 120.0, 1.0, 0.0) == {0: [50.0], 1: [60.0]}


def test_an_empty_or_weightless_step_adds_nothing() -> None:
    assert _spread(5.0, 5.0, 1.0, 0.0) == {}
    assert _spread(5.0, 90.0, 0.0, 0.0) == {}


@given(st.floats(0, 2000, allow_nan=False), st.floats(0, 600, allow_nan=False), st.sampled_from([1.0, 2.0, 0.5]),
       st.sampled_from([0.0, 360.0, 419.99999999999994, 1e-9]))
def test_each_hour_gets_the_very_parts_of_the_plain_rule(t0: float, length: float, weight: float,
                                                         start: float) -> None:
    assert _spread(t0, t0 + length, weight, start) == _plain(t0, t0 + length, weight, start)
