"""Reports: sections, determinism, escaping of scenario text, run folders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from scoring_helpers import SCENARIO_YAML, JournalBuilder, sample_events, scenario_file, write_run

from ballotdrill.application import RunFolderError, load_run, write_reports
from ballotdrill.exports import write_jsonl
from ballotdrill.journal import Event
from ballotdrill.report import Report, build_report, render_html, render_json, render_markdown

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SECTIONS = ("key-findings", "overview", "objectives", "incidents", "handoffs", "load", "analysis", "inject-log",
            "improvement-plan", "thresholds", "steps", "event-log")


def _report() -> Report:
    return build_report(sample_events(), scenario_file(), "demo")


def test_html_has_every_section_three_charts_and_no_script() -> None:
    html = render_html(_report())
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert html.count("<svg") == 3 and 'id="chart-gantt"' in html and 'id="chart-handoffs"' in html
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert re.search(r'<span class="badge rM"[^>]*>M</span>', html)
    assert "No actor was a bottleneck: wherever the 90th-percentile queue wait reached 15 min" in html


def test_markdown_follows_the_outline() -> None:
    md = render_markdown(_report())
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Key findings", "## 1. Exercise overview", "## 2. Objectives and capability ratings",
                        "## 3. Incidents: timeline and narrative", "## 4. Handoff chains", "## 5. Load per actor",
                        "## 6. Analysis of capabilities", "## 7. Inject log",
                        # a decision timed out in its journal:
                        "## 8. Live exercise: its clock, and what the players decided and said",
                        "## Appendix A. Improvement plan",
                        "## Appendix B. Rating thresholds and definitions", "## Appendix C. Steps against targets",
                        "## Appendix D. Event list of the scripted incidents"]
    assert "| **O1** | Public information and warning |" in md


def test_json_is_the_whole_report_with_sorted_keys() -> None:
    text = render_json(_report())
    data = json.loads(text)
    assert set(data) >= {"overview", "scores", "analysis", "narratives", "moments", "inject_log", "thresholds"}
    assert "sections" not in data
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data["scores"]["objectives"][0]["rating"] == "M"


def test_same_journal_same_bytes() -> None:
    first, second = _report(), build_report(list(reversed(sample_events())), scenario_file(), "demo")
    assert render_html(first) == render_html(second)
    assert render_markdown(first) == render_markdown(second)
    assert render_json(first) == render_json(second)


def test_date_comes_from_meta_only() -> None:
    report = build_report(sample_events(), scenario_file(), "demo", {"date": "2024-06-09"})
    assert "2024-06-09" in render_html(report) and report.overview.date == "2024-06-09"
    assert _report().overview.date is None


def _hostile_doc_and_events() -> tuple[str, list[Event]]:
    text = SCENARIO_YAML.replace("name: Test structure", f"name: '{SCRIPT}'")
    text = text.replace("name: Monitoring cell", f"name: '{IMG}'")
    text = text.replace("title: Results-night test", f"title: '{SCRIPT}{IMG}'")
    text = text.replace("description: A wave and an outage.", f"description: '{IMG}'")
    text = text.replace("basis: [Test basis]", f"basis: ['{SCRIPT}']")
    text = text.replace("capability: Operational coordination", f"capability: '{SCRIPT}'")
    events = []
    for e in sample_events():
        if e.kind == "incident_started" and e.incident == "N1":
            e = e._replace(data={**e.data, "title": SCRIPT + IMG})
        if e.kind == "step_completed" and e.step == "alert-interior":
            e = e._replace(data={**e.data, "basis": IMG})
        events.append(e)
    b = JournalBuilder()
    b.events = events
    b.add(900, "inject_delivered", "N1", "monitoring", inject="I3", type="message", text=SCRIPT + IMG, **{"from": IMG})
    return text, b.events


def test_hostile_scenario_text_is_escaped_everywhere() -> None:
    text, events = _hostile_doc_and_events()
    report = build_report(events, scenario_file(text), "demo")
    html = render_html(report)
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("&lt;script&gt;") >= 5
    md = render_markdown(report)
    assert "<script" not in md.lower() and "<img" not in md.lower() and "&lt;script&gt;" in md


def test_write_reports_from_a_sqlite_run_folder(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", sample_events(), scenario_file(), extra_meta={"date": "2024-06-09"})
    paths = write_reports(run)[1]
    assert [p.name for p in paths] == ["report.html", "report.md", "scores.json"]
    loaded = load_run(run)
    assert loaded.scenario == "demo" and len(loaded.events) == len(sample_events())
    assert loaded.events == sample_events()
    direct = build_report(sample_events(), scenario_file(), "demo", {"date": "2024-06-09"})
    assert (run / "report.html").read_text(encoding="utf-8") == render_html(direct)
    again = [p.read_bytes() for p in write_reports(run)[1]]
    assert again == [p.read_bytes() for p in paths]


def test_load_run_from_json_lines(tmp_path: Path) -> None:
    write_jsonl(sample_events(), tmp_path / "journal.jsonl")
    meta = {"scenario": "demo", "seed": "7", "document": scenario_file().model_dump_json(by_alias=True)}
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    run = load_run(tmp_path)
    assert run.scenario == "demo" and run.events == sample_events()


def test_load_run_without_a_journal_says_so(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match=r"no journal\.sqlite here .*ballotdrill run"):
        load_run(tmp_path)


def test_load_run_of_a_damaged_journal_says_so(tmp_path: Path) -> None:
    (tmp_path / "journal.sqlite").write_bytes(b"this is not a database")
    with pytest.raises(RunFolderError, match=r"cannot read the run"):
        load_run(tmp_path)
