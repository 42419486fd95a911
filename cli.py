"""The ``ballotdrill`` command line: parse, call, print. No domain logic lives here."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ballotdrill import application, scenarios
from ballotdrill.scenarios.safetext import json_output, terminal_text
from ballotdrill.scenarios.timefmt import format_clock, format_duration

if TYPE_CHECKING:
    from ballotdrill.scoring import Scores

# A command imports what it uses, when it runs (the engine, scoring, reports, sweeps, progress
# bars): --help, list and validate start with the scenario format alone (bench/startup.py).

EXIT_BAD_INPUT = 2
"""Exit status for any input the user can fix: a file, a flag, a name (also an output that could not be written)."""
EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells expect."""

app = typer.Typer(
    help="Election-risk exercise simulator: run scripted election-day incidents against a crisis-response structure.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)
"""Talk, progress and errors."""
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 10_000)
"""The command's output (tables, JSON). Not a terminal: as wide as the content, so no name is cut."""


def _version(value: bool) -> None:
    if value:
        from ballotdrill import __version__

        sys.stdout.write(f"ballotdrill {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    """Election-risk exercise simulator: run scripted election-day incidents against a crisis-response structure."""

FileOption = Annotated[
    Path | None, typer.Option("--file", "-f", help="Scenario file (default: the built-in library).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print data as JSON on stdout.")]


def _load(file: Path | None, overrides: list[str] | None = None) -> scenarios.ScenarioFile:
    return application.load_scenarios(file, overrides or [])


def _say(text: str, *, markup: bool = False) -> None:
    """A plain line on stderr: never wrapped, never highlighted; user text stays as written unless ``markup``.

    Control characters are shown escaped: a file's text never moves the cursor or rewrites a line.
    """
    err.print(terminal_text(text), markup=markup, highlight=False, soft_wrap=True)


def _table(title: str, columns: Sequence[str], keys: Iterable[str] = ()) -> Table:
    """A table whose first column holds identifiers to type back: shown whole, never wrapped or cut."""
    table = Table(title=escape(terminal_text(title)), title_justify="left")
    table.add_column(columns[0], no_wrap=True, min_width=max([len(columns[0]), *(len(k) for k in keys)]))
    for column in columns[1:]:
        table.add_column(column)
    return table


def _add_row(table: Table, *cells: object) -> None:
    """A table row of user text, shown as written (never read as rich markup)."""
    table.add_row(*(escape(terminal_text(cell)) for cell in cells))


def _emit_json(data: Any) -> None:
    """JSON on stdout; controls beyond those JSON escapes itself (DEL, C1, bidi) written as ``\\u`` escapes."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    sys.stdout.write(json_output(text) + "\n")


@app.command("list")
def list_scenarios(file: FileOption = None, json_out: JsonOption = False) -> None:
    """List the scenarios of the library (or of --file)."""
    doc = _load(file)
    rows = [
        {"name": name, "title": sc.title, "start": format_clock(sc.start), "end": format_clock(sc.end),
         "injects": len(sc.injects), "objectives": len(sc.objectives), "default": name == doc.default_scenario,
         "basis": sc.basis}
        for name, sc in doc.scenarios.items()
    ]
    if json_out:
        _emit_json(rows)
        return
    columns = ("name", "title", "window", "injects", "objectives")
    table = _table(f"Scenarios in {file or 'the built-in library'}", columns, [f"{r['name']} *" for r in rows])
    table.caption = "* the default scenario (used when none is named)"
    for row in rows:
        name = f"{row['name']} *" if row["default"] else row["name"]
        _add_row(table, name, row["title"], f"{row['start']}-{row['end']}", str(row["injects"]), str(row["objectives"]))
    out.print(table)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings (dead configuration) as errors.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Check scenario files; print every problem as FILE:LINE:COL: message (exit 2 if any).

    Warnings (configuration that can never take effect) are printed too, with exit 0 unless --strict.
    """
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            checked = scenarios.check_file(path)
            warnings = [str(w) for w in checked.warnings]
            results.append({"file": str(path), "ok": not (strict and warnings),
                            "scenarios": list(checked.doc.scenarios),
                            "problems": warnings if strict else [], "warnings": warnings})
        except scenarios.ScenarioError as exc:
            results.append({"file": str(path), "ok": False, "problems": [str(p) for p in exc.problems],
                            "warnings": []})
    if json_out:
        _emit_json(results)
    for result in results:
        if result["ok"]:
            counted = f", {len(result['warnings'])} warnings" if result["warnings"] else ""
            _say(f"[green]ok[/green] {escape(result['file'])} ({len(result['scenarios'])} scenarios{counted})",
                 markup=True)
        for line in result["problems"] or result["warnings"]:
            _say(line)
    if not all(r["ok"] for r in results):
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors' completion and checks)."""
    _emit_json(scenarios.json_schema())


@app.command()
def risks(
    register: Annotated[Path | None, typer.Option(
        "--register", help="Risk register file (default: the built-in register).")] = None,
    file: FileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Which risks of the register the scenarios exercise, which they never do, and which procedures nothing starts."""
    cov = application.coverage(_load(file), register)
    if json_out:
        _emit_json(cov.as_dict())
        return
    labels = [f"S{n}" for n in range(1, len(cov.scenarios) + 1)]
    columns = ("risk", "threat", "LxI", "owner", "procedures", "objectives", *labels)
    table = _table(cov.register.title or "Risk register", columns, [r.risk.id for r in cov.risks])
    table.caption = "; ".join(f"{label} {name}" for label, name in zip(labels, cov.scenarios, strict=True))
    for row in cov.risks:
        marks = ["x" if name in row.scenarios else "" for name in cov.scenarios]
        _add_row(table, row.risk.id, row.risk.threat, f"{row.risk.likelihood}x{row.risk.impact}", row.risk.owner,
                 len(row.procedures), len(row.objectives), *marks)
    out.print(table)
    missing = [r.risk.id for r in cov.risks if not r.exercised]
    out.print(f"Exercised: {len(cov.risks) - len(missing)} of {len(cov.risks)} risks.", highlight=False)
    out.print(f"Never exercised: {', '.join(missing) or 'none'}", markup=False, highlight=False)
    out.print(f"Procedures no scenario starts: {', '.join(cov.untriggered_procedures) or 'none'}",
              markup=False, highlight=False)
    out.print(f"Procedures only a player's action starts: {', '.join(cov.action_only_procedures) or 'none'}",
              markup=False, highlight=False)


@app.command()
def show(
    scenario: Annotated[str | None, typer.Argument(help="Scenario name (default: the file's default).")] = None,
    file: FileOption = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write the MSEL as a spreadsheet (CSV).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Show a scenario: its actors, procedures and the MSEL as a timeline."""
    doc = _load(file)
    name, sc = scenarios.pick(doc, scenario)
    from ballotdrill.scenarios.msel import msel_rows, write_msel_csv

    rows = msel_rows(sc)
    if csv is not None:
        application.write_output(csv, partial(write_msel_csv, rows), inputs=[file] if file else [])
        _say(f"wrote the MSEL ({len(rows)} rows) to {csv}")
    if json_out:
        _emit_json({"name": name, "title": sc.title, "start": format_clock(sc.start), "end": format_clock(sc.end),
                    "basis": sc.basis, "msel": [r._asdict() for r in rows],
                    "structure": doc.structure.model_dump(mode="json", by_alias=True, exclude_defaults=True)})
        return
    out.print(f"[bold]{escape(terminal_text(sc.title))}[/bold] ({escape(name)}, {format_clock(sc.start)}-"
              f"{format_clock(sc.end)})", highlight=False)
    if sc.description:
        out.print(terminal_text(sc.description.strip(), newlines=True), markup=False, highlight=False)
    for source in sc.basis:
        out.print(f"  basis: {terminal_text(source)}", markup=False, highlight=False)
    actors = _table("Actors", ("actor", "name", "level", "staff (shifts)", "actions"), doc.structure.actors)
    for key, actor in doc.structure.actors.items():
        shifts = ", ".join(f"{s.start}-{s.end}: {s.staff}" for s in actor.shifts)
        _add_row(actors, key, actor.name, actor.level or "", f"{actor.staff}" + (f" ({shifts})" if shifts else ""),
                 ", ".join(actor.actions))
    out.print(actors)
    procs = _table("Procedures", ("procedure", "trigger", "steps (actor, target)"), doc.structure.procedures)
    for key, proc in doc.structure.procedures.items():
        trig = proc.trigger
        trigger = " ".join(filter(None, ["/".join(trig.types), f"sev>={trig.min_severity}" if trig.types else "",
                                         f"at {trig.level}" if trig.level else "",
                                         f"action {trig.action}" if trig.action else ""]))
        steps = " -> ".join(
            f"{s.id} ({s.actor}{', ' + format_duration(s.target) if s.target is not None else ''})" for s in proc.steps
        )
        _add_row(procs, key, trigger, steps)
    out.print(procs)
    msel = _table("MSEL", ("id", "time", "type", "to / detected by", "event", "expected"), [r.id for r in rows])
    for row in rows:
        _add_row(msel, row.id, row.time, row.kind, row.to, row.event, row.expected)
    out.print(msel)


@app.command("import-msel")
def import_msel(
    spreadsheet: Annotated[Path, typer.Argument(help="MSEL spreadsheet (CSV, UTF-8) in the HSEEP template's columns.")],
    structure: Annotated[Path, typer.Option(
        "--structure", help="Scenario file whose response structure the injects are played against.")],
    out_file: Annotated[Path, typer.Option("--out", help="Scenario file to write (never overwritten).")],
    maps: Annotated[list[str] | None, typer.Option(
        "--map", help="Read a column as a field: COLUMN=FIELD, e.g. --map 'Inject text=message' (repeatable).")] = None,
    name: Annotated[str | None, typer.Option(help="Scenario name (default: from the file name).")] = None,
    title: Annotated[str, typer.Option(help="Scenario title (default: its name).")] = "",
) -> None:
    """Import an MSEL spreadsheet as a scenario file that validates and runs."""
    imported = application.import_msel(spreadsheet, structure, out_file, maps or [], name=name, title=title)
    scenario = next(iter(imported.model.scenarios))
    _say(f"wrote {out_file}: scenario {scenario} with {len(imported.model.scenarios[scenario].injects)} injects "
         f"from {imported.rows} rows; run it with: ballotdrill run --file {out_file}")


@app.command()
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
    doc, _, warnings = application.check_scenarios(file, overrides or [])
    for warning in warnings:
        _say(str(warning))
    name, _ = scenarios.pick(doc, scenario)
    folder = out_dir or application.new_run_dir(name, seed)
    recorded = application.read_decisions(decisions)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ballotdrill.journal.interrupts import interrupts_held
    from ballotdrill.scoring.summary import run_summary

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task(f"running {name}", total=1.0)
        result = application.run_to_folder(
            doc, name, seed=seed, folder=folder, until=until, decisions=recorded,
            source=str(file) if file else "built-in library", overrides=overrides or [],
            progress=lambda done, total: progress.update(task, completed=done / total))
    scores = result.report.scores
    with interrupts_held(deliver=False):  # the run is complete: its summary is printed whole
        if json_out:
            _emit_json({**run_summary(scores), "out": str(folder), "events": result.events})
        _print_summary(scores, folder, result.events)


def _print_summary(scores: Scores, folder: Path, events: int) -> None:
    from ballotdrill.scoring.summary import bottlenecks

    totals = scores.totals
    _say(f"[bold]{escape(scores.scenario)}[/bold] seed {scores.seed}: {events:,} journal events", markup=True)
    _say(f"  incidents {totals.incidents} ({totals.open_incidents} open) · handoffs {totals.handoffs} "
         f"({totals.handoff_failures} failed attempts, {totals.drops} dropped, {totals.reroutes} rerouted) · "
         f"late steps {totals.late_steps} of {totals.steps_with_target} with a target"
         + (f" · legal deadlines missed {totals.deadlines_missed}" if totals.deadlines_missed else ""))
    harm = [f"reach {totals.reach:,.0f}" if totals.reach else "",
            f"voter-minutes lost {totals.voter_minutes:,.0f}" if totals.voter_minutes else "",
            f"station-minutes disrupted {totals.station_minutes:,.0f}" if totals.station_minutes else ""]
    if any(harm):
        _say("  harm: " + " · ".join(h for h in harm if h))
    waits = bottlenecks(scores)
    _say("  work waited longest at: " + ", ".join(
        f"{actor} (p90 {p90:.0f} min, {util:.0%} busy)" for actor, p90, util in waits) if waits
         else "  no work waited for staff")
    if scores.objectives:
        table = _table("Objectives", ("objective", "capability", "value", "target", "rating"),
                       [o.id for o in scores.objectives])
        for obj in scores.objectives:
            _add_row(table, obj.id, obj.capability, obj.value_text or "-", obj.target_text, obj.rating)
        err.print(table)
    _say(f"  report: {folder / 'report.html'} (also report.md, scores.json)")


ForceOption = Annotated[bool, typer.Option(
    "--force", help="Use a run that did not finish or was changed after it ended (the output says so).")]


def _forced(force: bool, *folders: Path) -> None:
    """With --force, say on stderr what is wrong with each run used anyway."""
    if force:
        for folder in folders:
            problem = application.check_run(folder, force=True)
            if problem:
                _say(f"warning: {folder}: {problem}; used anyway (--force)")


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="Run folder (holds journal.sqlite).")],
    fmt: Annotated[str | None, typer.Option("--format", help="Only this format: html, md or json.")] = None,
    force: ForceOption = False,
) -> None:
    """Rebuild the after-action report of a run from its journal alone (a finished, unchanged run)."""
    _forced(force, folder)
    for path in application.write_reports(folder, [fmt] if fmt else list(application.REPORT_FILES), force=force)[1]:
        _say(f"wrote {path}")


@app.command()
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

    _forced(force, folder_a, folder_b)
    comparison = application.compare_runs(folder_a, folder_b, force=force)
    if json_out:
        sys.stdout.write(json_output(comparison_json(comparison)))
        return
    view = comparison_view(comparison)
    out.print(f"A = {escape(str(folder_a))} · B = {escape(str(folder_b))}", highlight=False)
    if len(view.inputs) > 1:
        _print_rows("What differs in the inputs", view.inputs)
    else:
        out.print("Same inputs: scenario, seed, overrides, decisions and scenario file.", highlight=False)
    _print_rows("Summary", view.summary)
    if only_changed:
        _print_rows(f"Every measure that differs ({view.differing} of {view.total})", view.detail)
        if view.differing == 0:
            _say("the two runs do not differ on any measure")
    else:
        _say(f"{view.differing} of {view.total} measures differ; --changed lists them, --json gives everything")
    _say(SWEEP_HINT)


def _print_rows(title: str, rows: list[list[str]]) -> None:
    header, *body = rows
    table = _table(title, header)
    for row in body:
        _add_row(table, *row)
    out.print(table)


@app.command()
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
            progress=lambda done, total: progress.update(task, completed=done, total=total))
    seconds = time.perf_counter() - started
    with interrupts_held(deliver=False):  # the sweep is complete: its summary is printed whole
        if json_out:
            sys.stdout.write(application.sweep_json(outcome.result))
        _print_sweep(outcome, seconds)


def _print_sweep(outcome: application.SweepOutcome, seconds: float) -> None:
    from ballotdrill.sweep import difference_text, objective_value_difference

    result = outcome.result
    _say(f"[bold]{escape(result.scenario)}[/bold]: {outcome.replications:,} replications "
         f"({result.runs} per point, {len(result.points)} points) in {seconds:.1f} s "
         f"on {outcome.slots} worker{'s' if outcome.slots != 1 else ''}", markup=True)
    objectives = result.points[0].objectives
    table = _table("Chance of meeting each objective (share of runs rated P, 95 % CI)",
                   ("point", *(o.id for o in objectives)), [p.label for p in result.points])
    for point in result.points:
        _add_row(table, point.label, *(_share_text(o.met) for o in point.objectives))
    err.print(table)
    for point in result.points:
        tops = ", ".join(f"{b.name} {_share_text(b.share)}" for b in point.bottlenecks[:3])
        _say(f"  bottleneck{' at ' + point.label if len(result.points) > 1 else ''}: {tops}")
    points = {p.index: p for p in result.points}
    for comparison in result.comparisons:
        where = f" at {points[comparison.variant_point].label}" if comparison.grid else ""
        for diff in comparison.objectives:
            _say(f"  {diff.verdict}{where}: {diff.text}")
            value = objective_value_difference(comparison, diff.id)
            if value is not None:
                _say(f"    {diff.id} value with {comparison.variant}, paired: {difference_text(value)}")
    _say(f"  summary: {outcome.folder / 'sweep.html'} (also sweep.json, sweep.csv, replications.csv)")


def _share_text(share: Any) -> str:
    if share.share is None:
        return "—"
    return f"{share.share:.0%} ({share.ci_low:.0%}–{share.ci_high:.0%})"


@app.command()
def decisions(
    target: Annotated[str, typer.Argument(help="A run folder, or a scenario name (of the library or --file).")],
    file: FileOption = None,
    template: Annotated[Path | None, typer.Option(
        "--template", help="Write a decisions file (key to option) to edit and replay with run --decisions.")] = None,
    json_out: JsonOption = False,
) -> None:
    """List the decision points of a run (what was asked and answered) or of a scenario (the keys that can occur)."""
    found = application.decision_points(target, file)
    if template is not None:
        count = application.write_template(found, template)
        _say(f"wrote {count} decision(s) to {template}: edit the options, then run with --decisions {template}")
    if json_out:
        _emit_json(application.points_json(found))
        return
    if found.source == "run":
        table = _table(f"Decisions asked in the run of {found.scenario}",
                       ("key", "asked", "actor", "options", "default", "chosen", "by"), [p.key for p in found.points])
        for p in found.points:
            _add_row(table, p.key, p.at or "", p.actor, ", ".join(p.options), p.default, p.chosen or "-", p.by or "")
    else:
        table = _table(f"Decisions scenario {found.scenario} can ask",
                       ("key", "actor", "options", "default", "when", "asks again"), [p.key for p in found.points])
        for p in found.points:
            _add_row(table, p.key, p.actor, ", ".join(p.options), p.default, p.when, "yes (:2, :3 …)" if p.repeats
                     else "")
    if found.points:
        out.print(table)
    else:
        _say(f"no decision point in {'this run' if found.source == 'run' else f'scenario {found.scenario}'}")


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(help="Run folder (holds journal.sqlite).")],
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Write the journal as JSON Lines.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the journal as CSV.")] = None,
    ocel: Annotated[Path | None, typer.Option(
        "--ocel", help="Write an OCEL 2.0 event log: JSON, or OCEL's SQLite form for a FILE ending in .sqlite or .db.")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Export a run's journal for other tools: JSON Lines, CSV, or OCEL 2.0 for process mining (streamed)."""
    _forced(force, folder)
    names = {"ocel": "an OCEL 2.0 log of ", "ocel-sqlite": "an OCEL 2.0 SQLite log of "}
    for done in application.export_run(folder, jsonl=jsonl, csv=csv, ocel=ocel, force=force):
        _say(f"wrote {names.get(done.format, '')}{done.events:,} events to {done.path}")


ServeOption = Annotated[str | None, typer.Option(
    "--serve", metavar="[HOST:PORT]",
    help="Also serve the exercise to players, facilitator and evaluator over HTTP (default 127.0.0.1, a free port).")]
PlayOption = Annotated[list[str] | None, typer.Option(
    "--play", help="An actor played by a person (repeat for several); the others are automated.")]


@app.command()
def live(
    scenario: Annotated[str | None, typer.Argument(help="Scenario name (default: the file's default).")] = None,
    file: FileOption = None,
    speed: Annotated[float, typer.Option(help="Times faster than real time (60: a simulated minute a second).")] = 60.0,
    seed: Annotated[int, typer.Option(help="Seed of the run's random streams.")] = 1,
    play: PlayOption = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Run folder (default: a new folder under runs/).")] = None,
    serve: ServeOption = None,
) -> None:
    """Play a scenario live against the wall clock; commands on stdin (type 'help'); report at the end."""
    from ballotdrill.live import inputs, rebuild
    from ballotdrill.live import play as playing
    from ballotdrill.live.serve import parse_listen

    doc = _load(file)
    name, _ = scenarios.pick(doc, scenario)
    inputs.speed(speed)  # checks the value
    if serve is not None:
        parse_listen(serve)  # checked before a run folder is made
    folder = out_dir or application.new_run_dir(name, seed)
    core = rebuild.start_live(folder, doc, name, seed=seed, played=play or [], speed=speed,
                              source=str(file) if file else "built-in library")
    _say(f"live: {name} seed {seed} at speed {speed:g}, playing {', '.join(core.played) or 'no actor'}; "
         f"journal {folder / 'journal.sqlite'}; commands: {', '.join(inputs.COMMANDS)} (help for usage)")
    _finish_live(playing.play(core, folder, dashboard=sys.stdin.isatty() and sys.stdout.isatty(), serve=serve,
                              say=_say))


@app.command()
def resume(folder: Annotated[Path, typer.Argument(
        help="Folder of a live exercise that stopped (crash, Ctrl-C).")], serve: ServeOption = None) -> None:
    """Carry on a live exercise that stopped: rebuilt to its last commit from its seed and inputs, then live."""
    from ballotdrill.live import play as playing
    from ballotdrill.live import rebuild

    core = rebuild.resume_folder(folder)
    _say(f"resumed {core.name} at {core.clock()} with {core.count} inputs replayed; "
         f"journal {folder / 'journal.sqlite'}")
    _finish_live(playing.play(core, folder, dashboard=sys.stdin.isatty() and sys.stdout.isatty(), serve=serve,
                              say=_say))


@app.command()
def join(
    url: Annotated[str, typer.Argument(help="The exercise's join link, e.g. http://127.0.0.1:8765/.")],
    token_file: Annotated[Path, typer.Option(help="File holding your role's token (from the exercise's tokens/).")],
) -> None:
    """Join a served live exercise as a player, from the terminal: inbox, decisions, questions, actions."""
    from ballotdrill.live import join as joining
    from ballotdrill.live import tokens

    joining.join(url, tokens.read_token_file(token_file))


def _finish_live(written: list[Path]) -> None:
    _say("exercise ended; report: " + ", ".join(str(p) for p in written))


@app.command()
def replay(folder: Annotated[Path, typer.Argument(help="Folder of a live exercise (finished or crashed).")]) -> None:
    """Re-run a live exercise from its journal in batch: exit 0 if identical, 1 at the first divergence."""
    from ballotdrill.live import rebuild

    result = rebuild.replay_folder(folder)
    _say(("identical: " if result.identical else "diverged: ") + result.message)
    if not result.identical:
        raise typer.Exit(1)


def _is(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is a click-style ``name`` (typer vendors click in newer releases, so match by class name)."""
    return any(klass.__name__ == name for klass in type(exc).__mro__)


OPTIONAL_VALUES = {"--serve": "127.0.0.1:0"}
"""Options whose value may be left out, and the value they then take."""


def _with_defaults(args: list[str]) -> list[str]:
    """``--serve`` given without HOST:PORT (last, or before another option) gets its default value."""
    out: list[str] = []
    for n, arg in enumerate(args):
        out.append(arg)
        if arg == "--":
            return out + args[n + 1:]
        if arg in OPTIONAL_VALUES and (n + 1 == len(args) or args[n + 1].startswith("-")):
            out.append(OPTIONAL_VALUES[arg])
    return out


def main() -> None:
    """Entry point: user errors (bad files, flags, names) become one line on stderr and exit status 2."""
    try:
        status = app(args=_with_defaults(sys.argv[1:]), standalone_mode=False, prog_name="ballotdrill")
        if status == EXIT_INTERRUPTED:  # typer turns a KeyboardInterrupt out of a command into this status
            _say("interrupted")
    except application.RunInterrupted as exc:
        _say(str(exc))
        status = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        _say("interrupted")
        status = EXIT_INTERRUPTED
    except scenarios.BallotdrillError as exc:
        for line in str(exc).splitlines():
            _say(line)
        status = EXIT_BAD_INPUT
    except Exception as exc:
        if _is(exc, "NoArgsIsHelpError"):
            err.print(exc.format_message(), markup=False, highlight=False)  # type: ignore[attr-defined]
            status = 0
        elif _is(exc, "UsageError"):
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "ballotdrill"
            _say(f"{where}: {exc.format_message()} (see '{where} --help')")  # type: ignore[attr-defined]
            status = EXIT_BAD_INPUT
        elif _is(exc, "Abort"):
            _say("interrupted")
            status = EXIT_INTERRUPTED
        else:
            raise
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
