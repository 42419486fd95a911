"""Hand-built journals for the scoring and report tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ballotdrill.journal import Event
from ballotdrill.journal.seal import seal
from ballotdrill.scenarios import ScenarioFile, load_text

SCENARIO_YAML = """
version: 1
structure:
  name: Test structure
  actors:
    monitoring: {name: Monitoring cell, staff: 2, shifts: [{from: "06:00", to: "22:00", staff: 4}]}
    interior: {name: FPS Interior elections, staff: 1}
    info: {staff: 1}
  channels:
    phone: {latency: {dist: fixed, value: 3m}, reliability: 0.98}
    secure-mail: {latency: {dist: fixed, value: 10m}, fallback: phone}
  procedures:
    disinfo-response:
      trigger: {type: disinformation, min_severity: 2}
      steps:
        - {id: assess, actor: monitoring, target: 30m}
        - {id: alert-interior, actor: interior, via: secure-mail, target: 45m,
           deadline: {within: 60m, basis: Art. 1 of the test law}}
        - id: choose-response
          actor: interior
          decision:
            options: {debunk: {next: publish-debunk}, monitor: {next: assess}}
            default: debunk
        - {id: publish-debunk, actor: info, effect: {contain: 0.7}, target: 90m}
scenarios:
  demo:
    title: Results-night test
    description: A wave and an outage.
    basis: [Test basis]
    start: "06:00"
    end: "23:00"
    injects:
      - {at: "17:53", incident: {id: D1, type: cyber_outage, severity: 3, voters: 1000, stations: 5}}
      - {at: "18:10", incident: {id: N1, type: disinformation, severity: 3,
                                 reach: {initial: 500, doubling: 40m, cap: 400000}}}
    objectives:
      - {id: O1, capability: Public information and warning,
         measure: {time: from incident N1 start to step publish-debunk}, target: 90m}
      - {id: O2, capability: Public information and warning, measure: {reach: N1}, target: 50000}
      - {id: O3, capability: Operational coordination, measure: {on_time: all}, target: 0.9}
      - {id: O4, capability: Infrastructure systems, measure: {voter_minutes: D1}, target: 10000}
"""


def scenario_file(text: str = SCENARIO_YAML) -> ScenarioFile:
    """The test scenario file (or ``text``) loaded and checked."""
    return load_text(text, "<test>")


class JournalBuilder:
    """Appends events with consecutive ``seq`` numbers."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, t: float, kind: str, incident: str | None = None, actor: str | None = None,
            step: str | None = None, **data: Any) -> Event:
        event = Event(len(self.events), float(t), kind, incident, actor, step, data)
        self.events.append(event)
        return event

    def start(self, start: float = 360.0, until: float = 1020.0, seed: int = 7,
              staff: dict[str, int] | None = None) -> JournalBuilder:
        self.add(0, "run_started", scenario="demo", seed=seed, start=start, end=until, until=until)
        for actor, count in (staff if staff is not None else {"monitoring": 4, "interior": 1, "info": 1}).items():
            self.add(0, "staff_changed", actor=actor, staff=count)
        return self


def sample_events() -> list[Event]:
    """A run of the test scenario: N1 handled (one reroute, two late steps), D1 never handled."""
    b = JournalBuilder().start()
    proc = "disinfo-response"
    b.add(713, "incident_started", "D1", type="cyber_outage", severity=3, level="municipal", voters=1000, stations=5)
    b.add(720, "detected", "D1", "interior")
    b.add(730, "incident_started", "N1", type="disinformation", severity=3, level="municipal",
          title="'stolen election' narrative", reach={"initial": 500, "doubling": 40, "cap": 400000})
    b.add(751, "detected", "N1", "monitoring")
    b.add(751, "procedure_started", "N1", procedure=proc, run=1)
    b.add(751, "step_queued", "N1", "monitoring", "assess", procedure=proc, queue=1, on_duty=4)
    b.add(751, "step_started", "N1", "monitoring", "assess", procedure=proc, wait=0.0)
    b.add(771, "step_completed", "N1", "monitoring", "assess", procedure=proc, elapsed=20.0, target=30.0)
    b.add(771, "handoff_sent", "N1", "monitoring", "alert-interior", procedure=proc, to="interior",
          channel="secure-mail", attempt=1)
    b.add(781, "handoff_failed", "N1", "monitoring", "alert-interior", procedure=proc, to="interior",
          channel="secure-mail", attempt=1, next="phone")
    b.add(781, "handoff_sent", "N1", "monitoring", "alert-interior", procedure=proc, to="interior",
          channel="phone", attempt=2)
    b.add(784, "handoff_received", "N1", "interior", "alert-interior", procedure=proc, **{"from": "monitoring"},
          channel="phone", latency=13.0, attempts=2)
    b.add(784, "step_queued", "N1", "interior", "alert-interior", procedure=proc, queue=2, on_duty=1)
    b.add(800, "step_started", "N1", "interior", "alert-interior", procedure=proc, wait=16.0)
    b.add(810, "step_completed", "N1", "interior", "alert-interior", procedure=proc, elapsed=59.0, target=45.0,
          deadline=60.0, basis="Art. 1 of the test law")
    b.add(810, "step_queued", "N1", "interior", "choose-response", procedure=proc, queue=1, on_duty=1)
    b.add(810, "step_started", "N1", "interior", "choose-response", procedure=proc, wait=0.0)
    b.add(810, "decision_requested", "N1", "interior", "choose-response", procedure=proc, request="R1",
          options=["debunk", "monitor"], default="debunk", timeout=15.0)
    b.add(825, "decision_made", "N1", "interior", "choose-response", procedure=proc, request="R1",
          option="debunk", by="timeout")
    b.add(825, "step_completed", "N1", "interior", "choose-response", procedure=proc, elapsed=74.0)
    b.add(825, "handoff_sent", "N1", "interior", "publish-debunk", procedure=proc, to="info", channel="phone",
          attempt=1)
    b.add(828, "handoff_received", "N1", "info", "publish-debunk", procedure=proc, **{"from": "interior"},
          channel="phone", latency=3.0, attempts=1)
    b.add(828, "step_queued", "N1", "info", "publish-debunk", procedure=proc, queue=1, on_duty=1)
    b.add(828, "step_started", "N1", "info", "publish-debunk", procedure=proc, wait=0.0)
    b.add(850, "step_completed", "N1", "info", "publish-debunk", procedure=proc, elapsed=99.0, target=90.0)
    b.add(850, "contained", "N1", "info", how="effect", reach=12000.0, voter_minutes=0.0, station_minutes=0.0)
    b.add(850, "procedure_ended", "N1", procedure=proc, run=1, outcome="completed")
    b.add(850, "resolved", "N1")
    b.add(960, "staff_changed", actor="monitoring", staff=2)
    b.add(1020, "run_ended", open_incidents=["D1"], open_steps=[],
          harm={"D1": {"reach": 0, "voter_minutes": 307000.0, "station_minutes": 1535.0}})
    return b.events


def write_run(run_dir: Path, events: list[Event], doc: ScenarioFile, scenario: str = "demo",
              extra_meta: dict[str, str] | None = None) -> Path:
    """A run folder as the journal contract describes it: ``journal.sqlite`` with ``events`` and ``meta``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / "journal.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE events (seq INTEGER PRIMARY KEY, t REAL NOT NULL, kind TEXT NOT NULL, "
                     "incident TEXT, actor TEXT, step TEXT, data TEXT);"
                     "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
    db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(e.seq, e.t, e.kind, e.incident, e.actor, e.step,
                     json.dumps(e.data, sort_keys=True) if e.data else None) for e in events])
    meta = {"scenario": scenario, "seed": "7", "format": "1", "document": doc.model_dump_json(by_alias=True),
            **(extra_meta or {})}
    db.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
    db.commit()
    db.close()
    seal(path)  # a finished run, as the contract describes it
    return run_dir


def drop_and_gap() -> JournalBuilder:
    """A handoff to 'info' dropped on phone, then work queued at 'info' with nobody on duty."""
    b = JournalBuilder().start(staff={"monitoring": 1, "interior": 1, "info": 0})
    b.add(0, "incident_started", "N1", type="disinformation", severity=3)
    b.add(1, "handoff_sent", "N1", "interior", "publish-debunk", procedure="p", to="info", channel="phone",
          attempt=1)
    b.add(2, "handoff_failed", "N1", "interior", "publish-debunk", procedure="p", to="info", channel="phone",
          attempt=1, next=None)
    b.add(3, "step_queued", "N1", "info", "x", procedure="p", queue=1, on_duty=0)
    return b
