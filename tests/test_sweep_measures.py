"""A sweep's replication measures what ``run`` measures for the same seed.

A sweep measures its replications on a shorter path (as they play, the measures alone: no score
records, background aggregates or hour-by-hour load); every measure, rating and bottleneck it
keeps must be the one the full scorer of ``ballotdrill run`` gives for the same scenario,
overrides and seed: checked through ``run`` itself for a few, and against the run's scorer fed
the same run for every library scenario.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from engine_helpers import cert_loop, load
from sweep_helpers import EXAMPLE

from ballotdrill import application
from ballotdrill.exercise.run import run_exercise
from ballotdrill.journal import Row
from ballotdrill.scoring.feed import Dispatch
from ballotdrill.scoring.incidents import IncidentCollector
from ballotdrill.scoring.model import checked
from ballotdrill.scoring.ontime import OnTimeTally
from ballotdrill.scoring.runmeasures import MeasurePlan, MeasureScorer
from ballotdrill.scoring.steps import StepCollector
from ballotdrill.scoring.stream import Scorer
from ballotdrill.sweep import Outcome, make_tasks, replication_seed
from ballotdrill.sweep.measures import Measure, outcome
from ballotdrill.sweep.worker import run_task

LIBRARY = application.load_scenarios(None, ())


@pytest.mark.parametrize(("file", "scenario", "overrides", "runs"), [
    (None, "combined-hybrid-day", (), 2),  # background arrivals, posts, staff changes, lines, decisions
    (None, "results-night-ddos", (), 1),
    (None, "opening-equipment-failures", (), 1),
    (EXAMPLE, None, ("structure.actors.cell.staff=2",), 2),
])
def test_each_replication_measures_what_run_measures(tmp_path: Path, file: Path | None, scenario: str | None,
                                                    overrides: tuple[str, ...], runs: int) -> None:
    plan = application.plan_sweep(file, scenario, overrides)
    seeds = [replication_seed(5, i) for i in range(runs)]
    swept = [d.outcome for task in make_tasks(plan.points, plan.scenario, seeds, 1) for d in run_task(task)]
    doc = application.load_scenarios(file, overrides)
    for index, seed in enumerate(seeds):
        ran = application.run_to_folder(doc, plan.scenario, seed=seed, folder=tmp_path / f"run-{index}")
        assert_same(swept[index], outcome(0, index, seed, ran.events, ran.report.scores,
                                          plan.points[0].doc.scenarios[plan.scenario].continuations()))
        assert {m.section for m in swept[index].values} >= {"run", "objective", "incident", "actor", "channel"}


@pytest.mark.parametrize("scenario", sorted(LIBRARY.scenarios))
def test_every_library_scenario_measures_what_the_run_scorer_measures(scenario: str) -> None:
    plan = application.plan_sweep(None, scenario)
    seeds = [replication_seed(11, i) for i in range(2)]
    swept = [d.outcome for task in make_tasks(plan.points, plan.scenario, seeds, 1) for d in run_task(task)]
    for index, seed in enumerate(seeds):
        scorer = Scorer(LIBRARY, scenario)  # as run builds it: every record, background arrivals let go as they end
        ran = run_exercise(LIBRARY, scenario, seed=seed, feed=scorer.feed, keep=False)
        assert_same(swept[index], outcome(0, index, seed, ran.count, scorer.finish(),
                                          LIBRARY.scenarios[scenario].continuations()))


def assert_same(got: Outcome, expected: Outcome) -> None:
    assert got.seed == expected.seed and got.events == expected.events
    assert got.ratings == expected.ratings and got.bottleneck == expected.bottleneck
    assert list(got.values) == list(expected.values)  # the same measures, in the same order
    differ = {m.key: (got.values[m], v) for m, v in expected.values.items() if got.values[m] != v}
    assert not differ


def test_a_batch_of_outcomes_travels_with_each_measure_once() -> None:
    """Outcomes name their measures with shared keys, so a task's outcomes pickle each key once and unpickle into
    equal measures (the same keys the aggregate looks up), whatever the run."""
    plan = application.plan_sweep(None, "combined-hybrid-day")
    seeds = [replication_seed(3, i) for i in range(3)]
    done = [d for task in make_tasks(plan.points, plan.scenario, seeds, 1) for d in run_task(task)]
    first, *others = [d.outcome for d in done]
    for other in others:
        shared = first.values.keys() & other.values.keys()
        assert shared and all(next(k for k in other.values if k == m) is m for m in shared)
    back = pickle.loads(pickle.dumps(done))
    assert [d.outcome for d in back] == [d.outcome for d in done]
    assert all(type(m) is Measure for d in back for m in d.outcome.values)
    assert pickle.dumps(done).count(b"wait_p90") == 1  # later outcomes refer to the first one's keys


@pytest.mark.parametrize("scenario", ["combined-hybrid-day", "results-night-ddos"])
def test_what_a_sweep_counts_without_keeping_is_what_the_full_collectors_give(scenario: str) -> None:
    """The measurer's short cuts read the same values: a background arrival no objective names is counted by whether
    it was resolved (as the full incidents' collector has it), the on-time shares without their rows have the same
    values and counts, and the records it makes without validating them are what validation gives back."""
    plan = MeasurePlan(LIBRARY, scenario)
    measurer, incidents, steps = MeasureScorer(plan), IncidentCollector(), StepCollector()
    full = Dispatch((incidents, steps))

    class Both:
        """Feeds each batch to the sweep's measurer and to full incidents' and steps' collectors."""

        def take(self, first_seq: int, rows: list[Row]) -> None:
            measurer.take(first_seq, rows)
            full.take(first_seq, rows, 0.0)

    run_exercise(plan.doc, scenario, seed=replication_seed(2, 0), feed=Both(), keep=False)
    counted = measurer.incidents.counted
    assert counted and list(measurer.incidents.order) == list(incidents.order)
    assert counted == {i: incidents.incidents[i].resolved for i in counted}
    for incident, state in measurer.incidents.incidents.items():
        if state.start is not None:
            assert state.measure(incident) == incidents.incidents[incident].measure(incident)
    measures = measurer.finish()  # each step instance folded in as it completed, the open ones at the end
    with_rows = OnTimeTally(plan.on_time)
    with_rows.add(steps.measured(plan.goals, measurer.clock.until()))
    for procedure in ("all", *plan.on_time):
        kept, bare = with_rows.share(procedure), measurer.tally.on_time.share(procedure)
        assert (bare.value, bare.counted, bare.evidence, bare.note) == (kept.value, kept.counted, [], "")
    assert with_rows.share("all").counted > 20  # many steps, folded in as they completed
    for record in (*measures.load, *measures.incidents, *measures.harm):
        assert checked(record) is record


def test_a_loop_found_after_its_handoff_was_counted_is_counted_once() -> None:
    """A sweep counts each handoff as it is received (or dropped) and lets go of it; a ping-pong is found only later,
    when the work it brought back is done again, and is counted then, once per loop, as the run's scorer counts it.
    'logs' (Operator) -> 'analyse' (CERT) -> 'choose' (CERT: 'again' goes on to 'watch' and back to 'logs')."""
    doc = load(cert_loop())
    measurer, scorer = MeasureScorer(MeasurePlan(doc, "s")), Scorer(doc, "s")

    class Both:
        def take(self, first_seq: int, rows: list[Row]) -> None:
            measurer.take(first_seq, rows)
            scorer.take(first_seq, rows)

    run_exercise(doc, "s", seed=1, feed=Both(), keep=False)
    expected, got = scorer.finish().totals, measurer.finish().totals
    assert expected.ping_pongs >= 3 and expected.handoffs > expected.ping_pongs  # every pass after the first loops
    assert got == expected
