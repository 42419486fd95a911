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
import json
import sqlite3
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import cast

from ballotdrill.journal.events import Event, canonical_json
from ballotdrill.journal.seal import BLOCK, RawRow, blocks
from ballotdrill.journal.sqlite_uri import connect_read_only
from ballotdrill.journal.store import read_events

StoredRow = tuple[int, float, str, "str | None", "str | None", "str | None", "str | None"]
"""``(seq, t, kind, incident, actor, step, data)``; ``data`` is canonical JSON text or None."""

SQLITE_SUFFIXES = (".sqlite", ".db")
"""Journal files read as SQLite; any other is read as JSON Lines."""

_BAD_DATA = "data IS NOT NULL AND data != '' AND (substr(data, 1, 1) != '{' OR NOT json_valid(data))"
_BAD_TYPES = "t >= '' OR kind >= x'' OR incident >= x'' OR actor >= x'' OR step >= x''"
"""Text or a blob in ``t``, a blob in a text column (SQLite orders numbers before text before blobs; the columns'
affinities turn anything else into their own type)."""
_BAD_ROW = f"SELECT seq, {_BAD_TYPES} FROM TABLE WHERE {_BAD_TYPES} OR {_BAD_DATA} LIMIT 1"

NON_FINITE = ("NaN", "Infinity", ":inf", ":-inf", ":nan")
"""How a non-finite number would appear in data the engine wrote: ``json`` writes ``NaN`` and ``Infinity``, the
format of a packed row ``inf`` and ``nan`` after a key. None of them is JSON."""


class StoredDataError(ValueError):
    """A stored row whose data is not a JSON object (a damaged or hand-edited journal)."""


def stored_blocks(path: Path, *, sealed: bool = False) -> Iterator[list[StoredRow]]:
    """The rows of a journal file in ``seq`` order, in blocks: SQLite (``.sqlite``/``.db``) or JSON Lines.

    SQLite rows come as stored (:data:`~ballotdrill.journal.seal.ROWS_SQL`); a row whose data is not a JSON
    object, or with a value of another type than the journal's (a blob, a text ``t``), raises
    :class:`StoredDataError` naming its ``seq``, found by SQLite before the first block. ``sealed``: the caller
    checks every row against the journal's seal in its own pass and refuses a row changed since, so rows are
    only what the engine wrote and only what the engine itself could have got wrong is checked, a block at a
    time in C: a non-finite number in data (:data:`NON_FINITE`). Values changed since the run then reach the
    caller before its seal check refuses them.
    """
    if path.suffix not in SQLITE_SUFFIXES:
        rows = rows_of(read_events(path))
        while block := list(itertools.islice(rows, BLOCK)):
            yield block
        return
    db = connect_read_only(path)
    try:
        if sealed:
            for raw in blocks(db):
                refuse_non_finite(raw)
                yield cast("list[StoredRow]", raw)
            return
        refuse_bad_rows(db)
        # the journal's schema and the check above give stored rows
        yield from cast("Iterator[list[StoredRow]]", blocks(db))
    finally:
        db.close()


def refuse_bad_rows(db: sqlite3.Connection, table: str = "events") -> None:
    """Raise :class:`StoredDataError` naming the first row of the journal's ``table`` (e.g. ``j.events`` of an
    attached journal) whose data is not a JSON object or that holds a value of another type than the journal's."""
    bad = db.execute(_BAD_ROW.replace("FROM TABLE", f"FROM {table}")).fetchone()
    if bad is not None:
        raise StoredDataError(f"journal row seq {bad[0]}: " + (
            "a value of another type than the journal's (a number for t, text for the others)" if bad[1]
            else "its data is not a JSON object"))


def refuse_non_finite(block: list[RawRow]) -> None:
    """Raise :class:`StoredDataError` for the first row of ``block`` whose data holds a non-finite number (a block
    read from a sealed journal: rows of other types are left to the seal's check)."""
    try:  # each distinct data once: about three rows in four repeat one of their block
        text = "\x00".join(filter(None, set(map(_DATA, block))))
    except TypeError:  # a value of another type: changed since the run, refused by the caller's seal check
        return
    if not any(token in text for token in NON_FINITE):
        return
    for row in block:
        data = row[6]
        if isinstance(data, str) and any(token in data for token in NON_FINITE):
            try:
                value = json.loads(data, parse_constant=_not_json)
            except ValueError:
                value = None
            if not isinstance(value, dict):
                raise StoredDataError(f"journal row seq {row[0]!r}: its data is not a JSON object")


_DATA = itemgetter(6)


def _not_json(token: str) -> None:
    raise ValueError(f"{token} is not JSON")


def stored_rows(path: Path) -> Iterator[StoredRow]:
    """The rows of a journal file one at a time (:func:`stored_blocks`)."""
    for block in stored_blocks(path):
        yield from block


def rows_of(events: Iterable[Event]) -> Iterator[StoredRow]:
    """Events (data as dicts) as stored rows: their data as canonical JSON, None when empty."""
    for seq, t, kind, incident, actor, step, data in events:
        yield seq, t, kind, incident, actor, step, canonical_json(data) if data else None

