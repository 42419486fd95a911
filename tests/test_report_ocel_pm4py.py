"""The OCEL 2.0 exports (JSON and SQLite) are read by a real process-mining library (pm4py, test extra only: AGPL)."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from ballotdrill import scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.exports import to_ocel, write_ocel_json, write_ocel_sqlite

pm4py = pytest.importorskip("pm4py", reason="pm4py is in the test extra: pip install -e '.[test]'")


@pytest.mark.parametrize("form", ["json", "sqlite"])
@pytest.mark.parametrize("scenario", ["combined-hybrid-day", "ransomware-week-before"])
def test_pm4py_reads_the_export_with_every_event_and_object(tmp_path: Path, scenario: str, form: str) -> None:
    doc = scenarios.load_file(scenarios.library_path())
    events = run_exercise(doc, scenario, seed=3).events
    path = tmp_path / f"log.{form}"
    write = write_ocel_json if form == "json" else write_ocel_sqlite
    assert write(iter(events), path, doc, scenario) == len(events)

    log = pm4py.read_ocel2_json(str(path)) if form == "json" else pm4py.read_ocel2_sqlite(str(path))

    exported = to_ocel(events, doc, scenario)
    # pm4py keeps the events related to at least one object (run_started/run_ended relate to none).
    related = [e for e in exported["events"] if e.get("relationships")]
    assert len(log.events) == len(related) >= len(exported["events"]) - 2
    activities = Counter(log.events["ocel:activity"])
    journal_kinds = Counter(e.kind for e in events)
    for kind, count in activities.items():
        assert journal_kinds[kind] == count, kind
    assert set(pm4py.ocel_get_object_types(log)) == {"incident", "actor", "step", "handoff", "decision"} - (
        set() if any(e.kind == "decision_made" for e in events) else {"decision"})
    incident_objects = set(log.objects[log.objects["ocel:type"] == "incident"]["ocel:oid"])
    started = {f"incident:{e.incident}" for e in events if e.kind == "incident_started"}
    assert started <= incident_objects
    assert len(log.objects) == len(exported["objects"])
    # Every relation points at an object pm4py knows.
    assert set(log.relations["ocel:oid"]) <= set(log.objects["ocel:oid"])
    assert len(log.relations) == sum(len(e["relationships"]) for e in exported["events"])


def test_the_streamed_json_file_holds_what_the_document_holds(tmp_path: Path) -> None:
    doc = scenarios.load_file(scenarios.library_path())
    events = run_exercise(doc, "results-night-ddos", seed=1).events
    write_ocel_json(iter(events), tmp_path / "log.json", doc, "results-night-ddos", day="2024-06-09")
    streamed = json.loads((tmp_path / "log.json").read_text(encoding="utf-8"))
    document = to_ocel(events, doc, "results-night-ddos", day="2024-06-09")
    assert streamed == document


def test_the_sqlite_form_has_the_specification_tables(tmp_path: Path) -> None:
    doc = scenarios.load_file(scenarios.library_path())
    events = run_exercise(doc, "results-night-ddos", seed=1).events
    write_ocel_sqlite(iter(events), tmp_path / "log.sqlite", doc, "results-night-ddos")
    with sqlite3.connect(tmp_path / "log.sqlite") as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        maps = dict(db.execute("SELECT ocel_type, ocel_type_map FROM event_map_type"))
        assert db.execute("SELECT count(*) FROM event").fetchone()[0] == len(events)
        completed = db.execute(f"SELECT count(*) FROM event_{maps['step_completed']}").fetchone()[0]
    assert {"event", "object", "event_object", "object_object", "event_map_type", "object_map_type",
            "object_incident", "object_step", "object_handoff", "object_actor"} <= tables
    assert completed == sum(e.kind == "step_completed" for e in events)
