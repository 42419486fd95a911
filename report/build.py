"""Building the after-action report: gather its data, then lay out each section once for every renderer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ballotdrill.journal import Event
from ballotdrill.report import sections_back as back
from ballotdrill.report import sections_front as front
from ballotdrill.report import sections_incidents as incidents
from ballotdrill.report.report import Report, assemble
from ballotdrill.report.sections_live import played_section
from ballotdrill.report.view import Context, Section
from ballotdrill.scenarios.scenario import ScenarioFile


def build_report(events: Iterable[Event], doc: ScenarioFile, scenario_name: str,
                 meta: Mapping[str, str] | None = None) -> Report:
    """Score the run and assemble the after-action report, its sections laid out (HSEEP AAR/IP outline)."""
    return laid_out(assemble(events, doc, scenario_name, meta))


def laid_out(report: Report) -> Report:
    """``report`` with its sections and cover laid out (from :meth:`ReportFeed.assemble` or :func:`assemble`)."""
    return report.model_copy(update={"sections": sections(report), "cover": front.cover(report)})


def sections(report: Report) -> list[Section]:
    """Every section of ``report`` in reading order: key findings, 1–7, appendices A–D."""
    ctx = Context(report.actor_names, report.scores.start)
    live = played_section(report, ctx)
    return [
        front.key_findings(report), front.overview(report, ctx), front.objectives(report),
        incidents.incidents_section(report, ctx), back.handoffs_section(report, ctx), back.load_section(report),
        back.analysis_section(report), incidents.inject_log_section(report), *([live] if live else []),
        back.plan_appendix(report),
        back.thresholds_appendix(report), back.steps_appendix(report, ctx), incidents.event_log_appendix(report),
    ]
