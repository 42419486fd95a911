"""Every paired verdict other than "within noise" must also pass an exact sign test on the runs that changed (exact
McNemar for the share met): an interval of a mean of a few ±1 and many 0 can exclude 0 from a handful of changed
runs. Answers worked out by hand: 5 changed all one way, p = 2 / 2^5 = 0.0625; 6, p = 2 / 2^6 = 0.03125; 16 one way
and 1 the other, p = 2 (1 + 17) / 2^17."""

from __future__ import annotations

from sweep_helpers import EXAMPLE

from ballotdrill.scenarios import load_file
from ballotdrill.sweep import Measure, Outcome
from ballotdrill.sweep.aggregate import difference, objective_difference
from ballotdrill.sweep.stats import sign_test, too_few_changed

MAIL = Measure("channel", "mail", "attempts")


def test_the_exact_sign_test_counts_only_the_runs_that_changed() -> None:
    assert sign_test([1.0] * 5 + [0.0] * 195) == (5, 0, 200, 0.0625)
    assert sign_test([-2.5] * 6 + [0.0] * 194).p == 0.03125
    assert sign_test([-1.0] * 16 + [3.0] + [0.0] * 183).p == 2 * (1 + 17) / 2**17
    assert sign_test([0.0] * 10).p == 1.0 and sign_test([]).p == 1.0
    assert sign_test([1.0, -1.0]).p == 1.0  # 2 * (1 + 2) / 4 = 1.5, a probability: 1


def test_too_few_changed_says_why_in_words() -> None:
    assert too_few_changed([1.0] * 5 + [0.0] * 195) == (
        "only 5 of 200 paired runs changed, all one way: too few to rule out chance")
    assert too_few_changed([1.0] * 6 + [0.0] * 194) == ""
    assert too_few_changed([-3.0] * 4) == "all 4 paired runs changed, all one way: too few to rule out chance"
    assert too_few_changed([-1.0] * 16 + [1.0] + [0.0] * 183) == ""
    # 9 one way, 2 the other: p = 2 (1 + 11 + 55) / 2^11 = 0.065
    assert too_few_changed([1.0] * 9 + [-1.0] * 2 + [0.0] * 89) == (
        "11 of 100 paired runs changed, 9 one way and 2 the other: too even a split to rule out chance")


def _measured(changes: list[float], n: int) -> tuple[list[Outcome], list[Outcome]]:
    base = [Outcome(0, r, r, 1, {MAIL: 3.0}, {}, None) for r in range(n)]
    variant = [Outcome(1, r, r, 1, {MAIL: 3.0 + (changes[r] if r < len(changes) else 0.0)}, {}, None)
               for r in range(n)]
    return base, variant


def test_four_changed_runs_of_200_are_not_a_difference_though_the_t_interval_excludes_zero() -> None:
    diff = difference(MAIL, "", None, *_measured([-1.0] * 4, 200))
    assert diff.ci_high is not None and diff.ci_high < 0  # the t interval alone said "different"
    assert diff.verdict == "within noise"
    assert diff.chance == "only 4 of 200 paired runs changed, all one way: too few to rule out chance"


def test_sixteen_against_one_is_a_difference() -> None:
    diff = difference(MAIL, "", None, *_measured([-1.0] * 16 + [1.0], 200))
    assert diff.verdict == "different" and diff.chance == ""
    assert difference(MAIL, "", True, *_measured([-1.0] * 16 + [1.0], 200)).verdict == "better"


def _objective_runs(met_only_with_variant: int, n: int) -> tuple[object, list[Outcome], list[Outcome]]:
    objective = next(iter(load_file(EXAMPLE).scenarios.values())).objectives[0]
    key = Measure("objective", objective.id, "value")
    base = [Outcome(0, r, r, 1, {key: 10.0}, {objective.id: "P" if r >= 100 else "M"}, None) for r in range(n)]
    variant = [Outcome(1, r, r, 1, {key: 10.0}, {objective.id: "P" if r >= 100 or r < met_only_with_variant
                                                 else "M"}, None) for r in range(n)]
    return objective, base, variant


def test_five_runs_met_only_with_the_variant_are_within_noise_six_are_better() -> None:
    objective, base, variant = _objective_runs(5, 200)
    five = objective_difference(objective, base, variant, "more staff")  # type: ignore[arg-type]
    assert five.ci_low is not None and five.ci_low > 0  # Newcombe's interval alone said "a real improvement"
    assert five.verdict == "within noise"
    assert five.text.endswith("): only 5 of 200 paired runs changed, all one way: too few to rule out chance")
    assert "a clear improvement" not in five.text
    objective, base, variant = _objective_runs(6, 200)
    six = objective_difference(objective, base, variant, "more staff")  # type: ignore[arg-type]
    assert six.verdict == "better" and six.text.endswith(
        "a clear improvement in the model (more than chance explains in these runs)")


def test_the_shares_shown_agree_with_the_change_in_points_shown_beside_them() -> None:
    # 35 and 38 of 149 runs met (3 changed, all one way): 23.49 % and 25.50 %, +2.0 points. Whole percents would read
    # 23% and 26%, a change of 3 the line does not show.
    objective, base, variant = _objective_runs(0, 149)
    base = [o._replace(ratings={objective.id: "P" if o.replication < 35 else "M"}) for o in base]  # type: ignore[attr-defined]
    variant = [o._replace(ratings={objective.id: "P" if o.replication < 38 else "M"}) for o in variant]  # type: ignore[attr-defined]
    line = objective_difference(objective, base, variant, "more staff")  # type: ignore[arg-type]
    assert line.text.startswith(f"{objective.id} met in 25.5% of runs with more staff against 23.5% without")  # type: ignore[attr-defined]
    assert "+2.0 points" in line.text
    objective, base, variant = _objective_runs(6, 200)  # 50 % and 53 % of 200: shares of 200 runs take a decimal
    assert "met in 53.0% of runs with more staff against 50.0% without" in objective_difference(
        objective, base, variant, "more staff").text  # type: ignore[arg-type]
    objective, base, variant = _objective_runs(6, 100)  # of 100 runs every share is a whole percent
    assert "met in 6% of runs with more staff against 0% without" in objective_difference(
        objective, base, variant, "more staff").text  # type: ignore[arg-type]


def test_every_line_over_the_same_runs_shows_its_shares_with_one_precision() -> None:
    # of 30 runs: 20 and 18 met with the variant, none without: 66.7 % and 60.0 % (it read "66.7%" and "0.0%" in one
    # line, "60%" and "0%" in the next)
    objective, base, variant = _objective_runs(20, 30)
    first = objective_difference(objective, base, variant, "more staff").text  # type: ignore[arg-type]
    objective, base, variant = _objective_runs(18, 30)
    second = objective_difference(objective, base, variant, "more staff").text  # type: ignore[arg-type]
    assert "met in 66.7% of runs with more staff against 0.0% without" in first
    assert "met in 60.0% of runs with more staff against 0.0% without" in second
    assert "real" not in first + second and first.endswith("a clear improvement in the model (more than chance "
                                                           "explains in these runs)")
