"""The handoff matrix and its table of links: every sender → receiver pair with its counts, failures marked."""

from __future__ import annotations

import re

from scoring_helpers import JournalBuilder, sample_events, scenario_file

from ballotdrill.journal import Event
from ballotdrill.report import build_report, render_html, render_markdown
from ballotdrill.report.charts import Link, handoff_graph, handoff_links

P = "disinfo-response"


def _events() -> list[Event]:
    """Four links: one with a failed attempt (then delivered), one plain, one dropped, one still in transit at the end
    (not a drop).

    Actors first appear in the order monitoring, interior, info: the matrix and table follow it.
    """
    b = JournalBuilder().start()
    b.add(730, "incident_started", "N1", type="disinformation", severity=3)
    b.add(740, "handoff_sent", "N1", "monitoring", "alert-interior", procedure=P, to="interior",
          channel="secure-mail", attempt=1)
    b.add(750, "handoff_failed", "N1", "monitoring", "alert-interior", procedure=P, to="interior",
          channel="secure-mail", attempt=1, next="phone")
    b.add(750, "handoff_sent", "N1", "monitoring", "alert-interior", procedure=P, to="interior", channel="phone",
          attempt=2)
    b.add(753, "handoff_received", "N1", "interior", "alert-interior", procedure=P, **{"from": "monitoring"},
          channel="phone", latency=13.0, attempts=2)
    b.add(760, "handoff_sent", "N1", "monitoring", "choose-response", procedure=P, to="interior", channel="phone",
          attempt=1)
    b.add(763, "handoff_received", "N1", "interior", "choose-response", procedure=P, **{"from": "monitoring"},
          channel="phone", latency=3.0, attempts=1)
    b.add(770, "handoff_sent", "N1", "interior", "publish-debunk", procedure=P, to="info", channel="phone",
          attempt=1)
    b.add(771, "handoff_received", "N1", "info", "publish-debunk", procedure=P, **{"from": "interior"},
          channel="phone", latency=1.0, attempts=1)
    b.add(780, "handoff_sent", "N1", "interior", "assess", procedure=P, to="monitoring", channel="phone", attempt=1)
    b.add(781, "handoff_failed", "N1", "interior", "assess", procedure=P, to="monitoring", channel="phone",
          attempt=1, next=None)
    b.add(790, "handoff_sent", "N1", "info", "assess", procedure=P, to="monitoring", channel="secure-mail",
          attempt=1)
    b.add(1020, "run_ended", open_incidents=["N1"], open_steps=[], harm={})
    return b.events


def _matrix(html: str) -> str:
    found = re.search(r'<svg[^>]*id="chart-handoffs".*?</svg>', html, flags=re.S)
    assert found is not None
    return found.group(0)


def test_links_sum_every_handoff_per_sender_and_receiver() -> None:
    links = handoff_links(build_report(_events(), scenario_file(), "demo").scores)
    assert [(x.sender, x.receiver, x.count, x.failures, x.lost, x.state) for x in links] == [
        ("monitoring", "interior", 2, 1, 0, "retry"),
        ("interior", "monitoring", 1, 1, 1, "drop"),
        ("interior", "info", 1, 0, 0, "ok"),
        ("info", "monitoring", 1, 0, 0, "ok"),
    ]
    first = links[0]
    assert first.channels == ["phone", "secure-mail"] and first.mean_latency == 8.0 and first.max_latency == 13.0
    assert not first.slow and first.band == "lat2"
    assert links[3].mean_latency is None and links[3].band == "lat-none"


def test_slow_follows_the_printed_minutes() -> None:
    def link(mean: float) -> Link:
        return Link(sender="a", receiver="b", channels=["phone"], count=1, mean_latency=mean, max_latency=mean,
                    failures=0, lost=0, ping_pongs=0)

    assert not link(9.4).slow and link(9.6).slow and link(15.0).slow
    assert [link(v).band for v in (0.5, 2.0, 5.0, 9.6)] == ["lat0", "lat1", "lat2", "lat3"]


def test_matrix_has_one_cell_per_link_with_counts_and_failures_marked() -> None:
    report = build_report(_events(), scenario_file(), "demo")
    svg = _matrix(render_html(report))
    cells = re.findall(r'<rect [^>]*class="(lat[^"]*)"><title>([^<]*)</title></rect>', svg)
    assert len(cells) == 4
    by_title = {title.split(" (")[0]: cls for cls, title in cells}
    assert by_title == {"Monitoring cell → FPS Interior elections": "lat2 mx-retry",
                        "FPS Interior elections → info": "lat0 mx-ok",
                        "FPS Interior elections → Monitoring cell": "lat-none mx-drop",
                        "info → Monitoring cell": "lat-none mx-ok"}
    assert any("2 handoff(s), mean latency 8 min; 1 failed attempt(s)" in title for _, title in cells)
    texts = re.findall(r'class="mx-(count|lat|bad)"[^>]*><title>[^<]*</title>([^<]*)</text>', svg)
    assert [t for kind, t in texts if kind == "count"] == ["2×", "1×", "1×", "1×"]
    assert [t for kind, t in texts if kind == "bad"] == ["1 failed", "1 failed", "1 lost"]  # row order
    assert "4 link(s) between 3 actor(s): 2 with failed attempts or losses" in svg
    assert len(handoff_graph(report.scores, report.actor_names).shapes) > 4 * 3


def test_links_table_lists_every_link_in_html_and_markdown() -> None:
    report = build_report(_events(), scenario_file(), "demo")
    html = render_html(report)
    table = re.search(r'<table class="links">.*?</table>', html, flags=re.S)
    assert table is not None
    rows = re.findall(r"<tr( class=\"link-\w+\")?><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>"
                      r"<td class=\"num\">(\d+)</td>", table.group(0))
    assert [(cls, frm, to, ch, n) for cls, frm, to, ch, n in rows] == [
        (' class="link-retry"', "Monitoring cell", "FPS Interior elections", "phone, secure-mail", "2"),
        (' class="link-drop"', "FPS Interior elections", "Monitoring cell", "phone", "1"),
        ("", "FPS Interior elections", "info", "phone", "1"),
        ("", "info", "Monitoring cell", "secure-mail", "1"),
    ]
    assert '<span class="flag warn">1 failed</span>' in table.group(0)
    assert table.group(0).count('<span class="flag bad">1 lost</span>') == 1
    md = render_markdown(report)
    assert "### Links between actors" in md
    assert ("| Monitoring cell | FPS Interior elections | phone, secure-mail | 2 | 8 min | 13 min | **1 failed** | 0 "
            "|  |" in md)
    # still in transit at the end, and no decision sent it back: neither lost nor ping-pong
    assert "| info | Monitoring cell | secure-mail | 1 | — | — | 0 | 0 |  |" in md


def test_a_run_without_handoffs_says_so() -> None:
    b = JournalBuilder().start()
    b.add(1020, "run_ended", open_incidents=[], open_steps=[], harm={})
    report = build_report(b.events, scenario_file(), "demo")
    html = render_html(report)
    assert "No handoff in this run." in _matrix(html) and 'class="links"' not in html
    assert "### Links between actors" not in render_markdown(report)


def test_sample_run_matrix() -> None:
    report = build_report(sample_events(), scenario_file(), "demo")
    assert [(x.sender, x.receiver, x.count, x.failures, x.slow) for x in handoff_links(report.scores)] == [
        ("monitoring", "interior", 1, 1, True), ("interior", "info", 1, 0, False)]
