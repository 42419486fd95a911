"""Closing a SQLite journal: while another process is reading it; after its writer process failed."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import in_process
from sweep_helpers import EXAMPLE

from ballotdrill.journal import Row, read_events, store
from ballotdrill.journal.forked import Forked
from ballotdrill.journal.seal import seal, settle, verify
from ballotdrill.journal.store import JournalError, SqliteSink

REPORTS = ("report.md", "report.html", "scores.json")


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


@pytest.mark.parametrize("forking", [True, False], ids=["forked", "new interpreter"])
def test_a_writer_process_that_fails_says_why_and_keeps_what_it_committed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: bool) -> None:
    """A batch the writer process cannot insert (here numbered over one already written) ends it; the run's close
    raises its one line, and the journal keeps the batches committed before, unsealed."""
    if not forking:  # where the run's process cannot fork: a new interpreter, which says why on its stderr
        monkeypatch.setattr(store, "can_fork", lambda: False)
    path = tmp_path / "journal.sqlite"
    sink = SqliteSink(path, {"scenario": "s"}, offload=2)
    rows: list[Row] = [(0.0, "note", None, None, None, {"text": "first", "by": "facilitator"}),
                       (1.5, "note", None, None, None, {"text": "second", "by": "evaluator"})]
    sink.write(0, rows)
    assert sink.child is not None and isinstance(sink.child, Forked) == forking
    sink.write(1, rows)  # seq 1 is taken
    sink.seal_when_closed()
    with pytest.raises(JournalError) as raised:
        sink.close()
    assert str(raised.value) == (f"{path}: journal writer: IntegrityError: UNIQUE constraint failed: events.seq")
    assert [e.data["text"] for e in read_events(path)] == ["first", "second"]
    assert verify(path).state == "unfinished"


def test_a_journal_another_program_holds_open_is_read_as_it_stands(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A journal left in WAL mode (its close was read over) while another program holds it open (a database browser, a
    script watching for the seal): it cannot be folded back into one file now, and is read as it stands, its WAL
    with it; the reports are those of the run. It was refused as 'another program holds its journal.sqlite', which
    after a live exercise told the facilitator to run the same command again (that 'live' refuses the folder)."""
    ran = in_process(("run", "--file", str(EXAMPLE), "--out", "r"), tmp_path, monkeypatch, capsys)
    assert ran.returncode == 0, ran.stderr
    path = tmp_path / "r" / "journal.sqlite"
    made = {name: (tmp_path / "r" / name).read_bytes() for name in REPORTS}
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA wal_autocheckpoint=0")
        db.execute("CREATE TABLE scratch (a)")  # a commit that stays in the WAL
        db.execute("DROP TABLE scratch")
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as reader:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] > 0  # holds the journal open
        assert Path(f"{path}-wal").exists()
        for name in REPORTS:
            (tmp_path / "r" / name).unlink()
        again = in_process(("report", "r"), tmp_path, monkeypatch, capsys)
        assert again.returncode == 0, again.stderr
        assert {name: (tmp_path / "r" / name).read_bytes() for name in REPORTS} == made
    settle(path)  # nobody holds it now: one file again
    assert not Path(f"{path}-wal").exists() and verify(path).state == "sealed"
