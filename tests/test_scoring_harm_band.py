"""A delay explains a harm objective when, taken away, its incident contained that much sooner would have done a
smaller harm that rates better, not only when it would have been contained before its harm passed the target
(scoring/turning.py, ``sooner_rating``). Hand-made cases with known answers.

X1 at 10:00 keeps 100 voters a minute from voting until it is contained. Its one step 'fix' (b, 60 min) contains
it for sure; b comes on duty at 10:20, so 'fix' waits 20 min in b's queue and X1 is contained at 11:20: 8,000
voter-minutes.

- Target 5,500 (passed at 10:55): 8,000 is 1.45 × the target, M. Without b's 20 min X1 is contained at 11:00,
  after the target was passed, with 6,000 voter-minutes: 1.09 × the target, S. b's queue turned M into S: it
  explains O1.
- Target 4,000 (passed at 10:40): 8,000 is 2 × the target, M; without the wait 6,000, 1.5 × the target, still M.
  b's queue explains nothing, and O1's own finding says that taken away it would not have changed its rating.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import Report, assemble


def _outage(target: int) -> Report:
    steps = [{"id": "fix", "actor": "b", "duration": {"dist": "fixed", "value": "60m"}, "effect": {"contain": 1.0}}]
    data: dict[str, Any] = file_of({"b": {"staff": 0, "shifts": [{"from": "10:20", "to": "23:00", "staff": 1}]}},
                                   {"p": {"trigger": {"type": "outage"}, "steps": steps}},
                                   [incident("X1", "10:00", "outage", spec={"voters": 100})], end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"voter_minutes": "X1"}, "target": target}]
    events = checked(data)
    contained = next(e for e in events if e.kind == "contained")
    assert contained.t == 320.0  # 11:20
    return assemble(events, load(data), "s")


def _queue(report: Report) -> Any:
    return next(f for f in report.analysis.improvements if f.title.startswith("One long wait at b"))


def test_a_delay_whose_removal_rates_a_smaller_harm_better_explains_it() -> None:
    report = _outage(5500)
    objective = report.scores.objectives[0]
    assert (objective.value, objective.rating) == (8000.0, "M")
    assert _queue(report).explains == ["O1 (M)"]


def test_a_delay_whose_removal_leaves_the_band_explains_nothing_and_is_told_so() -> None:
    report = _outage(4000)
    objective = report.scores.objectives[0]
    assert (objective.value, objective.rating) == (8000.0, "M")
    assert _queue(report).explains == []
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert "20 min of waiting at b, taken away, would not have changed its rating" in own.root_cause, own.root_cause
