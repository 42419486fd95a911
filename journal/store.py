"""Where journal rows go and where they are read back from: memory, SQLite (WAL), JSON Lines.

A long run hands its SQLite writes to a writer process (:func:`serve_writer`), forked, or where this process cannot
fork a new interpreter (:mod:`ballotdrill.journal.writer`).
Reading needs no SimPy, so a report can be rebuilt from a journal on disk years later.
"""

from __future__ import annotations

import contextlib
import gc
import json
import marshal
import sqlite3
import struct
import subprocess
import sys
from collections.abc import Generator, Iterable
from functools import partial, reduce
from operator import iconcat
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol

from ballotdrill.journal.events import KIND_VALUES, Data, Event, Kind, Row, encode_data, unpack
from ballotdrill.journal.forked import Forked, can_fork, widen
from ballotdrill.journal.seal import RunningDigest, plain_laid, seal
from ballotdrill.journal.sqlite_uri import connect_file, connect_read_only


class JournalError(Exception):
    """The journal could not be written (disk full, folder removed, writer process failed)."""



HEADER = struct.Struct("<Q")
"""A frame to the writer process: this header (payload length), then ``marshal`` of ``(first_seq, rows)``; a frame
of length 0 (:data:`SEAL_FRAME`) asks it to seal the journal once its input ends."""

SEAL_FRAME = HEADER.pack(0)


def frame(first_seq: int, rows: list[Row]) -> bytes:
    """One frame for the writer process."""
    payload = marshal.dumps((first_seq, rows))
    return HEADER.pack(len(payload)) + payload


class Sink(Protocol):
    """Where numbered batches of journal rows go."""

    def write(self, first_seq: int, rows: list[Row]) -> None: ...

    def close(self) -> None: ...


class MemorySink:
    """Keeps every row in memory; :meth:`events` turns them into :class:`Event` records."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def write(self, first_seq: int, rows: list[Row]) -> None:
        self.rows.extend(rows)

    def close(self) -> None:
        pass

    def events(self) -> list[Event]:
        return [Event(seq, t, kind, inc, actor, step, unpack(kind, data))
                for seq, (t, kind, inc, actor, step, data) in enumerate(self.rows)]


SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, t REAL NOT NULL, kind TEXT NOT NULL,
    incident TEXT, actor TEXT, step TEXT, data TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteSink:
    """Appends batches to ``journal.sqlite`` (WAL), each batch one transaction.

    Small writes go in directly (a live run writes each event through). From the first
    batch of ``offload`` rows or more on, the run is long: batches go to a writer
    process (:func:`serve_writer`, forked where it can be) so that encoding and inserting overlap the run.

    With ``digest``, whoever inserts the rows (this process, or the writer process) hashes them for the seal as
    they are committed (:class:`~ballotdrill.journal.seal.RunningDigest`), and a run that ends asks for the seal
    (:meth:`seal_when_closed`) without a pass over the journal of its own.
    """

    def __init__(self, path: Path, meta: dict[str, str] | None = None, offload: int = 0,
                 bulk: bool = False, digest: bool = False) -> None:
        """``bulk``: no automatic checkpoints while writing (one at close), for the writer process's long runs."""
        self.path = path
        self.offload = offload
        self.digest = RunningDigest() if digest else None
        self.sealing = False
        self.child: subprocess.Popen[bytes] | Forked | None = None
        self.said: IO[bytes] | None = None
        """Where the writer process says why it failed: its standard error, or, forked, its output pipe."""
        self.framed: bytes | None = None
        """The frame of the latest batch, when it went to the writer process (None: written in this process); another
        reader of the same batch may send the same bytes rather than make them again."""
        self.next_seq: int | None = None
        """The ``seq`` after the last row this sink inserted (None: none yet), which SQLite gives the next row of
        no ``seq`` of its own (one past the largest in the table)."""
        self.db: sqlite3.Connection | None = connect_file(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if bulk:
            self.db.execute("PRAGMA wal_autocheckpoint=0")
        self.db.executescript(SCHEMA)
        if meta:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())

    def write(self, first_seq: int, rows: list[Row]) -> None:
        self.framed = None
        if self.child is None and self.offload and len(rows) >= self.offload:
            self._start_writer()
        if self.child is None:
            self.write_inline(first_seq, rows)
            return
        assert self.child.stdin is not None
        framed = frame(first_seq, rows)
        try:
            _write_all(self.child.stdin, framed)
        except BrokenPipeError:
            self._check_writer()
        self.framed = framed

    def write_inline(self, first_seq: int, rows: list[Row]) -> None:
        """Insert a numbered batch in this process."""
        assert self.db is not None
        encode = encode_data
        # t + 0.0: what the REAL column gives back (an int t as a float, -0.0 as 0.0), so the digest hashes it as stored
        numbered = [(seq, t + 0.0, kind, inc, actor, step, encode(kind, data))
                    for seq, (t, kind, inc, actor, step, data) in enumerate(rows, first_seq)]
        self.db.execute("BEGIN")
        values, width = insert_rows(self.db, numbered, follows=first_seq == self.next_seq)
        self.db.execute("COMMIT")
        self.next_seq = first_seq + len(numbered)
        if self.digest is not None:
            plain = plain_laid(values, width, numbered[len(values) // width:])
            self.digest.add(self.db, first_seq, numbered, plain)

    def seal_when_closed(self) -> None:
        """The run has ended: :meth:`close` seals the journal (:func:`~ballotdrill.journal.seal.seal`) once every
        row is committed, with the digest made as they were (a pass over the rows when there is none)."""
        self.sealing = True

    def _start_writer(self) -> None:
        """Fork the writer process (:mod:`~ballotdrill.journal.forked`: its modules already imported, ready at once),
        or, where this process cannot fork, start it as a new interpreter."""
        assert self.db is not None
        self.db.close()
        self.db = None
        path = self.path.resolve()
        if can_fork():
            try:
                forked = self.child = Forked(partial(_forked_writer, path))
                self.said = forked.stdout
                return
            except OSError:  # no process to be had by forking: a new interpreter will say why if it cannot start
                pass
        # An absolute path, and -P: the child imports the installed package, never a folder named like it here.
        command = [sys.executable, "-P", "-m", "ballotdrill.journal.writer", str(path)]
        self.child = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.child.stdin is not None
        widen(self.child.stdin.fileno())
        self.said = self.child.stderr

    def _check_writer(self) -> None:
        child = self.child
        assert child is not None
        if child.stdin is not None and not child.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                child.stdin.close()
        status = child.wait()
        if status != 0:
            message = (self.said.read() if self.said is not None else b"").decode(errors="replace").strip()
            raise JournalError(f"{self.path}: {message or f'the journal writer stopped (status {status})'}")

    def close(self) -> None:
        """Finish the journal as one self-contained file (rollback mode: no -wal/-shm beside it), or, while
        another process has it open to read, in WAL mode with every commit kept."""
        if self.child is not None:
            child = self.child
            try:
                if self.sealing and child.stdin is not None and not child.stdin.closed:
                    with contextlib.suppress(BrokenPipeError):  # a writer that failed says why in _check_writer
                        child.stdin.write(SEAL_FRAME)
                self._check_writer()
            finally:  # the process object goes now, not later in a garbage collection the caller cannot place
                self.child = None
                if self.said is not None:
                    self.said.close()
        elif self.db is not None:
            db, self.db = self.db, None
            try:
                if db.in_transaction:  # a batch that failed (a full disk): what was committed stays
                    db.rollback()
                # While someone reads the journal this fails: every commit stays in its WAL, folded back by settle.
                with contextlib.suppress(sqlite3.OperationalError):
                    db.execute("PRAGMA journal_mode=DELETE")
            finally:
                db.close()
            if self.sealing:
                seal(self.path, self.digest)


ROWS_A_STATEMENT = 128
"""Rows one insert statement takes (7 values each: 896, under the 999 values a statement of any SQLite may bind)."""
_INSERT_ONE = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)"
_INSERT_MANY = "INSERT INTO events VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * ROWS_A_STATEMENT)
_INSERT_NEXT = ("INSERT INTO events (t, kind, incident, actor, step, data) VALUES "
                + ", ".join(["(?, ?, ?, ?, ?, ?)"] * ROWS_A_STATEMENT))
"""Rows numbered by SQLite: each one past the largest ``seq`` in the table."""


def insert_rows(db: sqlite3.Connection, numbered: list[tuple[Any, ...]],
                follows: bool = False) -> tuple[list[Any], int]:
    """Insert stored rows ``(seq, t, kind, incident, actor, step, data)``, :data:`ROWS_A_STATEMENT` a statement.

    ``executemany`` of one row a statement costs, per row, a reset, a step with the GIL let go and taken back, and
    SQLite's own locking: about 30 % of the inserts' CPU, which a statement of many rows pays once for all of them.
    The rows go in in the same order with the same values: the same file, byte for byte. Their values are laid end
    to end by ``+=`` of each row's tuple (one copy of its seven references in C), not value by value through
    ``chain.from_iterable``.

    ``follows``: the first row's ``seq`` is one past the largest in the table (the rows are numbered one by one), so
    the statements leave ``seq`` to SQLite, which gives each row one past the largest (the rowid SQLite would
    otherwise look up to check it is free): a seventh fewer values bound and copied, the same rows.

    Gives back the values of the whole statements laid end to end and their number a row (the rest of the rows
    follow them), for the seal's check of their types (:func:`~ballotdrill.journal.seal.plain_laid`)."""
    values: list[Any] = []
    width = 7
    whole = len(numbered) - len(numbered) % ROWS_A_STATEMENT
    if whole:
        values = reduce(iconcat, numbered[:whole] if whole < len(numbered) else numbered, [])
        insert = _INSERT_MANY
        if follows:
            del values[::7]
            insert, width = _INSERT_NEXT, 6
        execute, size = db.execute, width * ROWS_A_STATEMENT
        for start in range(0, len(values), size):
            execute(insert, values[start:start + size])
    if whole < len(numbered):
        db.executemany(_INSERT_ONE, numbered[whole:])
    return values, width


def _write_all(stream: IO[bytes], data: bytes) -> None:
    """Write every byte of ``data`` (a forked writer's pipe is unbuffered: a write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[stream.write(view) or 0:]


NULL_ADAPTER: dict[object, None] = {}
"""Its ``get``: None for any value, in C."""


def serve_writer(path: Path, stream: BinaryIO) -> None:
    """The journal writer process's work: append every frame read from ``stream`` to the journal at ``path`` until
    end of input; seal it once its input ends if a frame of length 0 (:data:`SEAL_FRAME`) came.

    Run only in a process of its own (it changes how this process's ``sqlite3`` binds None, and its collector)."""
    # Every batch's rows are decoded, inserted and dropped: no reference cycles, and collections that found none cost
    # about a fifth of this process's CPU (each batch's tuples were walked again and again while they lived).
    gc.disable()
    # A None parameter (a row's empty incident, actor, step or data) is bound as NULL either way; without an adapter
    # of its own, sqlite3 first looks for one and then for __adapt__ and __conform__ (about 4 % of this process's
    # instructions). A C callable that gives None back (a dict's get) makes it one look-up.
    sqlite3.register_adapter(type(None), NULL_ADAPTER.get)
    sink = SqliteSink(path, bulk=True, digest=True)
    try:
        while len(header := stream.read(HEADER.size)) == HEADER.size:
            (size,) = HEADER.unpack(header)
            if not size:
                sink.seal_when_closed()
                continue
            payload = stream.read(size)
            if len(payload) < size:  # the run was killed mid-frame: keep what was committed
                break
            first_seq, rows = marshal.loads(payload)
            sink.write_inline(first_seq, rows)
    finally:
        sink.close()


def _forked_writer(path: Path, stream: BinaryIO, out: BinaryIO) -> None:
    """:func:`serve_writer` in a forked child: a failure is told in one line on ``out`` (and ends it with status 1)."""
    try:
        serve_writer(path, stream)
    except Exception as exc:
        out.write(writer_failed(exc).encode())
        out.flush()
        raise


def writer_failed(exc: BaseException) -> str:
    """The line a writer process that failed leaves for the run (raised there as a :class:`JournalError`)."""
    return f"journal writer: {type(exc).__name__}: {exc}"


ROW_BUDGET = 20_000_000
"""A run stops past this many journal rows (about 2 GB of SQLite): no exercise needs more."""
STALL_ROWS = 200_000
"""A run stops when this many rows in a row are journalled at one simulated instant: time has stopped."""


class RunawayError(Exception):
    """A run stopped because simulated time stopped advancing or its journal outgrew the row budget."""


class Journal:
    """Collects rows and hands them to a sink in numbered batches (``batch=1`` writes each one through).

    A second line of defence behind validation: a run whose time stops advancing, or whose journal
    passes ``budget`` rows, stops with :class:`RunawayError` (the rows so far are kept).
    """

    __slots__ = ("batch", "budget", "rows", "sink", "stall_rows", "stall_t", "written")

    def __init__(self, sink: Sink, batch: int = 8192, budget: int = ROW_BUDGET) -> None:
        self.sink = sink
        self.batch = batch
        self.budget = budget
        self.written = 0
        self.rows: list[Row] = []
        self.stall_t: float | None = None
        self.stall_rows = 0

    def record(self, t: float, kind: Kind, incident: str | None = None, actor: str | None = None,
               step: str | None = None, data: Data = None) -> None:
        """Add one event; ``data`` (a dict, or packed for a kind of :data:`PACKED`) must not change afterwards."""
        rows = self.rows
        rows.append((t, KIND_VALUES[kind], incident, actor, step, data))
        if len(rows) >= self.batch:
            self.flush()

    @property
    def count(self) -> int:
        """Events recorded so far."""
        return self.written + len(self.rows)

    def flush(self) -> None:
        """Hand the buffered rows to the sink (the buffer list is kept: hot paths hold its ``append``)."""
        rows = self.rows
        if rows:
            first, last, count = rows[0][0], rows[-1][0], len(rows)
            self.sink.write(self.written, rows)
            self.written += count
            rows.clear()
            if first == last and first == self.stall_t:
                self.stall_rows += count
            else:
                self.stall_t, self.stall_rows = last, (count if first == last else 0)
            self._check_runaway()

    def _check_runaway(self) -> None:
        if self.stall_rows >= STALL_ROWS:
            raise RunawayError(
                f"the run stopped: simulated time stayed at minute {self.stall_t:g} for {self.stall_rows:,} journal "
                "rows, so it would never end; look for arrivals or a loop of steps that take no time")
        if self.written > self.budget:
            raise RunawayError(f"the run stopped: its journal passed {self.budget:,} rows, more than any exercise "
                               "needs; look for arrivals far too frequent or a loop that never ends")

    def flush_if_full(self) -> None:
        """Flush once a batch has gathered; for callers that append to :attr:`rows` directly."""
        if len(self.rows) >= self.batch:
            self.flush()

    def close(self) -> None:
        self.flush()
        self.sink.close()


JOURNAL_FILE = "journal.sqlite"

FORMAT_VERSION = "1"
"""The journal format a run records in its meta (``format``) and every reader of a run folder accepts."""

SWEEP_POINT = "sweep_point"
"""The meta key of a sweep's kept replication that names its point (``second-cert @ staff=2``)."""


def read_meta(path: Path) -> dict[str, str]:
    """The run's metadata (scenario, seed, the scenario file as JSON) from a SQLite journal."""
    with contextlib.closing(connect_read_only(path)) as db:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())


_decode = json.JSONDecoder().raw_decode
"""What ``json.loads`` does for a str, less its checks for leading and trailing text."""


def read_events(path: Path) -> Generator[Event, None, None]:
    """Events of a journal file in ``seq`` order: SQLite (``.sqlite``/``.db``) or JSON Lines."""
    if path.suffix in (".sqlite", ".db"):
        db = connect_read_only(path)
        try:
            yield from events_of(db.execute(
                "SELECT seq, t, kind, incident, actor, step, data FROM events ORDER BY seq"))
        finally:
            db.close()
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                raw = json.loads(line)
                yield Event(raw["seq"], raw["t"], raw["kind"], raw.get("incident"), raw.get("actor"),
                            raw.get("step"), raw.get("data") or {})


def events_of(rows: Iterable[tuple[Any, ...]]) -> Generator[Event, None, None]:
    """Stored rows ``(seq, t, kind, incident, actor, step, data)`` as events, their data text decoded."""
    for seq, t, kind, incident, actor, step, data in rows:
        if data:
            try:  # json.loads without its wrapper (a quarter of the read); the same value when it takes all
                value, end = _decode(data)
            except (ValueError, TypeError):
                end = -1
            if end != len(data):
                value = json.loads(data)  # leading or trailing text, not JSON: as json.loads says
        else:
            value = {}
        yield Event(seq, t, kind, incident, actor, step, value)
