"""Draws from a scenario's distributions with what never changes between draws worked out once.

``sampler(dist)(rng)`` draws exactly what ``dist.sample(rng)`` draws — the same calls on ``rng`` with
the same arguments, computed by the same expressions — without recomputing a lognormal's parameters
(two logarithms), a triangular's mode share or an exponential's rate at every draw. The engine makes
one per step, channel, incident duration, detection delay and arrival gap (:class:`~ballotdrill.exercise.setup.Setup`).

A lognormal and a triangular draw are written out here as CPython's ``random`` module computes them
(``lognormvariate`` through ``normalvariate``; ``triangular``), saving two or three Python calls a draw. A
Python whose ``random`` computes them otherwise is detected when this module is imported (:func:`_same_draws`),
and its own methods are used instead.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from ballotdrill.scenarios.distributions import Distribution, Exponential, Fixed, Lognormal, Triangular

Sampler = Callable[[random.Random], float]

_NV_MAGICCONST = 4 * math.exp(-0.5) / math.sqrt(2.0)
"""``random.NV_MAGICCONST``, computed by the same expression."""


def _lognormal_inline(mu: float, sigma: float) -> Sampler:
    log, exp, magic = math.log, math.exp, _NV_MAGICCONST

    def draw(rng: random.Random) -> float:  # exp(rng.normalvariate(mu, sigma)): Kinderman and Monahan
        uniform = rng.random
        while True:
            u1 = uniform()
            u2 = 1.0 - uniform()
            z = magic * (u1 - 0.5) / u2
            if z * z / 4.0 <= -log(u2):
                return exp(mu + z * sigma)
    return draw


def _lognormal_methods(mu: float, sigma: float) -> Sampler:
    return lambda rng: rng.lognormvariate(mu, sigma)


def _triangular_inline(low: float, high: float, mode: float) -> Sampler:
    sqrt = math.sqrt
    try:
        share = (mode - low) / (high - low)
    except ZeroDivisionError:
        return lambda rng: (rng.random(), low)[1]  # random.triangular draws once, then returns low

    def draw(rng: random.Random) -> float:
        u = rng.random()
        if u > share:
            return high + (low - high) * sqrt((1.0 - u) * (1.0 - share))
        return low + (high - low) * sqrt(u * share)
    return draw


def _triangular_methods(low: float, high: float, mode: float) -> Sampler:
    return lambda rng: rng.triangular(low, high, mode)


def _same_draws() -> bool:
    """Whether the written-out draws give what this Python's ``random`` gives (tried on a few parameters)."""
    for mu, sigma in ((math.log(4.0), 1.7967), (0.0, 0.25), (math.log(90.0), 0.05)):
        ours, theirs = random.Random(97), random.Random(97)  # a check's own streams, dropped
        draw = _lognormal_inline(mu, sigma)
        if [draw(ours) for _ in range(64)] != [theirs.lognormvariate(mu, sigma) for _ in range(64)]:
            return False
    for low, high, mode in ((1.0, 30.0, 2.0), (5.0, 5.0, 5.0), (0.0, 10.0, 10.0), (2.0, 9.0, 2.0)):
        ours, theirs = random.Random(98), random.Random(98)
        tri = _triangular_inline(low, high, mode)
        if [tri(ours) for _ in range(64)] != [theirs.triangular(low, high, mode) for _ in range(64)]:
            return False
    return True


_INLINE = _same_draws()
_lognormal = _lognormal_inline if _INLINE else _lognormal_methods
_triangular = _triangular_inline if _INLINE else _triangular_methods


def sampler(dist: Distribution) -> Sampler:
    """A function drawing from ``dist`` as ``dist.sample`` does."""
    if isinstance(dist, Lognormal):
        return _lognormal(math.log(dist.median), dist.sigma)
    if isinstance(dist, Triangular):
        return _triangular(dist.min, dist.max, dist.mode)
    if isinstance(dist, Exponential):
        rate = 1.0 / dist.mean_
        return lambda rng: rng.expovariate(rate)
    if isinstance(dist, Fixed):
        value = dist.value
        return lambda _rng: value
    return dist.sample
