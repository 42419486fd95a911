"""Faults during a run: Ctrl-C, SIGKILL at random points, two runs into one folder, a report while a run writes.

Each case runs ``ballotdrill`` in fresh processes, as a user would. The kill trials draw their delays from a
seeded stream of their own (never the global ``random``).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from test_run_folders import LONG, bd, finished

from ballotdrill.application import FolderError, check_run
from ballotdrill.application.folder import locked
from ballotdrill.journal.seal import settle, verify

DAY = LONG.replace('end: "05:00"', 'end: "23:59"').replace("mean: 10s", "mean: 2s")
"""A whole day of arrivals every 2 s on average: about 420,000 journal rows, whose play lasts a second or more after
the journal appears (the engine plays about 250,000 rows a second here; the journal appears with its first batch), so
an interrupt a few tenths of a second later lands while it plays. ``LONG`` (about 17,000 rows) and even a whole day
of it (84,000) are played before then: what followed, scoring and the reports, was interrupted instead."""

KILL_TRIALS = 10
KILL_TRIALS_SLOW = 100


def wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    """Until ``path`` exists (the run has begun writing), or the process ended."""
    end = time.monotonic() + timeout
    while not path.exists() and proc.poll() is None:
        if time.monotonic() > end:
            raise TimeoutError(path)
        time.sleep(0.01)


def integrity(journal: Path) -> str:
    """SQLite's own check, after its own recovery of what a killed writer left (a -wal file)."""
    with contextlib.closing(sqlite3.connect(journal)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def reap(group: int, timeout: float = 30) -> None:
    """Let what is left of a process group (the writer process) end, then make sure it has."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


@pytest.fixture
def long_file(tmp_path: Path) -> Path:
    (tmp_path / "long.yaml").write_text(LONG, encoding="utf-8")
    (tmp_path / "day.yaml").write_text(DAY, encoding="utf-8")
    return tmp_path


def test_ctrl_c_says_what_was_kept_and_exits_130(long_file: Path) -> None:
    # A whole day of dense arrivals: the play lasts seconds, so the interrupt lands while it plays on any machine.
    proc = bd("run", "-f", "day.yaml", "--out", "r", cwd=long_file, start_new_session=True)
    journal = long_file / "r" / "journal.sqlite"
    wait_for(journal, proc)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole foreground group, writer included
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # say whether the run went on playing (the interrupt lost) or hung
        rows = _rows(journal)
        time.sleep(5)
        grew = _rows(journal) - rows
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the run had not ended 120 s after its Ctrl-C; its journal held {rows} rows and grew by {grew} "
                    "in the next 5 s" + (" (the interrupt was lost: the run went on)" if grew else ""))
    reap(proc.pid)
    # a whole day of dense arrivals cannot play in the 0.3 s before the interrupt: 0 means the Ctrl-C was lost (as when
    # this test process had been left ignoring Ctrl-C, which every process it starts inherits)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "marshal" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("interrupted: r keeps ") and "marked unfinished" in lines[0]
    assert "'ballotdrill report r --force' reports on them" in lines[0]
    assert integrity(journal) == "ok"
    assert verify(journal).state == "unfinished"
    forced = finished("report", "r", "--force", cwd=long_file)
    assert forced.returncode == 0, forced.stderr


def _rows(journal: Path) -> int:
    """Rows committed to ``journal`` so far (read while its writer may still be adding to it)."""
    with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=5)) as db:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])


def _kill_trial(folder: Path, delay: float, whole_group: bool) -> tuple[str, str, str]:
    """Start a run, SIGKILL it (or its whole group) ``delay`` seconds after its journal appears."""
    proc = bd("run", "-f", "../day.yaml", "--out", "r", cwd=folder, start_new_session=True)
    journal = folder / "r" / "journal.sqlite"
    wait_for(journal, proc)
    time.sleep(delay)
    with contextlib.suppress(ProcessLookupError):
        if whole_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    proc.communicate(timeout=120)
    reap(proc.pid)
    settle(journal)
    return integrity(journal), verify(journal).state, "exit 0" if proc.returncode == 0 else "killed"


def _kill_trials(long_file: Path, trials: int) -> None:
    rng = random.Random(20261201)
    plans = [(long_file / f"trial-{n}", rng.uniform(0.0, 0.8), bool(n % 2)) for n in range(trials)]
    for folder, _, _ in plans:
        folder.mkdir()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda plan: _kill_trial(*plan), plans))
    for (folder, delay, group), (check, state, ended) in zip(plans, results, strict=True):
        assert check == "ok", (folder, delay, group, check)
        # a run that ended before the kill is sealed; one killed mid-run is unfinished (or sealed, if killed
        # while it wrote its reports)
        assert state in (("sealed",) if ended == "exit 0" else ("unfinished", "sealed")), (folder, state, ended)
        if state == "unfinished":
            with pytest.raises(Exception, match="the run did not finish"):
                check_run(folder / "r")
    killed = sum(1 for _, state, _ in results if state == "unfinished")
    assert killed >= trials // 4, f"only {killed} of {trials} trials were killed mid-run"


def test_sigkill_at_random_points_leaves_a_sound_unfinished_journal(long_file: Path) -> None:
    _kill_trials(long_file, KILL_TRIALS)


@pytest.mark.slow
def test_sigkill_at_random_points_many_times(long_file: Path) -> None:
    _kill_trials(long_file, KILL_TRIALS_SLOW)


def test_two_runs_into_one_folder_one_is_refused(long_file: Path) -> None:
    first = bd("run", "-f", "long.yaml", "--seed", "1", "--out", "same", cwd=long_file)
    wait_for(long_file / "same" / "journal.sqlite", first)
    second = finished("run", "-f", "long.yaml", "--seed", "2", "--out", "same", cwd=long_file)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert "same: another run is writing this folder" in second.stderr or "same is not empty" in second.stderr
    journal = long_file / "same" / "journal.sqlite"
    assert verify(journal).state == "sealed"
    with contextlib.closing(sqlite3.connect(journal)) as db:
        seed = db.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()[0]
        started = db.execute("SELECT data FROM events WHERE kind = 'run_started'").fetchone()[0]
    assert seed == "1" and '"seed":1' in started


def test_a_folder_is_locked_while_a_run_holds_it(tmp_path: Path) -> None:
    with locked(tmp_path / "r"):
        with pytest.raises(FolderError, match="another run is writing this folder"), locked(tmp_path / "r"):
            pass
        with pytest.raises(FolderError, match="a run is still writing this folder"):
            check_run(tmp_path / "r", force=True)
    with locked(tmp_path / "r"):  # released: free again
        pass


def test_a_report_during_a_run_never_makes_the_run_fail(long_file: Path) -> None:
    run = bd("run", "-f", "long.yaml", "--out", "r", cwd=long_file)
    wait_for(long_file / "r" / "journal.sqlite", run)
    while run.poll() is None:
        result = finished("report", "r", "--force", cwd=long_file)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0 or "a run is still writing this folder" in result.stderr, result.stderr
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert "database is locked" not in err
    assert verify(long_file / "r" / "journal.sqlite").state == "sealed"


def test_a_long_run_from_any_folder_keeps_its_journal_where_asked(long_file: Path) -> None:
    """Past one batch the journal goes through the writer process: it lands in the folder asked, sealed."""
    for args, folder in ((("--out", "."), long_file / "here"), ((), long_file / "elsewhere")):
        folder.mkdir()  # empty: the scenario file lies outside it
        result = finished("run", "-f", str(long_file / "long.yaml"), *args, cwd=folder)
        assert result.returncode == 0, result.stderr
        run = folder if args else folder / "runs" / "long-seed1"
        verdict = verify(run / "journal.sqlite")
        assert verdict.state == "sealed" and verdict.rows > 8192, verdict
        assert "seed 1:" in result.stderr and f"{verdict.rows:,} journal events" in result.stderr
