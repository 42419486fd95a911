"""Incidents (timeline, tables, the moments that matter), the inject log, and the full event list."""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.report.injects import BACKGROUND, InjectEntry, arrivals_texts
from ballotdrill.report.report import BackgroundGroup, Report
from ballotdrill.report.view import Block, Cell, Chart, Context, Details, Heading, Items, Para, Section, Table, cell
from ballotdrill.scoring.model import Harm, IncidentTimes
from ballotdrill.scoring.text import evidence_rows, minutes, number, took_from

INCIDENT_HEADER = ["Incident", "Type", "Sev.", "Start", "Detect", "First action", "Contain", "Resolve", "Harm"]
INCIDENT_NUMERIC = [False, False, True, True, True, True, True, True, True]


def harm_text(h: Harm | None) -> str:
    """``12,000 reached, 1,535 station-min``, ``0 votes lost`` for an incident a ``votes_lost`` objective measures (an
    em dash for none)."""
    if h is None:
        return "—"
    parts = [f"{number(v)} {unit}" for v, unit in ((h.reach, "reached"), (h.voter_minutes, "voter-min"),
                                                   (h.station_minutes, "station-min")) if v]
    if h.votes_lost is not None:  # measured by an objective: said even when none was lost
        parts.append(f"{number(h.votes_lost)} votes lost")
    return ", ".join(parts) or "—"


def _incident_row(inc: IncidentTimes, harm: dict[str, Harm], ctx: Context) -> list[Cell]:
    h = harm.get(inc.incident)
    return [cell(inc.incident, strong=True), cell(inc.type), cell(inc.severity), cell(ctx.at(inc.started_at)),
            cell(_after(inc, inc.to_detect, ctx)), cell(_after(inc, inc.to_first_action, ctx)),
            cell(_contained(inc, ctx)), cell(_after(inc, inc.to_resolve, ctx)),
            cell(harm_text(h), tag="open" if h is not None and h.open else "", flag="bad" if h and h.open else "")]


def _after(inc: IncidentTimes, took: float | None, ctx: Context) -> str:
    """``took`` minutes after ``inc`` started, as the clocks read (:func:`~ballotdrill.scoring.text.took_from`)."""
    return took_from(ctx.start, inc.started_at, took)


def _contained(inc: IncidentTimes, ctx: Context) -> str:
    """Minutes to containment; for an incident that went away by itself, said so (no response contained it)."""
    took = _after(inc, inc.to_contain, ctx)
    return f"ended by itself after {took}" if inc.contained_how == "ended" and inc.to_contain is not None else took


def incident_table(incidents: Sequence[IncidentTimes], harm: dict[str, Harm], ctx: Context) -> Table:
    return Table(header=INCIDENT_HEADER, numeric=INCIDENT_NUMERIC,
                 rows=[_incident_row(i, harm, ctx) for i in incidents])


def _worst(g: BackgroundGroup, incidents: dict[str, IncidentTimes], harm: dict[str, Harm], ctx: Context) -> str:
    parts = []
    if g.worst_contain is not None:
        inc, h = incidents[g.worst_contain], harm.get(g.worst_contain)
        parts.append(f"{inc.incident} still open at the end (since {ctx.at(inc.started_at)})" if h and h.open
                     else f"{inc.incident} {'ended by itself' if inc.contained_how == 'ended' else 'contained'} "
                     f"after {_after(inc, inc.to_contain, ctx)}")
    if g.worst_harm is not None and g.worst_harm != g.worst_contain:
        parts.append(f"most harm {g.worst_harm} ({harm_text(harm.get(g.worst_harm))})")
    return "; ".join(parts) or "—"


def incidents_section(report: Report, ctx: Context) -> Section:
    s = report.scores
    incidents = {i.incident: i for i in s.incidents}
    harm = {h.incident: h for h in s.harm}
    blocks: list[Block] = [Chart(name="gantt"), Heading(text="Scripted incidents")]
    if report.scripted:
        blocks.append(incident_table([incidents[k] for k in report.scripted], harm, ctx))
    else:
        blocks.append(Para(text="No scripted incident in this run.", muted=True))
    if report.adhoc:
        blocks += [Heading(text="Ad-hoc incidents (added by the facilitator)"),
                   incident_table([incidents[k] for k in report.adhoc], harm, ctx)]
    if report.background:
        blocks += [
            Heading(text="Background arrivals"),
            Para(text="Repeated arrivals from the scenario's background injects (every:), one row per inject; "
                 "medians over the arrivals that got that far, harm summed over all of them.", muted=True),
            Table(header=["Inject", "Incident", "Arrivals", "Open at end", "Median detect", "Median contain",
                          "Median resolve", "Harm", "Worst case"],
                  numeric=[False, False, True, True, True, True, True, True, False],
                  rows=[[cell(g.inject, strong=True), cell(g.title or g.type), cell(g.count),
                         cell(g.open, flag="bad" if g.open else ""), cell(minutes(g.median_detect)),
                         cell(minutes(g.median_contain)), cell(minutes(g.median_resolve)),
                         cell(harm_text(Harm(incident=g.inject, reach=g.reach, voter_minutes=g.voter_minutes,
                                             station_minutes=g.station_minutes))),
                         cell(_worst(g, incidents, harm, ctx))] for g in report.background]),
        ]
        blocks += [Details(id=f"background-{g.inject}", markdown=False,
                           summary=f"{g.inject} {g.title or g.type}: " + (
                               f"each of its {g.count:,} arrival(s)" if len(g.incidents) == g.count else
                               f"{len(g.incidents):,} of its {g.count:,} arrivals (the first ones and the worst "
                               "cases; all counted in the row above)"),
                           blocks=[incident_table([incidents[k] for k in g.incidents], harm, ctx)])
                   for g in report.background]
        if report.background_note:
            blocks.append(Para(text=f"{report.background_note}.", muted=True))
        else:
            blocks.append(Para(text="Each background arrival is listed in report.html (collapsed) and scores.json.",
                               muted=True, markdown_only=True))
    blocks.append(Para(text="Times are counted from each incident's start. Harm is measured at containment, or at "
                       "the end of the run for an incident still open.", muted=True))
    for incident in [*report.scripted, *report.adhoc]:
        moments = report.moments.get(incident, [])
        blocks += [Heading(text=report.incident_headings.get(incident, incident), id=f"incident-{incident}"),
                   Items(items=[cell(m) for m in moments]),
                   Para(text=f"The full account of {incident}, event by event: Appendix D.", muted=True)]
    return Section(id="incidents", title="3. Incidents: timeline and narrative", blocks=blocks)


def inject_log_section(report: Report) -> Section:
    counted = {s.key: s for s in report.scores.background.injects}

    def grouped(e: InjectEntry) -> tuple[str, str]:
        """A background inject's status and what followed, its counts grouped (``scores.json`` keeps them plain)."""
        stats = counted.get(e.id) if e.type == BACKGROUND else None
        return (e.status, e.observed) if stats is None else arrivals_texts(stats.arrivals, stats.worked_on,
                                                                           stats.open_at_end, ",")

    rows = [[cell(e.id, strong=True), cell(e.time), cell(e.type), cell(e.event, note=f"to {e.to}" if e.to else ""),
             cell(status, flag="" if e.delivered else "warn"), cell(e.expected or "—"),
             cell(observed or "—", evidence=evidence_rows(e.evidence))]
            for e in report.inject_log for status, observed in [grouped(e)]]
    blocks: list[Block] = [
        Para(text="Every inject of the MSEL: whether it was delivered (a contingency inject is released only when "
             "its condition holds), the response the scenario expects, and what the journal shows happened.",
             muted=True),
        Table(header=["#", "Time", "Type", "Inject", "Delivered", "Expected response", "What the journal shows"],
              rows=rows) if rows else Para(text="The scenario has no inject.", muted=True)]
    return Section(id="inject-log", title="7. Inject log", blocks=blocks)


def event_log_appendix(report: Report) -> Section:
    blocks: list[Block] = [Para(text="The full account of each scripted incident, event by event. Background "
                                "arrivals are summarised in section 3 and listed in scores.json.", muted=True)]
    for incident in [*report.scripted, *report.adhoc]:
        sentences = report.narratives.get(incident, [])
        blocks.append(Details(id=f"events-{incident}", muted_summary=False,
                              summary=f"{report.incident_headings.get(incident, incident)} ({len(sentences)} events)",
                              blocks=[Items(items=[cell(x) for x in sentences])]))
    return Section(id="event-log", title="Appendix D. Event list of the scripted incidents", blocks=blocks)
