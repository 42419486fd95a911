"""Background arrivals: an inject's incident repeated every so often within a window."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import simpy

from ballotdrill.scenarios.scenario import Inject


class Arrivals:
    """One ``every:`` inject: the next arrival after a gap drawn from its own stream, until ``to`` or ``limit``.

    The scenario's ``background_factor`` divides every gap: the same draws, arriving that many times as often
    (a ``limit`` still caps the count, so a capped inject's arrivals come sooner rather than more of them).
    """

    def __init__(self, env: simpy.Environment, inject: Inject, rng: random.Random, start: float, stop: float,
                 arrive: Callable[[int], None], rate: float = 1.0) -> None:
        """``rate``: the scenario's ``background_factor``; each gap is divided by it (1: as drawn)."""
        assert inject.every is not None
        self.env = env
        self.every = inject.every
        self.limit = inject.limit
        self.rng = rng
        self.stop = stop
        self.arrive = arrive
        self.rate = rate
        self.count = 0
        self._next(start)

    def _next(self, t: float) -> None:
        gap = self.every.sample(self.rng)
        at = t + (gap if self.rate == 1.0 else gap / self.rate)
        if at < self.stop and (self.limit is None or self.count < self.limit):
            self.env.timeout(at - self.env.now).callbacks.append(self._fire)

    def _fire(self, _event: Any) -> None:
        self.count += 1
        self.arrive(self.count)
        self._next(self.env.now)
