"""Whole commands: ``run``, ``report``, ``export`` (each format) and ``compare`` as processes.

The network is the engine benchmark's (bench/engine_vs_simpy.py: five agencies, Poisson
arrivals, about 70 % load), at a small and a large number of incidents. Each command runs as
a fresh process, as a user types it; the baseline is a tight hand-written SimPy model of the
same network, also a whole process (interpreter, SimPy and the run), in the same run of this
script. For each command: wall and CPU seconds, their ratios to the hand-written model, and the peak
resident memory of its largest process (``wait4``'s ``ru_maxrss``: the command or a child of it,
such as the journal writer), with how much it grows from the small size to the large one. ``seal-check``
is not a command but checking a journal against its seal (a pass over every row) measured alone: what
``report`` pays before it reads the run (``run`` no longer pays it: its writer makes the seal's digest as it
commits the rows; exports check the seal in their own pass over the rows).

Every process may write its bytecode cache, as a user's does (an installed package has its ``.pyc``
files), and an unmeasured round at 100 incidents writes it first: no figure times compiling the source.

    python bench/commands.py             # 10,000 and 100,000 incidents
    python bench/commands.py --quick     # 1,000 and 3,000, for CI (figures only)
    python bench/commands.py --only report compare   # ``run`` and these only
    python bench/commands.py --only run              # ``run`` alone
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from engine_vs_simpy import scenario_yaml  # noqa: E402

TARGETS = {"export-jsonl": 2.0, "export-csv": 2.0, "export-ocel": 6.0, "export-ocel-sqlite": 6.0, "compare": 3.0}
"""Wall ratio to the hand-written model each command should stay within (issue 15)."""

MEMORY_TARGET_MB = 300

WARM_UP_INCIDENTS = 100
"""The size of the unmeasured round that writes the bytecode cache before the figures are taken."""


def timed(argv: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run ``argv`` to completion: its wall seconds, CPU seconds (user + system, with its children) and
    peak resident memory in MB (of its largest process)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {stderr.strip()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def commands(folder: Path, other: Path, out: Path) -> dict[str, list[str]]:
    """Each measured command after ``run`` (``ballotdrill`` as ``python -m ballotdrill``)."""
    bd = [sys.executable, "-m", "ballotdrill"]
    return {
        "report": [*bd, "report", str(folder)],
        "export-jsonl": [*bd, "export", str(folder), "--jsonl", str(out / "j.jsonl")],
        "export-csv": [*bd, "export", str(folder), "--csv", str(out / "j.csv")],
        "export-ocel": [*bd, "export", str(folder), "--ocel", str(out / "log.json")],
        "export-ocel-sqlite": [*bd, "export", str(folder), "--ocel", str(out / "log.sqlite")],
        "compare": [*bd, "compare", str(folder), str(other), "--json"],
        "seal-check": [sys.executable, "-c", _SEAL_CHECK.format(journal=str(folder / "journal.sqlite"))],
    }


_SEAL_CHECK = ("from pathlib import Path; from ballotdrill.journal.seal import verify; "
               "assert verify(Path({journal!r})).state == 'sealed'")
"""Checking a run's journal against its seal, alone (``report`` does it before reading the run)."""


_HANDWRITTEN = "import sys; sys.path.insert(0, {bench!r}); import engine_vs_simpy as b; b.handwritten({n})"


def measure(incidents: int, work: Path, only: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Every command at one size, in a fresh folder, each just after a run of the hand-written model.

    The model is run again before each command and each ratio is to the run next to it, so a
    busy moment of a shared machine weighs on both sides of a ratio alike.
    """
    model = work / "model.yaml"
    model.write_text(scenario_yaml(incidents), encoding="utf-8")
    bd = [sys.executable, "-m", "ballotdrill"]
    folder, other = work / "run", work / "run-seed2"
    runs = {"run": [*bd, "run", "bench", "--file", str(model), "--seed", "1", "--out", str(folder)],
            "run (seed 2)": [*bd, "run", "bench", "--file", str(model), "--seed", "2", "--out", str(other)],
            **{name: argv for name, argv in commands(folder, other, work).items()
               if only is None or name in only}}
    if only is not None and "compare" not in only:
        del runs["run (seed 2)"]
    baseline = [sys.executable, "-c", _HANDWRITTEN.format(bench=str(BENCH), n=incidents)]
    rows: dict[str, dict[str, float]] = {}
    bases: list[tuple[float, float]] = []
    for name, argv in runs.items():
        base, base_cpu, base_mb = timed(baseline, work)
        bases.append((base, base_cpu))
        seconds, cpu, peak = timed(argv, work)
        rows[name] = {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "ratio": seconds / base,
                      "cpu_ratio": cpu / base_cpu}
        rows["hand-written SimPy"] = {"seconds": min(b[0] for b in bases), "cpu": min(b[1] for b in bases),
                                      "peak_mb": base_mb, "ratio": 1.0, "cpu_ratio": 1.0}
    rows.pop("run (seed 2)", None)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=(10_000, 100_000), metavar=("SMALL", "LARGE"))
    parser.add_argument("--quick", action="store_true", help="1,000 and 3,000 incidents (CI's reduced form)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--only", nargs="+", metavar="COMMAND", choices=["run", *commands(Path(), Path(), Path())],
                        help="measure ``run`` and only these commands (``--only run``: ``run`` alone)")
    args = parser.parse_args()
    small, large = (1_000, 3_000) if args.quick else args.sizes
    # As for a user, every process may write its bytecode cache (an installed package has its .pyc files);
    # one unmeasured round at a tiny size writes it, so no figure times compiling the source.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "warm").mkdir()
        measure(WARM_UP_INCIDENTS, Path(tmp) / "warm", args.only)
        (Path(tmp) / "small").mkdir()
        (Path(tmp) / "large").mkdir()
        at_small = measure(small, Path(tmp) / "small", args.only)
        at_large = measure(large, Path(tmp) / "large", args.only)
    figures = {"incidents": [small, large], "commands": {
        name: {"seconds": [round(at_small[name]["seconds"], 2), round(at_large[name]["seconds"], 2)],
               "ratio": [round(at_small[name]["ratio"], 2), round(at_large[name]["ratio"], 2)],
               "cpu_seconds": [round(at_small[name]["cpu"], 2), round(at_large[name]["cpu"], 2)],
               "cpu_ratio": [round(at_small[name]["cpu_ratio"], 2), round(at_large[name]["cpu_ratio"], 2)],
               "peak_mb": [round(at_small[name]["peak_mb"], 1), round(at_large[name]["peak_mb"], 1)],
               "memory_growth": round(at_large[name]["peak_mb"] / at_small[name]["peak_mb"], 2),
               "target_ratio": TARGETS.get(name)}
        for name in at_small}}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"whole commands at {small:,} and {large:,} incidents (ratios to the hand-written SimPy model run"
          " next to each; CPU is user + system time, steadier than wall time on a shared machine)")
    print(f"  {'command':<20} {'seconds':>17} {'ratio':>13} {'CPU ratio':>13} {'peak MB':>17}  growth  target")
    for name, row in figures["commands"].items():  # type: ignore[attr-defined]
        target = f"<= {row['target_ratio']:g}x, flat, < {MEMORY_TARGET_MB} MB" if row["target_ratio"] else ""
        print(f"  {name:<20} {row['seconds'][0]:>8.2f} {row['seconds'][1]:>8.2f} "
              f"{row['ratio'][0]:>6.2f} {row['ratio'][1]:>6.2f} "
              f"{row['cpu_ratio'][0]:>6.2f} {row['cpu_ratio'][1]:>6.2f} "
              f"{row['peak_mb'][0]:>8.0f} {row['peak_mb'][1]:>8.0f}"
              f"  x{row['memory_growth']:<5.2f} {target}")


if __name__ == "__main__":
    main()
