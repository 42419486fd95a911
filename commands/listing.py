"""What ``list`` and ``validate`` print, from a scenario file's summary (which the cache may answer).

No typer here: the command line runs these directly for the plain forms of both commands
(:mod:`.quick`), and the Typer commands of :mod:`.library` call the same functions.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ballotdrill import application, scenarios
from ballotdrill.commands import output
from ballotdrill.commands.output import EXIT_BAD_INPUT, add_row, emit_json, new_table, say, say_marked


def print_list(file: Path | None, json_out: bool) -> None:
    """The scenarios of the library (or of ``file``): a table, or JSON."""
    summary = application.summarize_scenarios(file)
    rows = [
        {"name": sc.name, "title": sc.title, "start": sc.start, "end": sc.end, "injects": sc.injects,
         "objectives": sc.objectives, "default": sc.name == summary.default, "basis": list(sc.basis)}
        for sc in summary.scenarios
    ]
    if json_out:
        emit_json(rows)
        return
    columns = ("name", "title", "window", "injects", "objectives")
    table = new_table(f"Scenarios in {file or 'the built-in library'}", columns, [f"{r['name']} *" for r in rows])
    table.caption = "* the default scenario (used when none is named)"
    for row in rows:
        name = f"{row['name']} *" if row["default"] else row["name"]
        add_row(table, name, row["title"], f"{row['start']}-{row['end']}", str(row["injects"]), str(row["objectives"]))
    output.out.print(table)


def print_validation(files: Sequence[Path], strict: bool, json_out: bool) -> int:
    """Every problem of each file as FILE:LINE:COL: message, and its warnings; the exit status (2 if any
    file fails, or has warnings under ``strict``)."""
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            summary = application.summarize_scenarios(path)
            warnings = [str(w) for w in summary.warnings]
            results.append({"file": str(path), "ok": not (strict and warnings),
                            "scenarios": [sc.name for sc in summary.scenarios],
                            "problems": warnings if strict else [], "warnings": warnings})
        except scenarios.ScenarioError as exc:
            results.append({"file": str(path), "ok": False, "problems": [str(p) for p in exc.problems],
                            "warnings": []})
    if json_out:
        emit_json(results)
    for result in results:
        if result["ok"]:
            counted = f", {_count(len(result['warnings']), 'warning')}" if result["warnings"] else ""
            say_marked("ok", "green", f"{result['file']} ({_count(len(result['scenarios']), 'scenario')}{counted})")
        for line in result["problems"] or result["warnings"]:
            say(line)
    return 0 if all(r["ok"] for r in results) else EXIT_BAD_INPUT


def _count(n: int, noun: str) -> str:
    """``1 scenario``, ``2 scenarios``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
