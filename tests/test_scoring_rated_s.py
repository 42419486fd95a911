"""An objective rated S has no finding of its own (M and U do), but its capability's section still says why it fell
short, by the same rule as theirs. Hand-made case with a known answer.

X1 at 10:00 is detected at once; 'triage' (a, 20 min) then 'mitigate' (b, 35 min), nobody waiting: 'mitigate'
completes at 10:55. O1: from X1's start to step 'mitigate' within 45 min: 55 min, within 1.25 x the target (S), and
no delay to blame: the designed path itself (20 + 35 min) is longer than the target.
"""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report, render_markdown


def test_an_objective_rated_s_that_no_finding_explains_has_its_cause_in_its_capability_section() -> None:
    steps = [{"id": "triage", "actor": "a", "duration": {"dist": "fixed", "value": "20m"}},
             {"id": "mitigate", "actor": "b", "duration": {"dist": "fixed", "value": "35m"}}]
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}}, {"p": {"trigger": {"type": "ddos"}, "steps": steps}},
                   [incident("X1", "10:00", "ddos")], end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Cybersecurity", "measure": {"time": "from incident X1 start to step mitigate"},
         "target": "45m"}]
    report = build_report(checked(data), load(data), "s")
    o1 = report.scores.objectives[0]
    assert (o1.rating, o1.value) == ("S", 55.0)
    cause = ("no queue, failed handoff or slow step delayed the response to X1: the designed path to 'mitigate' "
             "takes 55 min, longer than the 45m target")
    assert [(r.objective, r.cause, r.lever) for r in report.analysis.rated_s] == [("O1", cause, "step:p/mitigate")]
    text = render_markdown(report)
    assert f"No finding for this capability: O1 (rated S) has no finding of its own (M and U do): {cause}." in text
