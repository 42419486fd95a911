"""A delay that explains a harm objective of an incident never contained rests on the response reaching its
containing step sooner; where that step contains only with a chance, the explanation says so, as it does for an
incident that ended by itself. Worked by hand on a tiny scenario."""

from __future__ import annotations

import pytest
from engine_helpers import checked, file_of, load

from ballotdrill.report.report import assemble


def _explained(end: str, chance: float) -> tuple[str, float | None, list[str]]:
    """V1 (100 electronic voters) at 10:00 lasts until contained: 100 voter-minutes a minute, past the 6,000 target
    at 11:00. Desk a has nobody on duty 10:00-11:30, so 'check' (10 min) waits 90 min (11:30-11:40), then 'repair'
    (30 min, contains with ``chance``) runs 11:40-12:10. The run stops at ``end``, before 'repair' completes: V1 is
    never contained. At 11:50, 'repair' under way with 10 min left: without the 90 min wait it would have completed
    at 10:30, before 11:00; at 11:20, 'check' still waiting (80 min of it so far) and 40 min of designed work after
    it: 10:40. Either way the wait could have turned O1, if 'repair''s draw held."""
    data = file_of({"a": {"staff": 1, "shifts": [{"from": "10:00", "to": "11:30", "staff": 0}]}},
                   {"fix": {"trigger": {"type": "voting_delay"}, "steps": [
                       {"id": "check", "actor": "a", "duration": "10m"},
                       {"id": "repair", "actor": "a", "duration": "30m", "effect": {"contain": chance}}]}},
                   [{"at": "10:00", "incident": {"id": "V1", "type": "voting_delay", "voters": 100,
                                                 "voting": "electronic"}}], end=end)
    data["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"paper": "14:00", "electronic": "16:00"}}
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Voting", "measure": {"voter_minutes": "V1"},
                                             "target": 6000}]
    report = assemble(checked(data), load(data), "s")
    objective = report.scores.objectives[0]
    explains = [o for f in report.analysis.improvements for o in f.explains]
    return objective.rating, objective.value, explains


@pytest.mark.parametrize(("end", "harm"), [("11:50", 11_000.0), ("11:20", 8_000.0)])
def test_a_turn_of_a_never_contained_incident_that_rests_on_a_chance_says_so(end: str, harm: float) -> None:
    rating, value, explains = _explained(end, 0.75)
    assert (rating, value) == ("U", harm)
    assert explains == ["O1 (U, if the 75% chance of 'repair' containing it held)"]


@pytest.mark.parametrize("end", ["11:50", "11:20"])
def test_a_sure_containment_says_no_chance(end: str) -> None:
    assert _explained(end, 1.0)[2] == ["O1 (U)"]
