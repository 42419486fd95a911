"""OCEL's SQLite form built on two processes: a child forked for the log fills it while this process's pass over the
journal numbers the work in Python.

The log's thread (:class:`~ballotdrill.exports.ocel_sql_side.Beside`) shares Python's lock with the main thread:
each ``executemany`` binds its values holding it and takes it back after every step, so the thread waited for the
lock about as long as it ran while the pass ran Python. A child has a lock of its own. It is forked once the main
side's read transaction on the journal is open, and opens connections of its own to the log and the journal
(attached read-only, as ``j``): in the child the journal's lock is the parent's, which SQLite counts as held by
the process (no write can come between until the parent ends its reading, which it does only once the child has
answered), so the child reads the rows the parent reads. Fills are handed over a pipe, in order: the work pass's
rows as ``marshal`` bytes, every other fill (a ``partial`` of a module's function) and the order of
:meth:`~ballotdrill.exports.ocel_sql_side.Here.meanwhile` and :meth:`~ballotdrill.exports.ocel_sql_side.Here.settle`
pickled. The pipe bounds what waits (this process waits while it is full), so memory stays flat. The event tables'
fills after the pass are shared: each is run by the process that reads its token from a second pipe
(:meth:`Apart.share`). The child commits
the log when its input ends and answers as the JSON Lines writer's child does (:mod:`ballotdrill.exports.apart`):
nothing, or the error that stopped it, raised here. Whatever ends the build early kills it first.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import select
import sqlite3
import struct
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from ballotdrill.exports.apart import answer_of, reply
from ballotdrill.exports.ocel_sql_side import PHASES, SCRATCH_CACHE_KIB, Beside, Fill, ForkFailed, Here
from ballotdrill.exports.ocel_sqlite import EVENT_COLUMNS, LOG_PRAGMAS, SqliteSink, insert_rows
from ballotdrill.exports.ocel_work import WIDTHS, Rows, WorkPass, stamper
from ballotdrill.journal.forked import Forked, can_fork
from ballotdrill.journal.interrupts import interrupts_held
from ballotdrill.journal.sqlite_uri import read_only_uri

_HEAD = struct.Struct("<cQ")
"""A message's kind and its length."""

_ROWS, _FILL, _MEANWHILE, _SETTLE, _MIRROR, _SHARE = b"R", b"F", b"W", b"S", b"M", b"H"
_BEGIN_WORK, _WORK, _WORK_DONE = b"B", b"P", b"D"

_READ = 1 << 20
"""Bytes read from the pipe at once (a widened pipe's size)."""

_TOKEN = struct.Struct("<H")
"""A shared fill's index, as both processes take it from the tokens' pipe (:meth:`Apart.share`)."""

_TOKENS = getattr(select, "PIPE_BUF", 512) // _TOKEN.size
"""Shared fills handed out by tokens at most: all of them in one write no larger than ``PIPE_BUF`` (so each read of a
token gets a whole one); any more are the main process's."""


class Apart(Beside):
    """Fills run in order by a forked child on a connection of its own to the log; the main process reads the journal
    and fills its event tables in a scratch database beside ``path``, copied in at the end (as :class:`Beside`)."""

    def _start(self) -> None:
        (self.log_file,) = [file for _, name, file in self.log.execute("PRAGMA database_list") if name == "main"]
        self.tokens = list(os.pipe())
        """The tokens' pipe (read and write ends, -1 once closed here): each shared fill's index (:meth:`share`)."""
        try:
            self.child = Forked(self._serve, keep=(self.tokens[0],))
        except OSError as exc:
            self._close_tokens()
            raise ForkFailed(*exc.args) from exc

    def run(self, fill: Fill) -> None:
        self._send(_FILL, pickle.dumps(fill, pickle.HIGHEST_PROTOCOL))

    def rows(self, head: str, width: int, rows: list[tuple[Any, ...]]) -> None:
        self._send(_ROWS, marshal.dumps((head, width, rows)))

    def begin_work(self, day_zero: datetime, start: float) -> None:
        self._send(_BEGIN_WORK, pickle.dumps((day_zero, start), pickle.HIGHEST_PROTOCOL))

    def work(self, rows: Rows) -> None:
        if rows:
            self._send(_WORK, marshal.dumps(rows))

    def work_done(self) -> None:
        self._send(_WORK_DONE, b"")

    def meanwhile(self, fills: list[Fill]) -> None:
        self._send(_MEANWHILE, pickle.dumps(fills, pickle.HIGHEST_PROTOCOL))

    def settle(self) -> None:
        self._send(_SETTLE, b"")

    def mirror(self, event_tables: list[tuple[str, dict[str, str]]]) -> None:
        self._send(_MIRROR, pickle.dumps(event_tables, pickle.HIGHEST_PROTOCOL))

    def share(self, fills: list[tuple[str, Fill]]) -> None:
        """Hand the child ``fills`` and write each one's index to the tokens' pipe; then take tokens here too until
        none is left: each fill is run by the process that read its token (the child once it is done with the fills
        given before), so neither side waits while the other has several left."""
        shared, own = fills[:_TOKENS], fills[_TOKENS:]
        self._send(_SHARE, pickle.dumps([fill for _, fill in shared], pickle.HIGHEST_PROTOCOL))
        os.write(self.tokens[1], b"".join(_TOKEN.pack(index) for index in range(len(shared))))
        self._close_tokens(write_only=True)
        for index in _claimed(self.tokens[0]):
            self.take(*shared[index])
        for table, fill in own:
            self.take(table, fill)

    def _close_tokens(self, *, write_only: bool = False) -> None:
        """Close this process's ends of the tokens' pipe (``write_only``: its write end)."""
        for end in (1,) if write_only else (1, 0):
            if self.tokens[end] >= 0:
                os.close(self.tokens[end])
                self.tokens[end] = -1

    def _send(self, kind: bytes, data: bytes) -> None:
        """One message to the child; a child gone (a fill failed) raises what stopped it."""
        view, write = memoryview(_HEAD.pack(kind, len(data)) + data), self.child.stdin.write
        try:
            while view:
                view = view[write(view) or 0:]
        except BrokenPipeError:
            self._answer()
            raise OSError("the process filling the log ended without finishing it") from None

    def _answer(self) -> None:
        """Wait for the child's answer: nothing, or its error raised here."""
        self.child.stdin.close()
        try:
            answer_of(self.child)
        finally:
            self.child.stdout.close()

    def finish(self, told: Callable[[str], None]) -> None:
        """Wait for the child's fills (raising what stopped them), end the reading and copy the event tables the
        main process filled into the log; commit the build."""
        told(PHASES[0])
        self.settle()
        self._close_tokens()
        self._answer()
        self._copy_in(told)

    def abandon(self) -> None:
        """Kill the child (the build failed) and remove the scratch database; a Ctrl-C meanwhile waits for it (One
        interrupt policy)."""
        with interrupts_held():
            self.child.kill()
            for pipe in (self.child.stdin, self.child.stdout):
                pipe.close()
            self.child.wait()
            self._close_tokens()
            self.reader.close()
            self.file.unlink(missing_ok=True)

    def _serve(self, source: BinaryIO, answer: BinaryIO) -> None:
        """The child's side: run the fills as they come, commit the log; answer 0 or the error that stopped it.

        Its input is closed before it answers: a parent still handing fills on finds its pipe broken and reads the
        answer."""
        try:
            found: object = self._fill(source.fileno())
        except Exception as exc:  # every error goes back to the parent, which raises it
            found = exc
        source.close()
        answer.write(reply(found))
        answer.flush()

    def _fill(self, fd: int) -> int:
        log = sqlite3.connect(Path(self.log_file).as_uri(), isolation_level=None, uri=True)
        for pragma in (*LOG_PRAGMAS, f"temp.cache_size=-{SCRATCH_CACHE_KIB}"):  # (as the main process's)
            log.execute(f"PRAGMA {pragma}")
        log.execute("ATTACH DATABASE ? AS j", (read_only_uri(self.journal),))
        self.log_sink.db = log  # (this process's copy of the log's sink, which knows the tables' names)
        log.execute("BEGIN")
        idle: deque[Fill] = deque()
        passing: WorkPass | None = None
        for kind, data in _messages(fd, idle):
            if kind is None:
                idle.popleft()(log)
            elif kind == _WORK and passing is not None:
                passing.feed(marshal.loads(data))
            elif kind == _BEGIN_WORK:
                day_zero, start = pickle.loads(data)
                passing = WorkPass(partial(_insert_work, log), stamper(day_zero, start))
            elif kind == _WORK_DONE and passing is not None:
                passing.finish()
            elif kind == _ROWS:
                head, width, rows = marshal.loads(data)
                insert_rows(log, head, width, rows)
            elif kind == _FILL:
                pickle.loads(data)(log)
            elif kind == _MEANWHILE:
                idle.extend(pickle.loads(data))
            elif kind == _SETTLE:
                while idle:
                    idle.popleft()(log)
            elif kind == _MIRROR:
                for event_type, columns in pickle.loads(data):
                    self.log_sink._typed("event", event_type, EVENT_COLUMNS, columns)
            elif kind == _SHARE:
                shared = pickle.loads(data)
                for index in _claimed(self.tokens[0]):
                    shared[index](log)
            else:
                raise OSError(f"an unknown order {kind!r} to the process filling the log")
        log.execute("COMMIT")
        log.close()
        return 0


def _insert_work(log: sqlite3.Connection, table: str, rows: Rows) -> None:
    """The child's work pass's rows of ``table``, inserted as they come."""
    insert_rows(log, f"INSERT INTO {table}", WIDTHS[table], rows)


def _claimed(fd: int) -> Iterator[int]:
    """The indexes of the shared fills read from the tokens' pipe ``fd``, one token a read, until the pipe is empty
    and closed for writing (:meth:`Apart.share`)."""
    while token := os.read(fd, _TOKEN.size):
        (index,) = _TOKEN.unpack(token)
        yield index


def _messages(fd: int, idle: deque[Fill]) -> Iterator[tuple[bytes | None, bytes]]:
    """The messages read from ``fd`` (kind and data) until its end; ``(None, b"")`` whenever none is waiting and
    ``idle`` has fills to run."""
    buffer, at = bytearray(), 0
    ended = False
    waiting = select.poll()  # (not select.select: a descriptor may be past its limit of 1,024)
    waiting.register(fd, select.POLLIN)
    while True:
        if len(buffer) - at >= _HEAD.size:
            kind, length = _HEAD.unpack_from(buffer, at)
            end = at + _HEAD.size + length
            if len(buffer) >= end:
                yield kind, bytes(buffer[at + _HEAD.size:end])
                at = end
                if at > _READ:
                    del buffer[:at]
                    at = 0
                continue
        if ended:
            if at < len(buffer):
                raise OSError("the orders to the process filling the log were cut short")
            return
        if idle and at == len(buffer) and not waiting.poll(0):
            yield None, b""
            continue
        data = os.read(fd, _READ)
        ended = not data
        buffer += data


@contextlib.contextmanager
def building(log: sqlite3.Connection, sink: SqliteSink, path: Path, journal: Path) -> Iterator[Here]:
    """How the log at ``log`` (its tables made by ``sink``, shared with a thread) is built from the journal file at
    ``journal``: a :class:`Beside` for a journal not in WAL mode, else :class:`Here`; either way the journal is
    attached as ``j`` to the log and to :attr:`Here.reader`, and a read transaction is open on the reader. Finished
    by the caller (:meth:`Here.finish`); abandoned on an error."""
    log.execute("ATTACH DATABASE ? AS j", (read_only_uri(journal),))
    (mode,) = log.execute("PRAGMA j.journal_mode").fetchone()
    if str(mode).lower() == "wal":
        log.execute("BEGIN")
        place = Here(log, sink)
    else:
        try:
            place = Apart(log, sink, path, journal) if can_fork() else Beside(log, sink, path, journal)
        except ForkFailed:  # no process to be had: the log's thread instead
            place = Beside(log, sink, path, journal)
    try:
        yield place
    except BaseException:
        place.abandon()
        raise
