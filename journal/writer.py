"""The journal writer process: receives numbered batches on stdin and appends them to SQLite.

A long run hands its batches to this child so that JSON encoding and SQLite inserts
use the second core while the engine goes on. Frames are an 8-byte little-endian
length and a ``marshal`` payload of ``(first_seq, rows)``; both ends are the same
interpreter. A frame of length 0 says the run has ended: once its input ends, the child seals
the journal with the digest it made of every row it inserted (a run stopped early never sends
it, and stays unsealed). On any error the child prints one line on stderr and exits 1.

Usage (by :class:`ballotdrill.journal.store.SqliteSink`): ``python -m ballotdrill.journal.writer JOURNAL``.
"""

from __future__ import annotations

import gc
import marshal
import signal
import sqlite3
import sys
from pathlib import Path
from typing import BinaryIO

from ballotdrill.journal.store import HEADER, SqliteSink

NULL_ADAPTER: dict[object, None] = {}
"""Its ``get``: None for any value, in C."""


def serve(path: Path, stream: BinaryIO) -> None:
    """Append every frame read from ``stream`` to the journal at ``path`` until end of input."""
    sink = SqliteSink(path, bulk=True, digest=True)
    try:
        while len(header := stream.read(HEADER.size)) == HEADER.size:
            (size,) = HEADER.unpack(header)
            if not size:
                sink.seal_when_closed()
                continue
            payload = stream.read(size)
            if len(payload) < size:  # the run was killed mid-frame: keep what was committed
                break
            first_seq, rows = marshal.loads(payload)
            sink.write_inline(first_seq, rows)
    finally:
        sink.close()


def main() -> None:
    # Ctrl-C reaches the whole process group: the run decides, and ends this writer by closing its input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Every batch's rows are decoded, inserted and dropped: no reference cycles, and collections that found none cost
    # about a fifth of this process's CPU (each batch's tuples were walked again and again while they lived).
    gc.disable()
    # A None parameter (a row's empty incident, actor, step or data) is bound as NULL either way; without an adapter
    # of its own, sqlite3 first looks for one and then for __adapt__ and __conform__ (about 4 % of this process's
    # instructions). A C callable that gives None back (a dict's get) makes it one look-up.
    sqlite3.register_adapter(type(None), NULL_ADAPTER.get)
    try:
        serve(Path(sys.argv[1]), sys.stdin.buffer)
    except Exception as exc:  # reported to the parent, which raises it as a run error
        print(f"journal writer: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
