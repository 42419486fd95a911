"""A step late only after its incident had ended by itself still counts against its target (an on-time objective
counts every step with one), and its finding says the incident had already ended: the lateness cost no harm. Worked
by hand: incidents X1 and X2 start at 10:00 and are noticed at once; 'fix' (40 min of work, a 30 min target) runs
late from 10:30 and completes at 10:40.

- X1 ends by itself at 10:10, before 'fix' ran late: its finding says X1 had ended at 10:10, 30 min before.
- X2 ends by itself at 10:35, after 'fix' ran late at 10:30: the lateness was while it lasted; nothing is added.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report
from ballotdrill.scoring.model import IncidentTimes, StepResult
from ballotdrill.scoring.stepcause import ended_before_late

ENDED = ", which had already ended by itself at 10:10, 30 min before it was completed: its lateness cost no harm"


def _report(ends: str) -> Any:
    procedures = {"p": {"trigger": {"type": "fault"}, "steps": [
        {"id": "fix", "actor": "a", "duration": "40m", "target": "30m", "effect": {"contain": 1}}]}}
    injects = [incident("X1", "10:00", "fault", spec={"duration": ends}, detected_by={"actor": "a", "after": "0m"})]
    data = file_of({"a": {"staff": 1}}, procedures, injects, start="09:00", end="13:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational coordination",
                                             "measure": {"on_time": "all"}, "target": 0.8}]
    return build_report(checked(data), load(data), "s")


def _finding(report: Any) -> Any:
    return next(f for f in report.analysis.improvements if f.title == "Step 'fix' late (1 of 1)")


def test_a_step_late_after_its_incident_ended_still_counts_and_says_it_cost_no_harm() -> None:
    report = _report("10m")
    objective = next(o for o in report.scores.objectives if o.id == "O1")
    assert (objective.value, objective.rating) == (0.0, "U")  # the step is counted: late against its target
    detail = _finding(report).detail
    assert detail == f"'fix' (p) by a missed its 30 min target by up to 10 min (incident X1{ENDED})."


def test_a_step_late_while_its_incident_lasted_says_nothing_more() -> None:
    detail = _finding(_report("35m")).detail
    assert detail == "'fix' (p) by a missed its 30 min target by up to 10 min (incident X1)."


def test_the_rule_by_hand() -> None:
    start = 9 * 60.0  # journal time 0 is 09:00; X1 starts at 10:00 (60)
    step = StepResult(incident="X1", procedure="p", step="fix", actor="a", started_at=60, completed_at=100,
                      target=30, late_by=10, on_time=False)

    def told(how: str | None, took: float) -> str:
        return ended_before_late(step, {"X1": IncidentTimes(incident="X1", started_at=60, to_contain=took,
                                                             contained_how=how)}, start)
    assert told("ended", 10) == ENDED
    assert told("ended", 30).startswith(", which had already ended by itself at 10:30")  # exactly when it ran late
    assert told("ended", 35) == ""  # it ran late while the incident lasted
    assert told("contained", 10) == ""  # contained by the response: not ended by itself
    assert ended_before_late(step, {}, start) == ""
