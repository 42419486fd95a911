"""OCEL's JSON form written straight from the rows is the walk's file, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import scenario_file
from test_exports_ocel_sql import AWKWARD, P, hand_made, run_folder
from test_exports_stream import odd_journal

from ballotdrill.application import export_run
from ballotdrill.application.runs import open_run
from ballotdrill.exports import write_ocel_json
from ballotdrill.exports.ocel_text import write_ocel_text
from ballotdrill.exports.ocel_values import EventTypes, joined_types, value_type
from ballotdrill.journal.rows import stored_rows
from ballotdrill.journal.store import events_of


def assert_walks_bytes(folder: Path, tmp_path: Path, rows: list[tuple[Any, ...]] | None = None) -> bytes:
    """The lean pass's file and the walk's (every row decoded on its own) are the same bytes; those bytes."""
    run = open_run(folder)
    rows = list(stored_rows(run.journal)) if rows is None else rows
    walked, lean = tmp_path / "walked.json", tmp_path / "lean.json"
    day = run.meta.get("date")
    assert write_ocel_json(events_of(rows), walked, run.doc, run.scenario, day) == len(rows)
    assert write_ocel_text(iter(rows), lean, run.doc, run.scenario, day) == len(rows)
    assert lean.read_bytes() == walked.read_bytes()
    return lean.read_bytes()


@pytest.mark.parametrize(("scenario", "seed", "until"), [
    ("combined-hybrid-day", "3", None),
    ("ransomware-week-before", "2", None),
    ("combined-hybrid-day", "5", "14:00"),  # cut short: steps, handoffs and incidents left open
])
def test_library_runs_give_the_walks_file(tmp_path: Path, scenario: str, seed: str, until: str | None) -> None:
    folder = run_folder(tmp_path, "run", scenario, "--seed", seed, *(["--until", until] if until else []))
    log = json.loads(assert_walks_bytes(folder, tmp_path))
    assert {o["type"] for o in log["objects"]} >= {"incident", "actor", "step", "handoff"}
    export_run(folder, ocel=tmp_path / "command.json")  # the command writes it the lean way
    assert (tmp_path / "command.json").read_bytes() == (tmp_path / "walked.json").read_bytes()


ODD_ROWS = [  # rows the SQLite form leaves to the walk: the lean pass names them as the walk does
    (920.0, "step_started", "N/4", "info", "s", P),
    (920.5, "step_started", "N4", "info", "s", {"procedure": 3}),
    (921.0, "handoff_sent", "N4", "info", "s", {"procedure": None, "to": "x"}),
    (921.5, "handoff_sent", "N4", "info", "s", {**P, "to": ["x"], "from": 7}),
    (922.0, "handoff_sent", "N4", "info", "s", {**P, "to": "desk/2", "channel": {"k": [1]}}),
    (922.5, "decision_made", "N4", "info", "s", {"procedure": {"p": 1}, "request": "R9"}),
    (923.0, "decision_made", "N4", "info", "s", {**P, "request": 2.5, "option": [1, "a"]}),
    (923.0, "decision_made", "N4", "info", None, {**P, "request": 2.5, "option": "again"}),  # one decision, twice
    (924.0, "note", "N4", "info", None, {"odd key": 1, "it's": 1, 'a "quote"': 2, "é": "\u2028"}),
    (924.0, "handoff_received", "N4", "x", "s", {"procedure": None, "from": "x", "to": "x"}),  # one actor, 3 roles
    (925.0, "resolved", "N4", None, None, {}),
    (925.0, "resolved", "N4", None, None, {}),
    (926.0, "incident_started", "N4", None, None, {"type": "late", "severity": 2.5}),  # started after it ended
    (926.5, "incident_started", "N4", None, None, {"type": "again"}),  # and again: a second object
    (927.0, "step_completed", None, None, "s", {"target": 1}),  # work of no incident and no actor
]


def test_awkward_and_odd_rows_give_the_walks_file(tmp_path: Path) -> None:
    log = json.loads(assert_walks_bytes(hand_made(tmp_path, AWKWARD + ODD_ROWS), tmp_path))
    ids = [o["id"] for o in log["objects"]]
    assert ids.count("incident:N4") == 2 and "decision:2.5" in ids and "step:N/4/disinfo-response/s/1" in ids
    first = next(o for o in log["objects"] if o["id"] == "incident:N4")
    assert [(a["name"], a["value"]) for a in first["attributes"]][1:3] == [("type", "late"), ("severity", 2.5)]


def test_odd_names_and_times_give_the_walks_file(tmp_path: Path) -> None:
    odd_journal(tmp_path)  # quotes, controls and Unicode in every name; times out of order and before zero
    assert_walks_bytes(tmp_path / "run", tmp_path)


def test_one_data_text_under_changing_types_gives_the_walks_file(tmp_path: Path) -> None:
    """A data text shared by rows is typed once per kind while the kind's types stand: an attribute's type is the
    highest of its values' (string < boolean < integer < float), so an integer then a float is a float, and an
    integer, a boolean and an integer again an integer, as typing every row on its own gives."""
    odd_journal(tmp_path)
    rows = list(stored_rows(tmp_path / "run" / "journal.sqlite"))
    end = rows[-1][0]
    for n, (kind, data) in enumerate([("action_taken", '{"x":1}'), ("inject_delivered", '{"x":1}'),
                                      ("action_taken", '{"x":2.5}'), ("inject_delivered", '{"x":1}'),
                                      ("action_taken", '{"x":1}'), ("action_taken", '{"x":"one"}'),
                                      ("note", '{"y":1}'), ("note", '{"y":true}'), ("note", '{"y":1}'),
                                      ("note", None), ("note", "")]):
        rows.append((end + 1 + n, 2000.0 + n, kind, "N1", "interior", None, data))
    log = json.loads(assert_walks_bytes(tmp_path / "run", tmp_path, rows))
    types = {t["name"]: {a["name"]: a["type"] for a in t["attributes"]} for t in log["eventTypes"]}
    assert types["action_taken"]["x"] == "float" and types["note"]["y"] == "integer"


def test_no_rows_give_the_walks_file(tmp_path: Path) -> None:
    doc = scenario_file()
    walked, lean = tmp_path / "walked.json", tmp_path / "lean.json"
    assert write_ocel_json(iter([]), walked, doc, "test", "2024-06-09") == 0
    assert write_ocel_text(iter([]), lean, doc, "test", "2024-06-09") == 0
    assert lean.read_bytes() == walked.read_bytes()
    assert json.loads(lean.read_bytes())["objects"]  # the scenario's actors


NOTES = st.lists(st.tuples(st.sampled_from(["note", "action_taken", "custom"]), st.sampled_from(["x", "y"]),
                           st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=2))),
                 max_size=12)


@given(notes=NOTES, cut=st.integers(min_value=0, max_value=12), seed=st.randoms(use_true_random=False))
def test_event_types_do_not_depend_on_the_order_and_two_parts_join(notes: list[tuple[str, str, Any]], cut: int,
                                                                    seed: Any) -> None:
    """An attribute's type is the highest of its values' types, whatever their order; two parts typed apart join
    into the whole's types (the kinds in the order one pass met them)."""
    def typed(part: list[tuple[str, str, Any]]) -> EventTypes:
        types = EventTypes()
        for kind, name, value in part:
            types.note(kind, [(name, value)])
        return types

    whole = typed(notes).types
    shuffled = list(notes)
    seed.shuffle(shuffled)
    assert typed(shuffled).types == whole
    ranks = ["string", "boolean", "integer", "float"]
    for kind, name, _ in notes:
        assert whole[kind][name] == max((value_type(v) for k, n, v in notes if (k, n) == (kind, name)),
                                        key=ranks.index)
    first, second = typed(notes[:cut]), typed(notes[cut:])
    joined = joined_types(first.types, second.types, list(whole))
    assert joined == whole and list(joined) == list(whole)
