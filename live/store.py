"""The durable journal of a live exercise: every event and every input written through to SQLite.

WAL, ``synchronous=FULL`` and explicit transactions: the events the simulation produced, the
inputs applied and the simulation time reached go into one transaction, and an input is
acknowledged only after its COMMIT. A crash loses nothing that was acknowledged; ``resume``
replays the committed inputs to the committed time.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import NamedTuple, Protocol

from ballotdrill.journal import Row, encode_data
from ballotdrill.journal.sqlite_uri import connect_file, connect_read_only
from ballotdrill.journal.store import SCHEMA
from ballotdrill.live.inputs import Input

INPUTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (n INTEGER PRIMARY KEY, t REAL NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
"""

NOW_KEY = "live_now"
"""Meta key: the simulation time the last commit reached (minutes)."""


class TimedInput(NamedTuple):
    """An input as applied: its number (1, 2, …), its simulation time and the input."""

    n: int
    t: float
    input: Input


class Store(Protocol):
    """Where a live exercise's events and inputs go."""

    def write(self, first_seq: int, rows: list[Row]) -> None: ...

    def add_input(self, item: TimedInput) -> None: ...

    def commit(self, now: float) -> None: ...

    def close(self) -> None: ...


class MemoryStore:
    """A store in memory (replay, tests): rows and inputs kept as given."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.inputs: list[TimedInput] = []

    def write(self, first_seq: int, rows: list[Row]) -> None:
        self.rows.extend(rows)

    def add_input(self, item: TimedInput) -> None:
        self.inputs.append(item)

    def commit(self, now: float) -> None:
        pass

    def close(self) -> None:
        pass


class LiveStore:
    """``journal.sqlite`` of a live exercise, written through."""

    def __init__(self, path: Path, meta: dict[str, str] | None = None) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = connect_file(path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA + INPUTS_SCHEMA)
        if meta:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        self._open = False
        self._lock = threading.Lock()
        """Held while a commit runs (in the session's worker thread): a Ctrl-C that cancelled the exercise task
        while it waited for that commit must not write before the commit is through."""

    def _begin(self) -> sqlite3.Connection:
        assert self.db is not None, "the live journal is closed"
        if not self._open:
            self.db.execute("BEGIN IMMEDIATE")
            self._open = True
        return self.db

    def write(self, first_seq: int, rows: list[Row]) -> None:
        numbered = [(seq, t, kind, inc, actor, step, encode_data(kind, data))
                    for seq, (t, kind, inc, actor, step, data) in enumerate(rows, first_seq)]
        with self._lock:
            self._begin().executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", numbered)

    def add_input(self, item: TimedInput) -> None:
        with self._lock:
            self._begin().execute("INSERT INTO inputs VALUES (?, ?, ?, ?)",
                                  (item.n, item.t, item.input.kind, item.input.encoded()))

    def commit(self, now: float) -> None:
        """Make everything written so far durable, with the simulation time it reached."""
        with self._lock:
            db = self._begin()
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (NOW_KEY, repr(now)))
            db.execute("COMMIT")
            self._open = False

    def close(self) -> None:
        """Leave one self-contained file (rollback mode) once the exercise has ended."""
        if self.db is None:
            return
        if self._open:
            self.db.execute("COMMIT")
            self._open = False
        with contextlib.suppress(sqlite3.OperationalError):  # another reader still open: stays WAL, still whole
            self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.close()
        self.db = None

    def abandon(self) -> None:
        """Close without committing (the exercise stops; what was committed stays, WAL and all)."""
        with self._lock:
            if self.db is not None:
                if self._open and self.db.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
                    with contextlib.suppress(sqlite3.Error):  # the disk failing: closing drops it all the same
                        self.db.execute("ROLLBACK")
                self.db.close()
                self.db = None


def read_inputs(path: Path) -> list[TimedInput]:
    """The committed inputs of a live journal, in order (none for a batch run)."""
    db = connect_read_only(path)
    try:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'inputs'").fetchone():
            return []
        return [TimedInput(n, t, Input.decode(kind, data))
                for n, t, kind, data in db.execute("SELECT n, t, kind, data FROM inputs ORDER BY n")]
    finally:
        db.close()


def read_rows(path: Path) -> list[tuple[int, float, str, str | None, str | None, str | None, str | None]]:
    """The committed journal rows as stored (data as its JSON text), for byte-for-byte comparison."""
    db = connect_read_only(path)
    try:
        return list(db.execute("SELECT seq, t, kind, incident, actor, step, data FROM events ORDER BY seq"))
    finally:
        db.close()
