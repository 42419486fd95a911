"""A sweep's replication measures what ``run`` measures for the same seed.

A sweep scores its replications on a shorter path (scored as they play, the measures alone: no
background aggregates, no hour-by-hour load); every measure, rating and bottleneck it keeps must
be the one the full scorer of ``ballotdrill run`` gives for the same scenario, overrides and seed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sweep_helpers import EXAMPLE

from ballotdrill import application
from ballotdrill.sweep import make_tasks, replication_seed
from ballotdrill.sweep.measures import outcome
from ballotdrill.sweep.worker import run_task


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
        expected = outcome(0, index, seed, ran.events, ran.report.scores)
        got = swept[index]
        assert got.seed == seed and got.events == expected.events
        assert got.ratings == expected.ratings and got.bottleneck == expected.bottleneck
        assert got.values.keys() == expected.values.keys()
        differ = {m.key: (got.values[m], v) for m, v in expected.values.items() if got.values[m] != v}
        assert not differ
        assert {m.section for m in got.values} >= {"run", "objective", "incident", "actor", "channel"}
