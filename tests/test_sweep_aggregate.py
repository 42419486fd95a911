"""Aggregation on hand-made outcomes whose right answer is known: shares, not exercised, unreached values,
bottlenecks and paired verdicts."""

from __future__ import annotations

import pytest
from sweep_helpers import EXAMPLE, VARIANT

from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.scoring.text import points as points_text
from ballotdrill.sweep import Measure, Outcome, aggregate, build_points, read_variant
from ballotdrill.sweep.aggregate import stat

O1 = Measure("objective", "O1", "value")
WAIT = Measure("actor", "desk", "wait_mean")


def _outcome(point: int, rep: int, rating: str, value: float | None, wait: float, top: str | None) -> Outcome:
    return Outcome(point, rep, 100 + rep, 10, {O1: value, WAIT: wait}, {"O1": rating, "O2": "P"}, top)


def test_shares_count_not_exercised_apart_and_unreached_values_out_of_the_mean() -> None:
    name, points = build_points(read_file(str(EXAMPLE)), None, [], [], [read_variant(VARIANT)])
    base = [_outcome(0, 0, "P", 60.0, 30.0, "desk"), _outcome(0, 1, "NE", None, 10.0, None),
            _outcome(0, 2, "U", None, 20.0, "desk"), _outcome(0, 3, "M", 200.0, 40.0, "cell")]
    variant = [_outcome(1, 0, "P", 50.0, 5.0, "cell"), _outcome(1, 1, "NE", None, 1.0, None),
               _outcome(1, 2, "P", 90.0, 5.0, "cell"), _outcome(1, 3, "P", 100.0, 5.0, "cell")]
    result = aggregate(name, 1, [100, 101, 102, 103], [], [], [read_variant(VARIANT)], points, base + variant)
    o1 = result.points[0].objectives[0]
    assert {r: s.count for r, s in o1.ratings.items()} == {"P": 1, "S": 0, "M": 1, "U": 1, "not exercised": 1}
    assert (o1.met.count, o1.met.runs) == (1, 4)
    assert (o1.met_when_exercised.count, o1.met_when_exercised.runs) == (1, 3)
    assert (o1.value.runs, o1.value.reached, o1.value.mean) == (4, 2, 130.0)
    tops = {b.actor: b.share.count for b in result.points[0].bottlenecks}
    assert tops == {"desk": 2, "cell": 1, None: 1}
    assert result.points[0].bottlenecks[0].actor == "desk"
    comparison = result.comparisons[0]
    met = comparison.objectives[0]
    # run 1 exercised O1 on neither side: out of the pairing; of runs 0, 2 and 3, runs 2 and 3 became P
    assert (met.baseline.count, met.variant.count, met.variant.runs, met.difference) == (1, 3, 3, 0.6667)
    value = next(d for d in comparison.measures if d.section == "objective" and d.item == "O1")
    assert (value.pairs, value.mean) == (2, -55.0)  # only runs 0 and 3 reached O1 on both sides
    wait = next(d for d in comparison.measures if d.item == "desk")
    assert wait.mean == pytest.approx(-21.0) and wait.ci_high is not None and wait.ci_high < 0
    # every run waited less, but 4 runs all one way are as likely as 1 in 8 by chance (2 / 2^4): not "better"
    assert wait.verdict == "within noise"
    assert wait.chance == "all 4 paired runs changed, all one way: too few to rule out chance"
    o2 = next(d for d in comparison.objectives if d.id == "O2")
    assert o2.verdict == "no change"


def test_a_measure_never_reached_has_no_mean() -> None:
    empty = stat([None, None])
    assert (empty.runs, empty.reached, empty.mean, empty.ci_low) == (2, 0, None, None)
    one = stat([5.0])
    assert (one.mean, one.p50, one.ci_low) == (5.0, 5.0, None)


def test_a_paired_interval_is_printed_with_the_sign_its_verdict_rests_on() -> None:
    # 200 paired runs, the variant meeting O1 in 5 more of them: the interval's low end is just above
    # zero, and must not print as "+0" like an interval that crosses zero; 5 runs all one way are still too few
    # to call it an improvement (exact McNemar: p = 2 / 2^5 = 0.0625).
    name, points = build_points(read_file(str(EXAMPLE)), None, [], [], [read_variant(VARIANT)])
    base = [_outcome(0, i, "P" if i < 100 else "M", 60.0, 1.0, None) for i in range(200)]
    variant = [_outcome(1, i, "P" if i < 105 else "M", 60.0, 1.0, None) for i in range(200)]
    result = aggregate(name, 1, list(range(200)), [], [], [read_variant(VARIANT)], points, base + variant)
    met = result.comparisons[0].objectives[0]
    assert met.verdict == "within noise" and met.ci_low is not None and 0 < met.ci_low < 0.005
    assert met.text.endswith(f"+2.5 points (95 % CI {points_text(met.ci_low)} to +4.8): only 5 of 200 paired runs "
                             "changed, all one way: too few to rule out chance")
    assert "(95 % CI +0." in met.text


@pytest.mark.parametrize("value", [1e-4, -1e-4, 0.0049, -0.0049, 0.3, -0.3, 12.345, -0.999])
def test_a_change_never_reads_as_zero_or_with_the_wrong_sign(value: float) -> None:
    from ballotdrill.sweep.charts import difference_value

    for unit in ("share", "minutes", "count", ""):
        text = difference_value(value, unit)
        assert text[0] == ("+" if value > 0 else "-"), (unit, text)
        assert any(c in "123456789" for c in text), (unit, text)
    assert difference_value(0.0, "count") == "0"


def test_every_measure_row_of_an_objective_has_its_unit_and_its_own_direction() -> None:
    o2 = Measure("objective", "O2", "value")
    name, points = build_points(read_file(str(EXAMPLE)), None, [], [], [])
    outcomes = [Outcome(0, rep, 100 + rep, 10, {O1: 60.0 + rep, o2: 0.5 + rep / 10}, {"O1": "P", "O2": "P"}, None)
                for rep in range(3)]
    result = aggregate(name, 1, [100, 101, 102], [], [], [], points, outcomes)
    rows = {m.item: m for m in result.points[0].measures if m.section == "objective"}
    assert (rows["O1"].unit, rows["O1"].lower_is_better) == ("minutes", True)    # a time: lower is better
    assert (rows["O2"].unit, rows["O2"].lower_is_better) == ("share", False)     # an on-time share: higher is
