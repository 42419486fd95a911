"""The after-action report as Markdown, and as canonical JSON (``scores.json``)."""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.report.charts import SLOW_LATENCY, handoff_links
from ballotdrill.report.report import Report
from ballotdrill.scenarios.safetext import markdown_text
from ballotdrill.scoring.model import dumps
from ballotdrill.scoring.text import clock, evidence_rows, hour_label, minutes, number, percent


def md(text: object) -> str:
    """Text safe in a Markdown table cell: no raw HTML, links, images, pipes or line breaks."""
    return markdown_text(text)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    """The report in Markdown, following the same HSEEP AAR/IP outline as the HTML."""
    o, s, a, names = report.overview, report.scores, report.analysis, report.actor_names

    def at(t: float | None) -> str:
        return clock(s.start, t)

    def who(key: str) -> str:
        return names.get(key, key)

    out = [f"# After-action report: {md(o.title)}", ""]
    meta = [f"scenario `{md(o.scenario)}`", md(o.window)]
    if o.structure:
        meta.append(md(o.structure))
    if o.seed is not None:
        meta.append(f"seed {o.seed}")
    if o.date:
        meta.append(md(o.date))
    out += [" · ".join(meta), "", "## Key findings", "",
            f"- **Bottleneck:** {md(a.key.bottleneck_text)}", f"- **Handoffs:** {md(a.key.worst_channel_text)}",
            f"- **Fix first:** {md(a.key.first_fix)}",
            "- **Objectives:** " + ", ".join(f"{k} {v}" for k, v in a.key.ratings.items()), ""]
    out += ["## 1. Exercise overview", ""]
    overview = [("Exercise", f"{o.title} ({o.scenario})"), ("Scenario", o.description),
                ("Basis", "; ".join(o.basis)), ("Response structure", o.structure),
                ("Window (day D)", f"{o.window}; the run stopped at {at(s.until)}"),
                ("Scope", f"{o.injects} MSEL inject(s); {s.totals.incidents} incident(s), "
                          f"{s.totals.handoffs} handoff(s)"),
                ("Seed", "—" if o.seed is None else o.seed), ("Date", o.date or "")]
    out += _table(["Item", "Value"], [(k, v) for k, v in overview if v not in ("", None)])
    out += ["### Participants", ""]
    out += _table(["Organisation / cell", "Key", "Staff on duty", "Level"],
                  [(p.name, p.key, p.staff_text or p.staff, p.level or "—") for p in o.participants])
    out += ["Staff on duty: outside any shift, then in brackets the staff of each daily shift and its hours.", ""]
    out += ["## 2. Objectives and capability ratings", ""]
    out += _table(["Objective", "Capability", "Measure", "Target", "Result", "Rating", "Why", "Evidence"],
                  [(x.id, x.capability, f"{x.kind}: {x.subject}", x.target_text, x.value_text, x.rating, x.reason,
                    evidence_rows(x.evidence)) for x in s.objectives])
    out += ["Rating scale (HSEEP): " + "; ".join(f"**{k}** {md(v)}" for k, v in report.rating_scale.items())
            + ". Thresholds in Appendix B.", ""]
    out += ["## 3. Incidents: timeline and narrative", ""]
    harm = {h.incident: h for h in s.harm}
    incidents = {i.incident: i for i in s.incidents}
    background = {i.incident for i in s.incidents if i.background}
    header = ["Incident", "Type", "Sev.", "Start", "Detect", "First action", "Contain", "Resolve", "Reach",
              "Voter-min", "Station-min"]

    def incident_rows(ids: Sequence[str]) -> list[tuple[object, ...]]:
        return [(i.incident, i.type, i.severity, at(i.started_at), minutes(i.to_detect),
                 minutes(i.to_first_action), minutes(i.to_contain), minutes(i.to_resolve),
                 number(harm[i.incident].reach), number(harm[i.incident].voter_minutes),
                 number(harm[i.incident].station_minutes) + (" (open)" if harm[i.incident].open else ""))
                for i in (incidents[k] for k in ids)]

    out += ["### Scripted incidents", ""]
    out += _table(header, incident_rows(report.scripted)) if report.scripted else ["No scripted incident.", ""]
    if report.background:
        out += ["### Background arrivals", "",
                "One row per background inject (`every:`); medians over the arrivals that got that far.", ""]
        out += _table(["Inject", "Incident", "Arrivals", "Open", "Median detect", "Median contain",
                       "Median resolve", "Reach", "Voter-min", "Station-min"],
                      [(g.inject, g.title or g.type, g.count, g.open, minutes(g.median_detect),
                        minutes(g.median_contain), minutes(g.median_resolve), number(g.reach),
                        number(g.voter_minutes), number(g.station_minutes)) for g in report.background])
        for g in report.background:
            out += [f"#### Arrivals of {md(g.inject)}", ""]
            out += _table(header, incident_rows(g.incidents))
    for incident in report.scripted:
        if incident in report.narratives:
            out += [f"### {md(report.incident_headings.get(incident, incident))}", "",
                    md(" ".join(report.narratives[incident])), ""]
    bg_told = [k for k in report.narratives if k in background]
    if bg_told:
        out += ["### Background arrivals: narratives", ""]
        out += [f"- **{md(k)}**: {md(' '.join(report.narratives[k]))}" for k in bg_told] + [""]
    hs = s.handoff_summary
    out += ["## 4. Handoff chains", "",
            f"{hs.total} handoff(s): {hs.received} received, {hs.failed_attempts} failed attempt(s), "
            f"{hs.reroutes} reroute(s), {hs.ping_pongs} ping-pong(s), {hs.drops} dropped or lost, "
            f"{hs.unstaffed} into an actor with nobody on duty; mean latency {minutes(hs.mean_latency)}.", ""]
    links = handoff_links(s)
    if links:
        out += ["### Links between actors", "",
                f"One row per sender and receiver; “slow” is a mean latency of {minutes(SLOW_LATENCY)} or more.", ""]
        out += _table(["From", "To", "Channel", "Handoffs", "Mean latency", "Longest", "Failed attempts",
                       "Dropped or lost", "Flags"],
                      [(who(x.sender), who(x.receiver), ", ".join(x.channels), x.count, minutes(x.mean_latency),
                        minutes(x.max_latency), f"**{x.failures}**" if x.failures else 0,
                        f"**{x.lost}**" if x.lost else 0,
                        ", ".join([*(["slow"] if x.slow else []),
                                   *([f"{x.ping_pongs} ping-pong"] if x.ping_pongs else [])]))
                       for x in links])
        out += ["### Handoffs", ""]
    if s.handoffs:
        out += _table(["Incident", "Step", "From → to", "Channel", "Sent", "Latency", "Attempts", "Status", "Rows"],
                      [(h.incident, h.step, f"{who(h.sender)} → {who(h.receiver)}",
                        (h.first_channel or "direct")
                        + (f" → {h.channel or 'direct'}" if h.channel != h.first_channel and h.status == "received"
                           else ""),
                        at(h.sent_at), minutes(h.latency), h.attempts,
                        ", ".join([h.status] + [f for f, on in (("rerouted", h.rerouted), ("ping-pong", h.ping_pong),
                                                               ("nobody on duty", h.unstaffed)) if on]),
                        evidence_rows(h.evidence))
                       for h in [*(h for h in s.handoffs if h.incident not in background),
                                 *(h for h in s.handoffs if h.incident in background)]])
        out += ["### Channels", ""]
        out += _table(["Channel", "Attempts", "Failures", "Dropped", "Mean latency"],
                      [(c.channel, c.attempts, c.failures, c.drops, minutes(c.mean_latency)) for c in s.channels])
    out += ["## 5. Load per actor", ""]
    out += _table(["Actor", "Steps", "Utilisation", "Wait mean", "Wait p90", "Wait max", "Longest queue",
                   "Busiest hour", "Queued, nobody on duty"],
                  [(x.name, x.steps, percent(x.utilisation), minutes(x.wait_mean), minutes(x.wait_p90),
                    minutes(x.wait_max), x.longest_queue,
                    "—" if x.busiest_hour is None else f"{hour_label(x.busiest_hour)} ({x.busiest_hour_starts})",
                    x.unstaffed_queued) for x in s.load])
    out += ["## 6. Analysis of capabilities", "", "### Areas for improvement", ""]
    plan_ids = {p.recommendation: p.id for p in a.plan}
    for f in a.improvements:
        out += [f"- **{md(f.title)}** (priority {f.priority}). {md(f.detail)} Root cause: {md(f.root_cause)}. "
                f"Capability: {md(f.capability)}."
                + (f" Recommendation: {md(f.recommendation)} ({plan_ids[f.recommendation]})."
                   if f.recommendation in plan_ids else "")
                + f" Evidence: rows {evidence_rows(f.evidence)}."]
    out += ["" if a.improvements else "No area for improvement was found.", "", "### Strengths", ""]
    for f in a.strengths:
        out += [f"- **{md(f.title)}**. {md(f.detail)}" + (f" Evidence: rows {evidence_rows(f.evidence)}." if f.evidence
                                                            else "")]
    out += ["" if a.strengths else "No strength stood out.", "", "## Appendix A. Improvement plan", ""]
    out += _table(["#", "Corrective action", "Capability", "Primary responsible organisation", "Priority",
                   "From finding"],
                  [(p.id, p.recommendation, p.capability, p.responsible, p.priority, p.finding) for p in a.plan])
    out += ["## Appendix B. Rating thresholds and definitions", ""]
    out += _table(["Rating", "Lower is better", "Higher is better (on-time share)"],
                  [(f"{k} {report.rating_scale[k]}", low, high) for k, low, high in report.thresholds])
    out += _table(["Term", "Definition"], report.finding_thresholds)
    out += ["## Appendix C. Steps against targets", ""]
    out += _table(["Incident", "Procedure / step", "Actor", "Wait", "Elapsed", "Target", "Late by", "Deadline"],
                  [(x.incident, f"{x.procedure} / {x.step}", who(x.actor), minutes(x.wait),
                    "unfinished" if x.completed_at is None else minutes(x.elapsed), minutes(x.target),
                    minutes(x.late_by),
                    "—" if x.deadline is None else f"{minutes(x.deadline)} "
                    + ("met" if x.deadline_met else "missed" if x.deadline_met is False else ""))
                   for x in [*(x for x in s.steps if x.incident not in background),
                             *(x for x in s.steps if x.incident in background)]])
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    """``scores.json``: the whole report as data (sorted keys, stable)."""
    return dumps(report.model_dump(mode="json"))
