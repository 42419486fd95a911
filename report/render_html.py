"""The after-action report as one self-contained HTML page (Jinja2, autoescape on, no JavaScript)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from ballotdrill.report import charts
from ballotdrill.report.html_parts import PageParts, svg
from ballotdrill.report.report import Report
from ballotdrill.scenarios.safetext import html_value


@cache
def environment() -> Environment:
    """The Jinja2 environment: autoescaping always on, strict undefined."""
    return Environment(loader=PackageLoader("ballotdrill.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, finalize=html_value,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_html(report: Report) -> str:
    """The report page, its sections laid out as :func:`ballotdrill.report.build.sections` made them (its cells,
    tables and charts written by :mod:`ballotdrill.report.html_parts`)."""
    scores = report.scores
    names = report.actor_names
    parts = PageParts(report.rating_scale)
    drawn = {"gantt": charts.gantt(scores, report.incident_labels, names, report.work),
             "handoffs": charts.handoff_graph(scores, names, report.work), "load": charts.load_chart(scores)}
    return environment().get_template("report.html.j2").render(r=report, charts=drawn, cell=parts.cell,
                                                               table=parts.table, svg=svg)
