"""A delay after an objective's target was passed can still explain its rating, up to the next better band's bound
(``windows.explaining_bound``): for U (M asks only that it be achieved in the run) every delay in what it measures;
for M, the delay before it passed 1.25 × its target (the most an S allows); for S, the delay before the target. A
delay that came once what it measures had passed that bound leaves it past the bound when taken away. Each case
worked by hand on a tiny scenario.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load, voter_outage

from ballotdrill.report.report import Report, assemble

_SLOW = {"dist": "empirical", "values": ["20m", "240m"], "weights": [9, 1]}
"""Usually 20 min, one time in ten 4 h: about 42 min on average."""


def _outage(steps: list[dict[str, Any]], until: str) -> Report:
    """X1 at 10:00, 100 voter-minutes a minute (O1: 5,000, passed at 10:50), its response ``steps``, cut at
    ``until``; the first seed whose 'fix' draws its 4 h."""
    data = voter_outage(steps, {"a": {"staff": 1}, "b": {"staff": 1}, "c": {"staff": 1}}, end="20:00")
    hours, mins = until.split(":")
    for seed in range(1, 60):
        events = checked(data, seed=seed, until_clock=int(hours) * 60 + int(mins))
        begun = [e.t for e in events if e.kind == "step_started" and e.step == "fix"]
        done = [e.t for e in events if e.kind == "step_completed" and e.step == "fix"]
        if begun and (not done or done[0] - begun[0] == 240):
            return assemble(events, load(data), "s")
    raise AssertionError("no seed drew the long 'fix'")


def _slow_fix(report: Report) -> Any:
    return next(f for f in report.analysis.improvements if f.title.startswith("Step 'fix' late"))


def test_slow_work_after_the_target_whose_removal_turns_u_into_m_explains_it() -> None:
    # 'check' (a) 10:00-10:40, then 'fix' (b, contains X1) begun 10:40, on its 4-h draw, 3 h 20 min in at the
    # 14:00 cut: 2 h 38 min beyond its usual 42 min, all of it after 10:50. Without it 'fix' was done at 11:22,
    # within the run: X1 contained at 8,200 voter-minutes, M instead of U. Its slow work explains O1.
    report = _outage([{"id": "check", "actor": "a", "duration": "40m"},
                      {"id": "fix", "actor": "b", "duration": _SLOW, "target": "30m", "effect": {"contain": 1.0}}],
                     "14:00")
    assert report.scores.objectives[0].rating == "U"
    assert _slow_fix(report).explains == ["O1 (U)"]


def test_slow_work_after_the_target_whose_removal_changes_nothing_does_not_explain_it() -> None:
    # the same, with a 6-h 'close' (c) after 'fix' as the containing step and the cut at 16:00: without the slow work
    # 'close' is begun at 11:22 and done at 17:22, after the stop: still U
    report = _outage([{"id": "check", "actor": "a", "duration": "40m"},
                      {"id": "fix", "actor": "b", "duration": _SLOW, "target": "30m"},
                      {"id": "close", "actor": "c", "duration": "6h", "effect": {"contain": 1.0}}], "16:00")
    assert report.scores.objectives[0].rating == "U"
    assert _slow_fix(report).explains == []
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert own.root_cause.startswith("the delays in the response explain nothing: 3 h 18 min of slow work on 'fix', "
                                     "taken away, would not have changed its rating"), own.root_cause


def _timed(check: str, chore: str) -> Report:
    """X1 at 10:00: 'check' (a, ``check``), then 'fix' (b, 10 min), b busy from 10:00 with Y1's ``chore``;
    O1: X1's start to 'fix' done within 1 h (S to 1 h 15 min)."""
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}},
                   {"p": {"trigger": {"type": "call"}, "steps": [
                       {"id": "check", "actor": "a", "duration": check},
                       {"id": "fix", "actor": "b", "duration": "10m"}]},
                    "q": {"trigger": {"type": "chore"}, "steps": [{"id": "chore", "actor": "b", "duration": chore}]}},
                   [incident("X1", "10:00", "call"), incident("Y1", "10:00", "chore")], end="14:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational coordination",
                                             "measure": {"time": "from incident X1 started to step fix"},
                                             "target": "1h"}]
    return assemble(checked(data), load(data), "s")


def _queue(report: Report) -> list[str]:
    return next((f.explains for f in report.analysis.improvements if f.lever == "actor:b"), [])


def test_a_wait_after_the_target_before_the_s_bound_turns_m_into_s() -> None:
    # 'check' 10:00-11:00, on the target; 'fix' waits at b 11:00-11:20, done 11:30: 1 h 30 min, M. Without the
    # 20 min: 1 h 10 min, S. The wait began when the target was passed but before 1 h 15 min: it explains O1 (M)
    report = _timed("60m", "80m")
    assert report.scores.objectives[0].rating == "M"
    assert _queue(report) == ["O1 (M)"]


def test_a_wait_after_the_s_bound_does_not_explain_an_m() -> None:
    # 'check' 10:00-11:16; 'fix' waits at b 11:16-11:40, done 11:50: 1 h 50 min, M. Without the 24 min: 1 h 26 min,
    # M still — a wait that began past 1 h 15 min can never bring it under it
    report = _timed("76m", "100m")
    assert report.scores.objectives[0].rating == "M"
    assert _queue(report) == []


def _capped() -> Report:
    """W1 at 10:00: 1,000 people doubling every 20 min, capped at 50,000 (reached at 11:53); O1: reach within 8,000
    (passed at 11:00). Noticed by a at 12:00: 'tone' (a, 10 min) halves its growth at 12:10, then 'takedown' (b,
    contains it) on its 4-h draw (usually 42 min), done at 16:10."""
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}},
                   {"p": {"trigger": {"type": "rumour"}, "steps": [
                       {"id": "tone", "actor": "a", "duration": "10m", "effect": {"growth": 0.5}},
                       {"id": "takedown", "actor": "b", "duration": _SLOW, "target": "30m",
                        "effect": {"contain": 1.0}}]}},
                   [incident("W1", "10:00", "rumour", spec={"reach": {"initial": 1000, "doubling": "20m",
                                                                      "cap": 50000}},
                             detected_by={"actor": "a", "after": "2h"})], end="20:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Public information",
                                             "measure": {"reach": "W1"}, "target": 8000}]
    for seed in range(1, 60):
        events = checked(data, seed=seed)
        begun = [e.t for e in events if e.kind == "step_started" and e.step == "takedown"]
        done = [e.t for e in events if e.kind == "step_completed" and e.step == "takedown"]
        if begun and done and done[0] - begun[0] == 240:
            return assemble(events, load(data), "s")
    raise AssertionError("no seed drew the long 'takedown'")


def test_slow_work_after_the_wave_reached_its_cap_does_not_explain_it() -> None:
    # U: its harm stopped growing (at its cap, 11:53) before it was contained. Without the 3 h 18 min of slow work
    # 'takedown' is done at 12:52, still after the cap: U. The slowing at 12:10 came before that slow work began
    # (12:52): taking it away does not bring the slowing sooner (which would have kept the wave under its cap).
    report = _capped()
    assert report.scores.objectives[0].rating == "U"
    assert next(f for f in report.analysis.improvements if f.title.startswith("Step 'takedown' late")).explains == []
