"""A report's table cells: each different cell validated once and handed out again, never mixed up with another."""

from __future__ import annotations

import pydantic
import pytest

from ballotdrill.report import view
from ballotdrill.report.view import Cell, cell


def test_the_same_cell_is_made_once_and_different_options_give_different_cells() -> None:
    first = cell("0 min")
    assert cell("0 min") is first and first == Cell(text="0 min")
    late = cell("0 min", flag="bad", tag="late")
    assert late is not first and (late.flag, late.tag) == ("bad", "late")
    assert cell("0 min", tag="late", flag="bad") == late
    assert cell(2400).text == "2,400" and cell("2400").text == "2400"  # the count and the text, apart
    assert cell(None).text == "—"


def test_a_bad_option_is_refused_every_time() -> None:
    for _ in range(2):  # a refused cell is not kept, so asking again is refused again
        with pytest.raises(pydantic.ValidationError):
            cell("x", flag="purple")


def test_the_table_of_cells_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view, "_MADE", {})
    monkeypatch.setattr(view, "_MADE_MAX", 3)
    for n in range(10):
        assert cell(f"row {n}").text == f"row {n}"
        assert len(view._MADE) <= 3
