"""The scenario files' commands: list, validate, schema, risks, show and import-msel."""

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ballotdrill import application, scenarios
from ballotdrill.commands import listing
from ballotdrill.commands.common import (
    FileOption,
    JsonOption,
    add_row,
    emit_json,
    load_scenarios,
    new_table,
    out,
    say,
)
from ballotdrill.scenarios.safetext import terminal_text
from ballotdrill.scenarios.timefmt import format_clock, format_duration, format_end


def list_scenarios(file: FileOption = None, json_out: JsonOption = False) -> None:
    """List the scenarios of the library (or of --file)."""
    listing.print_list(file, json_out)


def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings (dead configuration) as errors.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Check scenario files; print every problem as FILE:LINE:COL: message (exit 2 if any).

    Warnings (configuration that can never take effect) are printed too, with exit 0 unless --strict.
    """
    status = listing.print_validation(files, strict, json_out)
    if status:
        raise typer.Exit(status)


def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors' completion and checks)."""
    emit_json(scenarios.json_schema())


def risks(
    register: Annotated[Path | None, typer.Option(
        "--register", help="Risk register file (default: the built-in register).")] = None,
    file: FileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Which risks of the register the scenarios exercise, which they never do, and which procedures nothing starts."""
    cov = application.coverage(load_scenarios(file), register)
    if json_out:
        emit_json(cov.as_dict())
        return
    labels = [f"S{n}" for n in range(1, len(cov.scenarios) + 1)]
    columns = ("risk", "threat", "LxI", "owner", "procedures", "objectives", *labels)
    table = new_table(cov.register.title or "Risk register", columns, [r.risk.id for r in cov.risks])
    table.caption = "; ".join(f"{label} {name}" for label, name in zip(labels, cov.scenarios, strict=True))
    for row in cov.risks:
        marks = ["x" if name in row.scenarios else "" for name in cov.scenarios]
        add_row(table, row.risk.id, row.risk.threat, f"{row.risk.likelihood}x{row.risk.impact}", row.risk.owner,
                 len(row.procedures), len(row.objectives), *marks)
    out.print(table)
    missing = [r.risk.id for r in cov.risks if not r.exercised]
    out.print(f"Exercised: {len(cov.risks) - len(missing)} of {len(cov.risks)} risks.", highlight=False)
    out.print(f"Never exercised: {', '.join(missing) or 'none'}", markup=False, highlight=False)
    out.print(f"Procedures no scenario starts: {', '.join(cov.untriggered_procedures) or 'none'}",
              markup=False, highlight=False)
    out.print(f"Procedures only a player's action starts: {', '.join(cov.action_only_procedures) or 'none'}",
              markup=False, highlight=False)


def show(
    scenario: Annotated[str | None, typer.Argument(help="Scenario name (default: the file's default).")] = None,
    file: FileOption = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write the MSEL as a spreadsheet (CSV).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Show a scenario: its actors, procedures and the MSEL as a timeline."""
    doc = load_scenarios(file)
    name, sc = scenarios.pick(doc, scenario)
    from ballotdrill.scenarios.msel import msel_rows, settings_row, write_msel_csv
    from ballotdrill.scenarios.roles import cast_of

    cast = cast_of(doc, name)
    settings = settings_row(name, sc)  # as written, roles included: import-msel's structure is the file's own
    doc = scenarios.as_played(doc, name)  # its steps' actors as this scenario plays them
    sc = doc.scenarios[name]  # its injects' too (a message to a role goes to the actor playing it)

    rows = msel_rows(sc)
    if csv is not None:
        application.write_output(csv, partial(write_msel_csv, rows, settings=settings), inputs=[file] if file else [])
        say(f"wrote the MSEL ({len(rows)} rows and the scenario's settings) to {csv}")
    if json_out:
        emit_json({"name": name, "title": sc.title, "start": format_clock(sc.start),
                   "end": format_end(sc.start, sc.end),
                    "basis": sc.basis, "msel": [r._asdict() for r in rows], "roles": cast,
                    "structure": doc.structure.model_dump(mode="json", by_alias=True, exclude_defaults=True)})
        return
    out.print(f"[bold]{escape(terminal_text(sc.title))}[/bold] ({escape(name)}, {format_clock(sc.start)}-"
              f"{format_end(sc.start, sc.end)})", highlight=False)
    if sc.description:
        out.print(terminal_text(sc.description.strip(), newlines=True), markup=False, highlight=False)
    for source in sc.basis:
        out.print(f"  basis: {terminal_text(source)}", markup=False, highlight=False)
    actors = new_table("Actors", ("actor", "name", "level", "staff (shifts)", "actions"), doc.structure.actors)
    for key, actor in doc.structure.actors.items():
        shifts = ", ".join(f"{s.start}-{s.end}: {s.staff}" for s in actor.shifts)
        add_row(actors, key, actor.name, actor.level or "", f"{actor.staff}" + (f" ({shifts})" if shifts else ""),
                 ", ".join(actor.actions))
    out.print(actors)
    if cast:
        out.print("Roles in this scenario: " + ", ".join(f"{role} = {actor}" for role, actor in cast.items()),
                  markup=False, highlight=False)
    procs = new_table("Procedures", ("procedure", "trigger", "steps (actor, target)"), doc.structure.procedures)
    for key, proc in doc.structure.procedures.items():
        trig = proc.trigger
        trigger = " ".join(filter(None, ["/".join(trig.types), f"sev>={trig.min_severity}" if trig.types else "",
                                         f"at {trig.level}" if trig.level else "",
                                         f"action {trig.action}" if trig.action else "",
                                         f"owned by {trig.owner}" if trig.owner else ""]))
        steps = " -> ".join(
            f"{s.id} ({s.actor}{', ' + format_duration(s.target) if s.target is not None else ''})" for s in proc.steps
        )
        add_row(procs, key, trigger, steps)
    out.print(procs)
    msel = new_table("MSEL", ("id", "time", "type", "to / detected by", "event", "expected"), [r.id for r in rows])
    for row in rows:
        add_row(msel, row.id, row.time, row.kind, row.to, row.event, row.expected)
    out.print(msel)


def _left_out(dropped: tuple[str, ...]) -> str:
    """The ``wrote`` line's words for the structure's procedures the file leaves out."""
    if not dropped:
        return ""
    return (f" ({len(dropped)} procedure{'s' if len(dropped) != 1 else ''} of the structure left out: no inject "
            "here can start them)")


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
    say(f"wrote {out_file}: scenario {scenario} with {len(imported.model.scenarios[scenario].injects)} injects "
         f"from {imported.rows} rows{_left_out(imported.dropped)}; run it with: ballotdrill run --file {out_file}")
    if not imported.settings:
        say(f"note: {spreadsheet} has no scenario settings row (show --csv writes one), so {out_file} has no "
            f"election (the polls count as open 07:00-20:00) and no objectives: add them to it")


