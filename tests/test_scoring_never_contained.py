"""A delay explains a harm objective whose incident was never contained only if taking it away could have let the
containment come before the harm passed the target (scoring/ranking.py, ``could_turn``). Hand-made cases with
known answers.

X1 at 10:00 keeps 100 voters a minute from voting until it is contained; O1: voter-minutes of X1 within 5,000,
passed at 10:50. Its one step 'fix' (b, 10 min) contains it with a chance. b is not on duty at first.

- b comes on duty at 13:55 and the run stops at 14:00: 'fix' is still in progress, the response under way. Without
  b's 3 h 55 min in the queue it could have come, at the earliest, 3 h 55 min before 14:00 (10:05), before 10:50:
  b's queue explains O1 (U).
- b comes on duty at 11:00; 'fix' completes at 11:10 and its 1 % draw fails: never contained, nothing left under
  way. Taking b's hour in the queue away would have brought the same failed draw an hour sooner, not a
  containment: b's queue explains nothing, and O1's own finding says so (all its 60 min, U, explain nothing).
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, load, voter_outage

from ballotdrill.report.report import assemble


def _outage(on_duty: str, contain: float) -> Any:
    data = voter_outage([{"id": "fix", "actor": "b", "duration": "10m", "effect": {"contain": contain}}],
                        {"b": {"staff": 0, "shifts": [{"from": on_duty, "to": "23:00", "staff": 1}]}})
    events = checked(data)
    assert not [e for e in events if e.kind == "contained"]
    return assemble(events, load(data), "s")


def test_a_queue_before_a_containment_still_under_way_explains_the_harm() -> None:
    report = _outage("13:55", 1.0)
    assert report.scores.objectives[0].rating == "U"
    queue = next(f for f in report.analysis.improvements if f.title == "One long wait at b")
    assert queue.explains == ["O1 (U)"]


def test_a_queue_before_a_containment_that_failed_its_draw_explains_nothing() -> None:
    report = _outage("11:00", 0.01)
    assert report.scores.objectives[0].rating == "U"
    queue = next(f for f in report.analysis.improvements if f.title == "One long wait at b")
    assert queue.explains == []
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert own.root_cause.startswith("the delays in the response explain nothing: "
                                     "1 h 00 min of waiting at b, taken away, would not have changed its rating"), \
        own.root_cause
