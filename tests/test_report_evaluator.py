"""What an evaluator who never saw the run needs: background arrivals summarised, staff with shifts,
advice that fits the structure, Gantt labels with full-text tooltips."""

from __future__ import annotations

import re

from scoring_helpers import SCENARIO_YAML, JournalBuilder, drop_and_gap, sample_events, scenario_file

from ballotdrill.journal import Event
from ballotdrill.report import build_report, render_html, render_markdown
from ballotdrill.report.charts import gantt, shorten
from ballotdrill.scoring import analyse, score
from ballotdrill.scoring.load import actor_names

SCRIPT = "<script>alert(1)</script>"


def _with_background() -> list[Event]:
    """The sample run plus three arrivals of background inject B9 (one still open at the end)."""
    events = [e for e in sample_events() if e.kind != "run_ended"]
    b = JournalBuilder()
    b.events = events
    for n, (t, contain) in enumerate([(400, 20.0), (420, 40.0), (500, None)], start=1):
        inc = f"B9-{n}"
        b.add(t, "incident_started", inc, type="equipment_failure", severity=2, inject="B9",
              title="Voting computer does not start", stations=1)
        b.add(t + 5 * n, "detected", inc, "monitoring")
        if contain is not None:
            b.add(t + contain, "contained", inc, "monitoring", how="effect", reach=0.0, voter_minutes=0.0,
                  station_minutes=contain)
            b.add(t + contain, "resolved", inc)
    b.add(1020, "run_ended", open_incidents=["D1", "B9-3"], open_steps=[],
          harm={"D1": {"reach": 0, "voter_minutes": 307000.0, "station_minutes": 1535.0},
                "B9-3": {"reach": 0, "voter_minutes": 0.0, "station_minutes": 520.0}})
    return b.events


def test_background_arrivals_are_summarised_per_inject_after_the_scripted_incidents() -> None:
    report = build_report(_with_background(), scenario_file(), "demo")
    assert report.scripted == ["D1", "N1"]
    [group] = report.background
    assert (group.inject, group.title, group.count, group.open) == ("B9", "Voting computer does not start", 3, 1)
    assert (group.median_detect, group.median_contain, group.median_resolve) == (10.0, 30.0, 30.0)
    assert group.station_minutes == 580.0 and group.incidents == ["B9-1", "B9-2", "B9-3"]
    assert (group.worst_contain, group.worst_harm) == ("B9-3", "B9-3")
    assert report.narratives.keys() == report.moments.keys() == {"D1", "N1"}  # arrivals are never narrated
    html = render_html(report)
    scripted_at, details_at = html.index("<h3>Scripted incidents</h3>"), html.index('id="background-B9"')
    assert scripted_at < details_at and "<details open" not in html
    summary = re.search(r'<details class="background" id="background-B9">\s*<summary>(.*?)</summary>', html, re.S)
    assert summary is not None and "each of its 3 arrival(s)" in summary.group(1)
    row = ("<td><strong>B9</strong></td><td>Voting computer does not start</td><td class=\"num\">3</td>"
           "<td class=\"num\"><span class=\"flag bad\">1</span></td><td class=\"num\">10 min</td>"
           "<td class=\"num\">30 min</td><td class=\"num\">30 min</td><td class=\"num\">580 station-min</td>"
           "<td>B9-3 still open at the end (since 14:20)</td>")
    assert row in html and html.index(row) < details_at < html.index("<strong>B9-1</strong>")
    md = render_markdown(report)
    assert ("| **B9** | Voting computer does not start | 3 | **1** | 10 min | 30 min | 30 min | 580 station-min "
            "| B9-3 still open at the end (since 14:20) |") in md
    assert md.index("### Scripted incidents") < md.index("### Background arrivals")
    assert "B9-1" not in md  # one row per inject, never one per arrival
    assert "B9-1" not in " ".join(" ".join(v) for v in report.moments.values())


def test_a_run_without_background_has_no_background_block() -> None:
    report = build_report(sample_events(), scenario_file(), "demo")
    assert report.background == [] and report.scripted == ["D1", "N1"]
    assert "<h3>Background arrivals</h3>" not in render_html(report)
    assert "### Background arrivals" not in render_markdown(report)


def test_participants_show_staff_with_their_shifts() -> None:
    text = SCENARIO_YAML.replace("info: {staff: 1}", 'info: {staff: 0, shifts: [{from: "08:00", to: "18:00", '
                                 'staff: 240}, {from: "18:00", to: "20:00", staff: 2}]}')
    report = build_report(sample_events(), scenario_file(text), "demo")
    staff = {p.key: p.staff_text for p in report.overview.participants}
    assert staff == {"monitoring": "2 (4 06:00–22:00)", "interior": "1",
                     "info": "0 (240 08:00–18:00, 2 18:00–20:00)"}
    assert '<td class="num">0 (240 08:00–18:00, 2 18:00–20:00)</td>' in render_html(report)
    assert "| `info` | 0 (240 08:00–18:00, 2 18:00–20:00) |" in render_markdown(report)


def test_failing_channel_whose_fallback_is_set_less_reliable_is_not_told_to_use_it_first() -> None:
    doc = scenario_file()  # secure-mail (reliability 1 by default) falls back to phone, set at 0.98
    analysis = analyse(score(sample_events(), doc, "demo"), actor_names(doc.structure), doc.structure)
    channel = next(f for f in analysis.improvements if f.title == "Handoffs failed on secure-mail")
    assert channel.recommendation == ("Make secure-mail more reliable for the handoffs of 'alert-interior'; its "
                                      "fallback phone is no better a first choice (set at 98% reliable against 100%)")
    assert "give it a fallback" not in " ".join(p.recommendation for p in analysis.plan)
    html = render_html(build_report(sample_events(), doc, "demo"))
    assert "<strong>Recommendation:</strong> Make secure-mail more reliable for the handoffs of" in html


def _drop_and_gap() -> list[Event]:
    b = drop_and_gap()
    b.add(33, "step_started", "N1", "info", "x", procedure="p", wait=30.0)
    b.add(40, "step_completed", "N1", "info", "x", procedure="p", elapsed=37.0)
    return b.events


def test_failing_channel_without_a_fallback_is_told_to_get_one() -> None:
    doc = scenario_file()
    analysis = analyse(score(_drop_and_gap(), doc, "demo"), actor_names(doc.structure), doc.structure)
    drop = next(f for f in analysis.improvements if f.cause == "drop")
    # (secure-mail, the only other channel, falls back to phone: as phone's fallback it would make a cycle)
    assert drop.recommendation == "Make phone more reliable, or give it a fallback channel: it has none"
    bare = analyse(score(_drop_and_gap(), doc, "demo"), actor_names(doc.structure))
    assert next(f for f in bare.improvements if f.cause == "drop").recommendation == (
        "Make phone more reliable or give it a fallback channel")


def test_queue_that_waited_for_nobody_on_duty_gets_shift_cover_not_more_staff() -> None:
    text = SCENARIO_YAML.replace("info: {staff: 1}", 'info: {staff: 0, shifts: [{from: "08:00", to: "18:00", '
                                 'staff: 3}]}')
    doc = scenario_file(text)
    analysis = analyse(score(_drop_and_gap(), doc, "demo"), actor_names(doc.structure), doc.structure)
    queue = next(f for f in analysis.improvements if f.title == "One long wait at info")
    assert "nobody on duty" in queue.root_cause
    assert queue.recommendation.startswith("Extend info's shift cover beyond 08:00–18:00, or set an on-call rota")
    assert "work arrived at 06:03 with nobody there" in queue.recommendation
    assert "Add staff" not in " ".join(p.recommendation for p in analysis.plan)
    nobody = analyse(score(_drop_and_gap(), scenario_file(), "demo"), actor_names(doc.structure),
                     scenario_file(SCENARIO_YAML.replace("info: {staff: 1}", "info: {staff: 0}")).structure)
    gap = next(f for f in nobody.improvements if f.cause == "shift_gap")
    assert gap.recommendation.startswith("Give info staff or an on-call rota: nobody is on duty at any time")


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    assert shorten("incident I1 (Group harasses voters at a polling station)", 36) == \
        "incident I1 (Group harasses voters…"
    assert shorten("short label", 36) == "short label"
    assert shorten("averyveryverylongwordwithoutspaces", 12) == "averyveryve…"
    assert len(shorten("x " * 40, 20)) <= 20


def test_gantt_rows_and_bars_carry_the_full_label_escaped() -> None:
    events = []
    for e in sample_events():
        if e.kind == "incident_started" and e.incident == "N1":
            e = e._replace(data={**e.data, "title": f"Group harasses voters at a polling station {SCRIPT}"})
        events.append(e)
    report = build_report(events, scenario_file(), "demo")
    chart = gantt(report.scores, report.incident_labels, report.actor_names)
    full = f"N1: Group harasses voters at a polling station {SCRIPT}"
    [row] = [s for s in chart.shapes if s.tag == "text" and s.title == full]
    assert row.text.endswith("…") and len(row.text) <= 34 and " " not in row.text[-2:]
    assert any(s.tag == "rect" and s.title.startswith(full) for s in chart.shapes)
    html = render_html(report)
    escaped = "N1: Group harasses voters at a polling station &lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<title>{escaped}</title>" in html and "<script" not in html.lower()
    steps = [s for s in chart.shapes if s.tag == "text" and s.attrs and ("class", "row-step") in s.attrs]
    assert steps and all(s.title for s in steps)
