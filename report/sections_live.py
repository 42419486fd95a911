"""The live exercise's section: what the players decided and said, and the facilitators' and evaluators' notes."""

from __future__ import annotations

from ballotdrill.report.report import Report
from ballotdrill.report.view import Context, Para, Section, Table, cell


def played_section(report: Report, ctx: Context) -> Section | None:
    """Every human input of a live exercise in journal order (None for a batch run, which has none)."""
    if not report.played:
        return None
    rows = [[cell(ctx.at(p.t)), cell(ctx.who(p.who) if p.what != "note" else p.who), cell(p.what),
             cell(p.subject or "—"), cell(p.text, flag="warn" if p.text.startswith("no answer") else "",
                                          evidence=f"#{p.seq}")] for p in report.played]
    return Section(id="live", title="8. Live exercise: what the players decided and said", blocks=[
        Para(text="Decisions the played actors made (or let time out to the scenario's default), the actions they "
             "took, their answers to the injects' discussion questions, and the observations facilitators and "
             "evaluators noted, with the journal row of each.", muted=True),
        Table(header=["Time", "Who", "What", "About", "Decision, answer or note"], rows=rows)])
