"""Sweep throughput: replications a second on one worker and on every core, and on a Dask cluster.

Everything is measured in this one process, on the same sweep, and printed as ratios:

- the CPU one replication of ``combined-hybrid-day`` takes in a worker, steady (warmed up, the
  median of a few rounds, best round also shown): as a sweep measures it (engine fed to the
  measures-only scorer), and in the same rounds the engine alone (no scoring: the floor) and the
  engine fed to the run's full scorer (what a sweep did before it had a scorer of its own), with
  the ratios; from it, what every core gives on an idle machine (cores / CPU a replication);
- throughput end to end on 1 worker (in this process) and on every core (a process pool), and
  the speed-up between the two (targets: >= 50 replications/s on 2 cores, speed-up >= 1.9x),
  in ``--rounds`` rounds (default 3) with the medians and the range printed: one sweep is one
  draw on a busy machine. In each round the replications alone are also played on one worker
  and on a pool already started, for the speed-up of the parallel part by itself (the rest,
  checking the points, aggregating and writing, runs on one core whatever the pool);
- the same sweep on a Dask ``LocalCluster`` (loopback, one single-threaded worker per core)
  against the local pool of the same round: the overhead of the scheduler (target <= 15 % for
  200 replications); and, before the rounds, the cluster's first sweep against the local
  pool's first.

Each end-to-end figure is as a user meets it: checking the points, starting the pool, playing,
measuring and aggregating, writing the files (pool start-up is also reported on its own). The
Dask cluster is up before its sweep starts, as a cluster is when a user points a sweep at it;
in its first sweep its workers import ballotdrill on their first task, inside the timing (the
local pool's first sweep likewise starts its fork server, which preloads ballotdrill). Every
sweep must write the same ``sweep.json`` (checked).

On a shared machine wall-clock rates fall with the others' load: read the CPU figures there,
and the load average printed at the start and the end.

    python bench/sweep_throughput.py                 # 200 replications of combined-hybrid-day
    python bench/sweep_throughput.py --quick --json  # the reduced form CI runs (one round, no Dask)

Instructions a replication takes, which a shared machine's load does not move: ``bench/sweep_instructions.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import contextlib  # noqa: E402
import gc  # noqa: E402
import math  # noqa: E402
import pickle  # noqa: E402
import statistics  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402

from ballotdrill import application  # noqa: E402
from ballotdrill.exercise.run import collector_paused, run_exercise  # noqa: E402
from ballotdrill.journal import Row  # noqa: E402
from ballotdrill.scoring.feed import Dispatch  # noqa: E402
from ballotdrill.scoring.runmeasures import MeasurePlan, MeasureScorer  # noqa: E402
from ballotdrill.scoring.stream import Scorer  # noqa: E402
from ballotdrill.sweep import (  # noqa: E402
    aggregate,
    local_pool,
    make_tasks,
    render_csv,
    render_html,
    render_json,
    render_replications,
    replication_seed,
    run_tasks,
)
from ballotdrill.sweep.measures import outcome  # noqa: E402
from ballotdrill.sweep.worker import Done, point_plan, point_setup, run_task  # noqa: E402
from bench.sweep_instructions import SCENARIO, EngineAlone  # noqa: E402


def timed_sweep(tmp: Path, name: str, runs: int, **options: Any) -> tuple[float, Path, float]:
    """Seconds for one sweep end to end, its folder, and the CPU seconds this process spent on it."""
    start, cpu = time.perf_counter(), time.process_time()
    outcome = application.sweep_to_folder(None, SCENARIO, runs=runs, seed=1, out=tmp / name, **options)
    return time.perf_counter() - start, outcome.folder, time.process_time() - cpu


def pool_startup(workers: int) -> float:
    """Seconds to start a pool of ``workers`` and run one empty batch on each."""
    start = time.perf_counter()
    with local_pool(workers) as (executor, _):
        run_tasks([], executor)
        if executor is not None:
            list(executor.map(abs, range(workers)))
    return time.perf_counter() - start


def steady_cpu(per_round: int, rounds: int) -> dict[str, Any]:
    """CPU milliseconds a replication takes in one worker, steady: the sweep's path, the engine alone and the engine
    fed to the run's full scorer, interleaved round by round (so each meets the same load); median and best round.

    The engine alone is played as a worker plays it (the point's set-up shared, the rows handed over a batch at a
    time to a feed that does nothing): the floor of a replication. In the same rounds the rows of each replication
    are captured and fed again to the sweep's measurer, timed apart: feeding the rows, and finishing (the measures,
    objectives and bottleneck, then the outcome)."""
    plan = application.plan_sweep(None, SCENARIO)
    seeds = [replication_seed(7, i) for i in range(per_round * rounds)]
    task = make_tasks(plan.points, plan.scenario, seeds, 1)[0]
    doc = plan.points[0].doc
    measure_plan, setup = point_plan(task.document, task.scenario), point_setup(task.document, task.scenario)
    continuations = measure_plan.scenario.continuations()
    parts: dict[str, list[float]] = {"feed": [], "finish": [], "pickle": []}

    def sweep_path(seed: int) -> None:
        run_task(task._replace(replications=((0, seed),)))

    def engine_alone(seed: int) -> None:
        with collector_paused():
            run_exercise(measure_plan.doc, SCENARIO, seed=seed, feed=EngineAlone(), keep=False, setup=setup)
        gc.collect(0)

    kept: list[_Capture] = []
    outcomes: list[Done] = []

    def measuring(seed: int) -> None:
        captured = _Capture()
        with collector_paused():
            result = run_exercise(measure_plan.doc, SCENARIO, seed=seed, feed=captured, keep=False, setup=setup)
            cpu = time.process_time()
            scorer = MeasureScorer(measure_plan)
            for first, rows in captured.batches:
                scorer.take(first, rows)
            fed = time.process_time()
            reduced = outcome(0, 0, seed, result.count, scorer.finish(), continuations)
            parts["feed"].append(fed - cpu)
            parts["finish"].append(time.process_time() - fed)
            scorer.release()
        if len(kept) < per_round:
            kept.append(captured)
            outcomes.append(Done(reduced, None))
        gc.collect(0)

    def full_scorer(seed: int) -> None:
        with collector_paused():
            scorer = Scorer(doc, SCENARIO, detail=False)
            result = run_exercise(doc, SCENARIO, seed=seed, feed=scorer, keep=False)
            outcome(0, 0, seed, result.count, scorer.finish())
        gc.collect(0)  # as the sweep's worker did with this scorer

    paths: dict[str, Callable[[int], None]] = {"sweep": sweep_path, "engine": engine_alone, "full": full_scorer}
    for path in (*paths.values(), measuring):  # warm up: imports, the scenario's plan, caches
        path(seeds[0])
    for values in parts.values():
        values.clear()
    kept.clear()
    outcomes.clear()
    ms: dict[str, list[float]] = {name: [] for name in paths}
    for r in range(rounds):
        batch = seeds[r * per_round:(r + 1) * per_round]
        for name, path in paths.items():
            cpu = time.process_time()
            for seed in batch:
                path(seed)
            ms[name].append(1000 * (time.process_time() - cpu) / len(batch))
        for seed in batch:
            measuring(seed)
    for _ in range(rounds):  # a batch of outcomes as a task returns it (their keys shared): pickled in the worker
        cpu = time.process_time()
        pickle.dumps(outcomes)
        parts["pickle"].append((time.process_time() - cpu) / len(outcomes))
    median = {name: statistics.median(values) for name, values in ms.items()}
    part = {name: 1000 * statistics.median(values) for name, values in parts.items()}
    return {"cpu_ms_sweep": round(median["sweep"], 1), "cpu_ms_sweep_best": round(min(ms["sweep"]), 1),
            "cpu_ms_engine_alone": round(median["engine"], 1), "cpu_ms_full_scorer": round(median["full"], 1),
            "cpu_ms_feed": round(part["feed"], 1), "cpu_ms_finish": round(part["finish"], 1),
            "cpu_ms_pickle": round(part["pickle"], 2),
            "cpu_ms_feed_by_collector": feed_by_collector(kept, measure_plan),
            "full_over_sweep": round(median["full"] / median["sweep"], 2),
            "sweep_over_engine": round(median["sweep"] / median["engine"], 2),
            "steady_rounds": f"{rounds} x {per_round}"}


def feed_by_collector(captured: list[_Capture], measure_plan: MeasurePlan) -> dict[str, float]:
    """CPU milliseconds a replication's rows take to feed to each of the measurer's collectors alone (best of three
    passes over the captured replications, less the bare dispatch of the same rows): where feeding goes."""
    def fed(pick: Callable[[MeasureScorer], tuple[Any, ...]]) -> float:
        best = math.inf
        for _ in range(3):
            scorers = [MeasureScorer(measure_plan) for _ in captured]  # made outside the timing
            dispatches = [Dispatch(pick(scorer)) for scorer in scorers]
            with collector_paused():
                cpu = time.process_time()
                for dispatch, batches in zip(dispatches, captured, strict=True):
                    for first, rows in batches.batches:
                        dispatch.take(first, rows, 0.0)
                best = min(best, time.process_time() - cpu)
            del scorers, dispatches
            gc.collect(0)
        return 1000 * best / max(1, len(captured))

    bare = fed(lambda scorer: ())
    names = [name for name, value in vars(MeasureScorer(measure_plan)).items() if hasattr(value, "handlers")]
    by_collector = {name: round(max(0.0, fed(lambda scorer, n=name: (getattr(scorer, n),)) - bare), 2)  # type: ignore[misc]
                    for name in names}
    return {"bare dispatch": round(bare, 2), **dict(sorted(by_collector.items(), key=lambda kv: -kv[1]))}


class _Capture:
    """A feed that keeps the engine's batches (copied: the engine reuses its list)."""

    def __init__(self) -> None:
        self.batches: list[tuple[int, list[Row]]] = []

    def take(self, first_seq: int, rows: list[Row]) -> None:
        self.batches.append((first_seq, list(rows)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="replications per sweep (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the end-to-end sweeps (default 3)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    parser.add_argument("--quick", action="store_true", help="the reduced form: 16 replications, one round, no Dask")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.rounds, args.no_dask = min(args.runs, 16), 1, True
    cores = application.default_workers()
    figures: dict[str, Any] = {"scenario": SCENARIO, "runs": args.runs, "cores": cores, "rounds": args.rounds,
                               "load_average": round(os.getloadavg()[0], 1)}
    figures.update(steady_cpu(*((4, 3) if args.quick else (20, 5))))
    figures["idle_all_cores_per_s"] = round(cores * 1000 / figures["cpu_ms_sweep"], 1)
    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        cluster = None if args.no_dask else stack.enter_context(dask_cluster(cores, figures))
        figures.update(end_to_end(tmp, args.runs, args.rounds, cores, cluster))
        figures["pool_startup_s"] = round(pool_startup(cores), 2)
    figures["load_average_end"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    report(figures)


def end_to_end(tmp: Path, runs: int, rounds: int, cores: int, cluster: Any) -> dict[str, Any]:
    """Sweeps end to end on one worker, on every core and (with ``cluster``) on Dask, ``rounds`` times interleaved
    (each round's three sweeps meet about the same load); medians over the rounds, and the range.

    Before the rounds, the local pool's first sweep (its fork server starts and preloads ballotdrill) and the
    cluster's first (its workers import ballotdrill on their first task). In each round, the replications alone
    are also played on one worker and on a pool already started (no checking, aggregating or writing, no pool
    start): the speed-up of the parallel part by itself."""
    figures: dict[str, Any] = {}
    first, reference, _ = timed_sweep(tmp, "first-local", runs, workers=cores)
    expected = (reference / "sweep.json").read_bytes()
    if cluster is not None:
        took, folder, _ = timed_sweep(tmp, "first-dask", runs, scheduler=cluster.scheduler_address)
        figures.update(dask_first_per_s=round(runs / took, 1), dask_first_overhead=round(took / first - 1, 3))
        assert (folder / "sweep.json").read_bytes() == expected
    one, every, dask, cpu_ms, play_one, play_every, serial = [], [], [], [], [], [], []
    plan = application.plan_sweep(None, SCENARIO)
    seeds = [replication_seed(1, i) for i in range(runs)]
    with local_pool(cores) as (executor, slots):
        for r in range(rounds):
            took, folder, cpu = timed_sweep(tmp, f"one-{r}", runs, workers=1)
            one.append(took)
            cpu_ms.append(1000 * cpu / runs)
            assert (folder / "sweep.json").read_bytes() == expected
            took, folder, _ = timed_sweep(tmp, f"every-{r}", runs, workers=cores)
            every.append(took)
            assert (folder / "sweep.json").read_bytes() == expected
            if cluster is not None:
                took, folder, _ = timed_sweep(tmp, f"dask-{r}", runs, scheduler=cluster.scheduler_address)
                dask.append(took)
                assert (folder / "sweep.json").read_bytes() == expected
            start = time.perf_counter()
            done = run_tasks(make_tasks(plan.points, plan.scenario, seeds, 1), None)
            play_one.append(time.perf_counter() - start)
            serial.append(serial_part(done, seeds))
            start = time.perf_counter()
            run_tasks(make_tasks(plan.points, plan.scenario, seeds, slots), executor)
            play_every.append(time.perf_counter() - start)
    speedups = [a / b for a, b in zip(one, every, strict=True)]
    play_speedups = [a / b for a, b in zip(play_one, play_every, strict=True)]
    median = statistics.median
    figures.update(
        one_worker_per_s=round(runs / median(one), 1), all_workers_per_s=round(runs / median(every), 1),
        speedup=round(median(speedups), 2), speedup_range=[round(min(speedups), 2), round(max(speedups), 2)],
        play_speedup=round(median(play_speedups), 2),
        play_speedup_range=[round(min(play_speedups), 2), round(max(play_speedups), 2)],
        serial_s=round(median(serial), 2),
        cpu_ms_per_replication=round(median(cpu_ms), 1),
        quiet_all_cores_per_s=round(cores * 1000 / median(cpu_ms), 1))
    if cluster is not None:
        overheads = [a / b - 1 for a, b in zip(dask, every, strict=True)]
        figures.update(dask_per_s=round(runs / median(dask), 1), dask_overhead=round(median(overheads), 3),
                       dask_overhead_range=[round(min(overheads), 3), round(max(overheads), 3)],
                       dask_same_result=True)
    return figures


def serial_part(done: list[Done], seeds: list[int]) -> float:
    """Seconds of what a sweep does on one core whatever its pool: checking the points, aggregating, rendering."""
    start = time.perf_counter()
    plan = application.plan_sweep(None, SCENARIO)
    outcomes = [d.outcome for d in done]
    result = aggregate(plan.scenario, 1, seeds, (), plan.axes, plan.variants, plan.points, outcomes)
    render_json(result), render_csv(result), render_replications(result, outcomes), render_html(result)
    return time.perf_counter() - start


@contextlib.contextmanager
def dask_cluster(cores: int, figures: dict[str, Any]) -> Iterator[Any]:
    """A Dask ``LocalCluster`` on loopback, one single-threaded worker per core (None if Dask is not installed)."""
    try:
        from distributed import LocalCluster
    except ImportError:
        figures["dask"] = "not installed (pip install 'ballotdrill[distributed]')"
        yield None
        return
    with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster


def report(figures: dict[str, Any]) -> None:
    cores, rounds = figures["cores"], figures["rounds"]
    print(f"sweep of {SCENARIO}: {figures['runs']} replications, {cores} cores "
          f"(load average {figures['load_average']} at the start, {figures['load_average_end']} at the end)")
    print(f"  CPU a replication, steady ({figures['steady_rounds']}, median; in one worker):")
    print(f"    as a sweep measures it    {figures['cpu_ms_sweep']:8.1f} ms   (best round "
          f"{figures['cpu_ms_sweep_best']:.1f} ms)")
    print(f"    engine alone, no scoring  {figures['cpu_ms_engine_alone']:8.1f} ms   (sweep / engine "
          f"{figures['sweep_over_engine']:.2f}x)")
    print(f"    with the run's full scorer{figures['cpu_ms_full_scorer']:8.1f} ms   (full / sweep "
          f"{figures['full_over_sweep']:.2f}x)")
    print(f"    of the sweep's measuring: feeding the rows {figures['cpu_ms_feed']:.1f} ms, finishing (measures, "
          f"objectives, bottleneck, outcome) {figures['cpu_ms_finish']:.1f} ms (rows captured and fed again); "
          f"pickling its outcome in a batch {figures['cpu_ms_pickle']:.2f} ms")
    print("    feeding, by collector alone (ms): " + ", ".join(f"{name} {ms:.2f}" for name, ms in
                                                             figures["cpu_ms_feed_by_collector"].items()))
    print(f"  every core, idle machine   {figures['idle_all_cores_per_s']:8.1f} replications/s   "
          f"({cores} / steady CPU a replication; target >= 50 on 2 cores: needs <= {cores * 1000 / 50:.0f} ms)")
    print(f"  end to end, median of {rounds} round(s):")
    print(f"  1 worker (in process)      {figures['one_worker_per_s']:8.1f} replications/s   "
          f"CPU {figures['cpu_ms_per_replication']:.1f} ms a replication end to end "
          f"(= {figures['quiet_all_cores_per_s']:.1f}/s on {cores} idle cores)")
    print(f"  {cores} workers (pool)          {figures['all_workers_per_s']:8.1f} replications/s   "
          f"pool start-up {figures['pool_startup_s']:.2f} s")
    low, high = figures["speedup_range"]
    print(f"  speed-up 1 -> {cores} workers      {figures['speedup']:8.2f}x   (rounds {low:.2f}-{high:.2f}x; "
          f"target >= 1.9x on 2 cores)")
    low, high = figures["play_speedup_range"]
    print(f"    replications alone        {figures['play_speedup']:8.2f}x   (rounds {low:.2f}-{high:.2f}x; pool "
          f"already up; checking the points, aggregating and rendering, on one core: {figures['serial_s']:.2f} s)")
    if "dask_per_s" in figures:
        print(f"  Dask LocalCluster, 1st sweep {figures['dask_first_per_s']:6.1f} replications/s   overhead "
              f"{figures['dask_first_overhead']:+.0%} against the local pool's first (workers importing ballotdrill)")
        low, high = figures["dask_overhead_range"]
        print(f"  Dask LocalCluster, later    {figures['dask_per_s']:7.1f} replications/s   overhead "
              f"{figures['dask_overhead']:+.0%} against the local pool in the same round (rounds {low:+.0%} to "
              f"{high:+.0%}; target <= 15 %); same files: {figures['dask_same_result']}")
    print("  against the targets (one run is one draw; read the CPU figures on a busy machine):")
    print(f"    >= 50 replications/s on {cores} cores: {_verdict(figures['all_workers_per_s'] >= 50)} end to end "
          f"({figures['all_workers_per_s']:.1f}/s), {_verdict(figures['idle_all_cores_per_s'] >= 50)} by steady CPU "
          f"({figures['idle_all_cores_per_s']:.1f}/s)")
    print(f"    speed-up >= 1.9x: {_verdict(figures['speedup'] >= 1.9)} ({figures['speedup']:.2f}x)")
    if "dask_per_s" in figures:
        print(f"    Dask overhead <= 15 %: {_verdict(figures['dask_overhead'] <= 0.15)} "
              f"({figures['dask_overhead']:+.0%} median of the rounds)")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
