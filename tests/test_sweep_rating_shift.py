"""A sweep line whose share met (P) did not move says how often the rating moved below P (U → M), so "within noise"
for the share never hides a shift in what was rated. Hand-made pairs."""

from __future__ import annotations

from sweep_helpers import EXAMPLE

from ballotdrill.scenarios import load_file
from ballotdrill.sweep import Measure, Outcome
from ballotdrill.sweep.aggregate import objective_difference


def test_ratings_that_moved_from_u_to_m_are_counted_beside_the_share_met() -> None:
    objective = next(iter(load_file(EXAMPLE).scenarios.values())).objectives[0]
    key = Measure("objective", objective.id, "value")
    base = [Outcome(0, r, r, 1, {key: 100.0}, {objective.id: "U"}, None) for r in range(10)]
    variant = [Outcome(1, r, r, 1, {key: 90.0}, {objective.id: "M" if r < 4 else "U"}, None) for r in range(10)]
    diff = objective_difference(objective, base, variant, "faster")
    assert diff.verdict == "within noise"  # nobody met it, with or without
    assert ("(0 of 10 paired runs changed whether it was met; its value changed in 10; in 4 its rating changed "
            "below met (U → M in 4))") in diff.text, diff.text
    same = objective_difference(objective, base, [o._replace(point=1) for o in base], "faster")
    assert "its rating changed" not in same.text


def test_every_pair_whose_rating_changed_is_counted_once_across_met_or_below_it() -> None:
    """40 pairs: 33 S → P, 4 M → P (they changed whether it was met) and 3 U → S (a change below met): the line
    accounts for all 40, not 3."""
    objective = next(iter(load_file(EXAMPLE).scenarios.values())).objectives[0]
    key = Measure("objective", objective.id, "value")
    moves = [("S", "P")] * 33 + [("M", "P")] * 4 + [("U", "S")] * 3
    base = [Outcome(0, r, r, 1, {key: 100.0}, {objective.id: x}, None) for r, (x, _) in enumerate(moves)]
    variant = [Outcome(1, r, r, 1, {key: 60.0}, {objective.id: y}, None) for r, (_, y) in enumerate(moves)]
    diff = objective_difference(objective, base, variant, "oncall")
    assert ("(37 of 40 paired runs changed whether it was met (S → P in 33, M → P in 4); in 3 more its rating "
            "changed below met (U → S in 3))") in diff.text, diff.text
