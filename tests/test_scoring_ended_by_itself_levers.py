"""A delay explains a harm objective of an incident that ended by itself only if, taken away, the response's
containing step would have come before the harm passed the target: the incident's own end does not come sooner
because the response was quicker. Worked by hand on a tiny scenario."""

from __future__ import annotations

from engine_helpers import checked, file_of, load

from ballotdrill.report.report import assemble


def _explained(repair: str, chance: float = 1.0) -> tuple[str, float | None, dict[str, list[str]]]:
    """V1 (100 electronic voters) at 10:00 ends by itself at 12:00: 100 voter-minutes a minute, 12,000 in all,
    past the 6,000 target at 11:00. Desk a has nobody on duty 10:00-11:30, so 'check' (10 min) waits 90 min
    (11:30-11:40) and 'repair' (``repair``, contains for certain) completes after V1's end: at 12:10 for 30 min
    (90 min sooner, 10:40: before 11:00, the wait could have turned O1), at 12:40 for 1 h (11:10: contained with
    7,000 voter-minutes, S, it could have), at 13:40 for 2 h (12:10: after V1's own end, the same harm: it could
    not). ``chance``: of 'repair' containing it."""
    data = file_of({"a": {"staff": 1, "shifts": [{"from": "10:00", "to": "11:30", "staff": 0}]}},
                   {"fix": {"trigger": {"type": "voting_delay"}, "steps": [
                       {"id": "check", "actor": "a", "duration": "10m"},
                       {"id": "repair", "actor": "a", "duration": repair, "effect": {"contain": chance}}]}},
                   [{"at": "10:00", "incident": {"id": "V1", "type": "voting_delay", "voters": 100,
                                                 "voting": "electronic", "duration": "2h"}}], end="20:00")
    data["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"paper": "14:00", "electronic": "16:00"}}
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Voting", "measure": {"voter_minutes": "V1"},
                                             "target": 6000}]
    report = assemble(checked(data), load(data), "s")
    objective = report.scores.objectives[0]
    explains = {f.title: f.explains for f in report.analysis.improvements if f.explains}
    return objective.rating, objective.value, explains


def test_a_wait_whose_removal_brings_the_repair_before_the_target_explains_the_objective() -> None:
    rating, _, explains = _explained("30m")
    assert rating == "U"
    assert [objective for found in explains.values() for objective in found] == ["O1 (U)"]


def test_a_wait_whose_removal_brings_the_repair_before_its_own_end_explains_a_smaller_harm() -> None:
    rating, _, explains = _explained("1h")
    assert rating == "U"
    assert [objective for found in explains.values() for objective in found] == ["O1 (U)"]


def test_a_wait_whose_removal_leaves_the_repair_after_its_own_end_explains_nothing() -> None:
    # before: V1's own end (12:00) less the 90 min wait, 10:30, was taken as its containment: the wait "explained" O1
    rating, _, explains = _explained("2h")
    assert rating == "U"
    assert explains == {}


def test_a_turn_that_rests_on_a_chance_says_so() -> None:
    # 'repair' completes after V1 ended by itself: its draw never counted, so the turn holds only with its 75 %
    rating, _, explains = _explained("30m", 0.75)
    assert rating == "U"
    assert [objective for found in explains.values() for objective in found] == [
        "O1 (U, if the 75% chance of 'repair' containing it held)"]
