"""A channel's usual latency: longer than the 90th percentile of its latency distribution is unusual (a handoff in
transit past it is *overdue*; the findings' advice compares deliveries with it); and the name of no channel."""

from __future__ import annotations

import math

from ballotdrill.scenarios.distributions import Distribution, Empirical, Exponential, Fixed, Lognormal, Triangular

DIRECT = "direct"
"""The channel name used for a handoff that travels without one."""


def usual_latency(dist: Distribution) -> float:
    """The 90th percentile of a latency distribution: longer than this is unusual."""
    if isinstance(dist, Fixed):
        return dist.value
    if isinstance(dist, Lognormal):
        return dist.p90
    if isinstance(dist, Exponential):
        return dist.mean_ * math.log(10.0)
    if isinstance(dist, Triangular):
        span = dist.max - dist.min
        if span <= 0:
            return dist.max
        if 0.9 * span <= dist.mode - dist.min:
            return dist.min + math.sqrt(0.9 * span * (dist.mode - dist.min))
        return dist.max - math.sqrt(0.1 * span * (dist.max - dist.mode))
    if isinstance(dist, Empirical):
        weights = dist.weights or [1.0] * len(dist.values)
        total, running = sum(weights), 0.0
        for value, weight in sorted(zip(dist.values, weights, strict=True)):
            running += weight
            if running >= 0.9 * total:
                return value
        return max(dist.values)
    return dist.min + 0.9 * (dist.max - dist.min)  # uniform
