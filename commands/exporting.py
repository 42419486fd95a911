"""What ``export`` does once its command line is parsed; no typer here: the Typer command (:mod:`.runs`) and the
plain form (:mod:`.quick`) both call it."""

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ballotdrill import application
from ballotdrill.commands.output import forced, plain_stream, say

NAMES = {"ocel": "an OCEL 2.0 log of ", "ocel-sqlite": "an OCEL 2.0 SQLite log of "}
"""How each format's line names what was written (JSON Lines and CSV: the events alone)."""


def export(folder: Path, *, jsonl: Path | None, csv: Path | None, ocel: Path | None, force: bool) -> None:
    """Export the run in ``folder`` to the files asked for, a line on stderr for each one written.

    A Ctrl-C once the files are being written is told by the export (which were written whole, how to write the
    rest); one before, while the run is checked, says that nothing was written."""
    from ballotdrill.journal.interrupts import is_interrupt

    asked = [path for path in (jsonl, csv, ocel) if path is not None]
    exported = False
    try:
        forced(force, folder)
        from ballotdrill.exports.heap import keep_freed_memory  # this process streams the journal block by block

        keep_freed_memory()
        with _elapsed(f"exporting {folder}", len(asked)) as wrote:
            application.export_run(folder, jsonl=jsonl, csv=csv, ocel=ocel, force=force, wrote=lambda done: wrote(
                f"wrote {NAMES.get(done.format, '')}{done.events:,} events to {done.path}"))
            exported = True
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        if exported:  # the Ctrl-C landed as the progress line closed: every file is whole
            raise application.RunInterrupted("interrupted after the export had finished: every file asked for was "
                                             "written whole") from None
        raise application.RunInterrupted("interrupted while the run was checked, before any file was written; "
                                         "nothing was written: run the same command again") from None


@contextlib.contextmanager
def _elapsed(what: str, files: int) -> Iterator[Callable[[str], None]]:
    """In a terminal, a line counting the time while the files are written (a large run's OCEL log takes minutes,
    with nothing else to show it is working), gone at the end; the lines said meanwhile stay. Elsewhere (a file, a
    pipe) only the lines, and rich is not loaded."""
    if plain_stream(sys.stderr):
        yield say
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ballotdrill.commands.output import err

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task(f"{what}: 0 of {files} file{'s' if files != 1 else ''} written")
        progress.refresh()  # shown at once, not at the display's first tick
        done = 0

        def wrote(line: str) -> None:
            nonlocal done
            done += 1
            say(line)
            progress.update(task, description=f"{what}: {done} of {files} file{'s' if files != 1 else ''} written")

        yield wrote
