"""The OCEL 2.0 export is read by a real process-mining library (pm4py, test extra only: AGPL)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ballotdrill import scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.exports import ocel_json

pm4py = pytest.importorskip("pm4py", reason="pm4py is in the test extra: pip install -e '.[test]'")


@pytest.mark.parametrize("scenario", ["combined-hybrid-day", "ransomware-week-before"])
def test_pm4py_reads_the_export_with_every_event_and_object(tmp_path: Path, scenario: str) -> None:
    doc = scenarios.load_file(scenarios.library_path())
    events = run_exercise(doc, scenario, seed=3).events
    path = tmp_path / "log.ocel.json"
    path.write_text(ocel_json(events, doc, scenario), encoding="utf-8")

    log = pm4py.read_ocel2_json(str(path))

    exported = json.loads(path.read_text(encoding="utf-8"))
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
    # Every relation points at an object pm4py knows.
    assert set(log.relations["ocel:oid"]) <= set(log.objects["ocel:oid"])
