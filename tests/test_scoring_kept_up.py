"""An actor "kept up" (a Strength) only if it was busy, no work waited for it and none of its steps was late: work
started at once but finished past its target did not keep up. Hand-made cases with known answers."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report
from ballotdrill.report.report import Report


def _report(duration: str) -> Report:
    """Four calls at 10:00, 11:00, 12:00 and 13:00 to 'desk' (on duty 10:00-14:00, 2 staff); 'answer' takes
    ``duration`` against a 30 min target: nothing ever waits, and the desk is busy (4 × 50 of 480 staff-minutes)."""
    data = file_of({"desk": {"staff": 0, "shifts": [{"from": "10:00", "to": "14:00", "staff": 2}]}},
                   {"p": {"trigger": {"type": "call"}, "steps": [
                       {"id": "answer", "actor": "desk", "duration": duration, "target": "30m"}]}},
                   [incident(f"C{n}", f"{9 + n}:00", "call") for n in range(1, 5)])
    return build_report(checked(data), load(data), "s")


def _titles(report: Report) -> list[str]:
    return [f.title for f in report.analysis.strengths]


def test_an_actor_whose_steps_all_missed_their_target_did_not_keep_up() -> None:
    # 50 min of work each: never a wait, 42% busy, but 4 of 4 late (before: "desk kept up")
    report = _report("50m")
    desk = report.scores.load[0]
    assert (desk.steps, desk.wait_max, desk.utilisation) == (4, 0.0, 0.417)
    assert report.scores.totals.late_steps == 4
    assert not [t for t in _titles(report) if "kept up" in t]


def test_an_actor_on_time_without_waiting_kept_up() -> None:
    # 30 min each: on time, 25% busy
    assert "desk kept up" in _titles(_report("30m"))
