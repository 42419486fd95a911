"""How far an export is through the journal: told after each block of rows, up to the seal's row count; shown in a
terminal, never in a file or a pipe."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import in_process

from ballotdrill.application import ExportProgress, export_run
from ballotdrill.commands import output
from ballotdrill.exports.ocel_sql import PHASES
from ballotdrill.journal.seal import BLOCK

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from engine_vs_simpy import scenario_yaml


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished, sealed run of the benchmark network whose journal spans a few blocks of rows."""
    work = tmp_path_factory.mktemp("progress")
    (work / "model.yaml").write_text(scenario_yaml(900), encoding="utf-8")
    made = subprocess.run([sys.executable, "-m", "ballotdrill", "run", "bench", "--file", "model.yaml", "--seed", "1",
                           "--out", "r"], cwd=work, capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    return work / "r"


def journal_rows(folder: Path) -> int:
    with sqlite3.connect(folder / "journal.sqlite") as db:
        (count,) = db.execute("SELECT count(*) FROM events").fetchone()
    db.close()
    return int(count)


def steps_of(seen: list[ExportProgress], fmt: str) -> list[ExportProgress]:
    return [step for step in seen if step.format == fmt]


def test_each_files_pass_is_told_after_every_block_up_to_the_seals_row_count(run: Path, tmp_path: Path) -> None:
    rows = journal_rows(run)
    assert rows > 2 * BLOCK  # several blocks, so the values can be seen rising
    seen: list[ExportProgress] = []
    done = export_run(run, jsonl=tmp_path / "z.jsonl", csv=tmp_path / "z.csv", ocel=tmp_path / "z.sqlite",
                      progress=seen.append)
    assert [step.format for step in seen] == sorted((step.format for step in seen), key=["jsonl", "csv",
                                                                                            "ocel-sqlite"].index)
    for exported in done:
        steps = steps_of(seen, exported.format)
        passing = [step for step in steps if not step.phase]
        assert [step.rows for step in passing] == [min(n * BLOCK, rows) for n in range(1, -(-rows // BLOCK) + 1)]
        assert {(step.path, step.total) for step in steps} == {(exported.path, rows)}
        assert exported.events == rows
        after = steps[len(passing):]  # what the writer does after its pass is told after it, at every row read
        assert passing == steps[:len(passing)] and {step.rows for step in after} <= {rows}
        assert [step.phase for step in after] == (list(PHASES) if exported.format == "ocel-sqlite" else [])


def test_a_journal_no_seal_vouches_for_is_told_without_a_total(run: Path, tmp_path: Path) -> None:
    """A forced export of an unsealed journal: the rows read rise to every row, and no total is made up."""
    unsealed = tmp_path / "r"
    unsealed.mkdir()
    for path in run.iterdir():
        (unsealed / path.name).write_bytes(path.read_bytes())
    with sqlite3.connect(unsealed / "journal.sqlite") as db:
        db.execute("DELETE FROM meta WHERE key = 'seal'")
    db.close()
    seen: list[ExportProgress] = []
    export_run(unsealed, csv=tmp_path / "z.csv", ocel=tmp_path / "z.json", force=True, progress=seen.append)
    rows = journal_rows(unsealed)
    for fmt in ("csv", "ocel"):
        told = [step.rows for step in steps_of(seen, fmt)]
        assert told == sorted(set(told)) and told[-1] == rows and len(told) > 2
        assert {step.total for step in steps_of(seen, fmt)} == {None}


def test_a_terminal_shows_how_far_through_the_journal_each_file_is(
        run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes the captured stream for an interactive terminal
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(output, "_consoles", {})  # made again, for a terminal
    done = in_process(("export", str(run), "--jsonl", "z.jsonl", "--csv", "z.csv", "--ocel", "z.sqlite"), tmp_path,
                      monkeypatch, capsys)
    assert done.returncode == 0, done.stderr
    rows = journal_rows(run)
    for name in ("z.jsonl", "z.csv", "z.sqlite"):
        share = BLOCK * 100 // rows
        assert f"{name} {share}% of {rows:,} rows" in done.stderr  # after the first block
        assert f"{name} 100% of {rows:,} rows" in done.stderr
    for phase in PHASES:  # OCEL's SQLite form says what it does after its pass, not 100% for many seconds
        assert f"z.sqlite 100% of {rows:,} rows; {phase}" in done.stderr


def test_a_file_or_pipe_gets_no_progress_lines(run: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ballotdrill", "export", str(run), "--csv", "z.csv"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"wrote {journal_rows(run):,} events to z.csv\n"
