"""Evaluators' operations on finished runs: export a journal for other tools (comparing two runs: :mod:`.comparing`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import NamedTuple, TypeVar

from ballotdrill.application.folder import write_output
from ballotdrill.application.runs import INPUT_FILES, RunFiles, RunFolderError, check_run, open_run
from ballotdrill.exports import write_csv_rows, write_jsonl_rows, write_ocel_json, write_ocel_sqlite
from ballotdrill.journal import Event, read_events
from ballotdrill.journal.rows import stored_rows
from ballotdrill.scenarios.errors import BallotdrillError


class Exported(NamedTuple):
    """One file an export wrote: its format, path and how many events it holds."""

    format: str
    path: Path
    events: int


OCEL_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
"""An OCEL file with one of these suffixes is written in OCEL 2.0's SQLite form; any other as JSON."""


def export_run(folder: Path, *, jsonl: Path | None = None, csv: Path | None = None,
               ocel: Path | None = None, force: bool = False) -> list[Exported]:
    """Stream a (sealed) run's journal to JSON Lines, CSV and/or an OCEL 2.0 log (SQLite form by the file's suffix).

    One pass over the journal per file, one event in memory at a time (OCEL: the work in flight). Each file is
    written whole or not at all (:func:`write_output`): never over the run's own journal, never over a file in
    the run folder that ballotdrill did not write there.
    """
    if jsonl is None and csv is None and ocel is None:
        raise BallotdrillError("say what to export: --jsonl FILE, --csv FILE and/or --ocel FILE")
    check_run(folder, force=force)
    run = open_run(folder)
    guard = partial(write_output, folder=Path(folder), inputs=[Path(folder) / name for name in INPUT_FILES])
    done: list[Exported] = []
    if jsonl is not None:
        lines = partial(write_jsonl_rows, _reading(folder, stored_rows(run.journal)))
        done.append(Exported("jsonl", jsonl, guard(jsonl, lines)))
    if csv is not None:
        cells = partial(write_csv_rows, _reading(folder, stored_rows(run.journal)))
        done.append(Exported("csv", csv, guard(csv, cells)))
    if ocel is not None:
        sqlite_form = ocel.suffix.lower() in OCEL_SQLITE_SUFFIXES
        write = write_ocel_sqlite if sqlite_form else write_ocel_json
        log = partial(_ocel, write, _reading(folder, read_events(run.journal)), run)
        done.append(Exported("ocel-sqlite" if sqlite_form else "ocel", ocel, guard(ocel, log)))
    return done


def _ocel(write: Callable[..., int], events: Iterator[Event], run: RunFiles, path: Path) -> int:
    return write(events, path, run.doc, run.scenario, run.meta.get("date"))


T = TypeVar("T")


def _reading(folder: Path, items: Iterator[T]) -> Iterator[T]:
    """``items`` read from a run's journal; a failure to read becomes a :class:`RunFolderError` (not a write error)."""
    try:
        yield from items
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        raise RunFolderError(f"{folder}: cannot read the run ({type(exc).__name__}: {exc})") from None
