"""Reading a journal's events gives each row's data as json.loads reads it, whatever the stored text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ballotdrill.journal import read_events

STORED = ['{"a":1,"b":[2.5,"x"]}', ' {"a": 1} ', '{"a":NaN}', '{"é":"\\u00e9\\n"}', "", None, "[1, 2]", "7"]
"""Data as a journal may hold it: canonical, padded, non-standard, escaped, empty, missing, not an object."""


def journal(tmp_path: Path, data: list[str | None]) -> Path:
    path = tmp_path / "journal.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, t REAL NOT NULL, kind TEXT NOT NULL, "
                   "incident TEXT, actor TEXT, step TEXT, data TEXT)")
        db.executemany("INSERT INTO events VALUES (?, 1.5, 'note', NULL, NULL, NULL, ?)", enumerate(data))
    db.close()
    return path


def test_each_row_data_is_what_json_loads_makes_of_it(tmp_path: Path) -> None:
    found = [e.data for e in read_events(journal(tmp_path, STORED))]
    expected = [json.loads(text) if text else {} for text in STORED]
    assert repr(found) == repr(expected)  # repr: NaN is not equal to itself


@pytest.mark.parametrize("text", ['{"a":1} x', '{"a":1', "nope"])
def test_data_that_is_not_json_fails_as_json_loads_does(tmp_path: Path, text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as found:
        list(read_events(journal(tmp_path, ['{"ok":true}', text])))
    assert str(found.value) == str(expected.value)
