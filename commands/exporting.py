"""What ``export`` does once its command line is parsed; no typer here: the Typer command (:mod:`.runs`) and the
plain form (:mod:`.quick`) both call it."""

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ballotdrill import application
from ballotdrill.commands.output import forced, plain_stream, say

if TYPE_CHECKING:
    from ballotdrill.application import ExportProgress

NAMES = {"ocel": "an OCEL 2.0 JSON log of ", "ocel-sqlite": "an OCEL 2.0 SQLite log of "}
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
        # (OCEL's SQLite form: no clock thread, so that its log can be filled by a forked child; its steps after the
        # pass are told as each begins)
        from ballotdrill.application.evaluate import OCEL_SQLITE_SUFFIXES

        ticking = ocel is not None and ocel.suffix.lower() not in OCEL_SQLITE_SUFFIXES
        with _elapsed(f"exporting {folder}", len(asked), ticking=ticking) as shown:
            application.export_run(folder, jsonl=jsonl, csv=csv, ocel=ocel, force=force, progress=shown.progress,
                                   wrote=lambda done: shown.wrote(
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


class _Shown(NamedTuple):
    """Where an export's news goes: each file written (a line that stays) and how far the current file's pass is
    (None: not shown)."""

    wrote: Callable[[str], None]
    progress: "Callable[[ExportProgress], None] | None"


def through(step: "ExportProgress") -> str:
    """How far a file's pass is through the journal, e.g. ``z.csv 57% of 2,150,512 rows``, and what its writer does
    after the pass (``log.sqlite 100% of 2,150,512 rows; writing the event tables``)."""
    if step.total is None:  # a journal no seal vouches for: its rows are not counted beforehand
        return f"{step.path.name} {step.rows:,} rows read"
    share = step.rows * 100 // step.total if step.total else 100
    return f"{step.path.name} {share}% of {step.total:,} rows{'; ' + step.phase if step.phase else ''}"


@contextlib.contextmanager
def _elapsed(what: str, files: int, *, ticking: bool = True) -> Iterator[_Shown]:
    """In a terminal, a line counting the time while the files are written and saying how far through the journal
    the current file is (a large run's OCEL log takes minutes, with nothing else to show it is working), gone at
    the end; the lines said meanwhile stay. Elsewhere (a file, a pipe) only the lines, and rich is not loaded.
    ``ticking``: the clock is redrawn by a thread of rich's ten times a second (an OCEL log's statements report no
    progress for a while); without it, at each block and file only, so that the process has no other thread and
    JSON Lines and CSV can be written by a forked child (:mod:`ballotdrill.exports.apart`)."""
    if plain_stream(sys.stderr):
        yield _Shown(say, None)
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Column

    from ballotdrill.commands.output import err
    from ballotdrill.scenarios.safetext import terminal_text

    def line(done: int, step: "ExportProgress | None" = None) -> str:
        files_written = f"{done} of {files} file{'s' if files != 1 else ''} written"
        return terminal_text(f"{what}: {through(step)}; {files_written}" if step else f"{what}: {files_written}")

    clock = TimeElapsedColumn(table_column=Column(min_width=7, no_wrap=True))  # cut from the text's end, not here
    text = TextColumn("{task.description}", markup=False,  # user text: never read as markup
                      table_column=Column(no_wrap=True, overflow="ellipsis"))
    with Progress(SpinnerColumn(), clock, text, console=err, transient=True, disable=not err.is_terminal,
                  auto_refresh=ticking) as progress:
        task = progress.add_task(line(0))
        progress.refresh()  # shown at once, not at the display's first tick
        done = 0

        def wrote(text: str) -> None:
            nonlocal done
            done += 1
            say(text)
            progress.update(task, description=line(done), refresh=not ticking)

        def went(step: "ExportProgress") -> None:
            progress.update(task, description=line(done, step), refresh=True)  # each block shown, not just 10 a second

        yield _Shown(wrote, went)
