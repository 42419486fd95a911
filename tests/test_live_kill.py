"""kill -9 at random moments of a live exercise: nothing acknowledged is lost, and resume completes it.

Each trial plays the example in a real ``ballotdrill live`` process at high speed, fed notes and
answers on stdin, kills it (SIGKILL) at a moment drawn from the trial's own seeded stream, then
checks the journal file (``PRAGMA integrity_check``), that every input acknowledged on stdout is
in it, and that ``resume`` carries it to the end with a journal its inputs replay identically
(the journal an uninterrupted run with those inputs gives), the committed part unchanged.
"""

from __future__ import annotations

import asyncio
import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from live_helpers import EXAMPLE

from ballotdrill.journal import JOURNAL_FILE
from ballotdrill.live.rebuild import replay_folder, resume_folder
from ballotdrill.live.session import Session
from ballotdrill.live.store import read_inputs, read_rows

ACK = re.compile(r"^(ok #(\d+)|error): ")
ASK = re.compile(r"^ask #(\d+) interior:")


def _lines(stream: object, into: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line.rstrip("\n"))
    into.put(None)


def _trial(folder: Path, seed: int) -> None:
    rng = random.Random(seed)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ballotdrill", "live", "wave", "--file", str(EXAMPLE), "--speed", "20000",
         "--play", "interior", "--out", str(folder)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    sent: list[str] = []
    acked: dict[int, str] = {}
    replies = 0
    kill_at: float | None = None
    notes = 0
    ended = False
    while True:
        now = time.monotonic()
        if kill_at is not None and now >= kill_at:
            break
        try:
            line = lines.get(timeout=0.01)
        except queue.Empty:
            line = ""
        if line is None:
            ended = True
            break
        if (m := ACK.match(line)) is not None:
            if m.group(2):
                acked[int(m.group(2))] = sent[replies]
                if kill_at is None:
                    kill_at = time.monotonic() + rng.uniform(0.0, 0.6)
            replies += 1
        commands = []
        if (m := ASK.match(line)) is not None:
            commands.append(f"answer {m.group(1)} {rng.choice(['debunk', 'ignore'])}")
        if len(sent) - replies < 3:
            notes += 1
            commands.append(f"note trial {seed} note {notes}")
        for command in commands:
            try:
                proc.stdin.write(command + "\n")
                proc.stdin.flush()
            except BrokenPipeError:
                break
            sent.append(command)
    if not ended:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    path = folder / JOURNAL_FILE
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    recorded = {item.n: item for item in read_inputs(path)}
    for n, command in acked.items():
        assert n in recorded, f"acknowledged input {n} ({command}) is lost"
        item = recorded[n]
        if command.startswith("note "):
            assert item.input.data["text"] == command.removeprefix("note ")
        else:
            assert item.input.kind == "answer" and item.input.data["option"] == command.split()[-1]
    before = read_rows(path)
    if any(row[2] == "run_ended" for row in before):
        assert replay_folder(folder).identical
        return
    core = resume_folder(folder)

    async def carry_on() -> None:
        await Session(core).run()

    asyncio.run(carry_on())
    core.store.close()
    after = read_rows(path)
    assert after[: len(before)] == before
    assert after[-1][2] == "run_ended"
    result = replay_folder(folder)
    assert result.identical, result.message


KILL_TRIALS = 12
"""Trials in the default run (seeds 0 to 11); the soak plays the rest up to 200, each a kill at another moment."""


@pytest.mark.parametrize("seed", range(KILL_TRIALS))
def test_kill_nine_loses_nothing_acknowledged(tmp_path: Path, seed: int) -> None:
    _trial(tmp_path / "live", seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(KILL_TRIALS, 200))
def test_kill_nine_soak(tmp_path: Path, seed: int) -> None:
    _trial(tmp_path / "live", seed)
