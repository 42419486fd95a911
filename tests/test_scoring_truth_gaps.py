"""Hand-made cases with known answers for the ranking's reading of a run (scoring/ranking.py, objective_cause.py,
bottleneck.py, harmpath.py).

- A time objective to a containing step ends, in the ranking as in the rating, where the containment took hold:
  a completion whose containment failed is not its end point, so a queue after it, before the target, explains
  the objective.
- An open incident with a natural end is not contained by its procedures completing, so their delays are no
  cause of its harm; without a natural end they are.
- An escalation counts as able to change the harm only when the level it reaches starts a procedure that could.
- Voter-minutes that had stopped growing when the polls closed, before anything contained the incident, were not
  limited by the response (U, as a wave at its cap); far past the target but limited, M whatever the multiple.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import at, checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scenarios.measures import parse_interval
from ballotdrill.scoring.windows import objective_windows, point_time


def _failed_then_held() -> dict[str, Any]:
    """X1 at 10:00. 'quick' (a, 10 min) tries a takedown that seldom holds (a 1 % chance) at 10:10; 'full' has c
    prepare for 10 min and then b take it down for 10 min, but b comes on duty only at 10:40: queued 10:10-10:40,
    the takedown (certain) completes at 10:50. O1: from X1's start to step 'takedown' within 40 min."""
    data = file_of(
        {"a": {"staff": 1}, "c": {"staff": 1},
         "b": {"staff": 0, "shifts": [{"from": "10:40", "to": "23:00", "staff": 1}]}},
        {"quick": {"trigger": {"type": "ddos"}, "steps": [
            {"id": "takedown", "actor": "a", "duration": "10m", "effect": {"contain": 0.01}}]},
         "full": {"trigger": {"type": "ddos"}, "steps": [
             {"id": "prepare", "actor": "c", "duration": "10m"},
             {"id": "takedown", "actor": "b", "duration": "10m", "effect": {"contain": 1.0}}]}},
        [incident("X1", "10:00", "ddos")])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Cybersecurity", "measure": {"time": "from incident X1 start to step takedown"},
         "target": "40m"}]
    return data


def test_a_failed_containment_is_not_a_time_objective_s_end_point_in_the_ranking() -> None:
    data = _failed_then_held()
    doc = load(data)
    events = checked(data)
    assert [(e.t, e.actor) for e in events if e.kind == "effect_failed"] == [(at("10:10"), "a")]  # the 99 %
    report = assemble(events, doc, "s")
    scores = report.scores
    o1 = scores.objectives[0]
    assert (o1.rating, o1.value) == ("S", 50.0)  # 10:00 to 10:50, within 1.25 × 40 min
    end = parse_interval(o1.subject).end
    assert point_time(scores, end) == at("10:10")  # read without the structure: the first completion
    assert point_time(scores, end, doc.structure) == at("10:50")  # where the containment took hold
    assert objective_windows(o1, scores, structure=doc.structure) == {"X1": (at("10:00"), at("10:40"))}
    # b's 30 min in the queue (10:10-10:40) came before the target: its lever explains O1
    explained = [f for f in report.analysis.improvements if "O1 (S)" in f.explains]
    assert [f.lever for f in explained] == ["actor:b"]


def _outage(duration: str | None) -> dict[str, Any]:
    """X1 at 10:00, an outage keeping 100 voters a minute from voting; its procedure has no effect: 'log' (a, 10
    min), then 'notify' (b, 10 min), b on duty only from 12:00 (queued 10:10-12:00). The exercise ends at 14:00.
    With a natural end (``duration``) completing the procedure at 12:10 does not contain it: still open at 14:00.
    Without one, completing it does (12:10)."""
    steps = [{"id": "log", "actor": "a", "duration": "10m"}, {"id": "notify", "actor": "b", "duration": "10m"}]
    spec: dict[str, Any] = {"voters": 100, **({"duration": duration} if duration else {})}
    data = file_of({"a": {"staff": 1}, "b": {"staff": 0, "shifts": [{"from": "12:00", "to": "23:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "outage"}, "steps": steps}},
                   [incident("X1", "10:00", "outage", spec=spec)], end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"voter_minutes": "X1"}, "target": 5000}]
    return data


def _lever_share(report: Any, lever: str) -> float:
    return max(f.harm_share for f in report.analysis.improvements if f.lever == lever)


def test_an_open_incident_with_a_natural_end_is_not_contained_by_its_procedures_so_their_delays_are_no_cause() -> None:
    data = _outage("6h")
    report = assemble(checked(data), load(data), "s")
    x1 = report.scores.incidents[0]
    assert x1.to_contain is None  # still open at 14:00: its procedure completed at 12:10 and it runs till 16:00
    assert report.scores.objectives[0].rating == "U"
    assert _lever_share(report, "actor:b") == 0.0  # notifying sooner would not have stopped any of it
    assert not any("O1 (U)" in f.explains for f in report.analysis.improvements)


def test_without_a_natural_end_completing_the_procedure_contains_it_and_its_queue_is_the_cause() -> None:
    data = _outage(None)
    report = assemble(checked(data), load(data), "s")
    x1 = report.scores.incidents[0]
    assert (x1.to_contain, x1.contained_how) == (130.0, "completed")  # 12:10
    # b's 110 min in the queue of the 130 min of harm: the whole run's harm, so 110/130 of it behind b
    assert _lever_share(report, "actor:b") == round(110 / 130, 3)
    assert report.scores.objectives[0].rating == "M"  # 13,000 voter-minutes, contained
    assert [f.lever for f in report.analysis.improvements if "O1 (M)" in f.explains] == ["actor:b"]


def _threat(order: dict[str, Any] | None) -> dict[str, Any]:
    """Y1 at 10:00 (100 voters a minute kept away). 'report-up' (b, 10 min, on duty from 12:00: queued till 12:00)
    escalates it to provincial, where the governor's procedure starts: 'order' (c, 10 min, with ``order`` as its
    effect). 'evacuate' (a, 3 h, certain) contains it at 13:00 whatever happens."""
    order_step: dict[str, Any] = {"id": "order", "actor": "c", "duration": "10m",
                                  **({"effect": order} if order else {})}
    data = file_of(
        {"a": {"staff": 1}, "c": {"staff": 1}, "b": {"staff": 0, "shifts": [{"from": "12:00", "to": "23:00",
                                                                                "staff": 1}]}},
        {"up": {"trigger": {"type": "threat"}, "steps": [
            {"id": "report-up", "actor": "b", "duration": "10m", "escalate": "provincial"}]},
         "clear": {"trigger": {"type": "threat"}, "steps": [
             {"id": "evacuate", "actor": "a", "duration": "3h", "effect": {"contain": 1.0}}]},
         "governor": {"trigger": {"type": "threat", "level": "provincial"}, "steps": [order_step]}},
        [incident("Y1", "10:00", "threat", spec={"voters": 100})])
    return data


def test_an_escalation_that_starts_nothing_able_to_stop_the_harm_is_no_cause_of_it() -> None:
    data = _threat(None)
    report = assemble(checked(data), load(data), "s")
    y1 = report.scores.incidents[0]
    assert (y1.to_contain, y1.escalations) == (180.0, ["provincial"])  # evacuated at 13:00; escalated at 12:10
    assert _lever_share(report, "actor:b") == 0.0


def test_an_escalation_that_starts_a_containing_procedure_makes_its_delay_a_cause() -> None:
    data = _threat({"contain": 1.0})
    report = assemble(checked(data), load(data), "s")
    y1 = report.scores.incidents[0]
    assert y1.to_contain == 140.0  # escalated at 12:10, the governor's order contains it at 12:20
    assert _lever_share(report, "actor:b") == round(120 / 140, 3)  # b's 2 h queue, of its 140 min of harm


def _outage_polls(close: str) -> dict[str, Any]:
    """The outage X1 without a natural end (contained when its procedure completes, 12:10), the polls open 08:00 to
    ``close``, the objective 2,000 voter-minutes."""
    data = _outage(None)
    data["scenarios"]["s"]["polls"] = {"open": "08:00", "close": close}
    data["scenarios"]["s"]["objectives"][0]["target"] = 2000
    return data


def test_harm_that_had_stopped_growing_when_the_polls_closed_was_not_limited_by_the_response() -> None:
    """The stations close at 11:00, the outage is contained only at 12:10: its 100 voters a minute for 10:00-11:00
    (6,000) are all it could do, as a wave at its cap: U, not M (3 × the target)."""
    data = _outage_polls("11:00")
    report = assemble(checked(data), load(data), "s")
    o1 = report.scores.objectives[0]
    assert (o1.rating, o1.value_text) == ("U", "6,000, all its polling hours")
    assert o1.reason == ("incident X1's polling stations closed at 11:00, before anything contained it: its "
                         "voter-minutes (6,000) ran for all their open hours, so the response did not limit them")


def test_harm_far_past_its_target_but_limited_by_the_response_stays_m() -> None:
    """The stations close at 13:00: contained at 12:10, the outage's 13,000 voter-minutes are 6.5 × the target, but
    the response stopped them 50 min before they would have run out: M (HSEEP: completed, with a major negative
    impact), whatever the multiple (no multiple of the target makes it U)."""
    data = _outage_polls("13:00")
    report = assemble(checked(data), load(data), "s")
    o1 = report.scores.objectives[0]
    assert (o1.rating, o1.value, o1.reason) == ("M", 13000.0,
                                                "missed the target by more than 25% (more than 2 × the target)")
