"""A late step whose instances have more than one root cause names the others beside its commonest, with their
counts and examples, and says which instance was the worst: the finding's "by up to …" never points at an
instance its cause leaves unexplained. Worked by hand on a tiny scenario."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report


def test_the_worst_late_instance_is_told_with_its_own_cause() -> None:
    # Squad (one, on duty 08:00-12:00 and 15:00-18:00) sweeps (60 min, target 70 min from the procedure's start).
    # A, B, C at 08:00: A 08:00-09:00 (on time), B waits 60 min (120: 50 late), C waits 120 min (180: 110 late),
    # both behind busy staff; D at 12:00 waits with nobody on duty until 15:00 (240: 170 late, the worst)
    data = file_of({"squad": {"name": "Squad", "staff": 0, "shifts": [{"from": "08:00", "to": "12:00", "staff": 1},
                                                                     {"from": "15:00", "to": "18:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "threat"}, "steps": [
                       {"id": "sweep", "actor": "squad", "duration": "60m", "target": "70m"}]}},
                   [*(incident(key, "08:00", "threat") for key in "ABC"), incident("D", "12:00", "threat")],
                   start="07:00", end="20:00")
    report = build_report(checked(data), load(data), "s")
    [late] = [f for f in report.analysis.improvements if f.title == "Step 'sweep' late (3 of 4)"]
    assert late.detail.startswith("'sweep' (p) by Squad missed its 1 h 10 min target by up to 2 h 50 min (incident D)")
    assert late.root_cause == ("2 of the 3 late: queue at Squad: waited 2 h 00 min before starting (C); 1: gap in "
                               "shift cover: queued at Squad with nobody on duty (D, the worst)")
