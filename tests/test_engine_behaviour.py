"""What the engine does, scenario by scenario: shifts, queues, handoffs, escalation,
harm, actions, early stops. Times in the asserts are minutes since the scenario's start (06:00 unless said).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_helpers import at, check_invariants, checked, ended, file_of, incident, kinds, library, one, run

from ballotdrill.exercise import RunError, run_exercise

# -- shifts ----------------------------------------------------------------------------------------


def _shift_file(end: str = "23:00") -> dict[str, Any]:
    return file_of(
        {"day-desk": {"staff": 0, "shifts": [{"from": "08:00", "to": "20:00", "staff": 1}]}},
        {"p": {"trigger": {"type": "call"}, "steps": [{"id": "handle", "actor": "day-desk", "duration": "30m"}]}},
        [incident("X1", "06:30"), incident("X2", "19:50"), incident("X3", "19:55")], end=end)


def test_work_waits_for_the_shift_and_a_shift_end_does_not_interrupt_work() -> None:
    events = checked(_shift_file())
    staff = [(e.t, e.data["staff"]) for e in kinds(events, "staff_changed")]
    assert staff == [(0.0, 0), (at("08:00"), 1), (at("20:00"), 0)]
    queued = one(events, "step_queued", incident="X1")
    assert queued.t == at("06:30") and queued.data == {"procedure": "p", "queue": 1, "on_duty": 0}
    started = one(events, "step_started", incident="X1")
    assert started.t == at("08:00") and started.data["wait"] == 90
    # X2 starts at 19:50 and finishes at 20:20, after the shift ended; X3 waits for tomorrow's shift.
    assert one(events, "step_started", incident="X2").t == at("19:50")
    assert one(events, "step_completed", incident="X2").t == at("20:20")
    assert one(events, "step_queued", incident="X3").data["on_duty"] == 1
    assert not kinds([e for e in events if e.incident == "X3"], "step_started")
    end = ended(events)
    assert end.data["open_steps"] == 1 and end.data["open_incidents"] == ["X3"]


def test_shifts_repeat_every_day_and_queued_work_starts_with_the_next_shift() -> None:
    events = checked(_shift_file(end="D+1 12:00"))
    staff = [(e.t, e.data["staff"]) for e in kinds(events, "staff_changed")]
    assert staff == [(0.0, 0), (at("08:00"), 1), (at("20:00"), 0), (at("08:00") + 1440, 1)]
    started = one(events, "step_started", incident="X3")
    assert started.t == at("08:00") + 1440 and started.data["wait"] == pytest.approx(12 * 60 + 5)
    assert ended(events).data["open_incidents"] == []


def test_a_night_shift_crossing_midnight() -> None:
    data = file_of({"night": {"staff": 2, "shifts": [{"from": "22:00", "to": "06:00", "staff": 5}]}}, {}, [
        incident("X1", "13:00")], start="12:00", end="D+1 12:00")
    staff = [(e.t, e.data["staff"]) for e in kinds(checked(data), "staff_changed")]
    assert staff == [(0.0, 2), (600.0, 5), (1080.0, 2)]


# -- queues ----------------------------------------------------------------------------------------


def test_queued_work_is_served_most_severe_first_then_in_arrival_order() -> None:
    data = file_of(
        {"desk": {"staff": 1}},
        {"p": {"trigger": {"type": "call"}, "steps": [{"id": "handle", "actor": "desk", "duration": "1h"}]}},
        [incident("A", "10:00", spec={"severity": 1}), incident("B", "10:10", spec={"severity": 1}),
         incident("C", "10:20", spec={"severity": 3}), incident("D", "10:30", spec={"severity": 3}),
         incident("E", "10:40", spec={"severity": 4})])
    events = checked(data)
    order = [e.incident for e in kinds(events, "step_started")]
    assert order == ["A", "E", "C", "D", "B"]
    starts = {e.incident: e.t for e in kinds(events, "step_started")}
    assert [starts[i] for i in order] == [at(c) for c in ("10:00", "11:00", "12:00", "13:00", "14:00")]
    assert [e.data["queue"] for e in kinds(events, "step_queued")] == [1, 2, 3, 4]


# -- handoffs --------------------------------------------------------------------------------------


def _handoff_file(c2_reliability: float, **structure: Any) -> dict[str, Any]:
    return file_of(
        {"sender": {}, "receiver": {}},
        {"p": {"trigger": {"type": "call"}, "steps": [
            {"id": "do", "actor": "receiver", "duration": "10m", **structure.pop("step", {"via": "c1"})}]}},
        [incident("X1", "10:00", detected_by={"actor": "sender"})],
        channels={"c1": {"latency": "2m", "reliability": 0, "retries": 1, "fallback": "c2"},
                  "c2": {"latency": "3m", "reliability": c2_reliability, "retries": 0}},
        **structure)


def _handoff_rows(events: list[Any]) -> list[tuple[Any, ...]]:
    return [(e.t - at("10:00"), e.kind, e.actor, e.data.get("channel"), e.data.get("attempt", e.data.get("attempts")),
             e.data.get("next", "-")) for e in kinds(events, "handoff_sent", "handoff_received", "handoff_failed")]


def test_a_failing_handoff_is_retried_then_rerouted_then_dropped() -> None:
    events = checked(_handoff_file(0.0))
    assert _handoff_rows(events) == [
        (0.0, "handoff_sent", "sender", "c1", 1, "-"),
        (2.0, "handoff_failed", "sender", "c1", 1, "c1"),  # retries: 1 -> the same channel again
        (2.0, "handoff_sent", "sender", "c1", 2, "-"),
        (4.0, "handoff_failed", "sender", "c1", 2, "c2"),  # then the fallback
        (4.0, "handoff_sent", "sender", "c2", 3, "-"),
        (7.0, "handoff_failed", "sender", "c2", 3, None),  # chain exhausted: dropped
    ]
    dropped = one(events, "procedure_ended", incident="X1")
    assert dropped.t == at("10:07") and dropped.data["outcome"] == "dropped"
    assert not kinds(events, "step_queued", "step_started", "contained")
    assert ended(events).data["open_incidents"] == ["X1"] and ended(events).data["open_steps"] == 0


def test_a_rerouted_handoff_arrives_and_the_step_follows() -> None:
    events = checked(_handoff_file(1.0))
    received = one(events, "handoff_received", incident="X1")
    assert received.t == at("10:07") and received.actor == "receiver"
    assert received.data == {"procedure": "p", "from": "sender", "channel": "c2", "latency": 7.0, "attempts": 3}
    assert one(events, "step_started", incident="X1").t == at("10:07")
    # Received, then queued (or started) at the receiver: never before.
    assert one(events, "step_started", incident="X1").seq > received.seq
    assert one(events, "procedure_ended", incident="X1").data["outcome"] == "completed"


def test_the_default_channel_carries_handoffs_without_via_and_none_means_direct() -> None:
    events = checked(_handoff_file(1.0, step={}, default_channel="c2"))
    assert _handoff_rows(events) == [(0.0, "handoff_sent", "sender", "c2", 1, "-"),
                                     (3.0, "handoff_received", "receiver", "c2", 1, "-")]
    events = checked(_handoff_file(1.0, step={}))
    assert _handoff_rows(events) == [(0.0, "handoff_sent", "sender", None, 1, "-"),
                                     (0.0, "handoff_received", "receiver", None, 1, "-")]


def test_no_handoff_when_the_actor_stays_or_nobody_in_particular_detected() -> None:
    data = _handoff_file(1.0)
    data["scenarios"]["s"]["injects"] = [incident("X1", "10:00", detected_by={"actor": "receiver"}),
                                         incident("X2", "11:00")]
    events = checked(data)
    assert not kinds(events, "handoff_sent")
    assert [e.incident for e in kinds(events, "step_started")] == ["X1", "X2"]


# -- escalation ------------------------------------------------------------------------------------


def _escalation_file(injects: list[dict[str, Any]]) -> dict[str, Any]:
    return file_of(
        {"mayor": {}, "governor": {"level": "provincial"}, "minister": {"level": "federal"},
         "cabinet": {"level": "federal"}},
        {"local": {"trigger": {"type": "riot"}, "steps": [
            {"id": "assess", "actor": "mayor", "duration": "20m", "escalate": "provincial"}]},
         "province": {"trigger": {"level": "provincial"}, "steps": [
             {"id": "coordinate", "actor": "governor", "duration": "1h", "escalate": "federal"}]},
         "nation": {"trigger": {"level": "federal", "min_severity": 3}, "steps": [
             {"id": "convene", "actor": "minister", "duration": "30m"}]}},
        injects)


def test_escalation_starts_level_procedures_and_lists_the_level_actors() -> None:
    events = checked(_escalation_file([incident("X1", "10:00", "riot", spec={"severity": 3})]))
    escalated = kinds(events, "escalated")
    assert [(e.t, e.data) for e in escalated] == [
        (at("10:20"), {"from": "municipal", "to": "provincial", "by": "mayor", "actors": ["governor"]}),
        (at("11:20"), {"from": "provincial", "to": "federal", "by": "governor", "actors": ["minister", "cabinet"]}),
    ]
    started = [(e.t, e.data["procedure"]) for e in kinds(events, "procedure_started")]
    assert started == [(at("10:00"), "local"), (at("10:20"), "province"), (at("11:20"), "nation")]
    # The escalating actor is the new procedure's origin: its first step is a handoff.
    sent = [(e.t, e.actor, e.data["to"]) for e in kinds(events, "handoff_sent")]
    assert sent == [(at("10:20"), "mayor", "governor"), (at("11:20"), "governor", "minister")]


def test_an_incident_starting_high_runs_every_level_below_and_is_never_lowered() -> None:
    events = checked(_escalation_file([incident("X1", "10:00", "riot", spec={"severity": 3, "level": "federal"}),
                                       incident("X2", "10:00", "riot", spec={"severity": 1})]))
    x1 = {e.data["procedure"] for e in kinds(events, "procedure_started") if e.incident == "X1"}
    assert x1 == {"local", "province", "nation"}
    assert not [e for e in kinds(events, "escalated") if e.incident == "X1"]
    # severity 1 does not reach the federal procedure's min_severity
    x2 = [e.data["procedure"] for e in kinds(events, "procedure_started") if e.incident == "X2"]
    assert x2 == ["local", "province"]
    assert [e.data["to"] for e in kinds(events, "escalated") if e.incident == "X2"] == ["provincial", "federal"]


# -- harm ------------------------------------------------------------------------------------------


def test_harm_grows_until_containment_and_is_reported_for_open_incidents() -> None:
    wave = {"reach": {"initial": 100, "doubling": "30m", "cap": 1000}, "voters": 10, "stations": 2}
    data = file_of(
        {"desk": {"staff": 3}},
        {"fast": {"trigger": {"type": "fast"}, "steps": [
            {"id": "fix", "actor": "desk", "duration": "1h", "effect": {"contain": 1.0}}]},
         "slow": {"trigger": {"type": "slow"}, "steps": [
             {"id": "fix-slowly", "actor": "desk", "duration": "200m", "effect": {"resolve": True}}]}},
        [incident("W1", "10:00", "fast", spec=wave), incident("W2", "10:00", "slow", spec=wave),
         incident("W3", "20:00", "none", spec=wave),
         incident("W4", "10:00", "none", spec={"duration": "45m", "voters": 1000, "throughput": 0.5})])
    events = checked(data)
    w1 = one(events, "contained", incident="W1")
    assert (w1.t, w1.actor) == (at("11:00"), "desk")
    assert w1.data == {"how": "effect", "reach": 400, "voter_minutes": 600.0, "station_minutes": 120.0}
    w2 = one(events, "contained", incident="W2")
    assert w2.data == {"how": "effect", "reach": 1000, "voter_minutes": 2000.0, "station_minutes": 400.0}
    w4 = one(events, "contained", incident="W4")
    assert (w4.t, w4.actor, w4.data) == (at("10:45"), None, {"how": "ended", "voter_minutes": 45000.0})
    assert one(events, "incident_started", incident="W4").data["throughput"] == 0.5
    end = ended(events)
    assert end.data["open_incidents"] == ["W3"]
    # W3 starts when the polls close (20:00 by default): it reaches people, but costs no votes.
    assert end.data["harm"] == {"W3": {"reach": min(1000, int(100 * 2 ** (180 / 30))), "voter_minutes": 0.0,
                                       "station_minutes": 0.0}}
    assert {e.incident for e in kinds(events, "resolved")} == {"W1", "W2", "W4"}


def test_an_incident_that_ends_before_detection_starts_no_procedure() -> None:
    data = file_of({"desk": {}}, {"p": {"trigger": {"type": "x"}, "steps": [{"id": "s", "actor": "desk"}]}}, [
        incident("X1", "10:00", "x", spec={"duration": "10m"}, detected_by={"actor": "desk", "after": "30m"})])
    events = checked(data)
    assert [(e.t, e.kind) for e in events if e.incident == "X1"][-3:] == [
        (at("10:10"), "contained"), (at("10:10"), "resolved"), (at("10:30"), "detected")]
    assert not kinds(events, "procedure_started")


# -- actions, background arrivals, messages -------------------------------------------------------------


def _action_file(injects: list[dict[str, Any]]) -> dict[str, Any]:
    return file_of(
        {"cell": {"actions": ["convene", "shout"]}, "platform": {}},
        {"meet": {"trigger": {"action": "convene", "min_severity": 2}, "steps": [
            {"id": "meeting", "actor": "platform", "duration": "1h"}]}},
        injects)


def test_scripted_actions_start_action_procedures_once_per_incident() -> None:
    act = [{"id": f"A{k}", "at": clock, "action": {"actor": "cell", "name": "convene", "incident": "X1"}}
           for k, clock in enumerate(["11:00", "12:00"])]
    events = checked(_action_file([incident("X1", "10:00", "x"), *act,
                                   {"id": "A9", "at": "11:30", "action": {"actor": "cell", "name": "shout"}}]))
    taken = [(e.t, e.incident, e.data) for e in kinds(events, "action_taken")]
    assert taken == [(at("11:00"), "X1", {"action": "convene", "by": "scenario"}),
                     (at("11:30"), None, {"action": "shout", "by": "scenario"}),
                     (at("12:00"), "X1", {"action": "convene", "by": "scenario"})]
    started = kinds(events, "procedure_started")
    assert [(e.t, e.data) for e in started] == [(at("11:00"), {"procedure": "meet", "run": 1})]
    assert one(events, "handoff_sent").actor == "cell"  # the actor who took the action is the origin


def test_actions_respect_the_trigger_severity_and_need_a_detected_incident() -> None:
    events = checked(_action_file([
        incident("LOW", "10:00", "x", spec={"severity": 1}),
        incident("LATE", "10:00", "x", detected_by={"actor": "cell", "after": "2h"}),
        *[{"id": f"A{i}", "at": "11:00", "action": {"actor": "cell", "name": "convene", "incident": i}}
          for i in ("LOW", "LATE")]]))
    assert len(kinds(events, "action_taken")) == 2
    assert not kinds(events, "procedure_started")


def test_background_arrivals_are_numbered_limited_and_kept_in_their_window() -> None:
    data = file_of({"desk": {}}, {}, [
        {"id": "B1", "every": {"dist": "exponential", "mean": "5m"}, "from": "10:00", "to": "12:00", "limit": 7,
         "incident": {"type": "x", "title": "Queue at the door", "stations": 1}},
        {"id": "B2", "every": "30m", "from": "14:00", "to": "16:00", "incident": {"id": "Q", "type": "x"}}])
    events = checked(data)
    b1 = [e for e in kinds(events, "incident_started") if e.data["inject"] == "B1"]
    assert [e.incident for e in b1] == [f"B1-{k}" for k in range(1, 8)]
    assert all(at("10:00") < e.t < at("12:00") for e in b1)
    assert all(e.data == {"type": "x", "severity": 2, "level": "municipal", "inject": "B1",
                          "title": "Queue at the door", "stations": 1, "throughput": 0.0} for e in b1)
    b2 = [(e.incident, e.t) for e in kinds(events, "incident_started") if e.data["inject"] == "B2"]
    assert b2 == [("Q-1", at("14:30")), ("Q-2", at("15:00")), ("Q-3", at("15:30"))]
    assert not kinds(events, "inject_delivered")


def test_messages_are_delivered_to_their_actor() -> None:
    data = file_of({"desk": {}}, {}, [
        {"id": "M1", "at": "18:30", "message": {"from": "Newsroom", "to": "desk", "text": "Results: \"where?\""}}])
    delivered = one(checked(data), "inject_delivered")
    assert (delivered.t, delivered.incident, delivered.actor) == (at("18:30"), None, "desk")
    assert delivered.data == {"inject": "M1", "type": "message", "text": "Results: \"where?\"", "from": "Newsroom",
                              "contingency": False}


# -- stopping early and the run folder ------------------------------------------------------------------


def test_until_stops_early_and_reports_open_work() -> None:
    doc = library()
    name = "opening-equipment-failures"
    sc = doc.scenarios[name]
    full = run(doc, 3, name)
    stop = sc.start + 180
    early = run(doc, 3, name, until_clock=stop)
    check_invariants(early)
    assert early[0].data["until"] == 180 and early[0].data["end"] == sc.end - sc.start
    assert ended(early).t == 180
    assert all(e.t <= 180 for e in early)
    assert ended(early).data["open_steps"] > 0 and ended(early).data["open_incidents"]
    # Up to the stop, the early run is the full run.
    same = [e for e in full if e.t < 180]
    assert early[1:len(same)] == same[1:]


@pytest.mark.parametrize("offset", [0, -60, 10**6])
def test_until_outside_the_window_is_refused(offset: float) -> None:
    doc = library()
    sc = doc.scenarios["results-night-ddos"]
    until = sc.start + offset if offset <= 0 else sc.end + 1
    with pytest.raises(RunError, match="--until"):
        run_exercise(doc, "results-night-ddos", until_clock=until)


def test_until_at_the_end_is_the_full_run() -> None:
    doc = library()
    sc = doc.scenarios["results-night-ddos"]
    assert run(doc, 2, "results-night-ddos", until_clock=sc.end) == run(doc, 2, "results-night-ddos")


def test_progress_chunks_journal_the_same_run(tmp_path: Path) -> None:
    doc = library()
    seen: list[tuple[float, float]] = []
    chunked = run_exercise(doc, "results-night-ddos", seed=2, progress=lambda done, total: seen.append((done, total)),
                           chunks=7).events
    assert chunked == run(doc, 2, "results-night-ddos")
    assert len(seen) == 7 and seen[-1][0] == seen[-1][1] == chunked[0].data["until"]


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a folder")
    with pytest.raises(RunError, match="cannot create"):
        run_exercise(library(), "results-night-ddos", out=tmp_path / "taken")
