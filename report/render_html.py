"""The after-action report as one self-contained HTML page (Jinja2, autoescape on, no JavaScript)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from ballotdrill.report import charts
from ballotdrill.report.report import Report
from ballotdrill.scoring.text import clock, evidence_rows, hour_label, minutes, number, percent


@cache
def environment() -> Environment:
    """The Jinja2 environment: autoescaping always on, strict undefined, report filters."""
    env = Environment(loader=PackageLoader("ballotdrill.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(minutes=minutes, number=number, percent=percent, rows=evidence_rows, hour=hour_label)
    return env


def render_html(report: Report) -> str:
    """The report page: same report, same bytes."""
    scores = report.scores
    names = report.actor_names
    start = scores.start

    def at(t: float | None) -> str:
        return clock(start, t)

    template = environment().get_template("report.html.j2")
    return template.render(
        r=report, o=report.overview, s=scores, a=report.analysis, names=names, at=at,
        gantt=charts.gantt(scores, report.incident_labels, names),
        graph=charts.handoff_graph(scores, names), load=charts.load_chart(scores),
        links=charts.handoff_links(scores), slow_latency=charts.SLOW_LATENCY,
        harm={h.incident: h for h in scores.harm},
        incidents={i.incident: i for i in scores.incidents},
        background={i.incident for i in scores.incidents if i.background},
        plan_ids={p.recommendation: p.id for p in report.analysis.plan},
    )
