"""The journal writer process as a new interpreter: receives numbered batches on stdin and appends them to SQLite.

A long run hands its batches to a child so that JSON encoding and SQLite inserts use the second core while the
engine goes on. The child is forked where the run's process can fork (:meth:`~ballotdrill.journal.store.SqliteSink`,
:mod:`~ballotdrill.journal.forked`); elsewhere it is this module. Frames are an 8-byte little-endian length and a
``marshal`` payload of ``(first_seq, rows)``; both ends are the same interpreter. A frame of length 0 says the run has
ended: once its input ends, the child seals the journal with the digest it made of every row it inserted (a run
stopped early never sends it, and stays unsealed). On any error the child prints one line on stderr and exits 1.

Usage (by :class:`ballotdrill.journal.store.SqliteSink`): ``python -m ballotdrill.journal.writer JOURNAL``.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from ballotdrill.journal.store import serve_writer, writer_failed


def main() -> None:
    # Ctrl-C reaches the whole process group: the run decides, and ends this writer by closing its input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        serve_writer(Path(sys.argv[1]), sys.stdin.buffer)
    except Exception as exc:  # reported to the parent, which raises it as a run error
        print(writer_failed(exc), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
