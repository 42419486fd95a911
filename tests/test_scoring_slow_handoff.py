"""A handoff slower than its channel usually takes, without failing, is a delay on the channel's slow deliveries
(``delivery:C``), apart from its failures: its own finding weighs the objectives it explains, and it is dropped when
it explains nothing (the tail of a designed latency that delayed nothing that mattered). Hand-made journals with
known answers (scoring/delays.py, ``slow_delivery``; scoring/areas.py, ``_slow_handoffs``).

X1 at 10:00. 'check' (a) runs 10:00-10:05, then 'check' hands 'publish' to b on the portal (latency lognormal, median
4 min, 90th percentile 20 min: its usual), and 'publish' takes 30 min from its arrival. O1: from X1's start to step
'publish', target 90 min.

- The portal takes 60 min: 'publish' is done at 11:35, 95 min (S). 40 of them beyond the portal's usual 20 min;
  without them 55 min (P): the slow deliveries explain O1, their finding weighs its point and names the handoff.
- The portal takes 25 min: 'publish' is done at 11:00, 60 min (P). 5 min beyond the usual explain nothing and no
  harm: no finding about the portal's slow deliveries.
- The portal takes 60 min after a failed attempt: failures, on the channel's own lever, never a slow delivery.
"""

from __future__ import annotations

from engine_helpers import at, load
from scoring_helpers import JournalBuilder

from ballotdrill.report.report import assemble
from ballotdrill.scoring.areas import Finding

DOC = load("""
version: 1
structure:
  actors:
    a: {staff: 1}
    b: {staff: 1}
  channels:
    portal: {latency: {dist: lognormal, median: 4m, p90: 20m}, reliability: 0.9, retries: 1}
  procedures:
    p:
      trigger: {type: disinformation}
      steps:
        - {id: check, actor: a, duration: {dist: fixed, value: 5m}}
        - {id: publish, actor: b, via: portal, duration: {dist: fixed, value: 30m}}
scenarios:
  s:
    title: Test
    start: "06:00"
    end: "14:00"
    injects:
      - {at: "10:00", incident: {id: X1, type: disinformation, severity: 3}}
    objectives:
      - {id: O1, capability: Public information and warning,
         measure: {time: from incident X1 start to step publish}, target: 90m}
""")


def _run(latency: float, failed: bool = False) -> tuple[str, dict[str, Finding]]:
    """The rating of O1 and each area for improvement by title when the portal takes ``latency`` minutes to bring
    'publish' to b (``failed``: after a first attempt that failed)."""
    b = JournalBuilder().start(until=at("14:00"), staff={"a": 1, "b": 1})
    t0 = at("10:00")
    b.add(t0, "incident_started", "X1", type="disinformation", severity=3, level="municipal")
    b.add(t0, "detected", "X1", "a")
    b.add(t0, "procedure_started", "X1", procedure="p", run=1)
    b.add(t0, "step_queued", "X1", "a", "check", procedure="p", queue=1, on_duty=1)
    b.add(t0, "step_started", "X1", "a", "check", procedure="p", wait=0.0)
    b.add(t0 + 5, "step_completed", "X1", "a", "check", procedure="p", elapsed=5.0)
    b.add(t0 + 5, "handoff_sent", "X1", "a", "publish", procedure="p", to="b", channel="portal", attempt=1)
    if failed:
        b.add(t0 + 15, "handoff_failed", "X1", "a", "publish", procedure="p", to="b", channel="portal", attempt=1,
              next="portal")
        b.add(t0 + 15, "handoff_sent", "X1", "a", "publish", procedure="p", to="b", channel="portal", attempt=2)
    arrived = t0 + 5 + latency
    b.add(arrived, "handoff_received", "X1", "b", "publish", procedure="p", **{"from": "a"}, channel="portal",
          latency=latency - 10 if failed else latency, attempts=2 if failed else 1)
    b.add(arrived, "step_queued", "X1", "b", "publish", procedure="p", queue=1, on_duty=1)
    b.add(arrived, "step_started", "X1", "b", "publish", procedure="p", wait=0.0)
    b.add(arrived + 30, "step_completed", "X1", "b", "publish", procedure="p", elapsed=35.0 + latency)
    b.add(arrived + 30, "procedure_ended", "X1", procedure="p", run=1, outcome="completed")
    b.add(arrived + 30, "resolved", "X1")
    b.add(at("14:00"), "run_ended", open_incidents=[], open_steps=[], harm={})
    report = assemble(b.events, DOC, "s")
    o1 = report.scores.objectives[0]
    assert o1.value == 35.0 + latency
    return str(o1.rating), {f.title: f for f in report.analysis.improvements}


def test_a_slow_delivery_that_turned_an_objective_is_a_finding_on_the_channels_slow_deliveries() -> None:
    rating, found = _run(60.0)
    assert rating == "S"
    slow = found["Slow handoffs on portal"]
    assert (slow.explains, slow.weight, slow.lever) == (["O1 (S)"], 1.0, "delivery:portal")
    assert slow.root_cause == "slow channel portal: 'publish' from a to b took 1 h 00 min against a usual 20 min"
    assert slow.detail.startswith("1 handoff(s) on portal arrived later than it usually takes (20 min, its "
                                  "90th-percentile latency) without a failed attempt; the slowest, 'publish' from a "
                                  "to b (X1), sent at 10:05, took 1 h 00 min.")
    assert not any(title.startswith("Handoffs failed") for title in found)


def test_a_slow_delivery_that_explains_nothing_is_no_finding() -> None:
    rating, found = _run(25.0)
    assert rating == "P"
    assert "Slow handoffs on portal" not in found


def test_a_handoff_slow_from_its_failures_stays_on_the_channels_failures() -> None:
    rating, found = _run(60.0, failed=True)
    assert rating == "S"
    assert found["Handoffs failed on portal"].lever == "channel:portal"
    assert found["Handoffs failed on portal"].explains == ["O1 (S)"]
    assert "Slow handoffs on portal" not in found
