"""Engine behaviour: decisions (batch, recorded, live, timeout) and contingency injects, with exact times."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from engine_helpers import at, check_invariants, checked, ended, file_of, incident, kinds, library, load, one, run

from ballotdrill.exercise import Exercise, RunError, run_exercise
from ballotdrill.exercise.decisions import LiveDecisions
from ballotdrill.journal import JOURNAL_FILE, Journal, MemorySink, read_meta

# -- decisions -------------------------------------------------------------------------------------


def _decision_file() -> dict[str, Any]:
    return file_of(
        {"chief": {}, "helper": {}},
        {"p": {"trigger": {"type": "call"}, "steps": [
            {"id": "decide", "actor": "chief", "duration": "10m", "decision": {
                "options": {"go": {"next": "act"}, "stop": {"next": "end"}, "again": {"next": "decide"}},
                "default": "go", "timeout": "20m"}},
            {"id": "act", "actor": "chief", "duration": "15m"}]}},
        [incident("X1", "10:00")])


def _decisions(events: list[Any]) -> list[tuple[float, str, str, str]]:
    return [(e.t, e.data["request"], e.data["option"], e.data["by"]) for e in kinds(events, "decision_made")]


def test_batch_takes_the_default_at_once() -> None:
    events = checked(_decision_file())
    request = one(events, "decision_requested", incident="X1")
    assert request.t == at("10:10") and request.actor == "chief" and request.step == "decide"
    assert request.data == {"procedure": "p", "request": "X1:p:decide:1", "options": ["go", "stop", "again"],
                            "default": "go", "timeout": 20.0}
    assert _decisions(events) == [(at("10:10"), "X1:p:decide:1", "go", "default")]
    assert one(events, "step_completed", step="act").t == at("10:25")


def test_recorded_decisions_are_replayed_by_key() -> None:
    events = checked(_decision_file(), decisions={"X1:p:decide:1": "again", "X1:p:decide:2": "stop"})
    assert _decisions(events) == [(at("10:10"), "X1:p:decide:1", "again", "recorded"),
                                  (at("10:20"), "X1:p:decide:2", "stop", "recorded")]
    assert not [e for e in events if e.step == "act"]
    assert one(events, "procedure_ended").data["outcome"] == "completed"


def test_a_recorded_answer_that_is_not_an_option_is_refused_before_the_run(tmp_path: Path) -> None:
    with pytest.raises(RunError, match="'surrender' is not an option of step 'decide'"):
        run_exercise(load(_decision_file()), "s", seed=1, decisions={"X1:p:decide:1": "surrender"})
    # a key for an incident the scenario never starts would silently replay the default: refused too
    with pytest.raises(RunError, match="names incident 'Z9', which this scenario never starts"):
        run_exercise(load(_decision_file()), "s", seed=1, decisions={"Z9:p:decide:1": "stop"})
    # the record is kept with the run
    recorded = {"X1:p:decide:1": "stop"}
    run_exercise(load(_decision_file()), "s", seed=1, decisions=recorded, out=tmp_path / "r")
    assert json.loads(read_meta(tmp_path / "r" / JOURNAL_FILE)["decisions"]) == recorded


def _live(played: set[str]) -> tuple[Exercise, MemorySink]:
    sink = MemorySink()
    ex = Exercise(load(_decision_file()), "s", Journal(sink), seed=1, decisions=LiveDecisions(played))
    return ex, sink


def test_a_live_player_answers_before_the_timeout() -> None:
    ex, sink = _live({"chief"})
    ex.run(at("10:15"))
    assert list(ex.pending) == ["X1:p:decide:1"]
    assert not ex.answer("X1:p:decide:1", "surrender"), "an unknown option is refused"
    assert not ex.answer("X1:p:decide:7", "stop"), "an unknown request is refused"
    assert ex.answer("X1:p:decide:1", "stop")
    ex.run(at("23:00"))
    ex.finish()
    events = sink.events()
    check_invariants(events)
    assert _decisions(events) == [(at("10:15"), "X1:p:decide:1", "stop", "player")]
    assert events[0].data["until"] == at("23:00"), "a run played in steps stops at the scenario's end"
    assert not ex.pending and not [e for e in events if e.step == "act"]
    assert not ex.answer("X1:p:decide:1", "go"), "an answered request is no longer pending"


def test_an_unanswered_live_decision_times_out_to_the_default() -> None:
    ex, sink = _live({"chief"})
    ex.run(at("10:29"))
    assert "X1:p:decide:1" in ex.pending
    ex.run(at("23:00"))
    ex.finish()
    events = sink.events()
    check_invariants(events)
    assert _decisions(events) == [(at("10:30"), "X1:p:decide:1", "go", "timeout")]
    assert one(events, "step_completed", step="act").t == at("10:45")


def test_a_pending_live_decision_is_open_work_when_the_run_stops() -> None:
    ex, sink = _live({"chief"})
    ex.run(at("10:20"))
    ex.finish()
    events = sink.events()
    check_invariants(events)
    assert ended(events).data["open_steps"] == 1 and ended(events).data["open_incidents"] == ["X1"]


def test_actors_nobody_plays_take_the_default() -> None:
    events = run(load(_decision_file()), 1, provider=LiveDecisions({"helper"}))
    assert _decisions(events) == [(at("10:10"), "X1:p:decide:1", "go", "default")]


# -- contingency injects ---------------------------------------------------------------------------


def _contingency_file(extra: list[dict[str, Any]]) -> dict[str, Any]:
    return file_of(
        {"desk": {}, "gov": {"level": "provincial"}},
        {"p": {"trigger": {"type": "outage"}, "steps": [
            {"id": "assess", "actor": "desk", "duration": "30m", "escalate": "provincial"}]}},
        [incident("X1", "10:00", "outage", spec={"duration": "2h"}), *extra])


def _released(events: list[Any]) -> dict[str, float]:
    return {e.data["inject"]: e.t for e in kinds(events, "inject_delivered") if e.data["contingency"]}


def test_checked_contingencies_are_released_only_if_the_condition_holds_at_their_time() -> None:
    def message(iid: str, clock: str, when: dict[str, Any]) -> dict[str, Any]:
        return {"id": iid, "at": clock, "when": {"incident": "X1", **when}, "message": {"to": "desk", "text": iid}}

    events = checked(_contingency_file([
        message("C1", "11:00", {"is_not": "contained"}),   # holds: X1 runs until 12:00
        message("C2", "13:00", {"is_not": "contained"}),   # no longer
        message("C3", "13:00", {"is": "contained"}),
        message("C4", "08:00", {"is_not": "detected"}),    # before X1 starts: is_not holds ...
        message("C5", "08:00", {"is": "started"}),         # ... and is does not
        message("C6", "11:00", {"is": "escalated", "level": "provincial"}),
        message("C7", "11:00", {"is": "escalated", "level": "federal"}),
    ]))
    assert _released(events) == {"C4": at("08:00"), "C1": at("11:00"), "C6": at("11:00"), "C3": at("13:00")}
    c1 = one(events, "inject_delivered", step=None, actor="desk", t=at("11:00"), incident=None,
             data={"inject": "C1", "type": "message", "text": "C1", "from": "", "contingency": True})
    assert c1.kind == "inject_delivered"


def test_a_contingency_without_a_time_is_released_when_its_state_arrives() -> None:
    events = checked(_contingency_file([
        {"id": "W1", "when": {"incident": "X1", "is": "escalated"}, "message": {"to": "gov", "text": "up"}},
        {"id": "W2", "when": {"incident": "X1", "is": "contained"},
         "incident": {"id": "Y1", "type": "outage", "severity": 4}},
        {"id": "W3", "when": {"incident": "X1", "is": "detected"}, "message": {"to": "desk", "text": "seen"}},
    ]))
    assert one(events, "escalated", incident="X1").t == at("10:30")
    assert _released(events) == {"W3": at("10:00"), "W1": at("10:30"), "W2": at("12:00")}
    y1 = one(events, "incident_started", incident="Y1")
    assert y1.t == at("12:00") and y1.data["inject"] == "W2" and y1.data["severity"] == 4
    assert one(events, "inject_delivered", incident="Y1").seq < y1.seq


def test_an_is_not_contingency_without_a_time_is_released_at_the_start_or_never() -> None:
    """Before its incident starts an ``is_not`` condition holds, so it is released at once (the states never leave).
    The start is read settled, as any timed condition: Y1 starts and is detected at that very instant, so neither
    W2 nor W3 (whatever their place in the list) holds."""
    events = checked(_contingency_file([
        {"id": "W1", "when": {"incident": "X1", "is_not": "contained"}, "message": {"to": "desk", "text": "a"}},
        {"id": "W2", "when": {"incident": "Y1", "is_not": "detected"}, "message": {"to": "desk", "text": "b"}},
        incident("Y1", "06:00", "outage"),
        {"id": "W3", "when": {"incident": "Y1", "is_not": "detected"}, "message": {"to": "desk", "text": "c"}},
    ]))
    assert _released(events) == {"W1": 0.0}


WAVE = {"type": "rumour", "reach": {"initial": 500, "doubling": "40m", "cap": 400000}}


@pytest.mark.parametrize("threshold", [499, 500, 1000, 1500, 2000, 7000, 10000, 12345, 50000, 399999])
def test_reach_above_is_released_when_the_wave_crosses_the_threshold(threshold: int) -> None:
    data = file_of({"desk": {}}, {}, [
        {"id": "N1", "at": "10:00", "incident": WAVE},
        {"id": "C1", "when": {"incident": "N1", "reach_above": threshold}, "message": {"to": "desk", "text": "viral"}}])
    events = checked(data)
    crossing = 40 * math.log2((threshold + 1) / 500) if threshold >= 500 else 0.0
    assert _released(events) == {"C1": pytest.approx(at("10:00") + crossing, abs=1e-6)}
    released = _released(events)["C1"] - at("10:00")
    assert min(400000, int(500 * 2 ** (released / 40))) > threshold
    assert int(500 * 2 ** ((released - 1e-6) / 40)) <= threshold or threshold < 500


def test_reach_above_is_not_released_for_a_wave_contained_first_or_capped_below() -> None:
    contained = {**WAVE, "duration": "30m"}
    data = file_of({"desk": {}}, {}, [
        {"id": "N1", "at": "10:00", "incident": contained},
        {"id": "N2", "at": "10:00", "incident": {"id": "N2", **WAVE}},
        {"id": "C1", "when": {"incident": "N1", "reach_above": 1000}, "message": {"to": "desk", "text": "a"}},
        {"id": "C2", "when": {"incident": "N2", "reach_above": 400000}, "message": {"to": "desk", "text": "b"}}])
    events = checked(data)
    assert _released(events) == {}
    assert one(events, "contained", incident="N1").data["reach"] == int(500 * 2 ** (30 / 40))


def test_library_reach_contingency_is_released_when_the_wave_is_left_to_grow() -> None:
    """results-night-ddos C2 (N1 reach above 50,000): with nobody to counter the wave, it must come."""
    doc = library()
    sc = doc.scenarios["results-night-ddos"]
    for seed in (1, 2, 3):
        events = run(doc, seed, "results-night-ddos")
        reach = {e.incident: e.data.get("reach") for e in kinds(events, "contained")}
        n1 = reach.get("N1", ended(events).data["harm"].get("N1", {}).get("reach"))
        released = "C2" in _released(events)
        assert released == (n1 is not None and n1 > 50000), (seed, n1)
    assert sc.start < sc.end
