"""A journal that cannot be written during a live exercise (a full disk): SQLite's own SQLITE_FULL, raised by a page
limit on the live journal's connection (``PRAGMA max_page_count``), stops the exercise in one line with exit status 2,
keeps every acknowledged input, and leaves nobody waiting: a scripted player in-process, a real ``live`` process."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from live_helpers import example

from ballotdrill.live import inputs
from ballotdrill.live.core import Outcome
from ballotdrill.live.rebuild import start_live
from ballotdrill.live.session import STOPPED, Session
from ballotdrill.live.store import read_inputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "live.yaml"
TEXT = "x" * 3000
"""A note's text: each note takes about a page of the journal (its input and its row)."""

LIMITED = """\
import sys
from ballotdrill.live import store
more = int(sys.argv[1])
opened = store.LiveStore.__init__
def limited(self, *args, **kwargs):
    opened(self, *args, **kwargs)
    (pages,) = self.db.execute("PRAGMA page_count").fetchone()
    self.db.execute(f"PRAGMA max_page_count = {pages + more}")
store.LiveStore.__init__ = limited
sys.argv = ["ballotdrill", *sys.argv[2:]]
from ballotdrill.cli import main
main()
"""
"""``ballotdrill`` with its live journal limited to a few pages more than it has once set up."""


def _limit(db: sqlite3.Connection, more: int) -> None:
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages + more}")


def test_a_full_journal_answers_every_waiting_input_and_stops_the_task(tmp_path: Path) -> None:
    core = start_live(tmp_path / "run", example(), "wave", seed=1, played=("interior",), speed=60.0)
    assert core.store.db is not None
    _limit(core.store.db, 3)
    outcomes: list[Outcome] = []
    failure: list[BaseException] = []

    async def main() -> None:
        session = Session(core)
        runner = asyncio.create_task(session.run())
        async with asyncio.timeout(60):  # before: the note taken when the commit failed waited for ever
            while not runner.done():
                outcomes.append(await session.submit(inputs.note(TEXT)))
            try:
                await runner
            except sqlite3.Error as exc:
                failure.append(exc)
            after = await session.submit(inputs.note("after"))
        assert after == Outcome(False, STOPPED)  # refused at once, not queued for a task that is gone

    asyncio.run(main())
    assert len(failure) == 1 and isinstance(failure[0], sqlite3.OperationalError), failure
    assert failure[0].sqlite_errorcode & 0xFF == sqlite3.SQLITE_FULL
    accepted = [o for o in outcomes if o.ok]
    assert accepted and outcomes[-1] == Outcome(False, STOPPED), outcomes[-3:]
    core.store.abandon()  # as play() lets it go
    kept = [i for i in read_inputs(tmp_path / "run" / "journal.sqlite") if i.input.kind == "note"]
    assert [i.n for i in kept] == [o.n for o in accepted]  # every acknowledged note, and none refused


def _live(tmp_path: Path, pages: int, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-c", LIMITED, str(pages), "live", "--file", str(EXAMPLE), "--play",
                             "interior", "--speed", "60", "--out", "run", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, env=env)


@pytest.mark.parametrize("served", [False, True])
def test_live_says_one_line_and_stops_with_status_2_when_its_journal_is_full(tmp_path: Path, served: bool) -> None:
    live = _live(tmp_path, 3, *(["--serve", "127.0.0.1:0"] if served else []))
    assert live.stdin is not None
    for _ in range(12):  # more than the pages left; stdin stays open: the process must stop by itself
        live.stdin.write(f"note {TEXT}\n")
    live.stdin.flush()
    try:
        status = live.wait(60)
    finally:
        live.kill()
    out, err = live.communicate()
    assert status == 2, (out, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    said = [x for x in lines if not x.startswith(("live: wave seed 1", "serving http://127.0.0.1:"))]
    assert len(said) == 1 and said[0] == lines[-1], lines  # the opening (and where it is served), then one line
    line = said[0]
    journal = tmp_path / "run" / "journal.sqlite"
    assert line.startswith(f"{Path('run') / 'journal.sqlite'}: cannot write the journal (database or disk is full)")
    assert "the exercise stopped" in line and "its last commit" in line
    assert "free some space" in line and "'ballotdrill resume run" in line
    accepted = [x for x in out.splitlines() if x.startswith("ok #") and x.endswith(": noted")]
    kept = [i.n for i in read_inputs(journal) if i.input.kind == "note"]
    assert accepted and kept == [int(x.split("#")[1].split(":")[0]) for x in accepted]
    assert not (tmp_path / "run" / "report.md").exists()  # unfinished: no report, resumable
