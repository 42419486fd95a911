"""Background arrivals: an inject's incident repeated every so often within a window.

Gaps are drawn from the inject's own stream. With a ``profile`` or a scenario ``background_factor``
the gaps are laid on *operational time*, which runs ``factor`` times as fast as the clock
(the scenario's factor times the profile's factor for that time of day): a gap of ``g``
ends where the factor integrated from the last arrival reaches ``g``. For exponential gaps
this is exactly a Poisson process of rate ``factor / mean``; for any gap distribution the
same draws are used whatever the factor (common random numbers), only placed differently.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import simpy

from ballotdrill.exercise.clock import at_delay
from ballotdrill.exercise.sampling import Sampler
from ballotdrill.scenarios.scenario import Inject


class RateProfile:
    """The arrival rate's factor over the run: ``scale`` times the profile's factor at each time of day."""

    def __init__(self, inject: Inject, scale: float, clock0: float) -> None:
        self.scale = scale
        self.clock0 = clock0
        self.periods = [(*p.window, p.factor) for p in inject.profile or []]

    def piece(self, clock: float) -> tuple[float, float]:
        """The factor at ``clock`` (minutes since 00:00 on D) and the clock time where it next changes."""
        factor, edge = 1.0, float("inf")
        day = clock // 1440
        for start, length, value in self.periods:
            for d in (day - 1, day, day + 1):
                begin = d * 1440 + start
                if begin <= clock < begin + length:
                    factor = value
                for boundary in (begin, begin + length):
                    if clock < boundary < edge:
                        edge = boundary
        return self.scale * factor, edge

    def advance(self, t: float, gap: float, stop: float) -> float | None:
        """The run time where ``gap`` of operational time after ``t`` ends, or None if not before ``stop``.

        Walks in clock time, so each piece starts exactly on the edge where the last one ended.
        """
        clock, last = self.clock0 + t, self.clock0 + stop
        while clock < last:
            factor, until = self.piece(clock)
            if factor > 0:
                end = clock + gap / factor
                if end <= until:
                    return end - self.clock0
                gap -= (until - clock) * factor
            clock = until
        return None


class Arrivals:
    """One ``every:`` inject: the next arrival after a gap drawn from its own stream, until ``to`` or ``limit``.

    The scenario's ``background_factor`` divides every gap: the same draws, arriving that many times as often
    (a ``limit`` still caps the count, so a capped inject's arrivals come sooner rather than more of them).
    """

    def __init__(self, env: simpy.Environment, inject: Inject, gap: Sampler, rng: random.Random, start: float,
                 stop: float,
                 arrive: Callable[[int], None], rate: float = 1.0, profile: RateProfile | None = None) -> None:
        """``rate``: the scenario's ``background_factor``, each gap divided by it (1: as drawn); ``profile``: the
        inject's rate over the day (with ``rate`` in it), None without one."""
        assert inject.every is not None
        self.env = env
        self.gap = gap
        """The draw of ``inject.every`` (:func:`~ballotdrill.exercise.sampling.sampler`)."""
        self.limit = inject.limit
        self.rng = rng
        self.stop = stop
        self.arrive = arrive
        self.rate = rate
        self.profile = profile
        self.count = 0
        self._next(start)

    def _next(self, t: float) -> None:
        gap = self.gap(self.rng)
        if self.profile is None:
            at: float | None = t + (gap if self.rate == 1.0 else gap / self.rate)
        else:
            at = self.profile.advance(t, gap, self.stop)
        if at is not None and at < self.stop and (self.limit is None or self.count < self.limit):
            at_delay(self.env, at - self.env._now, self._fire)

    def _fire(self, _event: Any) -> None:
        self.count += 1
        self.arrive(self.count)
        self._next(self.env._now)
