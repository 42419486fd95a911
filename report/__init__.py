"""The after-action report: built from the scores (HSEEP AAR/IP outline) and laid out as HTML, Markdown or JSON.

Presentation only: every number shown comes from :mod:`ballotdrill.scoring`; each section is laid
out once (:mod:`ballotdrill.report.view`) and shown by both renderers.
"""

from ballotdrill.report.build import build_report
from ballotdrill.report.render_html import render_html
from ballotdrill.report.render_md import render_json, render_markdown
from ballotdrill.report.report import Report

__all__ = ["Report", "build_report", "render_html", "render_json", "render_markdown"]
