"""How an incident's story ends, told true for the case in front of it: an incident that ends by itself after its
response was dropped is not "ended while the response was under way"; one whose procedures completed without a
containing step did not "end by itself"; work that never started did not "wait before it started"; and the line
that sums up more late steps stands at the time of the latest of them."""

from __future__ import annotations

from test_report_sections import DRILL

from ballotdrill.exercise.run import run_exercise
from ballotdrill.report import build_report
from ballotdrill.scenarios import load_text

ENDS_AT_0930 = "{id: O1, type: outage, severity: 3, stations: 2, duration: {dist: fixed, value: 60m}}"


def _report(text: str) -> object:
    doc = load_text(text.replace("{id: O1, type: outage, severity: 3, stations: 2}", ENDS_AT_0930), "<drill>")
    return build_report(run_exercise(doc, "drill", seed=1, until_clock=11 * 60 + 15).events, doc, "drill")


def test_an_incident_that_ends_by_itself_after_its_response_was_dropped_says_so() -> None:
    # the phone never gets through and has no fallback: the repair is dropped at 08:57, O1 ends by itself at 09:30
    dropped = _report(DRILL.replace("phone: {latency: {dist: fixed, value: 12m}}",
                                    "phone: {latency: {dist: fixed, value: 12m}, reliability: 0, retries: 0}"))
    assert ("It ended by itself at 09:30, 1 h 00 min after it began, after its response had stopped (a handoff "
            "dropped); 120 station-minutes disrupted.") in dropped.moments["O1"]  # type: ignore[attr-defined]
    # the repair takes an hour (08:57-09:57): O1 ends while it is in progress
    running = _report(DRILL.replace("value: 30m}, effect: {contain: 1.0}", "value: 60m}, effect: {contain: 1.0}"))
    assert ("It ended by itself at 09:30, 1 h 00 min after it began, while the response was under way; "
            "120 station-minutes disrupted.") in running.moments["O1"]  # type: ignore[attr-defined]


def test_procedures_that_complete_without_a_containing_step_are_not_an_incident_ending_by_itself() -> None:
    doc = load_text(DRILL.replace(", effect: {contain: 1.0}", ""), "<drill>")
    report = build_report(run_exercise(doc, "drill", seed=1, until_clock=11 * 60 + 15).events, doc, "drill")
    told = report.narratives["O1"]
    assert any(line.startswith("Its procedures completed at 09:27, 57 min after it began (no step of theirs "
                               "contains it)") for line in told)
    assert not any("ended by itself" in line for line in told)


def test_work_that_never_started_did_not_wait_before_it_started() -> None:
    doc = load_text(DRILL.replace("cell: {name: Crisis cell, staff: 1}", "cell: {name: Crisis cell, staff: 0}"),
                    "<drill>")
    report = build_report(run_exercise(doc, "drill", seed=1, until_clock=11 * 60 + 15).events, doc, "drill")
    assert ("'repair' was still waiting at Crisis cell when the run stopped, 2 h 18 min after it arrived with nobody "
            "on duty.") in report.moments["O1"]
    assert not any("before it started" in line for line in report.moments["O1"])
