"""The batch run's commands: run, report, compare, decisions and export."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ballotdrill import application, scenarios
from ballotdrill.commands import exporting
from ballotdrill.commands.common import (
    FileOption,
    ForceOption,
    JsonOption,
    add_row,
    emit_json,
    err,
    forced,
    new_table,
    out,
    say,
)
from ballotdrill.commands.output import write
from ballotdrill.scenarios.safetext import json_output, terminal_text

if TYPE_CHECKING:
    from ballotdrill.scoring import Scores


def run(
    scenario: Annotated[str | None, typer.Argument(help="Scenario name (default: the file's default).")] = None,
    file: FileOption = None,
    seed: Annotated[int, typer.Option(help="Seed of the run's random streams.")] = 1,
    until: Annotated[str | None, typer.Option(help="Stop at this clock time (HH:MM or D+1 09:00).")] = None,
    overrides: Annotated[list[str] | None, typer.Option(
        "--set", help="Override a value of the file: PATH=VALUE, e.g. structure.actors.national-cert.staff=5.")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Run folder (default: a new folder under runs/).")] = None,
    decisions: Annotated[Path | None, typer.Option(
        help="JSON file of recorded decisions (request key to option) to replay.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Run a scenario in batch: journal, after-action report and a summary of where work waited."""
    from ballotdrill.application.runs import before_writing

    with before_writing():  # a Ctrl-C here leaves nothing behind; once the run has its folder, the run tells it
        doc, _, warnings = application.check_scenarios(file, overrides or [])
        for warning in application.run_warnings(warnings):
            say(warning)
        name, _ = scenarios.pick(doc, scenario)
        folder = out_dir or application.new_run_dir(name, seed)
        recorded = application.read_decisions(decisions)
        if decisions is not None:
            application.check_decisions(decisions, recorded, doc, name)
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from ballotdrill.journal.interrupts import interrupts_held
        from ballotdrill.scoring.summary import run_summary

    # Redrawn as the run reports its progress (50 times a run), not by a thread of its own: a process with no other
    # thread can fork its scoring process (journal/forked.py), which then starts with the scorer imported.
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal, auto_refresh=False) as progress:
        task = progress.add_task(f"running {name}", total=1.0)
        progress.refresh()
        result = application.run_to_folder(
            doc, name, seed=seed, folder=folder, until=until, decisions=recorded,
            source=str(file) if file else "built-in library", overrides=overrides or [],
            progress=lambda done, total: progress.update(task, completed=done / total, refresh=True))
    scores = result.report.scores
    with interrupts_held(deliver=False):  # the run is complete: its summary is printed whole
        if json_out:
            emit_json({**run_summary(scores), "out": str(folder), "events": result.events})
        _print_summary(scores, folder, result.events)


def _print_summary(scores: "Scores", folder: Path, events: int) -> None:
    from ballotdrill.scoring.summary import waiting_lines

    totals = scores.totals
    say(f"[bold]{escape(scores.scenario)}[/bold] seed {scores.seed}: {events:,} journal events", markup=True)
    say(f"  incidents {totals.incidents:,} ({totals.open_incidents:,} unresolved) · handoffs {totals.handoffs:,} "
         f"({totals.handoff_failures:,} failed attempts, {totals.drops:,} dropped, {totals.reroutes:,} rerouted) · "
         f"late steps {totals.late_steps:,} of {totals.steps_with_target:,} with a target"
         + (f" ({totals.late_unreached:,} not yet reached when the run stopped)" if totals.late_unreached else "")
         + (f" · legal deadlines missed {totals.deadlines_missed:,}" if totals.deadlines_missed else ""))
    harm = [f"reach {totals.reach:,.0f}" if totals.reach else "",
            f"voter-minutes lost {totals.voter_minutes:,.0f}" if totals.voter_minutes else "",
            f"station-minutes disrupted {totals.station_minutes:,.0f}" if totals.station_minutes else ""]
    if any(harm):
        say("  harm: " + " · ".join(h for h in harm if h))
    for line in waiting_lines(scores.load):
        say(f"  {line}")
    if scores.objectives:
        table = new_table("Objectives", ("objective", "capability", "value", "target", "rating"),
                       [o.id for o in scores.objectives])
        for obj in scores.objectives:
            add_row(table, obj.id, obj.capability, obj.value_text or "-", obj.target_text, obj.rating)
        err.print(table)
    say(f"  report: {folder / 'report.html'} (also report.md, scores.json)")


def report(
    folder: Annotated[Path, typer.Argument(help="Run folder (holds journal.sqlite).")],
    fmt: Annotated[str | None, typer.Option("--format", help="Only this format: html, md or json.")] = None,
    force: ForceOption = False,
) -> None:
    """Rebuild the after-action report of a run from its journal alone (a finished, unchanged run)."""
    forced(force, folder)
    for path in application.write_reports(folder, [fmt] if fmt else list(application.REPORT_FILES), force=force)[1]:
        say(f"wrote {path}")


def compare(
    folder_a: Annotated[Path, typer.Argument(help="First run folder.")],
    folder_b: Annotated[Path, typer.Argument(help="Second run folder.")],
    only_changed: Annotated[bool, typer.Option(
        "--changed", help="After the summary, list every measure that differs.")] = False,
    json_out: JsonOption = False,
    force: ForceOption = False,
) -> None:
    """Compare two runs (A and B): what differs in their inputs, a summary, and with --changed every difference."""
    from ballotdrill.report.comparison import SWEEP_HINT, comparison_view
    from ballotdrill.scoring import comparison_json

    forced(force, folder_a, folder_b)
    comparison = application.compare_runs(folder_a, folder_b, force=force, say=say)
    if json_out:
        write(sys.stdout, json_output(comparison_json(comparison)))
        return
    view = comparison_view(comparison)
    _print_text(f"A = {folder_a} · B = {folder_b}")
    if len(view.inputs) > 1:
        _print_rows("What differs in the inputs", view.inputs)
    else:
        _print_text("Same inputs: scenario, seed, overrides, decisions and scenario file.")
    if len(view.unsimulated) > 1:
        _print_rows("What else differs, changing nothing simulated", view.unsimulated)
    for note in view.notes:  # what the differences below can come from, before them
        _print_text(note)
    if len(view.summary) > 1:
        _print_rows("Summary: what changed that matters", view.summary)
    else:
        _print_text("Summary: no objective, run total, scripted incident, queue or background distribution differs.")
    if only_changed:
        _print_rows(f"Every measure that differs ({view.differing} of {view.total})", view.detail)
        if view.differing == 0:
            say("the two runs do not differ on any measure")
    else:
        say(f"{view.differing} of {view.total} measures differ; --changed lists them, --json gives everything")
    say(SWEEP_HINT)


def _print_text(text: str) -> None:
    out.print(terminal_text(text), markup=False, highlight=False)


def _print_rows(title: str, rows: list[list[str]]) -> None:
    header, *body = rows
    table = new_table(title, header)
    for row in body:
        add_row(table, *row)
    out.print(table)


def decisions(
    target: Annotated[str | None, typer.Argument(
        help="A run folder, or a scenario name (of the library or --file; default: --file's default).")] = None,
    file: FileOption = None,
    template: Annotated[Path | None, typer.Option(
        "--template", help="Write a decisions file (key to option) to edit and replay with run --decisions.")] = None,
    json_out: JsonOption = False,
) -> None:
    """List the decision points of a run (what was asked and answered) or of a scenario (the keys that can occur)."""
    found = application.decision_points(target, file)
    if template is not None:
        count = application.write_template(found, template)
        say(f"wrote {count} decision(s) to {template}: edit the options, then run with --decisions {template}")
    if json_out:
        emit_json(application.points_json(found))
        return
    if found.source == "run":
        table = new_table(f"Decisions asked in the run of {found.scenario}",
                       ("key", "asked", "actor", "options", "default", "chosen", "by"), [p.key for p in found.points])
        for p in found.points:
            add_row(table, p.key, p.at or "", p.actor, ", ".join(p.options), p.default, p.chosen or "-", p.by or "")
    else:
        table = new_table(f"Decisions scenario {found.scenario} can ask",
                       ("key", "actor", "options", "default", "when", "asks again"), [p.key for p in found.points])
        for p in found.points:
            add_row(table, p.key, p.actor, ", ".join(p.options), p.default, p.when, "yes (:2, :3 …)" if p.repeats
                     else "")
    if found.points:
        out.print(table)
    elif found.playing:
        say("no decision point asked so far: this exercise is still being played live (more may come)")
    else:
        say(f"no decision point in {'this run' if found.source == 'run' else f'scenario {found.scenario}'}")
    if found.points and found.playing:
        say("this exercise is still being played live: these are the decisions it has asked so far (more may come)")


def export(
    folder: Annotated[Path, typer.Argument(help="Run folder (holds journal.sqlite).")],
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Write the journal as JSON Lines.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the journal as CSV.")] = None,
    ocel: Annotated[Path | None, typer.Option(
        "--ocel", help="Write an OCEL 2.0 event log: JSON, or OCEL's SQLite form for a FILE ending in .sqlite or .db "
                         "(OCEL's XML form is not written).")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Export a run's journal for other tools: JSON Lines, CSV, or OCEL 2.0 for process mining (streamed)."""
    exporting.export(folder, jsonl=jsonl, csv=csv, ocel=ocel, force=force)
