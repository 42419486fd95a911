"""A Strength on a harm still open and still growing within 5 % of its target says "met so far" (scoring/sofar.py):
results-night-ddos seed 3 showed "Strength: Objective O3 met" for a wave at 19,923 of 20,000 that would pass the
target about 6 min after the end. Hand-made journals with known answers.

N's wave starts at 06:00 at 1,900 people, doubling every 100 h (the run ends at 12:00, 6 h later): 1,900 × 2^0.06 =
1,980 at the end, 20 under O1's 2,000 and still growing. Slowed to a stop at 06:30 (1,906), it has done all its
harm: plainly met. Started at 1,000 it ends at 1,515, far under: plainly met, though still growing.
"""

from __future__ import annotations

from engine_helpers import at, load
from scoring_helpers import JournalBuilder

from ballotdrill.report.report import Report, assemble
from ballotdrill.report.sections_front import objectives
from ballotdrill.report.view import Table
from ballotdrill.scoring.areas import Finding

DOC = load("""
version: 1
structure:
  actors:
    desk: {name: Desk, staff: 1}
  procedures:
    p:
      trigger: {type: disinformation}
      steps:
        - {id: debunk, actor: desk, duration: {dist: fixed, value: 30m}, effect: {doubling: 100h}}
scenarios:
  s:
    title: Waves
    start: "06:00"
    end: "12:00"
    injects:
      - {at: "06:00", incident: {id: N, type: disinformation, severity: 2,
                                 reach: {initial: 1900, doubling: 100h, cap: 100000}}}
    objectives:
      - {id: O1, capability: Public information and warning, measure: {reach: N}, target: 2000}
""")


def _report(initial: int = 1900, stopped: bool = False) -> Report:
    b = JournalBuilder()
    b.add(0, "run_started", scenario="s", seed=1, start=360.0, end=360.0, until=360.0)
    b.add(0, "incident_started", "N", inject="N", type="disinformation", severity=2, level="municipal",
          reach={"initial": initial, "doubling": 6000.0, "cap": 100000})
    reach = int(initial * 2 ** (360 / 6000))
    if stopped:
        reach = int(initial * 2 ** (30 / 6000))
        b.add(30, "wave_slowed", "N", "desk", "debunk", procedure="p", reach=reach, doubling=None, previous=6000.0)
    b.add(at("12:00"), "run_ended", open_incidents=["N"], open_steps=0, harm={"N": {"reach": float(reach)}})
    return assemble(b.events, DOC, "s")


def _strength(initial: int = 1900, stopped: bool = False) -> Finding:
    [strength] = [s for s in _report(initial, stopped).analysis.strengths if s.title.startswith("Objective O1 ")]
    return strength


def test_a_harm_still_growing_just_under_its_target_is_met_so_far() -> None:
    strength = _strength()
    assert strength.title == "Objective O1 met so far (Public information and warning)"
    assert strength.detail.startswith("1,980 at the end, still open against a target of 2,000: met so far, 20 people "
                                      "under it and still growing when the run stopped (incident N was still open at "
                                      "the end, its reach doubling every ")


def test_a_harm_that_stopped_growing_or_is_far_under_is_plainly_met() -> None:
    for strength in (_strength(stopped=True), _strength(initial=1000)):
        assert strength.title == "Objective O1 met (Public information and warning)"
        assert "so far" not in strength.detail


def test_the_objectives_table_says_met_so_far_as_the_strength_does() -> None:
    report = _report()
    assert report.scores.objectives[0].reason.startswith("met so far; incident N was still open at the end")
    [table] = [b for b in objectives(report).blocks if isinstance(b, Table)]
    why = table.rows[0][table.header.index("Why")].text
    assert why.startswith("met so far; incident N was still open at the end"), why
    for plain in (_report(stopped=True), _report(initial=1000)):
        assert plain.scores.objectives[0].reason.startswith("met the target")
