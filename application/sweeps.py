"""Sweeps into a folder: many replications of a scenario, over grid values and variants, summarised.

Writes ``sweep.json``, ``sweep.csv``, ``replications.csv`` and ``sweep.html`` (and, when asked,
every replication's journal as a run folder of its own under ``journals/``).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import NamedTuple

from ballotdrill.application.folder import make_output_folder, require_empty
from ballotdrill.application.runinputs import fresh_folder, seed_text
from ballotdrill.application.runs import RunInterrupted, before_writing
from ballotdrill.exercise.run import run_meta
from ballotdrill.journal import JOURNAL_FILE, SqliteSink
from ballotdrill.journal.interrupts import interrupts_held
from ballotdrill.journal.seal import seal
from ballotdrill.journal.store import SWEEP_POINT
from ballotdrill.scenarios import library_path
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.sweep import (
    Axis,
    Point,
    Progress,
    SweepResult,
    Variant,
    aggregate,
    build_points,
    check_workers,
    dask_pool,
    local_pool,
    make_tasks,
    parse_axis,
    read_variant,
    render_csv,
    render_html,
    render_json,
    render_replications,
    replication_seed,
    run_tasks,
    usable_cores,
)
from ballotdrill.sweep.execute import connect_timeout as checked_timeout
from ballotdrill.sweep.execute import scheduler_endpoint, start_forkserver
from ballotdrill.sweep.worker import Done


def sweep_json(result: SweepResult) -> str:
    """The sweep's result as canonical JSON (what sweep.json holds)."""
    return render_json(result)


SWEEP_FILES = ("sweep.json", "sweep.csv", "replications.csv", "sweep.html")


class SweepOutcome(NamedTuple):
    """A finished sweep: its folder, result, how many replications ran and on how many worker slots."""

    folder: Path
    result: SweepResult
    replications: int
    slots: int
    files: list[Path]


def default_workers() -> int:
    """Every core this process may use."""
    return usable_cores()


def new_sweep_dir(scenario: str, seed: int, root: Path = Path("runs")) -> Path:
    """A fresh folder under ``root``: ``SCENARIO-sweep-seedN``, then ``-2``, ``-3`` …"""
    return fresh_folder(root / f"{scenario}-sweep-seed{seed_text(seed)}")


class SweepPlan(NamedTuple):
    """A sweep's points, checked: the scenario's name, the grid axes, the variants and where the file came from."""

    scenario: str
    points: list[Point]
    axes: list[Axis]
    variants: list[Variant]
    source: str


MAX_RUNS = 100_000
"""Most replications a point of a sweep may ask for (about two hours of one core for the library's day)."""

MAX_POINTS = 1_000
"""Most points (combinations of ``--grid`` values, each for the baseline and every variant) a sweep may have."""

MAX_REPLICATIONS = 1_000_000
"""Most replications of a whole sweep (runs times points): each is kept until the sweep is aggregated."""


def check_size(runs: int, axes: Sequence[Sequence[str]] = (), variants: int = 0) -> None:
    """Refuse a sweep that could not finish in a working day or fit in memory, before any point is built."""
    if runs < 1:
        raise BallotdrillError(f"--runs must be at least 1 (got {runs}); 30 or more give useful intervals")
    if runs > MAX_RUNS:
        raise BallotdrillError(f"--runs must be at most {MAX_RUNS:,} (got {runs:,}); a few hundred runs give "
                               "intervals of a few points")
    points = math.prod(len(values) for values in axes) * (1 + variants)
    if points > MAX_POINTS:
        counts = " x ".join(str(len(values)) for values in axes) or "1"
        raise BallotdrillError(f"--grid: {counts} values" + (f" for the baseline and {variants} variant(s)"
                                                             if variants else "")
                               + f" make {points:,} points, more than {MAX_POINTS:,}; sweep fewer values at once")
    if runs * points > MAX_REPLICATIONS:
        raise BallotdrillError(f"--runs {runs:,} at each of {points:,} points make {runs * points:,} replications, "
                               f"more than {MAX_REPLICATIONS:,}; lower --runs or sweep fewer values")


def plan_sweep(file: Path | None, scenario: str | None, overrides: Sequence[str] = (), grid: Sequence[str] = (),
               variants: Sequence[Path] = (), runs: int = 1) -> SweepPlan:
    """Read the scenario file and variant files and build every point; any problem is one located line."""
    source = str(file) if file else "built-in library"
    document = read_file(str(file or library_path()), source if file else None)
    axes = [parse_axis(text) for text in grid]
    check_size(runs, [axis.values for axis in axes], len(variants))
    read = [read_variant(Path(path)) for path in variants]
    name, points = build_points(document, scenario, overrides, axes, read)
    return SweepPlan(name, points, axes, read, source)


def sweep_to_folder(file: Path | None, scenario: str | None, *, runs: int, seed: int = 1,
                    workers: int | None = None, overrides: Sequence[str] = (), grid: Sequence[str] = (),
                    variants: Sequence[Path] = (), out: Path | None = None, keep_journals: bool = False,
                    scheduler: str | None = None, connect_timeout: float | None = None,
                    progress: Progress | None = None) -> SweepOutcome:
    """Check everything, run ``runs`` replications of every point, aggregate and write the sweep's files
    (``connect_timeout``: seconds to reach ``scheduler``; by default
    :data:`~ballotdrill.sweep.execute.CONNECT_TIMEOUT`)."""
    with before_writing("the sweep"):  # a Ctrl-C while the sweep is checked leaves nothing behind
        check_size(runs)
        timeout = checked_timeout(connect_timeout, scheduler)
        if scheduler is not None:
            scheduler_endpoint(scheduler)  # the address's form, before the files are read
        if workers is not None and (scheduler is None or workers < 1):  # on a cluster the local cores do not bound it
            check_workers(workers)
        if scheduler is None and runs > 1 and (workers or default_workers()) > 1:
            start_forkserver()  # the pool's fork server imports the engine while this process checks the sweep
        plan = plan_sweep(file, scenario, overrides, grid, variants, runs)
    name, points, axes, read, source = plan.scenario, plan.points, plan.axes, plan.variants, plan.source
    seeds = [replication_seed(seed, i) for i in range(runs)]
    folder = out or new_sweep_dir(name, seed)
    replications = runs * len(points)  # a worker more than there are replications would only wait
    pool: AbstractContextManager[tuple[Executor | None, int]] = (
        dask_pool(scheduler, timeout) if scheduler else local_pool(min(workers or default_workers(), replications)))
    made = False
    try:
        with pool as (executor, slots):  # a scheduler is reached before the folder is made
            made = _prepare(folder)
            try:
                done = run_tasks(make_tasks(points, name, seeds, slots, keep_journals), executor, progress)
            except ModuleNotFoundError as exc:
                if scheduler is None:
                    raise
                raise BallotdrillError(f"--scheduler {scheduler}: a Dask worker cannot import {exc.name!r}; "
                                       "install ballotdrill (with its distributed extra) on every worker") from None
    except KeyboardInterrupt:
        _discard(folder, made)
        raise RunInterrupted("interrupted: the sweep stopped before its replications were done; "
                             "nothing was written") from None
    except BaseException:  # a run failed: leave no empty folder behind
        _discard(folder, made)
        raise
    try:
        if keep_journals:
            _write_journals(folder, points, name, source, done)
        outcomes = [d.outcome for d in done]
        result = aggregate(name, seed, seeds, overrides, axes, read, points, outcomes)
        texts = {"sweep.json": render_json(result), "sweep.csv": render_csv(result),
                 "replications.csv": render_replications(result, outcomes), "sweep.html": render_html(result)}
    except KeyboardInterrupt:
        _discard(folder, made)
        kept = f" ({folder / 'journals'} keeps the journals written so far)" if (folder / "journals").exists() else ""
        raise RunInterrupted(f"interrupted: the sweep's replications had run but its summary was not written{kept}; "
                             "run the sweep again") from None
    files: list[Path] = []
    with interrupts_held(deliver=False):  # the summary files are written as a set; the sweep is then complete
        for filename, text in texts.items():
            path = folder / filename
            try:
                with open(path, "x", encoding="utf-8", newline="\n") as handle:  # never over a file made meanwhile
                    handle.write(text)
            except FileExistsError:
                kept = f" (it wrote {', '.join(f.name for f in files)})" if files else ""
                raise BallotdrillError(f"{path} appeared while this sweep ran (another sweep into the same --out?) "
                                       f"and is left as it is; this sweep's summary is not whole{kept}: run it "
                                       "again with a new --out") from None
            except OSError as exc:
                raise BallotdrillError(f"{path}: cannot write ({exc.strerror or exc})") from None
            files.append(path)
    return SweepOutcome(folder, result, len(done), slots, files)


def _discard(folder: Path, made: bool) -> None:
    """Remove the sweep's folder if this sweep made it and it is still empty."""
    if made and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def _prepare(folder: Path) -> bool:
    """Create the sweep's folder (True if it did not exist); refuse one that already holds a sweep, or anything."""
    if folder.is_symlink():
        raise BallotdrillError(f"{folder} is a symbolic link; ballotdrill never writes through one: give the real "
                               f"path ({os.path.realpath(folder)}) or a new folder")
    taken = [f for f in SWEEP_FILES if os.path.lexists(folder / f)]  # a link, even dangling, is never followed
    if taken or os.path.lexists(folder / "journals"):
        raise BallotdrillError(f"{folder} already holds a sweep ({(taken or ['journals'])[0]}); "
                               "choose a new --out folder")
    existed = folder.exists()
    make_output_folder(folder)
    require_empty(folder, "a sweep")
    return not existed


def journal_folder(folder: Path, point: Point, replication: int, seed: int) -> Path:
    """Where a kept replication's run folder goes: ``journals/POINT-VARIANT/rREPLICATION-seedSEED``."""
    return folder / "journals" / f"p{point.index:03d}-{point.variant}" / f"r{replication:04d}-seed{seed}"


def kept_meta(point: Point, scenario: str, seed: int, source: str) -> dict[str, str]:
    """A kept replication's meta, as ``run --set`` records a run's: what the point changed as its overrides (so its
    report and ``compare`` tell what it played), the roles, and the point's label (:data:`SWEEP_POINT`)."""
    return {**run_meta(point.doc, scenario, seed, source), "overrides": json.dumps(list(point.played)),
            **dict(point.cast), SWEEP_POINT: point.label}


def _write_journals(folder: Path, points: Sequence[Point], scenario: str, source: str, done: Sequence[Done]) -> None:
    for d in done:
        o, point = d.outcome, points[d.outcome.point]
        assert d.rows is not None
        run_dir = journal_folder(folder, point, o.replication, o.seed)
        try:
            with interrupts_held():  # each kept journal whole and sealed, or not begun
                run_dir.mkdir(parents=True)
                sink = SqliteSink(run_dir / JOURNAL_FILE, kept_meta(point, scenario, o.seed, source))
                sink.write(0, d.rows)
                sink.close()
                seal(run_dir / JOURNAL_FILE)  # a finished run: report, compare and export accept it
        except OSError as exc:
            raise BallotdrillError(f"{run_dir}: cannot write the journal ({exc.strerror or exc})") from None
