"""A disinformation wave's growth: it doubles from its start at a rate that responses may slow.

The wave is a list of segments ``(since, doublings by then, doubling time from then)``; a
slow-down starts a new segment, so the reach at any time is the reach at the segment's start
doubled at that segment's rate: ``min(cap, initial * 2 ** (doublings + (t - since) / doubling))``.
"""

from __future__ import annotations

import math

from ballotdrill.scenarios.scenario import Reach

MAX_DOUBLINGS = 1023.0
"""Past 2**1023 a wave is beyond any cap the format allows, and the float power would overflow."""


class Wave:
    """The growth of one incident's wave; :meth:`slow` changes its doubling time from a moment on."""

    __slots__ = ("cap", "initial", "segments")

    def __init__(self, spec: Reach, t: float, growth: float = 1.0) -> None:
        self.initial = spec.initial
        self.cap = spec.cap
        self.segments: list[tuple[float, float, float]] = [(t, 0.0, _doubling(spec.doubling, growth))]
        """``(since, doublings done by then, doubling time from then)``; ``math.inf``: no further growth."""

    @property
    def doubling(self) -> float:
        """The doubling time now (``math.inf`` once it has stopped growing)."""
        return self.segments[-1][2]

    def doublings(self, t: float) -> float:
        """How many times the wave has doubled by ``t`` (0 before its start)."""
        for since, done, doubling in reversed(self.segments):
            if t >= since:
                return done + (t - since) / doubling
        return 0.0

    def reach(self, t: float) -> int:
        """People reached by ``t``."""
        return int(min(self.cap, self.initial * 2.0 ** min(self.doublings(t), MAX_DOUBLINGS)))

    def slow(self, t: float, *, doubling: float | None = None, growth: float | None = None) -> None:
        """From ``t`` on, double every ``doubling`` minutes, or at ``growth`` times the present rate (0: stop)."""
        new = doubling if doubling is not None else _doubling(self.doubling, 1.0 if growth is None else growth)
        self.segments.append((t, self.doublings(t), new))

    def crossing(self, threshold: int, now: float) -> float | None:
        """Minutes after ``now`` when the reach first exceeds ``threshold`` at the present rate (None: never).

        The logarithm can land a rounding error short of the crossing, where :meth:`reach` still
        gives ``threshold``; the delay is stepped up until ``reach(now + delay)`` exceeds it.
        """
        if self.reach(now) > threshold:
            return 0.0
        since, done, doubling = self.segments[-1]
        if threshold >= self.cap or math.isinf(doubling):
            return None
        delay = max(0.0, doubling * (math.log2((threshold + 1) / self.initial) - done) - (now - since))
        while self.reach(now + delay) <= threshold:  # a few steps at most: each moves the sum by one unit
            delay = max(math.nextafter(delay, math.inf), math.nextafter(now + delay, math.inf) - now)
        return delay


def _doubling(doubling: float, growth: float) -> float:
    """The doubling time of a growth rate ``growth`` times that of ``doubling`` (0: no growth)."""
    return doubling / growth if growth > 0 else math.inf


def finite(doubling: float) -> float | None:
    """A doubling time for the journal: None for a wave that no longer grows."""
    return None if math.isinf(doubling) else doubling
