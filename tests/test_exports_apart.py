"""JSON Lines and CSV formatted and written by a forked child while the export reads: the same bytes, the same
errors, nothing written once the reading has failed."""

from __future__ import annotations

import marshal
import signal
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from cli_helpers import in_process
from scoring_helpers import sample_events, scenario_file, write_run

from ballotdrill.application import evaluate, export_run
from ballotdrill.application.journalfile import RunFolderError
from ballotdrill.commands import output
from ballotdrill.exports import apart
from ballotdrill.exports.apart import write_apart
from ballotdrill.exports.lines import Block, write_csv_blocks, write_jsonl_blocks
from ballotdrill.journal import seal as seal_module
from ballotdrill.journal.forked import Forked
from ballotdrill.journal.seal import RowDigest, marshalled, seal

pytestmark = [pytest.mark.skipif(not apart.can_fork(), reason="no fork here: the writer runs in the process"),
              pytest.mark.usefixtures("forkable")]

WRITERS = [write_jsonl_blocks, write_csv_blocks]


def awkward_blocks() -> list[Block]:
    """Blocks of uneven sizes with values a hand-made journal may hold: quotes, formula starts, controls, Unicode,
    -0.0 and an int time, a blob, empty data."""
    rows = [(seq, 1.0 + seq / 7, "step_started", f"I{seq // 9}", "a1", None if seq % 5 else "s",
             f'{{"procedure":"p","wait":{seq % 4}.5}}' if seq % 3 else None) for seq in range(9000)]
    odd = [(9000, -0.0, "action_taken", '=HYPERLINK("x")', "é ü 中文 \u2028", "tab\there\nnew", '{"a":"\\u0000"}'),
           (9001, 7, "resolved", "-1", None, "a,b", "{}"), (9002, 2.5, "resolved", b"\x00blob", "@me", None, ""),
           (9003, 1e16, "say \"x\"", None, None, None, None)]
    return [rows[:1], rows[1:8192], [*rows[8192:], *odd], []]  # type: ignore[list-item]


@pytest.mark.parametrize("write", WRITERS)
def test_the_forked_writer_writes_the_bytes_of_the_writer_run_here(tmp_path: Path, write: apart.Writer) -> None:
    blocks = awkward_blocks()
    assert write_apart(write, iter(blocks), tmp_path / "apart") == write(iter(blocks), tmp_path / "here") == 9004
    assert (tmp_path / "apart").read_bytes() == (tmp_path / "here").read_bytes()


def test_without_a_fork_the_writer_runs_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apart, "can_fork", lambda: False)
    blocks = awkward_blocks()
    assert write_apart(write_csv_blocks, iter(blocks), tmp_path / "here") == 9004
    write_csv_blocks(iter(blocks), tmp_path / "reference")
    assert (tmp_path / "here").read_bytes() == (tmp_path / "reference").read_bytes()


def test_the_childs_error_is_raised_here_as_it_would_be_in_one_process(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "j.csv"
    with pytest.raises(FileNotFoundError) as here:
        write_csv_blocks(iter(awkward_blocks()), missing)
    with pytest.raises(FileNotFoundError) as forked:
        write_apart(write_csv_blocks, iter(awkward_blocks()), missing)
    assert (forked.value.errno, str(forked.value)) == (here.value.errno, str(here.value))


def test_a_failed_reading_stops_the_child_before_it_writes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child is killed before its input ends (an end it would read as the file's, and finish the file)."""
    children: list[Forked] = []

    class Recorded(Forked):
        def __init__(self, serve: Callable[[BinaryIO, BinaryIO], None]) -> None:
            super().__init__(serve)
            children.append(self)

    def failing() -> Iterator[Block]:
        yield from awkward_blocks()[:2]
        raise ValueError("the reading failed")

    monkeypatch.setattr(apart, "Forked", Recorded)
    target = tmp_path / "j.csv"
    with pytest.raises(ValueError, match="the reading failed"):
        write_apart(write_csv_blocks, failing(), target)
    (child,) = children
    assert child.poll() == -signal.SIGKILL  # killed, never ended by finishing the file


def sealed_run(tmp_path: Path) -> Path:
    write_run(tmp_path / "run", sample_events(), scenario_file())
    seal(tmp_path / "run" / "journal.sqlite")
    return tmp_path / "run"


def test_an_export_apart_is_the_export_in_one_process_and_refuses_a_changed_journal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = sealed_run(tmp_path)
    export_run(run, jsonl=tmp_path / "one.jsonl", csv=tmp_path / "one.csv")
    monkeypatch.setattr(evaluate, "APART_FROM", 0)
    done = export_run(run, jsonl=tmp_path / "apart.jsonl", csv=tmp_path / "apart.csv")
    assert [d.events for d in done] == [len(sample_events())] * 2
    assert (tmp_path / "apart.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert (tmp_path / "apart.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    with sqlite3.connect(run / "journal.sqlite") as db:
        db.execute("UPDATE events SET actor = 'someone else' WHERE seq = 3")
    db.close()
    with pytest.raises(RunFolderError, match="changed after the run ended"):
        export_run(run, csv=tmp_path / "changed.csv")
    assert not (tmp_path / "changed.csv").exists()


def test_an_export_to_a_terminal_keeps_no_other_thread_so_its_files_are_written_apart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """rich's clock would redraw from a thread of its own, and a process with another thread is not forked: for
    JSON Lines and CSV the line is redrawn at each block instead, and each file is written by a child."""
    run = sealed_run(tmp_path)
    forks: list[int] = []

    class Counted(apart.Forked):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            forks.append(self.pid)

    monkeypatch.setattr(apart, "Forked", Counted)
    monkeypatch.setattr(evaluate, "APART_FROM", 0)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes the captured stream for an interactive terminal
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(output, "_consoles", {})  # made again, for a terminal
    done = in_process(("export", str(run), "--jsonl", "z.jsonl", "--csv", "z.csv"), tmp_path, monkeypatch, capsys)
    assert done.returncode == 0, done.stderr
    assert f"exporting {run}: 0 of 2 files written" in done.stderr and "events to z.csv" in done.stderr
    assert len(forks) == 2
    assert (tmp_path / "z.csv").read_bytes() == (export_run(run, csv=tmp_path / "one.csv") and
                                                 (tmp_path / "one.csv").read_bytes())


def test_each_block_is_marshalled_once_for_the_seal_and_the_child() -> None:
    block = awkward_blocks()[2]
    RowDigest({}, []).update(block)
    equal = [tuple(row) for row in block]  # equal rows in another list: encoded afresh, to the same bytes
    afresh = marshalled(equal)
    made = seal_module._LAST[1]  # the bytes the digest made of the block
    handed = marshalled(block)
    assert handed is made and handed == marshal.dumps(block, 2) == afresh and afresh is not handed
    again = marshalled(block)  # once only: a block handed on is let go, never matched after it might change
    assert again == handed and again is not handed
