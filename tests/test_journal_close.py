"""Closing a SQLite journal while another process is reading it."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from ballotdrill.journal import read_events
from ballotdrill.journal.seal import seal, settle, verify
from ballotdrill.journal.store import SqliteSink


def test_a_reader_holding_the_journal_open_does_not_fail_its_close(tmp_path: Path) -> None:
    """Someone looking at the journal (a read transaction open) while the run closes it: the close used to
    fail on switching out of WAL mode ('database is locked') and stop a finished run."""
    path = tmp_path / "journal.sqlite"
    sink = SqliteSink(path, bulk=True)
    sink.write_inline(1, [(0.0, "note", None, None, None, {"text": "first", "by": "facilitator"}),
                          (1.5, "note", None, None, None, {"text": "second", "by": "evaluator"})])
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as reader:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM events").fetchone() == (2,)  # holds a read lock
        sink.close()  # waits out its busy timeout, then leaves the journal in WAL mode
        assert reader.execute("SELECT count(*) FROM events").fetchone() == (2,)
    assert seal(path) == 2
    settle(path)  # no reader left: folded back into one file
    assert not Path(f"{path}-wal").exists()
    assert verify(path).state == "sealed"
    assert [e.data["text"] for e in read_events(path)] == ["first", "second"]
