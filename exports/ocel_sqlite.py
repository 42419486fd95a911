"""OCEL 2.0 in its SQLite form, streamed: the relational layout process-mining tools read for large logs.

Tables (the OCEL 2.0 specification's): ``event`` and ``object`` (id, type); ``event_object``
and ``object_object`` (qualified relationships); ``event_map_type`` and ``object_map_type``
(each type's table suffix); one ``event_<type>`` table per event type (``ocel_id``,
``ocel_time``, a column per attribute) and one ``object_<type>`` table per object type
(``ocel_id``, ``ocel_time``, ``ocel_changed_field``, a column per attribute). An object's
first value of each attribute is on its initial row (``ocel_time`` 1970-01-01, no changed
field); each later value is a row of its own, timed, naming the field it changes. Times are
ISO 8601 text (UTC, milliseconds, ``Z``), as in the JSON form.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from ballotdrill.exports.ocel import OBJECT_TYPES, OcelEvent, OcelObject, OcelWalker, Scalar, value_type
from ballotdrill.journal.interrupts import interrupts_held
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scenarios.scenario import ScenarioFile

INITIAL_TIME = "1970-01-01T00:00:00.000Z"
"""The time of an object's initial row (the specification's convention)."""

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "float": "REAL", "boolean": "INTEGER"}

_SCHEMA = """
CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);
CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);
CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT);
CREATE TABLE object_object (ocel_source_id TEXT, ocel_target_id TEXT, ocel_qualifier TEXT);
CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
"""

BATCH = 20_000
"""Events (or objects) gathered before their rows go into each table (:func:`insert_rows`)."""

CACHE_KIB = 65_536
"""SQLite's page cache while the log is built (its default, 2 MB, is far smaller than the ids' indexes)."""

LOG_PRAGMAS = ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KIB}")
"""How a connection to a log being built writes it: no rollback journal, no syncs, :data:`CACHE_KIB` of cache."""

ROWS_PER_INSERT = 256
"""Rows one ``INSERT`` of :func:`insert_rows` takes at most (fewer where SQLite's limit of bound values says)."""


def insert_rows(db: sqlite3.Connection, head: str, width: int, rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (each of ``width`` values, in order) by ``head`` (``INSERT INTO table`` and its columns, if
    named), many rows a statement: SQLite runs a statement's program (opening its table, finding its end) once for
    the rows of one ``VALUES`` list instead of once a row, about half of what ``executemany`` of one row costs."""
    per = max(1, min(ROWS_PER_INSERT, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    one = f"({', '.join('?' * width)})"
    whole = len(rows) - len(rows) % per
    if whole:
        values = list(chain.from_iterable(rows[:whole] if whole < len(rows) else rows))
        if len(values) != whole * width:
            raise ValueError(f"rows for {head} of other than {width} values")
        size = per * width
        db.executemany(f"{head} VALUES {', '.join([one] * per)}",
                       [values[at:at + size] for at in range(0, len(values), size)])
    if whole < len(rows):
        db.executemany(f"{head} VALUES {one}", rows[whole:])


class NamesClash(BallotdrillError):
    """Two attribute names of one event type that OCEL's SQLite form cannot hold apart: its columns' names ignore
    case (``Flag`` and ``flag``), and ``ocel_id`` and ``ocel_time`` are the event's own."""


EVENT_COLUMNS = ("ocel_id", "ocel_time")
"""The columns every event type's table starts with."""


def refuse_clash(event_type: str, names: Iterable[str]) -> None:
    """Raise :class:`NamesClash` for the first of ``names`` (an event type's table's columns, in order, the ones it
    starts with first) that differs from one before it only in case."""
    seen: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen[key] = name
            continue
        earlier = seen[key]
        clash = (f"has an attribute named {name!r}, which the form keeps for the event's own column {earlier!r}"
                 if earlier in EVENT_COLUMNS else
                 f"has attributes {earlier!r} and {name!r}, which its columns cannot hold apart")
        raise NamesClash(f"cannot write OCEL's SQLite form: event type {event_type!r} {clash} (SQLite's names ignore "
                         "case); export the OCEL JSON form instead (an --ocel file ending in .json)")


def _ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class _Table:
    """One typed table being filled: its columns (growing as attributes appear) and rows waiting to go in."""

    def __init__(self, db: sqlite3.Connection, name: str, fixed: tuple[str, ...],
                 columns: dict[str, str] | None = None, *, create: bool = True) -> None:
        """``create``: make the table (with ``fixed`` as text columns), else it is in the schema already."""
        self.db, self.name, self.fixed = db, name, fixed
        self.columns: list[str] = []
        self.known: set[str] = set()
        self.rows: list[tuple[Scalar, ...]] = []
        if create:
            db.execute(f"CREATE TABLE {_ident(name)} ({', '.join(f'{c} TEXT' for c in fixed)})")
        self.sql, self.names = "", list(fixed)
        for column, kind in (columns or {}).items():
            self.add_column(column, kind)
        self._prepare()

    def add_column(self, column: str, kind: str) -> None:
        self.flush()
        self.db.execute(f"ALTER TABLE {_ident(self.name)} ADD COLUMN {_ident(column)} {_SQL_TYPES.get(kind, '')}")
        self.columns.append(column)
        self.known.add(column)
        self._prepare()

    def _prepare(self) -> None:
        self.names = [*self.fixed, *map(_ident, self.columns)]
        self.sql = f"INSERT INTO {_ident(self.name)} ({', '.join(self.names)})"

    def flush(self) -> None:
        if self.rows:
            insert_rows(self.db, self.sql, len(self.names), self.rows)
            self.rows.clear()


class SqliteSink:
    """Puts the log into an open SQLite database (the OCEL 2.0 tables), in batches."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(_SCHEMA)
        self.events = _Table(db, "event", ("ocel_id", "ocel_type"), create=False)
        self.objects = _Table(db, "object", ("ocel_id", "ocel_type"), create=False)
        self.e2o = _Table(db, "event_object", ("ocel_event_id", "ocel_object_id", "ocel_qualifier"), create=False)
        self.o2o = _Table(db, "object_object", ("ocel_source_id", "ocel_target_id", "ocel_qualifier"), create=False)
        self.maps: dict[str, set[str]] = {"event": set(), "object": set()}
        self.event_tables: dict[str, _Table] = {}
        self.object_tables = {otype: self._typed("object", otype, ("ocel_id", "ocel_time", "ocel_changed_field"),
                                                 attrs) for otype, attrs in OBJECT_TYPES.items()}

    def _typed(self, family: str, otype: str, fixed: tuple[str, ...], columns: dict[str, str]) -> _Table:
        """The table of one event or object type, named by a suffix unique (ignoring case) in its family."""
        base = re.sub(r"[^A-Za-z0-9_]", "_", otype) or "type"
        suffix, n = base, 1
        while suffix.casefold() in self.maps[family]:
            n += 1
            suffix = f"{base}_{n}"
        self.maps[family].add(suffix.casefold())
        self.db.execute(f"INSERT INTO {family}_map_type VALUES (?, ?)", (otype, suffix))
        return _Table(self.db, f"{family}_{suffix}", fixed, columns)

    def event(self, event: OcelEvent) -> None:
        eid = event.id
        self.events.rows.append((eid, event.type))
        self.e2o.rows += [(eid, oid, qualifier) for oid, qualifier in event.relationships]
        table = self.event_tables.get(event.type)
        if table is None:
            table = self.event_tables[event.type] = self._typed("event", event.type, EVENT_COLUMNS, {})
        values = dict(event.attributes)
        if not values.keys() <= table.known:
            for name, value in event.attributes:
                if name not in table.known:
                    refuse_clash(event.type, (*table.fixed, *table.columns, name))
                    table.add_column(name, value_type(value))
        table.rows.append((eid, event.time, *map(values.get, table.columns)))
        if len(self.events.rows) >= BATCH:
            self._flush()

    def object(self, obj: OcelObject) -> None:
        oid = obj.id
        self.objects.rows.append((oid, obj.type))
        self.o2o.rows += [(oid, target, qualifier) for target, qualifier in obj.relationships]
        table = self.object_tables[obj.type]
        initial: dict[str, Scalar] = {}
        changes: list[tuple[str, str, Scalar]] = []
        for name, time, value in obj.attributes:
            if name in initial:
                changes.append((name, time, value))
            else:
                initial[name] = value
        rows = table.rows
        rows.append((oid, INITIAL_TIME, None, *map(initial.get, table.columns)))
        for name, time, value in changes:
            rows.append((oid, time, name, *(value if column == name else None for column in table.columns)))
        if len(self.objects.rows) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        """Every table's waiting rows in (each table's in the order they came)."""
        for table in (self.events, self.objects, self.e2o, self.o2o, *self.event_tables.values(),
                      *self.object_tables.values()):
            table.flush()

    def finish(self, event_types: dict[str, dict[str, str]]) -> None:
        self._flush()


@contextlib.contextmanager
def built_beside(path: Path, pragmas: Sequence[str] = (), *, shared: bool = False) -> Iterator[sqlite3.Connection]:
    """A new SQLite database in a hidden file beside ``path`` (no rollback journal, no syncs, ``pragmas`` more),
    renamed over ``path`` when the block completes and removed otherwise, so a failed export leaves no
    half-written log. ``shared``: its connection may be used by another thread (one at a time). An SQLite error
    raises :class:`OSError` naming ``path``."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        # absolute: with uri=True a relative name starting 'file:' would be read as a URI (ATTACH takes URIs)
        db = sqlite3.connect(partial.resolve(), isolation_level=None, uri=True, check_same_thread=not shared)
        try:
            for pragma in (*LOG_PRAGMAS, *pragmas):
                db.execute(f"PRAGMA {pragma}")
            yield db
        except BaseException:
            with interrupts_held():  # a Ctrl-C in what is left is delivered once it is done
                db.close()
            raise
        with interrupts_held():
            db.close()
            try:
                os.replace(partial, path)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
    except sqlite3.Error as exc:
        raise OSError(errno.EIO, f"cannot write the OCEL log ({exc})", str(path)) from exc
    finally:
        with interrupts_held(), contextlib.suppress(FileNotFoundError):  # a second Ctrl-C still leaves nothing
            os.unlink(partial)


def write_ocel_sqlite(events: Iterable[tuple[Any, ...]], path: Path, doc: ScenarioFile, scenario_name: str,
                      day: str | None = None) -> int:
    """Stream the journal's events (in ``seq`` order) into an OCEL 2.0 SQLite file; return how many events.

    The database is built in a new file beside ``path`` and renamed over it when complete, so a
    failed export leaves no half-written log (and never adds tables to a database already there).
    An SQLite error raises :class:`OSError` naming ``path`` (the events' source should raise no
    :class:`sqlite3.Error` of its own).
    """
    with built_beside(path) as db:
        sink = SqliteSink(db)
        db.execute("BEGIN")
        count = OcelWalker(sink, doc, scenario_name, day).walk(events)
        db.execute("COMMIT")
    return count
