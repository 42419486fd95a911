"""The engine benchmark runs in a reduced form and reports its figures (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "engine_vs_simpy.py"


@pytest.mark.bench
def test_benchmark_reduced_form_prints_ratios() -> None:
    out = subprocess.run([sys.executable, str(BENCH), "--incidents", "4000", "--repeat", "1", "--json"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    figures = json.loads(out)
    assert figures["incidents"] == 4000
    assert figures["journal_rows"] > 4000 * 15  # about 21 rows per incident through 4 steps
    for key in ("ratio_memory", "ratio_sqlite", "scaling_10x", "memory_growth"):
        assert figures[key] > 0
