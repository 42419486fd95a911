"""Where the CPU of one ``run`` command goes, phase by phase, on the five-agency network.

    python bench/run_phases.py              # 100,000 incidents
    python bench/run_phases.py --incidents 10000
    python bench/run_phases.py --incidents 10000 --capture feed.bin   # also keep what the scoring process read
    python bench/run_phases.py --replay feed.bin --repeat 3             # feed it again, in this process
    python bench/run_phases.py --incidents 10000 --capture-writer frames.bin   # keep the journal writer's input
    python bench/run_phases.py --replay-writer frames.bin                      # write it again, in this process

``--capture FILE`` keeps the bytes the scoring process read (the scenario, every batch's frame, the end of the run
and the report's meta); ``--replay FILE`` feeds them to the scoring process's own loop
(:func:`~ballotdrill.application.livefeed.serve`) in this process, with the cyclic collector off as there, and
prints the CPU of feeding every row and of finishing (best of ``--repeat``): the scoring process alone, without
the engine, for profiling it (``python -m cProfile``) or counting its instructions (``valgrind``).
``--capture-writer FILE`` and ``--replay-writer FILE`` do the same for the journal writer process
(:func:`~ballotdrill.journal.store.serve_writer`): its frames kept as it reads them, then written again to a fresh
journal in this process.

The command runs in this process as a user types it (``ballotdrill run ... --out``); each phase's
function is wrapped with a CPU timer (``getrusage``: user + system), so no profiler skews the
figures: the engine and its journal rows, handing every batch on (to the journal writer process
and to the scoring process, or to the scorer in this process for a short run), the journal writer
process (a child that also hashes each row for the seal as it inserts it, and writes the seal: its
CPU is counted when it is reaped), the scoring process (a child fed every batch, which finishes the
scores and gathers the report's rows: its CPU counted when it is reaped, and split as it measures
it), sealing in this process (a run too short for the writer process; a pass over the rows only if
no digest could be kept), laying out and rendering each report (a long run's ``scores.json`` in a child forked
meanwhile: its CPU counted when it is reaped). A hand-written SimPy model of the
same network runs first in a child process, so every phase also prints as a multiple of it. The
CPU of each process, the wall time and the load average before and after are printed together:
on two cores the wall is at least the largest process's CPU and half the sum of all three.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from engine_vs_simpy import scenario_yaml  # noqa: E402

SEAL = "seal in the main process (a pass over every row only without the writer's digest)"
JOURNAL = "batches handed to the journal writer (main process)"
"""A long run: each batch framed (``marshal``) and written to the journal writer process's pipe."""
FED = "batches handed to the scorer (main process)"
"""A long run: the same frame written to the scoring process's pipe; a short one: the scorer fed here."""
APART = "report: scores.json in a forked child"
"""A long run's ``scores.json`` is rendered in a child forked after the scores are assembled (its CPU counted when it
is reaped), while this process lays out and renders the HTML and Markdown."""
SCORING = "scoring process"
HEAD = "serial head: main process until the scoring process"
"""The main process's CPU from its start (with its imports) to forking the scoring process: nothing else runs."""
TAIL = "serial tail: main process after its answer"
"""The main process's CPU from the scoring process's answer (unpickled) to the end: lay-out, HTML, Markdown, writing
the files; with the scoring process's finishing, the part of the wall after the last row that one core does."""
SCORING_FEED = "  of it: feeding every row"
SCORING_ASSEMBLE = "  of it: finish scoring, gather rows"
"""A long run's writer process hashes the rows as it inserts them and writes the seal (its CPU counted there)."""

_HANDWRITTEN = "import sys; sys.path.insert(0, {bench!r}); import engine_vs_simpy as b; b.handwritten({n})"


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def handwritten_cpu(incidents: int) -> float:
    """CPU seconds of the hand-written model as a whole process (interpreter, SimPy and the run)."""
    before = _cpu(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", _HANDWRITTEN.format(bench=str(BENCH), n=incidents)], check=True,
                   stdout=subprocess.DEVNULL)
    return _cpu(resource.RUSAGE_CHILDREN) - before


def capture_to(path: Path) -> None:
    """Have the scoring process's input copied to ``path`` as it reads it (``tee`` in front of it): started as a new
    interpreter rather than forked, so its first frame holds the scenario."""
    import ballotdrill.application.livefeed as livefeed

    livefeed.can_fork = lambda: False  # type: ignore[assignment]
    popen = subprocess.Popen

    class Teed(popen):  # type: ignore[misc, type-arg]
        def __init__(self, command: Any, *args: Any, **kwargs: Any) -> None:
            if isinstance(command, list) and "ballotdrill.application.livefeed" in command:
                command = ["sh", "-c", f"tee {shlex.quote(str(path))} | {shlex.join(command)}"]
            super().__init__(command, *args, **kwargs)

    subprocess.Popen = Teed  # type: ignore[misc]


def capture_writer_to(path: Path) -> None:
    """Have the journal writer process's input copied to ``path`` as it reads it (``tee`` in front of it): started
    as a new interpreter rather than forked."""
    import ballotdrill.journal.store as store

    store.can_fork = lambda: False  # type: ignore[assignment]
    popen = subprocess.Popen

    class Teed(popen):  # type: ignore[misc, type-arg]
        def __init__(self, command: Any, *args: Any, **kwargs: Any) -> None:
            if isinstance(command, list) and "ballotdrill.journal.writer" in command:
                command = ["sh", "-c", f"tee {shlex.quote(str(path))} | {shlex.join(command)}"]
            super().__init__(command, *args, **kwargs)

    subprocess.Popen = Teed  # type: ignore[misc]


def replay_writer(path: Path) -> float:
    """The journal writer's CPU seconds writing its captured input to a fresh journal in this process (its meta
    absent: the seal covers none), as :func:`~ballotdrill.journal.store.serve_writer` does in its own process."""
    import io

    from ballotdrill.journal.store import serve_writer

    data = path.read_bytes()
    work = Path(tempfile.mkdtemp())
    try:
        start = _cpu()
        serve_writer(work / "journal.sqlite", io.BytesIO(data))
        return _cpu() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)


def replay(path: Path, repeat: int) -> dict[str, float]:
    """The scoring process's CPU seconds feeding every row and finishing, best of ``repeat``, on its captured input."""
    import gc
    import io
    import pickle

    import ballotdrill.report.report  # noqa: F401 - imported before the timing, as the scoring process has it
    from ballotdrill.application.livefeed import serve

    data = path.read_bytes()
    best = {"feed": float("inf"), "assemble": float("inf")}
    gc.disable()
    for _ in range(repeat):
        out = io.BytesIO()
        serve(io.BytesIO(data), out)
        tag, _report, cpu = pickle.loads(out.getvalue())
        if tag != "ok":
            raise SystemExit(f"{path}: the captured run could not be scored again")
        best = {key: min(best[key], cpu[key]) for key in best}
        gc.collect()
    return best


def measure(incidents: int, work: Path) -> dict[str, float]:
    """CPU seconds per phase of one ``run`` command (and its wall seconds)."""
    spent: dict[str, float] = defaultdict(float)
    start = _cpu()
    answer = [0.0]
    import ballotdrill.application.risks as risks  # the report writer imports it when it runs
    import ballotdrill.application.runs  # noqa: F401
    import ballotdrill.cli as cli
    import ballotdrill.exercise.run as play
    import ballotdrill.report as report

    spent["imports"] = _cpu() - start

    def timed(owner: Any, name: str, label: str) -> None:
        inner: Callable[..., Any] = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = _cpu()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] += _cpu() - began
        setattr(owner, name, wrapper)

    def write(sink: Any, first_seq: int, rows: list[Any]) -> None:  # the journal's share, then the scorer's
        began = _cpu()
        if sink.sink is not None:
            sink.sink.write(first_seq, rows)
        handed = _cpu()
        spent[JOURNAL] += handed - began
        sink.hand_on(first_seq, rows)
        spent[FED] += _cpu() - handed

    play.FeedingSink.write = write  # type: ignore[method-assign]
    import ballotdrill.journal.store as store
    timed(store, "seal", SEAL)
    timed(risks, "with_risks", "report: risks")
    for name, label in (("render_html", "report: render HTML"), ("render_markdown", "report: render Markdown"),
                        ("render_json", "report: render scores.json")):
        timed(report, name, label)
    import ballotdrill.report.build as build
    import ballotdrill.report.report as assembled
    timed(assembled.ReportFeed, "assemble", "report: finish scoring, gather rows")
    import ballotdrill.application.livefeed as livefeed
    answered = livefeed.LiveFeed.assembler

    def assembler(feed: Any, meta: Any) -> Any:  # the scoring process answers and is reaped here
        began, children = _cpu(), _cpu(resource.RUSAGE_CHILDREN)
        try:
            return answered(feed, meta)
        finally:
            answer[0] = _cpu()
            spent["waiting for the scoring process (main process)"] += _cpu() - began
            spent[SCORING] += _cpu(resource.RUSAGE_CHILDREN) - children
            spent[SCORING_FEED] += feed.cpu.get("feed", 0.0)
            spent[SCORING_ASSEMBLE] += feed.cpu.get("assemble", 0.0)

    livefeed.LiveFeed.assembler = assembler  # type: ignore[method-assign]
    forked = livefeed.LiveFeed._start

    def forking(feed: Any) -> None:  # the serial head ends here: the scoring process is forked
        spent[HEAD] = _cpu() - start  # with the imports and setting up this script's timers
        forked(feed)

    livefeed.LiveFeed._start = forking  # type: ignore[method-assign]
    import ballotdrill.application.runs as runs
    written = runs.write_report_files

    def write_report_files(*args: Any, **kwargs: Any) -> Any:  # a long run's scores.json: a forked child, reaped here
        children = _cpu(resource.RUSAGE_CHILDREN)
        try:
            return written(*args, **kwargs)
        finally:
            spent[APART] += _cpu(resource.RUSAGE_CHILDREN) - children

    runs.write_report_files = write_report_files
    timed(build, "laid_out", "report: lay out")
    played = play.run_exercise

    def run_exercise(*args: Any, **kwargs: Any) -> Any:
        began, children = _cpu(), _cpu(resource.RUSAGE_CHILDREN)
        try:
            return played(*args, **kwargs)
        finally:
            spent["run_exercise (main process)"] += _cpu() - began
            spent["journal writer process"] += _cpu(resource.RUSAGE_CHILDREN) - children

    play.run_exercise = run_exercise  # type: ignore[assignment]
    model = work / "model.yaml"
    model.write_text(scenario_yaml(incidents), encoding="utf-8")
    out = work / "run"
    argv = sys.argv
    sys.argv = ["ballotdrill", "run", "bench", "--file", str(model), "--seed", "1", "--out", str(out)]
    began, wall = _cpu(), time.perf_counter()
    try:
        with contextlib.redirect_stdout(sys.stderr):  # the run's summary: stdout keeps the figures
            cli.main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        sys.argv = argv
    spent["wall"] = time.perf_counter() - wall
    spent[TAIL] = _cpu() - answer[0] if answer[0] else 0.0
    spent["command (main process)"] = _cpu() - began + spent["imports"]
    spent["engine and journal rows (main process)"] = (spent["run_exercise (main process)"] - spent[FED]
                                                      - spent[JOURNAL] - spent[SEAL])
    spent["the rest (start-up, writing files)"] = (spent["command (main process)"] - spent["imports"]
                                                  - spent["run_exercise (main process)"]
                                                  - spent["waiting for the scoring process (main process)"]
                                                  - spent["report: finish scoring, gather rows"]
                                                  - spent["report: lay out"] - spent["report: risks"]
                                                  - sum(v for k, v in spent.items() if k.startswith("report: r")))
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--capture", type=Path, help="keep the scoring process's input in this file")
    parser.add_argument("--replay", type=Path, help="feed a captured input in this process instead of a run")
    parser.add_argument("--capture-writer", type=Path, help="keep the journal writer process's input in this file")
    parser.add_argument("--replay-writer", type=Path, help="write a captured writer input in this process")
    parser.add_argument("--repeat", type=int, default=1, help="with --replay: times to feed it (best of them)")
    args = parser.parse_args()
    if args.replay is not None:
        best = replay(args.replay, max(1, args.repeat))
        print(f"scoring process on {args.replay}: feeding every row {best['feed']:.2f} s, finishing and gathering "
              f"{best['assemble']:.2f} s of CPU (best of {max(1, args.repeat)}; load average {os.getloadavg()[0]:.1f})")
        return
    if args.replay_writer is not None:
        print(f"journal writer on {args.replay_writer}: {replay_writer(args.replay_writer):.2f} s of CPU "
              f"(load average {os.getloadavg()[0]:.1f})")
        return
    if args.capture is not None:
        capture_to(args.capture.resolve())
    if args.capture_writer is not None:
        capture_writer_to(args.capture_writer.resolve())
    load_before = os.getloadavg()[0]
    base = handwritten_cpu(args.incidents)
    work = Path(tempfile.mkdtemp())
    try:
        spent = measure(args.incidents, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()[0]
    main_cpu, writer, scoring = spent["command (main process)"], spent["journal writer process"], spent[SCORING]
    total = main_cpu + writer + scoring + spent[APART]
    rows = ["engine and journal rows (main process)", JOURNAL, FED, "journal writer process", SCORING, SCORING_FEED,
            SCORING_ASSEMBLE, SEAL, "waiting for the scoring process (main process)",
            "report: finish scoring, gather rows", "report: lay out", "report: risks",
            "report: render HTML", "report: render Markdown", "report: render scores.json", APART, "imports",
            "the rest (start-up, writing files)", HEAD, TAIL]
    serial = spent[HEAD] + spent[SCORING_ASSEMBLE] + spent[TAIL]
    floor = serial + max(spent[SCORING_FEED], (total - serial - spent[APART]) / 2)
    if args.json:
        print(json.dumps({"incidents": args.incidents, "handwritten_cpu": base, "total_cpu": total,
                          "main_cpu": main_cpu, "writer_cpu": writer, "scoring_cpu": scoring, "apart_cpu": spent[APART],
                          "wall": spent["wall"], "floor": floor, "load": [load_before, load_after],
                          "phases": {row: spent[row] for row in rows}}, indent=2))
        return
    print(f"run at {args.incidents:,} incidents: CPU per phase (hand-written SimPy model: {base:.2f} s)")
    print(f"  {'phase':<48} {'CPU s':>8} {'share':>7} {'x model':>8}")
    for row in rows:
        print(f"  {row:<48} {spent[row]:>8.2f} {spent[row] / total:>7.1%} {spent[row] / base:>8.2f}")
    print(f"  {'all (the command and its child processes)':<48} {total:>8.2f} {1:>7.0%} {total / base:>8.2f}")
    print(f"  CPU by process: main {main_cpu:.2f} s ({main_cpu / base:.2f}x), journal writer {writer:.2f} s "
          f"({writer / base:.2f}x), scoring {scoring:.2f} s ({scoring / base:.2f}x)")
    print(f"  floor on two free cores: the serial head, the scoring process's finishing and the tail ({serial:.2f} s), "
          f"plus the larger of its feed and half of the rest: {floor:.2f} s ({floor / base:.2f}x)")
    print(f"  wall {spent['wall']:.1f} s ({spent['wall'] / base:.2f}x the model's CPU); load average "
          f"{load_before:.1f} before, {load_after:.1f} after (on two idle cores the wall is about the larger of the "
          f"largest process's CPU and half of all three)")


if __name__ == "__main__":
    main()
