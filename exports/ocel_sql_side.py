"""OCEL's SQLite form built on two cores: a second thread fills the log while the main thread's pass over the
journal numbers the work in Python.

SQLite runs a statement without Python's lock, so what the thread does — the work pass's rows as they come, the
statements that read only the journal (the events, their relations, the incidents, a share of the event tables)
— takes a second core while the main thread runs Python. The main thread reads the journal on a connection of its
own whose file is a scratch database beside the log: the event tables it fills there are copied into the log at
the end, by SQLite's transfer of whole records (``INSERT INTO t SELECT * FROM s.t`` into an empty table of the
same definition, each rowid kept), so the log holds what one connection would have put there, in the same order.
Both connections read the journal; the main one's read transaction (a rollback journal's shared lock: no write can
come between) is open before the thread starts and until it is done, so both read the same rows. A journal in WAL
mode, whose readers do not hold writers off, is built on the log's connection alone (:class:`Here`). Where a child
can be forked, it fills the log instead of the thread (:mod:`ballotdrill.exports.ocel_sql_apart`): the thread shares
Python's lock with the main thread.
"""

from __future__ import annotations

import collections
import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from ballotdrill.exports.ocel_sqlite import EVENT_COLUMNS, SqliteSink, _ident, insert_rows
from ballotdrill.exports.ocel_work import WIDTHS, Rows, WorkPass, stamper
from ballotdrill.journal.interrupts import interrupts_held
from ballotdrill.journal.sqlite_uri import read_only_uri

Fill = Callable[[sqlite3.Connection], Any]
"""Puts rows into tables of the connection it is given (the log's)."""

PHASES = ("writing the objects and relationships", "copying the event tables into the log")
"""What :meth:`Here.finish` does, in order (a :class:`Here` only the first)."""

SCRATCH_CACHE_KIB = 16_384
"""The scratch database's page cache: its tables are only appended to."""

COPY_CACHE_KIB = 2_048
"""The log's page cache while the event tables are copied in (SQLite's default): each table is appended to whole, so
a larger cache would only hold what was written, up to :data:`~ballotdrill.exports.ocel_sqlite.CACHE_KIB` more
memory at the build's end in a large run."""

WAITING = 4
"""Fills given and not yet begun by the thread before the main thread waits, so that memory stays flat if the thread
lags (a work pass's fill holds up to 10,000 rows of one table, a few megabytes)."""


def statements(*given: tuple[str, dict[str, Any]]) -> Fill:
    """A fill running SQL statements (each with its parameters) in order."""
    return partial(_run_statements, given)


def _run_statements(given: tuple[tuple[str, dict[str, Any]], ...], db: sqlite3.Connection) -> None:
    for sql, params in given:
        db.execute(sql, params)


class ForkFailed(OSError):
    """No child process could be forked for the log (:mod:`ballotdrill.exports.ocel_sql_apart`)."""


class Here:
    """The log built on one connection, the main thread's (``reader`` is the log): each fill runs when given."""

    def __init__(self, log: sqlite3.Connection, sink: SqliteSink) -> None:
        self.log, self.reader, self.sink = log, log, sink
        """``reader``: the connection the main thread reads the journal (attached as ``j``) and fills tables through;
        ``sink``: the one naming the event tables there."""

    def run(self, fill: Fill) -> None:
        """Have ``fill`` run on the log after every fill given before it (a fill is plain data: a ``partial`` of a
        module's function, so that it can be handed to another process)."""
        fill(self.log)

    def rows(self, head: str, width: int, rows: list[tuple[Any, ...]]) -> None:
        """Have ``rows`` (each of ``width`` values) inserted by ``head`` (:func:`insert_rows`) as :meth:`run` would;
        the caller gives up ``rows``."""
        self.run(partial(insert_rows, head=head, width=width, rows=rows))

    def begin_work(self, day_zero: datetime, start: float) -> None:
        """Start the work pass (:class:`~ballotdrill.exports.ocel_work.WorkPass`), its times ``start`` minutes after
        ``day_zero`` (:func:`~ballotdrill.exports.ocel_work.stamper`): its rows go in the log as :meth:`rows` puts
        them."""
        self.passing = WorkPass(self._insert_work, stamper(day_zero, start))

    def _insert_work(self, table: str, found: Rows) -> None:
        self.rows(f"INSERT INTO {table}", WIDTHS[table], list(found))  # (the pass clears its lists)

    def work(self, rows: Rows) -> None:
        """Number the work rows ``rows`` (:meth:`~ballotdrill.exports.ocel_work.WorkRows.of` a block) in the work
        pass."""
        self.passing.feed(rows)

    def work_done(self) -> None:
        """End the work pass: close what it holds open and insert the rest."""
        self.passing.finish()

    def meanwhile(self, fills: list[Fill]) -> None:
        """Have ``fills`` run on the log, in order, whenever it has no fill given to run, and all of them before any
        fill given after :meth:`settle`."""
        for fill in fills:
            fill(self.log)

    def settle(self) -> None:
        """Every fill :meth:`meanwhile` was given runs before the fills given from here on."""

    def mirror(self, event_tables: list[tuple[str, dict[str, str]]]) -> None:
        """The event tables ``(type, columns)`` the main thread made through :attr:`sink`, made in the log too."""

    def keep(self, table: str) -> None:
        """The main thread filled ``table`` through :attr:`reader`: it belongs in the log."""

    def share(self, fills: list[tuple[str, Fill]]) -> None:
        """Run each of ``fills`` (the table it fills, and the fill) once, after every fill given before, on
        whichever side is free first (the main thread's on :attr:`reader`, noted by :meth:`keep`), in the order
        given (the largest first); return when none is left to begin and the main thread's are done."""
        for table, fill in fills:
            self.take(table, fill)

    def take(self, table: str, fill: Fill) -> None:
        """Run ``fill`` of ``table`` here, on :attr:`reader`, and keep the table (:meth:`share`)."""
        fill(self.reader)
        self.keep(table)

    def finish(self, told: Callable[[str], None]) -> None:
        """Commit the build (``told`` each step of :data:`PHASES` it takes as it begins)."""
        told(PHASES[0])
        self.log.execute("COMMIT")

    def abandon(self) -> None:
        """Nothing runs elsewhere."""


class Beside(Here):
    """Fills run in order by a thread on the log's connection (with the journal attached as ``j``); the main thread
    reads the journal and fills its event tables in a scratch database beside ``path``, copied in at the end."""

    def __init__(self, log: sqlite3.Connection, sink: SqliteSink, path: Path, journal: Path) -> None:
        self.log_sink, self.journal = sink, journal
        self.file = path.with_name(f".{path.name}.{os.getpid()}.scratch")
        self.file.unlink(missing_ok=True)
        reader = sqlite3.connect(self.file.resolve(), isolation_level=None)
        try:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{SCRATCH_CACHE_KIB}"):
                reader.execute(f"PRAGMA {pragma}")
            super().__init__(log, SqliteSink(reader))
            self.reader = reader
            reader.execute("ATTACH DATABASE ? AS j", (read_only_uri(journal),))
            reader.execute("BEGIN")
            reader.execute("SELECT 1 FROM j.events LIMIT 1").fetchall()  # the journal's shared lock, held from here
            self.copied: list[str] = []
            self._start()
        except BaseException:
            with interrupts_held():
                reader.close()
                self.file.unlink(missing_ok=True)
            raise

    def _start(self) -> None:
        """Start what runs the fills: the log's thread."""
        self.log.execute("BEGIN")
        self.todo: queue.Queue[Fill | None] = queue.Queue(WAITING)
        self.error: BaseException | None = None
        self.stopped = False
        self.idle: collections.deque[Fill] = collections.deque()
        """Fills the thread runs when none is given (:meth:`meanwhile`); only the thread touches them."""
        self.thread = threading.Thread(target=self._work, name="ocel-sqlite-log", daemon=True)
        self.thread.start()

    def run(self, fill: Fill) -> None:
        if self.error is not None:  # the log's thread has failed: no point reading the rest of the journal
            raise self.error
        self.todo.put(fill)

    def meanwhile(self, fills: list[Fill]) -> None:
        self.run(lambda _: self.idle.extend(fills))

    def settle(self) -> None:
        self.run(self._settled)

    def _settled(self, log: sqlite3.Connection) -> None:
        while self.idle and not self.stopped:
            self.idle.popleft()(log)

    def mirror(self, event_tables: list[tuple[str, dict[str, str]]]) -> None:
        def make(_: sqlite3.Connection) -> None:
            for event_type, columns in event_tables:
                self.log_sink._typed("event", event_type, EVENT_COLUMNS, columns)
        self.run(make)

    def _next(self) -> Fill | None:
        """The next fill given; while none is waiting, the next of :attr:`idle`, if any is left."""
        if self.idle:
            try:
                return self.todo.get_nowait()
            except queue.Empty:
                return self.idle.popleft()
        return self.todo.get()

    def _work(self) -> None:
        given = True
        try:
            while (fill := self._next()) is not None and not self.stopped:
                fill(self.log)
            given = fill is None
        except BaseException as exc:  # handed to the main thread, which raises it
            self.error = exc
            given = False
        while not given:  # what is still given is dropped, so that the main thread never waits on a full queue
            given = self.todo.get() is None

    def keep(self, table: str) -> None:
        self.copied.append(table)

    def share(self, fills: list[tuple[str, Fill]]) -> None:
        left = collections.deque(fills)  # (popleft is atomic: each fill is taken by one thread)
        self.run(partial(self._take_rest, left))
        while left:
            try:
                table, fill = left.popleft()
            except IndexError:  # the log's thread took the last one
                break
            self.take(table, fill)

    def _take_rest(self, left: collections.deque[tuple[str, Fill]], log: sqlite3.Connection) -> None:
        """Run the fills of ``left`` on the log until none is left (:meth:`share`: the log's thread's side)."""
        while not self.stopped:
            try:
                _, fill = left.popleft()
            except IndexError:
                return
            fill(log)

    def finish(self, told: Callable[[str], None]) -> None:
        """Wait for the thread's fills (raising what stopped them), end the reading (every row of the journal is
        read) and copy the event tables the main thread filled into the log; commit the build."""
        told(PHASES[0])
        self.settle()
        self.todo.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        self.log.execute("COMMIT")
        self._copy_in(told)

    def _copy_in(self, told: Callable[[str], None]) -> None:
        """End the reading (every row of the journal is read) and copy the event tables the main thread filled
        into the log (its connection in no transaction)."""
        self.reader.execute("COMMIT")
        self.reader.close()
        told(PHASES[1])
        log = self.log
        log.execute("DETACH DATABASE j")
        log.execute(f"PRAGMA main.cache_size=-{COPY_CACHE_KIB}")  # (the copy only appends: its cache would grow)
        log.execute("ATTACH DATABASE ? AS s", (self.file.resolve().as_uri(),))
        log.execute("BEGIN")
        for table in self.copied:
            log.execute(f"INSERT INTO main.{_ident(table)} SELECT * FROM s.{_ident(table)}")
        log.execute("COMMIT")
        log.execute("DETACH DATABASE s")
        self.file.unlink()

    def abandon(self) -> None:
        """Stop the thread's fills (the build failed) and remove the scratch database; a Ctrl-C meanwhile waits for
        it (One interrupt policy)."""
        with interrupts_held():
            self.stopped = True
            self.log.interrupt()
            self.todo.put(None)
            self.thread.join()
            self.reader.close()
            self.file.unlink(missing_ok=True)
