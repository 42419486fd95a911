"""What a Ctrl-C's line says where the interrupt was not in a file's writing: an export stopped while the run was
checked (before any file), and an unfinished run's rows told up to a clock time, not a minute of the run."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import in_process
from sweep_helpers import EXAMPLE

from ballotdrill.application.runs import kept
from ballotdrill.commands import exporting
from ballotdrill.exercise.run import run_exercise
from ballotdrill.scenarios import load_file


def test_an_export_interrupted_before_its_first_file_says_nothing_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    ran = in_process(("run", "--file", str(EXAMPLE), "--out", "r"), tmp_path, monkeypatch, capsys)
    assert ran.returncode == 0, ran.stderr

    def ctrl_c(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("ballotdrill.application.evaluate.check_run_but_rows", ctrl_c)
    for args in (("export", "r", "--jsonl", "z.jsonl"), ("export", "r", "--csv", "z.csv", "--force")):
        done = in_process(args, tmp_path, monkeypatch, capsys)
        assert done.returncode == 130 and done.stderr.splitlines() == [
            "interrupted while the run was checked, before any file was written; nothing was written: "
            "run the same command again"], done.stderr
    assert not (tmp_path / "z.jsonl").exists() and not (tmp_path / "z.csv").exists()



def test_an_export_interrupted_as_its_progress_line_closes_says_every_file_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    ran = in_process(("run", "--file", str(EXAMPLE), "--out", "r"), tmp_path, monkeypatch, capsys)
    assert ran.returncode == 0, ran.stderr

    @contextlib.contextmanager
    def closing_on_ctrl_c(*_: object, **__: object) -> Iterator[exporting._Shown]:
        yield exporting._Shown(lambda line: None, None)
        raise KeyboardInterrupt  # after every file was written, as the line closes

    monkeypatch.setattr("ballotdrill.commands.exporting._elapsed", closing_on_ctrl_c)
    done = in_process(("export", "r", "--jsonl", "z.jsonl"), tmp_path, monkeypatch, capsys)
    assert done.returncode == 130 and done.stderr.splitlines() == [
        "interrupted after the export had finished: every file asked for was written whole"], done.stderr
    assert (tmp_path / "z.jsonl").read_text(encoding="utf-8").count("\n") > 10

def test_an_unfinished_run_is_told_up_to_a_clock_time(tmp_path: Path) -> None:
    """The example starts at 08:00; cut at 10:30 its last row is at 2 h 30 min of the run: "up to 10:30"."""
    run_exercise(load_file(EXAMPLE), "busy-morning", seed=1, until_clock=10.5 * 60, out=tmp_path / "r")
    line = kept(tmp_path / "r")
    assert " journal rows up to 10:30, marked unfinished; 'ballotdrill report " in line, line


@pytest.mark.parametrize(("args", "said"), [(("report", "nowhere"), "nowhere: no such folder; "),
                                            (("run", "--seed", "many"), "ballotdrill run: Invalid value for '--seed'")],
                         ids=["a refused run folder", "a wrong flag value"])
def test_a_ctrl_c_after_an_error_line_changes_nothing(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    """A command that ended on an error is done: a Ctrl-C while the process is still ending (its interpreter's
    teardown, held here by an exit hook that sleeps) neither adds to its line nor kills it by the signal. Python puts
    SIGINT back to the system's default during its teardown unless it is ignored: a large process took long enough
    over that for a Ctrl-C to end it by the signal (status -2, the line said), as a live exercise's did."""
    code = ("import atexit, sys, time; atexit.register(time.sleep, 2); from ballotdrill.cli import main; "
            f"sys.argv = ['ballotdrill', *{list(args)!r}]; main()")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # said: the command has ended, the process has not
    os.killpg(proc.pid, signal.SIGINT)
    out, rest = proc.communicate(timeout=120)
    assert proc.returncode == 2 and rest == "" and out == "", (proc.returncode, line, rest)
    assert line.startswith(said), line
