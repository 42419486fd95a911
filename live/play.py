"""Hold a live exercise from start to report: the loop, the facilitator's console, the end."""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import TextIO

from ballotdrill.application import write_reports
from ballotdrill.live.console import FacilitatorConsole, stdin_reader
from ballotdrill.live.core import LiveCore
from ballotdrill.live.session import Session


def play(core: LiveCore, folder: Path, *, dashboard: bool = False, out: TextIO = sys.stdout) -> list[Path]:
    """Play ``core`` live to its end with commands from stdin; then write the after-action report.

    Interrupted (Ctrl-C), the exercise stops where its last commit left it: ``ballotdrill resume``
    carries it on.
    """
    try:
        asyncio.run(_main(core, dashboard, out))
    except KeyboardInterrupt:
        if hasattr(core.store, "abandon"):
            core.store.abandon()
        raise
    core.store.close()
    _, written = write_reports(folder)
    return written


async def _main(core: LiveCore, dashboard: bool, out: TextIO) -> None:
    session = Session(core)
    console = FacilitatorConsole(session, out=out, dashboard=dashboard)
    runner = asyncio.create_task(session.run())
    tasks = [asyncio.create_task(_commands(console))]
    if dashboard:
        tasks.append(asyncio.create_task(console.show()))
    try:
        await runner
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _commands(console: FacilitatorConsole) -> None:
    """Commands from stdin: a pipe or terminal is read as it comes; a file is read whole."""
    mode = os.fstat(sys.stdin.fileno()).st_mode if not sys.stdin.closed else 0
    if stat.S_ISREG(mode):
        for line in sys.stdin.read().splitlines():
            await console.handle(line)
        return
    await console.read(await stdin_reader())
