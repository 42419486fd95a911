"""Shared helpers for the engine tests (tests/test_engine_*.py): scenario builders and the journal invariants."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from ballotdrill import scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.journal import Event
from ballotdrill.scenarios import Override, ScenarioFile

ROOT = Path(__file__).resolve().parent.parent


# -- building scenario files ----------------------------------------------------------------------


class _NoAliases(yaml.SafeDumper):
    """The strict loader refuses anchors and aliases: write shared values out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def to_yaml(doc: dict[str, Any]) -> str:
    """A scenario file (as plain data) written as YAML the strict loader reads (clock times come out quoted)."""
    return yaml.dump(doc, Dumper=_NoAliases, sort_keys=False, default_flow_style=None, allow_unicode=True,
                     width=1000)


def load(doc: dict[str, Any] | str, overrides: Sequence[str] = ()) -> ScenarioFile:
    """Load a scenario file given as plain data or YAML text."""
    text = doc if isinstance(doc, str) else to_yaml(doc)
    return scenarios.load_text(text, "test.yaml", [Override(o) for o in overrides])


def file_of(actors: dict[str, Any], procedures: dict[str, Any], injects: list[dict[str, Any]], *,
            channels: dict[str, Any] | None = None, start: str = "06:00", end: str = "23:00",
            default_channel: str | None = None, name: str = "s") -> dict[str, Any]:
    """A one-scenario file as plain data."""
    structure: dict[str, Any] = {"actors": actors}
    if default_channel is not None:
        structure["default_channel"] = default_channel
    structure["channels"] = channels or {}
    structure["procedures"] = procedures
    return {"version": 1, "structure": structure,
            "scenarios": {name: {"title": "Test", "start": start, "end": end, "injects": injects}}}


def run(doc: dict[str, Any] | str | ScenarioFile, seed: int = 1, name: str = "s", **kwargs: Any) -> list[Event]:
    """The journal of one run (in memory)."""
    model = doc if isinstance(doc, ScenarioFile) else load(doc)
    return run_exercise(model, name, seed=seed, **kwargs).events


def library() -> ScenarioFile:
    return scenarios.load_file(scenarios.library_path())


def kinds(events: Iterable[Event], *wanted: str) -> list[Event]:
    return [e for e in events if e.kind in wanted]


def one(events: Iterable[Event], kind: str, **fields: Any) -> Event:
    """The single event of ``kind`` whose columns match ``fields``."""
    found = [e for e in events if e.kind == kind and all(getattr(e, k) == v for k, v in fields.items())]
    assert len(found) == 1, (kind, fields, found)
    return found[0]


def ended(events: Sequence[Event]) -> Event:
    assert events[-1].kind == "run_ended"
    return events[-1]


# -- the journal's invariants ---------------------------------------------------------------------


def check_invariants(events: Sequence[Event]) -> None:
    """Assert everything docs/journal.md promises of any journal; a failure names the offending row."""
    assert events, "an empty journal"
    assert [e.seq for e in events] == list(range(len(events))), "seq must be 0..n-1"
    assert events[0].kind == "run_started" and events[-1].kind == "run_ended"
    assert sum(e.kind in ("run_started", "run_ended") for e in events) == 2
    start = events[0]
    for prev, cur in itertools.pairwise(events):
        assert cur.t >= prev.t, f"time goes back: {prev} then {cur}"
        assert math.isfinite(cur.t)
    end = events[-1]
    assert end.t <= start.data["until"] + 1e-9

    staff: dict[str, int] = {}
    busy: Counter[str] = Counter()
    started: Counter[tuple[Any, ...]] = Counter()  # in progress, by (incident, actor, step, procedure)
    queued: Counter[tuple[Any, ...]] = Counter()  # waiting, same key
    in_transit: Counter[tuple[Any, ...]] = Counter()  # handoff attempts on their way
    expect_resend: tuple[Any, ...] | None = None
    detected: set[str] = set()
    incidents: dict[str, str] = {}  # id -> state: started, contained, resolved
    open_runs: Counter[tuple[str, str, int]] = Counter()
    runs_of: Counter[str] = Counter()
    decisions: dict[str, Event] = {}

    for e in events:
        key = (e.incident, e.actor, e.step, e.data.get("procedure"))
        if expect_resend is not None:
            assert e.kind == "handoff_sent" and (e.incident, e.actor, e.step, e.data["procedure"],
                                                 e.data["channel"], e.data["attempt"]) == expect_resend, (
                f"a failed handoff with a next channel must be re-sent at once: {e}")
            expect_resend = None
        if e.kind == "staff_changed":
            staff[e.actor] = e.data["staff"]
        elif e.kind == "incident_started":
            assert e.incident not in incidents, f"incident started twice: {e}"
            incidents[e.incident] = "started"
        elif e.kind == "detected":
            assert e.incident in incidents and e.incident not in detected, e
            detected.add(e.incident)
        elif e.kind == "procedure_started":
            assert e.incident in detected, f"a procedure started before its incident was detected: {e}"
            assert incidents[e.incident] != "resolved", e
            open_runs[(e.incident, e.data["procedure"], e.data["run"])] += 1
            runs_of[e.incident] += 1
        elif e.kind == "procedure_ended":
            run_key = (e.incident, e.data["procedure"], e.data["run"])
            assert open_runs[run_key] == 1, f"a procedure run ended that was not running: {e}"
            open_runs[run_key] -= 1
            runs_of[e.incident] -= 1
            assert e.data["outcome"] in ("completed", "dropped")
        elif e.kind == "step_queued":
            assert e.actor in staff
            queued[key] += 1
            assert e.data["queue"] >= 1 and e.data["on_duty"] == staff[e.actor], e
        elif e.kind == "step_started":
            assert e.data["wait"] >= 0
            if queued[key]:
                queued[key] -= 1
            else:
                assert e.data["wait"] == 0, f"work that waited has a step_queued row: {e}"
            started[key] += 1
            busy[e.actor] += 1
            assert busy[e.actor] <= staff[e.actor], (
                f"{e.actor} has {busy[e.actor]} steps in progress with {staff[e.actor]} on duty: {e}")
        elif e.kind == "step_completed":
            assert started[key] > 0, f"a step completed that had not started: {e}"
            started[key] -= 1
            busy[e.actor] -= 1
        elif e.kind == "handoff_sent":
            in_transit[(e.incident, e.step, e.data["procedure"], e.data["attempt"])] += 1
            assert e.actor != e.data["to"], e
        elif e.kind in ("handoff_received", "handoff_failed"):
            attempt = e.data["attempts"] if e.kind == "handoff_received" else e.data["attempt"]
            hkey = (e.incident, e.step, e.data["procedure"], attempt)
            assert in_transit[hkey] > 0, f"{e.kind} without a handoff_sent for that attempt: {e}"
            in_transit[hkey] -= 1
            if e.kind == "handoff_failed" and e.data["next"] is not None:
                expect_resend = (e.incident, e.actor, e.step, e.data["procedure"], e.data["next"], attempt + 1)
        elif e.kind == "decision_requested":
            assert e.data["default"] in e.data["options"]
            assert e.data["request"] not in decisions, f"a request id used twice: {e}"
            decisions[e.data["request"]] = e
        elif e.kind == "decision_made":
            asked = decisions.pop(e.data["request"])
            assert e.data["option"] in asked.data["options"] and (e.incident, e.actor, e.step) == (
                asked.incident, asked.actor, asked.step)
            assert e.data["by"] in ("default", "recorded", "player", "timeout")
        elif e.kind == "contained":
            assert incidents.get(e.incident) == "started", f"contained twice (or never started): {e}"
            incidents[e.incident] = "contained"
        elif e.kind == "resolved":
            assert incidents.get(e.incident) == "contained", f"resolved before contained (or twice): {e}"
            assert runs_of[e.incident] == 0, f"resolved with a procedure run still going: {e}"
            incidents[e.incident] = "resolved"
    assert expect_resend is None
    assert not decisions or end.data["open_steps"] > 0, "a decision left unanswered with no open step"

    open_work = sum(started.values()) + sum(queued.values()) + sum(in_transit.values())
    assert end.data["open_steps"] == open_work, (
        f"run_ended counts {end.data['open_steps']} open steps; the journal leaves {open_work} "
        f"({sum(started.values())} in progress, {sum(queued.values())} queued, {sum(in_transit.values())} in transit)")
    unresolved = [i for i, state in incidents.items() if state != "resolved"]
    assert sorted(end.data["open_incidents"]) == sorted(unresolved)
    assert set(end.data["harm"]) <= set(unresolved)

def at(clock: str) -> float:
    """Minutes since 06:00 of an HH:MM clock time on day D."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes) - 360


def incident(iid: str, clock: str, kind: str = "call", **extra: Any) -> dict[str, Any]:
    inject: dict[str, Any] = {"id": iid, "at": clock, "incident": {"type": kind, **extra.pop("spec", {})}}
    inject.update(extra)
    return inject


def checked(data: dict[str, Any], seed: int = 1, **kwargs: Any) -> list[Any]:
    events = run(data, seed, **kwargs)
    check_invariants(events)
    return events


def voter_outage(steps: list[dict[str, Any]], actors: dict[str, Any], *, target: int = 5000, end: str = "14:00",
                 **incident_extra: Any) -> dict[str, Any]:
    """X1 at 10:00 keeps 100 voters a minute from voting until procedure 'p' (``steps``) contains it; objective O1:
    X1's voter-minutes within ``target`` (5,000 is passed at 10:50)."""
    data = file_of(actors, {"p": {"trigger": {"type": "outage"}, "steps": steps}},
                   [incident("X1", "10:00", "outage", spec={"voters": 100}, **incident_extra)], end=end)
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"voter_minutes": "X1"}, "target": target}]
    return data


def cert_loop() -> dict[str, Any]:
    """X1 at 10:00: 'logs' (Operator) -> 'analyse' (CERT) -> 'choose' (CERT: 'again', the default, goes on to 'watch'
    and back to 'logs'; 'done' ends), from 09:00 to 12:00."""
    return file_of({"op": {"name": "Operator", "staff": 1}, "cert": {"name": "CERT", "staff": 1}},
                   {"p": {"trigger": {"type": "attack"}, "steps": [
                       {"id": "logs", "actor": "op", "duration": "10m"},
                       {"id": "analyse", "actor": "cert", "duration": "10m"},
                       {"id": "choose", "actor": "cert", "duration": "5m", "decision": {
                           "options": {"again": {"next": "watch"}, "done": {"next": "end"}}, "default": "again"}},
                       {"id": "watch", "actor": "cert", "duration": "5m", "next": "logs"}]}},
                   [incident("X1", "10:00", "attack")], start="09:00", end="12:00")
