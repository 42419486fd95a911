"""``ballotdrill sweep`` from the command line: its files and summary, and every bad --grid, --set, --variant or
flag as one located line with exit status 2 (and no folder left behind)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import in_process
from sweep_helpers import EXAMPLE, ROOT, VARIANT


def _bd(*args: str, cwd: Path, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-m", "ballotdrill", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env)


def _main(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> subprocess.CompletedProcess[str]:
    return in_process(tuple(args), cwd, monkeypatch, capsys)


def test_sweep_writes_its_files_and_prints_the_answer(tmp_path: Path) -> None:
    done = _bd("sweep", "--file", str(EXAMPLE), "--runs", "8", "--workers", "2", "--variant", str(VARIANT),
               "--grid", "structure.channels.phone.reliability=0.5,0.9", "--out", "sw", "--json", cwd=tmp_path,
               columns=44)
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stderr  # a narrow terminal wraps the table's figures, never cuts them short
    data = json.loads(done.stdout)
    assert data == json.loads((tmp_path / "sw" / "sweep.json").read_text(encoding="utf-8"))
    assert [p["label"] for p in data["points"]] == ["baseline @ reliability=0.5", "second-desk @ reliability=0.5",
                                                    "baseline @ reliability=0.9", "second-desk @ reliability=0.9"]
    assert sorted(p.name for p in (tmp_path / "sw").iterdir()) == [
        "replications.csv", "sweep.csv", "sweep.html", "sweep.json"]
    assert "32 replications (8 per point, 4 points)" in done.stderr
    assert "sw/sweep.html" in done.stderr
    html = (tmp_path / "sw" / "sweep.html").read_text(encoding="utf-8")
    assert "<script" not in html and "Objectives against the load" in html and "What-if" in html


def test_compare_points_to_sweep(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert _bd("run", "--file", str(EXAMPLE), "--out", name, cwd=tmp_path).returncode == 0
    done = _bd("compare", "a", "b", cwd=tmp_path)
    assert done.returncode == 0 and "ballotdrill sweep" in done.stderr and "--variant" in done.stderr


CASES = {
    "grid-no-values": (["--grid", "structure.actors.desk.staff"],
                       "--grid structure.actors.desk.staff: expected PATH=V1"),
    "grid-empty-value": (["--grid", "structure.actors.desk.staff=1,,2"], "none empty"),
    "grid-twice": (["--grid", "structure.actors.desk.staff=1,1"], "the value '1' is listed twice"),
    "grid-unknown-key": (["--grid", "structure.actors.dsek.staff=1,2"], "--grid structure.actors.dsek.staff=1: "
                         "no key 'dsek' at structure.actors (did you mean 'desk'?)"),
    "grid-bad-value": (["--grid", "structure.actors.desk.staff=1,many"],
                       "--grid structure.actors.desk.staff=many: 'staff' must be a whole number (got 'many')"),
    "grid-same-path-twice": (["--grid", "structure.actors.desk.staff=1,2", "--grid", "structure.actors.desk.staff=3"],
                             "two --grid options"),
    "set-bad-value": (["--set", "structure.actors.desk.staff=-1"], "--set structure.actors.desk.staff=-1:"),
    "set-no-equals": (["--set", "structure.actors.desk.staff"],
                      "--set structure.actors.desk.staff: expected PATH=VALUE"),
    "variant-missing": (["--variant", "nope.yaml"], "nope.yaml: cannot read the file"),
    "variant-bad-value": (["--variant", "bad-value.yaml"], "bad-value.yaml:3:3: 'staff' must be a whole number"),
    "variant-bad-path": (["--variant", "bad-path.yaml"], "bad-path.yaml:3:3: no key 'dsek' at structure.actors"),
    "variant-unknown-key": (["--variant", "bad-key.yaml"],
                            "bad-key.yaml:1:1: unknown key 'sett' (did you mean 'set'?)"),
    "variant-not-a-mapping": (["--variant", "list.yaml"], "list.yaml:1:1: a variant file is a mapping"),
    "variant-is-a-scenario-file": (["--variant", str(EXAMPLE)],
                                   "sweep.yaml:5:1: this is a scenario file (it has 'version'), not a variant file: "
                                   "a variant file changes the structure for a sweep, with 'set'"),
    "variant-empty-set": (["--variant", "empty-set.yaml"], "empty-set.yaml:1:6: 'set' must map each PATH"),
    "variant-named-twice": (["--variant", str(VARIANT), "--variant", str(VARIANT)],
                            "two variants are named 'second-desk'"),
    "variant-moves-the-target": (["--variant", "target.yaml"],
                                 "target.yaml:3:3: a variant changes the response structure only (paths under "
                                 "'structure.'); 'scenarios.busy-morning.objectives.0.target' changes the scenario's "
                                 "objectives"),
    "variant-changes-the-incidents": (["--variant", "injects.yaml"],
                                      "injects.yaml:4:3: a variant changes the response structure only (paths under "
                                      "'structure.'); 'scenarios.busy-morning.injects.0.at' changes the scenario's "
                                      "incidents"),
    "runs-zero": (["--runs", "0"], "--runs must be at least 1 (got 0)"),
    "workers-zero": (["--workers", "0"], "--workers must be at least 1 (got 0)"),
    "workers-beyond-the-machine": (["--workers", "100000"], "--workers 100,000 is more than 4 per core"),
    # --workers beyond this machine's cores is no error on a cluster: the scheduler is what is told to be unreachable
    "scheduler-unreachable": (["--scheduler", "tcp://127.0.0.1:9", "--workers", "100000"],
                              "--scheduler tcp://127.0.0.1:9: nothing listens on port 9"),
    "unknown-scenario": (["busy-mornign"], "no scenario 'busy-mornign' (did you mean 'busy-morning'?)"),
}


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sweep-errors")
    (path / "bad-value.yaml").write_text("name: more\nset:\n  structure.actors.desk.staff: many\n", encoding="utf-8")
    (path / "bad-path.yaml").write_text("name: more\nset:\n  structure.actors.dsek.staff: 2\n", encoding="utf-8")
    (path / "bad-key.yaml").write_text("sett:\n  structure.actors.desk.staff: 2\n", encoding="utf-8")
    (path / "list.yaml").write_text("- structure.actors.desk.staff=2\n", encoding="utf-8")
    (path / "empty-set.yaml").write_text("set: {}\n", encoding="utf-8")
    (path / "target.yaml").write_text("name: easier\nset:\n  scenarios.busy-morning.objectives.0.target: 3h\n",
                                      encoding="utf-8")
    (path / "injects.yaml").write_text("name: later\nset:\n  structure.actors.desk.staff: 2\n"
                                       "  scenarios.busy-morning.injects.0.at: '10:00'\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_located_line_and_exit_2(name: str, bad: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    extra, expected = CASES[name]
    args = ["sweep", *(a for a in extra if not a.startswith("busy")), "--file", str(EXAMPLE), "--runs", "2",
            "--out", f"never-{name}", *(a for a in extra if a.startswith("busy"))]
    if "--runs" in extra:
        args = ["sweep", *extra, "--file", str(EXAMPLE), "--out", f"never-{name}"]
    result = _main(args, bad, monkeypatch, capsys)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0], (expected, lines)
    assert not (bad / f"never-{name}").exists()


def test_no_more_workers_start_than_there_are_replications(tmp_path: Path) -> None:
    done = _bd("sweep", "--file", str(EXAMPLE), "--runs", "1", "--workers", "4", "--out", "one", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 replication (1 per point, 1 point)" in done.stderr and "on 1 worker\n" in done.stderr, done.stderr


def test_a_bad_grid_in_a_fresh_interpreter(tmp_path: Path) -> None:
    done = _bd("sweep", "--file", str(EXAMPLE), "--grid", "structure.actors.desk.staff=1,lots", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == ("--grid structure.actors.desk.staff=lots: 'staff' must be a whole number "
                                   "(got 'lots')")
    assert not (tmp_path / "runs").exists()


def test_the_summary_lists_what_each_variant_does_to_this_structure(tmp_path: Path) -> None:
    """A variant sets absolute values: the summary shows each as it was and as it is, and one already the baseline's
    says so (a 'second analyst' written for a baseline of one does nothing, or removes staff, on another)."""
    (tmp_path / "same.yaml").write_text("name: same\nset:\n  structure.actors.desk.staff: 2\n", encoding="utf-8")
    done = _bd("sweep", "--file", str(EXAMPLE), "--runs", "3", "--workers", "1", "--set",
               "structure.actors.desk.staff=2", "--variant", str(VARIANT), "--variant", "same.yaml", "--out", "sw",
               cwd=tmp_path, columns=200)
    assert done.returncode == 0, done.stderr
    unchanged = "structure.actors.desk.staff: 2 → 2 (unchanged: the baseline has it already)"
    assert f"variant second-desk: {unchanged}" in done.stderr and f"variant same: {unchanged}" in done.stderr
    data = json.loads((tmp_path / "sw" / "sweep.json").read_text(encoding="utf-8"))
    assert [v["changes"] for v in data["variants"]] == [[unchanged], [unchanged]]
    done = _bd("sweep", "--file", str(EXAMPLE), "--runs", "3", "--workers", "1", "--variant", str(VARIANT),
               "--out", "sw2", cwd=tmp_path, columns=200)
    assert "variant second-desk: structure.actors.desk.staff: 1 → 2\n" in done.stderr
