"""A time to a step carrying a containment, when the incident ended by itself before that step completed: the step
restored nothing, so it is rated as the incident's own end is (not exercised when that came within the target, U
past it), never P or a Strength for a repair of what had already gone. Worked by hand on a tiny scenario."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring.model import ObjectiveResult


def _rated(lasts: str, repair: str) -> ObjectiveResult:
    """X1 at 10:00, ending by itself after ``lasts``; 'check' by a (10 min) then 'repair' (``repair``, contains it
    for certain); O1: from X1's start to 'repair' done within 3 h."""
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "check", "actor": "a", "duration": "10m"},
                       {"id": "repair", "actor": "a", "duration": repair, "effect": {"contain": 1}}]}},
                   [incident("X1", "10:00", "fault", spec={"duration": lasts})], end="18:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Infrastructure systems",
                                             "measure": {"time": "from incident X1 started to step repair"},
                                             "target": "3h"}]
    return assemble(checked(data), load(data), "s").scores.objectives[0]


def test_a_repair_done_before_the_incident_would_have_ended_is_rated_on_its_time() -> None:
    # done at 10:30, before X1 would have ended at 10:40: the repair contained it, 30 min: P
    assert (_rated("40m", "20m").rating, _rated("40m", "20m").value_text) == ("P", "30 min")


def test_a_repair_done_after_the_incident_ended_within_the_target_exercised_nothing() -> None:
    # X1 ended by itself at 10:40; the repair completed at 11:10: it found nothing to restore
    rated = _rated("40m", "1h")
    assert rated.rating == "NE"
    # the repair itself was done (1 h 10 min after X1 began, within the 3 h): the reason says so, never "nothing was
    # exercised"
    assert rated.reason == ("incident X1 ended by itself (after 40 min) before the response could contain it, so "
                            "'repair' contained nothing and no containment was exercised; 'repair' completed 30 min "
                            "after it had ended (at 11:10), 1 h 10 min after incident X1 started, within the "
                            "3 h 00 min target")
    late = _rated("40m", "3h")  # the repair at 13:10, 3 h 10 min after X1 began: still NE, and said past the target
    assert late.rating == "NE" and late.reason.endswith("(at 13:10), 3 h 10 min after incident X1 started, past the "
                                                        "3 h 00 min target")


def test_a_repair_done_after_the_incident_ended_past_the_target_is_u() -> None:
    # X1 ended by itself at 14:00, past the 3 h target (13:00); the repair completed at 15:10: not contained by the
    # response within the target, whatever came after (before: M, 5 h 10 min)
    rated = _rated("4h", "5h")
    assert rated.rating == "U"
    assert rated.reason.startswith("incident X1 ended by itself (after 4 h 00 min), past the target, before the "
                                   "response contained it;")
    assert rated.reason.endswith("; 'repair' completed only 1 h 10 min after it had ended (at 15:10)")


def test_a_measure_from_detection_says_its_figure_is_from_detection_not_the_incidents_life() -> None:
    # X1 at 10:00, noticed after 10 min, ends by itself at 10:40 (30 min after its detection); the repair completes
    # at 11:20: measured from detection, 30 min, said so (the incident itself lasted 40 min)
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "check", "actor": "a", "duration": "10m"},
                       {"id": "repair", "actor": "a", "duration": "1h", "effect": {"contain": 1}}]}},
                   [incident("X1", "10:00", "fault", spec={"duration": "40m"},
                             detected_by={"actor": "a", "after": "10m"})], end="18:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Infrastructure systems",
                                             "measure": {"time": "from incident X1 detected to step repair"},
                                             "target": "3h"}]
    rated = assemble(checked(data), load(data), "s").scores.objectives[0]
    assert rated.rating == "NE"
    assert rated.reason.startswith("incident X1 ended by itself (30 min after incident X1 detected) before the "
                                   "response could contain it")
