""""The designed response does not contain it before its harm passes the target" only when its designed path does
not (``scoring/bydesign.py``). Hand-made.

X1 at 10:00 keeps 100 voters a minute from voting, never contained; O1: its voter-minutes within 5,000, passed at
10:50. Its one step 'fix' (b) contains it with a 1 % chance (the draw fails).

- 'fix' takes 10 min and b is on duty from 11:00: by design 'fix' completes at 10:10, before 10:50; as played it
  completed at 11:10, after, and its draw failed (b's hour in the queue explains nothing: the same draw).
- 'fix' takes 2 h and b is on duty all day: by design 12:00, after 10:50: the designed response does not contain it.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, load, voter_outage

from ballotdrill.report.report import assemble


def _root_cause(duration: str, on_duty: str) -> Any:
    data = voter_outage([{"id": "fix", "actor": "b", "duration": duration, "effect": {"contain": 0.01}}],
                        {"b": {"staff": 0, "shifts": [{"from": on_duty, "to": "23:00", "staff": 1}]}})
    events = checked(data)
    assert [e.kind for e in events if e.step == "fix"][-2:] == ["step_completed", "effect_failed"]
    report = assemble(events, load(data), "s")
    assert report.scores.objectives[0].rating == "U"
    return next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))


def test_a_design_that_contains_before_the_target_is_not_called_too_slow() -> None:
    own = _root_cause("10m", "11:00")
    assert "does not contain it before" not in own.root_cause
    assert own.root_cause.endswith(
        "its designed path completes its containing step 'fix' (a 1% chance) at 10:10, before its voter-minutes passed "
        "the 5,000 target at 10:50; as played it completed at 11:10, after that, and did not contain X1 (its draw "
        "failed, which coming sooner does not undo)"), own.root_cause
    assert own.recommendation.startswith("Bring 'fix' (p) back to its designed time")
    assert own.lever == "step:p/fix"


def test_a_design_slower_than_the_target_is_said_so() -> None:
    own = _root_cause("2h", "06:00")
    assert "the designed response does not contain it before its voter-minutes passes the 5,000 target (it passed " \
           "it at 10:50" in own.root_cause, own.root_cause
    assert "earlier containing step" in own.recommendation
