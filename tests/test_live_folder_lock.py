"""A live exercise holds its run folder: a second ``live``/``resume`` into it is refused (busy), and ``report``,
``export`` and ``compare`` say it is being played live — or, with ``--force``, read it to its last commit.

Real processes: ``ballotdrill live --serve`` on loopback and the other commands beside it, on real SQLite.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from live_process_helpers import LiveProc, hostile_file

from ballotdrill.application.folder import LIVE, LOCK_FILE, FolderError, refuse_if_busy


def _bd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ballotdrill", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120, check=False)


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_a_live_exercise_holds_its_folder_and_readers_see_it_plays(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    scenario = hostile_file(tmp_path)
    live = LiveProc(folder, scenario, ("alpha", "bravo"), speed=10)
    try:
        live.send("inject {message: {to: bravo, text: before the others came}}")
        for second in (["resume", str(folder)], ["live", "--file", str(scenario), "--out", str(folder)]):
            done = _bd(*second, cwd=tmp_path)
            assert done.returncode == 2, (second, done.stderr)
            line = _one_line(done)
            assert line.startswith(f"{folder}: busy: this exercise is being played live"), line

        for reader in (["report", str(folder)], ["export", str(folder), "--csv", "never.csv"],
                       ["compare", str(folder), str(folder)]):
            done = _bd(*reader, cwd=tmp_path)
            assert done.returncode == 2, (reader, done.stderr)
            line = _one_line(done)
            assert "is being played live" in line and "--force" in line and "damaged" not in line, line
        assert not (tmp_path / "never.csv").exists()

        forced = _bd("report", str(folder), "--force", "--format", "md", cwd=tmp_path)
        assert forced.returncode == 0, forced.stderr
        assert "still being played live" in forced.stderr
        assert "still being played live" in (folder / "report.md").read_text(encoding="utf-8")
        exported = _bd("export", str(folder), "--force", "--csv", "so-far.csv", cwd=tmp_path)
        assert exported.returncode == 0, exported.stderr
        rows = (tmp_path / "so-far.csv").read_text(encoding="utf-8").splitlines()
        assert len(rows) > 2 and any("run_started" in row for row in rows), rows[:3]
        compared = _bd("compare", str(folder), str(folder), "--force", cwd=tmp_path)
        assert compared.returncode == 0, compared.stderr
        assert "A is still being played live (read to its last commit, at " in compared.stdout + compared.stderr
        replayed = _bd("replay", str(folder), cwd=tmp_path)
        assert replayed.returncode == 0 and "the exercise is still being played live (replayed to its last " \
            "commit, at " in replayed.stderr, replayed.stderr

        live.send("end")
        assert live.finish() == 0, live.err
    finally:
        live.kill()
    assert not any("Traceback" in line for line in live.err), live.err
    replayed = _bd("replay", str(folder), cwd=tmp_path)
    assert replayed.returncode == 0 and "identical" in replayed.stderr, replayed.stderr
    assert _bd("report", str(folder), cwd=tmp_path).returncode == 0  # sealed at its end, the lock let go


def test_resume_holds_the_folder_too(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    scenario = hostile_file(tmp_path)
    live = LiveProc(folder, scenario, ("alpha",), speed=10)
    live.interrupt()
    assert live.finish() == 130
    resumed = LiveProc(folder, tmp_path, (), command=("resume", str(folder), "--serve", "127.0.0.1:0"))
    try:
        done = _bd("resume", str(folder), cwd=tmp_path)
        assert done.returncode == 2 and _one_line(done).startswith(f"{folder}: busy:"), done.stderr
        resumed.send("end")
        assert resumed.finish() == 0, resumed.err
    finally:
        resumed.kill()
    assert not (tmp_path / "missing").exists()
    gone = _bd("resume", str(tmp_path / "missing"), cwd=tmp_path)
    assert gone.returncode == 2 and "no such folder" in _one_line(gone)
    assert not (tmp_path / "missing").exists()


def test_a_reader_in_the_instant_before_the_holder_names_itself_waits_for_the_name(tmp_path: Path) -> None:
    """``locked`` takes the lock, then writes who holds it: a reader in between found an empty note and read a
    live exercise as a batch run ("a run is still writing this folder", where --force does not apply). It now waits
    for the note: the lock is held here with no note, and the note comes 0.2 s later."""
    folder = tmp_path / "run"
    folder.mkdir()
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # taken, its note not yet written
    named = threading.Timer(0.2, lambda: os.pwrite(fd, LIVE.encode("ascii"), 0))
    named.start()
    try:
        assert refuse_if_busy(folder, force=True)  # the live exercise it is: --force reads it to its last commit
        with pytest.raises(FolderError, match="busy: this exercise is being played live"):
            refuse_if_busy(folder)
    finally:
        named.join()
        os.close(fd)
