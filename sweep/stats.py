"""Summary statistics of a sweep: percentiles, confidence intervals of means, of shares and of paired differences,
and the exact test every paired verdict must also pass.

Every interval stays within what its quantity allows: a share within 0 … 1 (Wilson), a change in
a share within ±1 (Newcombe's interval for paired shares), a mean of values that cannot be
negative never below 0 (the t interval, cut at the bounds the values have by nature: cutting an
interval where the true value cannot lie takes nothing from its coverage).

Everything is computed from values in a fixed order with exact summation (``math.fsum``), so
the same replications give the same figures, bit for bit, whatever order they were run in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

Z95 = 1.959963984540054
"""The standard normal's 97.5 % quantile."""

_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042)
"""Student's t 97.5 % quantiles for 1 … 30 degrees of freedom (standard tables)."""


def t975(df: int) -> float:
    """Student's t 97.5 % quantile: the table up to 30 degrees of freedom, Cornish-Fisher beyond (error < 1e-5)."""
    if df < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if df <= len(_T975):
        return _T975[df - 1]
    z, v = Z95, float(df)
    return (z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3))


def percentile(ordered: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0 … 1) of sorted values, interpolating linearly between order statistics."""
    if not ordered:
        raise ValueError("no values")
    pos = q * (len(ordered) - 1)
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


class MeanCI(NamedTuple):
    """A mean with its standard deviation and 95 % confidence interval (None with fewer than two values)."""

    mean: float
    sd: float | None
    low: float | None
    high: float | None


def mean_ci(values: Sequence[float], bounds: tuple[float | None, float | None] = (None, None)) -> MeanCI:
    """The mean of ``values`` and its 95 % confidence interval (Student's t), kept within ``bounds`` (low, high:
    what the quantity can be at all, e.g. ``(0, None)`` for a count; None: no bound)."""
    if not values:
        raise ValueError("no values")
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return MeanCI(mean, None, None, None)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = t975(n - 1) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    floor, ceiling = bounds
    return MeanCI(mean, sd, low if floor is None else max(floor, low), high if ceiling is None else min(ceiling, high))


class ShareCI(NamedTuple):
    """How many of ``n`` runs, the share, and its 95 % Wilson score interval."""

    hits: int
    n: int
    share: float | None
    low: float | None
    high: float | None


def share_ci(count: int, n: int) -> ShareCI:
    """A share with its Wilson score interval: sound near 0 and 1, where a normal interval is not."""
    if n == 0:
        return ShareCI(0, 0, None, None, None)
    p = count / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return ShareCI(count, n, p, max(0.0, centre - half), min(1.0, centre + half))


class PairedShareCI(NamedTuple):
    """A change in a share between two sides of the same runs: second minus first, with its 95 % interval."""

    difference: float
    low: float
    high: float


def paired_share_ci(pairs: Sequence[tuple[bool, bool]]) -> PairedShareCI:
    """Second minus first of the share of runs where something happened, each run seen on both sides, and
    Newcombe's hybrid score interval for paired data (Newcombe 1998, Stat Med 17:2635, method 10): Wilson
    intervals of the two shares combined through the runs' correlation. It stays within ±1 and, unlike a t
    interval of the 0/±1 differences, is sound with few runs and few changed runs."""
    if not pairs:
        raise ValueError("no pairs")
    return _paired_counts(*_tally(pairs))


def _tally(pairs: Sequence[tuple[bool, bool]]) -> tuple[int, int, int, int]:
    """How many pairs happened on both sides, on the first only, on the second only, on neither."""
    both = sum(1 for a, b in pairs if a and b)
    first_only = sum(1 for a, b in pairs if a and not b)
    second_only = sum(1 for a, b in pairs if b and not a)
    return both, first_only, second_only, len(pairs) - both - first_only - second_only


def runs_to_narrow(pairs: Sequence[tuple[bool, bool]], half_width: float, limit: int = 1_000_000) -> int | None:
    """About how many paired runs would bring :func:`paired_share_ci`'s interval within ± ``half_width`` of its
    difference if the runs kept the shares seen in ``pairs`` (the same mix of both, first only, second only and
    neither); None if ``pairs`` is empty or not even ``limit`` runs would."""
    if not pairs:
        return None
    tally = _tally(pairs)
    n = len(pairs)

    def wide(runs: int) -> bool:
        scaled = [round(c * runs / n) for c in tally]
        ci = _paired_counts(*scaled)
        return max(ci.difference - ci.low, ci.high - ci.difference) > half_width

    if not wide(n):
        return n
    low, high = n, 2 * n
    while wide(high):
        if high >= limit:
            return None
        low, high = high, min(2 * high, limit)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if wide(mid) else (low, mid)
    return high


def _paired_counts(both: int, first_only: int, second_only: int, neither: int) -> PairedShareCI:
    n = both + first_only + second_only + neither
    p1, p2 = (both + second_only) / n, (both + first_only) / n  # p1: the second side's share, p2: the first's
    _, _, _, l1, u1 = share_ci(both + second_only, n)
    _, _, _, l2, u2 = share_ci(both + first_only, n)
    assert l1 is not None and u1 is not None and l2 is not None and u2 is not None
    margins = (both + second_only) * (first_only + neither) * (both + first_only) * (second_only + neither)
    cross = both * neither - first_only * second_only
    corrected = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0.0)
    phi = corrected / math.sqrt(margins) if margins else 0.0
    diff = p1 - p2
    low = diff - math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    high = diff + math.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    return PairedShareCI(diff, max(-1.0, low), min(1.0, high))


class SignTest(NamedTuple):
    """How many paired differences went up, how many down (the rest are 0), and the exact two-sided p of so
    lopsided a split if each changed run were as likely to go either way."""

    up: int
    down: int
    runs: int
    p: float


def sign_test(diffs: Sequence[float]) -> SignTest:
    """The exact sign test of paired differences (for 0/1 outcomes, such as met or not, it is exact McNemar: the
    same binomial on the discordant pairs): only the runs that changed count, whichever way each went. A t or
    score interval of a mean of a few ±1 and many 0 can exclude 0 from a handful of changed runs; this cannot."""
    up = sum(1 for d in diffs if d > 0)
    down = sum(1 for d in diffs if d < 0)
    changed = up + down
    tail = sum(math.comb(changed, k) for k in range(min(up, down) + 1))
    return SignTest(up, down, len(diffs), min(1.0, 2 * tail / 2**changed) if changed else 1.0)


SIGNIFICANCE = 0.05
"""Two-sided: a verdict other than "within noise" needs the changed runs' split to be this unlikely by chance."""


def too_few_changed(diffs: Sequence[float]) -> str:
    """Empty if the runs that changed are enough to rule out chance (:func:`sign_test`, two-sided at 5 %); else why
    not, in words a director reads: ``only 5 of 200 paired runs changed, all one way: too few to rule out chance``."""
    test = sign_test(diffs)
    if test.p <= SIGNIFICANCE:
        return ""
    changed = test.up + test.down
    if not changed:
        return f"none of {test.runs} paired runs changed"
    runs = f"{changed} of {test.runs} paired run{'s' if test.runs != 1 else ''} changed"
    if not (test.up and test.down):
        if changed == test.runs:
            return f"{'all ' if changed > 1 else ''}{changed} paired run{'s' if changed != 1 else ''} changed, " \
                   "all one way: too few to rule out chance"
        return f"only {runs}, all one way: too few to rule out chance"
    return (f"{runs}, {max(test.up, test.down)} one way and {min(test.up, test.down)} the other: too even a split "
            "to rule out chance")
