"""OCEL 2.0's SQLite form built inside SQLite from a journal file: the same log as the walk, without the walk.

The journal is attached read-only to the new database and every table of the SQLite form
(:mod:`ballotdrill.exports.ocel_sqlite`) is filled by ``INSERT … SELECT``: events and their
attribute tables (``json_extract``; times by integer arithmetic that repeats ``timedelta``'s
rounding, :func:`time_sql`), the incident, actor and other qualified relationships, and the
step and handoff instances numbered by window functions exactly as :class:`~ballotdrill.exports.ocel.OcelWalker`
numbers them. Python does only what is small: the actors (the scenario's, and their staff
changes) and the decisions.

The walk stays the reference (a test compares both logs table by table on library runs). A
journal holding a value the statements below do not say the way the walk does (a procedure
that is not text, a name with a ``/`` that could make two ids one, an attribute name that is
not a plain identifier, an incident started twice…) raises :class:`Unsupported` before
anything is put in place, and the caller walks it instead.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ballotdrill.exports.ocel import _ACTOR_ROLE, REFERENCE_DATE, Scalar, value_type
from ballotdrill.exports.ocel_sqlite import CACHE_KIB, INITIAL_TIME, SqliteSink, _ident
from ballotdrill.journal import KINDS
from ballotdrill.journal.rows import refuse_bad_rows
from ballotdrill.journal.seal import BLOCK, RawRow, rows_sql
from ballotdrill.scenarios.scenario import ScenarioFile

BlockCheck = Callable[[Iterator[list[RawRow]]], None]
"""Takes every block of the journal's rows (as the seal covers them) and raises to refuse the journal."""


EPOCH = datetime(1970, 1, 1)


class Unsupported(Exception):
    """The journal holds something only the walk says exactly (the message says what)."""


_US_PER_MINUTE = 60_000_000


def micro_sql(minutes: str) -> str:
    """SQL for ``timedelta(minutes=x)`` in whole microseconds, ``x`` a float (the SQL ``minutes``).

    ``timedelta`` keeps ``trunc(x)`` minutes exactly, the fraction times 60,000,000 as a double, and rounds that
    to whole microseconds half to even on the total (a minute's count is even, so on the fraction's own
    whole part); elsewhere half away from zero is the same (SQLite's ``round`` for a double under 2**52).
    """
    ip = f"CAST({minutes} AS INTEGER)"
    fraction = f"(({minutes} - {ip}) * {float(_US_PER_MINUTE)!r})"
    whole = f"CAST({fraction} AS INTEGER)"
    return (f"({ip} * {_US_PER_MINUTE} + CASE WHEN abs({fraction} - {whole}) = 0.5 "
            f"THEN {whole} + (CASE WHEN {fraction} < 0 THEN -1 ELSE 1 END) * ({whole} & 1) "
            f"ELSE CAST(round({fraction}) AS INTEGER) END)")


def text_sql(unix_us: str) -> str:
    """SQL for a time in microseconds since 1970 (never negative) as the walk writes it: ISO 8601, milliseconds
    (the microseconds below cut off, as ``isoformat`` does), ``Z``."""
    return (f"strftime('%Y-%m-%dT%H:%M:%S', {unix_us} / 1000000, 'unixepoch') "
            f"|| printf('.%03dZ', {unix_us} / 1000 % 1000)")


def time_sql(t: str) -> str:
    """SQL for the time of a journal row at ``t`` (``:start`` and ``:day0us`` bound): once per use."""
    return text_sql(f"(:day0us + {micro_sql(f'(:start + {t})')})")


def timed(select: str, t: str = "t") -> str:
    """``select`` (a query with column ``t``) with a column ``us``: each row's time in microseconds since 1970,
    worked out once per row (the ``OFFSET`` keeps SQLite from copying the expression into every use)."""
    return f"(SELECT *, :day0us + {micro_sql(f'(:start + {t})')} AS us FROM ({select}) LIMIT -1 OFFSET 0)"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_STEPS, _HANDOFFS, _DECISIONS = (tuple(str(kind) for kind in KINDS if kind.startswith(family))
                                  for family in ("step_", "handoff_", "decision_"))


def _in(kinds: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def _role() -> str:
    cases = " ".join(f"WHEN '{kind}' THEN '{role}'" for kind, role in _ACTOR_ROLE.items())
    return f"CASE kind {cases} ELSE 'performer' END"


_PROC = ("CASE json_type(data, '$.procedure') WHEN 'text' THEN json_extract(data, '$.procedure') "
         "WHEN NULL THEN '' END")

# The work rows: every step, handoff and decision row, and each incident's resolutions (which end its work:
# step and handoff instances are counted afresh after one, as the walk forgets the incident's work). Each JSON
# value is read once per row (the inner query is not flattened: OFFSET), and a row whose values the walk would
# name in a way these statements do not (a procedure that is not text, a receiver that is not, a request that is
# neither text nor an integer, a "/" that could make two ids one) is marked ``bad``.
_WORK = f"""
CREATE TEMP TABLE work AS
SELECT seq, kind, inc, actor, step, proc, rcv, ends, sender, channel, target, request,
       coalesce(SUM(kind = 'resolved') OVER (PARTITION BY inc ORDER BY seq
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS epoch,
       kind != 'resolved' AND (
         coalesce(pt, 'text') != 'text' OR instr(inc, '/') OR instr(coalesce(step, ''), '/') OR instr(proc, '/')
         OR (kind IN {_in(_HANDOFFS)} AND step != '' AND (rcv IS NULL OR instr(rcv, '/')
                                                           OR (kind != 'handoff_received' AND tt IS NOT 'text')))
         OR coalesce(rt, 'null') NOT IN ('null', 'text', 'integer')) AS bad
FROM (SELECT seq, kind, inc, actor, step, pt, coalesce(p, '') AS proc, tt, rt, request, channel, target,
             CASE WHEN kind = 'handoff_received' THEN actor ELSE too END AS rcv,
             (kind = 'handoff_received' OR (kind = 'handoff_failed' AND next IS NULL)) AS ends,
             CASE WHEN kind = 'handoff_received' THEN frm ELSE actor END AS sender
      FROM (SELECT seq, kind, coalesce(incident, '') AS inc, actor, step,
                   json_type(data, '$.procedure') AS pt, json_extract(data, '$.procedure') AS p,
                   CASE WHEN kind IN {_in(_HANDOFFS)} THEN json_type(data, '$.to') END AS tt,
                   CASE WHEN kind IN {_in(_HANDOFFS)} THEN json_extract(data, '$.to') END AS too,
                   CASE WHEN kind = 'handoff_received' THEN json_extract(data, '$.from') END AS frm,
                   CASE WHEN kind = 'handoff_failed' THEN json_extract(data, '$.next') END AS next,
                   CASE WHEN kind IN {_in(_HANDOFFS)} THEN json_extract(data, '$.channel') END AS channel,
                   CASE WHEN kind = 'step_completed' THEN json_extract(data, '$.target') END AS target,
                   CASE WHEN kind IN {_in(_DECISIONS)} THEN json_type(data, '$.request') END AS rt,
                   CASE WHEN kind IN {_in(_DECISIONS)} THEN json_extract(data, '$.request') END AS request
            FROM j.events
            WHERE kind IN {_in(_STEPS + _HANDOFFS + _DECISIONS)} OR (kind = 'resolved' AND incident != '')
            LIMIT -1 OFFSET 0))
"""

_STEP_ID = "'step:' || inc || '/' || proc || '/' || step || '/' || n"
_HANDOFF_ID = "'handoff:' || inc || '/' || proc || '/' || step || '/' || rcv || '/' || n"

# Handoff instances, per receiver: a new one at a row after one that ended the last (received, or failed with
# no channel next); ``inst`` is the seq of its first row. Its first channel value goes on its initial row, each
# later one is a change.
_HANDOFF_ROWS = f"""
CREATE TEMP TABLE handoffs (seq INTEGER PRIMARY KEY, kind, inc, epoch, proc, step, rcv, sender, channel, new, n,
                            inst, first_channel);
INSERT INTO handoffs
SELECT seq, kind, inc, epoch, proc, step, rcv, sender, channel, new, n, inst,
       channel IS NOT NULL AND coalesce(said, -1) < inst
FROM (SELECT *, SUM(new) OVER p AS n, MAX(CASE WHEN new THEN seq END) OVER p AS inst
      FROM (SELECT *, coalesce(lag(ends) OVER q, 1) AS new,
                   MAX(CASE WHEN channel IS NOT NULL THEN seq END)
                     OVER (q ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS said
            FROM work WHERE kind IN {_in(_HANDOFFS)} AND step != ''
            WINDOW q AS (PARTITION BY inc, epoch, proc, step, rcv ORDER BY seq))
      WINDOW p AS (PARTITION BY inc, epoch, proc, step, rcv ORDER BY seq ROWS UNBOUNDED PRECEDING));
CREATE TEMP TABLE late_channel (inst INTEGER PRIMARY KEY, channel);
INSERT INTO late_channel SELECT inst, channel FROM handoffs WHERE first_channel AND NOT new
"""

# Step instances: a new one at step_queued, at a step's first row in the incident's work, or at step_started not
# right after step_queued; ``inst`` is the seq of its first row, its target that of its first step_completed. The
# received handoffs of the same step go through the same window: a new instance was handed over by the last one
# received since the instance before it.
_STEP_ROWS = f"""
CREATE TEMP TABLE steps (seq INTEGER PRIMARY KEY, kind, inc, epoch, proc, step, actor, target, new, n, inst,
                         first_done, via);
INSERT INTO steps
SELECT seq, kind, inc, epoch, proc, step, actor, target, new, n, inst, first_done, via FROM (
  SELECT *, SUM(new) OVER p AS n, MAX(CASE WHEN new THEN seq END) OVER p AS inst,
         kind = 'step_completed' AND coalesce(done, -1) < MAX(CASE WHEN new THEN seq END) OVER p AS first_done,
         CASE WHEN new AND received > coalesce(MAX(CASE WHEN new THEN seq END) OVER b, -1) THEN received END AS via
  FROM (SELECT *, kind != 'handoff_received' AND (kind = 'step_queued' OR before IS NULL
                  OR (kind = 'step_started' AND before % 4 != 1)) AS new
        FROM (SELECT *,
                     MAX(CASE kind WHEN 'step_queued' THEN seq * 4 + 1 WHEN 'step_started' THEN seq * 4 + 2
                                   WHEN 'step_completed' THEN seq * 4 + 3 END) OVER b AS before,
                     MAX(CASE WHEN kind = 'step_completed' THEN seq END) OVER b AS done,
                     MAX(CASE WHEN kind = 'handoff_received' THEN seq END) OVER b AS received
              FROM work WHERE kind IN {_in((*_STEPS, "handoff_received"))} AND step != ''
              WINDOW b AS (PARTITION BY inc, epoch, proc, step ORDER BY seq
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)))
  WINDOW w AS (PARTITION BY inc, epoch, proc, step ORDER BY seq), p AS (w ROWS UNBOUNDED PRECEDING),
         b AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
WHERE kind != 'handoff_received';
CREATE TEMP TABLE done (inst INTEGER PRIMARY KEY, target);
INSERT INTO done SELECT inst, target FROM steps WHERE first_done
"""

_OBJECTS = f"""
INSERT INTO object SELECT {_STEP_ID}, 'step' FROM steps WHERE new;
INSERT INTO object_step (ocel_id, ocel_time, ocel_changed_field, "procedure", "step", "actor", "target")
  SELECT {_STEP_ID}, '{INITIAL_TIME}', NULL, proc, step, actor, (SELECT target FROM done WHERE inst = seq)
  FROM steps WHERE new;
INSERT INTO object_object SELECT {_STEP_ID}, 'incident:' || inc, 'part of' FROM steps WHERE new AND inc != '';
INSERT INTO object_object
  SELECT {_STEP_ID}, (SELECT {_HANDOFF_ID} FROM handoffs WHERE handoffs.seq = via), 'handed over by'
  FROM steps WHERE via IS NOT NULL;
INSERT INTO event_object SELECT 'e' || seq, {_STEP_ID}, 'step' FROM steps;
INSERT INTO object SELECT {_HANDOFF_ID}, 'handoff' FROM handoffs WHERE new;
INSERT INTO object_handoff (ocel_id, ocel_time, ocel_changed_field, "procedure", "step", "sender", "receiver",
                            "channel")
  SELECT {_HANDOFF_ID}, '{INITIAL_TIME}', NULL, proc, step, sender, rcv,
         coalesce(channel, (SELECT channel FROM late_channel WHERE inst = seq))
  FROM handoffs WHERE new;
INSERT INTO object_handoff (ocel_id, ocel_time, ocel_changed_field, "channel")
  SELECT {_HANDOFF_ID}, {text_sql("us")}, 'channel', channel
  FROM {timed("SELECT h.*, e.t FROM handoffs h JOIN j.events e USING (seq) "
              "WHERE channel IS NOT NULL AND NOT first_channel")};
INSERT INTO object_object SELECT {_HANDOFF_ID}, 'incident:' || inc, 'carries' FROM handoffs WHERE new AND inc != '';
INSERT INTO event_object SELECT 'e' || seq, {_HANDOFF_ID}, 'handoff' FROM handoffs
"""

_EVENT_RELATIONS = f"""
INSERT INTO event SELECT 'e' || seq, kind FROM j.events ORDER BY seq;
INSERT INTO event_object SELECT 'e' || seq, 'incident:' || incident, 'subject' FROM j.events WHERE incident != '';
INSERT INTO event_object SELECT 'e' || seq, 'actor:' || actor, {_role()} FROM j.events WHERE actor != '';
INSERT INTO event_object
  SELECT 'e' || seq, 'actor:' || json_extract(data, '$.to'), 'receiver' FROM j.events
  WHERE kind IN {_in(_HANDOFFS)} AND json_type(data, '$.to') = 'text' AND json_extract(data, '$.to') != ''
    AND NOT (kind = 'handoff_received' AND json_extract(data, '$.to') IS actor);
INSERT INTO event_object
  SELECT 'e' || seq, 'actor:' || json_extract(data, '$.from'), 'sender' FROM j.events
  WHERE kind IN {_in(_HANDOFFS)} AND json_type(data, '$.from') = 'text' AND json_extract(data, '$.from') != ''
    AND NOT (kind != 'handoff_received' AND json_extract(data, '$.from') IS actor);
"""

_TITLE = ("CASE json_type(e.data, '$.title') WHEN 'text' THEN nullif(json_extract(e.data, '$.title'), '') "
          "WHEN 'integer' THEN nullif(json_extract(e.data, '$.title'), 0) "
          "WHEN 'real' THEN nullif(json_extract(e.data, '$.title'), 0.0) WHEN 'true' THEN 1 "
          "WHEN 'array' THEN nullif(json_extract(e.data, '$.title'), '[]') "
          "WHEN 'object' THEN nullif(json_extract(e.data, '$.title'), '{}') END")

_INCIDENTS = f"""
CREATE TEMP TABLE incidents AS
SELECT incident AS inc, min(seq) AS first, min(CASE WHEN kind = 'incident_started' THEN seq END) AS started,
       sum(kind = 'incident_started') AS starts
FROM j.events WHERE incident != '' GROUP BY incident;
INSERT INTO object SELECT 'incident:' || inc, 'incident' FROM incidents;
INSERT INTO object_incident (ocel_id, ocel_time, ocel_changed_field, "type", "severity", "title", "level", "scenario")
  SELECT 'incident:' || inc, '{INITIAL_TIME}', NULL, json_extract(e.data, '$.type'),
         json_extract(e.data, '$.severity'), {_TITLE}, json_extract(e.data, '$.level'), :scenario
  FROM incidents LEFT JOIN j.events e ON e.seq = started;
INSERT INTO object_incident (ocel_id, ocel_time, ocel_changed_field, "scenario")
  SELECT 'incident:' || inc, {time_sql("e.t")}, 'scenario', :scenario
  FROM incidents JOIN j.events e ON e.seq = started WHERE started > first;
"""


def _script(db: sqlite3.Connection, script: str, params: dict[str, Any]) -> None:
    """Run ``;``-separated statements one by one (``executescript`` would commit the transaction)."""
    for statement in filter(str.strip, script.split(";\n")):
        names = set(re.findall(r":(\w+)", statement))
        db.execute(statement, {k: v for k, v in params.items() if k in names})


def _stamp(day_zero: datetime, minutes: float) -> str:
    return (day_zero + timedelta(minutes=minutes)).isoformat(timespec="milliseconds") + "Z"


def _columns(db: sqlite3.Connection, j: str, kind: str, first: int) -> dict[str, str]:
    """The attribute columns of ``kind``'s table as the walk adds them: in order of each attribute's first value
    (names in order within an event), typed by that value."""
    def keys_of(seq: int) -> list[tuple[str, str]]:
        return db.execute(f"SELECT key, type FROM {j}.events, json_each({j}.events.data) "
                          "WHERE seq = ? AND data IS NOT NULL AND data != ''", (seq,)).fetchall()

    found = {key: kind_ for key, kind_ in keys_of(first)}
    settled = {key: first for key, kind_ in found.items() if kind_ != "null"}
    while True:  # rows holding a key not seen yet, until none is left
        paths = "".join(f", '$.\"{key}\"'" for key in found)
        row = db.execute(f"SELECT seq FROM {j}.events WHERE kind = ? AND data IS NOT NULL AND data != '' "
                         f"AND json_remove(data{paths}) != '{{}}' ORDER BY seq LIMIT 1", (kind,)).fetchone()
        if row is None:
            break
        for key, kind_ in keys_of(row[0]):
            found.setdefault(key, kind_)
    for key in found:
        if not _NAME.match(key):
            raise Unsupported(f"an attribute of {kind} is named {key!r}")
    later = [key for key in found if key not in settled]
    if later:
        firsts = db.execute("SELECT " + ", ".join(
            f"min(CASE WHEN json_type(data, '$.\"{key}\"') != 'null' THEN seq END)" for key in later)
            + f" FROM {j}.events WHERE kind = ?", (kind,)).fetchone()
        settled.update({key: seq for key, seq in zip(later, firsts, strict=True) if seq is not None})
    names = sorted(settled, key=lambda key: (settled[key], key))
    if len({name.casefold() for name in names} | {"ocel_id", "ocel_time"}) != len(names) + 2:
        raise Unsupported(f"two attributes of {kind} differ only in case")
    types = {}
    for name in names:
        (found_type,) = db.execute(f"SELECT json_type(data, '$.\"{name}\"') FROM {j}.events WHERE seq = ?",
                                   (settled[name],)).fetchone()
        types[name] = {"true": "boolean", "false": "boolean", "integer": "integer", "real": "float"}.get(
            found_type, "string")
    return types


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
        self.params: dict[str, Any] = {
            "start": start, "scenario": scenario,
            "day0us": int((day_zero - EPOCH).total_seconds()) * 1_000_000}
        self.t0 = _stamp(day_zero, start)

    def run(self, sink: SqliteSink) -> int:
        db, j = self.db, self.j
        found = db.execute(f"SELECT kind, min(seq), min(t), max(t) FROM {j}.events GROUP BY kind ORDER BY 2").fetchall()
        for kind, _, earliest, latest in found:
            if not isinstance(kind, str):
                raise Unsupported(f"a kind {kind!r} that is not text")
            try:
                if min(self.day_zero + timedelta(minutes=self.params["start"] + t) for t in (earliest, latest)) < EPOCH:
                    raise Unsupported("a time before 1970")
            except (OverflowError, TypeError) as exc:
                raise Unsupported(f"a time out of range ({exc})") from None
        kinds = [(kind, first) for kind, first, _, _ in found]
        self._work()
        tables = [(kind, sink._typed("event", kind, ("ocel_id", "ocel_time"), _columns(db, j, kind, first)))
                  for kind, first in kinds]
        _script(db, _EVENT_RELATIONS, self.params)
        for kind, table in tables:
            columns = "".join(f", {_ident(c)}" for c in table.columns)
            values = "".join(f", json_extract(data, '$.\"{c}\"')" for c in table.columns)
            rows = timed(f"SELECT seq, t, data FROM {j}.events WHERE kind = :kind")
            db.execute(f"INSERT INTO {_ident(table.name)} (ocel_id, ocel_time{columns}) "
                       f"SELECT 'e' || seq, {text_sql('us')}{values} FROM {rows}",
                       {"kind": kind, "start": self.params["start"], "day0us": self.params["day0us"]})
        _script(db, _INCIDENTS, self.params)
        twice = db.execute("SELECT inc FROM incidents WHERE starts > 1 LIMIT 1").fetchone()
        if twice is not None:
            raise Unsupported(f"incident {twice[0]!r} started twice")
        _script(db, _HANDOFF_ROWS + ";\n" + _STEP_ROWS + ";\n" + _OBJECTS, self.params)
        self._actors()
        self._decisions()
        (count,) = db.execute(f"SELECT count(*) FROM {j}.events").fetchone()
        return int(count)

    def _work(self) -> None:
        self.db.execute(_WORK)
        bad = self.db.execute("SELECT seq FROM work WHERE bad LIMIT 1").fetchone()
        if bad is not None:
            raise Unsupported(f"journal row {bad[0]} holds a value only the walk names exactly")

    def _actors(self) -> None:
        """The scenario's actors, every other actor named in an event, and their staff over time."""
        db, j = self.db, self.j
        values: dict[str, list[tuple[str, Scalar]]] = {}
        for key, actor in self.doc.structure.actors.items():
            values[key] = [("name", actor.name or key)]
            if actor.staff is not None:
                values[key].append(("staff", actor.staff))
        named = db.execute(
            f"SELECT actor FROM {j}.events WHERE actor != '' GROUP BY actor UNION "
            f"SELECT json_extract(data, '$.to') FROM {j}.events WHERE kind IN {_in(_HANDOFFS)} "
            "AND json_type(data, '$.to') = 'text' AND json_extract(data, '$.to') != '' UNION "
            f"SELECT json_extract(data, '$.from') FROM {j}.events WHERE kind IN {_in(_HANDOFFS)} "
            "AND json_type(data, '$.from') = 'text' AND json_extract(data, '$.from') != ''").fetchall()
        for (name,) in named:
            values.setdefault(name, [("name", name)])
        changes: dict[str, list[tuple[str, Scalar]]] = {}
        for actor, time, staff in db.execute(
                f"SELECT actor, {time_sql('t')}, json_extract(data, '$.staff') FROM {j}.events "
                "WHERE kind = 'staff_changed' AND actor != '' AND json_extract(data, '$.staff') IS NOT NULL "
                "ORDER BY seq", self.params):
            if not any(name == "staff" for name, _ in values[actor]):
                values[actor].append(("staff", staff))
            else:
                changes.setdefault(actor, []).append((time, staff))
        db.executemany("INSERT INTO object VALUES (?, 'actor')", [(f"actor:{key}",) for key in values])
        db.executemany('INSERT INTO object_actor (ocel_id, ocel_time, ocel_changed_field, "name", "staff") '
                       "VALUES (?, ?, NULL, ?, ?)",
                       [(f"actor:{key}", INITIAL_TIME, dict(v).get("name"), dict(v).get("staff"))
                        for key, v in values.items()])
        db.executemany('INSERT INTO object_actor (ocel_id, ocel_time, ocel_changed_field, "staff") '
                       "VALUES (?, ?, 'staff', ?)",
                       [(f"actor:{key}", time, staff) for key, rows in changes.items() for time, staff in rows])

    def _decisions(self) -> None:
        """Decision objects (one per request), the step each was asked in, their events' relationships."""
        db, j = self.db, self.j
        asked = f"SELECT 1 FROM work WHERE kind IN {_in(_DECISIONS)} AND request IS NOT NULL LIMIT 1"
        if db.execute(asked).fetchone() is None:
            return
        rows = db.execute(f"""
            SELECT seq, {time_sql('e.t')}, request, proc, e.step, json_extract(e.data, '$.default'),
                   json_extract(e.data, '$.option'), asked FROM (
              SELECT seq, what, request, proc, inc, epoch, step,
                     CASE WHEN MAX(CASE WHEN what = 'step' THEN n END) OVER m IS NOT NULL
                          THEN 'step:' || inc || '/' || proc || '/' || coalesce(step, '') || '/'
                               || MAX(CASE WHEN what = 'step' THEN n END) OVER m END AS asked
              FROM (SELECT seq, 'step' AS what, NULL AS request, proc, inc, epoch, step, n FROM steps
                    UNION ALL
                    SELECT seq, 'decision', request, proc, inc, epoch, step, NULL FROM work
                    WHERE kind IN {_in(_DECISIONS)} AND request IS NOT NULL)
              WINDOW m AS (PARTITION BY inc, epoch, proc, coalesce(step, '') ORDER BY seq ROWS UNBOUNDED PRECEDING))
            JOIN {j}.events e USING (seq) WHERE what = 'decision' ORDER BY seq""", self.params).fetchall()
        initial: dict[str, dict[str, Scalar]] = {}
        asked_in: dict[str, list[str]] = {}
        changes: list[tuple[str, str, str, Scalar]] = []
        events: list[tuple[str, str]] = []
        for seq, time, request, procedure, step, default, option, asked in rows:
            did = f"decision:{request}"
            values = initial.setdefault(did, {})
            for name, value in (("procedure", procedure), ("step", step), ("default", default), ("option", option)):
                if value is None:
                    continue
                if name in values:
                    changes.append((did, time, name, value))
                else:
                    values[name] = value
            if asked is not None and asked not in asked_in.setdefault(did, []):
                asked_in[did].append(asked)
            events.append((f"e{seq}", did))
        names = ("procedure", "step", "default", "option")
        db.executemany("INSERT INTO object VALUES (?, 'decision')", [(did,) for did in initial])
        db.executemany('INSERT INTO object_decision (ocel_id, ocel_time, ocel_changed_field, "procedure", "step", '
                       '"default", "option") VALUES (?, ?, ?, ?, ?, ?, ?)',
                       [(did, INITIAL_TIME, None, *map(v.get, names)) for did, v in initial.items()]
                       + [(did, time, name, *(value if n == name else None for n in names))
                          for did, time, name, value in changes])
        db.executemany("INSERT INTO object_object VALUES (?, ?, 'asked in')",
                       [(did, sid) for did, sids in asked_in.items() for sid in sids])
        db.executemany("INSERT INTO event_object VALUES (?, ?, 'decision')", events)


def _blocks(db: sqlite3.Connection) -> Iterator[list[RawRow]]:
    """The attached journal's rows as a seal covers them, once SQLite found none whose data is not a JSON object
    (:class:`~ballotdrill.journal.rows.StoredDataError`) or of another type: the statements read them as JSON."""
    refuse_bad_rows(db, "j.events")
    cursor = db.execute(rows_sql("j.events"))
    while block := cursor.fetchmany(BLOCK):
        yield block


def write_ocel_sqlite_from_journal(journal: Path, path: Path, doc: ScenarioFile, scenario_name: str,
                                   day: str | None = None, check: BlockCheck | None = None) -> int:
    """Build the OCEL 2.0 SQLite form of the journal file at ``journal`` (SQLite) at ``path``; return how many events.

    ``check`` is given the journal's rows, block by block, in the same read transaction as the build (so what is
    checked is what is exported) and before it; raising refuses the journal. Built in a hidden file beside
    ``path`` (no rollback journal, no syncs) and renamed over it when complete; nothing is left otherwise.
    :class:`Unsupported`: the journal needs the walk (nothing written). An SQLite error writing raises
    :class:`OSError` naming ``path``.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        db = sqlite3.connect(partial, isolation_level=None, uri=True)
        try:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KIB}",
                           f"temp.cache_size=-{CACHE_KIB}"):
                db.execute(f"PRAGMA {pragma}")
            sink = SqliteSink(db)
            db.execute("ATTACH DATABASE ? AS j", (journal.resolve().as_uri() + "?mode=ro",))
            db.execute("BEGIN")
            if check is not None:
                check(_blocks(db))
            else:
                refuse_bad_rows(db, "j.events")
            count = _Builder(db, doc, scenario_name, day).run(sink)
            db.execute("COMMIT")
        finally:
            db.close()
        try:
            os.replace(partial, path)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from None
    except sqlite3.Error as exc:
        raise OSError(errno.EIO, f"cannot write the OCEL log ({exc})", str(path)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return count


__all__ = ["Unsupported", "time_sql", "value_type", "write_ocel_sqlite_from_journal"]
