"""The forked JSON Lines and CSV writer failing: one line for the user, nothing half-written under their name, no
scratch file, no child left running or unreaped, and never a hang. Real forks, real signals, a real file-size limit."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pytest
from scoring_helpers import sample_events, scenario_file, write_run
from test_exports_apart import awkward_blocks

from ballotdrill.application.folder import write_output
from ballotdrill.exports import apart
from ballotdrill.exports.apart import write_apart
from ballotdrill.exports.lines import Block, write_csv_blocks
from ballotdrill.journal.forked import Forked
from ballotdrill.scenarios.errors import CannotWrite

pytestmark = [pytest.mark.skipif(not apart.can_fork(), reason="no fork here: the writer runs in the process"),
              pytest.mark.usefixtures("forkable")]


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[Forked]:
    """The writer children the test's exports fork (real ones), as they fork them."""
    children: list[Forked] = []

    class Recorded(Forked):
        def __init__(self, serve: Callable[[BinaryIO, BinaryIO], None]) -> None:
            super().__init__(serve)
            children.append(self)

    monkeypatch.setattr(apart, "Forked", Recorded)
    return children


def reaped(child: Forked) -> bool:
    """Whether ``child`` has ended and been reaped (no zombie left behind)."""
    try:
        os.waitpid(child.pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


class TwoPartError(Exception):
    """An error that pickles but cannot be unpickled (its pickle calls it with one argument)."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")


def no_text(_: Exception) -> str:
    raise RuntimeError("no text")


def failing_with(error: Callable[[], Exception]) -> apart.Writer:
    def write(blocks: Iterable[Block], path: Path) -> int:
        for _ in blocks:
            path.write_text("part", encoding="utf-8")
            raise error()
        return 0

    return write


@pytest.mark.parametrize(("error", "named"), [
    (lambda: TwoPartError("disk", "gone"), "(TwoPartError: disk: gone)"),
    (lambda: type("Local", (Exception,), {})("made in a function"), "(Local: made in a function)"),
    (lambda: type("Mute", (Exception,), {"__str__": no_text})(), "(Mute)"),  # nor its text made
])
def test_an_error_whose_answer_cannot_be_loaded_here_is_said_in_words(
        tmp_path: Path, forks: list[Forked], error: Callable[[], Exception], named: str) -> None:
    target = tmp_path / "z.csv"
    with pytest.raises(CannotWrite) as refused:
        write_output(target, partial(write_apart, failing_with(error), iter(awkward_blocks())))
    assert str(refused.value) == f"{target}: cannot write (the writer failed {named}); nothing was changed"
    assert os.listdir(tmp_path) == []  # no file under its name, no scratch file
    (child,) = forks
    assert reaped(child)


def test_a_long_error_midway_is_answered_while_the_export_still_hands_blocks_on(
        tmp_path: Path, forks: list[Forked]) -> None:
    """The writer stops at its first block; the export still has megabytes to hand on (more than the pipe holds) and
    the error's answer quotes the block's text (more than a pipe holds back): each waited for the other, forever."""
    odd = [(0, 0.5, "step_started", "I\ud800" + "x" * 200_000, "a", None, None)]  # text no UTF-8 file can hold
    blocks = [odd, *awkward_blocks()[1:3] * 8]
    with pytest.raises(UnicodeEncodeError) as here:
        write_csv_blocks(iter(blocks), tmp_path / "here.csv")

    def stuck(*_: object) -> None:
        raise TimeoutError("the export and its writer wait on each other")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(120)  # a hang fails the test, never hangs it
    try:
        with pytest.raises(UnicodeEncodeError) as forked:
            write_apart(write_csv_blocks, iter(blocks), tmp_path / "apart.csv")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert str(forked.value) == str(here.value)
    (child,) = forks
    assert reaped(child)


@contextlib.contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """No file written past ``size`` bytes meanwhile (a write past it fails with EFBIG, as on a full disk)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_a_full_disk_fails_the_file_whole_and_leaves_nothing(tmp_path: Path, forks: list[Forked]) -> None:
    target = tmp_path / "z.csv"
    with file_size_limit(200_000), pytest.raises(CannotWrite) as refused:
        write_output(target, partial(write_apart, write_csv_blocks, iter(awkward_blocks())))
    assert str(refused.value) == f"{target}: cannot write (File too large); nothing was changed"
    assert os.listdir(tmp_path) == []
    (child,) = forks
    assert child.returncode == 0 and reaped(child)  # it answered with the error, and ended


def test_export_on_a_full_disk_says_so_in_one_line_and_leaves_no_file(tmp_path: Path) -> None:
    # A journal no seal counts (changed, exported with --force) is written by a forked child whatever its size.
    run = write_run(tmp_path / "run", sample_events(), scenario_file())
    first = len(sample_events())
    with sqlite3.connect(run / "journal.sqlite") as db:
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(first + n, 5000.0 + n, "step_started", "N1", "monitoring", "assess",
                         '{"procedure":"disinfo-response","wait":0.0}') for n in range(20_000)])
    db.close()

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    proc = subprocess.Popen(
        [sys.executable, "-m", "ballotdrill", "export", "run", "--force", "--jsonl", "z.jsonl"], cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=limited, start_new_session=True)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and out == "", err
    warning, line = err.splitlines()
    assert warning.startswith("warning: run: the journal was changed after the run ended"), warning
    assert line == "z.jsonl: cannot write (File too large); nothing was changed"
    assert sorted(os.listdir(tmp_path)) == ["run"]
    with pytest.raises(ProcessLookupError):  # nothing of the export's left running
        os.killpg(proc.pid, 0)


def test_an_error_keeps_its_text_whatever_a_library_registered_for_pickling_exceptions(tmp_path: Path) -> None:
    """``distributed`` (a sweep's Dask extra) registers every exception class with ``copyreg``; its form of a
    ``UnicodeEncodeError`` comes back without its text. The writer's answer is pickled by Python's own rules."""
    pytest.importorskip("distributed")
    code = (
        "import sys; import distributed\n"
        "from pathlib import Path\n"
        "from ballotdrill.exports.apart import write_apart\n"
        "from ballotdrill.exports.lines import write_csv_blocks\n"
        "odd = [[(0, 0.5, 'step_started', 'I\\ud800', 'a', None, None)]]\n"
        "try:\n"
        "    write_apart(write_csv_blocks, iter(odd), Path(sys.argv[1]))\n"
        "except UnicodeEncodeError as exc:\n"
        "    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "z.csv")], capture_output=True, text=True,
                          timeout=120, check=True)
    assert "surrogates not allowed" in done.stdout, done.stdout + done.stderr
