"""OCEL's JSON form made on two processes is the one pass's file, byte for byte, or the one pass writes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from scoring_helpers import JournalBuilder, scenario_file, write_run
from test_exports_ocel_sql import AWKWARD, hand_made, run_folder
from test_exports_ocel_text import ODD_ROWS
from typer.testing import CliRunner

from ballotdrill import cli
from ballotdrill.application import evaluate, export_run
from ballotdrill.application.journalfile import RunFolderError
from ballotdrill.application.runs import RunInterrupted, open_run
from ballotdrill.exports import ocel_text_apart
from ballotdrill.exports.ocel_text import write_ocel_text
from ballotdrill.exports.ocel_text_apart import NotSplit, SideRows, is_here, write_ocel_text_apart
from ballotdrill.journal.forked import Forked, can_fork
from ballotdrill.journal.rows import stored_rows
from ballotdrill.journal.seal import seal
from ballotdrill.scenarios.errors import CannotWrite

pytestmark = [pytest.mark.skipif(not can_fork(), reason="no fork here: the file is written in one pass"),
              pytest.mark.usefixtures("forkable")]


def one_pass(folder: Path, path: Path) -> bytes:
    run = open_run(folder)
    write_ocel_text(stored_rows(run.journal), path, run.doc, run.scenario, run.meta.get("date"))
    return path.read_bytes()


def split(folder: Path, path: Path, size: int) -> bytes:
    """The file made apart from the journal's rows in blocks of ``size`` (NotSplit raised through)."""
    run = open_run(folder)
    rows = list(stored_rows(run.journal))
    blocks = (rows[at:at + size] for at in range(0, len(rows), size))
    assert write_ocel_text_apart(blocks, path, run.doc, run.scenario, run.meta.get("date")) == len(rows)
    return path.read_bytes()


@pytest.fixture(params=[None, 30], ids=["the export's share here", "half here"])
def share(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    if request.param is not None:
        monkeypatch.setattr(ocel_text_apart, "HERE_SHARE", request.param)
    return ocel_text_apart.HERE_SHARE


@pytest.mark.parametrize(("scenario", "seed", "until"), [
    ("combined-hybrid-day", "3", None),
    ("ransomware-week-before", "2", None),
    ("results-night-ddos", "1", None),
    ("combined-hybrid-day", "5", "14:00"),  # cut short: steps, handoffs and incidents left open
])
def test_library_runs_split_give_the_one_pass_bytes(tmp_path: Path, scenario: str, seed: str, until: str | None,
                                                    share: int) -> None:
    folder = run_folder(tmp_path, "run", scenario, "--seed", seed, *(["--until", until] if until else []))
    expected = one_pass(folder, tmp_path / "one.json")
    incidents = {row[3] for row in stored_rows(folder / "journal.sqlite") if row[3]}
    if share == 30:
        assert {is_here(incident) for incident in incidents} == {True, False}  # both sides have incidents
    for size in (5, 97, 8192):  # blocks' ends between an incident's rows, and one block
        assert split(folder, tmp_path / "two.json", size) == expected


def odd_split_rows() -> list[Any]:
    """Incidents on both sides: an id reused, one never resolved, rows of no incident, handoffs to and from an actor
    not in the structure (named on both sides), an actor's staff changed (this side's row), an unknown kind."""
    b = JournalBuilder().start()
    p = "disinfo-response"
    for n in range(12):
        i = f"X{n}"
        b.add(700 + n, "incident_started", i, type="t", severity=n % 3 + 1, level="municipal")
        b.add(701 + n, "step_queued", i, "monitoring", "assess", procedure=p, queue=1)
        b.add(701 + n, "step_started", i, "monitoring", "assess", procedure=p)
        b.add(702 + n, "handoff_sent", i, "monitoring", "assess", procedure=p, to="outside desk", channel="phone")
        b.add(702 + n, "staff_changed", None, "monitoring", None, staff=n + 1)
        b.add(703 + n, "handoff_received", i, "outside desk", "assess", procedure=p, **{"from": "monitoring"})
        b.add(703 + n, "decision_requested", i, "interior", "choose", procedure=p, request=f"{i}:{p}:choose:1")
        b.add(704 + n, "note", None, None, None, odd=n)
        b.add(704 + n, "custom_kind", i, "interior", None, flag=n % 2 == 0, size=n)
        if n % 4:
            b.add(705 + n, "resolved", i)
    b.add(800, "incident_started", "X3", type="again")  # an id reused after it was resolved
    b.add(801, "step_started", "X3", "info", "assess", procedure=p)
    return b.events


def sealed(folder: Path, events: list[Any]) -> Path:
    write_run(folder, events, scenario_file())
    seal(folder / "journal.sqlite")
    return folder


def test_odd_journals_split_give_the_one_pass_bytes(tmp_path: Path, share: int) -> None:
    folder = sealed(tmp_path / "run", odd_split_rows())
    expected = one_pass(folder, tmp_path / "one.json")
    assert any(o["id"] == "actor:outside desk" for o in json.loads(expected)["objects"])
    for size in (3, 50, 8192):
        assert split(folder, tmp_path / "two.json", size) == expected


def other_side(name: str) -> str:
    """An id like ``name`` whose rows go to the other side."""
    return next(f"{name}{n}" for n in range(100) if is_here(f"{name}{n}") is not is_here(name))


@pytest.mark.parametrize("odd", ["staff changed for an incident", "decision named after another incident"])
def test_what_the_split_cannot_give_is_refused_and_the_export_writes_it_in_one_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: str) -> None:
    monkeypatch.setattr(ocel_text_apart, "HERE_SHARE", 30)
    b = JournalBuilder().start()
    b.events = odd_split_rows()
    child = next(f"X{n}" for n in range(12) if not is_here(f"X{n}"))
    if odd.startswith("staff"):
        b.add(900, "staff_changed", child, "interior", None, staff=3)
    else:
        b.add(900, "decision_made", child, "interior", "choose", procedure="p", request=f"{other_side(child)}:p:1")
    folder = sealed(tmp_path / "run", b.events)
    with pytest.raises(NotSplit):
        split(folder, tmp_path / "two.json", 4)
    (tmp_path / "two.json").unlink()
    monkeypatch.setattr(evaluate, "OCEL_APART_FROM", 1)
    export_run(folder, ocel=tmp_path / "command.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["command.json", "run"]
    assert (tmp_path / "command.json").read_bytes() == one_pass(folder, tmp_path / "one.json")


@pytest.fixture
def splits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every journal is made apart by ``export`` (from one row), and how each attempt ended is recorded."""
    monkeypatch.setattr(evaluate, "OCEL_APART_FROM", 1)
    monkeypatch.setattr(ocel_text_apart, "HERE_SHARE", 30)
    ended: list[str] = []
    made = ocel_text_apart.write_ocel_text_apart

    def recorded(*args: Any) -> int:
        try:
            count = made(*args)
        except NotSplit:
            ended.append("not split")
            raise
        ended.append("split")
        return count

    monkeypatch.setattr(ocel_text_apart, "write_ocel_text_apart", recorded)
    return ended


def test_the_export_of_awkward_journals_is_the_one_pass_file(tmp_path: Path, splits: list[str]) -> None:
    for n, rows in enumerate((AWKWARD, ODD_ROWS, AWKWARD + ODD_ROWS)):
        folder = hand_made(tmp_path / str(n), rows)
        export_run(folder, ocel=tmp_path / f"command{n}.json")
        assert (tmp_path / f"command{n}.json").read_bytes() == one_pass(folder, tmp_path / f"one{n}.json")
    assert len(splits) == 3


def test_the_export_of_a_library_run_is_made_apart(tmp_path: Path, splits: list[str]) -> None:
    folder = run_folder(tmp_path, "run", "results-night-ddos", "--seed", "2")
    export_run(folder, ocel=tmp_path / "command.json")
    assert splits == ["split"]
    assert (tmp_path / "command.json").read_bytes() == one_pass(folder, tmp_path / "one.json")


def failing_child(monkeypatch: pytest.MonkeyPatch, fail: Callable[[], None]) -> None:
    """The child's side runs ``fail`` at its first block."""
    block = SideRows.block

    def failing(self: SideRows, rows: list[tuple[Any, ...]]) -> list[bool]:
        if not self.here:
            fail()
        return block(self, rows)

    monkeypatch.setattr(SideRows, "block", failing)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[Forked]:
    """The children the test's exports fork (real ones), as they fork them."""
    children: list[Forked] = []

    class Recorded(Forked):
        def __init__(self, serve: Callable[[BinaryIO, BinaryIO], None]) -> None:
            super().__init__(serve)
            children.append(self)

    monkeypatch.setattr(ocel_text_apart, "Forked", Recorded)
    return children


def reaped(children: list[Forked]) -> bool:
    """Whether every child has ended and been reaped (no zombie left behind)."""
    for child in children:
        try:
            os.waitpid(child.pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def raise_disk_full() -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize(("fail", "said"), [
    (raise_disk_full, "No space left on device"),  # (as a full disk reads in one process)
    (lambda: os.kill(os.getpid(), signal.SIGKILL),
     "the process making the log's lines was killed by signal 9 without finishing them"),
], ids=["an error", "killed"])
def test_a_child_that_fails_fails_the_export_and_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               splits: list[str], forks: list[Forked],
                                                               fail: Callable[[], None], said: str) -> None:
    folder = run_folder(tmp_path, "run", "combined-hybrid-day", "--seed", "3")
    failing_child(monkeypatch, fail)
    with pytest.raises(CannotWrite) as failed:
        export_run(folder, ocel=tmp_path / "log.json")
    assert str(failed.value) == f"{tmp_path / 'log.json'}: cannot write ({said}); nothing was changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert len(forks) == 1 and reaped(forks)


def test_a_changed_journal_is_refused_as_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     splits: list[str], forks: list[Forked]) -> None:
    folder = run_folder(tmp_path, "run", "combined-hybrid-day", "--seed", "3")
    with sqlite3.connect(folder / "journal.sqlite") as db:
        db.execute("UPDATE events SET t = t + 1 WHERE seq = 5")
    db.close()
    with pytest.raises(RunFolderError) as apart:
        export_run(folder, ocel=tmp_path / "log.json")
    assert splits == ["split"] or splits == []  # (refused after the last block, or before the first)
    monkeypatch.setattr(evaluate, "OCEL_APART_FROM", 10**12)
    with pytest.raises(RunFolderError) as alone:
        export_run(folder, ocel=tmp_path / "log.json")
    assert str(apart.value) == str(alone.value) and "changed" in str(alone.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert len(forks) == 1 and reaped(forks)


def test_a_ctrl_c_leaves_no_file_and_no_child(tmp_path: Path, splits: list[str], forks: list[Forked]) -> None:
    folder = run_folder(tmp_path, "run", "combined-hybrid-day", "--seed", "3")

    def interrupt(progress: Any) -> None:
        raise KeyboardInterrupt  # after the first block: the child may be at work on it

    with pytest.raises(RunInterrupted) as stopped:
        export_run(folder, ocel=tmp_path / "log.json", progress=interrupt)
    assert "log.json was not written (no part of it is left)" in str(stopped.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert len(forks) == 1 and reaped(forks)


def test_the_command_makes_it_apart_and_fails_as_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             splits: list[str], forks: list[Forked]) -> None:
    """``ballotdrill export RUN --ocel FILE``: the one pass's bytes; a child that fails is the error of a file that
    cannot be written, nothing left."""
    folder = run_folder(tmp_path, "run", "results-night-ddos", "--seed", "3")
    done = CliRunner().invoke(cli.app, ["export", str(folder), "--ocel", str(tmp_path / "log.json")])
    assert done.exit_code == 0, done.output
    assert splits == ["split"]
    assert (tmp_path / "log.json").read_bytes() == one_pass(folder, tmp_path / "one.json")
    failing_child(monkeypatch, raise_disk_full)
    failed = CliRunner().invoke(cli.app, ["export", str(folder), "--ocel", str(tmp_path / "again.json")])
    assert isinstance(failed.exception, CannotWrite)  # (``main`` makes it one line and exit status 2)
    again = tmp_path / "again.json"
    assert str(failed.exception) == f"{again}: cannot write (No space left on device); nothing was changed"
    assert not (tmp_path / "again.json").exists()
    assert len(forks) == 2 and reaped(forks)
