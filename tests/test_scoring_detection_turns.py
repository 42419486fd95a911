"""A late detection is an objective's cause only where noticing the incident the moment it began could have turned
its rating, tested as any lever is: taken away, the designed response must contain it before its harm passed the
target (or before it ended by itself). Worked by hand."""

from __future__ import annotations

import pytest
from engine_helpers import checked, file_of, load

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
