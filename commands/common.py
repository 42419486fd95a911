"""What the commands share: the common options, and (from :mod:`.output`) the consoles, exit statuses and
printing helpers."""

from pathlib import Path
from typing import Annotated

import typer

from ballotdrill import application, scenarios
from ballotdrill.commands.output import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    add_row,
    emit_json,
    err,
    forced,
    new_table,
    out,
    say,
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "FileOption", "ForceOption", "JsonOption", "add_row", "emit_json",
           "err", "forced", "load_scenarios", "new_table", "out", "say"]

FileOption = Annotated[
    Path | None, typer.Option("--file", "-f", help="Scenario file (default: the built-in library).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print data as JSON on stdout.")]


def load_scenarios(file: Path | None, overrides: list[str] | None = None) -> "scenarios.ScenarioFile":
    return application.load_scenarios(file, overrides or [])


ForceOption = Annotated[bool, typer.Option(
    "--force", help="Use a run that did not finish or was changed after it ended (the output says so).")]
