"""An objective's cause speaks of its own incident: when the late-step finding whose lever explains it names another
incident's instance as the worst (a background arrival's much slower work at the same step, which held nothing of the
objective's incident up), the objective's root cause and fix are its own incident's, and a containing step of its
incident that completed before the target was passed but did not contain it is named (it is what kept it open).
Hand-made journals with known answers.

Polls 08:00-12:00. 'fix' (the desk, usually 20 min, target 30 min, contains with a 50 % chance), then 'reinforce'
(20 min, contains). The desk has two staff: nothing waits.

- X1 (scripted, one station, measured by O1: its station-minutes within 45) at 09:00: 'fix' 09:00-09:40, 40 min of
  work (20 min over its usual, slow work), late by 10 min; its draw fails. 'reinforce' 09:40-10:00 contains X1:
  60 station-minutes, M. Its harm passed 45 at 09:45, after 'fix' had failed. Without the 20 min of slow work X1
  is contained at 09:40: 40, P, so the slow work at 'fix' explains O1.
- B-1 (a background arrival of inject B) at 09:00: 'fix' 09:00-10:30, 1 h 30 min of work, late by 1 h, contains it.
  The step's finding ("Step 'fix' late (2 of 2)") names B-1, the worst.
"""

from __future__ import annotations

from engine_helpers import at, load
from scoring_helpers import JournalBuilder

from ballotdrill.report.report import Report, assemble

DOC = load("""
version: 1
structure:
  actors:
    desk: {name: Desk, staff: 2, organisation: Municipality}
  procedures:
    p:
      trigger: {type: outage}
      steps:
        - {id: fix, actor: desk, duration: {dist: fixed, value: 20m}, target: 30m, effect: {contain: 0.5}}
        - {id: reinforce, actor: desk, duration: {dist: fixed, value: 20m}, effect: {contain: 1.0}}
scenarios:
  s:
    title: Test
    start: "06:00"
    end: "12:00"
    polls: {open: "08:00", close: "12:00"}
    injects:
      - id: X1
        at: "09:00"
        incident: {type: outage, severity: 2, stations: 1}
        detected_by: {actor: desk, after: 0m}
      - id: B
        every: {dist: fixed, value: 600m}
        from: "09:00"
        to: "09:30"
        limit: 1
        incident: {type: outage, severity: 2, stations: 1}
        detected_by: {actor: desk, after: 0m}
    objectives:
      - {id: O1, capability: Infrastructure systems, measure: {station_minutes: X1}, target: 45}
""")


def _report(background_work: float = 90.0) -> tuple[Report, int]:
    """The run above (B-1's 'fix' takes ``background_work`` minutes), and the row of X1's 'fix' completed."""
    b = JournalBuilder()
    b.add(0, "run_started", scenario="s", seed=1, start=360.0, end=360.0, until=360.0, polls=[120.0, 360.0])
    b.add(0, "staff_changed", actor="desk", staff=2)
    t0 = at("09:00")
    for incident, inject in (("X1", "X1"), ("B-1", "B")):
        b.add(t0, "incident_started", incident, type="outage", severity=2, level="municipal", inject=inject,
              stations=1, throughput=0.0)
        b.add(t0, "detected", incident, "desk")
        b.add(t0, "procedure_started", incident, procedure="p", run=1)
        b.add(t0, "step_started", incident, "desk", "fix", procedure="p", wait=0.0)
    failed = b.add(t0 + 40, "step_completed", "X1", "desk", "fix", procedure="p", elapsed=40.0, target=30.0).seq
    b.add(t0 + 40, "effect_failed", "X1", "desk", "fix", procedure="p", contain=0.5)
    b.add(t0 + 40, "step_started", "X1", "desk", "reinforce", procedure="p", wait=0.0)
    b.add(t0 + 60, "step_completed", "X1", "desk", "reinforce", procedure="p", elapsed=60.0)
    b.add(t0 + 60, "contained", "X1", "desk", how="effect", station_minutes=60.0)
    b.add(t0 + 60, "procedure_ended", "X1", procedure="p", run=1, outcome="completed")
    b.add(t0 + 60, "resolved", "X1")
    done = t0 + background_work
    b.add(done, "step_completed", "B-1", "desk", "fix", procedure="p", elapsed=background_work, target=30.0)
    b.add(done, "contained", "B-1", "desk", how="effect", station_minutes=background_work)
    b.add(done, "procedure_ended", "B-1", procedure="p", run=1, outcome="completed")
    b.add(done, "resolved", "B-1")
    b.add(at("12:00"), "run_ended", open_incidents=[], open_steps=0, harm={})
    return assemble(b.events, DOC, "s"), failed


def test_an_objective_s_cause_names_its_own_incident_s_late_step_not_a_slower_background_one() -> None:
    report, failed = _report()
    found = {f.title: f for f in report.analysis.improvements}
    step = found["Step 'fix' late (2 of 2)"]
    assert "1 h 30 min on the step itself" in step.root_cause  # the step's finding speaks of its worst, B-1
    o1 = found["Objective O1 rated M (Infrastructure systems)"]
    assert report.scores.objectives[0].value == 60.0
    assert o1.lever == step.lever == "step:p/fix"
    assert o1.root_cause == (
        "slow work at Desk: 40 min on the step itself (usually about 20 min); 'fix' completed at 09:40 but did not "
        "contain X1 (a 50% chance), so X1 was still open when its station-minutes passed the 45 target at 09:45")
    assert "B-1" not in o1.root_cause and "1 h 30 min" not in o1.root_cause
    assert o1.recommendation == step.recommendation  # the same cause at the same step: the same fix
    assert failed in o1.evidence  # the failed step's completion


def test_with_the_background_instance_on_time_the_step_finding_is_the_objective_s_own() -> None:
    report, _ = _report(background_work=25.0)  # B-1 on time: the step's finding speaks of X1 alone
    found = {f.title: f for f in report.analysis.improvements}
    step = found["Step 'fix' late (1 of 2)"]
    o1 = found["Objective O1 rated M (Infrastructure systems)"]
    assert step.root_cause == "slow work at Desk: 40 min on the step itself (usually about 20 min)"
    assert o1.root_cause.startswith(step.root_cause + "; 'fix' completed at 09:40 but did not contain X1")
