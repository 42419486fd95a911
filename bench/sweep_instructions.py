"""Instructions a sweep's replication takes: valgrind's count, which a shared machine's load does not move.

One worker plays replications 0 .. N-1 of sweep seed 1 of ``combined-hybrid-day`` after two warm-up replications
(of another seed), as a sweep's worker plays them; the same process with N = 0 (imports, set-up and warm-up alone)
is subtracted, so what is left over N is a replication. Counted as a sweep measures it (the engine fed to the
sweep's measurer) and for the engine alone (fed to nothing: the floor, played as the sweep plays it), each pair of
processes under valgrind at the same time (several minutes for N = 4 on a busy machine):

    python bench/sweep_instructions.py 4            # millions of instructions a replication
    python bench/sweep_instructions.py 4 --json

``--play N`` (with ``--engine-only``) is one such process without valgrind: it prints the CPU the N replications
took.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ballotdrill import application  # noqa: E402
from ballotdrill.exercise.run import collector_paused, run_exercise  # noqa: E402
from ballotdrill.journal import Row  # noqa: E402
from ballotdrill.sweep import make_tasks, replication_seed  # noqa: E402
from ballotdrill.sweep.worker import point_plan, point_setup, run_task  # noqa: E402

SCENARIO = "combined-hybrid-day"


class EngineAlone:
    """A feed that takes the engine's batches and does nothing with them: the engine alone. It takes them as the
    sweep's measurer does (a row's optional fields packed: ``reads_packed_optional``), so the engine plays the same
    code as in a sweep."""

    reads_packed_optional = True

    def take(self, first_seq: int, rows: list[Row]) -> None:
        return None


def play(runs: int, engine_only: bool) -> float:
    """Play replications ``0 .. runs-1`` of sweep seed 1 in this process as a worker plays them (or the engine alone),
    after two warm-up replications of another seed; the CPU seconds they took."""
    plan = application.plan_sweep(None, SCENARIO)
    task = make_tasks(plan.points, plan.scenario, [replication_seed(1, i) for i in range(max(runs, 1))], 1)[0]
    measure_plan, setup = point_plan(task.document, task.scenario), point_setup(task.document, task.scenario)

    def played(replications: tuple[tuple[int, int], ...]) -> None:
        if not engine_only:
            run_task(task._replace(replications=replications))
            return
        for _, seed in replications:
            with collector_paused():
                run_exercise(measure_plan.doc, SCENARIO, seed=seed, feed=EngineAlone(), keep=False, setup=setup)
            gc.collect(0)

    played(tuple((i, replication_seed(99, i)) for i in range(2)))  # warm up: imports, the point's plan, caches
    cpu = time.process_time()
    played(tuple((i, replication_seed(1, i)) for i in range(runs)))
    return time.process_time() - cpu


def counted(*arguments: str) -> int:
    """Instructions this script takes with ``arguments``, counted by valgrind (hash seed fixed)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, str(Path(__file__).resolve()), *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    found = [line for line in done.stderr.splitlines() if "I" in line and "refs:" in line]
    if not found:
        raise SystemExit(f"valgrind printed no instruction count: {done.stderr[-300:]}")
    return int(found[-1].rsplit(":", 1)[1].replace(",", ""))


def instructions(runs: int) -> dict[str, float]:
    """Millions of instructions a replication takes, as a sweep measures it and the engine alone (each N
    replications less none, over N)."""
    plays = [("--play", str(runs)), ("--play", "0"), ("--play", str(runs), "--engine-only"),
             ("--play", "0", "--engine-only")]
    with ThreadPoolExecutor(2) as pool:  # two valgrinds at a time: the counts do not depend on the load
        sweep_n, sweep_0, engine_n, engine_0 = pool.map(lambda arguments: counted(*arguments), plays)
    sweep, engine = (sweep_n - sweep_0) / runs, (engine_n - engine_0) / runs
    return {"replications": runs, "instructions_sweep_m": round(sweep / 1e6, 1),
            "instructions_engine_m": round(engine / 1e6, 1),
            "instructions_measuring_m": round((sweep - engine) / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", type=int, nargs="?", default=4, help="replications counted (default 4)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--play", type=int, metavar="N", help="only play replications 0 .. N-1 in this process and "
                        "print their CPU (0: the set-up and warm-up alone)")
    parser.add_argument("--engine-only", action="store_true", help="with --play: the engine alone, fed to nothing")
    args = parser.parse_args()
    if args.play is not None:
        cpu = play(args.play, args.engine_only)
        if args.play:
            how = "the engine alone" if args.engine_only else "as a sweep measures them"
            played = f"{args.play} replication{'s' if args.play != 1 else ''}"
            print(f"{played} of {SCENARIO} ({how}): {1000 * cpu / args.play:.1f} ms of CPU each")
        return
    if args.runs < 1:
        parser.error("count at least one replication")
    figures = instructions(args.runs)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"instructions a replication of {SCENARIO} ({args.runs} replications of sweep seed 1, PYTHONHASHSEED=0): "
          f"{figures['instructions_sweep_m']:.1f} million as a sweep measures it, the engine alone "
          f"{figures['instructions_engine_m']:.1f} million, measuring "
          f"{figures['instructions_measuring_m']:.1f} million")


if __name__ == "__main__":
    main()
