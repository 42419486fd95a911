"""The journal as JSON Lines and CSV, one row per event, streamed: one row in memory at a time.

The ``*_rows`` writers take stored rows (:mod:`ballotdrill.journal.rows`): the stored JSON of
each event's data passes straight through, never parsed. The bytes are those of :meth:`Event.to_json` (JSON Lines)
and of the CSV columns ``seq,t,kind,incident,actor,step,data``.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path

from ballotdrill.journal.events import COLUMNS, Event
from ballotdrill.journal.rows import StoredRow, rows_of
from ballotdrill.scenarios.safetext import FORMULA_STARTS, csv_cell

_quote = encode_basestring
"""A str as a JSON string, UTF-8 kept as written (what ``json.dumps(..., ensure_ascii=False)`` gives)."""
_float = float.__repr__
"""A float as JSON writes it (shortest round-trip form)."""


def _line(row: StoredRow) -> str:
    """One JSON line, the general way (any value a hand-edited journal may hold)."""
    seq, t, kind, incident, actor, step, data = row
    event = {"seq": seq, "t": t, "kind": kind, "incident": incident, "actor": actor, "step": step,
             "data": json.loads(data) if data else {}}
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def write_jsonl_rows(rows: Iterable[StoredRow], path: Path) -> int:
    """Write rows as canonical JSON Lines (sorted keys, no spaces); return how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        write = handle.write
        for row in rows:
            seq, t, kind, incident, actor, step, data = row
            try:  # the usual row: text columns and a float t, in one format
                line = (f'{{"actor":{"null" if actor is None else _quote(actor)},"data":{data or "{}"},'
                        f'"incident":{"null" if incident is None else _quote(incident)},"kind":{_quote(kind)},'
                        f'"seq":{seq:d},"step":{"null" if step is None else _quote(step)},"t":{_float(t)}}}\n')
            except (TypeError, ValueError):
                line = _line(row)
            write(line)
            count += 1
    return count


def write_csv_rows(rows: Iterable[StoredRow], path: Path) -> int:
    """Write rows as CSV (``seq,t,kind,incident,actor,step,data``; data as canonical JSON); return how many.

    A row with a cell a spreadsheet would read as a formula has every cell through :func:`csv_cell`;
    the others (every row the engine writes) go through ``csv.writer`` in C unchanged.
    """
    counter = itertools.count()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        # Floats as repr, None as an empty cell, data as stored; the counter counts the rows taken.
        writer.writerows(map(_spreadsheet_safe, map(itemgetter(0), zip(rows, counter, strict=False))))
    return next(counter)


def _spreadsheet_safe(row: StoredRow) -> tuple[object, ...]:
    """``row`` as it is, or with each cell through :func:`csv_cell` when one could start a formula.

    ``seq`` is a count and ``data`` a JSON object (``{``), so only ``t`` (negative) and the
    text columns can.
    """
    _, t, kind, incident, actor, step, _ = row
    if (t < 0 or kind.startswith(FORMULA_STARTS) or (incident or "").startswith(FORMULA_STARTS)
            or (actor or "").startswith(FORMULA_STARTS) or (step or "").startswith(FORMULA_STARTS)):
        return tuple(csv_cell(repr(cell) if type(cell) is float else cell) for cell in row)
    return row


def write_jsonl(events: Iterable[Event], path: Path) -> int:
    """Write events (data as dicts, e.g. a run's in memory) as canonical JSON Lines; return how many."""
    return write_jsonl_rows(rows_of(events), path)


def write_csv(events: Iterable[Event], path: Path) -> int:
    """Write events (data as dicts) as CSV; return how many."""
    return write_csv_rows(rows_of(events), path)
