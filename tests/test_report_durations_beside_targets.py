"""A duration told beside a target is never shown on the other side of it (or on it) from the value its rating was
taken on: when its shown rounding would read so, it is told with its seconds (``text.told_against``). Worked by hand
on a tiny scenario of one-hour targets, each time a few seconds either side of the hour.

- X1 starts 10:00:00 and ends by itself at 11:00:39 (60.65 min): its clocks read 10:00 and 11:00, "1 h 00 min", on
  the target, beside U "past the target": told "1 h 00 min 39 s".
- X2 starts at 12:00, is noticed at 12:00:40 and ends by itself at 13:00:20: from its detection 59.67 min, clocks
  12:00 and 13:00, "1 h 00 min", on the target, while it ended within it (NE): told "59 min 40 s".
- X3 starts 14:00:00 and ends by itself at 15:00:00, exactly on the target (NE, within): "1 h 00 min" as before.
- Y1 is contained by a 60 min 24 s step begun at once (60.4 min): rounded "1 h 00 min", on the target, beside S
  "missed the target by at most 25%": told "1 h 00 min 24 s"; its step, 24 s past its 1 h target, likewise.
- Y2 is contained by a 59 min 36 s step (59.6 min): rounded "1 h 00 min" beside P; its clocks read 16:00 and 16:59,
  so told "59 min", under the target as its rating is.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report, render_markdown
from ballotdrill.scoring.text import minutes, told_against, took_from

HOUR = 60.0


def _report() -> Any:
    ends = {"X1": ("10:00", "60m39s", "0m"), "X2": ("12:00", "60m20s", "40s"), "X3": ("14:00", "1h", "0m")}
    work = {"slow": "60m24s", "quick": "59m36s"}
    procedures: dict[str, Any] = {"p": {"trigger": {"type": "fault"}, "steps": [
        {"id": "repair", "actor": "a", "duration": "3h", "effect": {"contain": 1}}]}}
    procedures |= {kind: {"trigger": {"type": kind}, "steps": [
        {"id": f"fix-{kind}", "actor": kind, "duration": took, "target": "1h", "effect": {"contain": 1}}]}
        for kind, took in work.items()}
    injects = [incident(iid, at, "fault", spec={"duration": took}, detected_by={"actor": "a", "after": noticed})
               for iid, (at, took, noticed) in ends.items()]
    injects += [incident(iid, "16:00", kind, detected_by={"actor": kind, "after": "0m"})
                for iid, kind in (("Y1", "slow"), ("Y2", "quick"))]
    data = file_of({"a": {"staff": 3}, "slow": {"staff": 1}, "quick": {"staff": 1}}, procedures, injects, end="20:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": f"O{iid}", "capability": "Infrastructure systems",
         "measure": {"time": f"from incident {iid} {'detected' if iid == 'X2' else 'started'} to incident {iid} "
                             "contained"}, "target": "1h"}
        for iid in (*ends, "Y1", "Y2")]
    return build_report(checked(data), load(data), "s")


@pytest.fixture(scope="module")
def report() -> Any:
    return _report()


def test_the_rule_by_hand() -> None:
    start = 10 * 60.0
    assert took_from(start, 0.0, 60.65, (HOUR,)) == "1 h 00 min 39 s"  # just past: on the hour by the clocks
    assert took_from(start, 0.0, 60.65) == "1 h 00 min"  # told beside no target: as the clocks read
    assert took_from(start, 2 / 3, 59 + 2 / 3, (HOUR,)) == "59 min 40 s"  # just within
    assert took_from(start, 0.0, HOUR, (HOUR,)) == "1 h 00 min"  # exactly on
    assert minutes(60.4, (HOUR,)) == "1 h 00 min 24 s" and minutes(59.6, (HOUR,)) == "59 min 36 s"
    assert minutes(61.0, (HOUR,)) == "1 h 01 min"  # already on its side: as before
    assert minutes(75.3, (HOUR, 75.0, 120.0)) == "1 h 15 min 18 s"  # past the S band's bound, not on it
    assert minutes(60.004, (HOUR,)) == "1 h 00 min 00.2 s"  # whole seconds would still read on the hour
    assert minutes(59.9999, (HOUR,)) == "59 min 59.99 s"
    assert minutes(0.004, (0.0,)) == "0.2 s"  # a lateness never "0 s"
    assert told_against(60.0, 60.0, (HOUR,)) == ""


def test_an_objective_beside_its_target_reads_on_its_rating_side(report: Any) -> None:
    o = {obj.id: obj for obj in report.scores.objectives}
    assert (o["OX1"].rating, o["OX1"].value_text) == ("U", "ended by itself (after 1 h 00 min 39 s)")
    assert o["OX1"].reason.startswith("incident X1 ended by itself (after 1 h 00 min 39 s), past the target")
    assert (o["OX2"].rating, o["OX2"].value_text) == ("NE", "ended by itself (59 min 40 s after incident X2 detected)")
    assert (o["OX3"].rating, o["OX3"].value_text) == ("NE", "ended by itself (after 1 h 00 min)")
    assert (o["OY1"].rating, o["OY1"].value_text) == ("S", "1 h 00 min 24 s")
    assert o["OY1"].reason.startswith("missed the target by at most 25%")
    assert (o["OY2"].rating, o["OY2"].value_text) == ("P", "59 min")


def test_the_page_never_shows_a_time_on_the_target_beside_a_rating_off_it(report: Any) -> None:
    text = render_markdown(report)
    assert "OX1 rated U (ended by itself (after 1 h 00 min 39 s) against 1h)" in text
    assert "it ended by itself after 1 h 00 min 39 s" in text  # the finding's root cause, its own time
    assert "It ended by itself at 11:00, 1 h 00 min after it began" in text  # beside its clocks, no target: as read
    assert "1 h 00 min 24 s into the procedure (target 1 h 00 min: 24 s late)" in text
    assert "59 min 36 s into the procedure (target 1 h 00 min: on time)" in text
    assert "'fix-slow' (slow) by slow missed its 1 h 00 min target by up to 24 s" in text
    assert "usually takes about 1 h 00 min 24 s at slow, against a 1 h 00 min target" in text
    assert "the work alone usually takes about 1 h 00 min 24 s at slow" in text
    assert "the designed path to its containing step 'fix-slow' (slow) takes 1 h 00 min 24 s, longer than" in text
    assert "| Y1 | slow / fix-slow | slow | 0 min | 1 h 00 min 24 s | 1 h 00 min | **24 s** |" in text
