"""Sweep throughput: replications a second on one worker and on every core, and on a Dask cluster.

Everything is measured in this one process, on the same sweep, and printed as ratios:

- the CPU one replication of ``combined-hybrid-day`` takes in a worker, steady (warmed up, the
  median of a few rounds, best round also shown): as a sweep measures it (engine fed to the
  measures-only scorer), and in the same rounds the engine alone (no scoring: the floor) and the
  engine fed to the run's full scorer (what a sweep did before it had a scorer of its own), with
  the ratios; from it, what every core gives on an idle machine (cores / CPU a replication);
- throughput end to end on 1 worker (in this process) and on every core (a process pool), and
  the speed-up between the two (targets: >= 50 replications/s on 2 cores, speed-up >= 1.9x);
- the same sweep on a Dask ``LocalCluster`` (loopback, one single-threaded worker per core)
  against the local pool: the overhead of the scheduler (target <= 15 % for 200 replications),
  for the cluster's first sweep and for a second one on the same workers.

Each end-to-end figure is as a user meets it: checking the points, starting the pool, playing,
measuring and aggregating, writing the files (pool start-up is also reported on its own). The
Dask cluster is up before its sweep starts, as a cluster is when a user points a sweep at it;
in its first sweep its workers import ballotdrill on their first task, inside the timing (the
local pool's first sweep likewise starts its fork server, which preloads ballotdrill); its
second sweep, on the same workers, is timed against a second local pool. Every sweep must
write the same ``sweep.json`` (checked).

On a shared machine wall-clock rates fall with the others' load: read the CPU figures there,
and the load average printed at the start and the end.

    python bench/sweep_throughput.py                 # 200 replications of combined-hybrid-day
    python bench/sweep_throughput.py --quick --json  # the reduced form CI runs (no Dask)
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

import gc  # noqa: E402
import statistics  # noqa: E402
from collections.abc import Callable  # noqa: E402

from ballotdrill import application  # noqa: E402
from ballotdrill.exercise.run import collector_paused, run_exercise  # noqa: E402
from ballotdrill.scoring.stream import Scorer  # noqa: E402
from ballotdrill.sweep import local_pool, make_tasks, replication_seed, run_tasks  # noqa: E402
from ballotdrill.sweep.measures import outcome  # noqa: E402
from ballotdrill.sweep.worker import run_task  # noqa: E402

SCENARIO = "combined-hybrid-day"


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
    fed to the run's full scorer, interleaved round by round (so each meets the same load); median and best round."""
    plan = application.plan_sweep(None, SCENARIO)
    seeds = [replication_seed(7, i) for i in range(per_round * rounds)]
    task = make_tasks(plan.points, plan.scenario, seeds, 1)[0]
    doc = plan.points[0].doc

    def sweep_path(seed: int) -> None:
        run_task(task._replace(replications=((0, seed),)))

    def engine_alone(seed: int) -> None:
        with collector_paused():
            run_exercise(doc, SCENARIO, seed=seed, feed=_ignore, keep=False)
        gc.collect(0)

    def full_scorer(seed: int) -> None:
        with collector_paused():
            scorer = Scorer(doc, SCENARIO, detail=False)
            result = run_exercise(doc, SCENARIO, seed=seed, feed=scorer.feed, keep=False)
            outcome(0, 0, seed, result.count, scorer.finish())
        gc.collect(0)  # as the sweep's worker did with this scorer

    paths: dict[str, Callable[[int], None]] = {"sweep": sweep_path, "engine": engine_alone, "full": full_scorer}
    for path in paths.values():  # warm up: imports, the scenario's plan, caches
        path(seeds[0])
    ms: dict[str, list[float]] = {name: [] for name in paths}
    for r in range(rounds):
        batch = seeds[r * per_round:(r + 1) * per_round]
        for name, path in paths.items():
            cpu = time.process_time()
            for seed in batch:
                path(seed)
            ms[name].append(1000 * (time.process_time() - cpu) / len(batch))
    median = {name: statistics.median(values) for name, values in ms.items()}
    return {"cpu_ms_sweep": round(median["sweep"], 1), "cpu_ms_sweep_best": round(min(ms["sweep"]), 1),
            "cpu_ms_engine_alone": round(median["engine"], 1), "cpu_ms_full_scorer": round(median["full"], 1),
            "full_over_sweep": round(median["full"] / median["sweep"], 2),
            "sweep_over_engine": round(median["sweep"] / median["engine"], 2),
            "steady_rounds": f"{rounds} x {per_round}"}


def _ignore(_: object) -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="replications per sweep (default 200)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    parser.add_argument("--quick", action="store_true", help="the reduced form: 16 replications, no Dask")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.no_dask = min(args.runs, 16), True
    cores = application.default_workers()
    figures: dict[str, Any] = {"scenario": SCENARIO, "runs": args.runs, "cores": cores,
                               "load_average": round(os.getloadavg()[0], 1)}
    figures.update(steady_cpu(*((4, 3) if args.quick else (20, 5))))
    figures["idle_all_cores_per_s"] = round(cores * 1000 / figures["cpu_ms_sweep"], 1)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        one, one_dir, one_cpu = timed_sweep(tmp, "one", args.runs, workers=1)
        every, every_dir, _ = timed_sweep(tmp, "every", args.runs, workers=cores)
        assert (one_dir / "sweep.json").read_bytes() == (every_dir / "sweep.json").read_bytes()
        cpu_ms = 1000 * one_cpu / args.runs
        figures.update(one_worker_per_s=round(args.runs / one, 1), all_workers_per_s=round(args.runs / every, 1),
                       speedup=round(one / every, 2), pool_startup_s=round(pool_startup(cores), 2),
                       cpu_ms_per_replication=round(cpu_ms, 1), quiet_all_cores_per_s=round(cores * 1000 / cpu_ms, 1))
        if not args.no_dask:
            figures.update(dask(tmp, args.runs, cores, every, every_dir))
    figures["load_average_end"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"sweep of {SCENARIO}: {args.runs} replications, {cores} cores "
          f"(load average {figures['load_average']} at the start, {figures['load_average_end']} at the end)")
    print(f"  CPU a replication, steady ({figures['steady_rounds']}, median; in one worker):")
    print(f"    as a sweep measures it    {figures['cpu_ms_sweep']:8.1f} ms   (best round "
          f"{figures['cpu_ms_sweep_best']:.1f} ms)")
    print(f"    engine alone, no scoring  {figures['cpu_ms_engine_alone']:8.1f} ms   (sweep / engine "
          f"{figures['sweep_over_engine']:.2f}x)")
    print(f"    with the run's full scorer{figures['cpu_ms_full_scorer']:8.1f} ms   (full / sweep "
          f"{figures['full_over_sweep']:.2f}x)")
    print(f"  every core, idle machine   {figures['idle_all_cores_per_s']:8.1f} replications/s   "
          f"({cores} / steady CPU a replication; target >= 50 on 2 cores)")
    print(f"  1 worker (in process)      {figures['one_worker_per_s']:8.1f} replications/s   "
          f"CPU {figures['cpu_ms_per_replication']:.1f} ms a replication end to end "
          f"(= {figures['quiet_all_cores_per_s']:.1f}/s on {cores} idle cores)")
    print(f"  {cores} workers (pool)          {figures['all_workers_per_s']:8.1f} replications/s   "
          f"pool start-up {figures['pool_startup_s']:.2f} s")
    print(f"  speed-up 1 -> {cores} workers      {figures['speedup']:8.2f}x   (target >= 1.9x on 2 cores)")
    if "dask_per_s" in figures:
        print(f"  Dask LocalCluster, 1st sweep {figures['dask_first_per_s']:6.1f} replications/s   overhead "
              f"{figures['dask_first_overhead']:+.0%} against the local pool's first (workers importing ballotdrill)")
        print(f"  Dask LocalCluster, 2nd sweep {figures['dask_per_s']:6.1f} replications/s   overhead "
              f"{figures['dask_overhead']:+.0%} against a second local pool (target <= 15 %); same files: "
              f"{figures['dask_same_result']}")


def dask(tmp: Path, runs: int, cores: int, local: float, local_dir: Path) -> dict[str, Any]:
    """The same sweep on a LocalCluster, timed from submitting to files written (the cluster already up), twice:
    the cluster's first sweep (its workers import ballotdrill inside the timing) against the local pool's first
    (``local``: its fork server starts and preloads ballotdrill inside the timing), then a second sweep on the
    same workers against a second local pool, as a long-lived cluster and a user's next sweep meet them."""
    try:
        from distributed import LocalCluster
    except ImportError:
        return {"dask": "not installed (pip install 'ballotdrill[distributed]')"}
    with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        first, first_dir, _ = timed_sweep(tmp, "dask-first", runs, scheduler=cluster.scheduler_address)
        took, folder, _ = timed_sweep(tmp, "dask", runs, scheduler=cluster.scheduler_address)
    again, _, _ = timed_sweep(tmp, "every-again", runs, workers=cores)
    same = all((f / "sweep.json").read_bytes() == (local_dir / "sweep.json").read_bytes() for f in (first_dir, folder))
    return {"dask_per_s": round(runs / took, 1), "dask_overhead": round(took / again - 1, 3),
            "dask_first_per_s": round(runs / first, 1), "dask_first_overhead": round(first / local - 1, 3),
            "dask_same_result": same}


if __name__ == "__main__":
    main()
