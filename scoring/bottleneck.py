"""Which actor was the bottleneck: a real queue, not one long wait.

An actor is a bottleneck candidate when its 90th-percentile queue wait reached ``QUEUE_P90`` (15 min, the queue
findings' threshold) *and* more than one piece of work waited there (``MIN_WAITS``).
One piece of work waiting once (a 90th percentile of three or four step starts is their longest wait) is a slow
start, not a queue. Among the candidates the bottleneck is the one where work waited longest in all (the sum of its
queue waits, work still queued at the end counted to the end): many waits, or long ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from ballotdrill.scoring.digest import QUEUE_P90
from ballotdrill.scoring.model import ActorLoad

MIN_WAITS = 2
"""A bottleneck has at least this many pieces of work that waited: one long wait is not a queue."""


def waited_in_all(load: ActorLoad) -> float:
    """Minutes of queue wait at the actor in all (every step start's wait, and work still queued at the end)."""
    return (load.wait_mean or 0.0) * (load.steps + load.queued_at_end)


def is_queue(load: ActorLoad) -> bool:
    """Whether the actor's waits make a queue that can be the bottleneck (see the module)."""
    return (load.wait_p90 or 0.0) >= QUEUE_P90 and load.waited >= MIN_WAITS


def ranked_queues(loads: Iterable[ActorLoad]) -> list[ActorLoad]:
    """The actors whose waits make a queue, the bottleneck first (most minutes waited in all; ties: by name)."""
    return sorted((a for a in loads if is_queue(a)), key=lambda a: (-waited_in_all(a), a.actor))
