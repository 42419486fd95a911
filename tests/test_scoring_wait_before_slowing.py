"""A wait before a wave's slowing and its containment explains its reach when taking it away could have turned the
rating: the slowing behind the wait comes that much sooner too (``turning.sooner_rating``, the least reach along
``passing.HarmCourse.reach_slowed_sooner``). Worked by hand.

W1 at 10:00 reaches 1,000 people, doubling every hour. Desk (nobody on duty until 14:00) does 'review' (30 min),
then Cell does 'slow' (30 min, growth a quarter: doubling every 4 h) and 'takedown' (8 h, contains it). 'review'
waits 4 h: done 14:30, 'slow' 15:00 (reach 32,000), 'takedown' 23:00. Target 5,000 (passed at 12:19).

- Cap 64,000: reached at 19:00 (32,000 doubling every 4 h), so O1 is U. Without the wait, 'slow' at 11:00 (reach
  2,000) and 'takedown' at 19:00: 2,000 x 2^(8/4) = 8,000, M: the wait explains O1. Along the course as played (the
  slowing still at 15:00) the reach at 19:00 is the cap, so before it explained nothing.
- Cap 8,000: reached at 13:00, before anything slowed it (U). Without the wait, slowed at 11:00, it still reaches
  8,000 by 19:00: U, the wait explains nothing.
"""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _explaining(cap: int) -> tuple[str, list[str], str]:
    data = file_of({"desk": {"name": "Desk", "staff": 0, "shifts": [{"from": "14:00", "to": "23:59", "staff": 1}]},
                    "cell": {"name": "Cell", "staff": 1}},
                   {"p": {"trigger": {"type": "rumour"}, "steps": [
                       {"id": "review", "actor": "desk", "duration": "30m"},
                       {"id": "slow", "actor": "cell", "duration": "30m", "effect": {"growth": 0.25}},
                       {"id": "takedown", "actor": "cell", "duration": "8h", "effect": {"contain": 1}}]}},
                   [incident("W1", "10:00", "rumour", spec={"reach": {"initial": 1000, "doubling": "1h",
                                                                      "cap": cap}})], end="23:30")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "W1"}, "target": 5000}]
    report = assemble(checked(data), load(data), "s")
    [objective] = report.scores.objectives
    explaining = [f.title for f in report.analysis.improvements if any("O1" in e for e in f.explains)]
    causes = " ".join(f.root_cause for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    return objective.rating, explaining, causes


def test_a_wait_whose_slowing_and_containment_sooner_turn_the_reach_explains_it() -> None:
    rating, explaining, causes = _explaining(64000)
    assert rating == "U"
    assert explaining and all("Desk" in title for title in explaining), explaining
    assert causes.startswith("one long wait at Desk"), causes


def test_a_wait_whose_removal_still_leaves_the_wave_at_its_cap_explains_nothing() -> None:
    rating, explaining, causes = _explaining(8000)
    assert rating == "U"
    assert explaining == []
    assert "would not have changed its rating" in causes, causes
