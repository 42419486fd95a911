"""The seal's digest made as the rows are written (the writer's own), against the digest of a pass over them."""

from __future__ import annotations

import enum
import json
import sqlite3
from pathlib import Path

import pytest

import ballotdrill.journal.seal as seal_module
from ballotdrill.journal import SqliteSink
from ballotdrill.journal.seal import BLOCK, SEAL_KEY, RunningDigest, seal, verify
from ballotdrill.journal.store import ROWS_A_STATEMENT

META = {"format": "1", "scenario": "s", "seed": "7", "document": '{"x": "é"}'}


def rows(first: int, count: int) -> list[tuple[object, ...]]:
    """Journal rows as a run hands them to its sink: ``t`` sometimes an int (SimPy's clock starts at 0) or -0.0,
    packed data tuples of no kind here, so dicts and None, encoded by the sink."""
    made: list[tuple[object, ...]] = []
    for seq in range(first, first + count):
        t: object = 0 if seq % 5 == 0 else -0.0 if seq % 7 == 0 else seq / 3
        made.append((t, "step_started", f"I1-{seq}", "cert" if seq % 2 else None, "triage",
                     {"procedure": "p", "wait": seq / 7, "note": "é \u2028"} if seq % 3 else None))
    return made


def pass_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a pass over the rows fail the test."""
    def no_pass(*args: object) -> tuple[int, str]:
        raise AssertionError("sealed by a pass over the rows, not with the digest made as they were written")
    monkeypatch.setattr(seal_module, "_digest", no_pass)


def passes_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the passes over the rows a seal makes (one list item each)."""
    made: list[int] = []
    real = seal_module._digest

    def counted(*args: object) -> tuple[int, str]:
        made.append(1)
        return real(*args)  # type: ignore[arg-type]
    monkeypatch.setattr(seal_module, "_digest", counted)
    return made


def sealed_value(path: Path) -> dict[str, object]:
    with sqlite3.connect(path) as db:
        (value,) = db.execute("SELECT value FROM meta WHERE key = ?", (SEAL_KEY,)).fetchone()
    db.close()
    found = json.loads(value)
    assert isinstance(found, dict)
    return found


def write(path: Path, batches: list[int], digest: bool = True, first: int = 0) -> SqliteSink:
    sink = SqliteSink(path, META if first == 0 else None, digest=digest)
    for count in batches:
        sink.write(first, rows(first, count))  # type: ignore[arg-type]
        first += count
    return sink


@pytest.mark.parametrize("batches", [[BLOCK, BLOCK, 5], [3, BLOCK + 11, BLOCK - 20, 1, 40], [17]],
                         ids=["whole blocks", "uneven batches", "one short batch"])
def test_the_digest_made_while_writing_is_the_one_a_pass_makes(
        tmp_path: Path, batches: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    made = tmp_path / "made.sqlite"
    with monkeypatch.context() as patched:
        pass_forbidden(patched)
        sink = write(made, batches)
        sink.seal_when_closed()
        sink.close()
    assert verify(made).state == "sealed"
    passed = tmp_path / "passed.sqlite"
    sink = write(passed, batches, digest=False)
    sink.close()
    assert seal(passed) == sum(batches)
    assert sealed_value(made) == sealed_value(passed)
    assert sealed_value(made)["rows"] == sum(batches)


def test_rows_written_before_the_digest_began_are_read_back_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As when a run writes its first short batches itself and then hands the rest to its writer process."""
    journal = tmp_path / "journal.sqlite"
    write(journal, [30, 12], digest=False).close()
    pass_forbidden(monkeypatch)
    sink = write(journal, [BLOCK + 3, 9], first=42)
    sink.seal_when_closed()
    sink.close()
    assert sealed_value(journal)["rows"] == 42 + BLOCK + 12
    assert verify(journal).state == "sealed"


def test_a_run_stopped_early_is_not_sealed(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite"
    write(journal, [BLOCK + 1]).close()
    assert verify(journal).state == "unfinished"


class Text(str):
    """Text of a type of its own: equal to the plain text, stored as it, but not the value SQLite gives back."""


class KindText(enum.StrEnum):
    STEP_STARTED = "step_started"


@pytest.mark.parametrize(("column", "value", "stored"), [
    (3, 42, "42"), (2, 7.5, "7.5"), (4, True, "1"), (1, Text("step_started"), "step_started"),
    (1, KindText.STEP_STARTED, "step_started"), (2, Text("I1-3"), "I1-3"), (3, b"cert", b"cert")],
    ids=["an int actor", "a float incident", "a bool step", "a str subclass kind equal to the kinds before it",
         "a StrEnum kind", "a str subclass incident equal to another row's", "bytes"])
@pytest.mark.parametrize("before", [0, 3], ids=["alone", "within a statement of many rows"])
def test_a_value_sqlite_would_give_back_otherwise_makes_the_seal_take_a_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: int, value: object, stored: object,
        before: int) -> None:
    """A number where text goes is stored as text, a text of another type given back as plain text, bytes as bytes:
    the digest of the tuple would not be the stored row's (or cannot be made), so the seal is a pass's; alone in its
    batch, or among the rows of a batch that go in many a statement."""
    journal = tmp_path / "journal.sqlite"
    made = passes_counted(monkeypatch)
    sink = SqliteSink(journal, META, digest=True)
    sink.write(0, rows(0, 10))  # type: ignore[arg-type]
    odd = [1.0, "step_started", "I1-3", "cert", "triage", None]
    odd[column] = value
    after = ROWS_A_STATEMENT if before else 0
    batch = [*rows(10, before), tuple(odd), *rows(11 + before, after)]
    sink.write(10, batch)  # type: ignore[arg-type]
    sink.write(11 + before + after, rows(11 + before + after, 4))  # type: ignore[arg-type]
    sink.seal_when_closed()
    sink.close()
    assert made == [1]
    assert verify(journal).state == "sealed"
    names = ("t", "kind", "incident", "actor", "step")
    with sqlite3.connect(journal) as db:
        (found,) = db.execute(f"SELECT {names[column]} FROM events WHERE seq = ?", (10 + before,)).fetchone()
    db.close()
    assert found == stored and type(found) is type(stored)


def test_meta_changed_after_the_digest_began_makes_the_seal_take_a_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = tmp_path / "journal.sqlite"
    made = passes_counted(monkeypatch)
    sink = write(journal, [20])
    assert sink.db is not None
    with sink.db:
        sink.db.execute("INSERT INTO meta VALUES ('late', 'added after the first rows')")
    sink.seal_when_closed()
    sink.close()
    assert made == [1]
    assert sealed_value(journal)["meta"] == sorted([*META, "late"])
    assert verify(journal).state == "sealed"


def test_rows_out_of_order_make_the_seal_take_a_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = tmp_path / "journal.sqlite"
    made = passes_counted(monkeypatch)
    sink = SqliteSink(journal, META, digest=True)
    sink.write(0, rows(0, 5))  # type: ignore[arg-type]
    sink.write(8, rows(8, 5))  # type: ignore[arg-type]
    sink.write(5, rows(5, 3))  # type: ignore[arg-type]
    sink.seal_when_closed()
    sink.close()
    assert made == [1]
    assert verify(journal).state == "sealed"


def test_the_digest_of_nothing_written(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite"
    sink = SqliteSink(journal, META, digest=True)
    sink.seal_when_closed()
    sink.close()
    assert sealed_value(journal)["rows"] == 0
    assert verify(journal).state == "sealed"
    assert RunningDigest().result() is None


def test_every_library_run_is_sealed_as_a_pass_over_its_journal_would_seal_it(tmp_path: Path) -> None:
    from engine_helpers import library

    from ballotdrill.exercise import run_exercise
    doc = library()
    for name in doc.scenarios:
        journal = tmp_path / name / "journal.sqlite"
        run_exercise(doc, name, seed=2, out=journal.parent)
        made = sealed_value(journal)
        assert verify(journal).state == "sealed", name
        assert seal(journal) == made["rows"]
        assert sealed_value(journal) == made, name
