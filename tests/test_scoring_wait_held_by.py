"""A wait that began with nobody on duty is split by what held it (nobody on duty, a step ahead of it short of its
crew, other work) and a late step's cause follows the largest part (``scoring/heldby.py``), never "gap in shift
cover" for a wait that was mostly behind other work or behind a crew step. Worked by hand.

Cell has nobody on duty until its first shift. The day runs 08:00-23:00.

- Cell 1 on duty 09:00-12:00, 3 from 12:00. A meeting M1 at 08:00 needs all 3 at once (60 min); a call L1 at 08:30
  (30 min, target 60 min) waits behind it: 08:30-09:00 nobody on duty (30 min), 09:00-12:00 held behind the meeting
  with its one staff idle (3 h), 12:00-13:00 behind the meeting under way (1 h). Held behind the meeting.
- The same with its first shift at 11:00: 2 h 30 min with nobody on duty, 1 h behind the meeting, 1 h behind work:
  a gap in shift cover, saying how much of the wait it was.
- Cell 1 on duty from 08:45 (3 from 22:00), no meeting: a long job B1 at 08:00 (3 h) starts at 08:45; L1 at 08:40
  waits 5 min with nobody on duty and 3 h behind the job: a queue, not a gap in shift cover.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, load, run

from ballotdrill.report.report import assemble
from ballotdrill.scoring import analyse, score

PROCS = {"m": {"trigger": {"type": "meeting"}, "steps": [{"id": "meet", "actor": "cell", "duration": "60m",
                                                          "staff": 3}]},
         "b": {"trigger": {"type": "job"}, "steps": [{"id": "work", "actor": "cell", "duration": "3h"}]},
         "p": {"trigger": {"type": "call"}, "steps": [{"id": "log", "actor": "cell", "duration": "30m",
                                                       "target": "60m"}]}}


def _log(shifts: list[dict[str, Any]], first: tuple[str, str, str], call: str) -> Any:
    """The 'Step 'log' late' finding of a day with Cell's ``shifts`` (nobody on duty outside them), ``first``
    (id, clock, type) and the call L1 at ``call``."""
    injects = [{"id": first[0], "at": first[1], "incident": {"type": first[2]}},
               {"id": "L1", "at": call, "incident": {"type": "call"}}]
    doc = load(file_of({"cell": {"name": "Cell", "staff": 0, "shifts": shifts}}, PROCS, injects,
                       start="08:00", end="23:00"))
    events = run(doc)
    found = analyse(score(events, doc, "s"), {"cell": "Cell"}, doc.structure).improvements
    streamed = assemble(events, doc, "s").analysis.improvements  # the report's path: causes decided as folded
    assert [(f.title, f.root_cause) for f in streamed] == [(f.title, f.root_cause) for f in found]
    return next(f for f in found if f.title.startswith("Step 'log' late"))


def test_a_wait_mostly_behind_a_crew_step_is_held_behind_it() -> None:
    log = _log([{"from": "09:00", "to": "12:00", "staff": 1}, {"from": "12:00", "to": "23:00", "staff": 3}],
               ("M1", "08:00", "meeting"), "08:30")
    assert log.root_cause.startswith("held behind 'meet' (M1) at Cell, which needs 3 staff at once while nobody was "
                                     "on duty: work is served in order, so 'log' waited 4 h 30 min before starting"), \
        log.root_cause
    assert log.recommendation.startswith("Have 3 of Cell's staff on duty whenever 'meet' (m) can arrive")


def test_a_wait_mostly_with_nobody_on_duty_is_a_gap_in_cover() -> None:
    log = _log([{"from": "11:00", "to": "12:00", "staff": 1}, {"from": "12:00", "to": "23:00", "staff": 3}],
               ("M1", "08:00", "meeting"), "08:30")
    assert log.root_cause == ("gap in shift cover: queued at Cell with nobody on duty (2 h 30 min of its 4 h 30 min "
                              "wait)"), log.root_cause


def test_a_wait_mostly_behind_other_work_is_a_queue() -> None:
    log = _log([{"from": "08:45", "to": "22:00", "staff": 1}, {"from": "22:00", "to": "23:00", "staff": 3}],
               ("B1", "08:00", "job"), "08:40")
    assert "gap in shift cover" not in log.root_cause
    assert "waited 3 h 05 min before starting" in log.root_cause, log.root_cause
    assert log.lever == "actor:cell"
