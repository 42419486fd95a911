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
from rich.table import Table
from rich.text import Text

from ballotdrill.journal import Event, Kind
from ballotdrill.journal.events import DecisionRequested, InjectDelivered
from ballotdrill.live.core import LiveCore
from ballotdrill.live.inputs import HELP, MAX_TEXT, InputError, is_help, is_who, parse_command
from ballotdrill.live.presence import Presence, seen_text, summary, wall_clock
from ballotdrill.live.session import Session
from ballotdrill.scenarios.safetext import terminal_text
from ballotdrill.scenarios.types import LEVELS

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
        self.presence: Presence | None = None
        self.closing = asyncio.Event()
        """Set by a line typed (or the input ending) once the exercise has ended: the server may stop now."""
        self.core.followers.append(self._follow)
        session.listeners.append(self._committed)

    def watch(self, presence: Presence) -> None:
        """Follow who joins the served exercise: a line as each role joins or leaves; ``who`` lists them all."""
        self.presence = presence
        presence.listeners.append(self._joined)

    def _joined(self, who: str, joined: bool) -> None:
        assert self.presence is not None
        seen = next(r for r in self.presence.rows() if r.key == who)
        if joined and seen.again:  # back after a gap: not a second join
            self.say(f"reconnected: {seen.who} ({seen.how}) at {wall_clock(seen.since or 0.0)}; not connected since "
                     f"{wall_clock(self.presence.away[who])}")
        elif joined:
            waiting = self.presence.waiting()
            self.say(f"joined: {seen.who} ({seen.how}) at {wall_clock(seen.since or 0.0)}; "
                     + (f"not joined yet: {', '.join(waiting)}" if waiting else "every played role has joined"))
        else:
            self.say(f"left: {seen.who} at {wall_clock(seen.since or 0.0)}")

    def say(self, line: str) -> None:
        """One line to the facilitator: user text as written, control characters shown escaped (``\\x1b``)."""
        if self.dashboard:
            self.replies.append(terminal_text(line))
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
            for line in self.pending:  # a player's "\r\nfake line" stays on its own line, escaped
                self.out.write(terminal_text(line) + "\n")
            self.out.flush()
        self.pending.clear()

    async def handle(self, line: str) -> None:
        """One command line: parsed, submitted and answered with one line."""
        if self.core.ended:
            self.closing.set()
        if is_help(line):
            self.say(HELP)
            return
        if is_who(line):
            self.say(summary(self.presence.rows()) if self.presence is not None
                     else "who: the exercise is not served (--serve); nobody joins it")
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
        """Commands from ``stream`` until it ends (the exercise goes on) or the console is stopped."""
        while True:  # after the end too: a late command is told the exercise has ended
            raw = await read_line(stream)
            if raw is None:  # refused whole; the next line is read as before
                self.say(f"error: that line is longer than {LINE_LIMIT:,} bytes; a command's text is at most "
                         f"{MAX_TEXT:,} characters")
                continue
            if not raw:
                self.closing.set()
                return
            await self.handle(raw.decode("utf-8", errors="replace"))

    async def show(self) -> None:
        """Redraw the dashboard until the exercise ends."""
        with Live(render(self.core, self.session, self.replies, self.presence), console=dashboard_console(self.out),
                  auto_refresh=False) as live:
            while not self.core.ended:
                live.update(render(self.core, self.session, self.replies, self.presence), refresh=True)
                await asyncio.sleep(0.25)
            for _ in range(3):  # the reply to the command that ended it is said first
                await asyncio.sleep(0)
            live.update(render(self.core, self.session, self.replies, self.presence), refresh=True)


async def stdin_reader() -> asyncio.StreamReader:
    """stdin as an asyncio stream (a pipe, a file or a terminal)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=LINE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


async def read_line(stream: asyncio.StreamReader) -> bytes | None:
    """The next line (``b""`` at the end); None for a line past the reader's limit, read past whole (``readline``
    drops such a line, or only its start when the rest has not come yet)."""
    try:
        return await stream.readuntil(b"\n")
    except asyncio.IncompleteReadError as end:
        return end.partial
    except asyncio.LimitOverrunError as over:
        consumed = over.consumed
    while True:
        await stream.readexactly(consumed)  # what the reader holds of the line, up to its newline if it is there
        try:
            await stream.readuntil(b"\n")
            return None
        except asyncio.IncompleteReadError:
            return None
        except asyncio.LimitOverrunError as over:
            consumed = over.consumed


LINE_LIMIT = 1 << 20
"""Longest console line read whole (bytes); a longer one is refused with one line and reading goes on (a line past
asyncio's default 64 KiB used to stop the console reading for the rest of the exercise, without a word)."""


def dashboard_console(out: TextIO) -> Console:
    """The console the dashboard is drawn on: user text as written (no ``:name:`` emoji codes replaced)."""
    return Console(file=out, emoji=False)


def _cell(value: object) -> Text:
    """A dashboard cell: user text as written (no markup), control characters shown escaped."""
    return Text(terminal_text(value))


def render(core: LiveCore, session: Session, replies: deque[str], presence: Presence | None = None) -> Group:
    """The dashboard: the facilitator's replies, clock, who has joined (served), incidents, queues, open decisions,
    what played actors were shown, the journal. Replies come right under the clock line, so a short terminal does
    not cut them off."""
    state = "ended" if core.ended else "paused" if core.paused else f"speed {core.speed:g}"
    head = Text(terminal_text(f"{core.name}  {core.clock()}  ({state})  inputs {core.count}"), style="bold")
    reply = Text("\n".join(terminal_text(r) for r in replies) or "type a command and Enter (help lists them)",
                 style="italic")
    now = core.now
    incidents = Table(title="open incidents", title_justify="left", expand=True)
    for column in ("incident", "type", "sev", "level", "age", "status", "current step"):
        incidents.add_column(column)
    for state_ in core.exercise.incidents.values():
        if state_.resolved_at is not None:
            continue
        status = "contained" if state_.contained_at is not None else (
            "detected" if state_.detected_at is not None else "undetected")
        incidents.add_row(_cell(state_.id), _cell(state_.spec.type), _cell(state_.spec.severity),
                          _cell(LEVELS[state_.level]), _cell(f"{now - state_.started_at:.0f} min"), _cell(status),
                          _cell(core.steps.get(state_.id, "")))
    queues = Table(title="desks", title_justify="left", expand=True)
    for column in ("actor", "on duty", "busy", "waiting"):
        queues.add_column(column)
    for name, desk in core.exercise.desks.items():
        if desk.busy or desk.queue or name in core.played:
            queues.add_row(_cell(name + (" (played)" if name in core.played else "")), _cell(desk.staff),
                           _cell(desk.busy), _cell(len(desk.queue)))
    asks = Table(title="decisions waiting for players", title_justify="left", expand=True)
    for column in ("#", "actor", "request", "options", "default", "left"):
        asks.add_column(column)
    for r in core.open_requests():
        asks.add_row(_cell(r.number), _cell(r.actor), _cell(r.key), _cell("/".join(r.options)), _cell(r.default),
                     _cell(f"{max(0.0, r.deadline - now):.1f} min"))
    shown = Table(title="shown to played actors", title_justify="left", expand=True)
    for column in ("time", "actor", "what"):
        shown.add_column(column)
    latest = sorted(((s.t, actor, s) for actor, items in core.shown.items() for s in items[-5:]), key=lambda x: x[0])
    for t, actor, s in latest[-8:]:
        what = (f"message {s.inject} from {s.sender}: {s.text}" if s.kind == "message"
                else f"question {s.inject} {s.number}: {s.text}")
        shown.add_row(_cell(core.clock(t)), _cell(actor), _cell(what))
    journal = Text("\n".join(terminal_text(line) for line in list(core.lines)[-10:]))
    parts: list[Text | Table] = [head, reply]
    if presence is not None:
        joined = Table(title="who has joined", title_justify="left", expand=True)
        for column in ("role", "connection"):
            joined.add_column(column)
        for seen in presence.rows():
            joined.add_row(_cell(seen.who), _cell(seen_text(seen)))
        parts.append(joined)
    return Group(*parts, incidents, queues, asks, shown, Text("latest journal lines", style="bold"), journal)
