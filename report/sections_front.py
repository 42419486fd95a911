"""The report's front: cover line, key findings, exercise overview, objectives and their ratings."""

from __future__ import annotations

from ballotdrill.report.injects import ADHOC
from ballotdrill.report.report import DecisionCount, Participant, Report, staff_text
from ballotdrill.report.view import Block, Cell, Context, Heading, KeyValues, Para, Section, Table, cell
from ballotdrill.scoring.text import evidence_rows

RATINGS_NOTE = ("Ratings are simulated bands: each is computed from one measure of this run against its target, "
                "not observed by an evaluator. They use HSEEP's scale for the players' performance of critical "
                "tasks, but one seed is one draw: judge a structure on the spread over many seeds (a sweep).")
"""The statement every report carries about what its ratings are."""

_BY = (("default", "by the scenario's default"), ("timeout", "by default after no answer in time"),
       ("recorded", "from a recorded decisions file"), ("player", "by players"),
       ("facilitator", "by the facilitator at the console"))


def decisions_text(d: DecisionCount) -> str:
    """``11 decisions: 11 by the scenario's default, …``; says so when no player chose anything."""
    if not d.total and not d.pending:
        return "No decision was asked in this run."
    known = dict(_BY)
    parts = [f"{d.by.get(k, 0):,} {words}" for k, words in _BY if d.by.get(k, 0) or k in ("default", "player")]
    parts += [f"{n:,} by {k}" for k, n in d.by.items() if k not in known]
    text = f"{d.total:,} decision(s) taken: " + ", ".join(parts)
    if d.pending:
        text += f"; {d.pending:,} still waiting for an answer at the end"
    defaulted = d.by.get("default", 0) + d.by.get("timeout", 0)
    if d.total and defaulted == d.total:
        text += (". Every decision followed the scenario's default, so the run exercised the default playbook, "
                 "not the players' judgement")
    return text + "."


def cover(report: Report) -> list[str]:
    """The line under the title: scenario, structure, window, seed, date and place."""
    o = report.overview
    parts = [f"Scenario {o.scenario}", o.structure, o.window, "" if o.seed is None else f"seed {o.seed}",
             o.exercise_date, o.location]
    return [p for p in parts if p]


def key_findings(report: Report) -> Section:
    a = report.analysis
    rows: list[tuple[str, list[Cell]]] = [
        ("Bottleneck", [cell(a.key.bottleneck_text)]), ("Handoffs", [cell(a.key.worst_channel_text)]),
        ("Fix first", [cell(a.key.first_fix)]),
        *([("Harm no objective measures", [cell(a.key.unmeasured_text)])] if a.key.unmeasured_text else []),
        ("Objectives", [cell(n, rating=r) for r, n in a.key.ratings.items()] or [cell("none stated")]),
        ("Decisions", [cell(decisions_text(report.decisions))]),
    ]
    blocks: list[Block] = [KeyValues(rows=rows, key_box=True)]
    if a.key.evidence:
        blocks.append(Para(text=f"Evidence: journal rows {evidence_rows(a.key.evidence)}", muted=True))
    return Section(id="key-findings", title="Key findings", blocks=blocks)


def overview(report: Report, ctx: Context) -> Section:
    o, s = report.overview, report.scores
    adhoc = [e for e in report.inject_log if e.type == ADHOC]
    rows: list[tuple[str, list[Cell]]] = [("Exercise", [cell(o.title), cell(o.scenario, code=True)])]
    for label, value in (("Date", o.exercise_date), ("Location", o.location), ("Sponsor", o.sponsor),
                         ("Scenario", o.description)):
        if value:
            rows.append((label, [cell(value)]))
    if o.contacts:
        rows.append(("Points of contact", [cell(_contact(c.name, c.role, c.organisation, c.email, c.phone))
                                           for c in o.contacts]))
    if o.basis:
        rows.append(("Basis", [cell(b) for b in o.basis]))
    rows += [
        ("Response structure", [cell((o.structure or "—") + (f": {o.structure_description}"
                                                            if o.structure_description else ""))]),
        ("Window (day D)", [cell(f"{o.window}; " + (
            f"the facilitator ended the exercise early at {ctx.at(s.until)}"
            if report.live is not None and report.live.ended_early is not None
            else f"the run stopped at {ctx.at(s.until)}"))]),
        *([("Election", [cell(o.election)])] if o.election else []),
        ("Polling hours", [cell(f"{o.polls}; harm to voters and stations counts only while the polls are open")]),
        ("Scope", [cell(f"{o.injects:,} MSEL inject(s)"
                        + (f" and {len(adhoc):,} ad-hoc inject(s) by the facilitator" if adhoc else "")
                        + f"; {s.totals.incidents:,} incident(s), {s.totals.handoffs:,} "
                        f"handoff(s), {s.totals.steps_completed:,} step(s) completed")]),
        ("Seed", [cell("—" if o.seed is None else str(o.seed))]),  # a name, not a count: never grouped
        *([("Played live", [cell(report.live.summary())])] if report.live is not None else []),
        ("Decisions", [cell(decisions_text(report.decisions))]),
        *([("Sweep point", [cell(f"{o.sweep_point}: a replication a sweep kept; the sweep's --set, its grid "
                                 "values and its variant's settings are the overrides below, each as 'run --set' "
                                 "takes it")])] if o.sweep_point else []),
        ("Overrides (--set)", [cell(v, code=True) for v in o.overrides]
         or [cell("none: the scenario file as written")]),
    ]
    if o.version:
        rows.append(("Tool", [cell(f"ballotdrill {o.version}")]))
    if o.date:
        rows.append(("Run date", [cell(o.date)]))
    participants = Table(
        header=["Organisation / cell", "Key", "Staff on duty", "Level", "Role"],
        numeric=[False, False, True, False, False],
        rows=[[cell(p.name), cell(p.key, code=True), cell(staff_text(p.staff, p.shifts, ",")), cell(p.level or "—"),
               cell(_role(p))] for p in o.participants])
    return Section(id="overview", title="1. Exercise overview", blocks=[
        KeyValues(rows=rows), Para(text=RATINGS_NOTE, label="About the ratings:"),
        Heading(text="Participants"), participants,
        Para(text="Staff on duty: outside any shift, then in brackets the staff of each daily shift and its hours; "
             "e.g. “0 (240 06:30–22:00)” means nobody outside 06:30–22:00 and 240 during it.", muted=True)])


def _role(participant: Participant) -> str:
    """The Role column: the structure's roles the actor played in the run (``organiser (structure role)``), then its
    own description."""
    played = ", ".join(participant.roles)
    roles = f"{played} (structure role{'s' if len(participant.roles) > 1 else ''})" if played else ""
    return "; ".join(part for part in (roles, participant.description) if part)


def _contact(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def objectives(report: Report) -> Section:
    s = report.scores
    blocks: list[Block] = []
    if s.objectives:
        blocks.append(Table(
            header=["Objective", "Capability", "Measure", "Target", "Result", "Rating", "Why"],
            numeric=[False, False, False, True, True, False, False],
            rows=[[cell(x.id, strong=True, note=x.description), cell(x.capability), cell(f"{x.kind}: {x.subject}"),
                   cell(x.target_text), cell(x.value_text or "—"), cell("", rating=x.rating),
                   cell(x.reason, evidence=evidence_rows(x.evidence))] for x in s.objectives]))
    else:
        blocks.append(Para(text="The scenario states no objectives.", muted=True))
    scale = "; ".join(f"{k} {v}" for k, v in report.rating_scale.items())
    blocks.append(Para(text=f"Rating scale (HSEEP): {scale}. Thresholds in Appendix B. {RATINGS_NOTE}", muted=True))
    return Section(id="objectives", title="2. Objectives and capability ratings", blocks=blocks)

