"""When the facilitator's stdin ends, an unserved exercise plays on to the scenario's end, even paused (nobody else
could resume it): a real ``ballotdrill live`` process, stdin a pipe, /dev/null or a file."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ballotdrill.live.rebuild import replay_folder

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "live.yaml"


def _live(tmp_path: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "ballotdrill", "live", "--file", str(EXAMPLE), "--play", "interior",
            "--start-paused", "--speed", "100000", "--out", "run"]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    if stdin == "devnull":
        with open(os.devnull, encoding="utf-8") as null:
            return subprocess.run(args, stdin=null, capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    if stdin == "file":
        (tmp_path / "commands.txt").write_text("note before the end of the input\n", encoding="utf-8")
        with open(tmp_path / "commands.txt", encoding="utf-8") as commands:
            return subprocess.run(args, stdin=commands, capture_output=True, text=True, timeout=120, cwd=tmp_path,
                                  env=env)
    return subprocess.run(args, input="pause\n", capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)


@pytest.mark.parametrize("stdin", ["pipe", "devnull", "file"])
def test_paused_and_unserved_the_end_of_stdin_resumes_it_to_the_scenarios_end(tmp_path: Path, stdin: str) -> None:
    result = _live(tmp_path, stdin)  # before: paused for ever, killed by the timeout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith("stdin ended while the exercise was paused")]
    assert len(said) == 1, result.stdout
    assert "resuming it" in said[0]
    after = result.stdout.split(said[0], 1)[1]
    assert any(line.startswith("ok #") and line.endswith(": resumed") for line in after.splitlines()), after
    journal = sqlite3.connect(tmp_path / "run" / "journal.sqlite")
    kinds = [k for (k,) in journal.execute("select kind from inputs order by n")]
    journal.close()
    assert kinds[-1] == "resume"  # journalled as the facilitator's resume, so a replay plays it again
    assert (tmp_path / "run" / "report.md").is_file()
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "ended" in report
    # section 8's clock says what happened: it started paused (--start-paused), no facilitator paused it
    assert re.search(r"\| 08:00 \| started paused \(--start-paused\), waiting for the facilitator to start it; "
                     r"started [^|]* later \(real time\) \(rows #\d+\) \|", report), report
    assert "paused by the facilitator" not in report and "after waiting paused for the facilitator" in report
    assert replay_folder(tmp_path / "run").identical  # the start's pause journalled again as it was
