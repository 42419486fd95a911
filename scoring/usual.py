"""A channel's usual latency: longer than the 90th percentile of its latency distribution is unusual (a handoff in
transit past it is *overdue*; the findings' advice compares deliveries with it); what a handoff's failed attempts
cost; and the name of no channel."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ballotdrill.scenarios.distributions import Distribution, Empirical, Exponential, Fixed, Lognormal, Triangular

if TYPE_CHECKING:
    from ballotdrill.scenarios.structure import Structure
    from ballotdrill.scoring.model import Handoff

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


def failure_stretch(chain: Handoff, structure: Structure | None) -> tuple[float, float]:
    """What a handoff's failed attempts cost, as a stretch of the run: from its first send plus what an attempt on
    its first channel takes by design (the mean of its latency) to its receipt (to the stop, still travelling).

    Without the failures the handoff would have been one attempt on that channel, and a channel made reliable (the
    fix) brings it to that time on average; the failed attempts' own time alone would take the retry's draw for the
    first attempt's. Empty (``lo >= hi``) when the handoff, failures and all, came within that time. The one rule for
    the failures' delay, read by the levers' spans and a late step's cause."""
    spec = structure.channels.get(chain.first_channel) if structure is not None and chain.first_channel else None
    took = chain.latency if chain.latency is not None else chain.in_transit_for or 0.0
    return chain.sent_at + (float(spec.latency.mean) if spec is not None else 0.0), chain.sent_at + took
