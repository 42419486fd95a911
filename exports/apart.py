"""JSON Lines and CSV written by a forked child while this process reads the journal: an export on two cores.

Reading a journal's rows into Python, checking them against the seal and formatting them cost about the same, and
one follows the other a block at a time. Here this process reads (and checks, and reports progress) as before and
hands each block on as the ``marshal`` bytes (format 2: every value SQLite gives back, exactly, each type its own
tag; those the seal's digest made of it) to a child forked for the file, which decodes the block and formats and
writes it with the same writers (:mod:`ballotdrill.exports.lines`), so the bytes are theirs. The child answers,
when its input ends, with the rows it wrote or the error that stopped it (raised here again: a full disk reads as
it does in one process). Whatever ends the reading early (a changed journal refused after the last block, a
Ctrl-C, an error) kills the child before it goes on, so the caller's temporary file is never written after the
caller has dropped it.

Where no child can be forked (:func:`~ballotdrill.journal.forked.can_fork`), the writer runs here, as before.
"""

from __future__ import annotations

import io
import marshal
import pickle
import struct
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ballotdrill.exports.lines import Block
from ballotdrill.journal.collector import collector_paused
from ballotdrill.journal.forked import Forked, can_fork
from ballotdrill.journal.seal import marshalled

Writer = Callable[[Iterable[Block], Path], int]
"""``write_jsonl_blocks`` or ``write_csv_blocks``: blocks of stored rows to a file, returning how many rows."""

_LENGTH = struct.Struct("<Q")


def write_apart(write: Writer, blocks: Iterable[Block], path: Path) -> int:
    """``write(blocks, path)`` with the formatting and writing done in a forked child (this process reading
    ``blocks``); done here where no child can be forked. Returns how many rows were written."""
    if not can_fork():
        return write(blocks, path)
    try:
        child = Forked(lambda source, answer: _serve(write, path, source, answer))
    except OSError:  # no process to be had: the writer runs here
        return write(blocks, path)
    try:
        try:
            with collector_paused():  # reading makes no reference cycles (see write_csv_blocks)
                _hand_on(blocks, child.stdin)
        except BaseException:
            child.kill()  # before its input ends, which it would read as the file's end and finish the file
            raise
        return answer_of(child)
    finally:
        child.stdin.close()
        child.stdout.close()
        child.kill()  # (a no-op once it has answered and ended)
        child.wait()


def _hand_on(blocks: Iterable[Block], sink: BinaryIO) -> None:
    """Each block to the child as its length and its ``marshal`` bytes; a child gone (its writer failed) stops
    the handing on, and its answer says why."""
    write, length = sink.write, _LENGTH.pack
    try:
        for block in blocks:
            data = marshalled(block)  # (the seal's digest has made these bytes already)
            write(length(len(data)))
            write(data)
    except BrokenPipeError:
        return
    sink.close()


def answer_of(child: Forked) -> int:
    """The rows the child wrote, or the error it stopped on raised here."""
    answer = child.stdout.read()
    status = child.wait()
    try:
        found = pickle.loads(answer) if status == 0 and answer else None
    except Exception:  # (the child checks that its answer unpickles; a damaged one is no answer)
        found = None
    if isinstance(found, BaseException):
        raise found
    if isinstance(found, int):
        return found
    ended = f"was killed by signal {-status}" if status < 0 else f"ended with status {status}" if status else "ended"
    raise OSError(f"the process writing the file {ended} without finishing it")


def _serve(write: Writer, path: Path, source: BinaryIO, answer: BinaryIO) -> None:
    """The child's side: decode the blocks from ``source`` and write them; answer the count or the error.

    Its input is closed before it answers: a parent still handing blocks on (the writer failed midway) finds its
    pipe broken and goes to read the answer, which may be longer than a pipe holds (an error quoting its text)."""
    try:
        found: object = write(_blocks(source), path)
    except Exception as exc:  # every error goes back to the parent, which raises it
        found = exc
    source.close()
    answer.write(reply(found))
    answer.flush()


def reply(found: object) -> bytes:
    """``found`` pickled so that the parent can unpickle it: an error that cannot be pickled, or whose pickle
    cannot be loaded (a class of its own taking other arguments), goes as an :class:`OSError` naming it."""
    try:
        reply = _pickled(found)
        pickle.loads(reply)
    except Exception:
        try:
            said = f"{type(found).__name__}: {found}"
        except Exception:  # (its text cannot be made either)
            said = type(found).__name__
        reply = _pickled(OSError(f"the writer failed ({said})"))
    return reply


def _pickled(found: object) -> bytes:
    """``found`` pickled by Python's own rules for its type, whatever a library has registered with :mod:`copyreg`
    (``distributed`` registers every exception class, and its form of a ``UnicodeEncodeError`` loses the text)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer)
    pickler.dispatch_table = {}
    pickler.dump(found)
    return buffer.getvalue()


def _blocks(source: BinaryIO) -> Iterator[Block]:
    read, size, loads = source.read, _LENGTH.size, marshal.loads
    while head := read(size):
        if len(head) < size:
            raise OSError("the blocks to write were cut short")
        (length,) = _LENGTH.unpack(head)
        data = read(length)
        if len(data) < length:
            raise OSError("the blocks to write were cut short")
        yield loads(data)
