"""The after-action report: built from the scores (HSEEP AAR/IP outline) and laid out as HTML, Markdown or JSON.

Presentation only: every number shown comes from :mod:`ballotdrill.scoring`.
"""

from ballotdrill.report.render_html import render_html
from ballotdrill.report.render_md import render_json, render_markdown
from ballotdrill.report.report import Report, build_report

__all__ = ["Report", "build_report", "render_html", "render_json", "render_markdown"]
