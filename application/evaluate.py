"""Evaluators' operations on finished runs: export a journal for other tools (comparing two runs: :mod:`.comparing`)."""

from __future__ import annotations

import itertools
import os
import shlex
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, cast

from ballotdrill.application.folder import LOCK_FILE, MANIFEST, check_output, write_output
from ballotdrill.application.journalfile import RunFolderError, find_journal
from ballotdrill.application.reportfiles import REPORT_FILES
from ballotdrill.application.runs import (
    INPUT_FILES,
    RunFiles,
    RunInterrupted,
    check_run_but_rows,
    open_run,
    refuse_changed,
    verify_rows,
)
from ballotdrill.exports.lines import write_csv_blocks, write_jsonl_blocks
from ballotdrill.journal.interrupts import is_interrupt
from ballotdrill.journal.rows import StoredDataError, StoredRow, stored_blocks
from ballotdrill.journal.seal import BLOCK, RawRow, RowsToCheck
from ballotdrill.scenarios.errors import BallotdrillError


class Exported(NamedTuple):
    """One file an export wrote: its format, path and how many events it holds."""

    format: str
    path: Path
    events: int


class ExportProgress(NamedTuple):
    """How far the pass writing one file is through the journal: ``rows`` read of ``total`` (the row count its
    seal holds; None for a journal no seal vouches for, such as a forced export's, which is not counted first);
    ``phase``: what the file's writer is doing after its pass, if anything (OCEL's SQLite form, e.g. ``writing the
    event tables``)."""

    format: str
    path: Path
    rows: int
    total: int | None
    phase: str = ""


Told = Callable[[int], None]
"""Told how many journal rows a pass has read so far, after each block."""


OCEL_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
"""An OCEL file with one of these suffixes is written in OCEL 2.0's SQLite form; any other as JSON."""

OCEL_XML_SUFFIXES = (".xml", ".xmlocel")
"""Suffixes of OCEL 2.0's XML form, which is not written: a file so named is refused (a tool would read it as XML)."""


EXPORT_FLAGS = {"jsonl": "--jsonl", "csv": "--csv", "ocel": "--ocel", "ocel-sqlite": "--ocel"}
"""The ``export`` option that writes each format."""


def export_run(folder: Path, *, jsonl: Path | None = None, csv: Path | None = None,
               ocel: Path | None = None, force: bool = False,
               wrote: Callable[[Exported], None] | None = None,
               progress: Callable[[ExportProgress], None] | None = None) -> list[Exported]:
    """Stream a (sealed) run's journal to JSON Lines, CSV and/or an OCEL 2.0 log (SQLite form by the file's suffix).

    One pass over the journal per file, one block of rows in memory at a time (OCEL: the work in flight). The
    pass checks the rows against the journal's seal as it goes (its meta is checked before): a journal changed
    since it was sealed fails the export at the end of the pass, before the file is put in place. Each file is
    written whole or not at all (:func:`write_output`): never over the run's own journal, never over a file in
    the run folder that ballotdrill did not write there. ``wrote`` is told of each file as soon as it is in place,
    ``progress`` of each file's pass after each block of rows (the total from the seal, so nothing is counted twice);
    a Ctrl-C is a :class:`RunInterrupted` saying which files were written whole and how to write the rest.
    """
    if jsonl is None and csv is None and ocel is None:
        raise BallotdrillError("say what to export: --jsonl FILE, --csv FILE and/or --ocel FILE")
    targets = {fmt: path for fmt, path in (("jsonl", jsonl), ("csv", csv), ("ocel", ocel)) if path is not None}
    if ocel is not None and ocel.suffix.lower() in OCEL_XML_SUFFIXES:
        raise BallotdrillError(f"{ocel}: OCEL 2.0's XML form is not written (a process-mining tool would read this "
                               f"name as XML); name the file {ocel.with_suffix('.json')} for its JSON form or "
                               f"{ocel.with_suffix('.sqlite')} for its SQLite form")
    _refuse_run_files(Path(folder), targets)
    _, rows_check = check_run_but_rows(folder, force=force)
    inputs = [Path(folder) / name for name in INPUT_FILES]
    for path in targets.values():  # every file refused before the first is written (a pass can take minutes)
        check_output(path, folder=Path(folder), inputs=inputs)
    if force:  # used anyway: not checked on the way (the command says on stderr what is wrong with it)
        rows_check = None
    # The stored scenario file is read (and its models loaded) for an OCEL log, and to refuse a damaged one that no
    # seal vouches for; JSON Lines and CSV of a sealed journal do not use it, and the seal covers it.
    run = open_run(folder) if ocel is not None or rows_check is None else None
    journal = find_journal(folder)[0] if run is None else run.journal
    guard = partial(write_output, folder=Path(folder), inputs=inputs)
    rows = partial(_reading, folder, rows_check, journal, any_value=True)  # a pass (a generator) per file
    total = rows_check.rows if rows_check is not None else None

    def told(fmt: str, path: Path) -> Told | None:
        if progress is None:
            return None
        return lambda done: progress(ExportProgress(fmt, path, done, total))

    def phases(fmt: str, path: Path) -> Callable[[str], None] | None:
        if progress is None or total is None:
            return None
        return lambda phase: progress(ExportProgress(fmt, path, total, total, phase))

    write_jsonl, write_csv = _lines_writers(total)
    wanted: list[tuple[str, Path, Callable[[Path], int]]] = []
    if jsonl is not None:
        wanted.append(("jsonl", jsonl, partial(write_jsonl, rows(told=told("jsonl", jsonl)))))
    if csv is not None:
        wanted.append(("csv", csv, partial(write_csv, rows(told=told("csv", csv)))))
    if ocel is not None and run is not None:  # (run is read whenever ocel is asked for)
        sqlite_form = ocel.suffix.lower() in OCEL_SQLITE_SUFFIXES
        fmt = "ocel-sqlite" if sqlite_form else "ocel"
        if sqlite_form and rows_check is not None:
            log = partial(_ocel_sql, folder, rows_check, run, told(fmt, ocel), phases(fmt, ocel))
        elif sqlite_form:  # the OCEL writers (and the scenario models they read) are loaded only for an OCEL export
            log = partial(_ocel, _walked_sqlite, folder, rows_check, run, told(fmt, ocel))
        else:
            log = partial(_ocel_json, folder, rows_check, run, told(fmt, ocel))
        wanted.append((fmt, ocel, log))
    done: list[Exported] = []
    written: list[Path] = []
    try:
        for fmt, path, fill in wanted:
            before = _identity(path)
            try:
                done.append(Exported(fmt, path, guard(path, fill)))
            except BaseException:
                if _identity(path) not in (before, None):  # a Ctrl-C held until it was in place and recorded
                    written.append(path)
                raise
            written.append(path)
            if wrote is not None:
                wrote(done[-1])
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        raise RunInterrupted(_interrupted_export(folder, written, wanted, force)) from None
    return done


APART_FROM = 4 * BLOCK
"""Journal rows from which JSON Lines and CSV are formatted and written by a forked child while this process reads
(:mod:`ballotdrill.exports.apart`; a journal no seal counts, a forced export's, too): below, forking gains little."""

LinesWriter = Callable[[Iterable[list[StoredRow]], Path], int]


def _lines_writers(rows: int | None) -> tuple[LinesWriter, LinesWriter]:
    """The JSON Lines and CSV writers for a journal of ``rows`` rows (None: not counted)."""
    if rows is not None and rows < APART_FROM:
        return write_jsonl_blocks, write_csv_blocks
    from ballotdrill.exports.apart import write_apart

    return partial(write_apart, write_jsonl_blocks), partial(write_apart, write_csv_blocks)


RUN_FILES = {**{name: "after-action report" for name in REPORT_FILES.values()}, "scores.json": "scores",
             "tokens.json": "join tokens (a live exercise's)", MANIFEST: "record of what ballotdrill wrote",
             LOCK_FILE: "lock"}
"""A run folder's own files, which an export never replaces (its inputs are refused as inputs)."""


def _refuse_run_files(folder: Path, targets: dict[str, Path]) -> None:
    """Refuse, before anything is written, an export over one of the run folder's own files (a slip of the path
    would replace the report handed out with a journal dump) and two exports into one file (``targets``: each
    format's file)."""
    seen: set[Path] = set()
    for fmt, path in targets.items():
        where = path.resolve()
        if where in seen:
            raise BallotdrillError(f"{path} is named for two exports; give each format its own file")
        seen.add(where)
        if where.parent == folder.resolve() and path.name in RUN_FILES:
            raise BallotdrillError(f"{path} is the run's {RUN_FILES[path.name]}; an export never replaces it: "
                                   f"write it to another file (e.g. {folder / ('export' + _suffix(fmt, path))})")


def _suffix(fmt: str, path: Path) -> str:
    """The suffix a file of format ``fmt`` (``jsonl``, ``csv``, ``ocel``) named like ``path`` is given as an
    example: the format's own (an OCEL log's SQLite suffix kept, since it picks the form)."""
    if fmt == "ocel":
        return path.suffix if path.suffix.lower() in OCEL_SQLITE_SUFFIXES else ".json"
    return f".{fmt}"


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` now (a file put in place by a rename is a new one), or None."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns


def _interrupted_export(folder: Path, written: list[Path], wanted: list[tuple[str, Path, Callable[[Path], int]]],
                        force: bool) -> str:
    """The line for an export stopped by Ctrl-C: the files written whole, those not written, how to write them."""
    left = [(fmt, path) for fmt, path, _ in wanted if path not in written]
    kept = (f"{' and '.join(str(p) for p in written)} {'was' if len(written) == 1 else 'were'} written whole; "
            if written else "")
    if not left:
        return f"interrupted: {kept.removesuffix('; ')} (every file asked for)"
    flags = " ".join(f"{EXPORT_FLAGS[fmt]} {shlex.quote(str(path))}" for fmt, path in left)
    command = f"ballotdrill export {shlex.quote(str(folder))}{' --force' if force else ''} {flags}"
    missing = " and ".join(str(path) for _, path in left)
    return (f"interrupted: {kept}{missing} {'was' if len(left) == 1 else 'were'} not written (no part of "
            f"{'it' if len(left) == 1 else 'them'} is left); '{command}' writes {'it' if len(left) == 1 else 'them'}")


def _ocel(write: Callable[..., int], folder: Path, rows_check: RowsToCheck | None, run: RunFiles, told: Told | None,
          path: Path) -> int:
    """The log written from the stored rows in one pass, the seal checked in the same pass."""
    rows = itertools.chain.from_iterable(_reading(folder, rows_check, run.journal, told=told))
    return write(rows, path, run.doc, run.scenario, run.meta.get("date"))


OCEL_APART_FROM = 4 * BLOCK
"""Rows of a sealed journal from which OCEL's JSON form is made on two processes
(:mod:`ballotdrill.exports.ocel_text_apart`): below, forking and merging gain little (as :data:`APART_FROM`)."""


def _ocel_json(folder: Path, rows_check: RowsToCheck | None, run: RunFiles, told: Told | None, path: Path,
               apart_from: int | None = None) -> int:
    """OCEL's JSON form: a sealed journal of at least ``apart_from`` rows (:data:`OCEL_APART_FROM`) on two
    processes, its blocks checked against the seal as they are handed on; else, or where the split cannot give the
    file exactly or no child can be forked, in one pass (the rows read again)."""
    from ballotdrill.exports.ocel_text import write_ocel_text

    least = OCEL_APART_FROM if apart_from is None else apart_from
    if rows_check is not None and rows_check.rows >= least:
        from ballotdrill.exports.ocel_text_apart import NotSplit, write_ocel_text_apart

        blocks = _reading(folder, rows_check, run.journal, told=told)
        try:
            return write_ocel_text_apart(blocks, path, run.doc, run.scenario, run.meta.get("date"))
        except NotSplit:
            pass
        finally:
            blocks.close()
    return _ocel(write_ocel_text, folder, rows_check, run, told, path)


def _walked_sqlite(rows: Iterator[StoredRow], *args: Any) -> int:
    """OCEL's SQLite form by the walk (:class:`~ballotdrill.exports.ocel.OcelWalker`)."""
    from ballotdrill.exports.ocel import shared_events
    from ballotdrill.exports.ocel_sqlite import write_ocel_sqlite

    return write_ocel_sqlite(shared_events(rows), *args)


def _ocel_sql(folder: Path, rows_check: RowsToCheck, run: RunFiles, told: Told | None,
              phase: Callable[[str], None] | None, path: Path) -> int:
    """A sealed journal's OCEL SQLite form built inside SQLite, its rows checked against the seal first in the same
    read transaction (``told`` follows that pass; ``phase`` is told what the statements after it do); by the walk
    when the journal holds what only the walk says exactly."""
    from ballotdrill.exports.ocel_sql import Unsupported, write_ocel_sqlite_from_journal

    def check(blocks: Iterator[list[RawRow]]) -> None:
        for _ in _reading(folder, rows_check, run.journal, source=blocks, told=told):
            pass

    try:
        return write_ocel_sqlite_from_journal(run.journal, path, run.doc, run.scenario, run.meta.get("date"), check,
                                              phase)
    except Unsupported:
        return _ocel(_walked_sqlite, folder, rows_check, run, told, path)


def _reading(folder: Path, rows_check: RowsToCheck | None, journal: Path, *, any_value: bool = False,
             source: Iterator[list[RawRow]] | None = None, told: Told | None = None
             ) -> Generator[list[StoredRow], None, None]:
    """The journal's rows in blocks, each into the seal's digest (``rows_check``) as it goes by: after the last,
    a journal changed since it was sealed is refused (:class:`RunFolderError`, as :func:`check_run` says it).
    ``any_value``: the writer takes rows of any values (JSON Lines, CSV), so a sealed journal's rows are not
    checked beforehand (:func:`stored_blocks` with ``sealed``): a changed row is written to the temporary file
    and refused at the end.
    A failure to read becomes a :class:`RunFolderError` too (not a write error): a row whose data is not a JSON
    object is found before the first block, and then a sealed journal is checked first (a changed one says so).
    ``source``: the journal's blocks as :func:`attached_blocks` reads them from another connection. ``told``: told the
    rows read so far once the caller is done with each block."""
    digest = rows_check.start() if rows_check is not None else None
    blocks = (stored_blocks(journal, sealed=any_value and rows_check is not None) if source is None
              else cast("Iterator[list[StoredRow]]", source))  # only digested, never written
    done = 0
    try:
        for block in blocks:
            if digest is not None:
                digest.update(block)
            yield block
            if told is not None:
                done += len(block)
                told(done)
    except StoredDataError as exc:
        if rows_check is not None:
            refuse_changed(folder, verify_rows(folder, rows_check))
        raise _cannot_read(folder, exc) from None
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        raise _cannot_read(folder, exc) from None
    if rows_check is not None and digest is not None:
        refuse_changed(folder, rows_check.verdict(digest))


def _cannot_read(folder: Path, exc: Exception) -> RunFolderError:
    return RunFolderError(f"{folder}: cannot read the run ({type(exc).__name__}: {exc})")
