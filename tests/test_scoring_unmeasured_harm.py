"""Harm no objective measures gets a finding when it is large by the run's own measures — past every target an
objective sets on that measure and at least a quarter of the run's total of it (scoring/unmeasured.py) — and a line
in the key findings. Before, an incident no objective named could do most of the night's harm and show only in the
incident table (results-night-ddos seed 3: C1 at its 500,000 cap while O3, on N1, was a Strength). Hand-made
journals with known answers.

Polls 08:00-12:00, the run 06:00-12:00. M and X each close one polling station (station-minutes while the polls are
open); O1 keeps M's station-minutes under 60. The desk's 'fix' (30 min) contains with a 50% chance.

- M at 08:00, 'fix' done 08:30 contained it: 30 station-minutes (O1: P).
- X at 09:00, 'fix' done 09:30 did not contain it (its draw failed); p ended there: open to 12:00, 180
  station-minutes. The run's: 210; X's share 180 / 210 = 85.7 %, 3 times O1's 60. Weighed as p's finding by the
  harm done after the failure (as a background incident left open is): 150 of 210, 71.4 %, weight 4 × 0.714.
"""

from __future__ import annotations

from engine_helpers import at, load
from scoring_helpers import JournalBuilder

from ballotdrill.report.build import laid_out
from ballotdrill.report.render_md import render_markdown
from ballotdrill.report.report import Report, assemble
from ballotdrill.scoring.areas import Finding

_YAML = """
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
      - {at: "08:00", incident: {id: M, type: outage, severity: 2, stations: 1}, detected_by: {actor: desk, after: 0m}}
      - {at: "09:00", incident: {id: X, title: Station closed, type: outage, severity: 2, stations: 1},
         detected_by: {actor: desk, after: 0m}}
    objectives:
      - {id: O1, capability: Infrastructure systems, measure: {station_minutes: M}, target: 60}
"""
DOC = load(_YAML)
BOTH = load(_YAML.replace("target: 60}", "target: 60}\n      - {id: O2, capability: Infrastructure systems, "
                          "measure: {station_minutes: X}, target: 60}"))
NO_EFFECT = load(_YAML.replace(", effect: {contain: 0.5}", ""))


def _report(x_end: str | None = None, how: str = "ended", fails: bool = True, doc: object = DOC,
            running: str | None = None, failed_at: str | None = None) -> Report:
    """The run: X ends (``how``: ``ended`` by itself, ``effect``: 'fix' contained it) at ``x_end``, else it is open
    to 12:00; ``fails``: X's 'fix' at 09:30 failed (else X is not worked on, or only from ``running`` on, its 'fix'
    still in progress at the end); ``failed_at``: when X's failed 'fix' completed (else 09:30)."""
    b = JournalBuilder()
    b.add(0, "run_started", scenario="s", seed=1, start=360.0, end=360.0, until=360.0, polls=[120.0, 360.0])
    b.add(0, "staff_changed", actor="desk", staff=1)
    for incident, clock in (("M", "08:00"), ("X", "09:00")):
        t0 = at(clock)
        b.add(t0, "incident_started", incident, inject=incident, type="outage", severity=2, level="municipal",
              stations=1, throughput=0.0, title="Station closed" if incident == "X" else "")
        b.add(t0, "detected", incident, "desk")
        if incident == "X" and not fails:
            if running is not None:
                b.add(at(running), "procedure_started", incident, procedure="p", run=1)
                b.add(at(running), "step_started", incident, "desk", "fix", procedure="p", wait=0.0)
            continue
        b.add(t0, "procedure_started", incident, procedure="p", run=1)
        b.add(t0, "step_started", incident, "desk", "fix", procedure="p", wait=0.0)
        done = at(x_end) if incident == "X" and how == "effect" and x_end else \
            at(failed_at) if incident == "X" and failed_at else t0 + 30
        b.add(done, "step_completed", incident, "desk", "fix", procedure="p", elapsed=done - t0)
        if incident == "M":
            b.add(done, "contained", incident, "desk", how="effect" if doc is not NO_EFFECT else "completed",
                  station_minutes=30.0)
        elif (how != "effect" or x_end is None) and doc is not NO_EFFECT:
            b.add(done, "effect_failed", incident, "desk", "fix", procedure="p", contain=0.5)
        b.add(done, "procedure_ended", incident, procedure="p", run=1, outcome="completed")
    if x_end is not None:
        b.add(at(x_end), "contained", "X", *(("desk",) if how == "effect" else ()), how=how,
              station_minutes=at(x_end) - at("09:00"))
    b.add(at("12:00"), "run_ended", open_incidents=[] if x_end else ["X"], open_steps=1 if running else 0,
          harm={} if x_end else {"X": {"station_minutes": 180.0}})
    return assemble(b.events, doc, "s")  # type: ignore[arg-type]


def _unmeasured(report: Report) -> list[Finding]:
    return [f for f in report.analysis.improvements if f.cause == "unmeasured"]


def test_large_harm_no_objective_measures_is_a_finding_and_a_key_finding() -> None:
    report = _report()
    [found] = _unmeasured(report)
    assert found.title == "Harm no objective measures: X cost 180 station-minutes"
    assert found.detail == (
        "X (Station closed) cost 180 station-minutes: 86% of the run's station-minutes and 3.0 times the 60 O1 "
        "allows M, and no objective measures its station-minutes. It "
        "began at 09:00 and was detected at once by Desk; 'fix' (Desk, "
        "09:30, a 50% chance) completed without containing it; it was still open when the run stopped (12:00).")
    assert found.root_cause == "'fix' did not contain it; no objective measures its station-minutes"
    assert found.recommendation == ("Make 'fix' likelier to contain outage incidents, or give p a further containing "
                                    "step should it fail; and give X's station-minutes an objective of its own (as "
                                    "O1 does for M), so the exercise rates the response to it")
    assert (found.lever, found.harm_share, found.weight, found.priority, found.responsible) == (
        "procedure:p", 0.714, 2.856, 2, "Municipality")
    assert report.analysis.key.unmeasured_text == found.detail
    assert set(found.evidence) <= set(report.analysis.key.evidence)
    assert f"- **Harm no objective measures:** {found.detail}" in render_markdown(laid_out(report))


def test_an_incident_that_ended_by_itself_after_a_failed_containment_says_so() -> None:
    [found] = _unmeasured(_report(x_end="11:00"))  # 120 station-minutes of 150: 80 %, twice the target
    assert found.detail.endswith("'fix' (Desk, 09:30, a 50% chance) completed without containing it; it ended by "
                                 "itself at 11:00, 2 h 00 min after it began, before any response contained it.")
    assert "80% of the run's station-minutes and 2.0 times the 60 O1 allows M" in found.detail
    assert (found.harm_share, found.weight) == (0.6, 2.4)  # 90 of its 120 after the failed 'fix', of the run's 150


def test_one_contained_by_the_response_names_who_and_weighs_nothing() -> None:
    report = laid_out(_report(x_end="10:30", how="effect"))  # 90 of 120: 75 %, 1.5 times the target
    [found] = _unmeasured(report)
    assert "**Priority:** 4 (weight 0: its harm, which no objective measures, is told here; its fix is an objective " \
        "to measure it, not a lever of the response (the delays behind it weigh on their own findings))" in \
        render_markdown(report)
    assert found.detail.endswith("Desk contained it at 10:30, 1 h 30 min after it began.")
    assert "75% of the run's station-minutes and more than the 60 O1 allows M" in found.detail
    assert "completed without containing it" not in found.detail  # its 'fix' contained it
    assert (found.weight, found.priority, found.responsible, found.lever) == (0.0, 4, "Exercise planning team",
                                                                              "harm:X")
    assert found.recommendation == "Give X's station-minutes an objective of its own (as O1 does for M), so the " \
        "exercise rates the response to it"


def test_one_never_worked_on_has_no_containment_to_name() -> None:
    [found] = _unmeasured(_report(fails=False))
    assert "completed without containing it" not in found.detail
    assert found.detail.endswith("it was still open when the run stopped (12:00): no step of any procedure had "
                                 "started for it.")
    assert found.weight == 0.0


def test_one_whose_response_was_under_way_at_the_end_says_which_step() -> None:
    [found] = _unmeasured(_report(fails=False, running="11:45"))
    assert found.detail.endswith("it was still open when the run stopped (12:00): its response was still under way "
                                 "('fix' in progress).")


def test_small_harm_no_objective_measures_is_no_finding() -> None:
    report = _report(x_end="09:50", how="effect")  # 50 station-minutes, under the 60 O1 allows M
    assert not _unmeasured(report)
    assert report.analysis.key.unmeasured_text == ""
    assert "Harm no objective measures" not in render_markdown(laid_out(report))


def test_harm_an_objective_measures_is_not_told_again() -> None:
    report = _report(doc=BOTH)
    assert not _unmeasured(report)
    assert any(f.title.startswith("Objective O2 rated U") for f in report.analysis.improvements)


WAVES = load("""
version: 1
structure:
  actors:
    desk: {name: Desk, staff: 1}
  procedures:
    p:
      trigger: {type: disinformation}
      steps:
        - {id: debunk, actor: desk, duration: {dist: fixed, value: 30m}, effect: {contain: 0.5}}
scenarios:
  s:
    title: Waves
    start: "06:00"
    end: "12:00"
    injects:
      - {at: "06:00", incident: {id: N, type: disinformation, severity: 2,
                                 reach: {initial: 500, doubling: 10h, cap: 100000}}}
      - {at: "06:00", incident: {id: C, title: Amplified, type: disinformation, severity: 2,
                                 reach: {initial: 1000, doubling: 60m, cap: 6000}}}
    objectives:
      - {id: O1, capability: Public information and warning, measure: {reach: N}, target: 2000}
""")


def test_a_wave_at_its_cap_says_so_and_when() -> None:
    """C doubles every hour from 1,000 to its cap of 6,000: reached at 06:00 + 60 × log2(6) min = 08:35; never
    detected. N, O1's, is contained at 06:30 with 500."""
    b = JournalBuilder()
    b.add(0, "run_started", scenario="s", seed=1, start=360.0, end=360.0, until=360.0)
    for incident, reach in (("N", {"initial": 500, "doubling": 600.0, "cap": 100000}),
                            ("C", {"initial": 1000, "doubling": 60.0, "cap": 6000})):
        b.add(0, "incident_started", incident, inject=incident, type="disinformation", severity=2, level="municipal",
              reach=reach, title="Amplified" if incident == "C" else "")
    b.add(30, "contained", "N", how="ended", reach=500.0)
    b.add(at("12:00"), "run_ended", open_incidents=["C"], open_steps=0, harm={"C": {"reach": 6000.0}})
    report = assemble(b.events, WAVES, "s")
    [found] = _unmeasured(report)
    assert found.title == "Harm no objective measures: C reached 6,000 people"
    assert found.detail == ("C (Amplified) reached 6,000 people, its cap (from 08:35): 92% of the run's reach and 3.0 "
                            "times the 2,000 O1 allows N, and no objective measures its reach. It began at 06:00 "
                            "and was never detected; it was still open when the run stopped (12:00).")
    assert found.root_cause == "never detected; no objective measures its reach"


def test_one_whose_procedures_ended_without_containing_it_says_so() -> None:
    [found] = _unmeasured(_report(doc=NO_EFFECT))  # 'fix' contains nothing here: done at 09:30, X open to the end
    assert found.detail.endswith("it was still open when the run stopped (12:00): its procedures ended without "
                                 "containing it.")
    assert (found.weight, found.lever) == (0.0, "harm:X")


def test_a_containment_failing_too_late_to_weigh_says_so() -> None:
    """'fix' fails at 11:55: 5 of X's 180 station-minutes' 180 minutes left (2.8 %, under the 5 % a delay needs)."""
    report = laid_out(_report(failed_at="11:55"))
    [found] = _unmeasured(report)
    assert (found.lever, found.weight, found.priority) == ("procedure:p", 0.0, 4)
    assert "its failed containment came too late in the time it did harm to weigh (under 5% of that time left " \
        "after it)" in render_markdown(report)
