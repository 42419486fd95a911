"""What a failed handoff cost: the time from its first attempt's send to its receipt, less what its first channel's
attempt takes by design (its mean latency) — not only what it took beyond the channel's 90th percentile, which
weighed nothing for a handoff that still arrived within it. Hand-made journals with known answers
(scoring/usual.py, ``failure_stretch``, read by scoring/ranking.py's spans and a late step's cause).

X1 at 10:00. 'check' (a) runs 10:00-10:05, then hands 'publish' to b on the portal (latency uniform 0-20 min: mean
10 min, 90th percentile 18 min; reliability 0.9, one retry). The first attempt fails at 10:11, the retry arrives at
10:23: 18 min from the first send, within the 90th percentile, 8 min beyond the designed 10. 'publish' takes 30 min:
done at 10:53, 53 min after X1 started. O1: from X1's start to step 'publish'.

- Target 50 min: 53 is S. Without the failure's 8 min, 45: P. The failures explain O1 (weight 1); before, nothing did
  (18 min is not beyond the 90th percentile: "weight 0: explains no objective and no harm").
- Target 30 min: 53 is M (over 37.5). Without the 8 min, 45: M still. The failures explain nothing, and O1's own
  finding says the 8 min would not have changed its rating.
- The failed attempt's own time (10:05-10:11, 6 min) is not the cost: the retry's draw is no more the first attempt's
  than any other; a channel made reliable (the fix) brings the handoff to its designed time, on average.
"""

from __future__ import annotations

from engine_helpers import at, load
from scoring_helpers import JournalBuilder

from ballotdrill.report.report import assemble
from ballotdrill.scoring.areas import Finding


def _doc(target: str) -> str:
    return f"""
version: 1
structure:
  actors:
    a: {{staff: 1}}
    b: {{staff: 1}}
  channels:
    portal: {{latency: {{dist: uniform, min: 0m, max: 20m}}, reliability: 0.9, retries: 1}}
  procedures:
    p:
      trigger: {{type: disinformation}}
      steps:
        - {{id: check, actor: a, duration: {{dist: fixed, value: 5m}}}}
        - {{id: publish, actor: b, via: portal, duration: {{dist: fixed, value: 30m}}}}
scenarios:
  s:
    title: Test
    start: "06:00"
    end: "14:00"
    injects:
      - {{at: "10:00", incident: {{id: X1, type: disinformation, severity: 3}}}}
    objectives:
      - {{id: O1, capability: Public information and warning,
         measure: {{time: from incident X1 start to step publish}}, target: {target}}}
"""


def _run(target: str) -> tuple[str, dict[str, Finding]]:
    """O1's rating and each area for improvement by title, O1's target being ``target``."""
    b = JournalBuilder().start(until=at("14:00"), staff={"a": 1, "b": 1})
    t0 = at("10:00")
    b.add(t0, "incident_started", "X1", type="disinformation", severity=3, level="municipal")
    b.add(t0, "detected", "X1", "a")
    b.add(t0, "procedure_started", "X1", procedure="p", run=1)
    b.add(t0, "step_queued", "X1", "a", "check", procedure="p", queue=1, on_duty=1)
    b.add(t0, "step_started", "X1", "a", "check", procedure="p", wait=0.0)
    b.add(t0 + 5, "step_completed", "X1", "a", "check", procedure="p", elapsed=5.0)
    b.add(t0 + 5, "handoff_sent", "X1", "a", "publish", procedure="p", to="b", channel="portal", attempt=1)
    b.add(t0 + 11, "handoff_failed", "X1", "a", "publish", procedure="p", to="b", channel="portal", attempt=1,
          next="portal")
    b.add(t0 + 11, "handoff_sent", "X1", "a", "publish", procedure="p", to="b", channel="portal", attempt=2)
    b.add(t0 + 23, "handoff_received", "X1", "b", "publish", procedure="p", **{"from": "a"}, channel="portal",
          latency=18.0, attempts=2)
    b.add(t0 + 23, "step_queued", "X1", "b", "publish", procedure="p", queue=1, on_duty=1)
    b.add(t0 + 23, "step_started", "X1", "b", "publish", procedure="p", wait=0.0)
    b.add(t0 + 53, "step_completed", "X1", "b", "publish", procedure="p", elapsed=53.0)
    b.add(t0 + 53, "procedure_ended", "X1", procedure="p", run=1, outcome="completed")
    b.add(t0 + 53, "resolved", "X1")
    b.add(at("14:00"), "run_ended", open_incidents=[], open_steps=[], harm={})
    report = assemble(b.events, load(_doc(target)), "s")
    o1 = report.scores.objectives[0]
    assert o1.value == 53.0
    return str(o1.rating), {f.title: f for f in report.analysis.improvements}


def test_a_failure_within_the_usual_latency_that_cost_enough_to_turn_an_objective_explains_it() -> None:
    rating, found = _run("50m")
    assert rating == "S"
    failed = found["Handoffs failed on portal"]
    assert (failed.lever, failed.explains, failed.weight) == ("channel:portal", ["O1 (S)"], 1.0)
    assert not any(title.startswith("Objective O1") for title in found)  # explained: the channel's finding speaks


def test_a_failure_whose_cost_could_not_turn_the_objective_explains_nothing_and_says_so() -> None:
    rating, found = _run("30m")
    assert rating == "M"
    failed = found["Handoffs failed on portal"]
    assert (failed.explains, failed.weight) == ([], 0.0)
    own = found["Objective O1 rated M (Public information and warning)"]
    assert "8 min of failed handoffs on portal, taken away, would not have changed its rating: the designed path " \
        "to 'publish' takes 45 min, longer than the 30m target" in own.root_cause  # 5 + 10 (the portal's mean) + 30
