"""The sweep's terminal summary answers the load question as ``sweep.html`` does, each objective on one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sweep_load_reading import FACTOR, _result

from ballotdrill.application.sweeps import SweepOutcome
from ballotdrill.commands.sweeps import _print_sweep


def test_a_grid_sweep_says_where_each_objective_stops_being_met(capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # O2 met in 8, 6, 2 and 0 runs of 10 at factors 0.25, 0.5, 1 and 2: below half from 1 on; O1 met in every run.
    monkeypatch.delenv("COLUMNS", raising=False)
    result = _result([f"{FACTOR}=0.25,0.5,1,2"], {("0.25",): (8, 10), ("0.5",): (6, 10), ("1",): (2, 10),
                                                   ("2",): (0, 10)})
    _print_sweep(SweepOutcome(Path("sw"), result, 40, 2, []), 1.0)
    lines = capsys.readouterr().err.splitlines()
    assert "  O1: met in at least half the runs that exercised it at every background_factor tried" in lines
    assert "  O2: met in fewer than half the runs that exercised it from background_factor = 1 and up (20% at 1)" \
        in lines


def test_a_sweep_without_a_grid_reads_no_load(capsys: pytest.CaptureFixture[str]) -> None:
    result = _result([], {(): (8, 10)})
    _print_sweep(SweepOutcome(Path("sw"), result, 10, 2, []), 1.0)
    assert "at every" not in capsys.readouterr().err


def test_one_point_is_one_point(capsys: pytest.CaptureFixture[str]) -> None:
    _print_sweep(SweepOutcome(Path("sw"), _result([], {(): (8, 10)}), 10, 2, []), 1.0)
    assert "10 replications (10 per point, 1 point) in 1.0 s on 2 workers" in capsys.readouterr().err
    _print_sweep(SweepOutcome(Path("sw"), _result([], {(): (8, 10)}), 1, 1, []), 1.0)
    assert "1 replication (10 per point, 1 point) in 1.0 s on 1 worker" in capsys.readouterr().err
