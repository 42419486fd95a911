"""A run folder's ``journal.sqlite`` as a file: readable, a ballotdrill journal, of a format this version reads."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from ballotdrill.journal import JOURNAL_FILE, read_meta
from ballotdrill.journal.sqlite_uri import connect_read_only
from ballotdrill.journal.store import FORMAT_VERSION
from ballotdrill.scenarios.errors import BallotdrillError

JSONL_FILE = "journal.jsonl"
META_FILE = "meta.json"


class RunFolderError(BallotdrillError):
    """A folder that holds no readable run (no journal, a damaged one, or no scenario file in its meta)."""


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def check_journal_file(run_dir: Path) -> None:
    """Refuse a run folder's ``journal.sqlite`` that is damaged, not an SQLite database, another program's
    database, one a run left before setting it up, or of a journal format this version does not read."""
    path = Path(run_dir) / JOURNAL_FILE
    try:
        with contextlib.closing(connect_read_only(path)) as db:
            tables = sorted(name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
            fmt = (dict(db.execute("SELECT key, value FROM meta").fetchall()).get("format")
                   if "meta" in tables else None)
    except sqlite3.DatabaseError as exc:
        raise damaged(run_dir, exc) from None
    except (sqlite3.Error, OSError) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") from None
    if not tables:
        raise RunFolderError(f"{run_dir}: the run did not finish: it was stopped before its journal was set up, so "
                             "there is nothing to report; run it again")
    if not {"meta", "events"} <= set(tables):
        shown = ", ".join(repr(t) for t in tables[:5]) + (", …" if len(tables) > 5 else "")
        raise RunFolderError(f"{path}: an SQLite database, but not a ballotdrill journal (its tables: {shown}; a "
                             "journal has 'events' and 'meta'); give the folder of a run that 'ballotdrill run' or "
                             "'ballotdrill live' wrote")
    if fmt is not None and fmt != FORMAT_VERSION:
        raise RunFolderError(f"{run_dir}: its journal is in format {fmt!r}, which this version of ballotdrill "
                             f"does not read (it reads format {FORMAT_VERSION}); use the version of ballotdrill "
                             "that wrote it")


_AGAIN = "then run the same command again"

_NOT_DAMAGED = {
    sqlite3.SQLITE_FULL: f"the disk is full ({{}}), which leaves its {JOURNAL_FILE} as it is; free some space, "
                         f"{_AGAIN}",
    sqlite3.SQLITE_IOERR: f"the disk or file system answered with an input/output error ({{}}), which leaves its "
                          f"{JOURNAL_FILE} as SQLite last wrote it; check the disk (free space, a limit on file "
                          f"sizes, a drive removed), {_AGAIN}",
    sqlite3.SQLITE_READONLY: f"its {JOURNAL_FILE} cannot be written here ({{}}), and a journal a stopped run left "
                             f"must be settled first; copy the folder somewhere you may write, {_AGAIN} there",
    sqlite3.SQLITE_CANTOPEN: f"its {JOURNAL_FILE} or a file beside it cannot be opened ({{}}); check that you may "
                             f"read and write the folder, {_AGAIN}",
    sqlite3.SQLITE_BUSY: f"another program holds its {JOURNAL_FILE} ({{}}); close it (a database browser, another "
                         f"ballotdrill), {_AGAIN}",
}
"""SQLite's primary result codes that leave a journal as it is, with what to do (the error's text in the braces)."""
_NOT_DAMAGED[sqlite3.SQLITE_PERM] = _NOT_DAMAGED[sqlite3.SQLITE_CANTOPEN]
_NOT_DAMAGED[sqlite3.SQLITE_LOCKED] = _NOT_DAMAGED[sqlite3.SQLITE_BUSY]


def damaged(run_dir: Path, exc: sqlite3.Error) -> RunFolderError:
    """Why a journal could not be read or settled: by SQLite's result code, a full disk, an I/O error, a file that
    cannot be written, opened or is held by another program (nothing wrong with the journal); else it is damaged."""
    fix = _NOT_DAMAGED.get(getattr(exc, "sqlite_errorcode", 0) & 0xFF)
    if fix is not None:
        return RunFolderError(f"{run_dir}: cannot read the run: " + fix.format(one_line(exc)))
    return RunFolderError(f"{run_dir}: cannot read the run: its {JOURNAL_FILE} is damaged or not an SQLite database "
                          f"({one_line(exc)}); restore it from a copy, or run the scenario again")


def _run_folder_within(folder: Path, depth: int = 3, budget: int = 200) -> Path | None:
    """The first run folder (holding a journal) under ``folder``, at most ``depth`` levels down (a sweep's
    ``journals/POINT/RUN``), level by level in name order, reading at most ``budget`` folders and never through a
    link; None if none is found."""
    level = [folder]
    for _ in range(depth):
        below: list[Path] = []
        for parent in level:
            budget -= 1
            if budget < 0:
                return None
            try:
                below += sorted(p for p in parent.iterdir() if p.is_dir() and not p.is_symlink())
            except OSError:
                continue
        found = next((sub for sub in below if (sub / JOURNAL_FILE).is_file()), None)
        if found is not None:
            return found
        level = below
    return None


def find_journal(run_dir: Path) -> tuple[Path, dict[str, str]]:
    """A run folder's journal file and its meta, which names a stored scenario file (not read: :func:`open_run`
    reads it)."""
    run_dir = Path(run_dir)
    sqlite_path, jsonl_path = run_dir / JOURNAL_FILE, run_dir / JSONL_FILE
    hint = "create one with 'ballotdrill run --out FOLDER'"
    try:
        if sqlite_path.is_file():
            check_journal_file(run_dir)
            journal, meta = sqlite_path, read_meta(sqlite_path)
        elif jsonl_path.is_file() and (run_dir / META_FILE).is_file():
            raw = json.loads((run_dir / META_FILE).read_text(encoding="utf-8"))
            journal = jsonl_path
            meta = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}
        elif not run_dir.exists():
            raise RunFolderError(f"{run_dir}: no such folder; give the folder of a run ({hint})")
        elif not run_dir.is_dir():
            raise RunFolderError(f"{run_dir} is a file, not a folder; give the folder of a run ({hint})")
        elif (inner := _run_folder_within(run_dir)) is not None:  # a sweep's folder, or one of its points'
            raise RunFolderError(f"{run_dir}: no {JOURNAL_FILE} here, but a folder under it holds a run (as a "
                                 f"sweep keeps its replications); give a run folder, e.g. {inner}")
        else:
            raise RunFolderError(f"{run_dir}: no {JOURNAL_FILE} here (nor {JSONL_FILE} with {META_FILE}); {hint}")
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") from None
    if "document" not in meta:
        raise RunFolderError(f"{run_dir}: the journal's meta has no 'document' (the scenario file); {hint}")
    return journal, meta
