"""A long run is scored in a scoring process of its own: the same reports, and a run that never depends on it.

Real processes throughout: the run's own scoring process is started as ``run`` starts it, and killed with
SIGKILL where a test says so.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from test_run_folders import LONG

from ballotdrill.application import RunOutcome, livefeed, run_to_folder, write_reports
from ballotdrill.journal import Row, forked
from ballotdrill.journal.seal import SEAL_KEY, verify
from ballotdrill.journal.store import read_meta
from ballotdrill.scenarios import load_text

REPORTS = ("report.md", "report.html", "scores.json")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[livefeed.LiveFeed, livefeed.Child]]:
    """The scoring processes the runs of a test start (with the feed that started each), as they start them."""
    children: list[tuple[livefeed.LiveFeed, livefeed.Child]] = []
    _record_starts(monkeypatch, children)
    return children


def _record_starts(monkeypatch: pytest.MonkeyPatch,
                   children: list[tuple[livefeed.LiveFeed, livefeed.Child]]) -> None:
    """Append to ``children`` each scoring process a run starts, with its feed, as the run starts it."""
    start = livefeed.LiveFeed._start

    def recorded(feed: livefeed.LiveFeed) -> None:
        start(feed)
        assert feed.child is not None
        children.append((feed, feed.child))

    monkeypatch.setattr(livefeed.LiveFeed, "_start", recorded)


class Played(NamedTuple):
    """The long run, seed 3, scored as it played with nothing in its way: its folder, what ``run_to_folder``
    returned, its reports, and the scoring processes it started (with the feed that started each)."""

    folder: Path
    outcome: RunOutcome
    texts: dict[str, bytes]
    started: list[tuple[livefeed.LiveFeed, livefeed.Child]]


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Played:
    """Played once for the module: the first test reads how it was scored, the others compare their reports to it."""
    folder = tmp_path_factory.mktemp("undisturbed") / "r"
    children: list[tuple[livefeed.LiveFeed, livefeed.Child]] = []
    with pytest.MonkeyPatch.context() as patch:
        _record_starts(patch, children)
        outcome = run_to_folder(load_text(LONG), "long", seed=3, folder=folder)
    return Played(folder, outcome, _texts(folder), children)


@pytest.fixture
def undisturbed(played: Played) -> dict[str, bytes]:
    """The reports of the long run, seed 3, scored as it played with nothing in its way."""
    return played.texts


def _texts(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in REPORTS}


def _rebuilt_as_undisturbed(folder: Path, events: int, undisturbed: dict[str, bytes]) -> None:
    """A long run whose scoring process was lost: its journal sealed, its reports rebuilt from it, the same."""
    assert verify(folder / "journal.sqlite").state == "sealed"
    assert events > livefeed.OFFLOAD_ROWS
    assert _texts(folder) == undisturbed


def test_a_long_run_is_scored_in_its_own_process_and_reports_what_a_rebuild_reports(
        tmp_path: Path, played: Played) -> None:
    assert len(played.started) == 1
    feed, child = played.started[0]
    assert child.returncode == 0 and not feed.failed and feed.cpu["feed"] > 0  # scored there, answered, ended
    assert verify(played.folder / "journal.sqlite").state == "sealed"
    rebuilt = tmp_path / "r"
    shutil.copytree(played.folder, rebuilt)  # the module's run stays as played for the other tests
    for name in REPORTS:
        (rebuilt / name).unlink()
    report, _ = write_reports(rebuilt)  # the same run rebuilt from its journal, in this process
    assert _texts(rebuilt) == played.texts
    assert report == played.outcome.report


@pytest.mark.usefixtures("forkable")
def test_the_scoring_process_is_forked_holding_nothing_of_the_run_but_its_pipes(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]]) -> None:
    # Forked, it must not keep the journal writer's pipe open (the writer would never see the end of its input), nor
    # the journal or its folder's lock: it holds its two pipes and /dev/null as its standard streams, nothing else.
    assert forked.can_fork()
    held: list[dict[int, str]] = []

    def progress(done: float, total: float) -> None:
        # The last look while it runs counts: just forked, it may still be closing what it inherited.
        if started and started[0][1].returncode is None:
            pid = started[0][1].pid
            with contextlib.suppress(FileNotFoundError):  # (it has just ended)
                fds = {int(fd): os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
                if fds:  # (none listed once it has ended, unreaped)
                    held[:] = [fds]

    run_to_folder(load_text(LONG), "long", seed=3, folder=tmp_path / "r", progress=progress)
    feed, child = started[0]
    assert isinstance(child, forked.Forked) and child.returncode == 0 and not feed.failed
    assert held, "the run never reported progress while its scoring process ran"
    fds = held[0]
    assert [fds[fd] for fd in (0, 1, 2)] == [os.devnull] * 3
    others = [target for fd, target in fds.items() if fd > 2]
    assert len(others) == 2 and all(target.startswith("pipe:") for target in others), fds


def test_a_scoring_process_started_as_a_new_interpreter_reports_the_same(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]],
        monkeypatch: pytest.MonkeyPatch, undisturbed: dict[str, bytes]) -> None:
    # Where this process cannot fork (no os.fork, or other threads running), a new interpreter is started and sent
    # the scenario: the same reports as the forked one.
    monkeypatch.setattr(livefeed, "can_fork", lambda: False)
    run_to_folder(load_text(LONG), "long", seed=3, folder=tmp_path / "r")
    feed, child = started[0]
    assert isinstance(child, subprocess.Popen) and child.returncode == 0 and not feed.failed
    assert _texts(tmp_path / "r") == undisturbed


def test_the_scoring_process_is_told_the_run_ended_before_the_journal_is_sealed(played: Played) -> None:
    # The early end: told as soon as the run's last row is handed on, with the meta of then, which lacks the seal
    # the writer process makes afterwards (told only at the end, it would have been given the sealed meta).
    feed, _ = played.started[0]
    final = read_meta(played.folder / "journal.sqlite")
    assert feed.ended is not None and SEAL_KEY not in feed.ended and SEAL_KEY in final
    assert feed.ended == {key: value for key, value in final.items() if key != SEAL_KEY}
    assert not feed.failed


def test_a_short_run_is_scored_in_this_process(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]]) -> None:
    short = LONG.replace('end: "05:00"', 'end: "00:30"')  # well under one batch of rows
    run_to_folder(load_text(short), "long", seed=3, folder=tmp_path / "r")
    assert started == []
    live = _texts(tmp_path / "r")
    write_reports(tmp_path / "r")
    assert _texts(tmp_path / "r") == live


@pytest.mark.parametrize("when", ["while the run plays", "once the run has played"])
def test_a_dead_scoring_process_leaves_the_run_whole_and_its_reports_the_same(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]], when: str,
        undisturbed: dict[str, bytes]) -> None:
    killed: list[int] = []

    def progress(done: float, total: float) -> None:
        late = done >= total
        if started and not killed and (late if when == "once the run has played" else not late):
            os.kill(started[0][1].pid, signal.SIGKILL)  # the run's own child, by its id
            killed.append(started[0][1].pid)

    outcome = run_to_folder(load_text(LONG), "long", seed=3, folder=tmp_path / "r", progress=progress)
    feed, child = started[0]
    assert killed and child.returncode == -signal.SIGKILL and feed.failed
    _rebuilt_as_undisturbed(tmp_path / "r", outcome.events, undisturbed)


def test_a_row_the_scoring_process_cannot_take_leaves_the_report_to_the_rebuild(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]],
        monkeypatch: pytest.MonkeyPatch, undisturbed: dict[str, bytes]) -> None:
    # The scoring process is handed a run_started row it cannot read (the journal gets the right one): it answers
    # that it failed, and the report is rebuilt from the journal, as for a row the feed in this process cannot take.
    take = livefeed.LiveFeed.take_framed

    def spoiled(feed: livefeed.LiveFeed, first_seq: int, rows: list[Row], framed: bytes | None) -> None:
        if first_seq == 0:  # this batch's frame made anew from the spoiled rows, not the writer's
            take(feed, first_seq, [(*rows[0][:5], 42), *rows[1:]], None)
        else:
            take(feed, first_seq, rows, framed)

    monkeypatch.setattr(livefeed.LiveFeed, "take_framed", spoiled)
    run_to_folder(load_text(LONG), "long", seed=3, folder=tmp_path / "r")
    feed, child = started[0]
    assert child.returncode == 0 and feed.failed and feed.cpu["feed"] > 0  # it answered "failed", and ended
    assert _texts(tmp_path / "r") == undisturbed


@pytest.mark.parametrize("when", ["while the run plays", "once the run has played"])
def test_a_hung_scoring_process_does_not_hang_the_run(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]], when: str,
        monkeypatch: pytest.MonkeyPatch, undisturbed: dict[str, bytes]) -> None:
    # A scoring process that stops answering (SIGSTOP: alive, reading nothing, using no CPU) is waited on for the
    # patience only, then ended, and the report rebuilt from the journal, as for one that died.
    monkeypatch.setattr(livefeed, "PATIENCE", 1.0)
    stopped: list[int] = []

    def progress(done: float, total: float) -> None:
        late = done >= total
        if started and not stopped and (late if when == "once the run has played" else not late):
            pid = started[0][1].pid
            # Stopped once it waits for rows: a child stopped before it closed what it inherited from the fork would
            # hold the journal writer's pipe open, and the writer (the run waits for its seal) would never end.
            _waiting_for_input(pid)
            os.kill(pid, signal.SIGSTOP)  # the run's own child, by its id
            stopped.append(pid)

    try:
        outcome = run_to_folder(load_text(LONG), "long", seed=3, folder=tmp_path / "r", progress=progress)
    finally:
        for pid in stopped:  # never leave a stopped process behind, whatever happened
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    feed, child = started[0]
    assert stopped and child.returncode == -signal.SIGKILL and feed.failed and feed.child is None
    _rebuilt_as_undisturbed(tmp_path / "r", outcome.events, undisturbed)


def test_a_slow_scoring_process_is_waited_for(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]],
        monkeypatch: pytest.MonkeyPatch, undisturbed: dict[str, bytes]) -> None:
    # Held up for a while (stopped for 1 s while the run plays on and fills the pipe, as a busy machine might hold
    # it), then working again: only a process that does no work for the whole patience is hung, so this one is
    # waited for and answers.
    monkeypatch.setattr(livefeed, "PATIENCE", 5.0)
    stopped: list[int] = []
    resumes: list[threading.Timer] = []

    def progress(done: float, total: float) -> None:
        if started and not stopped:
            pid = started[0][1].pid
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)
            resumes.append(threading.Timer(1.0, os.kill, (pid, signal.SIGCONT)))
            resumes[0].start()

    try:
        outcome = run_to_folder(load_text(LONG), "long", seed=3, folder=tmp_path / "r", progress=progress)
    finally:
        for resume in resumes:
            resume.join()
    feed, child = started[0]
    assert stopped and child.returncode == 0 and not feed.failed
    assert outcome.events > livefeed.OFFLOAD_ROWS
    assert _texts(tmp_path / "r") == undisturbed


def _writer_of(journal: Path, besides: int) -> int:
    """The pid of this process's child that holds ``journal`` open (the run's journal writer process)."""
    children = {int(pid) for task in os.listdir("/proc/self/task")
                for pid in Path(f"/proc/self/task/{task}/children").read_text(encoding="ascii").split()}
    for pid in children - {besides}:
        with contextlib.suppress(OSError):
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(journal) for fd in os.listdir(f"/proc/{pid}/fd")):
                return pid
    raise LookupError(f"no child of this process holds {journal} open")


def _waiting_for_input(pid: int, timeout: float = 120) -> None:
    """Until ``pid`` is blocked reading an empty pipe (it has taken everything handed to it so far)."""
    end = time.monotonic() + timeout
    while Path(f"/proc/{pid}/wchan").read_text(encoding="ascii").strip() not in ("pipe_read", "anon_pipe_read"):
        assert time.monotonic() < end, f"child {pid} never caught up with its input"
        time.sleep(0.005)


def test_the_scores_are_finished_while_the_journal_writer_has_not_sealed(
        tmp_path: Path, started: list[tuple[livefeed.LiveFeed, livefeed.Child]], undisturbed: dict[str, bytes]) -> None:
    """The early end, seen from outside: with the journal's writer process stopped (SIGSTOP) from the run's last
    progress on, before the run's last row is written, the scoring process still finishes the report and answers (its
    output becomes readable), because it was told the run had ended with the meta of then. Told only at the end, it
    would wait for the seal, which a stopped writer never makes."""
    folder = tmp_path / "r"
    stopped: list[int] = []
    answered: list[bool] = []

    def watch(scoring: livefeed.Child, writer: int) -> None:
        assert scoring.stdout is not None
        try:
            readable, _, _ = select.select([scoring.stdout.fileno()], [], [], 120)  # (not read: the run reads it)
            answered.append(bool(readable) and SEAL_KEY not in read_meta(folder / "journal.sqlite"))
        finally:
            os.kill(writer, signal.SIGCONT)

    def progress(done: float, total: float) -> None:
        if done >= total and started and not stopped:
            scoring = started[0][1]
            writer = _writer_of(folder / "journal.sqlite", scoring.pid)
            _waiting_for_input(writer)  # so the last batch fits in its pipe while it is stopped
            os.kill(writer, signal.SIGSTOP)  # the run's own child, by its id
            stopped.append(writer)
            threading.Thread(target=watch, args=(scoring, writer)).start()  # (both children are forked already)

    try:
        outcome = run_to_folder(load_text(LONG), "long", seed=3, folder=folder, progress=progress)
    finally:
        for pid in stopped:  # never leave a stopped process behind, whatever happened
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    feed, child = started[0]
    assert stopped and answered == [True], "the scoring process waited for the seal"
    assert child.returncode == 0 and not feed.failed
    assert outcome.events > livefeed.OFFLOAD_ROWS and _texts(folder) == undisturbed
