"""A decision whose default loops back without ever reaching a containing step: no delay taken away would have
contained the incident (the run keeps choosing the default), so a shift gap on the loop explains nothing; the branch
not taken that would contain is named, with the loop. Worked by hand on a tiny scenario, both ways."""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, load, run

from ballotdrill.report.report import assemble

ACTORS = {"mon": {"name": "Monitoring", "staff": 1, "shifts": [{"from": "18:00", "to": "08:00", "staff": 0}]},
          "plat": {"name": "Platform", "staff": 1}}


def _report(loops: bool) -> Any:
    """N1 (17:30) spreads from 500 people, doubling every hour (20,000 at 22:49). Monitoring (on duty until 18:00)
    assesses it (10 min) and decides (5 min): 'takedown' has the platform remove it (20 min, contains it), the
    default 'monitor' watches it for an hour; then ``loops``: back to the decision, else a 10-min report and the
    removal. Either way the next step after 18:45 waits at Monitoring with nobody on duty until the 23:00 end."""
    watch_next = "decide" if loops else "report"
    procs = {"p": {"trigger": {"type": "disinformation"}, "steps": [
        {"id": "assess", "actor": "mon", "duration": "10m"},
        {"id": "decide", "actor": "mon", "duration": "5m", "decision": {
            "options": {"takedown": {"next": "remove"}, "monitor": {"next": "watch"}}, "default": "monitor"}},
        {"id": "watch", "actor": "mon", "duration": "1h", "next": watch_next},
        {"id": "report", "actor": "mon", "duration": "10m", "next": "remove"},
        {"id": "remove", "actor": "plat", "duration": "20m", "effect": {"contain": 1.0}}]}}
    injects = [{"id": "N1", "at": "17:30", "incident": {"type": "disinformation", "severity": 3,
                                                        "reach": {"initial": 500, "doubling": "60m", "cap": 400000}}}]
    data = file_of(ACTORS, procs, injects, start="08:00", end="23:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O2", "capability": "Public information and warning",
                                             "measure": {"reach": "N1"}, "target": 20000}]
    doc = load(data)
    return assemble(run(doc), doc, "s")


def _wait_at_monitoring(report: Any) -> Any:
    return next(f for f in report.analysis.improvements if f.lever == "actor:mon" and f.cause == "queue")


def test_a_default_looping_forever_is_not_blamed_on_the_shift_gap() -> None:
    """'decide' waits from 18:50 with nobody on duty; taken away, it would choose 'monitor' again and loop: never
    contained. O2 (U) is the default's: the 'takedown' branch would have reached 'remove'."""
    report = _report(loops=True)
    [o2] = report.scores.objectives
    assert o2.rating == "U"
    assert _wait_at_monitoring(report).explains == []
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O2 rated U"))
    assert "the 'takedown' branch would have reached the containing step 'remove'" in own.root_cause
    assert "which loops back to 'decide' without containing it" in own.root_cause, own.root_cause
    assert own.lever == "step:p/decide"
    assert "shift cover" not in report.analysis.key.first_fix


def test_a_shift_gap_before_a_default_path_that_contains_still_explains() -> None:
    """The default path goes on to the removal: 'report' waits from 18:45 with nobody on duty; taken away, 'report'
    and 'remove' would be done by 19:15, before 20,000 at 22:49: the wait explains O2, as before."""
    report = _report(loops=False)
    assert _wait_at_monitoring(report).explains == ["O2 (U)"]
