"""What population each figure of a sweep is over: a count that did not happen is 0, never missing; a harm
objective rated U has the harm at the end as its value; a time reached on one side only is counted beside the paired
figure, not dropped silently. Hand-made outcomes and scores, answers worked out by hand."""

from __future__ import annotations

from sweep_helpers import EXAMPLE, VARIANT

from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.scoring.model import Harm, ObjectiveResult, Totals
from ballotdrill.scoring.runmeasures import RunMeasures
from ballotdrill.sweep import Measure, Outcome, aggregate, build_points, difference_text, read_variant
from ballotdrill.sweep.measures import outcome

MAIL = Measure("channel", "mail", "attempts")
C1 = Measure("harm", "C1", "reach")
X1 = Measure("incident", "X1", "to_contain")


def _sweep(base: list[dict[Measure, float | None]], variant: list[dict[Measure, float | None]]):  # type: ignore[no-untyped-def]
    name, points = build_points(read_file(str(EXAMPLE)), None, [], [], [read_variant(VARIANT)])
    outcomes = [Outcome(p, i, 100 + i, 10, values, {"O1": "P", "O2": "P"}, None)
                for p, runs in enumerate((base, variant)) for i, values in enumerate(runs)]
    return aggregate(name, 1, [100 + i for i in range(len(base))], [], [], [read_variant(VARIANT)], points, outcomes)


def _diff(result, key: Measure):  # type: ignore[no-untyped-def]
    return next(d for d in result.comparisons[0].measures if (d.section, d.item, d.field) == key)


def test_a_channel_nobody_used_carried_zero_attempts_in_the_pairing_and_the_distribution() -> None:
    # Four runs: the baseline never used mail; the variant used it once in run 2. The change is +1 in one run
    # of four: a mean of +0.25 over all four paired runs (not "no change" over the one run where both used it).
    result = _sweep([{}, {}, {}, {}], [{}, {}, {MAIL: 1.0}, {}])
    mail = _diff(result, MAIL)
    assert (mail.pairs, mail.mean, mail.only_baseline, mail.only_variant) == (4, 0.25, 0, 0)
    assert mail.verdict != "no change"
    row = next(m for m in result.points[1].measures if (m.section, m.item, m.field) == MAIL)
    assert (row.stat.runs, row.stat.reached, row.stat.mean) == (4, 4, 0.25)


def test_a_contingency_that_did_not_happen_did_no_harm() -> None:
    # Run 0: the baseline let C1 happen (500,000 people reached); the variant prevented it (no harm row: 0).
    # Run 1: both let it happen, 100 people each. Paired: (0 - 500,000 + 0) / 2 = -250,000 over 2 runs.
    result = _sweep([{C1: 500_000.0}, {C1: 100.0}], [{}, {C1: 100.0}])
    reach = _diff(result, C1)
    assert (reach.pairs, reach.mean) == (2, -250_000.0)
    row = next(m for m in result.points[1].measures if (m.section, m.item, m.field) == C1)
    assert (row.stat.runs, row.stat.mean) == (2, 50.0)


def test_a_time_reached_on_one_side_only_is_counted_beside_the_figure() -> None:
    # X1 contained in 30 and 40 min in runs 0-1 under both; run 2 only the variant contained it (20 min), run 3
    # only the baseline (50 min). The figure is over runs 0-1 (-5 min) and says which runs it leaves out.
    result = _sweep([{X1: 30.0}, {X1: 40.0}, {X1: None}, {X1: 50.0}], [{X1: 20.0}, {X1: 40.0}, {X1: 20.0}, {X1: None}])
    x1 = _diff(result, X1)
    assert (x1.pairs, x1.mean, x1.only_baseline, x1.only_variant) == (2, -5.0, 1, 1)
    assert difference_text(x1).endswith(
        "over 2 paired runs: within noise (the interval includes no change); not in the figure: "
        "1 run with a value only with the baseline and 1 run with a value only with the variant")


def test_the_same_paired_values_are_no_change_only_when_no_run_is_left_out() -> None:
    result = _sweep([{X1: 30.0}, {X1: None}], [{X1: 30.0}, {X1: 10.0}])
    x1 = _diff(result, X1)
    assert (x1.pairs, x1.only_variant) == (1, 1) and x1.verdict != "no change"
    same = _diff(_sweep([{X1: 30.0}, {X1: None}], [{X1: 30.0}, {X1: None}]), X1)
    assert same.verdict == "no change" and difference_text(same) == (
        "the same in the one paired run; not in the figure: 1 run with a value on neither side")


def _objective(rating: str, value: float | None, subject: str = "N1") -> ObjectiveResult:
    return ObjectiveResult(id="O3", capability="c", kind="reach", subject=subject, target=10_000.0,
                           target_text="10,000", value=value, rating=rating, reason="r")  # type: ignore[arg-type]


def _measures(objective: ObjectiveResult, harm: list[Harm]) -> RunMeasures:
    return RunMeasures(Totals(), [objective], [], harm, [], [])


def test_a_harm_objective_never_contained_is_valued_at_the_harm_done_by_the_end() -> None:
    o3 = Measure("objective", "O3", "value")
    never = outcome(0, 0, 1, 1, _measures(_objective("U", None), [Harm(incident="N1", reach=23_952.0, open=True)]))
    assert never.values[o3] == 23_952.0
    rated = outcome(0, 0, 1, 1, _measures(_objective("P", 8_648.0), [Harm(incident="N1", reach=8_648.0)]))
    assert rated.values[o3] == 8_648.0
    ended = outcome(0, 0, 1, 1, _measures(_objective("U", None), [Harm(incident="N1", reach=28_920.0)]))
    assert ended.values[o3] == 28_920.0  # ended by itself past the target of 10,000: U, at the harm it did
    not_exercised = outcome(0, 0, 1, 1, _measures(_objective("NE", None), []))
    assert not_exercised.values[o3] is None
    # N1 ended by itself; N2, which carries it on, was never contained: the rating judged N2's harm.
    carried = _measures(_objective("U", None), [Harm(incident="N1", reach=10.0), Harm(incident="N2", reach=70_000.0,
                                                                                     open=True)])
    assert outcome(0, 0, 1, 1, carried, {"N1": ["N2"]}).values[o3] == 70_000.0
