"""A step whose work had not reached it when the run stopped (still travelling in a handoff, still at an earlier
step, or lost with a dropped handoff), its target already passed, is late whatever came next: it counts in the late
steps and the on-time shares, and the share's reason says so. Before its target passes it is undecided and not
counted. Worked by hand on a tiny exercise, each side of the rule."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import Report, assemble
from ballotdrill.scoring.model import Scores
from ballotdrill.scoring.runmeasures import MeasurePlan, MeasureScorer


def _data(reliability: float = 1.0) -> dict[str, object]:
    """X1 at 10:00 starts 'p' at once: Desk 'report's (5 min, target 30 min), hands 'fix' to Crew on a courier
    (60 min, ``reliability``, no fallback: arriving 11:05), Crew 'fix'es (10 min, target 45 min: 10:45), then
    'close's (5 min, target 65 min: 11:05). O1: the on-time share of 'p', target 90 %."""
    channels = {"courier": {"latency": {"dist": "fixed", "value": "60m"}, "reliability": reliability}}
    data = file_of({"desk": {"name": "Desk", "staff": 1}, "crew": {"name": "Crew", "staff": 1}},
                   {"p": {"trigger": {"type": "call"}, "steps": [
                       {"id": "report", "actor": "desk", "duration": "5m", "target": "30m"},
                       {"id": "fix", "actor": "crew", "duration": "10m", "via": "courier", "target": "45m"},
                       {"id": "close", "actor": "crew", "duration": "5m", "target": "65m"}]}},
                   [incident("X1", "10:00", "call")], channels=channels, end="14:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational communications",
                                             "measure": {"on_time": "p"}, "target": 0.9}]
    return data


def _report(until: str | None, reliability: float = 1.0) -> Report:
    data = _data(reliability)
    kwargs = {} if until is None else {"until_clock": int(until[:2]) * 60 + int(until[3:])}
    return assemble(checked(data, **kwargs), load(data), "s")


def _counts(scores: Scores) -> tuple[int, int, int, float | None]:
    t = scores.totals
    return t.steps_with_target, t.late_steps, t.late_unreached, scores.objectives[0].value


def test_a_step_whose_handoff_is_still_travelling_past_its_target_is_late() -> None:
    # cut at 10:40: 'fix' is on the courier, its target (10:45) still ahead: undecided, not counted
    early = _report("10:40").scores
    assert _counts(early) == (1, 0, 0, 1.0)
    # cut at 10:50: still on the courier, 5 min past its target: it cannot be on time whatever comes next
    late = _report("10:50").scores
    assert [h.status for h in late.handoffs] == ["in_transit"]
    assert _counts(late) == (2, 1, 1, 0.5)
    o1 = late.objectives[0]
    assert o1.rating == "M"  # 0.5 of a 0.9 target: down to T / 2
    assert ("1 of the 2 steps counted not yet reached when the run stopped, already past their target, so late "
            "(1 with its handoff still travelling)") in o1.reason


def test_a_step_behind_work_still_open_past_its_target_is_late() -> None:
    # cut at 11:10: 'fix' in progress since 11:05 (late by 25 min, an open step); 'close' not reached, its target
    # (11:05) passed 5 min before: late as well
    scores = _report("11:10").scores
    assert [(s.step, s.status) for s in scores.steps] == [("report", "completed"), ("fix", "in_progress")]
    assert _counts(scores) == (3, 2, 1, 0.333)
    assert "(1 with the work still at an earlier step)" in scores.objectives[0].reason
    # played to its end: 'close' completes at 11:20, 80 min after the start, late too: the same count
    whole = _report(None).scores
    assert _counts(whole) == (3, 2, 0, 0.333)
    assert "not yet reached" not in whole.objectives[0].reason


def test_steps_a_dropped_handoff_kept_from_running_are_late_once_their_target_passed() -> None:
    # the courier fails at 11:05 with no fallback: 'fix' and 'close' are never done; both targets passed by 14:00
    scores = _report(None, reliability=0.0).scores
    assert [h.status for h in scores.handoffs] == ["dropped"]
    assert _counts(scores) == (3, 2, 2, 0.333)
    assert "(2 with its handoff dropped)" in scores.objectives[0].reason
    # cut at 10:40, before the drop and before either target: undecided
    assert _counts(_report("10:40", reliability=0.0).scores) == (1, 0, 0, 1.0)


def test_a_sweep_measures_the_same_share() -> None:
    data = _data()
    events = checked(data, until_clock=10 * 60 + 50)
    scorer = MeasureScorer(MeasurePlan(load(data), "s"))
    for event in events:
        scorer.feed(event)
    measured = scorer.finish()
    assert (measured.totals.late_steps, measured.objectives[0].value) == (1, 0.5)
