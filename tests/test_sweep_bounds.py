"""A sweep's intervals stay within what their quantity allows, and its numbers read as what they are: hand-worked
values of Newcombe's paired interval, a count's interval never below 0, a change in a share within ±100 points,
differences in their units, and no 0.56 shown as 1 beside 0.33 shown as 0.3."""

from __future__ import annotations

import pytest
from sweep_helpers import EXAMPLE, VARIANT

from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.scoring.text import points, signed
from ballotdrill.sweep import Measure, Outcome, aggregate, build_points, read_variant
from ballotdrill.sweep.aggregate import stat
from ballotdrill.sweep.charts import difference_value
from ballotdrill.sweep.stats import paired_share_ci


def test_newcombes_paired_interval_by_hand() -> None:
    # Two runs: the variant met the objective in one the baseline missed, neither met it in the other.
    # Wilson (z = 1.96) of 1 of 2: 0.5 ± 0.40545 -> 0.09455 … 0.90545; of 0 of 2: 0 … 0.65762. One margin is
    # empty, so the correlation term is 0: low = 0.5 - sqrt(0.40545² + 0.65762²) = -0.27256,
    # high = 0.5 + sqrt(0² + 0.40545²) = 0.90545. A t interval of (+1, 0) reaches ±585 points.
    ci = paired_share_ci([(False, True), (False, False)])
    assert (ci.difference, ci.low, ci.high) == pytest.approx((0.5, -0.27256, 0.90545), abs=1e-4)


def test_paired_share_intervals_stay_within_a_hundred_points() -> None:
    for pairs in ([(False, True)] * 2, [(True, False)] * 2, [(False, True), (True, False)], [(False, True)]):
        ci = paired_share_ci(pairs)
        assert -1.0 <= ci.low <= ci.difference <= ci.high <= 1.0


def test_a_two_run_sweep_reports_a_bounded_change_in_the_chance_of_meeting() -> None:
    o1 = Measure("objective", "O1", "value")
    name, pts = build_points(read_file(str(EXAMPLE)), None, [], [], [read_variant(VARIANT)])
    outcomes = [Outcome(0, 0, 1, 1, {o1: 130.0}, {"O1": "M", "O2": "P"}, None),
                Outcome(0, 1, 2, 1, {o1: 60.0}, {"O1": "P", "O2": "P"}, None),
                Outcome(1, 0, 1, 1, {o1: 100.0}, {"O1": "P", "O2": "P"}, None),
                Outcome(1, 1, 2, 1, {o1: 60.0}, {"O1": "P", "O2": "P"}, None)]
    met = aggregate(name, 1, [1, 2], [], [], [read_variant(VARIANT)], pts, outcomes).comparisons[0].objectives[0]
    assert met.difference == 0.5 and met.ci_low is not None and met.ci_high is not None
    assert -1.0 <= met.ci_low < 0 < met.ci_high <= 1.0 and met.verdict == "within noise"


def test_a_count_or_a_share_keeps_its_interval_within_what_it_can_be() -> None:
    # 1 of 40 runs had one handoff in transit: mean 0.025, t interval -0.0256 … 0.0756; a count is never below 0.
    count = stat([0.0] * 39 + [1.0], "count")
    assert count.ci_low == 0.0 and count.ci_high == pytest.approx(0.0756, abs=1e-4)
    share = stat([1.0, 1.0, 0.9], "share")  # mean 0.967, t interval up to 1.11: a share is at most 1
    assert share.ci_high == 1.0 and share.ci_low is not None and share.ci_low < 0.967


@pytest.mark.parametrize(("change", "text"), [(0.0056, "+0.6"), (0.0033, "+0.3"), (-0.0056, "-0.6"),
                                              (0.00004, "+0.004"), (0.179, "+17.9"), (0.0, "0")])
def test_points_keep_their_decimals_whatever_the_size(change: float, text: str) -> None:
    assert points(change) == text


@pytest.mark.parametrize(("value", "text"), [(0.56, "+0.6"), (0.33, "+0.3"), (1.4, "+1.4"), (84.4, "+84"),
                                             (-2.0, "-2"), (0.004, "+0.004")])
def test_a_signed_number_is_not_rounded_to_double_itself(value: float, text: str) -> None:
    assert signed(value, "") == text


def test_every_difference_carries_its_unit() -> None:
    assert difference_value(84.0, "people") == "+84 people"
    assert difference_value(-1200.0, "voter-minutes") == "-1,200 voter-minutes"
    assert difference_value(0.179, "share") == "+17.9 points"
    assert difference_value(-0.5, "minutes") == "-30 s"


def test_the_bottleneck_line_says_how_many_more_it_leaves_out() -> None:
    from ballotdrill.sweep.render import bottleneck_text

    name, pts = build_points(read_file(str(EXAMPLE)), None, [], [], [])
    tops = ["desk"] * 4 + ["cell"] * 3 + [None] * 2 + ["x"]  # four bottlenecks over ten runs, one of them 'none'
    outcomes = [Outcome(0, i, i, 1, {}, {"O1": "P", "O2": "P"}, top) for i, top in enumerate(tops)]
    point = aggregate(name, 1, list(range(10)), [], [], [], pts, outcomes).points[0]
    text = bottleneck_text(point)
    assert text.startswith("Front desk 40% (17%–69%), Repair cell 30% (11%–60%), no queue (fewer than 2 waits, "
                           "never 2 at once, or p90 under 15 min) 20%")
    assert text.endswith(", and 1 more (in sweep.html and sweep.csv)")
    assert "more" not in bottleneck_text(point, shown=4)
