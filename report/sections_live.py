"""The live exercise's section: how its clock ran, what the players decided and said, and the notes."""

from __future__ import annotations

from ballotdrill.report.liveclock import speed_text
from ballotdrill.report.played import PlayedInput
from ballotdrill.report.report import Report
from ballotdrill.report.view import Block, Context, Heading, Para, Section, Table, cell
from ballotdrill.scenarios.timefmt import format_clock_precise


def played_section(report: Report, ctx: Context) -> Section | None:
    """A live exercise's clock and every human input in journal order (None for a batch run, which has neither)."""
    if not report.played and report.live is None:
        return None
    blocks: list[Block] = []
    if report.live is not None:
        clock = report.live
        blocks += [Heading(text="The exercise's clock"),
                   Para(text=f"Played against the wall clock, starting at {speed_text(clock.speed)}. "
                        + ("Its speed, pauses and stops as the journal records them; the simulated clock stands "
                           "still while the exercise is paused or stopped, so how long each lasted is real time."
                           if clock.changes else "It ran at that speed throughout, never paused or stopped."),
                        muted=True)]
        if clock.changes:
            blocks.append(Table(header=["Time", "What"], rows=[
                [cell(ctx.at(c.t)), cell(c.text, evidence=f"#{c.seq}")] for c in clock.changes]))
    if report.played:
        rows = [[cell(_when(p, ctx, p.t)), cell(ctx.who(p.who) if p.what != "note" else p.who), cell(p.what),
                 cell(p.subject or "—"), cell(_told(p, ctx), evidence=f"#{p.seq}", flag=_flag(p))]
                for p in report.played]
        blocks += [Heading(text="What the players decided and said"),
                   Para(text="Decisions the played actors made (or let time out to the scenario's default, or left "
                        "open when the exercise ended: shown at the time they were asked), the "
                        "actions they took, their answers to the injects' discussion questions, and the "
                        "observations facilitators and evaluators noted, with the journal row of each.", muted=True),
                   Table(header=["Time", "Who", "What", "About", "Decision, answer or note"], rows=rows)]
    return Section(id="live", title="8. Live exercise: its clock, and what the players decided and said",
                   blocks=blocks)


def _told(p: PlayedInput, ctx: Context) -> str:
    """A row's text; a decision left open says when the exercise ended, which it was asked before."""
    if p.open and p.until is not None:
        return f"not decided: asked at {_when(p, ctx, p.t)}, the exercise ended at {_when(p, ctx, p.until)} first"
    return p.text


def _flag(p: PlayedInput) -> str:
    """A decision nobody took in time is marked (no answer by the timeout, a late answer, or left open)."""
    return "warn" if p.open or p.text.startswith(("no answer", "late")) else ""


def _when(p: PlayedInput, ctx: Context, t: float) -> str:
    """A row's time: a decision's to the second as the console and the players' pages showed it (a default taken at
    21:29:59.8 is "21:30", as "answer by 21:30" was, never the minute floored to 21:29); other rows to the minute."""
    return format_clock_precise(ctx.start + t) if p.what == "decision" else ctx.at(t)
