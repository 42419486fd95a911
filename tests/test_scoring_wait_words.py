"""Hand-made cases with known answers: a late step's own root cause (and that of a step after it on its path, and a
missed legal deadline's) names the actor's waits by the bottleneck rule, in the words of the actor's finding: one
long wait, waits one at a time (a gap in staffing or cover), or a queue (scoring/stepcause.py, scoring/waits.py).

Actor b (staff 1, on duty all day) does 'work' (2 h, target 2 h 30 min, legal deadline 3 h); then c does 'tell'
(10 min, target 2 h 50 min). Each incident X<n> starts the procedure; a piece of work that finds b busy waits.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import at, checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _report(starts: list[str]) -> Any:
    data = file_of(
        {"b": {"staff": 1}, "c": {"staff": 1}},
        {"p": {"trigger": {"type": "outage"}, "steps": [
            {"id": "work", "actor": "b", "duration": "2h", "target": "2h30m",
             "deadline": {"within": "3h", "basis": "test rule"}},
            {"id": "tell", "actor": "c", "duration": "10m", "target": "2h50m"}]}},
        [incident(f"X{n}", start, "outage") for n, start in enumerate(starts, 1)])
    return assemble(checked(data), load(data), "s")


def _root(report: Any, title: str) -> str:
    (finding,) = [f for f in report.analysis.improvements if f.title == title]
    return str(finding.root_cause)


def test_one_piece_of_work_waiting_once_is_one_long_wait_in_the_step_s_cause_as_in_the_actor_s_finding() -> None:
    # X1 10:00-12:00 at b; X2 arrives at 10:00 too and waits 10:00-12:00 (2 h), done 14:00: 4 h after its start,
    # 1 h 30 min past the target (its wait, 2 h, is the largest of its delays) and past the 3 h deadline
    report = _report(["10:00", "10:00"])
    work = [s for s in report.scores.steps if s.step == "work"]
    assert sorted((s.started_at, s.wait) for s in work) == [(at("10:00"), 0.0), (at("12:00"), 120.0)]
    assert _root(report, "One long wait at b") == "one long wait at b"
    assert _root(report, "Step 'work' late (1 of 2)") == "one long wait at b: waited 2 h 00 min before starting"
    assert _root(report, "Legal deadline missed: work (X2)") == \
        "one long wait at b: waited 2 h 00 min before starting"
    # 'tell' after it, reached at 14:00 (4 h after X2 began) and done 14:10, late from that wait alone
    assert _root(report, "Step 'tell' late (1 of 2)") == \
        "one long wait earlier in p: 'work' waited 2 h 00 min at b before c could start"


def test_waits_one_at_a_time_are_a_gap_in_staffing_or_cover_in_the_step_s_cause() -> None:
    # X1 10:00-12:00; X2 waits 10:30-12:00 (1 h 30 min), works 12:00-14:00; X3 waits 12:30-14:00 (1 h 30 min),
    # works 14:00-16:00: two pieces waited, never two at once. X2 and X3 each end 3 h 30 min after their start,
    # 1 h past the target, their 1 h 30 min wait the largest delay
    report = _report(["10:00", "10:30", "12:30"])
    loads = {a.actor: a for a in report.scores.load}
    assert (loads["b"].waited, loads["b"].longest_queue) == (2, 1)
    gap = "a gap in staffing or cover at b: work waited one piece at a time, never two at once"
    assert _root(report, "Long waits one at a time at b") == gap
    assert _root(report, "Step 'work' late (2 of 3)") == f"{gap}; 'work' waited 1 h 30 min before starting"
    assert _root(report, "Legal deadline missed: work (X2)") == f"{gap}; 'work' waited 1 h 30 min before starting"


def test_pieces_of_work_waiting_together_are_a_queue_in_the_step_s_cause() -> None:
    # X1, X2 and X3 all at 10:00: X2 and X3 wait together (X2 10:00-12:00, X3 10:00-14:00)
    report = _report(["10:00", "10:00", "10:00"])
    loads = {a.actor: a for a in report.scores.load}
    assert (loads["b"].waited, loads["b"].longest_queue) == (2, 2)
    assert _root(report, "Queue at b") == "queue at b"
    # the step's finding tells the worst case, X3's 4 h wait (X2's 2 h is the same cause on the same lever)
    assert _root(report, "Step 'work' late (2 of 3)") == "queue at b: waited 4 h 00 min before starting"
    assert _root(report, "Legal deadline missed: work (X2)") == "queue at b: waited 2 h 00 min before starting"
    assert _root(report, "Step 'tell' late (2 of 3)") == \
        "queue earlier in p: 'work' waited 4 h 00 min at b before c could start"
