"""A time to an incident's containment that no delay explains: "the designed response is slower than the target"
only when the soonest designed path to a containing step is; when it is within the target and the containing step
completed after the target had passed but its draw failed, the cause says so and asks for a likelier containment.
Worked by hand on a tiny scenario."""

from __future__ import annotations

from engine_helpers import file_of, incident, load, run

from ballotdrill.report.report import assemble
from ballotdrill.scoring import Finding


def _cause(target: str) -> Finding:
    """X1 at 07:00; Desk (on duty from 09:00) checks it (10 min) and repairs it (30 min, a 1% chance to contain):
    'check' waits 07:00-09:00, 'repair' completes at 09:40 and (seed 1) does not contain it. The designed path:
    40 min. O1: from X1's start to its containment, never: U against either target."""
    data = file_of({"desk": {"name": "Desk", "staff": 0, "shifts": [{"from": "09:00", "to": "18:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "check", "actor": "desk", "duration": "10m"},
                       {"id": "repair", "actor": "desk", "duration": "30m", "effect": {"contain": 0.01}}]}},
                   [incident("X1", "07:00", "fault")], start="06:00", end="18:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Infrastructure systems",
                                             "measure": {"time": "from incident X1 started to incident X1 contained"},
                                             "target": target}]
    doc = load(data)
    report = assemble(run(doc), doc, "s")
    assert report.scores.objectives[0].rating == "U"
    [found] = [f for f in report.analysis.improvements if f.title.startswith("Objective O1")]
    return found


def test_a_design_within_the_target_with_a_failed_draw_is_not_called_slower() -> None:
    found = _cause("1h")
    assert found.root_cause.endswith("the designed path to its containing step 'repair' (p) takes 40 min, within the "
                                     "1h target; 'repair' completed at 09:40 but did not contain X1 (a 1% chance)")
    assert found.recommendation.startswith("Make 'repair' likelier to contain fault incidents, or give p a further "
                                           "containing step should it fail")


def test_a_design_longer_than_the_target_is_said_to_be() -> None:
    found = _cause("30m")
    assert "the designed path to its containing step 'repair' (p) takes 40 min, longer than the 30m target" in \
        found.root_cause
    assert "did not contain" not in found.root_cause
