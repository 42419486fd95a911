"""Ctrl-C at any point of a command that writes: one line on stderr and a folder left at a clean point.

A run interrupted while it plays keeps its rows unfinished (``report --force``); one interrupted after it
has played holds the whole sealed run (``report``); one interrupted after its reports ends as it would have.
The signals are real: SIGINT to the whole process group, as a terminal's Ctrl-C sends it.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic_core import SchemaError
from sweep_helpers import EXAMPLE
from test_run_faults import long_file, reap, wait_for  # noqa: F401  (long_file is a fixture)
from test_run_folders import bd, finished

from ballotdrill.application.folder import MANIFEST, write_output
from ballotdrill.exercise.run import run_exercise
from ballotdrill.journal import Event, Kind
from ballotdrill.journal.interrupts import interrupts_held, is_interrupt
from ballotdrill.journal.seal import SEAL_KEY, verify
from ballotdrill.scenarios import load_file

NOISE = ("Traceback", "Exception ignored", "Fatal Python error")
REPORTS = ("report.html", "report.md", "scores.json")


# --- the held section itself, with real signals in this process


@pytest.fixture(autouse=True)
def python_sigint() -> Iterator[None]:
    """Python's own Ctrl-C handler while a test runs (an earlier test may have left another)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_a_ctrl_c_in_a_held_section_is_delivered_when_it_ends() -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt), interrupts_held() as held:
        signal.raise_signal(signal.SIGINT)
        steps.append("after the signal")  # not cut
        assert held.pending
    assert steps == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_held_section_that_completes_the_work_can_drop_a_late_ctrl_c() -> None:
    with interrupts_held(deliver=False) as held:
        signal.raise_signal(signal.SIGINT)
    assert held.pending
    with interrupts_held() as quiet:
        pass
    assert not quiet.pending


def test_an_error_in_a_held_section_wins_over_a_recorded_ctrl_c() -> None:
    with pytest.raises(ValueError, match="disk"), interrupts_held():
        signal.raise_signal(signal.SIGINT)
        raise ValueError("disk")


def test_a_ctrl_c_that_pydantic_reports_as_its_own_error_is_still_a_ctrl_c() -> None:
    # pydantic-core turns a KeyboardInterrupt raised while it builds a schema into a SchemaError naming it
    assert is_interrupt(KeyboardInterrupt())
    assert is_interrupt(SchemaError("Error building `model` serializer:\n  KeyboardInterrupt: "))
    assert not is_interrupt(SchemaError("Error building `model` serializer: invalid literal"))
    assert not is_interrupt(ValueError("KeyboardInterrupt"))


def test_a_ctrl_c_while_a_class_is_made_is_still_a_ctrl_c() -> None:
    """Python 3.11 wraps what a descriptor's ``__set_name__`` raises in a RuntimeError: a Ctrl-C while a model's
    module is imported on first use (a live exercise's reports, once it has ended) came out as that error, a
    traceback and status 1."""

    class Landing:
        def __set_name__(self, owner: type, name: str) -> None:
            signal.raise_signal(signal.SIGINT)  # a real SIGINT, to Python's own handler

    with pytest.raises(BaseException) as raised:
        type("Model", (), {"field": Landing()})
    assert is_interrupt(raised.value)
    assert not is_interrupt(RuntimeError("Error calling __set_name__"))
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = ValueError("KeyboardInterrupt")
    assert not is_interrupt(wrapped)


def test_a_ctrl_c_as_the_run_records_its_end_waits_until_the_journal_is_sealed(tmp_path: Path) -> None:
    def ctrl_c_at_the_end(event: Event) -> None:
        if event.kind == Kind.RUN_ENDED:
            signal.raise_signal(signal.SIGINT)

    doc = load_file(EXAMPLE)
    with pytest.raises(KeyboardInterrupt):
        run_exercise(doc, doc.default_scenario, seed=1, out=tmp_path / "r", feed=ctrl_c_at_the_end)
    assert verify(tmp_path / "r" / "journal.sqlite").state == "sealed"  # whole, so sealed; not "unfinished"


def test_an_output_is_renamed_and_recorded_together_or_not_at_all(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from ballotdrill.application import folder as folders

    target = tmp_path / "report.md"
    write_output(target, lambda p: p.write_text("old", encoding="utf-8"), folder=tmp_path)

    def interrupted_fill(path: Path) -> None:
        path.write_text("half", encoding="utf-8")
        signal.raise_signal(signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        write_output(target, interrupted_fill, folder=tmp_path)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "report.md"]  # no temporary file left

    record = folders._record

    def interrupted_record(folder: Path, path: Path) -> None:  # a Ctrl-C between the rename and the manifest
        signal.raise_signal(signal.SIGINT)
        record(folder, path)

    monkeypatch.setattr(folders, "_record", interrupted_record)
    with pytest.raises(KeyboardInterrupt):
        write_output(target, lambda p: p.write_text("new", encoding="utf-8"), folder=tmp_path)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "new"
    write_output(target, lambda p: p.write_text("newer", encoding="utf-8"), folder=tmp_path)  # still ballotdrill's
    assert target.read_text(encoding="utf-8") == "newer"


# --- whole commands, interrupted from outside


def sealed(journal: Path) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=5)) as db:
            return db.execute("SELECT 1 FROM meta WHERE key = ?", (SEAL_KEY,)).fetchone() is not None
    except sqlite3.Error:
        return False


def wait_sealed(journal: Path, proc: subprocess.Popen[str], timeout: float = 300) -> None:
    """Until the run has played and sealed its journal (its reports are then being made), or it ended."""
    end = time.monotonic() + timeout
    while proc.poll() is None and not sealed(journal):
        if time.monotonic() > end:
            raise TimeoutError(journal)
        time.sleep(0.005)


def interrupt(proc: subprocess.Popen[str]) -> tuple[int, list[str], str]:
    """Ctrl-C to the process group; the exit status, stderr's lines, and stdout."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    reap(proc.pid)
    assert not any(noise in err for noise in NOISE), err
    return proc.returncode, err.strip().splitlines(), out


def check_run_outcome(work: Path, status: int, lines: list[str]) -> str:
    """What an interrupted ``run --out r`` left: it must be what its line says, and reportable. Returns the case."""
    folder = work / "r"
    journal = folder / "journal.sqlite"
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    state = verify(journal).state
    if status == 0:  # the interrupt came after the work was done: the normal output, whole
        assert lines[0].startswith("long seed 1: ")
        assert lines[-1] == "  report: r/report.html (also report.md, scores.json)"
        assert state == "sealed" and all((folder / name).is_file() for name in REPORTS)
        return "completed"
    assert status == 130 and len(lines) == 1, (status, lines)
    line = lines[0]
    if state == "unfinished":
        assert line.startswith("interrupted: r keeps ") and "marked unfinished" in line
        assert "'ballotdrill report r --force' reports on them" in line
        forced = finished("report", "r", "--force", cwd=work)
        assert forced.returncode == 0, forced.stderr
        return "unfinished"
    assert state == "sealed", state
    assert line.startswith("interrupted after the run had played: r holds the whole run, sealed ("), line
    written = [name for name in REPORTS if (folder / name).is_file()]
    if len(written) == len(REPORTS):
        assert line.endswith(f"and its reports ({', '.join(REPORTS)})"), line
        return "sealed with reports"
    assert line.endswith("'ballotdrill report r' writes them"), line
    assert ("no report yet" in line) == (not written) and all(name in line for name in written)
    again = finished("report", "r", cwd=work)  # no --force: the run is whole
    assert again.returncode == 0, again.stderr
    assert all((folder / name).is_file() for name in REPORTS)
    return "sealed"


def test_ctrl_c_while_the_reports_are_made_stops_with_the_sealed_run(long_file: Path) -> None:  # noqa: F811
    proc = bd("run", "-f", "long.yaml", "--out", "r", cwd=long_file, start_new_session=True)
    wait_sealed(long_file / "r" / "journal.sqlite", proc)
    status, lines, _ = interrupt(proc)
    case = check_run_outcome(long_file, status, lines)
    if case == "completed":
        pytest.skip("the reports were written before the interrupt reached the run (a very fast machine)")
    assert case == "sealed", (case, lines)


def _interrupt_trial(work: Path, after_seal: bool, delay: float) -> tuple[str, list[str]]:
    work.mkdir()
    (work / "long.yaml").write_text((work.parent / "long.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    proc = bd("run", "-f", "long.yaml", "--out", "r", cwd=work, start_new_session=True)
    journal = work / "r" / "journal.sqlite"
    wait_sealed(journal, proc) if after_seal else wait_for(journal, proc)
    time.sleep(delay)
    status, lines, _ = interrupt(proc)
    return check_run_outcome(work, status, lines), lines


@pytest.mark.slow
def test_ctrl_c_at_many_points_of_a_run_always_ends_cleanly(long_file: Path) -> None:  # noqa: F811
    # From the journal's first rows, through the writer's closing and the seal, to the reports and the summary.
    plans = [(long_file / f"t{n}", False, n * 0.1) for n in range(16)]
    plans += [(long_file / f"s{n}", True, n * 0.15) for n in range(24)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda plan: _interrupt_trial(*plan), plans))
    cases = {case for case, _ in results}
    assert {"unfinished", "sealed"} <= cases, cases


def test_ctrl_c_in_a_live_exercise_says_how_to_resume_it(tmp_path: Path) -> None:
    proc = bd("live", "--speed", "60", "--out", "lv", cwd=tmp_path, start_new_session=True, stdin=subprocess.PIPE)
    assert proc.stderr is not None
    started = proc.stderr.readline()  # said just before the exercise starts playing
    assert started.startswith("live: "), started
    time.sleep(1.0)
    status, lines, _ = interrupt(proc)
    assert status == 130 and len(lines) == 1, lines  # after the start line: the interrupt's
    assert re.fullmatch(r"interrupted: lv keeps the exercise, stopped at \d\d:\d\d(:\d\d(\.\d+)?)? \(journalled\); "
                        r"'ballotdrill resume lv' carries it on", lines[0]), lines


def test_ctrl_c_after_a_live_exercise_ended_stops_with_the_sealed_run(tmp_path: Path) -> None:
    proc = bd("live", "--speed", "60", "--out", "lv", cwd=tmp_path, start_new_session=True, stdin=subprocess.PIPE)
    journal = tmp_path / "lv" / "journal.sqlite"
    wait_for(journal, proc)
    assert proc.stdin is not None
    proc.stdin.write("end\n")
    proc.stdin.flush()
    wait_sealed(journal, proc)
    status, lines, _ = interrupt(proc)
    if status == 0:
        pytest.skip("the reports were written before the interrupt reached the exercise (a very fast machine)")
    assert status == 130 and len(lines) == 2, lines
    assert lines[1].startswith("interrupted after the run had played: lv holds the whole run, sealed ("), lines
    assert verify(journal).state == "sealed"
    again = finished("report", "lv", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_a_ctrl_c_caught_out_of_code_made_from_text_still_ends_with_status_130(tmp_path: Path) -> None:
    # CPython marks a KeyboardInterrupt that leaves exec or eval of a string (a dataclass or named tuple being made as
    # a module is imported on first use: the reports' modules, just after a live exercise's seal) as unhandled, though
    # main caught it and said its line; under `python -m` the interpreter then killed itself with SIGINT once it had
    # exited (status -2: the rare failure of the test above)
    package = tmp_path / "interrupted_in_exec"
    package.mkdir()
    (package / "__main__.py").write_text(
        "import signal\nimport sys\n"
        "from ballotdrill import cli\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever the test runner's was\n"
        "def command(args):  # a command that has said a line, interrupted while a class is made from text\n"
        "    cli.say('started')\n"
        "    exec('import signal\\nsignal.raise_signal(signal.SIGINT)\\nfor _ in range(10 ** 7): pass')\n"
        "    return 0\n"
        "cli.quick.run = command\n"
        "cli.application.RunInterrupted  # imported now, as in a command that ran: nothing is made from text after\n"
        "sys.argv = ['ballotdrill', 'list']\n"
        "cli.main()\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", package.name], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)
    assert (done.returncode, done.stderr) == (130, "started\ninterrupted\n")


def test_ctrl_c_in_a_sweep_stops_it_and_its_workers_with_one_line(tmp_path: Path) -> None:
    proc = bd("sweep", "-f", str(EXAMPLE), "--runs", "4000", "--workers", "2", "--out", "sw", cwd=tmp_path,
              start_new_session=True)
    wait_for(tmp_path / "sw", proc)  # made once the workers are up
    time.sleep(0.5)
    status, lines, _ = interrupt(proc)
    if status == 0:
        pytest.skip("the sweep finished before the interrupt reached it (a very fast machine)")
    assert status == 130 and lines == ["interrupted: the sweep stopped before its replications were done; "
                                       "nothing was written"], lines
    assert not (tmp_path / "sw").exists()


def waiting_at_the_fifo(proc: subprocess.Popen[str], timeout: float = 120) -> None:
    """Until the process is blocked opening a FIFO for writing (Linux's ``wait_for_partner``), or it ended."""
    wchan = Path(f"/proc/{proc.pid}/wchan")
    end = time.monotonic() + timeout
    while proc.poll() is None and wchan.read_text(encoding="ascii").strip() != "wait_for_partner":
        if time.monotonic() > end:
            raise TimeoutError(f"the export never opened its temporary OCEL file (wchan {wchan.read_text()!r})")
        time.sleep(0.01)


def test_ctrl_c_in_an_export_says_which_files_it_wrote_and_how_to_write_the_rest(tmp_path: Path) -> None:
    assert finished("run", "--file", str(EXAMPLE), "--out", "r", cwd=tmp_path).returncode == 0
    proc = bd("export", "r", "--jsonl", "z.jsonl", "--csv", "z.csv", "--ocel", "z.ocel.json", cwd=tmp_path,
              start_new_session=True)
    os.mkfifo(tmp_path / f".z.ocel.json.{proc.pid}.tmp")  # the OCEL log's temporary file: its writer waits there
    assert proc.stderr is not None
    watchdog = threading.Timer(120, proc.kill)  # an export that never says what it wrote fails, never hangs
    watchdog.start()
    try:
        said = [proc.stderr.readline(), proc.stderr.readline()]  # each file is reported as soon as it is in place
    finally:
        watchdog.cancel()
    assert said[0].startswith("wrote ") and said[0].rstrip().endswith("z.jsonl"), said
    assert said[1].startswith("wrote ") and said[1].rstrip().endswith("z.csv"), said
    waiting_at_the_fifo(proc)  # a Ctrl-C before it began the OCEL file would find nothing of its own to remove
    status, lines, _ = interrupt(proc)
    assert status == 130 and lines == [
        "interrupted: z.jsonl and z.csv were written whole; z.ocel.json was not written (no part of it is left); "
        "'ballotdrill export r --ocel z.ocel.json' writes it"], lines
    assert not (tmp_path / "z.ocel.json").exists() and not list(tmp_path.glob(".*.tmp"))
    kept = (tmp_path / "z.jsonl").read_bytes()
    rest = finished("export", "r", "--ocel", "z.ocel.json", cwd=tmp_path)
    assert rest.returncode == 0 and (tmp_path / "z.ocel.json").is_file(), rest.stderr
    assert (tmp_path / "z.jsonl").read_bytes() == kept
