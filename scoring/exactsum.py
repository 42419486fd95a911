"""An exact running sum of floats: a mean over values folded in any order, without keeping them."""

from __future__ import annotations

import math

_FOLD = 256
"""Values an :class:`ExactSum` buffers before it folds them in (a module constant: :meth:`ExactSum.add` reads it for
every value, and an instance's read of a class attribute is not specialised)."""


class ExactSum:
    """A running sum of floats kept exact, so a mean over values folded in any order is :func:`statistics.fmean` of
    them, without keeping the values.

    Values are appended to a short buffer (a list append, not a Python loop per value); a full buffer is folded into
    a few floats whose sum is exactly that of every value so far: each the correctly rounded remainder
    (:func:`math.fsum`, exact) of what the ones before it leave, until nothing is left (two or three floats in
    practice; at most about 40, as an exact sum of floats is a whole multiple of the smallest one). The mean is then
    the correctly rounded sum of those and the buffer, divided by the count: the same float as the correctly rounded
    sum of every value would give."""

    __slots__ = ("count", "partials", "pending")

    def __init__(self) -> None:
        self.count = 0
        self.partials: list[float] = []
        """Floats whose exact sum is that of every value folded in."""
        self.pending: list[float] = []
        """Values added since the last fold."""

    def add(self, x: float) -> None:
        self.count += 1
        pending = self.pending
        pending.append(x)
        if len(pending) >= _FOLD:
            self._fold()

    def _fold(self) -> None:
        values = self.partials + self.pending
        self.pending = []
        exact: list[float] = []
        while True:
            rest = math.fsum(values + [-p for p in exact])  # exact remainder, correctly rounded
            if not rest:
                break
            exact.append(rest)
            if not math.isfinite(rest):  # an infinite or NaN value: nothing exact to keep
                break
        self.partials = exact

    def terms(self) -> list[float]:
        """Floats whose exact sum is that of every value added (to sum several sums exactly, with :func:`math.fsum`)."""
        return self.partials + self.pending

    def total(self) -> float:
        """The sum of the values added, correctly rounded (0.0 for none)."""
        return math.fsum(self.partials + self.pending)

    def mean(self) -> float | None:
        """The mean of the values added (None for none)."""
        return math.fsum(self.partials + self.pending) / self.count if self.count else None
