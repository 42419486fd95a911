"""Start-up: how long ``ballotdrill --help``, ``list`` and ``validate`` take as whole processes.

Each command runs as a fresh process of the installed ``ballotdrill`` script (as a user types
it), interleaved with ``python -c pass`` (the interpreter's own start-up) in the same run.
Figures are printed as seconds and as a ratio to ``python -c pass``, wall time and CPU time
(user + system, steadier on a shared machine), the best and the median of the repeats; what a
command imports is listed too. Two rows time libraries alone: typer, rich, pydantic and PyYAML
(what the commands once loaded), and a cold start's floor (what a cold-cache ``list`` loads
before any code of this project runs).

``list`` and ``validate`` are timed twice: with a cold cache (every run gets an empty cache
folder: what the first run after an install pays; the library is answered by the summaries shipped
with the package) and with a warm one (the entry a previous run wrote). ``validate`` of a new file
(the library with a comment added: a user's own file, which nothing has seen) is timed cold and
warm too: the cold run reads, validates and checks it in full and writes the cache entry.
Their output goes to ``/dev/null``, as in a CI job or a pipe, where ``validate`` writes its lines
without loading rich; ``validate`` is timed in a terminal too (a pseudo-terminal), where rich
writes them (in colour).

``--phases`` takes a full check of the library apart instead, as a cold ``list`` of a file the shipped
summaries do not answer pays it: the CPU time of each part (the libraries, the models, reading,
building the validator, validating, the checks, the table), the median over fresh processes,
beside ``python -c pass``.

The bytecode cache is warmed first and every process may write it (``PYTHONDONTWRITEBYTECODE``
is dropped from their environment): an installed package has its ``.pyc`` files, and timing the
compilation of the source instead would measure a start-up no user sees.

    python bench/startup.py            # 15 repeats
    python bench/startup.py --quick    # 3 repeats, for CI (figures only)
    python bench/startup.py --phases   # where a cold list's time goes
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
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "scenarios.yaml"
NEW_FILE = "NEW-FILE"
"""Stands for a new scenario file (made in the run's folder) in :data:`COMMANDS`."""

COMMANDS: dict[str, list[str]] = {
    "--help": ["--help"],
    "list": ["list"],
    "validate": ["validate", str(LIBRARY)],
    "validate a new file": ["validate", NEW_FILE],
}
"""What an analyst types first; none of them runs the engine, scores or renders."""

_CLI = "import sys; from ballotdrill.cli import main; sys.argv[0] = 'ballotdrill'; main()"
SCRIPT = Path(sys.executable).with_name("ballotdrill")
"""The console script pip installed beside this interpreter (without it, the same entry point through ``-c``)."""
CACHED = ("list", "validate", "validate a new file")
"""The commands that answer from the summary cache when it holds the file."""
IN_A_TERMINAL = ("validate",)
"""The commands also timed with a terminal for their output (rich writes their lines there)."""

LIBRARIES = "import typer, rich.console, pydantic, pydantic.main, pydantic.plugin._loader, yaml"
"""The libraries every one of these commands loads (typer builds its parameters' converters with pydantic,
which loads its plugin registry): the part of a start-up this project does not control."""

FLOOR = "import rich.console, rich.table, pydantic.main, pydantic.types, pydantic.plugin._loader, yaml"
"""What a cold-cache ``list`` of a new file loads before any code of this project runs: rich (its console and
table), pydantic (with the modules and the plugin loader it imports when it builds a validator, for any model) and
PyYAML. A cold start cannot go below this while the format is validated by its pydantic models (it also pays
pydantic's scan of the installed packages for plugins, a few ms, which this row leaves out)."""

HEAVY = ("simpy", "jinja2", "ballotdrill.exercise", "ballotdrill.scoring", "ballotdrill.report",
         "ballotdrill.exports", "ballotdrill.sweep", "sqlite3")
"""Modules none of these commands needs."""
LIBRARY_NAMES = ("typer", "pydantic", "yaml", "rich", "rich.markdown")
"""The libraries whose loading the figures turn on (shown per command)."""


def _environment(cache: Path | None = None) -> dict[str, str]:
    """This environment, bytecode writing allowed (as for a user: an installed package has its ``.pyc`` files),
    with the summary cache in ``cache``."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    return env


class Run(NamedTuple):
    """One contender: its command line, its cache folder (None: an empty one each time), whether its output
    goes to a terminal."""

    argv: list[str]
    cache: Path | None = None
    terminal: bool = False


def _wall(argv: list[str], cache: Path | None = None, terminal: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``argv`` as a process; its output to ``/dev/null``, or
    to a pseudo-terminal (``validate`` writes a line or two: the terminal's buffer holds them unread)."""
    env = _environment(cache)
    leader, follower = os.openpty() if terminal else (-1, subprocess.DEVNULL)
    try:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=follower, stderr=follower, cwd=ROOT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        if terminal:
            os.close(follower)
            os.close(leader)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def imported(args: list[str], cache: Path, terminal: bool = False) -> tuple[list[str], list[str]]:
    """The heavy modules and the libraries a command imports (from a run with ``-X importtime``; for a terminal,
    with ``FORCE_COLOR`` set, which makes rich treat the pipe as one)."""
    env = _environment(cache) | ({"FORCE_COLOR": "1"} if terminal else {})
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", _CLI, *args], capture_output=True,
                          text=True, cwd=ROOT, env=env)
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted(h for h in HEAVY if h in names), [name for name in LIBRARY_NAMES if name in names]


def _command(args: list[str]) -> list[str]:
    return [str(SCRIPT), *args] if SCRIPT.is_file() else [sys.executable, "-c", _CLI, *args]


def measure(repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="ballotdrill-startup-") as folder:
        return _measure(repeat, Path(folder))


def _measure(repeat: int, folder: Path) -> dict[str, object]:
    warm = folder / "warm"
    new_file = folder / "mine.yaml"
    new_file.write_bytes(LIBRARY.read_bytes() + b"# my own copy\n")
    runs: dict[str, Run] = {
        "python -c pass": Run([sys.executable, "-c", "pass"]),
        "libraries": Run([sys.executable, "-c", LIBRARIES]),
        "floor": Run([sys.executable, "-c", FLOOR]),
    }
    shown: dict[str, Run] = {}
    for name, command in COMMANDS.items():
        args = [str(new_file) if arg == NEW_FILE else arg for arg in command]
        if name not in CACHED:
            shown[name] = Run(args, warm)
            continue
        for where in ("", ", in a terminal") if name in IN_A_TERMINAL else ("",):
            shown[f"{name}, cold cache{where}"] = Run(args, None, bool(where))  # None: an empty folder every run
            shown[f"{name}, warm cache{where}"] = Run(args, warm, bool(where))
    runs.update({name: run._replace(argv=_command(run.argv)) for name, run in shown.items()})
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    cold = iter(range(10**6))

    def timed(run: Run) -> tuple[float, float]:
        empty = folder / f"cold-{next(cold)}"
        try:
            return _wall(run.argv, run.cache or empty, run.terminal)
        finally:
            shutil.rmtree(empty, ignore_errors=True)

    for run in runs.values():  # warm-up, not timed: writes the bytecode and the warm cache's entries
        timed(run)
    for _ in range(repeat):  # interleaved: a busy moment of the machine hits every contender alike
        for name, run in runs.items():
            samples[name].append(timed(run))
    best = {name: (min(w for w, _ in runs), min(c for _, c in runs)) for name, runs in samples.items()}
    median = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
              for name, runs in samples.items()}
    base, base_cpu = best["python -c pass"]
    base_median = median["python -c pass"]
    loads = {name: imported(run.argv, run.cache or folder / f"cold-probe-{n}", run.terminal)  # cold: a new folder
             for n, (name, run) in enumerate(shown.items())}
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


PHASES = r"""
import io, json, sys, time
spent = {}
last = time.process_time()
def phase(name):
    global last
    now = time.process_time()
    spent[name] = now - last
    last = now
import ballotdrill.cli, ballotdrill.commands.listing, ballotdrill.scenarios.summary
phase("ballotdrill's command-line modules (and the stdlib they use)")
import rich.console, rich.table
phase("rich (console, table)")
import yaml
phase("PyYAML")
import pydantic.main
phase("pydantic.main")
import pydantic.types, pydantic.functional_validators, pydantic.functional_serializers, pydantic.json_schema
import pydantic._internal._generate_schema
phase("the pydantic modules a model's validator needs")
import pydantic.plugin._loader
phase("importlib.metadata (pydantic's plugin loader)")
import ballotdrill.scenarios.types, ballotdrill.scenarios.distributions, ballotdrill.scenarios.election
import ballotdrill.scenarios.structure, ballotdrill.scenarios.scenario
phase("making the format's model classes")
from ballotdrill.scenarios import crossref, deadconfig, loader
phase("the checks' modules (loader, cross-checks, warnings)")
from ballotdrill.scenarios.library import library_path
from ballotdrill.scenarios.rawfile import decode, read_bytes
from ballotdrill.scenarios.yamlread import parse
source = str(library_path())
doc = parse(decode(read_bytes(source, source), source), source)
phase("reading the YAML (its data alone)")
from ballotdrill.scenarios.scenario import ScenarioFile
ScenarioFile.model_rebuild()
phase("building the validator (and pydantic's scan for plugins)")
model = ScenarioFile.model_validate(doc.data)
phase("validating")
assert not crossref.check(model)
warnings = [doc.problem(w.path, w.message) for w in deadconfig.warnings(model)]
phase("cross-checks and warnings")
from ballotdrill.commands.output import add_row, new_table
from ballotdrill.scenarios.summary import summarize
summary = summarize(loader.Checked(model, warnings, []))
columns = ("name", "title", "window", "injects", "objectives")
table = new_table("Scenarios", columns, [e.name for e in summary.scenarios])
for e in summary.scenarios:
    add_row(table, e.name, e.title, f"{e.start}-{e.end}", str(e.injects), str(e.objectives))
rich.console.Console(file=io.StringIO(), width=10_000).print(table)
phase("the summary and its table")
print(json.dumps(spent))
"""
"""A cold ``list`` of the library, taken apart: each part's CPU time in one fresh process (each ``import`` line
loads what the part needs beyond the parts before it)."""


def phases(repeat: int) -> dict[str, float]:
    """The median CPU seconds of each part of a cold ``list`` (:data:`PHASES`), ``python -c pass`` first."""
    runs: list[dict[str, float]] = []
    base: list[float] = []
    env = _environment()
    for n in range(repeat + 1):  # the first run writes the bytecode, not timed
        done = subprocess.run([sys.executable, "-c", PHASES], capture_output=True, text=True, cwd=ROOT, env=env,
                              check=True)
        if n:
            runs.append(json.loads(done.stdout))
            base.append(_wall([sys.executable, "-c", "pass"])[1])
    medians = {"python -c pass": statistics.median(base)}
    medians.update({part: statistics.median(run[part] for run in runs) for part in runs[0]})
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 repeats (CI's reduced form)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--phases", action="store_true", help="where a cold list's time goes, part by part")
    args = parser.parse_args()
    if args.phases:
        parts = phases(3 if args.quick else args.repeat)
        if args.json:
            print(json.dumps(parts, indent=2))
            return
        base = parts["python -c pass"]
        for part, seconds in parts.items():
            print(f"  {part:<60} {seconds * 1000:6.1f} ms CPU  {seconds / base:5.2f}x python -c pass")
        print(f"  {'all of it':<60} {sum(parts.values()) * 1000:6.1f} ms CPU  "
              f"{sum(parts.values()) / base:5.2f}x (median of {3 if args.quick else args.repeat} each)")
        return
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
        print(f"  ballotdrill {name:<35} {row['seconds']:.3f} s  {row['ratio']:.2f}x python; "
              f"CPU {row['cpu_seconds']:.3f} s  {row['cpu_ratio']:.2f}x; median {row['median_seconds']:.3f} s  "
              f"{row['median_ratio']:.2f}x, CPU {row['median_cpu_seconds']:.3f} s  {row['median_cpu_ratio']:.2f}x  "
              f"(loads {libraries} of {', '.join(LIBRARY_NAMES)}; {heavy})")


if __name__ == "__main__":
    main()
