"""The sweep command: many replications, the chance of meeting each objective."""

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ballotdrill import application
from ballotdrill.commands.common import (
    FileOption,
    JsonOption,
    add_row,
    err,
    new_table,
    say,
)
from ballotdrill.commands.output import write


def sweep(
    scenario: Annotated[str | None, typer.Argument(help="Scenario name (default: the file's default).")] = None,
    file: FileOption = None,
    runs: Annotated[int, typer.Option("--runs", "-n", help="Replications per grid point and variant.")] = 100,
    seed: Annotated[int, typer.Option(help="Sweep seed: each replication's seed is derived from it.")] = 1,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: every core).")] = None,
    overrides: Annotated[list[str] | None, typer.Option(
        "--set", help="Override a value for every run: PATH=VALUE.")] = None,
    grid: Annotated[list[str] | None, typer.Option(
        "--grid", help="Sweep a value: PATH=V1,V2,... (repeatable: every combination).")] = None,
    variants: Annotated[list[Path] | None, typer.Option(
        "--variant", help="A structure variant file, compared with the baseline on the same seeds (repeatable).",
    )] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Sweep folder (default: a new folder under runs/).")] = None,
    keep_journals: Annotated[bool, typer.Option(
        "--keep-journals", help="Also write every replication's journal as a run folder under journals/.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        help="Run on a Dask cluster: the scheduler's address, tcp://HOST:PORT.")] = None,
    connect_timeout: Annotated[float | None, typer.Option(
        help="Seconds --scheduler waits to reach its scheduler (default 10).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Run many replications (Monte-Carlo): the chance of meeting each objective, with confidence intervals."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ballotdrill.journal.interrupts import interrupts_held

    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("sweeping", total=None)
        outcome = application.sweep_to_folder(
            file, scenario, runs=runs, seed=seed, workers=workers, overrides=overrides or [], grid=grid or [],
            variants=variants or [], out=out_dir, keep_journals=keep_journals, scheduler=scheduler,
            connect_timeout=connect_timeout,
            progress=lambda done, total: progress.update(task, completed=done, total=total))
    seconds = time.perf_counter() - started
    with interrupts_held(deliver=False):  # the sweep is complete: its summary is printed whole
        if json_out:
            write(sys.stdout, application.sweep_json(outcome.result))
        _print_sweep(outcome, seconds)


def _print_sweep(outcome: "application.SweepOutcome", seconds: float) -> None:
    from ballotdrill.sweep import difference_text, objective_value_difference
    from ballotdrill.sweep.model import RATINGS
    from ballotdrill.sweep.render import (
        bottleneck_text,
        breaking_points,
        done_text,
        longest_wait_text,
        met_text,
        unexercised_text,
    )

    result = outcome.result
    def counted(n: int, what: str) -> str:
        return f"{n:,} {what}{'s' if n != 1 else ''}"

    say(f"[bold]{escape(result.scenario)}[/bold]: {counted(outcome.replications, 'replication')} "
        f"({result.runs} per point, {counted(len(result.points), 'point')}) in {seconds:.1f} s "
        f"on {counted(outcome.slots, 'worker')}", markup=True)
    for variant in result.variants:  # what a variant does to this structure, before what it changed in the runs
        say(f"  variant {variant.name}: {', '.join(variant.changes)}")
    objectives = result.points[0].objectives
    table = new_table("Chance of meeting each objective (share rated P of the runs that exercised it, 95 % CI)",
                   ("point", *(o.id for o in objectives)), [p.label for p in result.points])
    for point in result.points:
        add_row(table, point.label, *(met_text(o, point.runs) for o in point.objectives))
    err.print(table)
    if result.axes:  # the load question's answer, as sweep.html reads it along the first grid axis
        for k, o in enumerate(objectives):
            for line in breaking_points(result, k):
                say(f"  {o.id}: {line}")
    for point in result.points:  # a run that did not exercise an objective is not in its chance of meeting it
        for o in point.objectives:
            unplayed = o.ratings[RATINGS[4]].count
            if unplayed:
                exercised = o.met_when_exercised.runs
                say(f"  {o.id}{' at ' + point.label if len(result.points) > 1 else ''}: not exercised in {unplayed} "
                    f"of {point.runs} runs ({unexercised_text(o)})"
                    + (f"; its chance of meeting is of the {exercised} that exercised it" if exercised else "")
                    + done_text([o], "; "))
    for point in result.points:
        waits = longest_wait_text(point)
        say(f"  bottleneck{' at ' + point.label if len(result.points) > 1 else ''}: {bottleneck_text(point)}"
            + (f"; longest single wait (mean a run): {waits}" if waits else ""))
    points = {p.index: p for p in result.points}
    for comparison in result.comparisons:
        where = f" at {points[comparison.variant_point].label}" if comparison.grid else ""
        for diff in comparison.objectives:
            say(f"  {diff.verdict}{where}: {diff.text}")
            value = objective_value_difference(comparison, diff.id)
            if value is not None and diff.verdict != "not comparable":  # never exercised on both sides: no value
                say(f"    {diff.id} value with {comparison.variant}, paired: {difference_text(value)}")
    say(f"  summary: {outcome.folder / 'sweep.html'} (also sweep.json, sweep.csv, replications.csv)")


