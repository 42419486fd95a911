"""Journal rows as stored, one at a time: for writers that stream a journal of any size.

A stored row is ``(seq, t, kind, incident, actor, step, data)`` with ``data`` the stored
canonical JSON text (None when the event has no fields), so an export can pass it through
without parsing it. Reading holds one row at a time, whatever the size of the journal.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from ballotdrill.journal.events import Event, canonical_json
from ballotdrill.journal.store import read_events

StoredRow = tuple[int, float, str, "str | None", "str | None", "str | None", "str | None"]
"""``(seq, t, kind, incident, actor, step, data)``; ``data`` is canonical JSON text or None."""

SQLITE_SUFFIXES = (".sqlite", ".db")
"""Journal files read as SQLite; any other is read as JSON Lines."""


class StoredDataError(ValueError):
    """A stored row whose data is not a JSON object (a damaged or hand-edited journal)."""


def stored_rows(path: Path) -> Iterator[StoredRow]:
    """The rows of a journal file in ``seq`` order: SQLite (``.sqlite``/``.db``) or JSON Lines.

    SQLite rows come as stored; a row whose data is not a JSON object raises
    :class:`StoredDataError` naming its ``seq`` (checked by SQLite, without parsing in Python).
    """
    if path.suffix not in SQLITE_SUFFIXES:
        yield from rows_of(read_events(path))
        return
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        bad = db.execute("SELECT seq FROM events WHERE data IS NOT NULL AND data != '' "
                         "AND (substr(data, 1, 1) != '{' OR NOT json_valid(data)) LIMIT 1").fetchone()
        if bad is not None:
            raise StoredDataError(f"journal row seq {bad[0]}: its data is not a JSON object")
        yield from db.execute(
            "SELECT seq, t, kind, incident, actor, step, nullif(nullif(data, ''), '{}') FROM events ORDER BY seq")
    finally:
        db.close()


def rows_of(events: Iterable[Event]) -> Iterator[StoredRow]:
    """Events (data as dicts) as stored rows: their data as canonical JSON, None when empty."""
    for seq, t, kind, incident, actor, step, data in events:
        yield seq, t, kind, incident, actor, step, canonical_json(data) if data else None

