"""Hold a live exercise from start to report: the loop, the facilitator's console, the end."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import selectors
import shlex
import signal
import socket
import sqlite3
import stat
import sys
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from ballotdrill.application import write_reports
from ballotdrill.application.journalfile import one_line
from ballotdrill.application.runs import RunInterrupted, interrupted
from ballotdrill.journal import JOURNAL_FILE
from ballotdrill.journal.events import CTRL_C
from ballotdrill.journal.interrupts import interrupts_held, is_interrupt
from ballotdrill.journal.seal import seal
from ballotdrill.live.console import FacilitatorConsole, stdin_reader
from ballotdrill.live.core import STARTED_PAUSED, LiveCore
from ballotdrill.live.inputs import Input
from ballotdrill.live.presence import Presence
from ballotdrill.live.serve import Served, is_loopback, start_server, stop_server
from ballotdrill.live.session import Session
from ballotdrill.live.tokens import TOKENS_DIR
from ballotdrill.scenarios.errors import CannotWrite


def play(core: LiveCore, folder: Path, *, dashboard: bool = False, out: TextIO = sys.stdout,
         serve: str | socket.socket | None = None, say: Callable[[str], None] = print,
         start_paused: bool = False, held: contextlib.ExitStack | None = None, opening: str = "") -> list[Path]:
    """Play ``core`` live to its end with commands from stdin; then write the after-action report.

    ``serve`` (``HOST:PORT``, or a socket already listening) also serves it over HTTP for players, facilitator and
    evaluator; ``say`` tells the facilitator where the tokens are (never a token). ``start_paused``: the clock
    stands until the facilitator resumes (time to hand out the tokens). Interrupted (Ctrl-C), the exercise stops
    where its last commit left it: ``ballotdrill resume`` carries it on. ``held`` (the folder's lock) is let go
    once the journal is sealed, before the reports are written like any run's. ``opening`` is said first (a
    Ctrl-C while it is written is this exercise's interrupt, told as such).
    """
    ended = contextlib.ExitStack()  # entered when the exercise has played to its end
    again = resume_command(folder, serve)  # while the socket is open: it is closed when the server stops
    by: list[str] = []  # the termination signal that stopped it, if one did (else a Ctrl-C)
    session: Session | None = None
    main: list[Coroutine[object, object, None]] = []  # the coroutine the loop plays, once it is made
    as_ctrl_c = _terminations_as_interrupts(by, main)
    try:
        if opening:
            say(opening)
        if start_paused and not core.paused:
            core.apply(Input("pause", {"by": STARTED_PAUSED}))  # journalled as the start's own pause; committed with
            # the first slice
        session = Session(core)
        main.append(_main(session, folder, dashboard, out, serve, say, ended))
        asyncio.run(main[0])
    except (KeyboardInterrupt, asyncio.CancelledError) as exc:
        if isinstance(exc, asyncio.CancelledError) and not by:
            raise
        with interrupts_held(deliver=False):
            stopped = _stopped(core, session, by[0] if by else CTRL_C)
            kept = (f"the exercise, stopped at {core.clock()} (journalled)" if stopped
                    else "the exercise up to its last commit")
        raise RunInterrupted(f"interrupted: {folder} keeps {kept}; '{again}' carries it on") from None
    except sqlite3.Error as exc:  # the journal cannot be written (a full disk): only the live store writes SQLite
        with interrupts_held(deliver=False):
            _stopped(core, session, CTRL_C)  # broken: nothing more is journalled; the store is let go
        raise CannotWrite(cannot_commit(folder, exc, session, again)) from None
    finally:
        as_ctrl_c.close()
    try:
        with ended:  # from the exercise's end until it is closed and sealed, a Ctrl-C waits, then stops the reports
            gc.collect()  # the loop's transports finalised now: a Ctrl-C inside a finaliser would be lost
            try:
                close_ended(core, folder)
            except sqlite3.Error as exc:  # the end is committed; the seal could not be written
                raise CannotWrite(f"{folder / JOURNAL_FILE}: cannot seal the journal ({one_line(exc)}); the exercise "
                                  f"has ended and its journal keeps all of it, unsealed; free some space (or fix the "
                                  f"disk), then 'ballotdrill report {shlex.quote(str(folder))} --force' writes its "
                                  "report") from None
        if held is not None:
            held.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # not the closed loop's handler
        _, written = write_reports(folder)
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        raise RunInterrupted(interrupted(folder)) from None
    return written


def cannot_commit(folder: Path, exc: sqlite3.Error, session: Session | None, again: str) -> str:
    """The line for an exercise stopped because its journal could not be written: why, what the journal keeps,
    and what to do (a batch run's full disk is told alike, ``exercise.run``)."""
    upto = f" up to {session.core.clock(session.committed)}, its last commit" if session is not None else ""
    return (f"{folder / JOURNAL_FILE}: cannot write the journal ({one_line(exc)}); the exercise stopped, and "
            f"{folder} keeps it{upto}; free some space (or fix the disk), then '{again}' carries it on")


def resume_command(folder: Path, serve: str | socket.socket | None) -> str:
    """The command that carries an interrupted exercise on as it was played: served again at the address it was
    served at (the port it had, so the players' pages and ``join`` clients find it again)."""
    command = f"ballotdrill resume {shlex.quote(str(folder))}"
    if serve is None:
        return command
    if isinstance(serve, str):
        return f"{command} --serve {shlex.quote(serve)}"
    host, port = serve.getsockname()[:2]
    return f"{command} --serve {f'[{host}]' if serve.family == socket.AF_INET6 else host}:{port}"


def _terminations_as_interrupts(by: list[str], main: list[Coroutine[object, object, None]]) -> contextlib.ExitStack:
    """Until closed, SIGTERM and SIGHUP (``kill``, ``timeout``, a service manager, a closed terminal) stop the
    exercise as a Ctrl-C does: journalled, one line, clients told, resumable (they ended it without a word). The
    first one's name is added to ``by`` (the stop's cause, journalled with it). With SIGINT ignored (a background
    job of a script) the event loop has no Ctrl-C handler: the task playing ``main`` (once made) is cancelled as
    that handler would."""
    restore = contextlib.ExitStack()
    if threading.current_thread() is not threading.main_thread():
        return restore

    def as_ctrl_c(signum: int, frame: object) -> None:
        if not by:
            by.append(signal.Signals(signum).name)
        if callable(signal.getsignal(signal.SIGINT)):  # Python's handler, or the event loop's: it stops the tasks
            signal.raise_signal(signal.SIGINT)
            return
        try:  # SIGINT ignored or at the system default: a raised SIGINT would be dropped
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise KeyboardInterrupt from None
        task = next((t for t in asyncio.all_tasks(loop) if t.get_coro() in main), None)
        if task is None:
            raise KeyboardInterrupt
        task.cancel()
        loop.call_soon_threadsafe(lambda: None)  # wakes the loop

    for signum in (signal.SIGTERM, signal.SIGHUP):
        previous = signal.signal(signum, as_ctrl_c)
        restore.callback(signal.signal, signum, previous)
    return restore


def _stopped(core: LiveCore, session: Session | None, by: str) -> bool:
    """The exercise stops unfinished: journal that it stopped, where it is, when the Ctrl-C found it between two of
    its steps (a second Ctrl-C can land inside one: then only what was committed stays); close the journal.
    ``by``: what stopped it (``Ctrl-C``, ``SIGTERM``, ``SIGHUP``). Whether the stop was journalled."""
    journalled = False
    if session is not None and not session.broken and not core.ended:
        try:
            core.stop(by)
            journalled = True
        except sqlite3.Error:  # the disk failing now: the journal keeps its last commit
            pass
    if hasattr(core.store, "abandon"):
        core.store.abandon()
    return journalled


def close_ended(core: LiveCore, folder: Path) -> None:
    """Close an exercise that has ended and seal its journal like a batch run's, so reports, compare and export
    accept it."""
    core.store.close()
    seal(folder / JOURNAL_FILE)


async def _main(session: Session, folder: Path, dashboard: bool, out: TextIO, serve: str | socket.socket | None,
                say: Callable[[str], None], ended: contextlib.ExitStack) -> None:
    core = session.core
    console = FacilitatorConsole(session, out=out, dashboard=dashboard)
    served = None
    if serve is not None:
        presence = Presence(core.played)
        console.watch(presence)
        served, tokens = await start_server(session, folder, serve, presence=presence)
        host = urlsplit(served.url).hostname or ""
        reach = ("loopback only: this machine" if is_loopback(host) else
                 f"reachable from the network at {host}: tokens travel in plain HTTP, so use a network you trust")
        say(f"serving {served.url} ({reach}); hand each team only its own token file from {tokens.parent / TOKENS_DIR} "
            f"(mode 0600; {tokens.name} holds every role's, the facilitator's too: keep it); "
            f"a line says as each joins, and 'who' lists who has")
    if core.paused:
        say("the exercise is paused: type 'resume' when everyone has joined"
            + (" ('who' lists who has)" if serve is not None else ""))
    session.start_clock()  # the server's start-up is not exercise time
    runner = asyncio.create_task(session.run())
    tasks = [asyncio.create_task(_commands(console, served=serve is not None))]
    if dashboard:
        tasks.append(asyncio.create_task(console.show()))
    try:
        try:
            await runner
        except (asyncio.CancelledError, sqlite3.Error):  # Ctrl-C, a journal that cannot be written: clients are
            if served is not None:  # told it stopped and let go before the loop closes
                await stop_server(served, grace=0.0, interrupted=True)
            raise
        ended.enter_context(interrupts_held())  # the exercise is over: the loop's shutdown is not cut
        if dashboard:  # its last frame shows the end and the reply to 'end'
            await asyncio.wait(tasks[1:], timeout=FINAL_FRAME)
        if served is not None:
            await _linger(console, served, say)
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


FINAL_FRAME = 2.0
"""Seconds the dashboard has, once the exercise has ended, to draw its last frame."""

LINGER = 30.0
"""Seconds a served exercise stays up after its end, so players see the end and read their last view (a page that
reconnects, a player who reloads it, ``join`` mid-retry); a line at the console, its input ending or Ctrl-C stops
it sooner."""


async def _linger(console: FacilitatorConsole, served: Served, say: Callable[[str], None]) -> None:
    """Keep serving the ended exercise's final views for :data:`LINGER` seconds, or until the facilitator says
    stop: Enter, the console's input ending (a script's), or Ctrl-C, which here stops only the wait (the reports
    are written all the same)."""
    closing = console.closing
    if not closing.is_set():
        say(f"the exercise has ended; the server stays up {LINGER:g} s more so players see the end and their last "
            "view (Enter or Ctrl-C stops it now; the report is written either way)")
    loop = asyncio.get_running_loop()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, lambda signum, frame: loop.call_soon_threadsafe(closing.set))
    try:
        await stop_server(served, grace=LINGER, until=closing)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


async def _commands(console: FacilitatorConsole, *, served: bool) -> None:
    """Commands from stdin: a pipe or terminal is read as it comes; a file is read whole. When stdin ends the exercise
    goes on to the scenario's end: paused and not served, nobody could resume it, so it is resumed (saying so)."""
    try:
        await _read_commands(console)
        if not served:
            await _go_on(console)
    finally:  # no more lines can come: nobody is left to say when the ended exercise's server may stop
        console.closing.set()


async def _go_on(console: FacilitatorConsole) -> None:
    """stdin has ended on an exercise nobody else steers: a pause is lifted (journalled as the facilitator's
    ``resume``), so the exercise plays on to the scenario's end instead of waiting for ever."""
    if not console.core.paused or console.core.ended:
        return
    console.say("stdin ended while the exercise was paused, and it is not served (no page can resume it): resuming "
                "it, to play on to the scenario's end (Ctrl-C stops it; 'ballotdrill resume' carries it on)")
    await console.handle("resume")


async def _read_commands(console: FacilitatorConsole) -> None:
    if sys.stdin is None or sys.stdin.closed:
        return
    mode = os.fstat(sys.stdin.fileno()).st_mode
    if stat.S_ISREG(mode):
        for line in sys.stdin.read().splitlines():
            await console.handle(line)
        return
    if not _pollable(sys.stdin.fileno()):  # /dev/null (cron, nohup, CI) and other devices the loop cannot watch
        while not console.core.ended:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                return
            await console.handle(line)
        return
    await console.read(await stdin_reader())


def _pollable(fd: int) -> bool:
    """Whether the event loop can watch ``fd`` (epoll refuses some character devices, such as /dev/null)."""
    with selectors.DefaultSelector() as selector:
        try:
            selector.register(fd, selectors.EVENT_READ)
        except (OSError, ValueError):
            return False
    return True
