"""From a journal to measures, HSEEP ratings and after-action reports (HTML, Markdown, JSON).

Works from the journal (a sequence of events) and the scenario file alone: never SimPy,
never the CLI. ``scenarios <- exercise <- scoring <- cli``.
"""

from scoring.compare import Comparison, ComparisonRow, compare, comparison_json, comparison_rows
from scoring.findings import Analysis, Finding, KeyFindings, PlanItem, analyse
from scoring.model import Scores
from scoring.ocel import ocel_json, to_ocel
from scoring.ratings import rate
from scoring.render_html import render_html
from scoring.render_md import render_json, render_markdown
from scoring.report import Report, Run, build_report, load_run, write_reports
from scoring.score import score

__all__ = [
    "Analysis", "Comparison", "ComparisonRow", "Finding", "KeyFindings", "PlanItem", "Report", "Run", "Scores",
    "analyse", "build_report", "compare", "comparison_json", "comparison_rows", "load_run", "ocel_json", "rate",
    "render_html", "render_json", "render_markdown", "score", "to_ocel", "write_reports",
]
