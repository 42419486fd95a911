"""Evaluators' operations on finished runs: compare two runs, export a journal for other tools."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, TypeVar

from ballotdrill.application.runs import RunFolderError, load_run, open_run
from ballotdrill.exports import write_csv_rows, write_jsonl_rows, write_ocel_json, write_ocel_sqlite
from ballotdrill.journal import read_events
from ballotdrill.journal.rows import stored_rows
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scoring import Comparison, Scores, compare, score
from ballotdrill.scoring.compare import input_differences


def compare_runs(folder_a: Path, folder_b: Path) -> Comparison:
    """Score two run folders from their journals and compare them: how their inputs differ (settings,
    overrides, the stored scenario files), then measure by measure (A, then B).

    One journal is in memory at a time: A is read and scored and its events let go before B is read.
    """
    a, b = open_run(folder_a), open_run(folder_b)
    inputs = input_differences(a.meta, b.meta, a.doc.model_dump(mode="json", by_alias=True),
                               b.doc.model_dump(mode="json", by_alias=True))
    return compare(_scores(folder_a), _scores(folder_b), str(folder_a), str(folder_b), inputs)


def _scores(folder: Path) -> Scores:
    run = load_run(folder)
    return score(run.events, run.doc, run.scenario)


class Exported(NamedTuple):
    """One file an export wrote: its format, path and how many events it holds."""

    format: str
    path: Path
    events: int


OCEL_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
"""An OCEL file with one of these suffixes is written in OCEL 2.0's SQLite form; any other as JSON."""


def export_run(folder: Path, *, jsonl: Path | None = None, csv: Path | None = None,
               ocel: Path | None = None) -> list[Exported]:
    """Stream a run's journal to JSON Lines, CSV and/or an OCEL 2.0 log (SQLite form by the file's suffix).

    One pass over the journal per file, one event in memory at a time (OCEL: the work in flight).
    """
    if jsonl is None and csv is None and ocel is None:
        raise BallotdrillError("say what to export: --jsonl FILE, --csv FILE and/or --ocel FILE")
    run = open_run(folder)
    done: list[Exported] = []
    try:
        if jsonl is not None:
            done.append(Exported("jsonl", jsonl, write_jsonl_rows(_reading(folder, stored_rows(run.journal)), jsonl)))
        if csv is not None:
            done.append(Exported("csv", csv, write_csv_rows(_reading(folder, stored_rows(run.journal)), csv)))
        if ocel is not None:
            sqlite_form = ocel.suffix.lower() in OCEL_SQLITE_SUFFIXES
            write = write_ocel_sqlite if sqlite_form else write_ocel_json
            count = write(_reading(folder, read_events(run.journal)), ocel, run.doc, run.scenario,
                          run.meta.get("date"))
            done.append(Exported("ocel-sqlite" if sqlite_form else "ocel", ocel, count))
    except OSError as exc:
        raise BallotdrillError(f"{exc.filename or folder}: cannot write ({exc.strerror})") from None
    return done


T = TypeVar("T")


def _reading(folder: Path, items: Iterator[T]) -> Iterator[T]:
    """``items`` read from a run's journal; a failure to read becomes a :class:`RunFolderError` (not a write error)."""
    try:
        yield from items
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        raise RunFolderError(f"{folder}: cannot read the run ({type(exc).__name__}: {exc})") from None
