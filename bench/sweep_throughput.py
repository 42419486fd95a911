"""Sweep throughput: replications a second on one worker and on every core, and on a Dask cluster.

Everything is measured in this one process, on the same sweep, and printed as ratios:

- throughput of ``combined-hybrid-day`` replications, on 1 worker (in this process) and on
  every core (a process pool), and the speed-up between the two (target: >= 50 replications/s
  on 2 cores, speed-up >= 1.9x);
- the same sweep on a Dask ``LocalCluster`` (loopback, one single-threaded worker per core)
  against the local pool: the overhead of the scheduler (target <= 15 % for 200 replications).

Each figure is end to end as a user meets it: checking the points, starting the pool, playing,
scoring and aggregating, writing the files (pool start-up is also reported on its own). The Dask
cluster is up before its sweep starts, as a cluster is when a user points a sweep at it; its
workers import ballotdrill on their first task, inside the timing.

On a shared machine wall-clock rates fall with the others' load, so the CPU a replication takes
is printed too (the one-worker sweep runs in this process: its CPU seconds over its
replications, end to end), with what every core would give if each had a worker to itself
(cores / CPU per replication: the quiet-machine rate, pool start-up and aggregation aside), and
the load average the machine had when the benchmark started.

    python bench/sweep_throughput.py                 # 200 replications of combined-hybrid-day
    python bench/sweep_throughput.py --runs 40 --json  # the reduced form the tests run
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

from ballotdrill import application  # noqa: E402
from ballotdrill.sweep import local_pool, run_tasks  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="replications per sweep (default 200)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    cores = application.default_workers()
    figures: dict[str, Any] = {"scenario": SCENARIO, "runs": args.runs, "cores": cores,
                               "load_average": round(os.getloadavg()[0], 1)}
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
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"sweep of {SCENARIO}: {args.runs} replications, {cores} cores "
          f"(load average {figures['load_average']} at the start)")
    print(f"  1 worker (in process)   {figures['one_worker_per_s']:8.1f} replications/s   "
          f"CPU {figures['cpu_ms_per_replication']:.1f} ms a replication, end to end")
    print(f"  every core, quiet        {figures['quiet_all_cores_per_s']:8.1f} replications/s   "
          f"({cores} / CPU a replication: each worker with a core to itself)")
    print(f"  {cores} workers (pool)       {figures['all_workers_per_s']:8.1f} replications/s   "
          f"(target >= 50 on 2 cores); pool start-up {figures['pool_startup_s']:.2f} s")
    print(f"  speed-up 1 -> {cores} workers   {figures['speedup']:8.2f}x   (target >= 1.9x on 2 cores)")
    if "dask_per_s" in figures:
        print(f"  Dask LocalCluster        {figures['dask_per_s']:8.1f} replications/s   overhead "
              f"{figures['dask_overhead']:+.0%} against the local pool (target <= 15 %); same files: "
              f"{figures['dask_same_result']}")


def dask(tmp: Path, runs: int, cores: int, local: float, local_dir: Path) -> dict[str, Any]:
    """The same sweep on a LocalCluster, timed from submitting to files written (the cluster already up)."""
    try:
        from distributed import LocalCluster
    except ImportError:
        return {"dask": "not installed (pip install 'ballotdrill[distributed]')"}
    with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        took, folder, _ = timed_sweep(tmp, "dask", runs, scheduler=cluster.scheduler_address)
    same = (folder / "sweep.json").read_bytes() == (local_dir / "sweep.json").read_bytes()
    return {"dask_per_s": round(runs / took, 1), "dask_overhead": round(took / local - 1, 3),
            "dask_same_result": same}


if __name__ == "__main__":
    main()
