"""A run's report fed as the run plays: in this process, or, for a long run, in a scoring process of its own.

A long run keeps both cores busy: the engine in the main process, the journal writer process (SQLite inserts,
the seal's digest) and, from the same first full batch on (``OFFLOAD_ROWS``), a scoring process that is
handed every batch the engine makes, in the same ``marshal`` frames the writer gets, feeds them to a
:class:`~ballotdrill.report.report.ReportFeed` and, once the run has ended, sends back the assembled
:class:`~ballotdrill.report.Report` (pickled; the main process lays it out and renders it). Nothing reads the
journal back. The scores are those of the same feed in one process: the same handlers take the same rows in
the same order (rows come out of ``marshal`` as the engine made them: tuples, dicts, floats bit for bit).

A row the feed cannot take, a scoring process that fails, dies or hangs (does no work at all for :data:`PATIENCE`
seconds while the run waits on it), or one that cannot be started: the report is
rebuilt from the journal (``run_to_folder``), which says what is wrong with a malformed row, so a run never
stops for its scorer. A run that stops (Ctrl-C, a journal that cannot be written) ends the scoring process
(:meth:`LiveFeed.stop`); one whose main process is killed ends it too, by the end of its input.

The scoring process is forked from the main process (:mod:`ballotdrill.journal.forked`: it starts with the
scorer's modules imported and the scenario in memory), or, where that cannot be, started as a new interpreter
(``python -P -m ballotdrill.application.livefeed``), whose first frame is the pickled ``(doc, scenario)``. Frames on
its input: the journal writer's (:func:`~ballotdrill.journal.store.frame`); a frame of length 0 says the run has
ended, and one more holds the pickled meta to assemble the report with. Its output carries one pickled
:data:`Outcome`.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
import resource
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ballotdrill.journal import Kind, Row
from ballotdrill.journal.forked import Forked, can_fork, widen
from ballotdrill.journal.seal import SEAL_KEY
from ballotdrill.journal.store import HEADER, SEAL_FRAME, frame, read_meta

if TYPE_CHECKING:
    from ballotdrill.report import Report
    from ballotdrill.report.report import ReportFeed
    from ballotdrill.scenarios.scenario import ScenarioFile

MALFORMED = (TypeError, ValueError, KeyError, AttributeError, IndexError)
"""What scoring or reporting raises on a journal row or stored scenario it cannot make sense of."""

OFFLOAD_ROWS = 8192
"""A run whose first batch is this long (a whole journal batch: the journal goes to its writer process too) is
scored in a scoring process."""

Outcome = tuple[str, "Report | None", dict[str, float]]
"""What the scoring process sends back: ``("ok", report, cpu)`` or ``("failed", None, cpu)``, with the CPU
seconds it spent feeding rows and assembling (for the benchmarks)."""


Child = subprocess.Popen[bytes] | Forked
"""A scoring process: forked from this one, or a new interpreter."""

RUN_ENDED = Kind.RUN_ENDED.value
"""The kind of a run's last row."""

PATIENCE = 60.0
"""Seconds a run waits on its scoring process while that process does no work at all (takes no bytes, answers
nothing and uses no CPU) before taking it for hung: it is ended, and the report rebuilt from the journal."""


class LiveFeed:
    """Feeds a run's report as it plays; a row the scorer cannot take stops the feeding, never the run.

    ``offload``: a first batch of this many rows or more is scored in a scoring process (0: never). ``patience``:
    seconds to wait on a scoring process that does no work before taking it for hung (default :data:`PATIENCE`).
    """

    def __init__(self, doc: ScenarioFile, scenario: str, offload: int = OFFLOAD_ROWS,
                 patience: float | None = None, journal: Path | None = None) -> None:
        """``journal``: the run's journal file; once the run's last row is handed on, the scoring process is told the
        run has ended, with the meta read from it then, and finishes the scores while the journal is being sealed."""
        self.doc = doc
        self.scenario = scenario
        self.journal = journal
        self.ended: dict[str, str] | None = None
        """The meta the scoring process was told the run ended with (None: not told yet)."""
        self.offload = offload
        self.patience = PATIENCE if patience is None else patience
        self.report: ReportFeed | None = None
        self.child: Child | None = None
        self.started = False
        self.failed = False
        self.cpu: dict[str, float] = {}
        """The scoring process's own CPU seconds (feeding rows, assembling the report), once it has answered."""

    def take(self, first_seq: int, rows: list[Row]) -> None:
        """The engine's rows a batch at a time (no event made per row)."""
        self.take_framed(first_seq, rows, None)

    def take_framed(self, first_seq: int, rows: list[Row], framed: bytes | None) -> None:
        """As :meth:`take`; ``framed``: the same batch's frame (:func:`~ballotdrill.journal.store.frame`), as the
        journal's writer process got it, sent to the scoring process as it is (None: made here)."""
        if not self.started:
            self.started = True
            if self.offload and len(rows) >= self.offload:
                self._start()
        if self.child is not None:
            if self.ended is not None:  # a row after the run's last one (none comes): rebuilt from the journal
                self._lost()
                return
            self._send(framed if framed is not None else frame(first_seq, rows))
            if self.journal is not None and rows[-1][1] == RUN_ENDED and self.child is not None:
                self._end_early(self.journal)
            return
        if self.failed:
            return
        try:
            self._in_process().take(first_seq, rows)
        except MALFORMED:
            self.failed = True

    def assembler(self, meta: Mapping[str, str]) -> Callable[[], Report] | None:
        """Once the run has ended: what gives its report, assembled with ``meta`` (None: the live feed failed, so the
        report is to be rebuilt from the journal)."""
        if self.child is not None:
            report = self._answer(meta)
            return None if report is None else lambda: report
        if self.ended is not None:  # lost after it was told the run had ended
            return None
        if self.failed:
            return None
        feed = self._in_process()
        return lambda: feed.assemble(meta)

    def stop(self) -> None:
        """End the scoring process, if one runs (the run stopped: its scores are not wanted)."""
        child, self.child = self.child, None
        if child is not None:
            with contextlib.suppress(OSError):
                child.kill()
            _reap(child)

    def _in_process(self) -> ReportFeed:
        if self.report is None:
            from ballotdrill.report.report import ReportFeed

            self.report = ReportFeed(self.doc, self.scenario)
        return self.report

    def _start(self) -> None:
        """Fork the scoring process (it has the scenario and the scorer's modules already), or, where this process
        cannot fork (:func:`~ballotdrill.journal.forked.can_fork`), start a new interpreter and send it the
        scenario; neither to be had: scored here."""
        child: Child
        setup: tuple[ScenarioFile, str] | None = (self.doc, self.scenario)
        try:
            if can_fork():
                try:
                    child = Forked(partial(serve, setup=setup))
                except OSError:
                    child = _interpreter()
                else:
                    setup = None
            else:
                child = _interpreter()
        except OSError:  # no process to be had: scored here
            return
        self.child = child
        assert child.stdin is not None and child.stdout is not None
        for stream in (child.stdin, child.stdout):  # this end only: every wait on the child is bounded
            os.set_blocking(stream.fileno(), False)
        if setup is not None:
            self._send(_framed(pickle.dumps(setup, pickle.HIGHEST_PROTOCOL)))

    def _send(self, data: bytes) -> None:
        """Write ``data`` to the scoring process as fast as it takes it; one that died or hung is lost (the report
        will be rebuilt from the journal)."""
        child = self.child
        assert child is not None and child.stdin is not None
        fd, view = child.stdin.fileno(), memoryview(data)
        while view:
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:  # the pipe is full: the scoring process is behind
                if not _ready(child, fd, writing=True, patience=self.patience):
                    self._lost()
                    return
            except OSError:  # it died
                self._lost()
                return

    def _lost(self) -> None:
        self.stop()
        self.failed = True

    def _end_early(self, journal: Path) -> None:
        """The run's last row has been handed on: tell the scoring process, with the meta in the journal now (all but
        the seal, which the journal's writer process is about to make), so that it finishes the scores meanwhile."""
        try:
            meta = read_meta(journal)
        except (sqlite3.Error, OSError):  # told at the end instead, as without a journal
            return
        self._tell_ended(meta)

    def _tell_ended(self, meta: Mapping[str, str]) -> None:
        """Send the end of the run and the meta to assemble the report with, then close the scoring process's input."""
        child = self.child
        assert child is not None and child.stdin is not None
        self.ended = dict(meta)
        self._send(SEAL_FRAME + _framed(pickle.dumps(self.ended, pickle.HIGHEST_PROTOCOL)))
        if self.child is not None:
            with contextlib.suppress(OSError):
                child.stdin.close()

    def _answer(self, meta: Mapping[str, str]) -> Report | None:
        child = self.child
        assert child is not None and child.stdout is not None
        if self.ended is None:
            self._tell_ended(meta)
            if self.child is None:
                return None
        answer = _read_all(child, child.stdout.fileno(), self.patience)
        if answer is None:  # hung while it finished
            self._lost()
            return None
        self.child = None
        status = _reap(child, self.patience)
        if status is None:  # answered, then never ended
            self.failed = True
            return None
        try:
            outcome: Outcome = pickle.loads(answer)
            tag, report, self.cpu = outcome
        except Exception:  # a process that died mid-answer: whatever unpickling raises
            tag, report = "failed", None
        if status != 0 or tag != "ok" or report is None:
            self.failed = True
            return None
        return self._sealed(report, meta)

    def _sealed(self, report: Report, meta: Mapping[str, str]) -> Report | None:
        """``report`` as assembled with ``meta``: told the run had ended before the journal was sealed, the scoring
        process assembled it with the meta of then, which lacks only the seal (anything else that differs: None, and
        the report is rebuilt from the journal)."""
        told = self.ended or {}
        if told == meta:
            return report
        if {k: v for k, v in meta.items() if k != SEAL_KEY} != {k: v for k, v in told.items() if k != SEAL_KEY}:
            self.failed = True
            return None
        from ballotdrill.report.report import scores_source

        return report.model_copy(update={"journal": scores_source(meta)})


def _interpreter() -> subprocess.Popen[bytes]:
    """A scoring process in a new interpreter, which reads the scenario from the first frame."""
    # An absolute module, and -P: the child imports the installed package, never a folder named like it here.
    command = [sys.executable, "-P", "-m", "ballotdrill.application.livefeed"]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdin is not None
    widen(child.stdin.fileno())
    return child


def _framed(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def _reap(child: Child, patience: float | None = None) -> int | None:
    """Close the pipes and wait for the child to end: its status, or None when ``patience`` seconds passed first
    (it is then killed)."""
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        return child.wait(patience)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            child.kill()
        child.wait()
        return None


def _ready(child: Child, fd: int, *, writing: bool, patience: float) -> bool:
    """Wait until ``fd`` (this end of a pipe to ``child``) can be written or read; False once ``child`` has done no
    work (used no CPU) for ``patience`` seconds meanwhile. A child that ended is ready: the pipe says so."""
    cpu, idle_since = _cpu_of(child.pid), time.monotonic()
    while True:
        readable, writable, _ = select.select(() if writing else (fd,), (fd,) if writing else (), (),
                                              min(1.0, patience))
        if readable or writable or child.poll() is not None:
            return True
        now = _cpu_of(child.pid)
        if now is not None and now != cpu:  # working, if slowly (where its CPU cannot be read, only time counts)
            cpu, idle_since = now, time.monotonic()
        elif time.monotonic() - idle_since >= patience:
            return False


def _read_all(child: Child, fd: int, patience: float) -> bytes | None:
    """Everything ``child`` writes to ``fd`` until it closes it (None: it hung first)."""
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            if not _ready(child, fd, writing=False, patience=patience):
                return None
            continue
        except OSError:
            return b""
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _cpu_of(pid: int) -> int | None:
    """Clock ticks of CPU ``pid`` has used (user and system), or None where ``/proc`` does not tell."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def _read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's payload: b"" for the end-of-run frame, None at the end of input (or mid-frame)."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def serve(stream: BinaryIO, out: BinaryIO, setup: tuple[ScenarioFile, str] | None = None) -> None:
    """Feed every batch read from ``stream`` to a report feed; once the run has ended, write the :data:`Outcome`.

    ``setup``: the scenario file and name (a forked process has them); None: read from the first frame."""
    from ballotdrill.report.report import ReportFeed

    started = _cpu()
    if setup is None:
        first = _read_frame(stream)
        if not first:
            return
        setup = pickle.loads(first)
    doc, scenario = setup
    feed = ReportFeed(doc, scenario)
    failed = False
    while (payload := _read_frame(stream)) is not None:
        if not payload:
            break
        if failed:  # what comes after a row the feed could not take is read and dropped
            continue
        first_seq, rows = marshal.loads(payload)
        try:
            feed.take(first_seq, rows)
        except Exception:  # the report is rebuilt from the journal, which says what is wrong
            failed = True
    else:
        return  # the run stopped before it ended: nothing is wanted
    meta_frame = _read_frame(stream)
    if meta_frame is None:
        return
    fed = _cpu()
    report: Report | None = None
    if not failed:
        try:
            report = feed.assemble(pickle.loads(meta_frame))
        except Exception:  # as above
            report = None
    cpu = {"feed": fed - started, "assemble": _cpu() - fed}
    outcome: Outcome = ("ok", report, cpu) if report is not None else ("failed", None, cpu)
    out.write(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
    out.flush()


def main() -> None:
    # Ctrl-C reaches the whole process group: the run decides, and ends this process if it stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # the feed makes no reference cycles (as in the main process, where it ran with the collector paused)
    out: Any = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the outcome on the pipe
    serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
