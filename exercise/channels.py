"""A channel's lines: at most ``capacity`` attempts in flight, reliability falling as they fill.

The k-th line in use (k = 1 … capacity) carries an attempt with the chance
``reliability + (reliability_at_capacity - reliability) * (k - 1) / (capacity - 1)`` of getting
through: ``reliability`` on an idle channel, ``reliability_at_capacity`` on its last free line.
An attempt that finds every line in use waits for one (first come, first served) or, with
``when_full: fail``, fails at once (a busy tone).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ballotdrill.scenarios.structure import Channel, Structure


class Lines:
    """The lines of one channel with a ``capacity``: how many are in use, and who waits for one."""

    __slots__ = ("capacity", "fails_when_full", "full", "idle", "in_use", "waiting")

    def __init__(self, spec: Channel) -> None:
        assert spec.capacity is not None
        self.capacity = spec.capacity
        self.idle = spec.reliability
        self.full = spec.reliability if spec.reliability_at_capacity is None else spec.reliability_at_capacity
        self.fails_when_full = spec.when_full == "fail"
        self.in_use = 0
        self.waiting: deque[Any] = deque()
        """Attempts waiting for a free line, first come first served."""

    def reliability(self, occupancy: int) -> float:
        """The chance of getting through for an attempt on the ``occupancy``-th line in use."""
        if self.capacity == 1:
            return self.idle
        return self.idle + (self.full - self.idle) * (occupancy - 1) / (self.capacity - 1)

    def seize(self) -> int | None:
        """Take a line: the lines in use with it, or None when every line is already in use."""
        if self.in_use >= self.capacity:
            return None
        self.in_use += 1
        return self.in_use

    def release(self) -> Any | None:
        """An attempt is over; the next one waiting takes its line (returned), if any."""
        if self.waiting:
            return self.waiting.popleft()  # the line passes straight on: the number in use stays
        self.in_use -= 1
        return None


def open_lines(structure: Structure) -> dict[str, Lines]:
    """Lines for each channel with a ``capacity`` (channels without one carry any number at once)."""
    return {name: Lines(spec) for name, spec in structure.channels.items() if spec.capacity is not None}
