"""A late detection is an objective's cause only where noticing the incident the moment it began could have turned
its rating, tested as any lever is: taken away, the designed response must contain it before its harm passed the
target (or before it ended by itself); one the response contained, contained that much sooner, must be contained
before its harm passed the target or have done a smaller harm that rates better. Worked by hand."""

from __future__ import annotations

import pytest
from engine_helpers import checked, file_of, load, voter_outage

from ballotdrill.report.report import assemble


def _cause(steps: list[dict[str, object]]) -> tuple[str, str, str]:
    """CP (1 station, 11:00) ends by itself after 15 min and is noticed only 20 min after it began, so no response
    starts; its station-minutes pass O1's target of 10 at 11:10 (U). ``steps``: its procedure 'p'."""
    data = file_of({"pres": {"staff": 3}}, {"p": {"trigger": {"type": "hoax"}, "steps": steps}},
                   [{"id": "CP", "at": "11:00", "detected_by": {"actor": "pres", "after": "20m"},
                     "incident": {"type": "hoax", "stations": 1, "duration": "15m"}}], end="18:00")
    data["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"paper": "18:00"}}
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational coordination",
                                             "measure": {"station_minutes": "CP"}, "target": 10}]
    report = assemble(checked(data), load(data), "s")
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    return report.scores.objectives[0].rating, own.root_cause, own.recommendation


def test_a_late_detection_that_noticed_at_once_could_not_turn_it_is_not_its_cause() -> None:
    # noticed at 11:00, the design evacuates (10 min) and reopens (30 min, contains) at 11:40: after the target
    # was passed (11:10) and after CP ended by itself (11:15): still U. The design is what cannot make it
    rating, cause, fix = _cause([{"id": "evacuate", "actor": "pres", "duration": "10m"},
                                 {"id": "reopen", "actor": "pres", "duration": "30m", "effect": {"contain": 1.0}}])
    assert rating == "U"
    assert not cause.startswith("late detection")
    assert "the designed response does not contain it before its station-minutes passes the 10 target" in cause
    assert fix.startswith("Give p an earlier containing step")


@pytest.mark.parametrize("minutes", ["5m", "12m"])
def test_a_late_detection_whose_removal_could_turn_it_is_its_cause(minutes: str) -> None:
    # noticed at 11:00, 'reopen' contains CP at 11:05 (before the target was passed) or 11:12 (after it, but before
    # CP ended by itself at 11:15: contained by the response, no longer U)
    rating, cause, fix = _cause([{"id": "reopen", "actor": "pres", "duration": minutes, "effect": {"contain": 1.0}}])
    assert rating == "U"
    assert cause.startswith("late detection: pres noticed CP only 20 min after it began")
    assert fix.startswith("Detect hoax incidents sooner at pres")


def _contained(noticed_after: str, work: str) -> tuple[str, str, str]:
    """X1 (100 voters a minute from 10:00; O1: its voter-minutes within 5,000, passed at 10:50) is noticed after
    ``noticed_after`` and contained by 'fix' (``work``) the moment it is done."""
    data = voter_outage([{"id": "fix", "actor": "a", "duration": work, "effect": {"contain": 1.0}}],
                        {"a": {"name": "Desk", "staff": 1}}, detected_by={"actor": "a", "after": noticed_after})
    data["scenarios"]["s"]["election"] = {"opens": "07:00", "closes": {"paper": "20:00"}}
    report = assemble(checked(data), load(data), "s")
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    return report.scores.objectives[0].rating, own.root_cause, own.recommendation


def test_a_late_detection_of_an_incident_contained_late_whatever_it_is_not_its_cause() -> None:
    # noticed at 11:20, contained at 12:30: 15,000 voter-minutes, M. Noticed at once, 'fix' (70 min) contains it at
    # 11:10, after the target was passed, with 7,000: still M (over 1.25 x). Before, any contained incident's late
    # detection was taken as able to turn it
    rating, cause, fix = _contained("80m", "70m")
    assert rating == "M"
    assert not cause.startswith("late detection")
    assert "the designed response does not contain it before its voter-minutes passes the 5,000 target" in cause
    assert fix.startswith("Give p an earlier containing step")


def test_a_late_detection_of_a_contained_incident_whose_removal_turns_it_is_its_cause() -> None:
    # noticed at 11:00, contained at 11:40: 10,000, M; noticed at once, contained at 10:40 with 4,000: P
    rating, cause, fix = _contained("60m", "40m")
    assert rating == "M"
    assert cause.startswith("late detection: Desk noticed X1 only 1 h 00 min after it began")
    assert fix.startswith("Detect outage incidents sooner at Desk")
