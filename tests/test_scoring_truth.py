"""Measures and ratings that tell the truth: one small hand-made scenario per situation, with a known answer.

- ping-pong only off the designed path (a designed A -> B -> A chain is normal; a decision loop is not);
- an incident that ends by itself before the response could contain it is not exercised, never P;
- an objective whose subject never happened in the played window is not exercised, never U;
- work still queued, in progress or travelling at the end is counted as such (late, waiting, in transit);
- a failed containment draw is journalled and narrated.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import at, checked, file_of, incident, load
from scoring_helpers import JournalBuilder, scenario_file

from ballotdrill.journal import Event, Kind
from ballotdrill.report import build_report, render_markdown
from ballotdrill.scoring import Scores, analyse, score
from ballotdrill.scoring.load import actor_names


def _scores(data: dict[str, Any], seed: int = 1, **kwargs: Any) -> tuple[Scores, list[Event]]:
    doc = load(data)
    events = checked(data, seed, **kwargs)
    return score(events, doc, "s"), events


def _objectives(data: dict[str, Any], *objectives: dict[str, Any]) -> dict[str, Any]:
    data["scenarios"]["s"]["objectives"] = list(objectives)
    return data


# -- ping-pong --------------------------------------------------------------------------------------


def _three_actors() -> dict[str, Any]:
    return {"police": {"staff": 2}, "mayor": {"staff": 2}, "president": {"staff": 2}}


def test_a_designed_a_b_a_chain_is_not_ping_pong() -> None:
    steps = [{"id": "assess", "actor": "police", "duration": "5m"},
             {"id": "decide", "actor": "mayor", "duration": "5m"},
             {"id": "act", "actor": "police", "duration": "5m"},
             {"id": "record", "actor": "president", "duration": "5m"}]
    data = file_of(_three_actors(), {"p": {"trigger": {"type": "x"}, "steps": steps}},
                   [incident("X1", "10:00", "x", detected_by={"actor": "president"})])
    scores, _ = _scores(data)
    # president -> police -> mayor -> police -> president: everyone gets the work back, all by design
    assert [(h.sender, h.receiver) for h in scores.handoffs] == [
        ("president", "police"), ("police", "mayor"), ("mayor", "police"), ("police", "president")]
    assert not any(h.ping_pong for h in scores.handoffs) and scores.totals.ping_pongs == 0


def test_a_decision_loop_is_one_ping_pong_naming_the_decision() -> None:
    steps = [{"id": "assess", "actor": "police", "duration": "5m"},
             {"id": "decide", "actor": "mayor", "duration": "5m", "decision": {
                 "options": {"again": {"next": "assess"}, "done": {"next": "end"}}, "default": "done"}}]
    data = file_of(_three_actors(), {"p": {"trigger": {"type": "x"}, "steps": steps}},
                   [incident("X1", "10:00", "x")])
    scores, _ = _scores(data, decisions={"X1:p:decide:1": "again", "X1:p:decide:2": "done"})
    # police -> mayor, (again) mayor -> police, police -> mayor: the loop returned the work once
    assert [(h.sender, h.receiver, h.ping_pong) for h in scores.handoffs] == [
        ("police", "mayor", False), ("mayor", "police", True), ("police", "mayor", False)]
    bounced = scores.handoffs[1]
    assert bounced.returned == "decision 'again' at 'decide' looped the work back to do 'assess' again"
    assert scores.totals.ping_pongs == 1
    findings = analyse(scores, {}, load(data).structure).improvements
    bounce = [f for f in findings if f.cause == "ping_pong"]
    assert len(bounce) == 1 and "decision 'again' at 'decide'" in bounce[0].recommendation


# -- not exercised ----------------------------------------------------------------------------------


def _ddos(ddos_duration: str, detect_after: str) -> dict[str, Any]:
    data = file_of({"cert": {"staff": 2}},
                   {"mitigate": {"trigger": {"type": "ddos"}, "steps": [
                       {"id": "mitigate", "actor": "cert", "duration": "10m", "effect": {"contain": 1.0}}]}},
                   [incident("D1", "10:00", "ddos", spec={"duration": ddos_duration, "voters": 100},
                             detected_by={"actor": "cert", "after": detect_after})])
    return _objectives(
        data,
        {"id": "O1", "capability": "Cybersecurity",
         "measure": {"time": "from incident D1 start to incident D1 contained"}, "target": "1h"},
        {"id": "O2", "capability": "Cybersecurity", "measure": {"voter_minutes": "D1"}, "target": 100000})


def test_an_incident_that_ends_by_itself_before_detection_is_not_exercised_and_no_strength() -> None:
    scores, _ = _scores(_ddos("20m", "1h"))
    d1 = scores.incidents[0]
    assert (d1.contained_how, d1.to_contain, d1.to_detect) == ("ended", 20.0, 60.0)
    ratings = {o.id: o for o in scores.objectives}
    assert ratings["O1"].rating == "NE" and ratings["O2"].rating == "NE"
    assert ratings["O1"].reason == (
        "incident D1 ended by itself (after 20 min), within the target, before the response contained it (nobody had "
        "noticed it by then): the objective was not put to the test, since it was met whatever the response did")
    # rated NE, yet the time to its containment is the 20 min it took to end (a sweep's figures count it)
    assert ratings["O1"].value == 20.0 and ratings["O1"].value_text == "ended by itself (after 20 min)"
    analysis = analyse(scores, {}, None)
    assert not [s for s in analysis.strengths if "O1" in s.title or "O2" in s.title]
    assert analysis.key.ratings["NE"] == 2 and analysis.key.ratings["P"] == 0


def test_an_incident_that_outlasts_the_target_and_ends_by_itself_is_unable_not_met() -> None:
    scores, _ = _scores(_ddos("3h", "5h"))
    o1 = next(o for o in scores.objectives if o.id == "O1")
    assert o1.rating == "U" and o1.reason.startswith("incident D1 ended by itself (after 3 h 00 min), past the "
                                                     "target, before the response contained it")


def test_a_response_that_contains_in_time_is_rated_on_its_value() -> None:
    scores, _ = _scores(_ddos("5h", "10m"))
    o1 = next(o for o in scores.objectives if o.id == "O1")
    assert (o1.rating, o1.value) == ("P", 20.0)


def _unplayed() -> dict[str, Any]:
    data = file_of({"desk": {"staff": 2}},
                   {"p": {"trigger": {"type": "x"}, "steps": [{"id": "answer", "actor": "desk", "duration": "10m"}]}},
                   [incident("X1", "09:00", "x", spec={"duration": "10m"}),
                    {"id": "C1", "at": "10:00", "when": {"incident": "X1", "is_not": "contained"},
                     "incident": {"id": "C1", "type": "x", "stations": 2}},
                    incident("N1", "18:10", "x")])
    return _objectives(
        data,
        {"id": "O1", "capability": "Public information and warning",
         "measure": {"time": "from incident N1 start to step answer"}, "target": "90m"},
        {"id": "O2", "capability": "Infrastructure systems", "measure": {"station_minutes": "C1"}, "target": 60},
        {"id": "O3", "capability": "Operational coordination", "measure": {"on_time": "p"}, "target": 0.8})


def test_objectives_whose_subject_never_happened_are_not_exercised_with_the_reason() -> None:
    scores, _ = _scores(_unplayed(), until_clock=12 * 60.0)
    ratings = {o.id: o for o in scores.objectives}
    assert {o.rating for o in ratings.values()} == {"NE"}
    assert ratings["O1"].reason == "incident N1 starts at 18:10, after the run stopped at 12:00"
    assert ratings["O2"].reason == ("incident C1 never started: its contingency inject C1 "
                                    "(when X1 is not contained at 10:00) was not released")
    assert ratings["O3"].reason.startswith("no step of p with a target")
    analysis = analyse(scores, {}, None)
    assert not [f for f in analysis.improvements if f.cause == "objective"]
    assert "Review the plan" not in analysis.key.first_fix
    doc = load(_unplayed())
    events = checked(_unplayed(), until_clock=12 * 60.0)
    text = render_markdown(build_report(events, doc, "s"))
    assert "Not exercised" in text and "after the run stopped at 12:00" in text
    assert "simulated bands" in text and "rows ." not in text


def test_an_objective_still_within_its_target_when_the_run_stops_is_not_exercised() -> None:
    data = _objectives(_unplayed(), {"id": "O4", "capability": "Public information and warning",
                                     "measure": {"time": "from incident N1 start to incident N1 resolved"},
                                     "target": "2h"})
    scores, _ = _scores(data, until_clock=18 * 60 + 40.0)  # N1 is 30 min old: done in 10 min, resolved
    o4 = next(o for o in scores.objectives if o.id == "O4")
    assert o4.rating == "P"
    # N1 never resolves if nobody works on it: 30 min played of 2 h is not exercised, 3 h played is U
    data["structure"]["procedures"] = {}
    early, _ = _scores(data, until_clock=18 * 60 + 40.0)
    late, _ = _scores(data)
    assert next(o for o in early.objectives if o.id == "O4").rating == "NE"
    assert next(o for o in late.objectives if o.id == "O4").rating == "U"


# -- work in progress at the end --------------------------------------------------------------------


def _helpdesk() -> dict[str, Any]:
    return file_of({"helpdesk": {"name": "Helpdesk", "staff": 1}},
                   {"repair": {"trigger": {"type": "equipment_failure"}, "steps": [
                       {"id": "repair", "actor": "helpdesk", "duration": "4h", "target": "1h"}]}},
                   [incident(f"R{n}", "10:00", "equipment_failure") for n in (1, 2, 3)])


def test_work_queued_at_the_end_makes_the_helpdesk_the_bottleneck() -> None:
    scores, _ = _scores(_helpdesk(), until_clock=13 * 60.0)
    steps = {s.incident: s for s in scores.steps}
    assert [steps[r].status for r in ("R1", "R2", "R3")] == ["in_progress", "queued", "queued"]
    # three hours into a one-hour target: all three are late, whether queued or in progress
    assert all(s.on_time is False and s.late_by == 120.0 and s.elapsed == 180.0 for s in steps.values())
    assert scores.totals.late_steps == 3 and scores.totals.on_time == 0.0 and scores.totals.steps_open == 3
    helpdesk = scores.load[0]
    assert (helpdesk.queued_at_end, helpdesk.wait_max, helpdesk.wait_p90) == (2, 180.0, 180.0)
    key = analyse(scores, actor_names(load(_helpdesk()).structure), load(_helpdesk()).structure).key
    assert key.bottleneck == "helpdesk" and key.bottleneck_text.startswith("Helpdesk was the bottleneck")
    assert "Add or extend a procedure" not in key.first_fix and "Helpdesk" in key.first_fix


def test_a_step_not_yet_past_its_target_at_the_end_is_undecided() -> None:
    scores, _ = _scores(_helpdesk(), until_clock=10 * 60 + 30.0)
    assert all(s.on_time is None and s.late_by is None for s in scores.steps)
    assert scores.totals.on_time is None


def test_a_handoff_travelling_at_the_end_is_in_transit_not_dropped() -> None:
    b = JournalBuilder().start(until=1020.0)
    for incident_id, sent in (("N1", 1010.0), ("N2", 900.0)):
        b.add(sent - 10, "incident_started", incident_id, type="disinformation", severity=3, level="municipal")
        b.add(sent, "handoff_sent", incident_id, "monitoring", "alert-interior", procedure="disinfo-response",
              to="interior", channel="secure-mail", attempt=1)
    b.add(1020.0, "run_ended", open_incidents=["N1", "N2"], open_steps=2, harm={})
    doc = scenario_file()
    scores = score(b.events, doc, "demo")
    fresh, stale = scores.handoffs
    assert (fresh.status, fresh.overdue, fresh.in_transit_for, fresh.usual_latency) == ("in_transit", False, 10.0, 10.0)
    assert (stale.status, stale.overdue, stale.in_transit_for) == ("in_transit", True, 120.0)
    assert scores.totals.drops == 0 and scores.totals.in_transit == 2
    assert [c.drops for c in scores.channels] == [0]
    analysis = analyse(scores, actor_names(doc.structure), doc.structure)
    titles = [f.title for f in analysis.improvements]
    assert "1 handoff(s) overdue on secure-mail at the end" in titles
    assert not [t for t in titles if "never received" in t or "dropped" in t]
    overdue = next(f for f in analysis.improvements if "overdue" in f.title)
    assert "in transit, not dropped" in overdue.detail and overdue.cause == "channel" and overdue.priority > 1
    assert overdue.incidents == ["N2"]


# -- failed containment -------------------------------------------------------------------------------


def test_a_failed_containment_draw_is_journalled_and_narrated() -> None:
    data = file_of({"info": {"name": "Information cell", "staff": 1}},
                   {"debunk": {"trigger": {"type": "disinformation"}, "steps": [
                       {"id": "publish", "actor": "info", "duration": "20m", "effect": {"contain": 0.01}}]}},
                   [incident("N1", "10:00", "disinformation",
                             spec={"reach": {"initial": 100, "doubling": "1h", "cap": 10000}})])
    doc = load(data)
    events = checked(data)  # seed 1 draws above 0.01: the correction does not contain the wave
    failed = [e for e in events if e.kind == Kind.EFFECT_FAILED]
    assert [(e.t, e.actor, e.step) for e in failed] == [(at("10:20"), "info", "publish")]
    report = build_report(events, doc, "s")
    assert "'publish' did not contain it (it had a 1% chance)." in report.narratives["N1"]
    moments = report.moments["N1"]
    assert "At 10:20 'publish' by Information cell did not contain it (its containment effect had a 1% chance " \
        "and failed)." in moments
    assert moments[-1].endswith("its containment attempt failed.")


# -- fix first --------------------------------------------------------------------------------------


def test_fix_first_names_the_queue_behind_the_objective_not_a_flaky_phone() -> None:
    data = file_of(
        {"station": {"name": "Station", "staff": 10}, "helpdesk": {"name": "Helpdesk", "staff": 1}},
        {"repair": {"trigger": {"type": "equipment_failure"}, "steps": [
            {"id": "repair", "actor": "helpdesk", "via": "phone", "duration": "20m", "target": "45m"}]}},
        [incident(f"R{n}", "10:00", "equipment_failure", detected_by={"actor": "station"}) for n in range(1, 7)],
        channels={"phone": {"latency": "1m", "reliability": 0.5, "retries": 1, "fallback": "liaison"},
                  "liaison": {"latency": "10m"}})
    data = _objectives(data, {"id": "O1", "capability": "Infrastructure systems",
                              "measure": {"on_time": "repair"}, "target": 0.9})
    doc = load(data)
    scores, _ = _scores(data, seed=3)
    assert scores.totals.handoff_failures > 0 and scores.totals.drops == 0  # the phone failed, nothing was lost
    assert next(o for o in scores.objectives if o.id == "O1").rating in ("M", "U")
    analysis = analyse(scores, actor_names(doc.structure), doc.structure)
    titles = [f.title for f in analysis.improvements]
    assert titles.index("Queue at Helpdesk") < titles.index("Handoffs failed on phone")
    assert analysis.plan[0].actor == "helpdesk"
    assert analysis.key.first_fix.startswith("Add staff or a surge shift at Helpdesk")
    assert analysis.improvements[0].priority == 1
