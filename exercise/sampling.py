"""Draws from a scenario's distributions with what never changes between draws worked out once.

``sampler(dist)(rng)`` draws exactly what ``dist.sample(rng)`` draws — the same calls on ``rng`` with
the same arguments, computed by the same expressions — without recomputing a lognormal's parameters
(two logarithms) or an exponential's rate at every draw. The engine makes one per step and channel.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from ballotdrill.scenarios.distributions import Distribution, Exponential, Fixed, Lognormal

Sampler = Callable[[random.Random], float]


def sampler(dist: Distribution) -> Sampler:
    """A function drawing from ``dist`` as ``dist.sample`` does."""
    if isinstance(dist, Lognormal):
        mu, sigma = math.log(dist.median), dist.sigma
        return lambda rng: rng.lognormvariate(mu, sigma)
    if isinstance(dist, Exponential):
        rate = 1.0 / dist.mean_
        return lambda rng: rng.expovariate(rate)
    if isinstance(dist, Fixed):
        value = dist.value
        return lambda _rng: value
    return dist.sample
