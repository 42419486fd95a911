"""Hand-made cases with known answers for the ranking's reading of a run (scoring/ranking.py, objective_cause.py,
bottleneck.py, harmpath.py).

- A time objective to a containing step ends, in the ranking as in the rating, where the containment took hold:
  a completion whose containment failed is not its end point, so a queue after it, before the target, explains
  the objective.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import at, checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scenarios.measures import parse_interval
from ballotdrill.scoring.ranking import objective_windows, point_time


def _failed_then_held() -> dict[str, Any]:
    """X1 at 10:00. 'quick' (a, 10 min) tries a takedown that seldom holds (a 1 % chance) at 10:10; 'full' has c
    prepare for 10 min and then b take it down for 10 min, but b comes on duty only at 10:40: queued 10:10-10:40,
    the takedown (certain) completes at 10:50. O1: from X1's start to step 'takedown' within 40 min."""
    data = file_of(
        {"a": {"staff": 1}, "c": {"staff": 1},
         "b": {"staff": 0, "shifts": [{"from": "10:40", "to": "23:00", "staff": 1}]}},
        {"quick": {"trigger": {"type": "ddos"}, "steps": [
            {"id": "takedown", "actor": "a", "duration": "10m", "effect": {"contain": 0.01}}]},
         "full": {"trigger": {"type": "ddos"}, "steps": [
             {"id": "prepare", "actor": "c", "duration": "10m"},
             {"id": "takedown", "actor": "b", "duration": "10m", "effect": {"contain": 1.0}}]}},
        [incident("X1", "10:00", "ddos")])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Cybersecurity", "measure": {"time": "from incident X1 start to step takedown"},
         "target": "40m"}]
    return data


def test_a_failed_containment_is_not_a_time_objective_s_end_point_in_the_ranking() -> None:
    data = _failed_then_held()
    doc = load(data)
    events = checked(data)
    assert [(e.t, e.actor) for e in events if e.kind == "effect_failed"] == [(at("10:10"), "a")]  # the 99 %
    report = assemble(events, doc, "s")
    scores = report.scores
    o1 = scores.objectives[0]
    assert (o1.rating, o1.value) == ("S", 50.0)  # 10:00 to 10:50, within 1.25 × 40 min
    end = parse_interval(o1.subject).end
    assert point_time(scores, end) == at("10:10")  # read without the structure: the first completion
    assert point_time(scores, end, doc.structure) == at("10:50")  # where the containment took hold
    assert objective_windows(o1, scores, structure=doc.structure) == {"X1": (at("10:00"), at("10:40"))}
    # b's 30 min in the queue (10:10-10:40) came before the target: its lever explains O1
    explained = [f for f in report.analysis.improvements if "O1 (S)" in f.explains]
    assert [f.lever for f in explained] == ["actor:b"]
