"""OCEL 2.0's SQLite form built inside SQLite from a journal file: the same log as the walk, without the walk.

The journal is attached read-only to the new database and the tables of the SQLite form
(:mod:`ballotdrill.exports.ocel_sqlite`) are filled by ``INSERT … SELECT``: events and their
attribute tables (``json_extract``; times as :mod:`ballotdrill.exports.ocel_sql_time` writes
them), the incident, actor and other qualified relationships, the
incidents. The step, handoff and decision instances depend on the rows before them: SQLite
reads the few values they need and :class:`~ballotdrill.exports.ocel_work.WorkPass` numbers
them in one lean pass (window functions said the same, at several times the cost). Python
also names the actors (the scenario's, and their staff over time). Two processes build it: a
forked child fills the log with what needs no Python while the main process's pass runs
(:mod:`ballotdrill.exports.ocel_sql_apart`; a second thread where no child can be forked,
:mod:`ballotdrill.exports.ocel_sql_side`).

The walk stays the reference (a test compares both logs table by table on library runs). A
journal holding a value these statements do not say the way the walk does (a procedure that is
not text, a name with a ``/`` that could make two ids one, an attribute name that is not a plain
identifier, an incident started twice…) raises :class:`Unsupported` before anything is put in
place, and the caller walks it instead.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import partial
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from ballotdrill.exports.ocel import _ACTOR_ROLE, REFERENCE_DATE, Scalar, value_type
from ballotdrill.exports.ocel_sql_apart import building
from ballotdrill.exports.ocel_sql_side import PHASES as SIDE_PHASES
from ballotdrill.exports.ocel_sql_side import SCRATCH_CACHE_KIB, Fill, Here, statements
from ballotdrill.exports.ocel_sql_time import EPOCH, text_sql, time_params, time_sql, timed
from ballotdrill.exports.ocel_sqlite import (
    EVENT_COLUMNS,
    INITIAL_TIME,
    SqliteSink,
    _ident,
    built_beside,
    refuse_clash,
)
from ballotdrill.exports.ocel_work import Unsupported, WorkRows
from ballotdrill.journal import KINDS
from ballotdrill.journal.collector import collector_paused
from ballotdrill.journal.rows import refuse_bad_rows, refuse_non_finite
from ballotdrill.journal.seal import BLOCK, RawRow, rows_sql
from ballotdrill.scenarios.scenario import ScenarioFile

BlockCheck = Callable[[Iterator[list[RawRow]]], None]
"""Takes every block of the journal's rows (as the seal covers them) and raises to refuse the journal."""


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HANDOFFS = tuple(str(kind) for kind in KINDS if kind.startswith("handoff_"))


def _in(kinds: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def _role() -> str:
    cases = " ".join(f"WHEN '{kind}' THEN '{role}'" for kind, role in _ACTOR_ROLE.items())
    return f"CASE kind {cases} ELSE 'performer' END"


_SPAN = "seq > :after AND seq <= :through"
_EVENT = f"INSERT INTO event SELECT 'e' || seq, kind FROM j.events WHERE {_SPAN} ORDER BY seq"
_RELATIONS = "CREATE TEMP TABLE relations (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT)"
_EVENT_RELATIONS = (
    f"INSERT INTO relations SELECT 'e' || seq, 'incident:' || incident, 'subject' FROM j.events "
    f"WHERE {_SPAN} AND incident != ''",
    f"INSERT INTO relations SELECT 'e' || seq, 'actor:' || actor, {_role()} FROM j.events "
    f"WHERE {_SPAN} AND actor != ''",
    f"""INSERT INTO relations
  SELECT 'e' || seq, 'actor:' || json_extract(data, '$.to'), 'receiver' FROM j.events
  WHERE {_SPAN} AND kind IN {_in(_HANDOFFS)} AND json_type(data, '$.to') = 'text'
    AND json_extract(data, '$.to') != ''
    AND NOT (kind = 'handoff_received' AND json_extract(data, '$.to') IS actor)""",
    f"""INSERT INTO relations
  SELECT 'e' || seq, 'actor:' || json_extract(data, '$.from'), 'sender' FROM j.events
  WHERE {_SPAN} AND kind IN {_in(_HANDOFFS)} AND json_type(data, '$.from') = 'text'
    AND json_extract(data, '$.from') != ''
    AND NOT (kind != 'handoff_received' AND json_extract(data, '$.from') IS actor)""")
"""The events and their incident, actor, receiver and sender relationships: from the journal alone, each statement over
the rows after ``:after`` up to ``:through`` (:func:`_from_journal`)."""

STRETCH = 32_768
"""The journal's rows one statement of :data:`_EVENT` or :data:`_EVENT_RELATIONS` reads (:func:`_from_journal`)."""


def _from_journal(db: sqlite3.Connection) -> list[Fill]:
    """The events and their relationships as fills over :data:`STRETCH` rows of the journal each: every statement
    over each stretch in turn, then the next statement's, so each table gets its rows in the order one statement
    would give them, in pieces the log's thread runs while the pass has nothing for it (:meth:`Here.meanwhile`)."""
    low, high = db.execute("SELECT min(seq), max(seq) FROM j.events").fetchone()
    stretches = range(low - 1, high, STRETCH) if low is not None else range(0)
    return [statements((sql, {"after": after, "through": min(after + STRETCH, high)}))
            for sql in (_EVENT, *_EVENT_RELATIONS) for after in stretches]

_TITLE = ("CASE json_type(e.data, '$.title') WHEN 'text' THEN nullif(json_extract(e.data, '$.title'), '') "
          "WHEN 'integer' THEN nullif(json_extract(e.data, '$.title'), 0) "
          "WHEN 'real' THEN nullif(json_extract(e.data, '$.title'), 0.0) WHEN 'true' THEN 1 "
          "WHEN 'array' THEN nullif(json_extract(e.data, '$.title'), '[]') "
          "WHEN 'object' THEN nullif(json_extract(e.data, '$.title'), '{}') END")

def _incidents(dates: bool) -> str:
    """The incidents, their first values and (started after their first row) their scenario's later value."""
    return f"""
INSERT INTO object SELECT 'incident:' || inc, 'incident' FROM incidents;
INSERT INTO object_incident (ocel_id, ocel_time, ocel_changed_field, "type", "severity", "title", "level", "scenario")
  SELECT 'incident:' || inc, '{INITIAL_TIME}', NULL, json_extract(e.data, '$.type'),
         json_extract(e.data, '$.severity'), {_TITLE}, json_extract(e.data, '$.level'), :scenario
  FROM incidents LEFT JOIN j.events e ON e.seq = started;
INSERT INTO object_incident (ocel_id, ocel_time, ocel_changed_field, "scenario")
  SELECT 'incident:' || inc, {time_sql("e.t", dates=dates)}, 'scenario', :scenario
  FROM incidents JOIN j.events e ON e.seq = started WHERE started > first;
"""


def _script(db: sqlite3.Connection, script: str, params: dict[str, Any]) -> None:
    """Run ``;``-separated statements one by one (``executescript`` would commit the transaction)."""
    for statement in filter(str.strip, script.split(";\n")):
        names = set(re.findall(r":(\w+)", statement))
        db.execute(statement, {k: v for k, v in params.items() if k in names})


_TYPES = {bool: "boolean", int: "integer", float: "float"}
_TEXTS = 65_536


class Columns:
    """The attribute columns of each kind's event table as the walk adds them, found in the pass over every row (the
    seal's check): in order of each attribute's first value that is not null (names in order within an event), typed
    by that value. A kind's data text already looked at is not looked at again (at most :data:`_TEXTS` kept); texts
    are parsed by ``parse`` (:meth:`~ballotdrill.exports.ocel_work.WorkRows.parse`, whose texts the work rows share).
    An attribute name that is not a plain identifier, or data that is not a JSON object, raises
    :class:`Unsupported`."""

    def __init__(self, parsed: dict[Any, Any], parse: Callable[[int, Any], Any]) -> None:
        self.parsed, self.parse = parsed, parse
        self.first: dict[Any, dict[str, tuple[Any, str]]] = {}
        """Each kind's attributes: the ``seq`` of the first value that is not null and that value's type."""
        self.names: set[str] = set()
        """Attribute names found plain."""
        self.texts: set[tuple[Any, Any]] = set()

    def add(self, block: Iterable[tuple[Any, ...]]) -> None:
        first, texts, parsed = self.first, self.texts, self.parsed
        for seq, _, kind, _, _, _, data in block:
            if not data or (kind, data) in texts:
                continue
            d = parsed.get(data)
            if d is None:
                d = self.parse(seq, data)
            if type(d) is not dict:
                raise Unsupported(f"journal row {seq} has data that is not a JSON object")
            found = first.get(kind)
            if found is None:
                found = first[kind] = {}
            if not d.keys() <= found.keys():
                for key, value in d.items():
                    if key not in self.names:
                        if not _NAME.match(key):
                            raise Unsupported(f"an attribute of {kind} is named {key!r}")
                        self.names.add(key)
                    if value is not None and key not in found:
                        found[key] = (seq, _TYPES.get(type(value), "string"))
            if len(texts) >= _TEXTS:
                texts.clear()
            texts.add((kind, data))

    def of(self, kind: str) -> dict[str, str]:
        """The columns of ``kind``'s table and their types, in order."""
        found = self.first.get(kind, {})
        names = sorted(found, key=lambda key: (found[key][0], key))
        refuse_clash(kind, (*EVENT_COLUMNS, *names))
        return {name: found[name][1] for name in names}


class _Builder:
    """Fills an open, empty database (journal attached as ``j``) with the log, inside the caller's transaction."""

    def __init__(self, db: sqlite3.Connection, doc: ScenarioFile, scenario: str, day: str | None) -> None:
        self.db, self.doc, self.j = db, doc, "j"
        day_zero = datetime.combine(date.fromisoformat(day) if day else REFERENCE_DATE, datetime.min.time())
        self.day_zero = day_zero
        first = db.execute("SELECT kind, data FROM j.events ORDER BY seq LIMIT 1").fetchone()
        start = 0.0
        if first is not None and first[0] == "run_started" and first[1]:
            start = float(json.loads(first[1]).get("start") or 0.0)
        self.start, self.scenario = start, scenario
        self.rows = WorkRows()
        self.columns = Columns(self.rows.parsed, self.rows.parse)

    def run(self, sink: SqliteSink, seen: Seen, side: Here) -> int:
        """Fill the event tables (each by whichever of ``side``'s two sides is free first: :meth:`Here.share`), the
        incidents and the actors, once the pass is done."""
        j = self.j
        span = (0.0, 0.0)
        if seen.kinds:
            try:
                if min(self.day_zero + timedelta(minutes=self.start + t) for t in seen.span) < EPOCH:
                    raise Unsupported("a time before 1970")
            except (OverflowError, TypeError) as exc:
                raise Unsupported(f"a time out of range ({exc})") from None
            span = (seen.span[0], seen.span[1])
        times, dates = time_params(self.day_zero, self.start, span)
        params = {**times, "scenario": self.scenario}
        kinds = sorted(seen.kinds.items(), key=lambda item: item[1])
        typed = [(kind, self.columns.of(kind)) for kind, _ in kinds]
        tables = [(kind, sink._typed("event", kind, EVENT_COLUMNS, columns)) for kind, columns in typed]
        side.mirror(typed)
        twice = [inc for inc, (_, _, starts) in seen.incidents.items() if starts > 1]
        if twice:
            raise Unsupported(f"incident {twice[0]!r} started twice")
        # The incidents and actors go before the settling: the log's side reads a fill given while it runs the idle
        # ones, so this process goes on to the event tables instead of waiting for a full pipe.
        side.run(statements(("CREATE TEMP TABLE incidents (inc, first, started)", {})))
        for piece in seen.incident_rows(INCIDENTS_A_FILL):
            side.rows("INSERT INTO incidents", 3, piece)
        side.run(partial(_fill_incidents, _incidents(dates), params))
        staffed = (seen.kinds.get("staff_changed"), seen.last.get("staff_changed"))
        side.run(self._actors(seen.actors, self.rows.named, staffed, times, dates))
        side.settle()
        side.run(statements(("INSERT INTO event_object SELECT * FROM temp.relations", {}),
                            ("DROP TABLE temp.relations", {})))
        fills = []
        for kind, table in sorted(tables, key=lambda item: -seen.counts[item[0]] * (2 + len(item[1].columns))):
            columns = "".join(f", {_ident(c)}" for c in table.columns)
            values = "".join(f", json_extract(data, '$.\"{c}\"')" for c in table.columns)
            rows = timed(f"SELECT seq, t, data FROM {j}.events WHERE seq BETWEEN :first AND :last AND kind = :kind")
            fills.append((table.name, statements((
                f"INSERT INTO {_ident(table.name)} (ocel_id, ocel_time{columns}) "
                f"SELECT 'e' || seq, {text_sql('us', dates=dates)}{values} FROM {rows}",
                {**times, "kind": kind, "first": seen.kinds[kind], "last": seen.last[kind]}))))
        side.share(fills)  # (the largest first: whichever side is free takes the next)
        return seen.rows

    def _actors(self, actors: set[str], named: set[str], staffed: tuple[int | None, int | None],
                times: dict[str, Any], dates: bool) -> Fill:
        """The scenario's actors, every other actor in an event (``actors``) or named by a handoff (``named``), and
        their staff over time (read from the rows between the first and the last ``staff_changed``, ``staffed``;
        ``times`` and ``dates``: :func:`~ballotdrill.exports.ocel_sql_time.time_params`): the fill that inserts them."""
        db, j = self.db, self.j
        values: dict[str, list[tuple[str, Scalar]]] = {}
        for key, actor in self.doc.structure.actors.items():
            values[key] = [("name", actor.name or key)]
            if actor.staff is not None:
                values[key].append(("staff", actor.staff))
        for name in [*sorted(actors), *sorted(named)]:
            values.setdefault(name, [("name", name)])
        changes: dict[str, list[tuple[str, Scalar]]] = {}
        first, last = staffed
        for actor, time, staff in () if first is None else db.execute(
                f"SELECT actor, {time_sql('t', dates=dates)}, json_extract(data, '$.staff') FROM {j}.events "
                "WHERE seq BETWEEN :first AND :last AND kind = 'staff_changed' AND actor != '' "
                "AND json_extract(data, '$.staff') IS NOT NULL ORDER BY seq", {**times, "first": first, "last": last}):
            if not any(name == "staff" for name, _ in values[actor]):
                values[actor].append(("staff", staff))
            else:
                changes.setdefault(actor, []).append((time, staff))
        objects = [(f"actor:{key}",) for key in values]
        initial = [(f"actor:{key}", INITIAL_TIME, dict(v).get("name"), dict(v).get("staff"))
                   for key, v in values.items()]
        later = [(f"actor:{key}", time, staff) for key, rows in changes.items() for time, staff in rows]
        return partial(_fill_actors, objects, initial, later)


def _fill_actors(objects: list[tuple[str]], initial: list[tuple[Any, ...]], later: list[tuple[Any, ...]],
                 db: sqlite3.Connection) -> None:
    """The actor objects (:meth:`_Builder._actors`): their ids, initial rows and later staff rows."""
    db.executemany("INSERT INTO object VALUES (?, 'actor')", objects)
    db.executemany('INSERT INTO object_actor (ocel_id, ocel_time, ocel_changed_field, "name", "staff") '
                   "VALUES (?, ?, NULL, ?, ?)", initial)
    db.executemany('INSERT INTO object_actor (ocel_id, ocel_time, ocel_changed_field, "staff") '
                   "VALUES (?, ?, 'staff', ?)", later)


def _fill_incidents(script: str, params: dict[str, Any], db: sqlite3.Connection) -> None:
    """The incident objects (:func:`_incidents`) from the temporary table ``incidents`` (:meth:`Seen.incident_rows`):
    ids, first rows and ``incident_started`` rows."""
    _script(db, script, params)


INCIDENTS_A_FILL = 8_192
"""Incidents handed over at once (:meth:`Seen.incident_rows`): neither side holds a list of all of them."""


class Seen:
    """What the pass over a journal's rows (the seal's check) finds on the way, so that SQLite need not sort every
    row for it: each kind's first ``seq``, the earliest and latest ``t``, the actors, and per incident its first row,
    its first ``incident_started`` row and how many it has. Holds one entry per incident (about 200 bytes with its
    id's text)."""

    def __init__(self) -> None:
        self.kinds: dict[str, int] = {}
        self.counts: Counter[str] = Counter()
        """Each kind's rows."""
        self.last: dict[str, int] = {}
        """Each kind's last ``seq`` (a kind's rows lie between its first and its last)."""
        self.span = [math.inf, -math.inf]
        self.actors: set[str] = set()
        self.incidents: dict[str, list[Any]] = {}
        self.rows = 0
        self.complete = False

    def add(self, block: list[RawRow]) -> None:
        seqs, ts, kinds, incidents, actors = (list(map(itemgetter(i), block)) for i in range(5))
        for kind in set(kinds) - self.kinds.keys():
            if not isinstance(kind, str):
                raise Unsupported(f"a kind {kind!r} that is not text")
            self.kinds[kind] = seqs[kinds.index(kind)]
        self.last.update(zip(kinds, seqs, strict=True))
        self.counts.update(kinds)
        self.span = [min(self.span[0], *ts), max(self.span[1], *ts)]
        self.actors.update(filter(None, actors))
        known = self.incidents
        for incident, seq in dict(zip(reversed(incidents), reversed(seqs), strict=True)).items():
            if incident and incident not in known:
                known[incident] = [seq, None, 0]
        for row in [row for row in block if row[2] == "incident_started"]:
            if isinstance(row[3], str) and row[3]:
                entry = known[row[3]]
                entry[1] = row[0] if entry[1] is None else entry[1]
                entry[2] += 1
        self.rows += len(block)

    def incident_rows(self, size: int) -> Iterator[list[tuple[str, int, int | None]]]:
        """Every incident (in the order of their first rows) as its id, first row and first ``incident_started`` row
        (None: never started), ``size`` at a time."""
        items = iter(self.incidents.items())
        while piece := [(inc, first, started) for inc, (first, started, _) in islice(items, size)]:
            yield piece


def _seeing(blocks: Iterator[list[RawRow]], seen: Seen, rows: WorkRows, side: Here, columns: Columns, *,
            sealed: bool) -> Iterator[list[RawRow]]:
    """The journal's ``blocks``, each also seen (``seen``), its work rows (``rows``) handed to the work pass
    (``side``'s) and its kinds' columns noted (``columns``)."""
    for block in blocks:
        if sealed:
            refuse_non_finite(block)
        seen.add(block)
        side.work(rows.of(block))
        columns.add(block)  # after the work rows: their data texts are parsed already
        yield block
    side.work_done()
    seen.complete = True


def _blocks(db: sqlite3.Connection) -> Iterator[list[RawRow]]:
    """The attached journal's rows as a seal covers them."""
    cursor = db.execute(rows_sql("j.events"))
    while block := cursor.fetchmany(BLOCK):
        yield block


PHASES = ("writing the event tables", *SIDE_PHASES)
"""What the build does after its pass over the journal, in order (each is told as it begins)."""


def write_ocel_sqlite_from_journal(journal: Path, path: Path, doc: ScenarioFile, scenario_name: str,
                                   day: str | None = None, check: BlockCheck | None = None,
                                   phase: Callable[[str], None] | None = None) -> int:
    """Build the OCEL 2.0 SQLite form of the journal file at ``journal`` (SQLite) at ``path``; return how many events.

    ``check`` is given the journal's rows, block by block, in the same read transaction as the build (so what is
    checked is what is exported) and before it; raising refuses the journal. Its rows are what the engine wrote (it
    checks them against the seal), so only what the engine itself could get wrong is looked for on the way, a
    non-finite number (:class:`~ballotdrill.journal.rows.StoredDataError`); without ``check``, SQLite first looks
    for any row whose data is not a JSON object. ``phase`` is told what the build does after that pass, as each
    step begins (those of :data:`PHASES` it goes through, in order). Built in a hidden file beside ``path`` (no
    rollback journal, no syncs) and renamed over it when complete; nothing is left otherwise.
    :class:`Unsupported`: the journal needs the walk (nothing written). An SQLite error writing raises
    :class:`OSError` naming ``path``.
    """
    def told(what: str) -> None:
        if phase is not None:
            phase(what)

    # The temporary tables (the incidents, the relationships made during the pass) are appended to and read once.
    with (built_beside(path, (f"temp.cache_size=-{SCRATCH_CACHE_KIB}",), shared=True) as log,
          building(log, SqliteSink(log), path, journal) as side):
        db = side.reader  # the journal's reader: a read transaction is open
        seen = Seen()
        if check is None:  # rows nobody vouches for: SQLite finds any whose data the statements cannot read
            refuse_bad_rows(db, "j.events")
        builder = _Builder(db, doc, scenario_name, day)
        side.run(statements((_RELATIONS, {})))
        side.meanwhile(_from_journal(db))
        side.begin_work(builder.day_zero, builder.start)
        with collector_paused():  # no reference cycles are made: collections would walk what the pass keeps
            rows = _seeing(_blocks(db), seen, builder.rows, side, builder.columns, sealed=check is not None)
            if check is not None:
                check(rows)
            for _ in rows if not seen.complete else ():
                pass
            told(PHASES[0])
            count = builder.run(side.sink, seen, side)
        side.finish(told)
    return count


__all__ = ["Unsupported", "value_type", "write_ocel_sqlite_from_journal"]
