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

``--parts`` splits the measuring (what a replication takes over the engine alone) by what it does with the engine's
rows: the replications' rows are kept as the engine made them, then fed to a fresh measurer each, in five processes
that differ only in how far the feeding goes (nothing; the dispatch's loop over the rows with no handler; each
handler replaced by a call doing nothing; the real handlers; and finishing). Each part is the difference of two
counts over N, with the rows and handler calls a replication makes, so a part's cost per row or per call reads off
(what a measurer fed by the engine directly, with no rows and no dispatch by kind, could save at most):

    python bench/sweep_instructions.py 4 --parts
"""

from __future__ import annotations

import argparse
import gc
import itertools
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
from ballotdrill.scoring.runmeasures import MeasureScorer  # noqa: E402
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


PARTS = ("none", "loop", "calls", "handlers", "finish")
"""How far ``--parts`` feeds the kept rows: not at all, the dispatch's loop alone, calls doing nothing, the
handlers, the handlers and finishing."""


class Kept:
    """A feed keeping the engine's batches as made (packed as the sweep's measurer takes them)."""

    reads_packed_optional = True

    def __init__(self) -> None:
        self.batches: list[tuple[int, list[Row]]] = []

    def take(self, first_seq: int, rows: list[Row]) -> None:
        self.batches.append((first_seq, list(rows)))


def feed_kept(runs: int, upto: str) -> dict[str, float]:
    """Play replications ``0 .. runs-1`` of sweep seed 1 keeping their rows, then feed each to a fresh measurer as far
    as ``upto`` (:data:`PARTS`); the rows and handler calls a replication made, on average."""
    plan = application.plan_sweep(None, SCENARIO)
    task = make_tasks(plan.points, plan.scenario, [replication_seed(1, 0)], 1)[0]
    measure_plan, setup = point_plan(task.document, task.scenario), point_setup(task.document, task.scenario)
    kept = []
    for index in range(runs):
        rows = Kept()
        with collector_paused():
            run_exercise(measure_plan.doc, SCENARIO, seed=replication_seed(1, index), feed=rows, keep=False,
                         setup=setup)
        kept.append(rows)
    made = calls = 0
    gc.disable()
    for rows in kept:
        scorer = MeasureScorer(measure_plan)
        dispatch = scorer.dispatch
        for _, batch in rows.batches:
            for row in batch:
                made += 1
                calls += len(dispatch.packed.get(row[1], ())) + len(dispatch.events.get(row[1], ()))
        if upto == "loop":
            dispatch.packed, dispatch.events = {}, {}
        elif upto == "calls":
            dispatch.packed = {kind: (_no_row,) * len(handlers) for kind, handlers in dispatch.packed.items()}
            dispatch.events = {kind: (_no_event,) * len(handlers) for kind, handlers in dispatch.events.items()}
        if upto != "none":
            for first_seq, batch in rows.batches:
                scorer.take(first_seq, batch)
        if upto == "finish":
            scorer.finish()
    gc.enable()
    return {"rows": made / max(runs, 1), "calls": calls / max(runs, 1)}


def _no_row(seq: int, row: Row) -> None:
    """A row handler doing nothing (called as a handler is: two arguments, no ``*args``)."""


def _no_event(event: object) -> None:
    """An event handler doing nothing."""


def parts(runs: int) -> dict[str, float]:
    """Millions of instructions a replication's measuring spends on each part (:data:`PARTS`), with its rows and
    handler calls."""
    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(lambda upto: counted("--feed", str(runs), upto), PARTS))
    shape = feed_kept(runs, "none")  # the rows and calls of the same replications, on average
    each = {upto: count / runs for upto, count in zip(PARTS, found, strict=True)}
    figures = {"replications": runs, "rows": shape["rows"], "handler_calls": shape["calls"]}
    for before, part in itertools.pairwise(PARTS):
        if each[part] < each[before]:  # a process that feeds further cannot take fewer: a count went wrong
            raise SystemExit(f"--parts: '{part}' counted fewer instructions than '{before}' "
                             f"({each[part]:,.0f} < {each[before]:,.0f} a replication); count again")
        figures[f"{part}_m"] = round((each[part] - each[before]) / 1e6, 1)
    figures["measuring_m"] = round((each["finish"] - each["none"]) / 1e6, 1)
    return figures


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
    parser.add_argument("--parts", action="store_true", help="split the measuring: dispatch loop, handler calls, "
                        "handlers' work, finishing")
    parser.add_argument("--feed", nargs=2, metavar=("N", "PART"), help=argparse.SUPPRESS)  # one process of --parts
    args = parser.parse_args()
    if args.feed is not None:
        feed_kept(int(args.feed[0]), args.feed[1])
        return
    if args.play is not None:
        cpu = play(args.play, args.engine_only)
        if args.play:
            how = "the engine alone" if args.engine_only else "as a sweep measures them"
            played = f"{args.play} replication{'s' if args.play != 1 else ''}"
            print(f"{played} of {SCENARIO} ({how}): {1000 * cpu / args.play:.1f} ms of CPU each")
        return
    if args.runs < 1:
        parser.error("count at least one replication")
    if args.parts:
        split = parts(args.runs)
        if args.json:
            print(json.dumps(split, indent=2))
            return
        rows, calls = split["rows"], split["handler_calls"]
        print(f"the measuring of a replication of {SCENARIO} ({args.runs} replications of sweep seed 1, "
              f"PYTHONHASHSEED=0): {split['measuring_m']:.1f} million instructions; {rows:,.0f} rows, "
              f"{calls:,.0f} handler calls")
        print(f"  the dispatch's loop over the rows  {split['loop_m']:6.1f} M  "
              f"({1e6 * split['loop_m'] / rows:,.0f} a row)")
        print(f"  calling the handlers               {split['calls_m']:6.1f} M  "
              f"({1e6 * split['calls_m'] / calls:,.0f} a call)")
        print(f"  the handlers' own work             {split['handlers_m']:6.1f} M")
        print(f"  finishing                          {split['finish_m']:6.1f} M")
        return
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
