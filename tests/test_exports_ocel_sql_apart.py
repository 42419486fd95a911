"""OCEL's SQLite form filled by a forked child: the fills in the order the log's thread runs them, a child's error
raised in the main process (in one line where it cannot travel), the child reaped and nothing left behind."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import in_process
from test_exports_ocel_sql import run_folder

from ballotdrill.application.runs import open_run
from ballotdrill.commands import output
from ballotdrill.exports import ocel_sql_apart
from ballotdrill.exports.ocel_sql_apart import Apart, building
from ballotdrill.exports.ocel_sql_side import statements
from ballotdrill.exports.ocel_sqlite import SqliteSink

pytestmark = pytest.mark.usefixtures("forkable")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_folder(tmp_path_factory.mktemp("run"), "run", "results-night-ddos", "--seed", "1")


@pytest.fixture(scope="module")
def journal(folder: Path) -> Path:
    return open_run(folder).journal


def noting_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the children forked for the log from here on (filled as each is forked)."""
    forked: list[int] = []

    class Noted(ocel_sql_apart.Forked):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            forked.append(self.pid)

    monkeypatch.setattr(ocel_sql_apart, "Forked", Noted)
    return forked


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the children forked for the log."""
    return noting_forks(monkeypatch)


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def wait_for(path: str, _: sqlite3.Connection) -> None:
    """A fill that waits (30 s at most) for ``path`` to exist."""
    deadline = time.monotonic() + 30
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)


def note(name: str) -> Any:
    return statements(("INSERT INTO done VALUES (:name)", {"name": name}))


class Odd(Exception):
    """An error whose pickle cannot be loaded (its class takes two arguments)."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")


def odd(_: sqlite3.Connection) -> None:
    raise Odd("a fill", "failed oddly")


def test_the_child_runs_what_it_is_given_first_and_what_waits_meanwhile_before_what_comes_after_settling(
        tmp_path: Path, journal: Path, children: list[int]) -> None:
    gate = tmp_path / "gate"
    log = sqlite3.connect(tmp_path / "log.sqlite", isolation_level=None)
    with building(log, SqliteSink(log), tmp_path / "log.sqlite", journal) as side:
        assert isinstance(side, Apart)
        side.run(statements(("CREATE TABLE done (name)", {})))
        side.run(partial(wait_for, str(gate)))
        side.meanwhile([note("a1"), note("a2"), note("a3")])
        side.run(note("given"))
        side.settle()
        side.run(note("after"))
        gate.touch()
        side.finish(lambda _: None)
    assert [name for (name,) in log.execute("SELECT name FROM done ORDER BY rowid")] == [
        "given", "a1", "a2", "a3", "after"]
    log.close()
    assert len(children) == 1 and reaped(children[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gate", "log.sqlite"]


def meet(mine: str, other: str, db: sqlite3.Connection) -> None:
    """A shared fill that says it has begun (``mine``), waits (30 s at most) for ``other`` to begin, and notes in its
    table which process and thread ran it and whether the other had begun."""
    Path(mine).touch()
    wait_for(other, db)
    db.execute(f"INSERT INTO {Path(mine).name} VALUES (?, ?)",
               (f"{os.getpid()}/{threading.get_ident()}", os.path.exists(other)))


@pytest.mark.parametrize("forking", [True, False], ids=["child", "thread"])
def test_shared_fills_are_each_run_once_by_whichever_side_is_free(
        tmp_path: Path, journal: Path, children: list[int], monkeypatch: pytest.MonkeyPatch, forking: bool) -> None:
    """Two fills shared, each of which waits for the other to begin: they meet only if the two sides run one each
    (one side taking both would wait 30 s and note the other not begun); the main process's table is copied in."""
    if not forking:
        monkeypatch.setattr(ocel_sql_apart, "can_fork", lambda: False)
    log = sqlite3.connect(tmp_path / "log.sqlite", isolation_level=None, check_same_thread=False)
    a, b = tmp_path / "met_a", tmp_path / "met_b"
    with building(log, SqliteSink(log), tmp_path / "log.sqlite", journal) as side:
        assert isinstance(side, Apart) is forking
        for table in ("met_a", "met_b"):
            side.run(statements((f"CREATE TABLE {table} (who, met)", {})))
            side.reader.execute(f"CREATE TABLE {table} (who, met)")
        side.share([("met_a", partial(meet, str(a), str(b))), ("met_b", partial(meet, str(b), str(a)))])
        side.finish(lambda _: None)
    rows = [log.execute(f"SELECT who, met FROM {table}").fetchall() for table in ("met_a", "met_b")]
    log.close()
    assert [len(found) for found in rows] == [1, 1] and all(found[0][1] == 1 for found in rows)
    assert rows[0][0][0] != rows[1][0][0]
    assert len(children) == forking


def test_an_error_in_the_child_is_raised_here_and_stops_the_pass(tmp_path: Path, journal: Path,
                                                                  children: list[int]) -> None:
    """The child's SQLite error comes back as itself; the main process's next handing on finds the child gone and
    raises it, rather than reading the rest of the journal; the child is reaped and the scratch file gone."""
    log = sqlite3.connect(tmp_path / "log.sqlite", isolation_level=None)
    handed = 0
    with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"), \
            building(log, SqliteSink(log), tmp_path / "log.sqlite", journal) as side:
        side.run(statements(("INSERT INTO nowhere VALUES (1)", {})))
        for handed in range(1, 10_000):  # noqa: B007 - how many were handed on before the error came back
            side.rows("INSERT INTO object", 2, [(f"o{n}", "x" * 100) for n in range(1000)])
    log.close()
    assert handed < 100  # (a pipe holds about ten of them)
    assert len(children) == 1 and reaped(children[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite"]  # (the caller's to remove: built_beside)


def test_an_error_that_cannot_travel_is_one_line_naming_it(tmp_path: Path, journal: Path,
                                                             children: list[int]) -> None:
    log = sqlite3.connect(tmp_path / "log.sqlite", isolation_level=None)
    with pytest.raises(OSError) as raised, \
            building(log, SqliteSink(log), tmp_path / "log.sqlite", journal) as side:
        side.run(odd)
        side.finish(lambda _: None)
    log.close()
    assert str(raised.value) == "the writer failed (Odd: a fill: failed oddly)"
    assert len(children) == 1 and reaped(children[0])


def test_a_child_killed_is_one_line(tmp_path: Path, journal: Path, children: list[int]) -> None:
    log = sqlite3.connect(tmp_path / "log.sqlite", isolation_level=None)
    with pytest.raises(OSError) as raised, \
            building(log, SqliteSink(log), tmp_path / "log.sqlite", journal) as side:
        os.kill(children[0], 9)
        side.finish(lambda _: None)
    log.close()
    assert str(raised.value) == "the process writing the file was killed by signal 9 without finishing it"
    assert reaped(children[0])


def test_an_export_to_a_terminal_keeps_no_other_thread_so_its_log_is_filled_apart(
        tmp_path: Path, folder: Path, children: list[int], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """rich's clock would redraw from a thread of its own, and a process with another thread is not forked: for
    OCEL's SQLite form the line is redrawn at each block and step instead, and the log is filled by a child."""
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes the captured stream for an interactive terminal
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(output, "_consoles", {})  # made again, for a terminal
    done = in_process(("export", str(folder), "--ocel", "log.sqlite"), tmp_path, monkeypatch, capsys)
    assert done.returncode == 0, done.stderr
    assert f"exporting {folder}: 0 of 1 file written" in done.stderr and "events to log.sqlite" in done.stderr
    assert len(children) == 1 and reaped(children[0])
