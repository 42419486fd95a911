"""OCEL's SQLite form with its log filled by a forked child (as shipped) against the log's thread (as where no child can
be forked), interleaved: ``export --ocel log.sqlite`` as a whole process, A B A B ….

Each export runs in a fresh process (``ballotdrill``'s own ``main``; for the thread, ``can_fork`` made false first) on
the same run of the engine benchmark's network (bench/engine_vs_simpy.py). For each: wall seconds, CPU seconds of the
main process and of its reaped children (the log's child), peak resident memory of each; then the medians and the
child's ratios to the thread. On a shared machine the wall says little; the main process's CPU is the floor of the
wall on two free cores, as long as the child keeps up.

    python bench/ocel_sqlite_sides.py                    # 10,000 incidents, 3 rounds
    python bench/ocel_sqlite_sides.py --incidents 100000 --rounds 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from engine_vs_simpy import scenario_yaml  # noqa: E402

_EXPORT = """
import resource, sys
from ballotdrill.exports import ocel_sql_apart
if {thread}:
    ocel_sql_apart.can_fork = lambda: False
from ballotdrill.cli import main
sys.argv = ["ballotdrill", "export", {folder!r}, "--ocel", {out!r}]
try:
    main()
except SystemExit as exc:
    if exc.code:
        raise
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("FIGURES", me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime, me.ru_maxrss, children.ru_maxrss,
      file=sys.stderr)
"""

SIDES = ("child", "thread")


def export(folder: Path, out: Path, side: str) -> dict[str, float]:
    """One export of ``folder``'s run into ``out``: wall, CPU and peak memory of the main process and of its child."""
    out.unlink(missing_ok=True)
    code = _EXPORT.format(thread=side == "thread", folder=str(folder), out=str(out))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    figures = [line.split()[1:] for line in done.stderr.splitlines() if line.startswith("FIGURES")]
    if done.returncode or not figures:
        raise SystemExit(f"the export ({side}) failed: {done.stderr.strip()[-2000:]}")
    main_cpu, child_cpu, main_kb, child_kb = map(float, figures[0])
    return {"wall": wall, "main_cpu": main_cpu, "child_cpu": child_cpu, "main_mb": main_kb / 1024,
            "child_mb": child_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "model.yaml").write_text(scenario_yaml(args.incidents), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "ballotdrill", "run", "bench", "--file", str(work / "model.yaml"),
                        "--seed", "1", "--out", str(work / "run")], check=True, capture_output=True)
        drawn: dict[str, list[dict[str, float]]] = {side: [] for side in SIDES}
        for _ in range(args.rounds):
            for side in SIDES:
                row = export(work / "run", work / f"{side}.sqlite", side)
                drawn[side].append(row)
                print(f"  {side:<6} wall {row['wall']:7.2f} s  CPU main {row['main_cpu']:6.2f} s  child "
                      f"{row['child_cpu']:6.2f} s  peak {row['main_mb']:4.0f} / {row['child_mb']:4.0f} MB  "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
    median = {side: {key: statistics.median(row[key] for row in rows) for key in rows[0]}
              for side, rows in drawn.items()}
    child, thread = median["child"], median["thread"]
    print(f"OCEL SQLite at {args.incidents:,} incidents, medians of {args.rounds}: child / thread — wall "
          f"{child['wall'] / thread['wall']:.2f}, the main process's CPU {child['main_cpu'] / thread['main_cpu']:.2f}, "
          f"all CPU {(child['main_cpu'] + child['child_cpu']) / thread['main_cpu']:.2f}")


if __name__ == "__main__":
    main()
