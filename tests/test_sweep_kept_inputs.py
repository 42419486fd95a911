"""A sweep's kept replication records what it played (the sweep's --set, its grid values, its variant's settings) as
a run's overrides: its report names them, and ``compare`` against ``run --set`` of the same values and seed finds the
same inputs, never a difference the two did not have."""

from __future__ import annotations

import re
from pathlib import Path

from format_helpers import run_cli
from sweep_helpers import EXAMPLE, VARIANT

from ballotdrill.scoring.compare import input_differences

SET = "structure.actors.cell.staff=2"
GRID = "structure.channels.phone.reliability=0.5,0.95"


def _kept(folder: Path, point: str) -> Path:
    """The one replication kept for ``point`` (``p001-second-desk``)."""
    (found,) = (folder / "journals" / point).iterdir()
    return found


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_a_kept_replication_tells_and_compares_as_the_run_that_plays_it_again(tmp_path: Path) -> None:
    sweep = run_cli("sweep", "--file", str(EXAMPLE), "--runs", "1", "--workers", "1", "--set", SET, "--grid", GRID,
                    "--variant", str(VARIANT), "--keep-journals", "--out", str(tmp_path / "S"))
    assert sweep.returncode == 0, sweep.stderr
    kept = _kept(tmp_path / "S", "p001-second-desk")  # the variant at reliability 0.5
    played = [SET, "structure.channels.phone.reliability=0.5", "structure.actors.desk.staff=2"]

    report = run_cli("report", str(kept), "--format", "md")
    assert report.returncode == 0, report.stderr
    text = (kept / "report.md").read_text(encoding="utf-8")
    assert _line(text, "| Overrides (--set) |") == "| Overrides (--set) | " + "; ".join(f"`{p}`" for p in played) + " |"
    assert _line(text, "| Sweep point |").startswith("| Sweep point | second-desk @ reliability=0.5: a replication "
                                                     "a sweep kept")

    seed = kept.name.rpartition("seed")[2]
    again = run_cli("run", "--file", str(EXAMPLE), "--seed", seed, *(f"--set={p}" for p in played),
                    "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    compared = run_cli("compare", str(tmp_path / "again"), str(kept))
    assert compared.returncode == 0, compared.stderr
    assert "Same inputs: scenario, seed, overrides, decisions and scenario file." in compared.stdout
    assert re.search(r"(?m)^0 of \d+ measures differ", compared.stderr + compared.stdout)  # and every measure too


def test_a_kept_baseline_without_set_compares_as_a_plain_run(tmp_path: Path) -> None:
    sweep = run_cli("sweep", "--file", str(EXAMPLE), "--runs", "1", "--workers", "1", "--keep-journals",
                    "--out", str(tmp_path / "S"))
    assert sweep.returncode == 0, sweep.stderr
    kept = _kept(tmp_path / "S", "p000-baseline")
    again = run_cli("run", "--file", str(EXAMPLE), "--seed", kept.name.rpartition("seed")[2],
                    "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    compared = run_cli("compare", str(tmp_path / "again"), str(kept))
    assert compared.returncode == 0, compared.stderr
    assert "Same inputs:" in compared.stdout and "overrides │" not in compared.stdout


def test_a_journal_that_recorded_no_overrides_had_none_of_its_own() -> None:
    # a replication kept by an older version has no 'overrides' key: no difference by itself
    assert input_differences({"seed": "1"}, {"seed": "1", "overrides": "[]"}, {}, {}) == []
    (differs,) = input_differences({"seed": "1"}, {"seed": "1", "overrides": '["x=1"]'}, {}, {})
    assert (differs.what, differs.a, differs.b) == ("overrides", "[]", '["x=1"]')
