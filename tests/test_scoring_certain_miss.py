"""A time objective not finished when the run stopped, before its target passed, whose open work cannot bring its
end point within the target whatever is drawn, is U ("could no longer be within it"), not "not exercised": at the
scenario's own end as in a run cut with ``--until``. One whose open work still could is NE. Each case worked by hand.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report
from ballotdrill.scoring import score
from ballotdrill.scoring.model import ObjectiveResult


def _recount(duration: Any, end: str = "11:00", until: str | None = None, desk_from: str | None = None,
             target: str = "1h30m") -> dict[str, Any]:
    """X1 at 10:00 (no natural end), noticed at once by a; 'triage' by a (1 min), then 'recount' by b
    (``duration``, always contains it; b on duty from ``desk_from`` when given). O1: X1 contained within
    ``target``. The scenario ends at ``end``; ``until``: the run cut there."""
    b: dict[str, Any] = {"staff": 1} if desk_from is None else {
        "staff": 0, "shifts": [{"from": desk_from, "to": "23:00", "staff": 1}]}
    data = file_of({"a": {"staff": 1}, "b": b},
                   {"p": {"trigger": {"type": "x"}, "steps": [
                       {"id": "triage", "actor": "a", "duration": "1m"},
                       {"id": "recount", "actor": "b", "duration": duration, "effect": {"contain": 1.0}}]}},
                   [incident("X1", "10:00", "x", detected_by={"actor": "a", "after": "0m"})], end=end)
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Operational coordination",
         "measure": {"time": "from incident X1 start to incident X1 contained"}, "target": target}]
    return data


def _o1(data: dict[str, Any], until: str | None = None, seed: int = 1) -> ObjectiveResult:
    kwargs = {} if until is None else {"until_clock": int(until[:2]) * 60 + int(until[3:])}
    return score(checked(data, seed, **kwargs), load(data), "s").objectives[0]


def test_a_recount_that_cannot_end_before_the_target_is_u_at_the_scenarios_end() -> None:
    # 'recount' (2 h fixed) began at 10:01; at 11:00 it needs 61 min more: 12:01 at the earliest, past 11:30
    o1 = _o1(_recount("2h"))
    assert o1.rating == "U" and o1.value is None
    assert o1.value_text == "not done in 1 h 00 min, at the earliest 2 h 01 min"
    assert o1.reason == (
        "incident X1 had not been contained when the exercise ended at 11:00, 1 h 00 min into the 1 h 30 min "
        "target, and could no longer be within it: 'recount', under way since 10:01, takes at least 2 h 00 min, "
        "so the work open then needed at least 1 h 01 min more, so its containment could come at the earliest "
        "2 h 01 min after incident X1 started, past the target at 11:30")


def test_a_run_cut_with_until_is_rated_the_same_way() -> None:
    o1 = _o1(_recount("2h", end="14:00"), until="11:00")
    assert o1.rating == "U" and "when the run stopped at 11:00, 1 h 00 min into the 1 h 30 min target, and could " \
        "no longer be within it" in o1.reason


def test_a_recount_that_could_still_end_within_the_target_is_not_exercised() -> None:
    # at least 20 min: under way for 59 min at 11:00, it could end any moment, well before 11:30
    seed = next(s for s in range(1, 40) if _o1(_recount({"dist": "triangular", "min": "20m", "mode": "2h",
                                                          "max": "3h"}), seed=s).value is None)
    o1 = _o1(_recount({"dist": "triangular", "min": "20m", "mode": "2h", "max": "3h"}), seed=seed)
    assert o1.rating == "NE" and o1.reason == ("incident X1 had not been contained when the exercise ended at 11:00, "
                                               "1 h 00 min into the 1 h 30 min target")


def test_the_least_work_counts_only_what_is_left_of_a_step_under_way() -> None:
    # 'recount' 1 h 30 min fixed from 10:01 ends 11:31, 1 h 31 min after the start: past the 1 h 30 min target by a
    # minute, U; with a 1 h 31 min target it could be met (it is, at 11:31, after the scenario's end): NE
    assert _o1(_recount("1h30m")).rating == "U"
    assert _o1(_recount("1h30m", target="1h31m")).rating == "NE"


def test_the_shift_gap_that_made_it_certain_to_miss_is_fix_first() -> None:
    # b on duty only from 11:30: 'recount' (1 h 40 min) waits 89 min and ends 13:10 at the earliest, past the 13:00
    # target; the scenario ends 12:45, 2 h 45 min into the 3 h target. Without the wait it would end 11:41: P.
    data = _recount("1h40m", end="12:45", desk_from="11:30", target="3h")
    report = build_report(checked(data), load(data), "s")
    o1 = report.scores.objectives[0]
    assert o1.rating == "U" and "could no longer be within it" in o1.reason
    first = report.analysis.improvements[0]
    assert first.lever == "actor:b" and first.explains and first.explains[0].startswith("O1 (U")


def test_in_a_cut_run_an_action_that_could_still_start_a_faster_response_leaves_it_not_exercised() -> None:
    # a procedure an action starts ('call-in': a 5-min fix) could still come after an --until cut (a scripted
    # action, or a player's in a live exercise), so the miss is not certain there; the day's own end plays nothing
    # more, so there it is
    data = _recount("2h", end="14:00")
    data["structure"]["procedures"]["q"] = {"trigger": {"action": "call-in", "type": "x"}, "steps": [
        {"id": "quick", "actor": "a", "duration": "5m", "effect": {"contain": 1.0}}]}
    data["structure"]["actors"]["a"]["actions"] = ["call-in"]
    assert _o1(data, until="11:00").rating == "NE"
    data["scenarios"]["s"]["end"] = "11:00"
    assert _o1(data).rating == "U"
