"""Smaller lines a newcomer met, each the one line (and exit status) a user relies on: a template with no folder to
write it in, a scenario file given as the risk register, a bad --speed, a Ctrl-C before the run folder exists,
the decisions of an exercise still being played, and a folder that only holds run folders further down."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import in_process, one_line
from format_helpers import run_cli

from ballotdrill.application.folder import LIVE, locked

LIVE_YAML = "docs/examples/live.yaml"


def test_a_template_with_no_folder_to_write_it_in_says_so_as_export_does(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "x.json"
    line = one_line(run_cli("decisions", "results-night-ddos", "--template", str(target)))
    assert line == (f"{target}: no folder '{target.parent}' to write it in; create the folder first, or give "
                    "another path")


def test_a_scenario_file_given_as_the_register_is_named_a_scenario_file() -> None:
    line = one_line(run_cli("risks", "--register", "docs/examples/minimal.yaml"))
    assert line.startswith("docs/examples/minimal.yaml:")
    assert "this is a scenario file (it has 'structure'), not a risk register" in line
    assert line.endswith("give a scenario file with --file")


@pytest.mark.parametrize("speed", ["0", "-5"])
def test_a_bad_speed_names_the_option(tmp_path: Path, speed: str) -> None:
    line = one_line(run_cli("live", "--file", LIVE_YAML, f"--speed={speed}", "--out", str(tmp_path / "live")))
    assert line.startswith(f"--speed must be a number from 0.01 to 100000 (got {speed}); 1 is real time")
    assert not (tmp_path / "live").exists()


@pytest.mark.parametrize(("command", "reading", "what"), [
    ("run", "ballotdrill.application.check_scenarios", "the run"),
    ("live", "ballotdrill.commands.live_play.load_scenarios", "the exercise"),
    ("sweep", "ballotdrill.application.sweeps.plan_sweep", "the sweep"),
])
def test_a_ctrl_c_before_the_folder_exists_says_nothing_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str,
        reading: str, what: str) -> None:
    def ctrl_c(*_: object, **__: object) -> None:
        raise KeyboardInterrupt  # while the scenario file is read and checked

    monkeypatch.setattr(reading, ctrl_c)
    runs = ("--runs", "1") if command == "sweep" else ()  # (no pool's fork server started for it)
    done = in_process((command, "results-night-ddos", *runs, "--out", "r"), tmp_path, monkeypatch, capsys)
    assert done.returncode == 130 and done.stderr.splitlines() == [
        f"interrupted before {what} began; nothing was written"], done.stderr
    assert not (tmp_path / "r").exists()


def test_decisions_of_an_exercise_still_played_live_says_so(tmp_path: Path) -> None:
    folder, early = tmp_path / "played", tmp_path / "early"
    for out, until in ((folder, "12:00"), (early, "08:05")):
        ran = run_cli("run", "--file", LIVE_YAML, "--until", until, "--out", str(out))
        assert ran.returncode == 0, ran.stderr
    with locked(folder, LIVE), locked(early, LIVE):  # as 'live' holds the folder it plays into
        listed = run_cli("decisions", str(folder))
        none_yet = run_cli("decisions", str(early))
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.splitlines()[-1] == ("this exercise is still being played live: these are the decisions it "
                                              "has asked so far (more may come)")
    assert none_yet.returncode == 0, none_yet.stderr
    assert none_yet.stderr.splitlines() == ["no decision point asked so far: this exercise is still being played "
                                            "live (more may come)"]
    ended = run_cli("decisions", str(early))  # once it has ended, a run with none asked
    assert ended.stderr.splitlines() == ["no decision point in this run"]


def test_a_folder_holding_run_folders_further_down_names_one(tmp_path: Path) -> None:
    ran = run_cli("run", "--file", LIVE_YAML, "--out", str(tmp_path / "sweep" / "journals" / "p000-baseline" / "r0"))
    assert ran.returncode == 0, ran.stderr
    for given in (tmp_path / "sweep", tmp_path / "sweep" / "journals" / "p000-baseline"):
        line = one_line(run_cli("report", str(given)))
        assert line == (f"{given}: no journal.sqlite here, but a folder under it holds a run (as a sweep keeps its "
                        f"replications); give a run folder, e.g. {tmp_path / 'sweep' / 'journals' / 'p000-baseline'}"
                        "/r0")
