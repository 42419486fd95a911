"""Ctrl-C while OCEL's SQLite form is built (One interrupt policy): wherever it lands, between the statements of a fill
on either thread, in the copy at the end, or a second time while the build cleans up, the build stops with
``KeyboardInterrupt`` and leaves no log, no half-written file and no scratch file. The signals are real."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_exports_ocel_sql import run_folder

from ballotdrill.application.runs import open_run
from ballotdrill.exports import ocel_sql, ocel_sql_side, ocel_sqlite
from ballotdrill.exports.ocel_sql import write_ocel_sqlite_from_journal


@pytest.fixture(autouse=True)
def python_sigint() -> Iterator[None]:
    """Python's own Ctrl-C handler while a test runs (an earlier test may have left another)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_folder(tmp_path_factory.mktemp("run"), "run", "results-night-ddos", "--seed", "1")


def ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)  # from any thread: Python runs the handler in the main thread


def build(folder: Path, out: Path, check: Any = None) -> None:
    run = open_run(folder)
    write_ocel_sqlite_from_journal(run.journal, out / "log.sqlite", run.doc, run.scenario, None, check)


def test_the_run_builds_on_two_threads(folder: Path, tmp_path: Path) -> None:
    """The log's journal is not in WAL mode: the build below runs its scratch file and second thread."""
    built: list[str] = []
    start = ocel_sql_side.Beside.__init__

    def noted(self: Any, *args: Any) -> None:
        built.append("beside")
        start(self, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocel_sql_side.Beside, "__init__", noted)
        build(folder, tmp_path)
    assert built == ["beside"] and sorted(p.name for p in tmp_path.iterdir()) == ["log.sqlite"]


def test_a_ctrl_c_in_the_pass_over_the_rows_leaves_nothing(folder: Path, tmp_path: Path) -> None:
    def check(blocks: Iterator[Any]) -> None:
        next(blocks)
        ctrl_c()
        for _ in blocks:
            pass

    with pytest.raises(KeyboardInterrupt):
        build(folder, tmp_path, check)
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_between_the_statements_of_a_fill_on_the_logs_thread_leaves_nothing(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = ocel_sql._script
    on: list[str] = []

    def interrupted(db: Any, text: str, params: dict[str, Any]) -> None:
        on.append(threading.current_thread().name)
        first, rest = text.split(";\n", 1)
        script(db, first, params)
        ctrl_c()
        script(db, rest, params)

    monkeypatch.setattr(ocel_sql, "_script", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(folder, tmp_path)
    assert on == ["ocel-sqlite-log"]
    assert list(tmp_path.iterdir()) == []


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


def test_a_second_ctrl_c_while_the_build_cleans_up_still_leaves_nothing(folder: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The first lands as the main thread waits for the log's thread; the next ones while it stops that thread and
    removes the scratch file, and while the log's file is removed."""
    thread, unlink = threading.Thread, ocel_sqlite.os.unlink
    joins: list[str] = []

    class Interrupted(thread):  # type: ignore[misc, valid-type]
        def join(self, timeout: float | None = None) -> None:
            super().join(timeout)
            joins.append(self.name)
            ctrl_c()

    def interrupted_unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if joins:  # as the build cleans up (not as it begins, clearing files of an earlier attempt)
            ctrl_c()
        unlink(path, *args, **kwargs)

    monkeypatch.setattr(ocel_sql_side.threading, "Thread", Interrupted)
    monkeypatch.setattr(ocel_sqlite.os, "unlink", interrupted_unlink)
    with pytest.raises(KeyboardInterrupt):
        build(folder, tmp_path)
    monkeypatch.undo()
    assert joins == ["ocel-sqlite-log", "ocel-sqlite-log"]  # in the finish, then again as the build is abandoned
    assert list(tmp_path.iterdir()) == []
