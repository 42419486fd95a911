"""A child process forked from this one, serving a function over two pipes: no new interpreter, no imports.

A long run's scoring process (:mod:`ballotdrill.application.livefeed`) and its journal writer process
(:class:`~ballotdrill.journal.store.SqliteSink`) are forked once the run is under way, so that they start with
everything the main process has imported (the report, the scorer, the scenario models; SQLite) and the scenario in
memory, where a new interpreter spends up to a second of CPU on its imports before the first row. Their input pipes
are widened (:func:`widen`) to hold whole batches.

The child keeps nothing of the parent's but its memory: every file descriptor except its two pipe ends (and those
the caller names) is closed
(the journal's SQLite file and its lock, the other children's pipes, whose end of input must come when the
main process closes them), its standard streams go to ``/dev/null``, SIGINT is ignored (the run decides, as for the
journal writer), and it ends by :func:`os._exit`, so no inherited buffer is flushed and no ``atexit`` handler runs.
A process with other threads is not forked (a lock one of them held would stay held in the child forever), nor
where ``os.fork`` does not exist: the caller starts a new interpreter instead (:func:`can_fork`).

:class:`Forked` has the parts of ``subprocess.Popen``'s face the live feed and the journal's sink use (``stdin``,
``stdout``, ``pid``, ``returncode``, ``poll``, ``wait``, ``kill``), so either kind of child is handled alike.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import BinaryIO, NoReturn

PIPE_SIZE = 1 << 20
"""Bytes a pipe to a run's child process holds (Linux's default limit for one pipe; 64 KiB when not raised): a few
whole journal frames (about 350 KB each), so handing a batch on seldom waits for the child to read it, and a child
done with one batch finds all of the next one waiting rather than a sixth of it and a wait for the rest."""


def widen(fd: int) -> None:
    """Make the pipe of ``fd`` hold :data:`PIPE_SIZE` bytes where the system allows it (else it keeps its size)."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        return
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    if setting is not None:
        with contextlib.suppress(OSError):  # over the system's limit for this user: the pipe keeps its size
            fcntl.fcntl(fd, setting, PIPE_SIZE)


def can_fork() -> bool:
    """Whether a child can be forked here: ``os.fork`` exists, this process runs no other thread, and the system is
    not macOS (whose system libraries are not safe to use in a child forked without exec)."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


class Forked:
    """A forked child running ``serve(its_stdin, its_stdout)``, then ending (status 0, or 1 if ``serve`` raised)."""

    def __init__(self, serve: Callable[[BinaryIO, BinaryIO], None], keep: tuple[int, ...] = ()) -> None:
        """Fork now; ``OSError`` when no process can be had. ``keep``: descriptors the child keeps open besides its
        two pipe ends."""
        child_in, self_out = os.pipe()
        self_in, child_out = os.pipe()
        widen(self_out)
        try:
            pid = os.fork()
        except OSError:
            for fd in (child_in, self_out, self_in, child_out):
                os.close(fd)
            raise
        if pid == 0:  # pragma: no cover - the child's side: measured by what it answers
            _run_child(serve, child_in, child_out, keep)
        os.close(child_in)
        os.close(child_out)
        self.pid = pid
        self.returncode: int | None = None
        self.stdin: BinaryIO = open(self_out, "wb", buffering=0)  # noqa: SIM115 - closed by its owner
        self.stdout: BinaryIO = open(self_in, "rb", buffering=0)  # noqa: SIM115 - closed by its owner

    def poll(self) -> int | None:
        """Its exit status once it has ended (negative: the signal that ended it), else None; reaps it."""
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: its status is lost
                self.returncode = 255
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for it to end, at most ``timeout`` seconds (``subprocess.TimeoutExpired`` past them)."""
        if timeout is None:
            if self.returncode is None:
                try:
                    _, waited = os.waitpid(self.pid, 0)
                except ChildProcessError:  # reaped elsewhere: its status is lost
                    return self.poll() or 255
                self.returncode = os.waitstatus_to_exitcode(waited)
            return self.returncode
        deadline, pause = time.monotonic() + timeout, 0.0005
        while True:
            ended = self.poll()
            if ended is not None:
                return ended
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(f"forked child {self.pid}", timeout)
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.05)

    def kill(self) -> None:
        """SIGKILL it, unless it has ended (and been reaped) already."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def made_apart(make: Callable[[], bytes]) -> Callable[[], bytes | None] | None:
    """``make`` run in a forked child, on the other core, while this process goes on: what waits for its bytes (None
    from it: the child failed or died, so the caller makes them itself). None where this process cannot fork.

    For pure computation on what this process holds (rendering a report), which ends by itself: the wait is not
    bounded as a scoring process's is."""
    if not can_fork():
        return None

    def serve(_: BinaryIO, out: BinaryIO) -> None:
        out.write(make())
        out.flush()

    try:
        child = Forked(serve)
    except OSError:
        return None
    child.stdin.close()

    def made() -> bytes | None:
        if child.stdout.closed:  # waited for already (a wait a Ctrl-C cut short reaped the child)
            child.wait()
            return None
        try:
            with child.stdout:
                data = child.stdout.read()
        finally:
            status = child.wait()
        return data if status == 0 else None

    return made


_INHERITED: list[object] = []
"""In a child: the parent's standard streams, kept referenced."""


def _run_child(serve: Callable[[BinaryIO, BinaryIO], None], stdin_fd: int, stdout_fd: int,
               keep: tuple[int, ...] = ()) -> NoReturn:
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        gc.disable()  # what it serves makes no reference cycles, and the parent's objects are not to be walked
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        _close_all_but(stdin_fd, stdout_fd, *keep)
        _INHERITED.extend((sys.stdin, sys.stdout, sys.stderr))  # never finalized here: nothing inherited is flushed
        sys.stdin = sys.stdout = sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115 - /dev/null
        serve(open(stdin_fd, "rb"), open(stdout_fd, "wb"))  # noqa: SIM115 - the same
        status = 0
    finally:
        os._exit(status)


def _close_all_but(*keep: int) -> None:
    """Close every file descriptor from 3 up except ``keep``."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, max(os.sysconf("SC_OPEN_MAX"), 3) if hasattr(os, "sysconf") else 65536)
