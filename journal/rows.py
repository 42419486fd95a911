"""Journal rows as stored, a block at a time: for writers that stream a journal of any size.

A stored row is ``(seq, t, kind, incident, actor, step, data)`` with ``data`` the stored
canonical JSON text (None, or in a hand-made journal ``''`` or ``'{}'``, when the event has no
fields), so an export can pass it through without parsing it. Reading holds one block of
:data:`~ballotdrill.journal.seal.BLOCK` rows at a time, whatever the size of the journal; the
blocks are those a seal's digest is made of (:class:`~ballotdrill.journal.seal.RowDigest`), so
an export can check the seal in its own pass.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from ballotdrill.journal.events import Event, canonical_json
from ballotdrill.journal.seal import BLOCK, blocks
from ballotdrill.journal.store import read_events

StoredRow = tuple[int, float, str, "str | None", "str | None", "str | None", "str | None"]
"""``(seq, t, kind, incident, actor, step, data)``; ``data`` is canonical JSON text or None."""

SQLITE_SUFFIXES = (".sqlite", ".db")
"""Journal files read as SQLite; any other is read as JSON Lines."""

_BAD_DATA = "data IS NOT NULL AND data != '' AND (substr(data, 1, 1) != '{' OR NOT json_valid(data))"
_BAD_TYPES = ("typeof(t) NOT IN ('real', 'integer') OR typeof(kind) != 'text' "
              "OR typeof(incident) NOT IN ('text', 'null') OR typeof(actor) NOT IN ('text', 'null') "
              "OR typeof(step) NOT IN ('text', 'null') OR typeof(data) NOT IN ('text', 'null')")
_BAD_ROW = f"SELECT seq, {_BAD_TYPES} FROM events WHERE {_BAD_TYPES} OR {_BAD_DATA} LIMIT 1"


class StoredDataError(ValueError):
    """A stored row whose data is not a JSON object (a damaged or hand-edited journal)."""


def stored_blocks(path: Path) -> Iterator[list[StoredRow]]:
    """The rows of a journal file in ``seq`` order, in blocks: SQLite (``.sqlite``/``.db``) or JSON Lines.

    SQLite rows come as stored (:data:`~ballotdrill.journal.seal.ROWS_SQL`); a row whose data is not a JSON
    object, or with a value of another type than the journal's (a blob, a text ``t``), raises
    :class:`StoredDataError` naming its ``seq`` (checked by SQLite before the first block, without parsing in
    Python).
    """
    if path.suffix not in SQLITE_SUFFIXES:
        rows = rows_of(read_events(path))
        while block := list(itertools.islice(rows, BLOCK)):
            yield block
        return
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        bad = db.execute(_BAD_ROW).fetchone()
        if bad is not None:
            raise StoredDataError(f"journal row seq {bad[0]}: " + (
                "a value of another type than the journal's (a number for t, text for the others)" if bad[1]
                else "its data is not a JSON object"))
        # the journal's schema and the data check above give stored rows
        yield from cast("Iterator[list[StoredRow]]", blocks(db))
    finally:
        db.close()


def stored_rows(path: Path) -> Iterator[StoredRow]:
    """The rows of a journal file one at a time (:func:`stored_blocks`)."""
    for block in stored_blocks(path):
        yield from block


def rows_of(events: Iterable[Event]) -> Iterator[StoredRow]:
    """Events (data as dicts) as stored rows: their data as canonical JSON, None when empty."""
    for seq, t, kind, incident, actor, step, data in events:
        yield seq, t, kind, incident, actor, step, canonical_json(data) if data else None

