"""A short sweep never calls an unseen change "no change": where no rating changed but the objective's values did,
the interval decides, and a wide one says the sweep cannot tell with its runs and about how many would."""

from __future__ import annotations

from sweep_helpers import EXAMPLE

from ballotdrill.scenarios import load_file
from ballotdrill.sweep import Measure, Outcome
from ballotdrill.sweep.aggregate import objective_difference
from ballotdrill.sweep.stats import paired_share_ci, runs_to_narrow


def _objective() -> object:
    doc = load_file(EXAMPLE)
    return next(iter(doc.scenarios.values())).objectives[0]


def _runs(objective: object, n: int, met: int, shift: float) -> tuple[list[Outcome], list[Outcome]]:
    """``n`` paired runs, the first ``met`` P on both sides, the rest M on both; the variant's value ``shift``
    higher in every run (0: the same)."""
    key = Measure("objective", objective.id, "value")  # type: ignore[attr-defined]
    rate = ["P" if r < met else "M" for r in range(n)]
    base = [Outcome(0, r, r, 1, {key: 10.0 + r}, {objective.id: rate[r]}, None)  # type: ignore[attr-defined]
            for r in range(n)]
    variant = [Outcome(1, r, r, 1, {key: 10.0 + r + shift}, {objective.id: rate[r]}, None)  # type: ignore[attr-defined]
               for r in range(n)]
    return base, variant


def test_five_runs_where_no_rating_changed_cannot_tell_and_say_how_many_runs_would() -> None:
    objective = _objective()
    diff = objective_difference(objective, *_runs(objective, 5, 1, 3.0), "faster")  # type: ignore[arg-type]
    more = runs_to_narrow([(True, True)] + [(False, False)] * 4, 0.10)
    assert diff.verdict == "within noise" and more is not None and more > 5
    assert diff.text.endswith(f", which includes no change): the sweep cannot tell with 5 runs; about {more} runs "
                              "would narrow the interval to ±10 points")
    assert "within noise" not in diff.text  # the verdict, said before the text, is not said again in it
    assert diff.ci_low is not None and diff.ci_low < -0.3  # the ±39-point interval behind it


def test_many_runs_where_no_rating_changed_say_a_real_change_is_inside_a_narrow_interval() -> None:
    objective = _objective()
    diff = objective_difference(objective, *_runs(objective, 400, 80, 3.0), "faster")  # type: ignore[arg-type]
    assert diff.verdict == "within noise"
    assert diff.text.endswith(", which includes no change): any real change in the share met is inside the interval")
    assert "within noise" not in diff.text
    # no rating changed, every value did: said beside the share, which cannot show it
    assert "(0 of 400 paired runs changed whether it was met; its value changed in 400)" in diff.text


def test_a_rating_changed_says_only_how_many_paired_runs_changed() -> None:
    objective = _objective()
    base, variant = _runs(objective, 5, 1, 3.0)
    variant[4] = variant[4]._replace(ratings={objective.id: "P"})  # type: ignore[attr-defined]
    diff = objective_difference(objective, base, variant, "faster")  # type: ignore[arg-type]
    assert "(1 of 5 paired runs changed whether it was met (M → P in 1))" in diff.text
    assert "its value changed in" not in diff.text


def test_values_the_same_in_every_run_are_no_change() -> None:
    objective = _objective()
    diff = objective_difference(objective, *_runs(objective, 5, 1, 0.0), "faster")  # type: ignore[arg-type]
    assert diff.verdict == "no change" and "its value changed in" not in diff.text
    assert diff.text.endswith("its value was the same in every paired run: faster did not change it in these runs")


def test_a_run_that_exercised_it_on_one_side_only_does_not_stop_the_pairs_being_no_change() -> None:
    objective = _objective()
    base, variant = _runs(objective, 5, 1, 0.0)
    key = Measure("objective", objective.id, "value")  # type: ignore[attr-defined]
    variant[4] = Outcome(1, 4, 4, 1, {key: None}, {objective.id: "NE"}, None)  # type: ignore[attr-defined]
    diff = objective_difference(objective, base, variant, "faster")  # type: ignore[arg-type]
    assert variant[4].values[key] != base[4].values[key]  # the one-sided run differs; no pair does
    assert diff.verdict == "no change" and "1 run that exercised it on one side only left out" in diff.text


def test_runs_to_narrow_is_the_first_count_whose_interval_is_that_narrow() -> None:
    pairs = [(True, True)] * 2 + [(False, True)] + [(False, False)] * 7
    n = runs_to_narrow(pairs, 0.10)
    assert n is not None and n > len(pairs)

    def half(runs: int) -> float:
        scaled = [round(c * runs / 10) for c in (2, 0, 1, 7)]
        mix = ([(True, True)] * scaled[0] + [(True, False)] * scaled[1] + [(False, True)] * scaled[2]
               + [(False, False)] * scaled[3])
        ci = paired_share_ci(mix)
        return max(ci.difference - ci.low, ci.high - ci.difference)

    assert half(n) <= 0.10 < half(n - 1)
    assert runs_to_narrow(pairs * 100, 0.10) == 1000  # narrow enough already: its own count
