"""Background arrivals: an inject's incident repeated every so often within a window."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import simpy

from ballotdrill.scenarios.scenario import Inject


class Arrivals:
    """One ``every:`` inject: the next arrival after a gap drawn from its own stream, until ``to`` or ``limit``."""

    def __init__(self, env: simpy.Environment, inject: Inject, rng: random.Random, start: float, stop: float,
                 arrive: Callable[[int], None]) -> None:
        assert inject.every is not None
        self.env = env
        self.every = inject.every
        self.limit = inject.limit
        self.rng = rng
        self.stop = stop
        self.arrive = arrive
        self.count = 0
        self._next(start)

    def _next(self, t: float) -> None:
        at = t + self.every.sample(self.rng)
        if at < self.stop and (self.limit is None or self.count < self.limit):
            self.env.timeout(at - self.env.now).callbacks.append(self._fire)

    def _fire(self, _event: Any) -> None:
        self.count += 1
        self.arrive(self.count)
        self._next(self.env.now)
