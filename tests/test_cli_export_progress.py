"""An export in a terminal shows that it is working (a large run's OCEL log takes minutes); in a file or a pipe it
writes only its lines, without loading rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import in_process
from sweep_helpers import EXAMPLE, ROOT

from ballotdrill.commands import output


def test_an_export_to_a_terminal_counts_its_files_and_time_and_keeps_its_lines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert in_process(("run", "--file", str(EXAMPLE), "--out", "r"), tmp_path, monkeypatch, capsys).returncode == 0
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes the captured stream for an interactive terminal
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(output, "_consoles", {})  # made again, for a terminal
    done = in_process(("export", "r", "--jsonl", "z.jsonl", "--csv", "z.csv"), tmp_path, monkeypatch, capsys)
    assert done.returncode == 0, done.stderr
    assert "exporting r: 0 of 2 files written" in done.stderr  # the line counting the time, while it works
    assert "wrote " in done.stderr and "events to z.jsonl" in done.stderr and "events to z.csv" in done.stderr
    assert (tmp_path / "z.jsonl").is_file() and (tmp_path / "z.csv").is_file()


def test_an_export_to_a_pipe_writes_its_lines_alone_without_rich(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    bd = [sys.executable, "-m", "ballotdrill"]
    ran = subprocess.run([*bd, "run", "--file", str(EXAMPLE), "--out", "r"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    probe = ("import sys, runpy; sys.argv = ['ballotdrill', 'export', 'r', '--jsonl', 'z.jsonl'];\n"
             "try:\n    runpy.run_module('ballotdrill', run_name='__main__')\n"
             "finally:\n    print('rich' in sys.modules, file=sys.stdout)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.stdout.strip() == "False", (done.stdout, done.stderr)
    assert done.stderr.startswith("wrote ") and done.stderr.rstrip().endswith("events to z.jsonl") \
        and len(done.stderr.splitlines()) == 1, done.stderr
