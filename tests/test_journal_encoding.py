"""Packed journal rows encode to exactly the bytes of canonical ``json``, and read back as the same dicts."""

from __future__ import annotations

import contextlib
import inspect
import json
import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotdrill import scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.journal.events import _NAME_KEYS, BUILDERS, PACKED, SHAPES, Kind, encode_data, keys, unpack
from ballotdrill.journal.packed import LAYOUT, HandoffLine, StepCrew, StepTargets, values
from ballotdrill.journal.store import ROWS_A_STATEMENT, SCHEMA, SqliteSink, insert_rows
from ballotdrill.scenarios.types import NAME_PATTERN

names = st.from_regex(NAME_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 80)
numbers = st.one_of(st.integers(-10**6, 10**12), st.floats(allow_nan=False, allow_infinity=False))


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@st.composite
def packed(draw: st.DrawFn) -> tuple[str, tuple[Any, ...]]:
    """Packed data as the engine makes it: identifiers (a channel may be None) and finite numbers."""
    kind = draw(st.sampled_from(sorted(SHAPES)))
    values = tuple(draw(st.one_of(st.none(), names) if key == "channel" else names if key in _NAME_KEYS
                        else numbers) for key in SHAPES[kind])
    return kind, values


@given(packed())
def test_packed_data_encodes_as_canonical_json(row: tuple[str, tuple[Any, ...]]) -> None:
    kind, values = row
    data = unpack(kind, values)
    assert list(data) == list(SHAPES[kind])
    assert encode_data(kind, values) == canonical(data)


@given(st.sampled_from(sorted(SHAPES)), st.dictionaries(st.text(max_size=8), st.one_of(
    st.text(), st.booleans(), st.none(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=2)),
    max_size=4))
def test_dict_data_is_encoded_by_json(kind: str, data: dict[str, Any]) -> None:
    assert encode_data(kind, data) == (canonical(data) if data else None)


def test_every_row_the_engine_records_encodes_canonically() -> None:
    doc = scenarios.load_file(scenarios.library_path())
    for name in doc.scenarios:
        result = run_exercise(doc, name, seed=5)
        assert result.memory is not None
        for _t, kind, _incident, _actor, _step, data in result.memory.rows:
            as_dict = unpack(kind, data)
            assert encode_data(kind, data) == (canonical(as_dict) if as_dict else None), (name, kind, data)


@pytest.mark.parametrize("kind", sorted(PACKED))
def test_each_builder_takes_its_records_fields_by_keyword_and_packs_them_in_order(kind: str) -> None:
    record, builder = PACKED[kind], BUILDERS[kind]
    params = inspect.signature(builder).parameters
    assert list(params) == list(record._fields)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    values = {name: f"v{i}" for i, name in enumerate(record._fields)}
    assert builder(**values) == tuple(record(**values))
    assert list(SHAPES[kind]) == sorted(SHAPES[kind]), "the packed format writes keys in field order"


@pytest.mark.parametrize("kind", sorted(PACKED))
def test_a_packed_kinds_values_are_its_records_fields_then_its_optional_ones(kind: str) -> None:
    """Scoring reads a packed row by position: the record's fields in order (the engine's tuple), then the optional
    fields the kind may carry; a row recorded as a dict, or read back from a journal, decodes to the same places."""
    optional = {Kind.STEP_QUEUED: StepCrew, Kind.STEP_STARTED: StepCrew, Kind.STEP_COMPLETED: StepTargets,
                Kind.HANDOFF_SENT: HandoffLine, Kind.HANDOFF_RECEIVED: HandoffLine}.get(Kind(kind))
    extra = keys(optional) if optional is not None else ()
    assert LAYOUT[kind] == SHAPES[kind] + extra
    packed = tuple(f"v{i}" for i in range(len(SHAPES[kind])))
    assert values(kind, packed) is packed
    assert values(kind, unpack(kind, packed)) == packed + (None,) * len(extra)
    with_extra = {**unpack(kind, packed), **{key: f"x{i}" for i, key in enumerate(extra)}}
    assert values(kind, with_extra) == packed + tuple(f"x{i}" for i in range(len(extra)))
    assert values(kind, None) == values(kind, {}) == (None,) * len(LAYOUT[kind])


@pytest.mark.parametrize("count", [0, 1, ROWS_A_STATEMENT - 1, ROWS_A_STATEMENT, ROWS_A_STATEMENT + 1,
                                   3 * ROWS_A_STATEMENT + 5])
@pytest.mark.parametrize("follows", [False, True])
def test_rows_inserted_many_a_statement_are_stored_as_one_a_statement(count: int, follows: bool) -> None:
    """The writer inserts whole statements of rows and the rest one by one: the same rows, values and order; rows
    that follow the table's last (seq 7 on after 0-6), their seq left to SQLite, are stored with the same seq."""
    rows = [(seq, seq * 0.5, "note" if seq % 3 else "step_started", None if seq % 2 else f"i{seq}",
             f"a{seq % 5}", None, None if seq % 4 == 1 else json.dumps({"text": f"row {seq} ✓"}))
            for seq in range(7, 7 + count)]
    before = [(seq, 0.0, "note", None, None, None, None) for seq in range(7)] if follows else []
    stored = []
    for insert in (partial(insert_rows, follows=follows), lambda db, numbered: db.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", numbered)):
        db = sqlite3.connect(":memory:")
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", before)
        insert(db, rows)
        stored.append(db.execute("SELECT * FROM events ORDER BY rowid").fetchall())
        db.close()
    assert stored[0] == stored[1] == before + rows


def test_a_sink_numbers_its_rows_as_given_when_the_table_holds_rows_before_its_first_batch(tmp_path: Path) -> None:
    """A sink whose first batch follows rows written by another (the run's process before its writer took over) or
    starts at seq 0 stores every row at the seq it was given."""
    path = tmp_path / "journal.sqlite"
    rows = [(float(seq), "note", f"i{seq}", None, None, {"n": seq}) for seq in range(3 * ROWS_A_STATEMENT)]
    first = SqliteSink(path)
    first.write_inline(0, rows[:ROWS_A_STATEMENT])
    first.close()
    second = SqliteSink(path)
    second.write_inline(ROWS_A_STATEMENT, rows[ROWS_A_STATEMENT:2 * ROWS_A_STATEMENT])
    second.write_inline(2 * ROWS_A_STATEMENT, rows[2 * ROWS_A_STATEMENT:])
    second.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        stored = db.execute("SELECT seq, incident, data FROM events ORDER BY seq").fetchall()
    assert stored == [(seq, f"i{seq}", canonical({"n": seq})) for seq in range(3 * ROWS_A_STATEMENT)]
