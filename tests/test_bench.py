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


STRESS = Path(__file__).resolve().parent.parent / "bench" / "library_stress.py"


def test_library_stress_counts_every_seed_once() -> None:
    """The stress measure's reduced form: every seed has one bottleneck row and one rating per objective."""
    out = subprocess.run([sys.executable, str(STRESS), "--file", str(STRESS.parent.parent / "docs" / "examples" /
                                                                    "guide.yaml"), "--seeds", "3"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    lines = out.splitlines()
    start = lines.index("| bottleneck actor | runs | share | a queue in (runs) |") + 2
    bottleneck = lines[start:lines.index("", start)]
    assert sum(int(line.split("|")[2]) for line in bottleneck) == 3  # one bottleneck, or (none), a seed
    objectives = [line for line in out.splitlines() if line.startswith("| O")]
    assert [line.split()[1] for line in objectives] == ["O1", "O2"]
    for line in objectives:
        assert sum(int(cell) for cell in line.split("|")[2:-1]) == 3


@pytest.mark.slow
def test_the_library_doc_quotes_the_default_day_s_stress_measure_as_it_prints_it() -> None:
    """docs/library.md's bottleneck and objective tables are this command's output; a change that moves a figure
    fails here until the tables (and the reading of them) are measured again."""
    out = subprocess.run([sys.executable, str(STRESS), "combined-hybrid-day", "--seeds", "100"], check=True,
                         capture_output=True, text=True, timeout=900).stdout
    doc = (STRESS.parent.parent / "docs" / "library.md").read_text(encoding="utf-8").splitlines()
    tables = _tables(out.splitlines())
    assert len(tables) == 2
    for table in tables:
        assert table[0] in doc, table[0]
        assert _tables(doc[doc.index(table[0]):])[0] == table


def _tables(lines: list[str]) -> list[list[str]]:
    """The Markdown tables among ``lines``, each as its rows."""
    tables: list[list[str]] = []
    for before, line in zip(["", *lines], lines, strict=False):
        if line.startswith("|"):
            if not before.startswith("|"):
                tables.append([])
            tables[-1].append(line)
    return tables


COMMANDS_BENCH = BENCH.parent / "commands.py"


@pytest.mark.bench
def test_whole_commands_benchmark_reduced_form_prints_ratios_and_memory() -> None:
    # smaller than ``--quick`` (1,000 and 3,000): every command's figures are checked, not their size
    out = subprocess.run([sys.executable, str(COMMANDS_BENCH), "--sizes", "300", "900", "--json"], check=True,
                         capture_output=True, text=True, timeout=900).stdout
    figures = json.loads(out)
    assert figures["incidents"] == [300, 900]
    assert set(figures["commands"]) == {"hand-written SimPy", "run", "report", "export-jsonl", "export-csv",
                                        "export-ocel", "export-ocel-sqlite", "compare", "seal-check"}
    for row in figures["commands"].values():
        assert all(s > 0 for s in row["seconds"]) and all(m > 0 for m in row["peak_mb"])


@pytest.mark.bench
def test_run_phases_benchmark_reduced_form_accounts_for_every_phase() -> None:
    out = subprocess.run([sys.executable, str(BENCH.parent / "run_phases.py"), "--incidents", "500", "--json"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    figures = json.loads(out)
    phases = figures["phases"]
    assert figures["incidents"] == 500 and figures["handwritten_cpu"] > 0
    assert phases["batches handed to the scorer (main process)"] > 0
    assert phases["journal writer process"] > 0  # 500 incidents fill a batch: the writer process ran
    # ... and the scoring process, which fed every row and assembled the report, as it measured itself
    assert phases["scoring process"] > 0 and phases["  of it: feeding every row"] > 0
    assert phases["  of it: finish scoring, gather rows"] > 0
    assert phases["report: finish scoring, gather rows"] == 0  # not in the main process
    # the serial parts: the main process before the scoring process was forked and after it answered
    head = phases["serial head: main process until the scoring process"]
    tail = phases["serial tail: main process after its answer"]
    assert head > 0 and tail > 0
    assert figures["floor"] >= head + tail + phases["  of it: finish scoring, gather rows"]
    # the processes' CPU, which the wall is compared with, make up the whole
    assert figures["main_cpu"] > 0 and figures["writer_cpu"] == phases["journal writer process"]
    assert figures["scoring_cpu"] == phases["scoring process"]
    # ... with the long run's scores.json rendered in a child forked for it, not in the main process
    assert figures["apart_cpu"] == phases["report: scores.json in a forked child"] > 0
    assert phases["report: render scores.json"] == 0
    assert figures["main_cpu"] + figures["writer_cpu"] + figures["scoring_cpu"] + figures["apart_cpu"] == \
        pytest.approx(figures["total_cpu"])
    assert len(figures["load"]) == 2 and figures["wall"] > 0
    # ... and sealed the journal with the digest it made as it wrote: no seal in the main process
    assert phases["seal in the main process (a pass over every row only without the writer's digest)"] == 0
    # no phase is timed inside another (the rest, found by difference, would then come out negative)
    assert all(seconds >= 0 for seconds in phases.values())


@pytest.mark.bench
def test_live_latency_benchmark_reduced_form() -> None:
    bench = BENCH.parent / "live_latency.py"
    out = subprocess.run([sys.executable, str(bench), "--inputs", "60", "--json"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    figures = json.loads(out)
    assert figures["inputs"] == 60 and figures["lost"] == 0
    assert figures["recorded"] == 61  # every input, and the end
    for key in ("p50_ms", "p99_ms", "baseline_commit_p99_ms", "ratio_p99"):
        assert figures[key] > 0


@pytest.mark.bench
def test_live_players_benchmark_reduced_form() -> None:
    bench = BENCH.parent / "live_players.py"
    out = subprocess.run([sys.executable, str(bench), "--players", "10", "--seconds", "3", "--json"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    figures = json.loads(out)
    assert figures["players"] == 10 and figures["lost"] == 0
    assert figures["inputs_acknowledged"] > 0
    for key in ("p50_ms", "p99_ms", "baseline_commit_p99_ms"):
        assert figures[key] > 0
