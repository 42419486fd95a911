"""A sweep's interval bound is shown with the digits that decide it: a share's bound of 0.00003 (+0.003 points) was
kept to 4 decimals, 0, and printed "0 points" beside a verdict taken on its sign.

By hand: 200 paired runs whose busy share rose by ``v`` in ``m`` of them and stayed put in the rest have a mean of
``v m / 200`` and a t interval ``v`` times that of ``m`` ones and 190 zeros, so ``v`` is chosen for a low bound of
exactly ±0.00003. With 10 changed (all one way: the sign test passes) the low bound is above 0 and the verdict a real
difference; with 3 it is below 0 and the interval includes no change."""

from __future__ import annotations

import re

import pytest

from ballotdrill.sweep import Measure, Outcome
from ballotdrill.sweep.aggregate import difference
from ballotdrill.sweep.render import difference_text
from ballotdrill.sweep.stats import mean_ci

BUSY = Measure("actor", "cert", "utilisation")
BOUND = 3e-5
"""The low bound the runs are made to have: 0.003 points, under half of 4 decimals' last digit."""


def _runs(changed: int, low: float, n: int = 200) -> tuple[list[Outcome], list[Outcome]]:
    unit_low = mean_ci([1.0] * changed + [0.0] * (n - changed)).low
    assert unit_low is not None
    rise = low / unit_low  # the interval scales with the values: this rise gives the low bound asked for
    base = [Outcome(0, r, r, 1, {BUSY: 0.5}, {}, None) for r in range(n)]
    variant = [Outcome(1, r, r, 1, {BUSY: 0.5 + (rise if r < changed else 0.0)}, {}, None) for r in range(n)]
    return base, variant


@pytest.mark.parametrize(("changed", "low", "verdict", "shown"), [
    (10, BOUND, "worse", "+0.003 points"),  # a busier desk: utilisation is lower-is-better
    (3, -BOUND, "within noise", "-0.003 points"),
])
def test_a_tiny_bound_keeps_its_sign_on_the_page_and_in_the_data(changed: int, low: float, verdict: str,
                                                                  shown: str) -> None:
    diff = difference(BUSY, "", True, *_runs(changed, low))
    assert diff.verdict == verdict
    assert diff.ci_low == pytest.approx(low, rel=1e-2)  # the data keeps it, not 0.0
    text = difference_text(diff)
    found = re.search(r"95 % CI (\S+ points) to (\S+ points)\)", text)
    assert found is not None, text
    assert found.group(1) == shown
    assert "CI 0 points" not in text and "to 0 points" not in text


def test_a_zero_bound_is_still_zero() -> None:
    base, variant = _runs(10, BOUND)
    same = difference(BUSY, "", True, base, base)
    assert same.verdict == "no change" and same.mean == 0.0 and str(same.mean) == "0.0"  # never -0.0
    assert difference(BUSY, "", True, base, variant).mean == 0.0001  # 0.0000768, to 4 decimals as before
