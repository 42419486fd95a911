"""What a Ctrl-C's line says where the interrupt was not in a file's writing: an export stopped while the run was
checked (before any file), and an unfinished run's rows told up to a clock time, not a minute of the run."""

from __future__ import annotations

import contextlib
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
