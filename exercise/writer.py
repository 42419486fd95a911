"""The journal writer process: receives numbered batches on stdin and appends them to SQLite.

A long run hands its batches to this child so that JSON encoding and SQLite inserts
use the second core while the engine goes on. Frames are an 8-byte little-endian
length and a ``marshal`` payload of ``(first_seq, rows)``; both ends are the same
interpreter. On any error the child prints one line on stderr and exits 1.

Usage (by :class:`exercise.journal.SqliteSink`): ``python -m exercise.writer JOURNAL``.
"""

from __future__ import annotations

import marshal
import struct
import sys
from pathlib import Path
from typing import Any, BinaryIO

HEADER = struct.Struct("<Q")


def frame(first_seq: int, rows: list[Any]) -> bytes:
    """One frame for the writer."""
    payload = marshal.dumps((first_seq, rows))
    return HEADER.pack(len(payload)) + payload


def serve(path: Path, stream: BinaryIO) -> None:
    """Append every frame read from ``stream`` to the journal at ``path`` until end of input."""
    from exercise.journal import SqliteSink

    sink = SqliteSink(path, bulk=True)
    try:
        while header := stream.read(HEADER.size):
            (size,) = HEADER.unpack(header)
            first_seq, rows = marshal.loads(stream.read(size))
            sink.write_inline(first_seq, rows)
    finally:
        sink.close()


def main() -> None:
    try:
        serve(Path(sys.argv[1]), sys.stdin.buffer)
    except Exception as exc:  # reported to the parent, which raises it as a run error
        print(f"journal writer: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
