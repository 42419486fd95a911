"""The report's sections on a small hand-made exercise whose every answer is known.

Fixed durations and latencies: O1 starts 08:30, the helpdesk notices it at 08:35, triages it
08:35–08:45, phones the repair to the crisis cell (12 min, received 08:57), which repairs it
08:57–09:27 and contains it. S1 (a rumour nobody handles) ends by itself at 08:43, before the
helpdesk notices it at 08:50. C1 would be released at 11:00 only if O1 were still open; L1
comes at 11:30, after the run stops (11:15). The repair's 30 min target counts from the procedure's
start (08:35), so it is 22 min late.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ballotdrill.application import load_run, run_to_folder
from ballotdrill.exercise.run import run_exercise
from ballotdrill.report import Report, build_report, render_html, render_markdown
from ballotdrill.report.render_md import md
from ballotdrill.scenarios import ScenarioError, ScenarioFile, load_text

DRILL = """
version: 1
structure:
  name: Small structure
  actors:
    desk: {name: Helpdesk, staff: 1}
    cell: {name: Crisis cell, staff: 1}
  channels:
    phone: {latency: {dist: fixed, value: 12m}}
  procedures:
    fix:
      trigger: {type: outage}
      steps:
        - {id: triage, actor: desk, duration: {dist: fixed, value: 10m}, target: 15m}
        - {id: repair, actor: cell, via: phone, duration: {dist: fixed, value: 30m}, effect: {contain: 1.0},
           target: 30m}
scenarios:
  drill:
    title: "Drill ![x](http://example.invalid/x.png) [click](http://example.invalid/)"
    date: "2024-06-09"
    location: Brussels, crisis centre
    sponsor: National crisis centre
    contacts: [{name: Ann Peeters, role: exercise director, email: ann@example.invalid}]
    start: "08:00"
    end: "12:00"
    injects:
      - {id: O1, at: "08:30", incident: {id: O1, type: outage, severity: 3, stations: 2},
         detected_by: {actor: desk, after: {dist: fixed, value: 5m}}, expected: Repaired within an hour.}
      - {id: M1, at: "09:00", message: {to: cell, text: Press asks what happened}, expected: A holding statement.}
      - {id: C1, at: "11:00", when: {incident: O1, is_not: contained}, message: {to: cell, text: Still down}}
      - {id: L1, at: "11:30", incident: {id: L1, type: outage, severity: 2}}
      - {id: S1, at: "08:40", incident: {id: S1, type: rumour, severity: 2, duration: {dist: fixed, value: 3m}},
         detected_by: {actor: desk, after: {dist: fixed, value: 10m}}}
    objectives:
      - {id: OB1, capability: Infrastructure systems,
         measure: {time: from incident O1 start to incident O1 contained}, target: 90m}
"""


def _doc(text: str = DRILL) -> ScenarioFile:
    return load_text(text, "<drill>")


def _report(meta: dict[str, str] | None = None) -> Report:
    doc = _doc()
    events = run_exercise(doc, "drill", seed=1, until_clock=11 * 60 + 15).events
    return build_report(events, doc, "drill", meta)


def test_key_moments_tell_detection_action_handoff_and_containment() -> None:
    moments = _report().moments
    assert moments["O1"] == [
        "At 08:30 outage O1 began (outage, severity 3).",
        "Helpdesk detected it at 08:35, 5 min later.",
        "Helpdesk took the first action, 'triage' (fix), at 08:35, 5 min after it began.",
        "The handoff of 'repair' to Crisis cell took 12 min on phone.",
        "Crisis cell completed 'repair' at 09:27, 22 min past its 30 min target.",
        "Crisis cell contained it at 09:27, 57 min after it began; 114 station-minutes disrupted.",
    ]
    assert "It ended by itself at 08:43, 3 min after it began, before it was detected." in moments["S1"]


def test_inject_log_shows_delivered_not_released_and_not_reached() -> None:
    log = {e.id: e for e in _report().inject_log}
    assert (log["O1"].status, log["O1"].delivered) == ("delivered 08:30", True)
    assert log["O1"].expected == "Repaired within an hour."
    assert log["O1"].observed == ("detected after 5 min by Helpdesk; first action after 5 min; "
                                  "contained after 57 min by Crisis cell")
    assert (log["M1"].status, log["M1"].observed) == ("delivered 09:00", "message delivered to Crisis cell")
    assert (log["C1"].status, log["C1"].delivered) == ("not released (its condition did not hold)", False)
    assert log["L1"].status == "not reached (the run stopped at 11:15)"
    assert log["S1"].observed == ("noticed after 10 min by Helpdesk (after its end); no response step; ended by "
                                  "itself after 3 min")
    md_text = render_markdown(_report())
    assert "| **C1** | 11:00 if O1 is not contained | contingency inject |" in md_text
    assert "**not released (its condition did not hold)**" in md_text


def test_overview_has_date_place_sponsor_contacts_overrides_version_and_the_ratings_note() -> None:
    report = _report({"overrides": json.dumps(["structure.actors.desk.staff=2"]), "version": "9.9.9"})
    html, text = render_html(report), render_markdown(report)
    for needle in ("2024-06-09", "Brussels, crisis centre", "National crisis centre",
                   "Ann Peeters, exercise director, ann@example.invalid", "structure.actors.desk.staff=2",
                   "ballotdrill 9.9.9", "Ratings are simulated bands", "07:00 to 20:00 (default)"):
        assert needle in html and needle in text
    assert "none: the scenario file as written" in render_markdown(_report())


def test_a_date_that_is_no_calendar_date_is_refused_with_its_line() -> None:
    with pytest.raises(ScenarioError, match=r"<drill>:\d+:\d+: 'date' must be a calendar date YYYY-MM-DD.*2024-02-30"):
        _doc(DRILL.replace('date: "2024-06-09"', 'date: "2024-02-30"'))


def test_markdown_makes_links_and_images_in_user_text_inert() -> None:
    text = render_markdown(_report())
    assert "![x](" not in text and "[click](" not in text
    assert "Drill !\\[x\\](http://example.invalid/x.png) \\[click\\](http://example.invalid/)" in text
    assert md("`c` <d> [e](f) ![g](h)") == "\\`c\\` &lt;d&gt; \\[e\\](f) !\\[g\\](h)"
    html = render_html(_report())
    assert "<img" not in html and 'href="http' not in html and "<script" not in html.lower()


def test_event_list_is_collapsed_in_html_and_an_appendix_in_markdown() -> None:
    report = _report()
    html = render_html(report)
    details = re.search(r'<details class="background" id="events-O1">\s*<summary class="plain">(.*?)</summary>(.*?)'
                        r"</details>", html, re.S)
    assert details is not None and "O1" in details.group(1)
    assert "Crisis cell received &#39;repair&#39; from Helpdesk at 08:57" in details.group(2)
    text = render_markdown(report)
    appendix = text[text.index("## Appendix D."):]
    assert "Crisis cell received 'repair' from Helpdesk at 08:57 via phone, 12 min after it was sent." in appendix
    assert "received 'repair'" not in text[:text.index("## Appendix D.")]


def test_decisions_line_says_when_every_decision_was_the_default() -> None:
    from scoring_helpers import sample_events, scenario_file

    report = build_report(sample_events(), scenario_file(), "demo")
    assert (report.decisions.total, report.decisions.by) == (1, {"timeout": 1})
    assert "Every decision followed the scenario's default" in render_markdown(report)
    assert "No decision was asked in this run." in render_markdown(_report())


def test_overrides_are_recorded_in_the_run_folder(tmp_path: Path) -> None:
    doc = load_text(DRILL.replace("desk: {name: Helpdesk, staff: 1}", "desk: {name: Helpdesk, staff: 2}"), "<drill>")
    run_to_folder(doc, "drill", seed=1, folder=tmp_path / "run", overrides=["structure.actors.desk.staff=2"])
    meta = load_run(tmp_path / "run").meta
    assert json.loads(meta["overrides"]) == ["structure.actors.desk.staff=2"] and meta["version"]
    assert "`structure.actors.desk.staff=2`" in (tmp_path / "run" / "report.md").read_text(encoding="utf-8")


def test_a_failed_containment_is_told_and_explains_why_the_incident_stayed_open() -> None:
    doc = _doc(DRILL.replace("effect: {contain: 1.0}", "effect: {contain: 0.01}"))
    events = run_exercise(doc, "drill", seed=1, until_clock=11 * 60 + 15).events
    moments = build_report(events, doc, "drill").moments["O1"]
    assert ("At 09:27 'repair' by Crisis cell did not contain it (its containment effect had a 1% chance and "
            "failed).") in moments
    assert moments[-1].startswith("At the end of the run (11:15) it was still open; ")
    assert moments[-1].endswith(": its containment attempt failed.")


def test_moments_of_the_sample_run_tell_the_failed_handoff_the_queue_the_timeout_and_the_open_outage() -> None:
    from scoring_helpers import sample_events, scenario_file

    moments = build_report(sample_events(), scenario_file(), "demo").moments
    assert moments["N1"][3:7] == [
        "The handoff of 'alert-interior' from Monitoring cell to FPS Interior elections failed once on secure-mail and "
        "arrived via phone at 19:04, 13 min after it was first sent.",
        "'alert-interior' waited 16 min at FPS Interior elections before it started.",
        "FPS Interior elections completed 'alert-interior' at 19:30, 14 min past its 45 min target.",  # deadline met
        "FPS Interior elections chose 'debunk' at 'choose-response' at 19:45 (the default, no answer in time).",
    ]
    assert moments["D1"][-1] == ("At the end of the run (23:00) it was still open; 307,000 voter-minutes lost, "
                                 "1,535 station-minutes disrupted: no procedure responded to it.")
