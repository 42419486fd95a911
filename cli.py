"""The ``ballotdrill`` command line: parse, call, print. No domain logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import scenarios
from scenarios.msel import msel_rows
from scenarios.timefmt import format_clock, format_duration

EXIT_BAD_INPUT = 2
"""Exit status for any input the user can fix: a file, a flag, a name."""

app = typer.Typer(
    help="Election-risk exercise simulator: run scripted election-day incidents against a crisis-response structure.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)

FileOption = Annotated[
    Path | None, typer.Option("--file", "-f", help="Scenario file (default: the built-in library).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print data as JSON on stdout.")]


def _load(file: Path | None, overrides: list[str] | None = None) -> scenarios.ScenarioFile:
    path = file or scenarios.library_path()
    return scenarios.load_file(path, [scenarios.Override(o) for o in overrides or []])


def _add_row(table: Table, *cells: object) -> None:
    """A table row of user text, shown as written (never read as rich markup)."""
    table.add_row(*(escape(str(cell)) for cell in cells))


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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
    table = Table(title=escape(f"Scenarios in {file or 'the built-in library'}"))
    for column in ("name", "title", "window", "injects", "objectives"):
        table.add_column(column)
    for row in rows:
        name = f"{row['name']} (default)" if row["default"] else row["name"]
        _add_row(table, name, row["title"], f"{row['start']}-{row['end']}", str(row["injects"]), str(row["objectives"]))
    err.print(table)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
    json_out: JsonOption = False,
) -> None:
    """Check scenario files; print every problem as FILE:LINE:COL: message (exit 2 if any)."""
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            doc = scenarios.load_file(path)
            results.append({"file": str(path), "ok": True, "scenarios": list(doc.scenarios), "problems": []})
        except scenarios.ScenarioError as exc:
            results.append({"file": str(path), "ok": False, "problems": [str(p) for p in exc.problems]})
    if json_out:
        _emit_json(results)
    for result in results:
        if result["ok"]:
            err.print(f"[green]ok[/green] {escape(result['file'])} ({len(result['scenarios'])} scenarios)",
                      highlight=False, soft_wrap=True)
        for line in result["problems"]:
            err.print(line, markup=False, highlight=False, soft_wrap=True)
    if not all(r["ok"] for r in results):
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors' completion and checks)."""
    _emit_json(scenarios.json_schema())


@app.command()
def show(
    scenario: Annotated[str | None, typer.Argument(help="Scenario name (default: the file's default).")] = None,
    file: FileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show a scenario: its actors, procedures and the MSEL as a timeline."""
    doc = _load(file)
    name, sc = scenarios.pick(doc, scenario)
    rows = msel_rows(sc)
    if json_out:
        _emit_json({"name": name, "title": sc.title, "start": format_clock(sc.start), "end": format_clock(sc.end),
                    "basis": sc.basis, "msel": [r._asdict() for r in rows],
                    "structure": doc.structure.model_dump(mode="json", by_alias=True, exclude_defaults=True)})
        return
    err.rule(f"[bold]{escape(sc.title)}[/bold] ({escape(name)}, {format_clock(sc.start)}-{format_clock(sc.end)})")
    if sc.description:
        err.print(sc.description.strip(), markup=False)
    for source in sc.basis:
        err.print(f"  basis: {source}", markup=False, highlight=False)
    actors = Table(title="Actors")
    for column in ("actor", "name", "level", "staff (shifts)", "actions"):
        actors.add_column(column)
    for key, actor in doc.structure.actors.items():
        shifts = ", ".join(f"{s.start}-{s.end}: {s.staff}" for s in actor.shifts)
        _add_row(actors, key, actor.name, actor.level or "", f"{actor.staff}" + (f" ({shifts})" if shifts else ""),
                 ", ".join(actor.actions))
    err.print(actors)
    procs = Table(title="Procedures")
    for column in ("procedure", "trigger", "steps (actor, target)"):
        procs.add_column(column)
    for key, proc in doc.structure.procedures.items():
        trig = proc.trigger
        trigger = " ".join(filter(None, ["/".join(trig.types), f"sev>={trig.min_severity}" if trig.types else "",
                                         f"at {trig.level}" if trig.level else "",
                                         f"action {trig.action}" if trig.action else ""]))
        steps = " -> ".join(
            f"{s.id} ({s.actor}{', ' + format_duration(s.target) if s.target is not None else ''})" for s in proc.steps
        )
        _add_row(procs, key, trigger, steps)
    err.print(procs)
    msel = Table(title="MSEL")
    for column in ("id", "time", "type", "to / detected by", "event", "expected"):
        msel.add_column(column)
    for row in rows:
        _add_row(msel, row.id, row.time, row.kind, row.to, row.event, row.expected)
    err.print(msel)


def main() -> None:
    """Entry point: run the app; user errors become one line and exit status 2."""
    try:
        app()
    except scenarios.BallotdrillError as exc:
        for line in str(exc).splitlines():
            err.print(line, markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_BAD_INPUT)


if __name__ == "__main__":
    main()
