"""The facilitator's terminal: a rich dashboard on a terminal, plain lines otherwise.

Commands are read line by line from stdin (see :data:`ballotdrill.live.inputs.COMMANDS`); each
gets one line back, ``ok #N: …`` once committed or ``error: …`` (and nothing changes). Without
a terminal every journal line worth a facilitator's attention is printed as it is committed,
so a live exercise can be scripted and tested.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from typing import TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ballotdrill.journal import Event, Kind
from ballotdrill.journal.events import DecisionRequested, InjectDelivered
from ballotdrill.live.core import LiveCore
from ballotdrill.live.inputs import HELP, InputError, is_help, parse_command
from ballotdrill.live.session import Session
from ballotdrill.scenarios.safetext import terminal_text

QUIET = frozenset({Kind.STEP_QUEUED, Kind.STEP_STARTED, Kind.STEP_COMPLETED, Kind.HANDOFF_SENT,
                   Kind.HANDOFF_RECEIVED, Kind.PROCEDURE_STARTED, Kind.PROCEDURE_ENDED, Kind.STAFF_CHANGED})
"""Kinds the plain-lines mode leaves out (the dashboard shows their effect instead)."""


class FacilitatorConsole:
    """Reads commands, submits them, and shows what happened (plain lines or a dashboard)."""

    def __init__(self, session: Session, *, out: TextIO = sys.stdout, dashboard: bool = False) -> None:
        self.session = session
        self.core: LiveCore = session.core
        self.out = out
        self.dashboard = dashboard
        self.pending: list[str] = []
        self.replies: deque[str] = deque(maxlen=4)
        self.core.followers.append(self._follow)
        session.listeners.append(self._committed)

    def say(self, line: str) -> None:
        """One line to the facilitator (user text shown as written, its control characters as escapes)."""
        if self.dashboard:
            self.replies.append(line)  # escaped where it is drawn
        else:
            self.out.write(terminal_text(line) + "\n")
            self.out.flush()

    def _follow(self, event: Event, line: str) -> None:
        core = self.core
        if event.kind == Kind.DECISION_REQUESTED and event.actor in core.shown:
            r = core.requests[event.fields(DecisionRequested).request]
            self.pending.append(f"ask #{r.number} {r.actor}: {r.key} options {'/'.join(r.options)} "
                                f"(default {r.default}, answer by {core.clock(r.deadline)})")
        elif event.kind not in QUIET:
            self.pending.append(line)
        if event.kind == Kind.INJECT_DELIVERED:
            inject_id = event.fields(InjectDelivered).inject
            inject = core.injects.get(inject_id)
            if inject is not None and inject.questions and core.played:
                for number, question in enumerate(inject.questions, start=1):
                    self.pending.append(f"question {inject_id} {number} to {', '.join(core.addressees(inject))}: "
                                        f"{question}")

    def _committed(self) -> None:
        if not self.dashboard:
            for line in self.pending:
                self.out.write(terminal_text(line) + "\n")
            self.out.flush()
        self.pending.clear()

    async def handle(self, line: str) -> None:
        """One command line: parsed, submitted and answered with one line."""
        if is_help(line):
            self.say(HELP)
            return
        try:
            item = parse_command(line)
        except InputError as exc:
            self.say(f"error: {exc}")
            return
        if item is None:
            return
        outcome = await self.session.submit(item)
        self.say(f"ok #{outcome.n}: {outcome.message}" if outcome.ok else f"error: {outcome.message}")

    async def read(self, stream: asyncio.StreamReader) -> None:
        """Commands from ``stream`` until it ends (the exercise goes on) or the exercise ends."""
        while not self.core.ended:
            raw = await stream.readline()
            if not raw:
                return
            await self.handle(raw.decode("utf-8", errors="replace"))

    async def show(self) -> None:
        """Redraw the dashboard until the exercise ends."""
        with Live(render(self.core, self.session, self.replies), console=dashboard_console(self.out),
                  auto_refresh=False) as live:
            while not self.core.ended:
                live.update(render(self.core, self.session, self.replies), refresh=True)
                await asyncio.sleep(0.25)
            live.update(render(self.core, self.session, self.replies), refresh=True)


async def stdin_reader() -> asyncio.StreamReader:
    """stdin as an asyncio stream (a pipe, a file or a terminal)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


def dashboard_console(out: TextIO) -> Console:
    """The console the dashboard is drawn on: user text as written (no ``:name:`` emoji codes replaced)."""
    return Console(file=out, emoji=False)


def render(core: LiveCore, session: Session, replies: deque[str]) -> Group:
    """The dashboard: clock, incidents, queues, open decisions, what played actors were shown, the journal."""
    state = "paused" if core.paused else f"speed {core.speed:g}"
    head = Text(f"{terminal_text(core.name)}  {core.clock()}  ({state})  inputs {core.count}", style="bold")
    now = core.now
    incidents = Table(title="open incidents", title_justify="left", expand=True)
    for column in ("incident", "type", "sev", "level", "age", "status", "current step"):
        incidents.add_column(column)
    for state_ in core.exercise.incidents.values():
        if state_.resolved_at is not None:
            continue
        status = "contained" if state_.contained_at is not None else (
            "detected" if state_.detected_at is not None else "undetected")
        incidents.add_row(shown(state_.id), shown(state_.spec.type), str(state_.spec.severity),
                          str(state_.level), f"{now - state_.started_at:.0f} min", status,
                          shown(core.steps.get(state_.id, "")))
    queues = Table(title="desks", title_justify="left", expand=True)
    for column in ("actor", "on duty", "busy", "waiting"):
        queues.add_column(column)
    for name, desk in core.exercise.desks.items():
        if desk.busy or desk.queue or name in core.played:
            queues.add_row(shown(name) + (" (played)" if name in core.played else ""), str(desk.staff),
                           str(desk.busy), str(len(desk.queue)))
    asks = Table(title="decisions waiting for players", title_justify="left", expand=True)
    for column in ("#", "actor", "request", "options", "default", "left"):
        asks.add_column(column)
    for r in core.open_requests():
        asks.add_row(str(r.number), shown(r.actor), shown(r.key), shown("/".join(r.options)), shown(r.default),
                     f"{max(0.0, r.deadline - now):.1f} min")
    given = Table(title="shown to played actors", title_justify="left", expand=True)
    for column in ("time", "actor", "what"):
        given.add_column(column)
    latest = sorted(((s.t, actor, s) for actor, items in core.shown.items() for s in items[-5:]), key=lambda x: x[0])
    for t, actor, s in latest[-8:]:
        what = (f"message {s.inject} from {s.sender}: {s.text}" if s.kind == "message"
                else f"question {s.inject} {s.number}: {s.text}")
        given.add_row(core.clock(t), shown(actor), shown(what))
    journal = Text("\n".join(terminal_text(line) for line in list(core.lines)[-10:]))
    reply = Text("\n".join(terminal_text(r) for r in replies) or "type a command and Enter (help lists them)",
                 style="italic")
    return Group(head, incidents, queues, asks, given, Text("latest journal lines", style="bold"), journal, reply)


def shown(text: str) -> str:
    """User text for a dashboard cell: as written, never read as rich markup, its control characters as escapes."""
    return escape(terminal_text(text))
