"""The journal as JSON Lines and CSV, one row per event, streamed: one block of rows in memory at a time.

The ``*_blocks`` writers take stored rows (:mod:`ballotdrill.journal.rows`) in blocks: the stored JSON of
each event's data passes straight through, never parsed. The bytes are those of :meth:`Event.to_json`
(JSON Lines) and of the CSV columns ``seq,t,kind,incident,actor,step,data``.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path

from ballotdrill.journal.collector import collector_paused
from ballotdrill.journal.events import COLUMNS, Event
from ballotdrill.journal.rows import StoredRow, rows_of
from ballotdrill.journal.seal import BLOCK
from ballotdrill.scenarios.safetext import FORMULA_STARTS, csv_cell

_quote = encode_basestring
"""A str as a JSON string, UTF-8 kept as written (what ``json.dumps(..., ensure_ascii=False)`` gives)."""
_float = float.__repr__
"""A float as JSON writes it (shortest round-trip form)."""

Block = list[StoredRow]


def _line(row: StoredRow) -> str:
    """One JSON line, the general way (any value a hand-edited journal may hold: data that is not JSON is
    written as a string, a blob as its ``repr``)."""
    seq, t, kind, incident, actor, step, data = row
    try:
        value = json.loads(data) if data else {}
    except (ValueError, TypeError):
        value = data
    event = {"seq": seq, "t": t, "kind": kind, "incident": incident, "actor": actor, "step": step, "data": value}
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr) + "\n"


class _EachRepr(dict[float, str]):
    """Every float's ``repr`` made on each look-up (a ``t`` that is not a float raises :class:`TypeError`)."""

    def __missing__(self, t: float) -> str:
        return _float(t)


_T = itemgetter(1)


def _times(block: Block) -> dict[float, str]:
    """Each ``t`` of ``block`` to its ``repr``, made once per distinct time (rows at one instant are neighbours: a
    block of 8,192 rows holds about 3,000 times). Keys compare by value, so ``0.0`` and ``-0.0`` (or an int equal
    to a float) would share one text: a block holding a zero or any ``t`` that is not a float gets
    :class:`_EachRepr` instead."""
    times = list(map(_T, block))
    found = dict.fromkeys(times)
    if 0.0 in found or set(map(type, times)) != {float}:  # every row's type: an int 7 after 7.0 is no key of its own
        return _EachRepr()
    return dict(zip(found, map(_float, found), strict=True))


def _lines(block: Block) -> str:
    """A block's JSON lines: every row the engine writes in one format (text columns, a float ``t``)."""
    try:
        times = _times(block)
        return "".join([
            f'{{"actor":{"null" if actor is None else _quote(actor)},"data":{data or "{}"},'
            f'"incident":{"null" if incident is None else _quote(incident)},"kind":{_quote(kind)},'
            f'"seq":{seq:d},"step":{"null" if step is None else _quote(step)},"t":{times[t]}}}\n'
            for seq, t, kind, incident, actor, step, data in block])
    except (TypeError, ValueError):  # a hand-edited value of another type somewhere in the block
        return "".join(map(_line, block))


def write_jsonl_blocks(blocks: Iterable[Block], path: Path) -> int:
    """Write blocks of rows as canonical JSON Lines (sorted keys, no spaces); return how many rows."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle, collector_paused():  # (see write_csv_blocks)
        for block in blocks:
            handle.write(_lines(block))
            count += len(block)
    return count


def write_csv_blocks(blocks: Iterable[Block], path: Path) -> int:
    """Write blocks of rows as CSV (``seq,t,kind,incident,actor,step,data``; data as canonical JSON); return how
    many rows.

    The bytes are ``csv.writer``'s (floats as ``repr``, NULL as an empty cell, data quoted). A block whose cells
    are all plain is formatted in one pass (:func:`_plain_lines`); any other block (one with a cell a spreadsheet
    would read as a formula, a cell ``csv`` would quote, or data stored as ``''`` or ``'{}'``) is halved until
    the parts are plain or small, and the small parts with an odd row go through ``csv.writer``, each row
    through :func:`_spreadsheet_safe` (every row's bytes depend on that row alone, so the parts join exactly).

    Python's cyclic collector is paused meanwhile: reading and writing make no reference cycles, and its passes
    over each block's row tuples (one a row, tracked) cost about 3 % of the export's instructions.
    """
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle, collector_paused():
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for block in blocks:
            _write_csv_part(block, handle.write, writer.writerows)
            count += len(block)
    return count


_SMALL = 64
"""Rows of a part with an odd row that go through ``csv.writer`` without halving it further."""


def _write_csv_part(rows: Block, write: Callable[[str], object],
                    write_rows: Callable[[Iterable[tuple[object, ...]]], object]) -> None:
    """``rows`` in one pass when plain, else in halves (one odd row, such as the run's start at ``t`` 0, leaves
    the rest of its block to the one-pass format)."""
    text = _plain_lines(rows)
    if text is not None:
        write(text)
    elif len(rows) <= _SMALL:
        write_rows(map(_spreadsheet_safe, rows))
    else:
        half = len(rows) // 2
        _write_csv_part(rows[:half], write, write_rows)
        _write_csv_part(rows[half:], write, write_rows)


_QUOTE, _QUOTES = '"', '""'
_SEPARATOR = "\x1f"
_STARTS = tuple(_SEPARATOR + start for start in FORMULA_STARTS)
_QUOTED = (",", '"', "\n", "\r")
"""What ``csv.writer`` quotes a cell for."""


def _plain_lines(block: Block) -> str | None:
    """A plain block as ``csv.writer`` writes it (only the data, which holds quotes, quoted; ``t`` as its
    ``repr``), or None when the block is not plain: every ``seq`` an int and ``t`` a float, both positive (a
    negative number, or -0.0, starts with "-"); no text cell that could start a formula or needs quoting; every
    data text holding a quote (checked in C, each distinct cell once).

    Each distinct time's text (``,t,``) and each distinct data's quoted cell (``,"data"`` and the line's end)
    are made once: rows at one instant are neighbours (a block of 8,192 rows holds about 3,000 times), and about
    three rows in four repeat a data text of their block."""
    try:
        seqs, times, kinds, incidents, actors, steps, datas = zip(*block, strict=True)
        if min(seqs) < 0 or min(times) <= 0 or set(map(type, seqs)) != {int} or set(map(type, times)) != {float}:
            return None
        cells = set(kinds)  # each distinct cell once
        cells.update(incidents, actors, steps)
        cells.discard(None)
        text = _SEPARATOR + _SEPARATOR.join(cells)
        data = set(datas)
        data.discard(None)
        if not all(map(str.__contains__, data, itertools.repeat(_QUOTE))):  # data without a quote: '', '{}'
            return None
    except (TypeError, ValueError):  # a value of another type, a row of another length
        return None
    if any(mark in text for mark in _QUOTED) or any(s in text for s in _STARTS):
        return None
    quoted = {cell: f',"{cell.replace(_QUOTE, _QUOTES)}"\n' for cell in data}
    quoted[None] = ",\n"
    distinct = dict.fromkeys(times)  # positive floats only: no 0.0 beside -0.0, no int beside a float
    texts = dict(zip(distinct, [f",{t!r}," for t in distinct], strict=True))
    return "".join([f'{seq}{texts[t]}{kind},{incident or ""},{actor or ""},{step or ""}{quoted[data]}'
                     for seq, t, kind, incident, actor, step, data in block])


def _spreadsheet_safe(row: StoredRow) -> tuple[object, ...]:
    """``row`` with empty data as an empty cell, and every cell through :func:`csv_cell` when one could start a
    formula (a negative number, text beginning ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)."""
    seq, t, kind, incident, actor, step, data = row
    cells = (seq, t, kind, incident, actor, step, None if data in ("", "{}") else data)
    texts = ["" if cell is None else repr(cell) if type(cell) is float else str(cell) for cell in cells]
    if any(text.startswith(FORMULA_STARTS) for text in texts):
        return tuple(csv_cell(text) for text in texts)
    return cells


def _blocks(rows: Iterable[StoredRow]) -> Iterator[Block]:
    rows = iter(rows)
    while block := list(itertools.islice(rows, BLOCK)):
        yield block


def write_jsonl_rows(rows: Iterable[StoredRow], path: Path) -> int:
    """Write stored rows as canonical JSON Lines; return how many."""
    return write_jsonl_blocks(_blocks(rows), path)


def write_csv_rows(rows: Iterable[StoredRow], path: Path) -> int:
    """Write stored rows as CSV; return how many."""
    return write_csv_blocks(_blocks(rows), path)


def write_jsonl(events: Iterable[Event], path: Path) -> int:
    """Write events (data as dicts, e.g. a run's in memory) as canonical JSON Lines; return how many."""
    return write_jsonl_rows(rows_of(events), path)


def write_csv(events: Iterable[Event], path: Path) -> int:
    """Write events (data as dicts) as CSV; return how many."""
    return write_csv_rows(rows_of(events), path)
