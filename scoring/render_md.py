"""The after-action report as Markdown, and as canonical JSON (``scores.json``)."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.model import dumps
from scoring.report import Report
from scoring.text import clock, hour_label, minutes, number, percent


def md(text: object) -> str:
    """Text safe in a Markdown table cell: no raw HTML, no pipes, no line breaks."""
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return out.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _rows(seqs: Sequence[int], limit: int = 12) -> str:
    text = ", ".join(f"#{s}" for s in seqs[:limit])
    return text + (f" … (+{len(seqs) - limit})" if len(seqs) > limit else "")


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
    out += _table(["Organisation / cell", "Key", "Staff", "Level"],
                  [(p.name, p.key, p.staff, p.level or "—") for p in o.participants])
    out += ["## 2. Objectives and capability ratings", ""]
    out += _table(["Objective", "Capability", "Measure", "Target", "Result", "Rating", "Why", "Evidence"],
                  [(x.id, x.capability, f"{x.kind}: {x.subject}", x.target_text, x.value_text, x.rating, x.reason,
                    _rows(x.evidence)) for x in s.objectives])
    out += ["Rating scale (HSEEP): " + "; ".join(f"**{k}** {md(v)}" for k, v in report.rating_scale.items())
            + ". Thresholds in Appendix B.", ""]
    out += ["## 3. Incidents: timeline and narrative", ""]
    harm = {h.incident: h for h in s.harm}
    out += _table(["Incident", "Type", "Sev.", "Start", "Detect", "First action", "Contain", "Resolve", "Reach",
                   "Voter-min", "Station-min"],
                  [(i.incident, i.type, i.severity, at(i.started_at), minutes(i.to_detect),
                    minutes(i.to_first_action), minutes(i.to_contain), minutes(i.to_resolve),
                    number(harm[i.incident].reach), number(harm[i.incident].voter_minutes),
                    number(harm[i.incident].station_minutes) + (" (open)" if harm[i.incident].open else ""))
                   for i in s.incidents])
    for incident, sentences in report.narratives.items():
        out += [f"### {md(incident)}: {md(report.incident_labels.get(incident, incident))}", "",
                md(" ".join(sentences)), ""]
    hs = s.handoff_summary
    out += ["## 4. Handoff chains", "",
            f"{hs.total} handoff(s): {hs.received} received, {hs.failed_attempts} failed attempt(s), "
            f"{hs.reroutes} reroute(s), {hs.ping_pongs} ping-pong(s), {hs.drops} dropped or lost, "
            f"{hs.unstaffed} into an actor with nobody on duty; mean latency {minutes(hs.mean_latency)}.", ""]
    if s.handoffs:
        out += _table(["Incident", "Step", "From → to", "Channel", "Sent", "Latency", "Attempts", "Status", "Rows"],
                      [(h.incident, h.step, f"{who(h.sender)} → {who(h.receiver)}",
                        (h.first_channel or "direct") + (f" → {h.channel or 'direct'}" if h.rerouted else ""),
                        at(h.sent_at), minutes(h.latency), h.attempts,
                        ", ".join([h.status] + [f for f, on in (("rerouted", h.rerouted), ("ping-pong", h.ping_pong),
                                                               ("nobody on duty", h.unstaffed)) if on]),
                        _rows(h.evidence)) for h in s.handoffs])
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
    for f in a.improvements:
        out += [f"- **{md(f.title)}** (priority {f.priority}). {md(f.detail)} Root cause: {md(f.root_cause)}. "
                f"Capability: {md(f.capability)}. Evidence: rows {_rows(f.evidence)}."]
    out += ["" if a.improvements else "No area for improvement was found.", "", "### Strengths", ""]
    for f in a.strengths:
        out += [f"- **{md(f.title)}**. {md(f.detail)}" + (f" Evidence: rows {_rows(f.evidence)}." if f.evidence
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
                   for x in s.steps])
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    """``scores.json``: the whole report as data (sorted keys, stable)."""
    return dumps(report.model_dump(mode="json"))
