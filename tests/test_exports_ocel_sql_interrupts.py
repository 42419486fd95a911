"""Ctrl-C while OCEL's SQLite form is built (One interrupt policy): wherever it lands, between the statements of a fill
in the log's child or thread, in the copy at the end, or a second time while the build cleans up, the build stops
with ``KeyboardInterrupt`` and leaves no log, no half-written file and no scratch file, and the child is reaped. The
signals are real. Each test runs with the log filled by a forked child and, as where none can be forked, by a
thread."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_exports_ocel_sql import run_folder
from test_exports_ocel_sql_apart import noting_forks

from ballotdrill.application.runs import open_run
from ballotdrill.exports import ocel_sql, ocel_sql_apart, ocel_sql_side, ocel_sqlite
from ballotdrill.exports.ocel_sql import write_ocel_sqlite_from_journal


@pytest.fixture(autouse=True)
def python_sigint() -> Iterator[None]:
    """Python's own Ctrl-C handler while a test runs (an earlier test may have left another)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(params=["child", "thread"])
def children(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The log filled by a forked child (the ids of those forked: each is reaped when the build ends) or by a
    thread (none forked)."""
    if request.param == "thread":
        monkeypatch.setattr(ocel_sql_apart, "can_fork", lambda: False)
        none: list[int] = []
        yield none
        assert none == []
        return
    request.getfixturevalue("forkable")
    forked = noting_forks(monkeypatch)
    yield forked
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(forked[0], os.WNOHANG)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_folder(tmp_path_factory.mktemp("run"), "run", "results-night-ddos", "--seed", "1")


def ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)  # from any thread: Python runs the handler in the main thread


def build(folder: Path, out: Path, check: Any = None) -> None:
    run = open_run(folder)
    write_ocel_sqlite_from_journal(run.journal, out / "log.sqlite", run.doc, run.scenario, None, check)


def test_the_run_builds_on_two_cores(folder: Path, tmp_path: Path, children: list[int]) -> None:
    """The log's journal is not in WAL mode: the build below runs its scratch file and its child or thread."""
    built: list[str] = []
    start = ocel_sql_side.Beside.__init__

    def noted(self: Any, *args: Any) -> None:
        built.append(type(self).__name__)
        start(self, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocel_sql_side.Beside, "__init__", noted)
        build(folder, tmp_path)
    assert built == (["Apart"] if children else ["Beside"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite"]


@pytest.mark.usefixtures("children")
def test_a_ctrl_c_in_the_pass_over_the_rows_leaves_nothing(folder: Path, tmp_path: Path) -> None:
    def check(blocks: Iterator[Any]) -> None:
        next(blocks)
        ctrl_c()
        for _ in blocks:
            pass

    with pytest.raises(KeyboardInterrupt):
        build(folder, tmp_path, check)
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_between_the_statements_of_a_fill_of_the_log_leaves_nothing(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, children: list[int]) -> None:
    """In the child (which ignores SIGINT, as a terminal's Ctrl-C reaches it too) the signal goes to the main
    process, which kills the child midway."""
    script = ocel_sql._script
    on: list[str] = []
    main = os.getpid()

    def interrupted(db: Any, text: str, params: dict[str, Any]) -> None:
        on.append(threading.current_thread().name)
        first, rest = text.split(";\n", 1)
        script(db, first, params)
        if os.getpid() == main:
            ctrl_c()
        else:
            os.kill(main, signal.SIGINT)
            time.sleep(30)  # (killed meanwhile)
        script(db, rest, params)

    monkeypatch.setattr(ocel_sql, "_script", interrupted)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build(folder, tmp_path)
    assert time.monotonic() - started < 25
    assert on == ([] if children else ["ocel-sqlite-log"])  # (the child's notes stay in the child)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("children")
def test_a_ctrl_c_in_the_copy_at_the_end_leaves_nothing(folder: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    names: list[str] = []
    ident = ocel_sql_side._ident

    def interrupted(name: str) -> str:  # quotes each table's name as its rows are copied
        names.append(name)
        if len(names) == 3:  # after the first table's rows are in
            ctrl_c()
        return ident(name)

    monkeypatch.setattr(ocel_sql_side, "_ident", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(folder, tmp_path)
    assert len(names) == 3
    assert list(tmp_path.iterdir()) == []


def test_a_second_ctrl_c_while_the_build_cleans_up_still_leaves_nothing(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, children: list[int]) -> None:
    """The first lands as the main thread waits for the log's child or thread; the next ones while it stops that
    one and removes the scratch file, and while the log's file is removed."""
    thread, unlink = threading.Thread, ocel_sqlite.os.unlink
    joins: list[str] = []

    class Interrupted(thread):  # type: ignore[misc, valid-type]
        def join(self, timeout: float | None = None) -> None:
            super().join(timeout)
            joins.append(self.name)
            ctrl_c()

    def waited(child: Any, timeout: float | None = None) -> int:
        status = wait(child, timeout)
        joins.append("ocel-sqlite-log")
        ctrl_c()
        return status

    def interrupted_unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if joins:  # as the build cleans up (not as it begins, clearing files of an earlier attempt)
            ctrl_c()
        unlink(path, *args, **kwargs)

    wait = ocel_sql_apart.Forked.wait
    monkeypatch.setattr(ocel_sql_side.threading, "Thread", Interrupted)
    monkeypatch.setattr(ocel_sql_apart.Forked, "wait", waited)
    monkeypatch.setattr(ocel_sqlite.os, "unlink", interrupted_unlink)
    with pytest.raises(KeyboardInterrupt):
        build(folder, tmp_path)
    monkeypatch.undo()
    assert joins == ["ocel-sqlite-log", "ocel-sqlite-log"]  # in the finish, then again as the build is abandoned
    assert list(tmp_path.iterdir()) == []
