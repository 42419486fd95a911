"""A run cut short (``--until``), each case worked by hand on a tiny scenario.

- A harm objective whose containing step was under way at the cut is not exercised while its harm was within the
  target ("so far, within the target", also when equal to it), and U once its harm had passed the target.
- A handoff still travelling at the cut, overdue, explains an objective only if the designed path still to do
  after it (the step it carries, and on to the step that slows the wave, or the step a time is measured to) could
  have come before the target was passed with its delay taken away — not merely "the end of the run less the
  delay".
- A lever's harm share says it is a share of the time harm was done, not of harm avoided.
- The story of an incident whose response waits on a handoff in transit says so, never that its procedures ended.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.build import laid_out
from ballotdrill.report.render_md import render_markdown
from ballotdrill.report.report import Report, assemble
from ballotdrill.report.sections_back import priority_reason


def _bomb(until: str, chance: float = 1) -> Report:
    """X1 at 10:00 with one polling station (1 station-minute a minute); 'sweep' by a from 10:00, 60 min, contains
    it with ``chance``; the objective: at most 30 station-minutes."""
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "bomb"}, "steps": [
                       {"id": "sweep", "actor": "a", "duration": "60m", "effect": {"contain": chance}}]}},
                   [incident("X1", "10:00", "bomb", spec={"stations": 1})], end="14:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "On-scene security",
                                             "measure": {"station_minutes": "X1"}, "target": 30}]
    hours, mins = until.split(":")
    return assemble(checked(data, until_clock=int(hours) * 60 + int(mins)), load(data), "s")


def test_a_harm_objective_cut_while_its_containing_step_is_under_way() -> None:
    # cut at 10:20: 20 station-minutes, the sweep under way: its band is not known yet
    early = _bomb("10:20").scores.objectives[0]
    assert (early.rating, early.value_text) == ("NE", "20 so far, still open")
    assert early.reason == "incident X1 was still open when the run stopped at 10:20 (20 so far, within the target)"
    # cut at 10:30: 30, equal to the target: still within it
    assert _bomb("10:30").scores.objectives[0].reason.endswith("(30 so far, within the target)")
    # cut at 10:40: 40 past the 30 target, not contained: the players had the whole target
    late = _bomb("10:40").scores.objectives[0]
    assert (late.rating, late.value_text) == ("U", "40 when the run stopped, not contained")


def test_a_containing_step_that_always_contains_is_not_told_to_be_likelier() -> None:
    def fix(chance: float) -> str:
        return next(f.recommendation for f in _bomb("10:40", chance).analysis.improvements
                    if f.title.startswith("Objective O1"))
    assert fix(1) == "Give p an earlier containing step for bomb incidents, so X1 is contained within the target"
    assert fix(0.8).startswith("Give p an earlier containing step (or a likelier one) for bomb incidents")


def _wave(correct: str) -> Report:
    """W1 at 10:00: 1,000 people doubling every 20 min, so past the 8,000 target at 11:00. 'assess' by a (10 min),
    then 'correct' by b (``correct``; stops the wave) sent on mail at 10:10: mail always fails after 20 min (10:30)
    and falls back to post (5 h), still travelling when the run stops at 11:40 — 70 min beyond mail's usual 20."""
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}},
                   {"p": {"trigger": {"type": "rumour"}, "steps": [
                       {"id": "assess", "actor": "a", "duration": "10m"},
                       {"id": "correct", "actor": "b", "via": "mail", "duration": correct, "effect": {"growth": 0}}]}},
                   [incident("W1", "10:00", "rumour",
                             spec={"reach": {"initial": 1000, "doubling": "20m", "cap": 10000000}})],
                   end="14:00",
                   channels={"mail": {"latency": "20m", "reliability": 0, "retries": 0, "fallback": "post"},
                             "post": {"latency": "5h", "reliability": 1}})
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Public information",
                                             "measure": {"reach": "W1"}, "target": 8000},
                                            {"id": "O2", "capability": "Public information",
                                             "measure": {"time": "from incident W1 started to step correct"},
                                             "target": "50m"}]
    return assemble(checked(data, until_clock=11 * 60 + 40), load(data), "s")


def _finding(report: Report, start: str) -> Any:
    return next(f for f in report.analysis.improvements if f.title.startswith(start))


def test_an_overdue_handoff_at_the_cut_explains_an_objective_only_if_the_rest_of_the_path_could_make_it() -> None:
    # 'correct' takes 60 min: without the delay the handoff arrives at 10:30 and the wave stops at 11:30, past
    # 11:00: the mail's failures explain nothing about O1
    slow = _wave("60m")
    assert slow.scores.objectives[0].rating == "U"
    assert "O1 (U)" not in _finding(slow, "Handoffs failed on mail").explains
    # its harm share is a share of time: 70 of W1's 100 min doing harm (taking them away would have stopped the wave
    # at 11:30, at 22,627 of 32,000: 29 % of the reach avoided), and the report says which it is
    assert priority_reason(_finding(slow, "Handoffs failed on mail")) == (
        "1 (weight 6.8: explains objective(s) O2 (U); behind 70% of the run's harm by time (reach / voter-minutes "
        "/ station-minutes, the largest "
        "share; a share of the time harm was done, not of harm avoided))")
    own = _finding(slow, "Objective O1")
    # all 70 min are weighed (U: delay up to the stop counts), and taken away they do not turn it
    assert own.root_cause.startswith("the delays in the response explain nothing: 1 h 10 min of failed handoffs on "
                                     "mail, taken away, would not have changed its rating")
    # 'correct' takes 20 min: it would have stopped the wave at 10:50, before 11:00: they do
    quick = _wave("20m")
    assert "O1 (U)" in _finding(quick, "Handoffs failed on mail").explains


def test_an_overdue_handoff_at_the_cut_explains_a_time_only_if_the_step_could_have_come_within_the_run() -> None:
    # O2, W1's start to 'correct' done within 50 min, never came: U. Without the 70 min the handoff arrives at
    # 10:30: 'correct' of 60 min is done at 11:30, before the stop (1 h 30 min: M, not U); of 90 min at 12:00,
    # after the stop at 11:40: still U
    assert [o.rating for o in _wave("60m").scores.objectives] == ["U", "U"]
    assert "O2 (U)" in _finding(_wave("60m"), "Handoffs failed on mail").explains
    assert not _finding(_wave("90m"), "Handoffs failed on mail").explains


def test_the_story_of_a_response_waiting_on_a_handoff_in_transit() -> None:
    told = _wave("60m").moments["W1"]
    assert told[-1] == ("At the end of the run (11:40) it was still open; 32,000 people reached: its response was "
                        "still under way (the handoff of 'correct' still travelling, on post).")


def test_the_handoff_table_names_the_channel_a_handoff_in_transit_was_on() -> None:
    """Failed on mail, it was travelling on post when the run stopped: the row says both, as a received one does."""
    row = next(line for line in render_markdown(laid_out(_wave("60m"))).splitlines() if "in transit" in line
               and "| correct |" in line)
    assert "| mail → post |" in row
