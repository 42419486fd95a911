"""A duration between two journal times is told as the difference of their clocks everywhere a report tells it
(``text.took_from`` / ``between``): the incident table, the inject log, the narrative and an objective's reason
never round one duration two ways. Worked by hand on a tiny scenario whose times fall at 40 s past a minute.

- X1 starts at 10:00:00 and ends by itself at 10:46:40 (46.67 min): its clocks read 10:00 and 10:46, so 46 min
  everywhere (rounded, 47 min: what the incident table and the inject log said beside the narrative's 46).
- X2 starts at 12:00:00, is noticed at 12:00:40 and ends by itself at 12:47:00: from its detection 46.33 min, its
  clocks read 12:00 and 12:47, so 47 min (rounded, 46 min: what the objective's reason said).
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report, render_markdown
from ballotdrill.scoring.text import between, minutes, took_from


def _report() -> Any:
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "repair", "actor": "a", "duration": "3h", "effect": {"contain": 1}}]}},
                   [incident("X1", "10:00", "fault", spec={"duration": "46m40s"}, detected_by={"actor": "a",
                                                                                             "after": "0m"}),
                    incident("X2", "12:00", "fault", spec={"duration": "47m"}, detected_by={"actor": "a",
                                                                                         "after": "40s"})],
                   end="18:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"time": "from incident X1 started to "
                                                                                 "incident X1 contained"},
         "target": "30m"},
        {"id": "O2", "capability": "Infrastructure systems", "measure": {"time": "from incident X2 detected to "
                                                                                 "incident X2 contained"},
         "target": "30m"}]
    return build_report(checked(data), load(data), "s")


def test_the_one_function_reads_the_clocks_at_40_seconds() -> None:
    start = 10 * 60.0  # t = 0 at 10:00
    assert (minutes(46 + 2 / 3), took_from(start, 0.0, 46 + 2 / 3)) == ("47 min", "46 min")  # 10:00:00 -> 10:46:40
    assert (minutes(46 + 1 / 3), took_from(start, 2 / 3, 46 + 1 / 3)) == ("46 min", "47 min")  # 10:00:40 -> 10:47:00
    assert took_from(start, 0.0, None) == "—" and took_from(start, 0.0, 0.5) == between(start, 0.0, 0.5) == "30 s"


def test_a_report_tells_each_duration_as_its_clocks_read() -> None:
    report = _report()
    text = render_markdown(report)
    table = next(line for line in text.splitlines() if line.startswith("| **X1** | fault"))
    assert "ended by itself after 46 min" in table and "47 min" not in table
    log = next(line for line in text.splitlines() if line.startswith("| **X1** | 10:00 | inject"))
    assert "ended by itself after 46 min" in log and "47 min" not in log
    assert "It ended by itself at 10:46, 46 min after it began" in text
    o1, o2 = report.scores.objectives
    assert (o1.rating, o1.value_text) == ("U", "ended by itself (after 46 min)")
    assert o1.reason.startswith("incident X1 ended by itself (after 46 min), past the target")
    assert (o2.rating, o2.value_text) == ("U", "ended by itself (47 min after incident X2 detected)")
    assert "It ended by itself at 12:47, 47 min after it began" in text


def test_an_objective_s_time_reads_as_the_clocks_of_its_two_moments_as_its_cause_does() -> None:
    """N1 starts at 12:40:00 and is noticed at 14:10:40 (90.67 min): its clocks read 12:40 and 14:10, so the
    objective timing that interval is 1 h 30 min, as its own cause ("noticed N1 only 1 h 30 min after it began"), the
    incident table and the story tell it; rounded it read 1 h 31 min in the same sentence. Its value stays exact."""
    data = file_of({"a": {"staff": 1}, "watch": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "repair", "actor": "a", "duration": "20m", "effect": {"contain": 1}}]}},
                   [incident("N1", "12:40", "fault", detected_by={"actor": "watch", "after": "1h30m40s"})],
                   end="18:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Situational assessment",
         "measure": {"time": "from incident N1 start to incident N1 detected"}, "target": "1h"}]
    report = build_report(checked(data), load(data), "s")
    (o1,) = report.scores.objectives
    assert (o1.value, o1.value_text, o1.rating) == (90.667, "1 h 30 min", "M")
    text = render_markdown(report)
    assert "1 h 30 min against a target of 1h" in text
    assert "noticed N1 only 1 h 30 min after it began" in text
    assert "1 h 31 min" not in text


def test_an_objective_s_time_told_by_its_clocks_keeps_its_side_of_the_target() -> None:
    """X1 starts at 10:00:00 and is contained at 10:30:40: its clocks read 30 min, on the 30 min target, while the
    objective missed it by 40 s (rated S): told with its seconds, never as on the target."""
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "repair", "actor": "a", "duration": "30m40s", "effect": {"contain": 1}}]}},
                   [incident("X1", "10:00", "fault", detected_by={"actor": "a", "after": "0m"})], end="18:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems",
         "measure": {"time": "from incident X1 started to incident X1 contained"}, "target": "30m"}]
    (o1,) = build_report(checked(data), load(data), "s").scores.objectives
    assert (o1.rating, o1.value_text) == ("S", "30 min 40 s")
