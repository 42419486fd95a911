"""The sweep benchmark runs in a reduced form and reports its figures (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from ballotdrill import application
from ballotdrill.exercise.run import run_exercise
from ballotdrill.scoring.runmeasures import MeasureScorer
from ballotdrill.sweep import make_tasks, replication_seed
from ballotdrill.sweep.worker import point_plan

BENCH = Path(__file__).resolve().parent.parent / "bench" / "sweep_throughput.py"


@pytest.mark.bench
def test_sweep_benchmark_reduced_form_prints_ratios() -> None:
    out = subprocess.run([sys.executable, str(BENCH), "--quick", "--json"],
                         check=True, capture_output=True, text=True, timeout=600).stdout
    figures = json.loads(out)
    assert figures["runs"] == 16 and figures["cores"] >= 1 and "dask_per_s" not in figures
    for key in ("one_worker_per_s", "all_workers_per_s", "speedup", "pool_startup_s", "cpu_ms_per_replication",
                "quiet_all_cores_per_s", "cpu_ms_sweep", "cpu_ms_sweep_best", "cpu_ms_engine_alone",
                "cpu_ms_full_scorer", "full_over_sweep", "sweep_over_engine", "idle_all_cores_per_s", "play_speedup",
                "serial_s", "cpu_ms_feed", "cpu_ms_finish", "cpu_ms_pickle"):
        assert figures[key] > 0
    by_collector = figures["cpu_ms_feed_by_collector"]
    assert {"bare dispatch", "handoffs", "steps", "incidents", "load", "harm", "points"} <= set(by_collector)
    assert all(ms >= 0 for ms in by_collector.values()) and sum(by_collector.values()) > 0
    assert figures["rounds"] == 1 and figures["speedup_range"] == [figures["speedup"]] * 2


SEEDING = BENCH.parent / "stream_seeding.py"


@pytest.mark.bench
def test_stream_seeding_benchmark_tells_which_ways_give_the_engine_s_streams() -> None:
    out = subprocess.run([sys.executable, str(SEEDING), "--rounds", "1", "--json"],
                         check=True, capture_output=True, text=True, timeout=600).stdout
    figures = json.loads(out)
    assert figures["streams"] >= figures["incident_streams"] > 100  # about 500 in a replication of the combined day
    ways = figures["ways"]
    same = {way: row["same_draws"] for way, row in ways.items()}
    # the engine's streams are random.Random(derive_seed(...))'s, a kept state restores them, 16 bytes seed others
    assert same == {"engine (Streams)": True, "random.Random(derive_seed())": True,
                    "C seeding alone (seed known)": True, "setstate from a kept state": True,
                    "seed from 16 bytes": False}
    assert all(row["us_per_stream"] > 0 for row in ways.values()) and 0 < figures["seeding_share_of_engine"] < 1


INSTRUCTIONS = BENCH.parent / "sweep_instructions.py"


@pytest.mark.bench
@pytest.mark.parametrize("engine_only", [False, True])
def test_instruction_bench_plays_replications_as_a_worker_does(engine_only: bool) -> None:
    """The process valgrind counts (``--play N``) plays N replications after its warm-up and says what it played."""
    out = subprocess.run([sys.executable, str(INSTRUCTIONS), "--play", "1", *(["--engine-only"] * engine_only)],
                         check=True, capture_output=True, text=True, timeout=600).stdout
    how = "the engine alone" if engine_only else "as a sweep measures them"
    assert out.startswith(f"1 replication of combined-hybrid-day ({how}): ") and out.rstrip().endswith("of CPU each")


def _instructions_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sweep_instructions", INSTRUCTIONS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.bench
def test_the_measuring_split_feeds_the_rows_the_run_made_to_every_handler() -> None:
    """``--parts`` counts the rows a replication made and the handler calls its measurer's dispatch makes for them; each
    of its processes feeds the same kept rows as far as its part goes."""
    bench = _instructions_bench()
    plan = application.plan_sweep(None, bench.SCENARIO)
    task = make_tasks(plan.points, plan.scenario, [replication_seed(1, 0)], 1)[0]
    ran = run_exercise(point_plan(task.document, task.scenario).doc, bench.SCENARIO, seed=replication_seed(1, 0),
                       keep=True)
    assert ran.memory is not None
    kinds = Counter(row[1] for row in ran.memory.rows)
    dispatch = MeasureScorer(point_plan(task.document, task.scenario)).dispatch
    handlers = {kind: len(dispatch.packed.get(kind, ())) + len(dispatch.events.get(kind, ())) for kind in kinds}
    calls = sum(n * handlers[kind] for kind, n in kinds.items())
    for part in bench.PARTS:
        assert bench.feed_kept(1, part) == {"rows": ran.count, "calls": calls}
    assert calls > ran.count > 1000
