"""A reader that goes away (``ballotdrill show | head -1``) ends the command quietly with exit status 141."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _with_closed(args: list[str], cwd: Path, *, stderr_closed: bool = False) -> tuple[int, str]:
    """Run ``ballotdrill args`` with stdout (and stderr) a pipe whose reader has already gone; the status and what
    stderr said (nothing can be read when it is closed too)."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([sys.executable, "-m", "ballotdrill", *args], stdout=write,
                                stderr=write if stderr_closed else subprocess.PIPE, text=True, cwd=cwd,
                                env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}, timeout=120)
    finally:
        os.close(write)
    return result.returncode, result.stderr or ""


def test_show_into_a_closed_pipe_ends_with_141_and_says_nothing(tmp_path: Path) -> None:
    code, err = _with_closed(["show", "results-night-ddos"], tmp_path)
    assert (code, err) == (141, "")


def test_a_run_whose_reader_went_away_still_writes_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, _ = _with_closed(["run", "power-cut-polling-stations", "--out", str(out)], tmp_path, stderr_closed=True)
    assert code == 141
    report = subprocess.run([sys.executable, "-m", "ballotdrill", "report", str(out)], capture_output=True,
                            text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert report.returncode == 0, report.stderr
