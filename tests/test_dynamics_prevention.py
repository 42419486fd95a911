"""Preventive actions: an action taken before an incident shortens it, slows its wave or hastens its detection."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import ended, file_of, kinds, load, one, run
from format_helpers import BASE, only_problem, replace_once

from ballotdrill.exercise import Exercise
from ballotdrill.journal import Contained, Journal, Kind, MemorySink, Mitigated, RunEnded
from ballotdrill.scenarios.deadconfig import warnings

START = 6 * 60.0
ACTORS = {"nccn": {"staff": 1, "actions": ["warn-targets", "prebunk"]}, "cert": {"staff": 1}}
PROCS = {"p": {"trigger": {"type": "ddos"}, "steps": [{"id": "triage", "actor": "cert", "duration": "10m"}]}}


def ddos(*mitigations: dict[str, Any], at: str = "10:00", **extra: Any) -> dict[str, Any]:
    """A 2-hour DDoS on 100 voters' site, detected by the CERT 20 minutes in."""
    return {"at": at, "incident": {"id": "D1", "type": "ddos", "duration": "2h", "voters": 100,
                                   "mitigated_by": list(mitigations), **extra},
            "detected_by": {"actor": "cert", "after": "20m"}}


def warn(at: str, incident: str | None = None) -> dict[str, Any]:
    return {"at": at, "action": {"actor": "nccn", "name": "warn-targets",
                                 **({"incident": incident} if incident else {})}}


def test_a_warned_target_recovers_in_half_the_time() -> None:
    """Warned at 09:00, the 2h DDoS at 10:00 lasts 1h: 100 voters * 60 minutes lost, not 120."""
    events = run(file_of(ACTORS, PROCS, [warn("09:00"), ddos({"action": "warn-targets", "duration": 0.5})]))
    mitigated = one(events, Kind.MITIGATED, incident="D1")
    assert mitigated.t == 10 * 60 - START and mitigated.actor == "nccn"
    assert mitigated.fields(Mitigated) == Mitigated(action="warn-targets", taken_at=3 * 60.0, duration=0.5)
    contained = one(events, Kind.CONTAINED)
    assert contained.t == 11 * 60 - START and contained.fields(Contained).how == "ended"
    assert contained.fields(Contained).voter_minutes == 6000


def test_an_action_after_the_start_or_on_another_incident_mitigates_nothing() -> None:
    mitigation = {"action": "warn-targets", "duration": 0.5}
    late = run(file_of(ACTORS, PROCS, [ddos(mitigation), warn("10:30")]))
    other = run(file_of(ACTORS, PROCS, [
        {"at": "08:00", "incident": {"id": "X9", "type": "other"}}, warn("09:00", incident="X9"), ddos(mitigation)]))
    for events in (late, other):
        assert not kinds(events, Kind.MITIGATED)
        assert one(events, Kind.CONTAINED, incident="D1").t == 12 * 60 - START
    named = run(file_of(ACTORS, PROCS, [warn("09:00", incident="D1"), ddos(mitigation)]))
    assert one(named, Kind.CONTAINED, incident="D1").t == 11 * 60 - START


def test_earlier_detection_and_slower_growth_multiply_and_are_journalled() -> None:
    """Prebunked at 08:00: detected after 5m (20m * 0.25) and doubling every 1h (30m / 0.5): 2000 at 12:00."""
    wave = {"initial": 500, "doubling": "30m", "cap": 10**6}
    inject = ddos({"action": "prebunk", "detection": 0.5, "growth": 0.5}, {"action": "warn-targets", "detection": 0.5},
                  reach=wave)
    inject["incident"]["type"] = "disinformation"
    inject["incident"].pop("duration")
    inject["incident"].pop("voters")
    prebunk = {"at": "08:00", "action": {"actor": "nccn", "name": "prebunk"}}
    events = run(file_of(ACTORS, PROCS, [prebunk, warn("08:30"), inject], end="12:00"))
    assert [e.fields(Mitigated).action for e in kinds(events, Kind.MITIGATED)] == ["prebunk", "warn-targets"]
    assert one(events, Kind.DETECTED).t == 10 * 60 + 5 - START
    assert ended(events).fields(RunEnded).harm["D1"]["reach"] == 2000


def test_a_players_action_in_live_play_mitigates_the_incident_that_comes() -> None:
    doc = load(file_of(ACTORS, PROCS, [ddos({"action": "warn-targets", "duration": 0.25})]))
    sink = MemorySink()
    exercise = Exercise(doc, "s", Journal(sink), seed=1)
    exercise.run(2 * 60.0)                                          # 08:00
    exercise.take_action("nccn", "warn-targets", None, by="player")
    exercise.run(17 * 60 - START)
    exercise.finish()
    events = sink.events()
    assert one(events, Kind.MITIGATED).fields(Mitigated).taken_at == 2 * 60.0
    assert one(events, Kind.CONTAINED).t == 10 * 60 + 30 - START


def test_a_duration_share_of_zero_prevents_the_incident() -> None:
    events = run(file_of(ACTORS, PROCS, [warn("09:00"), ddos({"action": "warn-targets", "duration": 0})]))
    contained = one(events, Kind.CONTAINED)
    assert contained.t == 10 * 60 - START and contained.fields(Contained).voter_minutes == 0
    assert not kinds(events, Kind.PROCEDURE_STARTED)           # over before anyone noticed


def test_mitigations_are_checked_where_they_are_written() -> None:
    base = replace_once(BASE, "cell-a: {staff: 2}", "cell-a: {staff: 2, actions: [warn]}")

    def problem_of(mitigation: str, incident: str = "{id: X1, type: outage, duration: 1h, ") -> str:
        found = only_problem(replace_once(base, "{id: X1, type: outage}", f"{incident}mitigated_by: [{mitigation}]}}"))
        assert found.line == 21, found
        return found.message

    assert "needs 'duration', 'detection' or 'growth'" in problem_of("{action: warn}")
    no_duration = "{id: X1, type: outage, "
    assert "'duration', which it does not have" in problem_of("{action: warn, duration: 0.5}", no_duration)
    assert "wave, which it does not have" in problem_of("{action: warn, growth: 0.5}")
    assert "detected at once" in problem_of("{action: warn, detection: 0.5}")
    assert "action 'warm', which is not defined (did you mean 'warn'?)" in problem_of("{action: warm, duration: 0.5}")
    assert "'duration' must be <= 1.0 (got 2)" in problem_of("{action: warn, duration: 2}")
    assert load(replace_once(base, "{id: X1, type: outage}",
                             "{id: X1, type: outage, duration: 1h, mitigated_by: [{action: warn, duration: 0.5}]}"))


def test_with_and_without_the_warning_the_same_draws_are_scaled() -> None:
    """Common random numbers: for each seed the warned outage lasts exactly half the unwarned one."""
    spread = {"dist": "lognormal", "median": "1h", "p90": "3h"}
    for seed in (1, 2, 3):
        lasted = []
        for at in ("09:00", "11:00"):                                  # before the 10:00 attack, then after it
            inject = ddos({"action": "warn-targets", "duration": 0.5})
            inject["incident"]["duration"] = spread
            events = run(file_of(ACTORS, PROCS, [warn(at), inject], end="23:00"), seed=seed)
            lasted.append(one(events, Kind.CONTAINED).t - (10 * 60 - START))
        assert lasted[0] == pytest.approx(lasted[1] * 0.5, rel=1e-12)


def test_a_mitigating_action_is_not_dead_but_an_unscripted_one_is_live_only() -> None:
    mitigation = {"action": "warn-targets", "duration": 0.5}
    scripted = warnings(load(file_of(ACTORS, PROCS, [warn("09:00"), ddos(mitigation)])))
    assert [w.message for w in scripted if "warn-targets" in w.message] == []
    live_only = warnings(load(file_of(ACTORS, PROCS, [ddos(mitigation)])))
    found = [w for w in live_only if "warn-targets" in w.message]
    assert len(found) == 1 and not found[0].batch
    assert found[0].path == ("scenarios", "s", "injects", 0, "incident", "mitigated_by", 0, "action")
    assert "only a live player taking it can apply the mitigation" in found[0].message
