"""``ballotdrill sweep`` from the command line: its files and summary, and every bad --grid, --set, --variant or
flag as one located line with exit status 2 (and no folder left behind)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line
from sweep_helpers import EXAMPLE, ROOT, VARIANT

from ballotdrill.application.runinputs import seed_text
from ballotdrill.application.sweeps import plan_sweep


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
    "set-on-a-gridded-path": (["--grid", "structure.actors.desk.staff=1,2", "--set", "structure.actors.desk.staff=3"],
                              "--set structure.actors.desk.staff=3: --grid structure.actors.desk.staff=1,2 sets "
                              "structure.actors.desk.staff at every point, so this value would never be played"),
    "set-under-a-gridded-path": (["--grid", "structure.actors.desk={name: A, staff: 1},{name: B, staff: 2}",
                                  "--set", "structure.actors.desk.staff=3"],
                                 "--set structure.actors.desk.staff=3: --grid structure.actors.desk={name: A, staff: "
                                 "1},{name: B, staff: 2} sets structure.actors.desk at every point"),
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
    "variant-bad-yaml": (["--variant", "unclosed.yaml"], "unclosed.yaml:3:32: this '[' is never closed"),
    "variant-changes-nothing": (["--variant", "nothing.yaml"],
                                "nothing.yaml:3:3: the variant 'nothing' changes nothing in this structure: the "
                                "baseline has every value it sets already (structure.actors.desk.staff), so its runs "
                                "would be the baseline's; set a value the baseline does not have, or leave this "
                                "--variant out"),
    "variant-changes-nothing-after-set": (["--set", "structure.actors.desk.staff=2", "--variant", str(VARIANT)],
                                          "second-desk.yaml:5:3: the variant 'second-desk' changes nothing"),
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
    "runs-negative": (["--runs", "-1"], "--runs must be at least 1 (got -1)"),
    "out-a-file": (["--out", "list.yaml"], "list.yaml is a file, not a folder; give a new or empty folder for --out"),
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
    (path / "unclosed.yaml").write_text("name: more\nset:\n  structure.actors.desk.staff: [2\n", encoding="utf-8")
    (path / "nothing.yaml").write_text("name: nothing\nset:\n  structure.actors.desk.staff: 1\n", encoding="utf-8")
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
    if "--runs" in extra or "--out" in extra:
        args = ["sweep", *extra, "--file", str(EXAMPLE), *([] if "--runs" in extra else ["--runs", "2"]),
                *([] if "--out" in extra else ["--out", f"never-{name}"])]
    before = {path.name: path.read_bytes() for path in bad.iterdir()}
    result = _main(args, bad, monkeypatch, capsys)
    assert {path.name: path.read_bytes() for path in bad.iterdir()} == before  # nothing written, nothing changed
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
    says so (a 'second analyst' written for a baseline of one does nothing, or removes staff, on another); one that
    changes nothing at all is refused (``variant-changes-nothing`` above)."""
    (tmp_path / "same.yaml").write_text("name: same\nset:\n  structure.actors.desk.staff: 2\n"
                                        "  structure.actors.cell.staff: 2\n", encoding="utf-8")
    done = _bd("sweep", "--file", str(EXAMPLE), "--runs", "3", "--workers", "1", "--set",
               "structure.actors.desk.staff=2", "--variant", "same.yaml", "--out", "sw", cwd=tmp_path, columns=200)
    assert done.returncode == 0, done.stderr
    changes = ["structure.actors.desk.staff: 2 → 2 (unchanged: the baseline has it already)",
               "structure.actors.cell.staff: 1 → 2"]
    assert f"variant same: {', '.join(changes)}\n" in done.stderr, done.stderr
    data = json.loads((tmp_path / "sw" / "sweep.json").read_text(encoding="utf-8"))
    assert [v["changes"] for v in data["variants"]] == [changes]
    done = _bd("sweep", "--file", str(EXAMPLE), "--runs", "3", "--workers", "1", "--variant", str(VARIANT),
               "--out", "sw2", cwd=tmp_path, columns=200)
    assert "variant second-desk: structure.actors.desk.staff: 1 → 2\n" in done.stderr


def test_a_variant_that_changes_something_at_one_grid_point_only_is_swept(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # second-desk sets the desk's staff to 2: nothing at the grid's 2, a second person at its 1
    result = _main(["sweep", "--file", str(EXAMPLE), "--runs", "2", "--workers", "1", "--grid",
                    "structure.actors.desk.staff=1,2", "--variant", str(VARIANT), "--out", "sw"], tmp_path,
                   monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "sw" / "sweep.json").read_text(encoding="utf-8"))
    assert [p["label"] for p in data["points"]] == [
        "baseline @ staff=1", "second-desk @ staff=2 (the variant's, not the grid's 1)", "baseline @ staff=2",
        "second-desk @ staff=2"]


def test_a_set_under_a_gridded_path_is_played_with_it() -> None:
    # --set replaces the desk, then each grid value sets its staff: both are played (the grid's path is under it)
    plan = plan_sweep(EXAMPLE, None, ["structure.actors.desk={name: Counter, staff: 1}"],
                      ["structure.actors.desk.staff=2,3"])
    desks = [p.doc.structure.actors["desk"] for p in plan.points]
    assert [(desk.name, desk.staff) for desk in desks] == [("Counter", 2), ("Counter", 3)]


def test_a_sweep_writes_only_into_a_new_or_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    result = _main(["sweep", "--file", str(EXAMPLE), "--runs", "2", "--workers", "1", "--out", "notes"], tmp_path,
                   monkeypatch, capsys)
    one_line(result, "notes is not empty (it holds keep.txt); a sweep writes only into a new or empty folder: "
                     "choose another --out")
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["keep.txt"]
    assert (tmp_path / "notes" / "keep.txt").read_text(encoding="utf-8") == "mine"
    (tmp_path / "empty").mkdir()
    assert _main(["sweep", "--file", str(EXAMPLE), "--runs", "2", "--workers", "1", "--out", "empty"], tmp_path,
                 monkeypatch, capsys).returncode == 0
    assert (tmp_path / "empty" / "sweep.json").is_file()


def test_a_seed_of_any_length_names_its_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    seed = -int("9" * 300)  # a folder's name is at most 255 bytes: the seed is cut there, kept whole in sweep.json
    result = _main(["sweep", "--file", str(EXAMPLE), "--runs", "2", "--workers", "1", "--seed", str(seed)], tmp_path,
                   monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "runs" / f"busy-morning-sweep-seed-{'9' * 20}-of-300-digits"
    assert json.loads((folder / "sweep.json").read_text(encoding="utf-8"))["seed"] == seed
    assert seed_text(12) == "12" and seed_text(-(2 ** 63)) == str(-(2 ** 63))  # every 64-bit seed in full
