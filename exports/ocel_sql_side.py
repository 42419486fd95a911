"""Most of OCEL's SQLite form built beside: filled by a second thread, on a connection and in a file of its own,
while the main thread's pass over the journal numbers the work; its tables are then copied into the log whole.

SQLite runs a statement without Python's lock, so what the second thread does — the work pass's rows as they come,
the statements that read only the journal (the events, their relations, the incidents, a share of the event tables)
— takes a second core while the main thread runs Python. The copy is SQLite's transfer of whole records (``INSERT
INTO t SELECT * FROM b.t`` between tables of one definition), which keeps each row's rowid where the table was empty
and appends in order where it was not, so the log holds what the same fills on the main connection would have put
there, in the same order. Both connections read the journal; the main one holds its read transaction open (a
rollback journal's shared lock: no write can come between) from before the thread starts until the thread is done,
so both read the same rows. A journal in WAL mode, whose readers do not hold writers off, is built on the main
connection alone (:class:`Here`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ballotdrill.journal.sqlite_uri import read_only_uri

Fill = Callable[[sqlite3.Connection], Any]
"""Puts rows into tables of the connection it is given."""

SIDE_CACHE_KIB = 16_384
"""The side connection's page cache: it appends rows (the ``event`` ids' index is the only one it keeps)."""

PHASES = ("writing the objects and relationships", "copying the tables into the log")
"""What :meth:`Here.finish` does, in order."""

WAITING = 4
"""Fills given and not yet begun beside before the main thread waits, so that memory stays flat if the side lags (a
work pass's fill holds up to 10,000 rows of one table, a few megabytes)."""


def statements(*given: tuple[str, dict[str, Any]]) -> Fill:
    """A fill running SQL statements (each with its parameters) in order."""
    def fill(db: sqlite3.Connection) -> None:
        for sql, params in given:
            db.execute(sql, params)
    return fill


class Here:
    """Fills run on the main connection when the build finishes (nothing to copy): the way for a journal in WAL
    mode, and the order the log's rows are in either way."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.later: list[Fill] = []

    def run(self, tables: tuple[str, ...], fill: Fill) -> None:
        """Have ``fill`` (which puts rows into ``tables``) run after every fill given before it."""
        del tables
        self.later.append(fill)

    def finish(self, told: Callable[[str], None]) -> None:
        """Run the fills given and commit the build's transaction (``told`` each of :data:`PHASES` as it begins)."""
        told(PHASES[0])
        for fill in self.later:
            fill(self.db)
        self.db.execute("COMMIT")

    def abandon(self) -> None:
        """Nothing runs elsewhere."""


class Beside(Here):
    """Fills run in order by a thread on a connection of its own, into a hidden file beside ``path``, with the
    journal attached as ``j``; each table a fill names is made there first, by the main connection's definition."""

    def __init__(self, db: sqlite3.Connection, path: Path, journal: Path) -> None:
        super().__init__(db)
        self.file = path.with_name(f".{path.name}.{os.getpid()}.beside")
        self.journal = journal
        self.tables: list[str] = []
        self.todo: queue.Queue[tuple[list[str], Fill] | None] = queue.Queue(WAITING)
        self.error: BaseException | None = None
        self.side: sqlite3.Connection | None = None
        self.stopped = False
        self.file.unlink(missing_ok=True)
        self.thread = threading.Thread(target=self._work, name="ocel-sqlite-beside", daemon=True)
        self.thread.start()

    def run(self, tables: tuple[str, ...], fill: Fill) -> None:
        made = []
        for table in tables:
            if table not in self.tables:
                (sql,) = self.db.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                                         (table,)).fetchone()
                made.append(sql)
                self.tables.append(table)
        self.todo.put((made, fill))

    def _work(self) -> None:
        given = True
        try:
            side = self.side = sqlite3.connect(self.file, isolation_level=None, check_same_thread=False)
            for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{SIDE_CACHE_KIB}"):
                side.execute(f"PRAGMA {pragma}")
            side.execute("ATTACH DATABASE ? AS j", (read_only_uri(self.journal),))
            side.execute("BEGIN")
            while (item := self.todo.get()) is not None and not self.stopped:
                made, fill = item
                for sql in made:
                    side.execute(sql)
                fill(side)
            given = item is None
            side.execute("COMMIT")
        except BaseException as exc:  # handed to the main thread, which raises it
            self.error = exc
            given = False
        while not given:  # what is still given is dropped, so that the main thread never waits on a full queue
            given = self.todo.get() is None

    def finish(self, told: Callable[[str], None]) -> None:
        """Wait for the fills beside (raising what stopped them), commit the build's transaction (the journal's
        rows are all read) and copy the tables made beside into the log, in one more transaction."""
        told(PHASES[0])
        self.todo.put(None)
        self.thread.join()
        self._close()
        try:
            if self.error is not None:
                raise self.error
            db = self.db
            db.execute("COMMIT")
            told(PHASES[1])
            db.execute("ATTACH DATABASE ? AS b", (self.file.resolve().as_uri(),))
            db.execute("BEGIN")
            for table in self.tables:
                name = '"' + table.replace('"', '""') + '"'
                db.execute(f"INSERT INTO main.{name} SELECT * FROM b.{name}")
            db.execute("COMMIT")
            db.execute("DETACH DATABASE b")
        finally:
            self.file.unlink(missing_ok=True)

    def abandon(self) -> None:
        """Stop the fills beside (the build failed elsewhere) and remove their file."""
        self.stopped = True
        if self.side is not None:
            self.side.interrupt()
        self.todo.put(None)
        self.thread.join()
        self._close()
        self.file.unlink(missing_ok=True)

    def _close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


@contextlib.contextmanager
def beside(db: sqlite3.Connection, path: Path, journal: Path) -> Iterator[Here]:
    """Where fills that read only the attached journal ``j`` (or rows given) run: a :class:`Beside` for a journal
    not in WAL mode (the main connection's read transaction must be open, as its first read of ``j`` opens it),
    else :class:`Here`. Finished by the caller (:meth:`Here.finish`); abandoned, and its file removed, on an
    error."""
    (mode,) = db.execute("PRAGMA j.journal_mode").fetchone()
    place = Here(db) if str(mode).lower() == "wal" else Beside(db, path, journal)
    try:
        yield place
    except BaseException:
        place.abandon()
        raise
