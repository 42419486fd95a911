"""A step needing a larger crew than the shift on duty waits for that crew, and holds the queue behind it (the desk
serves its work in order): told as it is, with the fix of the crew or the step's staffing, never "nobody on duty" or
"add staff" alone. Worked by hand on a tiny scenario."""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, load, run

from ballotdrill.report.report import assemble
from ballotdrill.scoring import Finding, analyse, score

ACTORS = {"cell": {"name": "Cell", "staff": 3, "shifts": [{"from": "16:00", "to": "20:00", "staff": 1},
                                                          {"from": "20:00", "to": "08:00", "staff": 0}]}}
PROCS = {"p": {"trigger": {"type": "meeting"}, "steps": [
    {"id": "meet", "actor": "cell", "duration": "30m", "staff": 3, "target": "60m"}]},
    "q": {"trigger": {"type": "call"}, "steps": [{"id": "answer", "actor": "cell", "duration": "20m",
                                                  "target": "30m"}]}}


def _found(meeting: str, calls: list[str]) -> tuple[Any, list[Finding]]:
    """Cell: 3 on duty 08:00-16:00, 1 until 20:00, none at night. A meeting X1 (needs all 3 at once, 30 min) at
    ``meeting``; calls C1, C2, ... (20 min each, one staff) at ``calls``. The day: 08:00-22:00."""
    injects = [{"id": "X1", "at": meeting, "incident": {"type": "meeting"}}] + [
        {"id": f"C{n}", "at": at, "incident": {"type": "call"}} for n, at in enumerate(calls, 1)]
    doc = load(file_of(ACTORS, PROCS, injects, start="08:00", end="22:00"))
    events = run(doc)
    scores = score(events, doc, "s")
    found = analyse(scores, {"cell": "Cell"}, doc.structure).improvements
    streamed = assemble(events, doc, "s").analysis.improvements  # the report's path: causes decided as folded
    assert [(f.title, f.root_cause, f.recommendation) for f in streamed] == \
        [(f.title, f.root_cause, f.recommendation) for f in found]
    return scores, found


def _titled(found: list[Finding], start: str) -> Finding:
    return next(f for f in found if f.title.startswith(start))


def test_a_crew_larger_than_the_shift_is_told_with_the_queue_it_held() -> None:
    """The meeting arrives at 17:00 with 1 on duty: it can start only with 3, never before the 22:00 stop (1 until
    20:00, then none). Calls at 17:30, 18:30 and 19:30 wait behind it although Cell's one staff is idle."""
    _, found = _found("17:00", ["17:30", "18:30", "19:30"])
    meet = _titled(found, "Step 'meet' late")
    assert meet.root_cause == ("crew larger than the shift on duty: 'meet' needs 3 staff at once; Cell had 1 on duty "
                               "when it arrived at 17:00, so it waited 5 h 00 min (still waiting at the end)")
    assert meet.lever == "actor:cell"
    assert meet.recommendation == ("Have 3 of Cell's staff on duty whenever 'meet' (p) can arrive (1 on duty at "
                                   "17:00), or review whether 'meet' needs 3 at once")
    answer = _titled(found, "Step 'answer' late")
    assert answer.root_cause.startswith("held behind 'meet' (X1) at Cell, which needs 3 staff at once while 1 was on "
                                        "duty: work is served in order, so "), answer.root_cause
    assert answer.recommendation == meet.recommendation
    queue = _titled(found, "Queue at Cell")
    assert "'meet' (X1) needs 3 staff at once while 1 was on duty (from 17:00); 3 piece(s) of work waited behind " \
           "it" in queue.root_cause, queue.root_cause
    assert queue.recommendation == meet.recommendation


def test_a_crew_step_at_night_is_no_gap_in_cover() -> None:
    """The meeting at 20:30 with nobody on duty: an on-call rota of one would not start it; it needs 3."""
    _, found = _found("20:30", [])
    meet = _titled(found, "Step 'meet' late")
    assert meet.root_cause == ("crew larger than the shift on duty: 'meet' needs 3 staff at once; Cell had nobody "
                               "on duty when it arrived at 20:30, so it waited 1 h 30 min (still waiting at the end)")
    wait = _titled(found, "One long wait at Cell")
    assert wait.root_cause.endswith("'meet' (X1) needs 3 staff at once while nobody was on duty (from 20:30)")
    assert wait.recommendation == meet.recommendation


def test_a_crew_step_waiting_for_busy_staff_is_a_queue_as_before() -> None:
    """At 09:00 the 3 day staff are on duty, one busy with a call from 08:50 to 09:10: the meeting waits 10 min for
    its crew (late only if over target: 09:00 + 10 + 30 = 40 min, on time); calls C2 and C3 at 09:05 and 09:06 wait
    behind it — a queue of staff on duty, as before, no crew finding."""
    _, found = _found("09:00", ["08:50", "09:05", "09:06"])
    assert not any("crew larger" in f.root_cause or "held behind" in f.root_cause for f in found)
