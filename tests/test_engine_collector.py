"""A run pauses the cyclic garbage collector only while it plays, and always gives it back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from ballotdrill import scenarios
from ballotdrill.exercise import RunError, run_exercise
from ballotdrill.exercise.run import collector_paused


def test_the_collector_is_back_on_after_a_run() -> None:
    doc = scenarios.load_file(scenarios.library_path())
    assert gc.isenabled()
    run_exercise(doc, doc.default_scenario, seed=1)
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_failure() -> None:
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(tmp_path: Path) -> None:
    doc = scenarios.load_file(scenarios.library_path())
    gc.disable()
    try:
        run_exercise(doc, doc.default_scenario, seed=1, out=tmp_path / "run")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_refused_run_leaves_the_collector_on(tmp_path: Path) -> None:
    doc = scenarios.load_file(scenarios.library_path())
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "journal.sqlite").write_bytes(b"")
    with pytest.raises(RunError):
        run_exercise(doc, doc.default_scenario, out=tmp_path / "run")
    assert gc.isenabled()
