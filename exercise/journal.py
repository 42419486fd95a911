"""The journal: every state change of a run, in order, as small immutable records.

Written to SQLite (WAL) in batches as the run goes, or kept in memory. Read back
from SQLite or JSON Lines without SimPy, so a report can be rebuilt years later.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol

KINDS: tuple[str, ...] = (
    "run_started", "staff_changed", "incident_started", "detected", "procedure_started", "step_queued",
    "step_started", "step_completed", "handoff_sent", "handoff_received", "handoff_failed",
    "decision_requested", "decision_made", "inject_delivered", "escalated", "contained", "resolved",
    "procedure_ended", "action_taken", "paused", "resumed", "run_ended",
)
"""Every event kind, documented with its fields in docs/journal.md."""

COLUMNS = ("seq", "t", "kind", "incident", "actor", "step", "data")


class Event(NamedTuple):
    """One journal row. ``t`` is minutes since the scenario's start; ``data`` holds the kind's extra fields."""

    seq: int
    t: float
    kind: str
    incident: str | None
    actor: str | None
    step: str | None
    data: dict[str, Any]

    def to_json(self) -> str:
        """The event as one canonical JSON line (sorted keys, no spaces)."""
        return json.dumps(self._asdict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Event:
        seq, t, kind, incident, actor, step, data = row
        return cls(seq, t, kind, incident, actor, step, json.loads(data) if data else {})


def encode_data(data: dict[str, Any]) -> str | None:
    """Compact canonical JSON for a row's data, or NULL when empty."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) if data else None


class Sink(Protocol):
    """Where journal batches go."""

    def write(self, batch: list[Event]) -> None: ...

    def close(self) -> None: ...


class MemorySink:
    """Keeps every event in a list."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def write(self, batch: list[Event]) -> None:
        self.events.extend(batch)

    def close(self) -> None:
        pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, t REAL NOT NULL, kind TEXT NOT NULL,
    incident TEXT, actor TEXT, step TEXT, data TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteSink:
    """Appends batches to ``journal.sqlite`` (WAL); each batch is one transaction."""

    def __init__(self, path: Path, meta: dict[str, str] | None = None) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        if meta:
            self.set_meta(meta)

    def set_meta(self, meta: dict[str, str]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())

    def write(self, batch: list[Event]) -> None:
        rows = [(e.seq, e.t, e.kind, e.incident, e.actor, e.step, encode_data(e.data)) for e in batch]
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


class Journal:
    """Numbers events and hands them to a sink in batches (``batch=1`` writes each one through)."""

    def __init__(self, sink: Sink, batch: int = 4096) -> None:
        self.sink = sink
        self.batch = batch
        self.seq = 0
        self._buffer: list[Event] = []

    def record(self, t: float, kind: str, incident: str | None = None, actor: str | None = None,
               step: str | None = None, data: dict[str, Any] | None = None) -> Event:
        event = Event(self.seq, t, kind, incident, actor, step, data or {})
        self.seq += 1
        self._buffer.append(event)
        if len(self._buffer) >= self.batch:
            self.flush()
        return event

    def flush(self) -> None:
        if self._buffer:
            self.sink.write(self._buffer)
            self._buffer = []

    def close(self) -> None:
        self.flush()
        self.sink.close()


JOURNAL_FILE = "journal.sqlite"


def read_meta(path: Path) -> dict[str, str]:
    """The run's metadata (scenario, seed, the scenario file as JSON) from a SQLite journal."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())


def read_events(path: Path) -> Iterator[Event]:
    """Events of a journal file in ``seq`` order: SQLite (``.sqlite``/``.db``) or JSON Lines."""
    if path.suffix in (".sqlite", ".db"):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for row in db.execute("SELECT seq, t, kind, incident, actor, step, data FROM events ORDER BY seq"):
                yield Event.from_row(row)
        finally:
            db.close()
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                raw = json.loads(line)
                yield Event(raw["seq"], raw["t"], raw["kind"], raw.get("incident"), raw.get("actor"),
                            raw.get("step"), raw.get("data") or {})


def write_jsonl(events: Iterable[Event], path: Path) -> int:
    """Write events as canonical JSON Lines; return how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for event in events:
            handle.write(event.to_json() + "\n")
            count += 1
    return count
