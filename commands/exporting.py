"""What ``export`` does once its command line is parsed; no typer here: the Typer command (:mod:`.runs`) and the
plain form (:mod:`.quick`) both call it."""

from pathlib import Path

from ballotdrill import application
from ballotdrill.commands.output import forced, say

NAMES = {"ocel": "an OCEL 2.0 log of ", "ocel-sqlite": "an OCEL 2.0 SQLite log of "}
"""How each format's line names what was written (JSON Lines and CSV: the events alone)."""


def export(folder: Path, *, jsonl: Path | None, csv: Path | None, ocel: Path | None, force: bool) -> None:
    """Export the run in ``folder`` to the files asked for, a line on stderr for each one written.

    A Ctrl-C once the files are being written is told by the export (which were written whole, how to write the
    rest); one before, while the run is checked, says that nothing was written."""
    from ballotdrill.journal.interrupts import is_interrupt

    try:
        forced(force, folder)
        from ballotdrill.exports.heap import keep_freed_memory  # this process streams the journal block by block

        keep_freed_memory()
        application.export_run(folder, jsonl=jsonl, csv=csv, ocel=ocel, force=force, wrote=lambda done: say(
            f"wrote {NAMES.get(done.format, '')}{done.events:,} events to {done.path}"))
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        raise application.RunInterrupted("interrupted while the run was checked, before any file was written; "
                                         "nothing was written: run the same command again") from None
