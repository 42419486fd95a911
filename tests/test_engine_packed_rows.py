"""A run fed to a row reader alone (a sweep's replication) packs its rows' optional fields into the row's tuple
rather than a dict; decoded, its rows are the journal's, and every other run keeps them as dicts."""

from __future__ import annotations

import pytest

from ballotdrill import application
from ballotdrill.exercise.run import run_exercise
from ballotdrill.journal import SHAPES, Row
from ballotdrill.scoring.feed import event_of

LIBRARY = application.load_scenarios(None, ())


class _Reader:
    """Reads the engine's rows through the scorer's dispatch (as the sweep's measurer does): may take them packed."""

    reads_packed_optional = True

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def take(self, first_seq: int, rows: list[Row]) -> None:
        self.rows.extend(rows)


def _longer(row: Row) -> bool:
    """A packed kind's row carrying optional fields in its tuple."""
    return type(row[5]) is tuple and len(row[5]) > len(SHAPES[row[1]])


@pytest.mark.parametrize("scenario", ["combined-hybrid-day", "results-night-ddos", "deepfake-48h"])
def test_packed_rows_decode_to_the_journal_rows(scenario: str) -> None:
    reader = _Reader()
    run_exercise(LIBRARY, scenario, seed=3, feed=reader, keep=False)
    kept = run_exercise(LIBRARY, scenario, seed=3).events  # journalled in memory: optional fields in a dict
    assert [event_of(seq, row) for seq, row in enumerate(reader.rows)] == kept
    if scenario == "combined-hybrid-day":  # step targets and a channel's lines: both packed
        assert {row[1] for row in reader.rows if _longer(row)} == {"step_completed", "handoff_sent"}


class _Unasked(_Reader):
    """A row reader that did not say it reads packed optional fields."""

    reads_packed_optional = False


def test_a_kept_or_unread_run_keeps_its_optional_fields_as_a_dict() -> None:
    kept, unasked = _Reader(), _Unasked()
    run_exercise(LIBRARY, "combined-hybrid-day", seed=3, feed=kept)  # kept in memory as well: the journal's form
    run_exercise(LIBRARY, "combined-hybrid-day", seed=3, feed=unasked, keep=False)
    for rows in (kept.rows, unasked.rows):
        assert not any(_longer(row) for row in rows)
        assert any(type(row[5]) is dict and row[1] == "step_completed" for row in rows)
