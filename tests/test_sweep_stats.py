"""The sweep's statistics against values computed by hand or from standard tables."""

from __future__ import annotations

import math
import random

import pytest

from ballotdrill.sweep.stats import mean_ci, percentile, share_ci, t975


@pytest.mark.parametrize(("df", "expected"), [(1, 12.706), (10, 2.228), (30, 2.042), (31, 2.0395), (40, 2.0211),
                                              (60, 2.0003), (120, 1.9799), (1000, 1.9623)])
def test_t_quantile_matches_tables(df: int, expected: float) -> None:
    assert t975(df) == pytest.approx(expected, abs=2e-4)


def test_mean_interval_by_hand() -> None:
    ci = mean_ci([2.0, 4.0, 6.0, 8.0])  # mean 5, sd sqrt(20/3), t(3) = 3.182
    half = 3.182 * math.sqrt(20 / 3) / 2
    assert (ci.mean, ci.low, ci.high) == pytest.approx((5.0, 5 - half, 5 + half))
    assert mean_ci([3.0]).low is None  # one value: no interval


def test_mean_interval_covers_the_true_mean_about_95_percent_of_the_time() -> None:
    rng = random.Random(7)
    covered = 0
    for _ in range(2000):
        ci = mean_ci([rng.expovariate(1.0) for _ in range(40)])
        assert ci.low is not None and ci.high is not None
        covered += ci.low <= 1.0 <= ci.high
    assert 0.91 <= covered / 2000 <= 0.97  # exponential data: t intervals run a little short of 95 %


def test_wilson_interval_by_hand() -> None:
    none = share_ci(0, 10)
    assert (none.share, none.low) == (0.0, 0.0)
    assert none.high == pytest.approx(0.2775, abs=1e-4)  # Wilson, z = 1.96: 3.84 / 13.84
    half = share_ci(5, 10)
    assert (half.low, half.high) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert share_ci(0, 0).share is None


def test_percentiles_interpolate_between_order_statistics() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert [percentile(values, q) for q in (0.0, 0.1, 0.5, 0.9, 1.0)] == pytest.approx([1, 1.4, 3, 4.6, 5])
