"""A background incident whose containment failed and whose response ended there stays open to the end, doing harm
all day: a finding says so, on its procedure's lever, weighed by the share of the run's harm done after the failure
(scoring/leftopen.py). Before, only the background table's "still open at the end" told it. Hand-made journals
with known answers.

Polls 08:00-12:00, the run 06:00-12:00. Background inject B: two stations without a chair, B-1 at 08:00 and B-2 at
09:00, each worked on at once by 'fix' (the desk, 30 min, contains with a 50% chance).

- B-1: 'fix' done at 08:30 and contained it: 30 station-minutes.
- B-2: 'fix' done at 09:30 but its draw failed; p ended there: open until 12:00, 180 station-minutes. The run's
  harm: 210 station-minutes; after the failure, 150 of them (09:30-12:00): 71.4 %, weight 4 × 0.714 = 2.857.
- The other side: B-2 ends by itself at 10:00 after the failure: not left open, no such finding.
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
    desk: {name: Desk, staff: 1, organisation: Municipality}
  procedures:
    p:
      trigger: {type: outage}
      steps:
        - {id: fix, actor: desk, duration: {dist: fixed, value: 30m}, effect: {contain: 0.5}}
scenarios:
  s:
    title: Test
    start: "06:00"
    end: "12:00"
    polls: {open: "08:00", close: "12:00"}
    injects:
      - id: B
        every: {dist: fixed, value: 60m}
        from: "08:00"
        to: "09:30"
        limit: 2
        incident: {type: outage, severity: 2, stations: 1}
        detected_by: {actor: desk, after: 0m}
""")


def _findings(ends_at: str | None = None) -> dict[str, Finding]:
    """The areas for improvement by title; ``ends_at``: B-2 ends by itself then, after its failed 'fix'."""
    b = JournalBuilder()
    b.add(0, "run_started", scenario="s", seed=1, start=360.0, end=360.0, until=360.0, polls=[120.0, 360.0])
    b.add(0, "staff_changed", actor="desk", staff=1)
    for incident, clock in (("B-1", "08:00"), ("B-2", "09:00")):
        t0 = at(clock)
        b.add(t0, "incident_started", incident, inject="B", type="outage", severity=2, level="municipal", stations=1,
              throughput=0.0)
        b.add(t0, "detected", incident, "desk")
        b.add(t0, "procedure_started", incident, procedure="p", run=1)
        b.add(t0, "step_started", incident, "desk", "fix", procedure="p", wait=0.0)
        b.add(t0 + 30, "step_completed", incident, "desk", "fix", procedure="p", elapsed=30.0)
        if incident == "B-1":
            b.add(t0 + 30, "contained", incident, "desk", how="effect", station_minutes=30.0)
        else:
            b.add(t0 + 30, "effect_failed", incident, "desk", "fix", procedure="p", contain=0.5)
        b.add(t0 + 30, "procedure_ended", incident, procedure="p", run=1, outcome="completed")
        if incident == "B-1":
            b.add(t0 + 30, "resolved", incident)
    if ends_at is not None:
        b.add(at(ends_at), "contained", "B-2", how="ended", station_minutes=at(ends_at) - at("09:00"))
        b.add(at(ends_at), "resolved", "B-2")
    b.add(at("12:00"), "run_ended", open_incidents=[] if ends_at else ["B-2"], open_steps=0,
          harm={} if ends_at else {"B-2": {"station_minutes": 180.0}})
    report = assemble(b.events, DOC, "s")
    return {f.title: f for f in report.analysis.improvements}


def test_a_background_incident_left_open_after_its_containment_failed_is_a_finding_weighed_by_its_harm() -> None:
    found = _findings()
    left = found["1 outage incident(s) left open after their containment failed (p)"]
    assert (left.lever, left.incidents, left.harm_share, left.weight, left.priority) == (
        "procedure:p", ["B-2"], 0.714, 2.856, 2)  # 4 x the share as shown
    assert left.detail == ("1 background incident(s) (1 from inject B) were still open at 12:00: 'fix' (a 50% "
                           "chance) completed without containing them and nothing of their response followed: B-2 "
                           "('fix' done at 09:30).")
    assert left.root_cause == "containment failed with nothing after it: 'fix' (a 50% chance) did not contain them " \
        "and p ended there"
    assert left.recommendation == "Make 'fix' likelier to contain outage incidents, or give p a further containing " \
        "step should it fail"
    assert left.responsible == "Municipality" and left.evidence == [14]  # B-2's completion of 'fix'


def test_an_incident_that_ended_by_itself_after_a_failed_containment_was_not_left_open() -> None:
    assert not any("left open" in title for title in _findings(ends_at="10:00"))
