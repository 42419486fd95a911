"""The run summary's counts at the size of a large run: grouped in thousands, as its journal events are."""

from __future__ import annotations

from pathlib import Path

import pytest
from sweep_helpers import EXAMPLE

from ballotdrill.commands.runs import _print_summary
from ballotdrill.exercise.run import run_exercise
from ballotdrill.report.report import assemble
from ballotdrill.scenarios import load_file


def test_a_large_runs_counts_are_grouped_in_thousands(capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    doc = load_file(EXAMPLE)
    scores = assemble(run_exercise(doc, "busy-morning", seed=1).events, doc, "busy-morning").scores
    loads = [load.model_copy(update={"waited": 48_486, "steps": 100_000, "queued_at_end": 0, "wait_p90": 4.0})
             for load in scores.load]
    totals = scores.totals.model_copy(update={"incidents": 100_000, "handoffs": 300_000, "handoff_failures": 1_234})
    big = scores.model_copy(update={"load": loads, "totals": totals})
    _print_summary(big, Path("r"), 2_150_512)
    said = capsys.readouterr().err
    assert "2,150,512 journal events" in said and "incidents 100,000 (" in said and "handoffs 300,000 (1,234 failed" \
        in said
    assert "48,486 of 100,000 pieces of work waited" in said, said
