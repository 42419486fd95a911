"""OCEL's JSON form on two cores: a forked child makes the lines of most incidents' rows while this process reads the
journal, makes the rest and writes the file.

Making a row's lines is most of the pass's time, and an incident's rows touch only that incident's objects: its
steps, handoffs and decisions (ids made of the incident's id) and its own object. So the incidents are split by a
stable hash of their id (:func:`is_here`, ``zlib.crc32``: the same in every process), and each side runs the same
row logic (:class:`~ballotdrill.exports.ocel_text.TextRows`) on its own rows: this process on a share of the
incidents and on every row of no incident, the child on the others. This process hands each block on as its
``marshal`` bytes (those the seal's digest made) and the child answers per block with its rows' event lines and the
lines of the objects they closed, with the row at which each closed. The file is then the one pass's, merged: the
block's events in row order (which side holds each row is known here), closed objects by the row that closed
them, the objects left open at the end by the row that opened them, and each actor once (the earliest; with this
process's values, which alone hold staff changes). The event types, typed apart, join (the type rule is a lattice
max, :func:`~ballotdrill.exports.ocel_values.joined_types`).

What the split cannot give exactly raises :class:`NotSplit` (the caller writes the file in one pass): a child's row
that changes an actor (``staff_changed``), and a decision or an incident whose id would be made on the other side
(a request id that does not begin with its incident's, in a hand-made journal). Errors, a changed journal and a
Ctrl-C end the writing as in one process; the child is killed first.
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import pickle
import queue
import re
import struct
import tempfile
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from ballotdrill.exports.apart import _LENGTH, _blocks, reply
from ballotdrill.exports.ocel import _HANDOFF_KINDS, _STEP_KINDS
from ballotdrill.exports.ocel_json import FileSink
from ballotdrill.exports.ocel_text import TextRows
from ballotdrill.exports.ocel_values import joined_types
from ballotdrill.journal import KINDS
from ballotdrill.journal.collector import collector_paused
from ballotdrill.journal.forked import Forked, can_fork
from ballotdrill.journal.interrupts import interrupts_held
from ballotdrill.journal.seal import marshalled
from ballotdrill.scenarios.scenario import ScenarioFile

HERE_SHARE = 22
"""Of every :data:`_SHARES` incidents (by hash), those whose rows this process makes itself (with every row of no
incident): it also reads and checks the journal and merges and writes the file, so the child takes the larger part.
At 100,000 incidents of the bench network (load 1.2-1.6) 22 gave 14.9 and 13.9 s against 15.7 and 14.9 s for 18,
interleaved; the main process then spends about 13.6-14.3 s of CPU, the child 10.7-11.0 s (the main process's part
before the fork, the journal's checks, is not shared)."""
_SHARES = 60

_HEAD = struct.Struct("<cQ")
_BLOCK, _END, _ERROR = b"B", b"E", b"X"

_KEY = re.compile(r"[^/:]*")
"""An id's part up to its first ``/`` or ``:``: incidents sharing it go to one side, so the ids made of an incident's
id (``step:I/...``, ``handoff:I/...``, ``decision:I:...``) can never be made on both sides."""

_STAFF_CHANGED = "staff_changed"


class NotSplit(Exception):
    """The journal holds a row the split cannot give exactly: the file is to be written in one pass."""


def is_here(value: Any) -> bool:
    """Whether this process makes the rows of the incident (or a decision's request) ``value``."""
    key = _KEY.match(str(value))
    text = key.group() if key is not None else ""
    return zlib.crc32(text.encode("utf-8", "surrogatepass")) % _SHARES < HERE_SHARE


class _Mine(dict[Any, bool]):
    """Whether each incident's rows are one side's, found once per incident (at most :data:`_KEPT` kept); the rows of
    no incident are this process's."""

    def __init__(self, here: bool) -> None:
        super().__init__()
        self.here = here

    def __missing__(self, incident: Any) -> bool:
        if len(self) >= _KEPT:
            self.clear()
        mine = self[incident] = (is_here(incident) if incident else True) is self.here
        return mine


_KEPT = 65_536
_INCIDENT = itemgetter(3)


class SideRows(TextRows):
    """One side's rows of the journal: :class:`TextRows` keeping the row at which each object opened and closed, and
    refusing what the other side could touch too."""

    def __init__(self, doc: ScenarioFile, scenario_name: str, day: str | None, here: bool) -> None:
        super().__init__(doc, scenario_name, day)
        self.here = here
        self.mine = _Mine(here)
        self.closed_at: list[int] = []
        self.kinds: list[tuple[int, str]] = []
        """Kinds not in the journal's list, as their types were first added: ``(row, kind)``."""
        self.rows = 0
        self.at = -1  # (the structure's actors open before the first row)

    def block(self, block: list[tuple[Any, ...]]) -> list[bool]:
        """This side's rows of ``block`` made (its lines in :attr:`lines` and :attr:`closed`); which rows are this
        side's (True)."""
        here, row = self.here, self._row
        if not self.rows and block:
            self.begin(block[0][2], block[0][6])
        mine = list(map(self.mine.__getitem__, map(_INCIDENT, block)))
        for at, (seq, t, kind, incident, actor, step, data) in compress(enumerate(block, self.rows), mine):
            if kind == _STAFF_CHANGED and not here:
                raise NotSplit(f"journal row {seq} changes an actor's staff for an incident")
            self.at = at
            row(seq, t, kind, incident, actor, step, data)
        self.rows += len(block)
        return mine

    def take(self) -> tuple[list[str], list[str], list[int]]:
        """The block's event lines, closed objects' lines and the rows they closed at; cleared here."""
        taken = self.lines, self.closed, self.closed_at
        self.lines, self.closed, self.closed_at = [], [], []
        return taken

    def left_open(self) -> list[tuple[int, str, str]]:
        """The objects still open at the end, in the order they opened: ``(row, id, line)``."""
        return [(item.at, oid, item.line()) for oid, item in self.objects.items()]

    def close(self, oid: str) -> None:
        item = self.objects.pop(oid, None)
        if item is not None:
            self.closed.append(item.line())
            self.closed_at.append(self.at)

    def _typed(self, kind: str, data: Any) -> list[Any]:
        known = len(self.typing.types)
        made = super()._typed(kind, data)
        if len(self.typing.types) != known:
            self.kinds.append((self.at, kind))
        return made

    def _work_row(self, kind: str, incident: str, actor: Any, step: Any, d: dict[str, Any], time: str,
                  pieces: list[str]) -> None:
        if kind not in _STEP_KINDS and kind not in _HANDOFF_KINDS:  # a decision's object: named by its request
            request = d.get("request")
            if request is not None and is_here(request) is not self.here:
                raise NotSplit(f"a decision's request {request!r} is not named after its incident {incident!r}")
        super()._work_row(kind, incident, actor, step, d, time, pieces)


def write_ocel_text_apart(blocks: Iterable[list[tuple[Any, ...]]], path: Path, doc: ScenarioFile,
                          scenario_name: str, day: str | None = None) -> int:
    """:func:`~ballotdrill.exports.ocel_text.write_ocel_text` of the rows in ``blocks`` (the blocks the seal's
    digest has just taken), the same bytes, made on two processes; return how many events. :class:`NotSplit` where
    the split cannot give them (nothing is left running; the caller writes the file in one pass), also where no child
    can be forked."""
    if not can_fork():
        raise NotSplit("no child can be forked here")
    try:
        child = Forked(partial(_serve, doc, scenario_name, day))
    except OSError as exc:
        raise NotSplit(f"no child process to be had ({exc})") from exc
    answers: queue.SimpleQueue[tuple[bytes, Any]] = queue.SimpleQueue()
    reader = threading.Thread(target=_read_answers, args=(child.stdout, answers.put), daemon=True)
    reader.start()
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as out, \
                tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=path.parent) as spool, \
                collector_paused():
            merge = _Merge(FileSink(out, spool), SideRows(doc, scenario_name, day, True), child, answers)
            return merge.run(blocks)
    finally:
        with interrupts_held():
            child.kill()  # (a no-op once it has answered and ended)
            with contextlib.suppress(OSError):
                child.stdin.close()
            reader.join()
            child.stdout.close()
            child.wait()


class _Merge:
    """This process's side of the split: hands the blocks on, makes its rows, merges the child's answers in order and
    writes the file."""

    def __init__(self, sink: FileSink, side: SideRows, child: Forked, answers: queue.SimpleQueue[tuple[bytes, Any]]
                 ) -> None:
        self.sink, self.side, self.child, self.answers = sink, side, child, answers
        self.waiting: deque[tuple[list[bool], list[str], list[str], list[int]]] = deque()

    def run(self, blocks: Iterable[list[tuple[Any, ...]]]) -> int:
        side, waiting = self.side, self.waiting
        for block in blocks:
            if not self._send(marshalled(block)):
                self._stopped()
            waiting.append((side.block(block), *side.take()))
            while waiting and (answer := self._answer(wait=False)) is not None:
                self._merge(answer)
        if not side.rows:
            side.begin(None, None)
        self.child.stdin.close()  # the end of the rows
        while waiting:
            self._merge(self._answer())
        left, types, kinds = self._answer(_END)
        self._finish(left, types, kinds)
        return side.rows

    def _send(self, data: bytes) -> bool:
        """The block's bytes to the child (its length first); False if it has stopped reading."""
        view, write = memoryview(_LENGTH.pack(len(data)) + data), self.child.stdin.write
        try:
            while view:
                view = view[write(view) or 0:]
        except BrokenPipeError:
            return False
        return True

    def _answer(self, kind: bytes = _BLOCK, *, wait: bool = True) -> Any:
        """The child's next answer of ``kind``; None if ``wait`` is False and none has come. The child's error is
        raised here; an answer of another kind, or none, is an error."""
        while True:
            try:
                said, found = self.answers.get(timeout=0.2) if wait else self.answers.get_nowait()
            except queue.Empty:
                if wait:
                    continue  # (a Ctrl-C is acted on between waits)
                return None
            if said == kind:
                return found
            if said == _ERROR:
                raise found
            self._ended()

    def _stopped(self) -> None:
        """The child stopped reading before the end: its error raised (answers before it passed over)."""
        while True:
            said, found = self.answers.get()
            if said == _ERROR:
                raise found
            if not said:
                self._ended()

    def _ended(self) -> NoReturn:
        """The child ended without its answers: an error saying how."""
        status = self.child.wait()
        ended = (f"was killed by signal {-status}" if status < 0 else f"ended with status {status}" if status
                 else "ended")
        raise OSError(f"the process making the log's lines {ended} without finishing them")

    def _merge(self, answer: tuple[list[str], list[str], list[int]]) -> None:
        """One block's lines, this process's and the child's, written in the one pass's order."""
        mask, events, closed, closed_at = self.waiting.popleft()
        their_events, their_closed, their_closed_at = answer
        if their_events:
            ours, theirs = iter(events).__next__, iter(their_events).__next__
            events = [ours() if here else theirs() for here in mask]
        if their_closed:
            closed = [line for _, _, line in heapq.merge(zip(closed_at, repeat(0), closed),
                                                         zip(their_closed_at, repeat(1), their_closed))]
        self.sink.event_lines(events)
        self.sink.object_lines(closed)

    def _finish(self, their_left: list[tuple[int, str, str]], their_types: dict[str, dict[str, str]],
                their_kinds: list[tuple[int, str]]) -> None:
        """The objects left open (each actor once: the earliest, with this side's values), then the event types."""
        side = self.side
        ours = side.left_open()
        actors = {oid: line for _, oid, line in ours if oid.startswith("actor:")}
        done: set[str] = set()
        lines: list[str] = []
        for _, _, oid, line in heapq.merge(((at, 0, oid, line) for at, oid, line in ours),
                                           ((at, 1, oid, line) for at, oid, line in their_left)):
            if oid.startswith("actor:"):
                if oid in done:
                    continue
                done.add(oid)
                line = actors.get(oid, line)
            lines.append(line)
        self.sink.object_lines(lines)
        order = list(KINDS)
        order += [kind for _, _, kind in sorted((at, n, kind) for n, found in enumerate((side.kinds, their_kinds))
                                                for at, kind in found) if kind not in order]
        order = list(dict.fromkeys(order))
        self.sink.finish(joined_types(side.typing.types, their_types, order))


def _serve(doc: ScenarioFile, scenario_name: str, day: str | None, source: BinaryIO, answer: BinaryIO) -> None:
    """The child's side: its rows of each block made, answered per block; at the end, its objects left open, its
    types and its kinds' first rows. An error is answered instead (and the input closed, so that a parent still
    handing blocks on finds its pipe broken)."""
    write = answer.write
    try:
        side = SideRows(doc, scenario_name, day, False)
        for block in _blocks(source):
            side.block(block)
            data = marshal.dumps(side.take())
            write(_HEAD.pack(_BLOCK, len(data)))
            write(data)
            answer.flush()
        data = marshal.dumps((side.left_open(), side.typing.types, side.kinds))
        write(_HEAD.pack(_END, len(data)))
        write(data)
    except Exception as exc:  # every error goes back to the parent, which raises it
        source.close()
        data = reply(exc)
        write(_HEAD.pack(_ERROR, len(data)))
        write(data)
    answer.flush()


def _read_answers(source: BinaryIO, put: Callable[[tuple[bytes, Any]], None]) -> None:
    """The reader thread: each of the child's answers decoded and put, then ``(b"", None)`` at the end of its
    output."""
    with contextlib.suppress(Exception):  # (whatever stops the reading reads as the child's end)
        for kind, data in _messages(source):
            put((kind, _decoded(kind, data)))
    put((b"", None))


def _decoded(kind: bytes, data: bytes) -> Any:
    return pickle.loads(data) if kind == _ERROR else marshal.loads(data)


def _messages(source: BinaryIO) -> Iterator[tuple[bytes, bytes]]:
    read = source.read
    while head := _read_exactly(read, _HEAD.size):
        kind, length = _HEAD.unpack(head)
        yield kind, _read_exactly(read, length)


def _read_exactly(read: Callable[[int], bytes | None], size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = read(size)
        if not part:
            if parts:
                raise OSError("the child's answer was cut short")
            return b""
        parts.append(part)
        size -= len(part)
    return b"".join(parts)
