"""The report's back: handoff chains, load, analysis per capability, improvement plan, thresholds, steps."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from ballotdrill.report.charts import SLOW_LATENCY, handoff_links
from ballotdrill.report.report import Report
from ballotdrill.report.view import Block, Card, Cell, Chart, Context, Details, Heading, Para, Section, Table, cell
from ballotdrill.scoring.findings import Finding
from ballotdrill.scoring.model import ChannelStats, Handoff, ObjectiveResult, StepResult
from ballotdrill.scoring.ranking import MATERIAL_SHARE
from ballotdrill.scoring.summary import wait_text
from ballotdrill.scoring.text import HARM_MEASURES, evidence_rows, hour_label, minutes, percent
from ballotdrill.scoring.work import WorkFold


def _status(h: Handoff) -> Cell:
    moved = h.channel != h.first_channel  # received on another channel; else a retry on the same one
    flags = [f for f, on in (("rerouted", h.rerouted and moved), ("retried", h.rerouted and not moved),
                             ("ping-pong", h.ping_pong), ("nobody on duty", h.unstaffed)) if on]
    status = str(h.status).replace("_", " ")
    return cell(status, tag=", ".join(flags),
                flag="" if status == "received" and not h.unstaffed else "warn" if status == "in transit" else "bad")


def _handoff_table(chains: Sequence[Handoff], ctx: Context) -> Table:
    return Table(
        header=["Incident", "Step", "From → to", "Channel", "Sent", "Latency", "Attempts", "Status", "Rows"],
        numeric=[False, False, False, False, True, True, True, False, False],
        rows=[[cell(h.incident), cell(h.step), cell(f"{ctx.who(h.sender)} → {ctx.who(h.receiver)}"),
               cell((h.first_channel or "direct") + (f" → {h.channel or 'direct'}" if h.channel != h.first_channel
                                                     else "")),  # received, travelling or dropped on its last
               cell(ctx.at(h.sent_at)), cell(minutes(h.latency)), cell(h.attempts), _status(h),
               cell(evidence_rows(h.evidence))] for h in chains])


def handoffs_section(report: Report, ctx: Context) -> Section:
    s = report.scores
    hs = s.handoff_summary
    background = {i.incident for i in s.incidents if i.background}
    blocks: list[Block] = [
        Para(text=f"{hs.total:,} handoff(s): {hs.received:,} received, {hs.failed_attempts:,} failed attempt(s), "
             f"{hs.reroutes:,} retried or rerouted, {hs.ping_pongs:,} ping-pong(s), {hs.drops:,} dropped, "
             f"{hs.in_transit:,} still in transit, {hs.unstaffed:,} into "
             f"an actor with nobody on duty; mean latency {minutes(hs.mean_latency)}."),
        Chart(name="handoffs")]
    links = handoff_links(s, report.work)
    if links:
        blocks += [Heading(text="Links between actors"), Table(
            header=["From", "To", "Channel", "Handoffs", "Mean latency", "Longest", "Failed attempts",
                    "Dropped or lost", "Flags"],
            numeric=[False, False, False, True, True, True, True, True, False], compact=True,
            row_marks=["" if x.state == "ok" else x.state for x in links],
            rows=[[cell(ctx.who(x.sender)), cell(ctx.who(x.receiver)), cell(", ".join(x.channels)), cell(x.count),
                   cell(minutes(x.mean_latency)), cell(minutes(x.max_latency)),
                   cell(f"{x.failures} failed" if x.failures else "0", flag="warn" if x.failures else ""),
                   cell(f"{x.lost} lost" if x.lost else "0", flag="bad" if x.lost else ""),
                   cell(", ".join([*(["slow"] if x.slow else []), *([f"{x.ping_pongs} ping-pong"] if x.ping_pongs
                                                                     else [])]))] for x in links]),
            Para(text=f"One row per sender and receiver, in the order of the matrix rows; “slow” is a mean latency "
                 f"of {minutes(SLOW_LATENCY)} or more.", muted=True)]
    own = [h for h in s.handoffs if h.incident not in background]
    bg = [h for h in s.handoffs if h.incident in background]
    if own:
        blocks += [Heading(text="Handoffs of the scripted incidents"), _handoff_table(own, ctx)]
    work = report.work
    if work is None:  # no fold of the run: its lists are the whole run
        fold, inject = WorkFold(), {i.incident: i.inject for i in s.incidents}
        for n, h in enumerate(bg):
            fold.add([], [(n, h)], inject.get(h.incident, ""), False)
        work = fold.tables()
    if work.background_handoffs:
        blocks += [Heading(text="Handoffs of background arrivals"), Table(
            header=["Inject", "Handoffs", "Failed attempts", "Retried or rerouted", "Not received", "Longest latency"],
            numeric=[False, True, True, True, True, True],
            rows=[[cell(g.inject, strong=True), cell(g.handoffs), cell(g.failed_attempts), cell(g.rerouted),
                   cell(g.not_received), cell(minutes(g.longest_latency))] for g in work.background_handoffs]),
            _each(report, "background-handoffs", bg, work.background_handoff_count, "handoff(s)",
                  lambda shown: _handoff_table(shown, ctx))]
    if s.channels:
        blocks += [Heading(text="Channels"), _channel_table(s.channels)]
    return Section(id="handoffs", title="4. Handoff chains", blocks=blocks)


def _channel_table(channels: list[ChannelStats]) -> Table:
    """Attempts, failures and latency per channel; with the lines used when a channel has a capacity."""
    header = ["Channel", "Attempts", "Failures", "Dropped", "Mean latency"]
    rows = [[cell(c.channel), cell(c.attempts), cell(c.failures), cell(c.drops), cell(minutes(c.mean_latency))]
            for c in channels]
    if any(c.capacity is not None for c in channels):
        header += ["Peak lines in use", "Waited for a line", "Longest line wait", "Busy", "Failures under load"]
        for row, c in zip(rows, channels, strict=True):
            row += ([cell(f"{c.peak_occupancy or 0} of {c.capacity}"), cell(c.waited),
                     cell(minutes(c.longest_line_wait)), cell(c.busy), cell(c.failures_under_load)]
                    if c.capacity is not None else [cell("no limit"), *(cell("") for _ in range(4))])
    return Table(header=header, numeric=[False, *([True] * (len(header) - 1))], rows=rows)


def load_section(report: Report) -> Section:
    return Section(id="load", title="5. Load per actor", blocks=[Chart(name="load"), Table(
        header=["Actor", "Steps", "Utilisation", "Wait mean", "Wait p90", "Wait max", "Longest queue",
                "Busiest hour", "Queued, nobody on duty"],
        numeric=[False, *([True] * 8)],
        rows=[[cell(x.name), cell(x.steps), cell(percent(x.utilisation) + (f" + {minutes(x.off_duty_minutes)} off duty"
                                                               if x.off_duty_minutes >= 0.5 else "")),
               cell(minutes(x.wait_mean)),
               cell(wait_text(x.wait_p90)), cell(minutes(x.wait_max)), cell(x.longest_queue),
               cell("—" if x.busiest_hour is None else f"{hour_label(x.busiest_hour)} ({x.busiest_hour_starts})"),
               cell(x.unstaffed_queued)] for x in report.scores.load])])


def _card(f: Finding, plan_ids: dict[str, str]) -> Card:
    if f.kind == "strength":
        return Card(kind="strength", title=f.title, lines=[Para(text=f.detail)],
                    evidence=evidence_rows(f.evidence) if f.evidence else "")
    lines = [Para(text=f.detail), Para(label="Root cause:", text=f.root_cause)]
    if f.recommendation:
        ref = f" ({plan_ids[f.recommendation]})" if f.recommendation in plan_ids else ""
        lines.append(Para(label="Recommendation:", text=f.recommendation + ref))
    lines.append(Para(label="Priority:", text=priority_reason(f), muted=True))
    return Card(kind="improvement", title=f.title, tag=f"priority {f.priority}", lines=lines,
                evidence=evidence_rows(f.evidence))


def priority_reason(f: Finding) -> str:
    """Why a finding has its priority: the objectives it explains, its share of the harm, a loss."""
    parts = [f"explains objective(s) {', '.join(f.explains)}"] if f.explains else []
    if f.cause == "unmeasured" and not f.harm_share and not f.weighed_with:
        parts.append("its harm, which no objective measures, is told here; " + (
            "its fix is an objective to measure it, not a lever of the response (the delays behind it weigh on their "
            "own findings)" if f.lever.startswith("harm:") else "its failed containment came too late in the time it "
            f"did harm to weigh (under {MATERIAL_SHARE:.0%} of that time left after it)"))
    if f.harm_share:
        parts.append(f"behind {percent(f.harm_share)} of the run's harm by time ({' / '.join(HARM_TEXT)}, the largest "
                     "share; a share of the time harm was done, not of harm avoided)")
    if f.cause in ("deadline", "drop"):
        parts.append("a legal deadline missed" if f.cause == "deadline" else "a handoff dropped: its procedure stopped")
    if f.cause == "objective" and not f.explains:  # (explains: the objectives on its own lever, itself first)
        parts.append("the objective's own rating")
    if f.weighed_with:
        parts.append(f"its lever is weighed with “{f.weighed_with}”")
    why = "; ".join(parts) if parts else "explains no objective and no harm"
    return f"{f.priority} (weight {f.weight:g}: {why})"


HARM_TEXT = [m.replace("_", "-") for m in HARM_MEASURES]


def analysis_section(report: Report) -> Section:
    """Strengths and areas for improvement grouped per capability, with that capability's objectives."""
    a, s = report.analysis, report.scores
    plan_ids = {p.recommendation: p.id for p in a.plan}
    order: list[str] = []
    for cap in [o.capability for o in s.objectives] + [f.capability for f in (*a.improvements, *a.strengths)]:
        if cap not in order:
            order.append(cap)
    blocks: list[Block] = []
    if not a.improvements and not a.strengths:
        blocks.append(Para(text="No area for improvement was found and no strength stood out.", muted=True))
    for cap in order:
        improvements = [f for f in a.improvements if f.capability == cap]
        strengths = [f for f in a.strengths if f.capability == cap]
        objectives = [o for o in s.objectives if o.capability == cap]
        if not (improvements or strengths or objectives):
            continue
        blocks.append(Heading(text=f"Capability: {cap}" if cap else "Across capabilities"))
        if objectives:
            blocks.append(Para(label="Objectives:", text="; ".join(f"{o.id} rated {o.rating} ({o.value_text or '—'} "
                                                                   f"against {o.target_text})" for o in objectives)))
        causes = {r.objective: r.cause for r in a.rated_s}
        if not improvements and not strengths:
            blocks.append(Para(text=_no_finding(objectives, a.improvements, causes), muted=True))
        else:  # an S whose design meets its target has no finding of its own: its cause, when no lever explains it
            blocks += [Para(label=f"{o.id} rated S:", text=f"{causes[o.id]}.", muted=True)
                       for o in objectives if o.rating == "S" and o.id in causes]
        blocks += [_card(f, plan_ids) for f in improvements] + [_card(f, plan_ids) for f in strengths]
    return Section(id="analysis", title="6. Analysis of capabilities", blocks=blocks)


def _no_finding(objectives: Sequence[ObjectiveResult], improvements: Sequence[Finding],
                causes: Mapping[str, str]) -> str:
    """A capability with no finding of its own: why its objectives rated S, M or U raise none here (``causes``: per
    objective rated S that no finding explains, its cause)."""
    said = []
    for o in objectives:
        if o.rating not in ("S", "M", "U"):
            continue
        where = next((f for f in improvements if any(e.startswith(f"{o.id} ({o.rating}") for e in f.explains)),
                     None)
        said.append(f"{o.id} (rated {o.rating}) is explained by “{where.title}”, under "
                    f"{where.capability or 'no capability'}" if where is not None else
                    f"{o.id} (rated {o.rating}) has no finding of its own (M and U do; an S only when its design "
                    f"misses the target): {causes.get(o.id) or 'no cause was found'}")
    return "No finding for this capability" + (": " + "; ".join(said) if said else "") + "."


def plan_appendix(report: Report) -> Section:
    a = report.analysis
    if not a.plan:
        return Section(id="improvement-plan", title="Appendix A. Improvement plan",
                       blocks=[Para(text="Nothing to plan.", muted=True)])
    return Section(id="improvement-plan", title="Appendix A. Improvement plan", blocks=[
        Para(text="Start and completion dates are left for the planner. The responsible organisation owns the "
             "lever of the corrective action (the actor's organisation, the channel's or the procedure's owner as "
             "the structure names them, else the actor itself), to be confirmed; the capability element follows "
             "from the root cause (Appendix B).", muted=True),
        Table(header=["#", "Capability", "Capability element", "Corrective action", "Primary responsible organisation",
                      "Start date", "Completion date", "Priority", "From finding"],
              numeric=[False] * 7 + [True, False],
              rows=[[cell(p.id, strong=True), cell(p.capability), cell(p.element),
                     cell(p.recommendation), cell(p.responsible), cell(""), cell(""), cell(p.priority),
                     cell(p.finding)] for p in a.plan])])


def thresholds_appendix(report: Report) -> Section:
    return Section(id="thresholds", title="Appendix B. Rating thresholds and definitions", blocks=[
        Table(header=["Rating", "Lower is better (time, reach, voter-minutes, station-minutes)",
                      "Higher is better (on-time share)"],
              rows=[[cell(report.rating_scale.get(k, k), rating=k), cell(low), cell(high)]
                    for k, low, high in report.thresholds]),
        Table(header=["Term", "Definition"], rows=[[cell(t), cell(d)] for t, d in report.finding_thresholds])])


def _steps_table(rows: Sequence[StepResult], ctx: Context) -> Table:
    return Table(
        header=["Incident", "Procedure / step", "Actor", "Wait", "Elapsed", "Target", "Late by", "Deadline"],
        numeric=[False, False, False, True, True, True, True, False],
        rows=[[cell(x.incident), cell(f"{x.procedure} / {x.step}"), cell(ctx.who(x.actor)), cell(minutes(x.wait)),
               cell("unfinished", flag="ok") if x.completed_at is None else
               cell(minutes(x.elapsed, [mark for mark in (x.target, x.deadline) if mark is not None])),
               cell(minutes(x.target)), cell(minutes(x.late_by, (0.0,)), flag="warn" if x.late_by else ""),
               _deadline(x)] for x in rows])


def _deadline(x: StepResult) -> Cell:
    if x.deadline is None:
        return cell("—")
    met = "met" if x.deadline_met else "missed" if x.deadline_met is False else ""
    return cell(minutes(x.deadline), tag=met, flag="bad" if x.deadline_met is False else "ok" if met else "",
                note=x.basis)


def steps_appendix(report: Report, ctx: Context) -> Section:
    s = report.scores
    background = {i.incident for i in s.incidents if i.background}
    own = [x for x in s.steps if x.incident not in background]
    bg = [x for x in s.steps if x.incident in background]
    blocks: list[Block] = [_steps_table(own, ctx)] if own else []
    work = report.work
    if work is None:  # no fold of the run: its lists are the whole run
        fold = WorkFold()
        fold.add(list(enumerate(bg)), [], "", True)
        work = fold.tables()
    if work.background_steps:
        blocks += [Heading(text="Steps of background arrivals"), Table(
            header=["Procedure / step", "Actor", "Instances", "Late", "Unfinished", "Longest wait", "Worst late by"],
            numeric=[False, False, True, True, True, True, True],
            rows=[[cell(f"{g.procedure} / {g.step}"), cell(ctx.who(g.actor)), cell(g.instances), cell(g.late),
                   cell(g.unfinished), cell(minutes(g.longest_wait)), cell(minutes(g.worst_late))]
                  for g in work.background_steps]),
            _each(report, "background-steps", bg, work.background_step_count, "step(s)",
                  lambda shown: _steps_table(shown, ctx))]
    return Section(id="steps", title="Appendix C. Steps against targets", blocks=blocks)


Item = TypeVar("Item", StepResult, Handoff)


def _each(report: Report, block_id: str, items: list[Item], total: int, noun: str,
          table: Callable[[list[Item]], Table]) -> Details:
    """The collapsed table of each background arrival's steps or handoffs: those of the arrivals listed one by
    one (all of them below the cap; the table above counts every one, ``total`` in all)."""
    listed = {k for g in report.background for k in g.incidents}
    shown = [x for x in items if x.incident in listed]
    summary = (f"Each of the {total:,} {noun}" if len(shown) == total else
               f"{len(shown):,} of the {total:,} {noun}: those of the arrivals listed one by one "
               "(all counted in the table above)")
    return Details(id=block_id, markdown=False, summary=summary, blocks=[table(shown)])
