"""Start-up: how long ``ballotdrill --help``, ``list`` and ``validate`` take as whole processes.

Each command runs as a fresh process of the installed ``ballotdrill`` script (as a user types
it), interleaved with ``python -c pass`` (the interpreter's own start-up) in the same run.
Figures are printed as seconds and as a ratio to ``python -c pass``, wall time and CPU time
(user + system, steadier on a shared machine), the best and the median of the repeats; what a
command imports is listed too. Two rows time libraries alone: typer, rich, pydantic and PyYAML
(what the commands once loaded), and a cold start's floor (what a cold-cache ``list`` loads
before any code of this project runs).

``list`` and ``validate`` are timed twice: with a cold cache (every run gets an empty cache
folder, so it reads, validates and checks the file in full and writes the cache entry: what the
first run after an install or an edit pays) and with a warm one (the entry a previous run wrote).

The bytecode cache is warmed first and every process may write it (``PYTHONDONTWRITEBYTECODE``
is dropped from their environment): an installed package has its ``.pyc`` files, and timing the
compilation of the source instead would measure a start-up no user sees.

    python bench/startup.py            # 15 repeats
    python bench/startup.py --quick    # 3 repeats, for CI (figures only)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios.yaml"

COMMANDS: dict[str, list[str]] = {
    "--help": ["--help"],
    "list": ["list"],
    "validate": ["validate", str(LIBRARY)],
}
"""What an analyst types first; none of them runs the engine, scores or renders."""

_CLI = "import sys; from ballotdrill.cli import main; sys.argv[0] = 'ballotdrill'; main()"
SCRIPT = Path(sys.executable).with_name("ballotdrill")
"""The console script pip installed beside this interpreter (without it, the same entry point through ``-c``)."""
CACHED = ("list", "validate")
"""The commands that answer from the summary cache when it holds the file."""

LIBRARIES = "import typer, rich.console, pydantic, pydantic.main, pydantic.plugin._loader, yaml"
"""The libraries every one of these commands loads (typer builds its parameters' converters with pydantic,
which loads its plugin registry): the part of a start-up this project does not control."""

FLOOR = "import rich.console, rich.table, pydantic.main, pydantic.types, pydantic.plugin._loader, yaml"
"""What a cold-cache ``list`` loads before any code of this project runs: rich (its console and table), pydantic
(with the modules and the plugin loader it imports when it builds a validator, for any model) and
PyYAML. A cold start cannot go below this while the format is validated by its pydantic models (it also pays
pydantic's scan of the installed packages for plugins, a few ms, which this row leaves out)."""

HEAVY = ("simpy", "jinja2", "ballotdrill.exercise", "ballotdrill.scoring", "ballotdrill.report",
         "ballotdrill.exports", "ballotdrill.sweep", "sqlite3")
"""Modules none of these commands needs."""
LIBRARY_NAMES = ("typer", "pydantic", "yaml", "rich.markdown")
"""The libraries whose loading the figures turn on (shown per command)."""


def _environment(cache: Path | None = None) -> dict[str, str]:
    """This environment, bytecode writing allowed (as for a user: an installed package has its ``.pyc`` files),
    with the summary cache in ``cache``."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    return env


def _wall(argv: list[str], cache: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``argv`` as a process."""
    env = _environment(cache)
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def imported(args: list[str], cache: Path) -> tuple[list[str], list[str]]:
    """The heavy modules and the libraries a command imports (from a run with ``-X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", _CLI, *args], capture_output=True,
                          text=True, cwd=ROOT, env=_environment(cache))
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted(h for h in HEAVY if h in names), [name for name in LIBRARY_NAMES if name in names]


def _command(args: list[str]) -> list[str]:
    return [str(SCRIPT), *args] if SCRIPT.is_file() else [sys.executable, "-c", _CLI, *args]


def measure(repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="ballotdrill-startup-") as folder:
        return _measure(repeat, Path(folder))


def _measure(repeat: int, folder: Path) -> dict[str, object]:
    warm = folder / "warm"
    runs: dict[str, tuple[list[str], Path | None]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        "libraries": ([sys.executable, "-c", LIBRARIES], None),
        "floor": ([sys.executable, "-c", FLOOR], None),
    }
    shown: dict[str, tuple[list[str], Path | None]] = {}
    for name, args in COMMANDS.items():
        if name in CACHED:
            shown[f"{name}, cold cache"] = (args, None)  # None: a new empty folder for every run
            shown[f"{name}, warm cache"] = (args, warm)
        else:
            shown[name] = (args, warm)
    runs.update({name: (_command(args), cache) for name, (args, cache) in shown.items()})
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    cold = iter(range(10**6))

    def timed(argv: list[str], cache: Path | None) -> tuple[float, float]:
        empty = folder / f"cold-{next(cold)}"
        try:
            return _wall(argv, cache or empty)
        finally:
            shutil.rmtree(empty, ignore_errors=True)

    for argv, cache in runs.values():  # warm-up, not timed: writes the bytecode and the warm cache's entries
        timed(argv, cache)
    for _ in range(repeat):  # interleaved: a busy moment of the machine hits every contender alike
        for name, (argv, cache) in runs.items():
            samples[name].append(timed(argv, cache))
    best = {name: (min(w for w, _ in runs), min(c for _, c in runs)) for name, runs in samples.items()}
    median = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
              for name, runs in samples.items()}
    base, base_cpu = best["python -c pass"]
    base_median = median["python -c pass"]
    loads = {name: imported(args, cache or folder / "cold-probe") for name, (args, cache) in shown.items()}
    return {
        "repeat": repeat,
        "python_pass_s": round(base, 4),
        "python_pass_cpu_s": round(base_cpu, 4),
        "python_pass_median_s": round(base_median[0], 4),
        "python_pass_median_cpu_s": round(base_median[1], 4),
        **{row: {"seconds": round(best[row][0], 4), "cpu_seconds": round(best[row][1], 4),
                 "cpu_ratio": round(best[row][1] / base_cpu, 2), "median_seconds": round(median[row][0], 4),
                 "median_cpu_seconds": round(median[row][1], 4),
                 "median_cpu_ratio": round(median[row][1] / base_median[1], 2)}
           for row in ("libraries", "floor")},
        "script": str(SCRIPT) if SCRIPT.is_file() else None,
        "commands": {name: {"seconds": round(best[name][0], 4), "ratio": round(best[name][0] / base, 2),
                            "cpu_seconds": round(best[name][1], 4), "cpu_ratio": round(best[name][1] / base_cpu, 2),
                            "median_seconds": round(median[name][0], 4),
                            "median_ratio": round(median[name][0] / base_median[0], 2),
                            "median_cpu_seconds": round(median[name][1], 4),
                            "median_cpu_ratio": round(median[name][1] / base_median[1], 2),
                            "beyond_python_s": round(best[name][0] - base, 4), "heavy_imports": loads[name][0],
                            "libraries": loads[name][1]}
                     for name in shown},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 repeats (CI's reduced form)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(3 if args.quick else args.repeat)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"python -c pass: {figures['python_pass_s']:.3f} s, CPU {figures['python_pass_cpu_s']:.3f} s "
          f"(best of {figures['repeat']}; median {figures['python_pass_median_s']:.3f} s, "
          f"CPU {figures['python_pass_median_cpu_s']:.3f} s)")
    for row, label in (("libraries", "typer, rich, pydantic, yaml alone"),
                       ("floor", "a cold start's libraries alone")):
        found = figures[row]
        print(f"  {label}: {found['seconds']:.3f} s; CPU {found['cpu_seconds']:.3f} s  "  # type: ignore[index]
              f"{found['cpu_ratio']:.2f}x (median CPU {found['median_cpu_seconds']:.3f} s  "  # type: ignore[index]
              f"{found['median_cpu_ratio']:.2f}x)")  # type: ignore[index]
    for name, row in figures["commands"].items():  # type: ignore[attr-defined]
        heavy = ", ".join(row["heavy_imports"]) or "nothing heavy"
        libraries = ", ".join(row["libraries"]) or "none of them"
        print(f"  ballotdrill {name:<22} {row['seconds']:.3f} s  {row['ratio']:.2f}x python; "
              f"CPU {row['cpu_seconds']:.3f} s  {row['cpu_ratio']:.2f}x; median {row['median_seconds']:.3f} s  "
              f"{row['median_ratio']:.2f}x, CPU {row['median_cpu_seconds']:.3f} s  {row['median_cpu_ratio']:.2f}x  "
              f"(loads {libraries} of {', '.join(LIBRARY_NAMES)}; {heavy})")


if __name__ == "__main__":
    main()
