"""What ``compare`` says about two runs' inputs, objectives not exercised and background lateness, on a hand-made
scenario whose right answer is worked out by hand.

The day (08:00-09:40, fixed durations): a desk (one person) takes a probe every 30 min from 08:30 (08:30, 09:00,
09:30). Each probe is three steps in turn at the desk: ``ack`` 5 min (target 30 min: always met), ``check``
20 min (target 15 min: late once it ends, 25 min after the probe started), ``note`` 5 min (no target). An outage
X starts at 08:00 and ends by itself after 20 min (``duration``); a technician's fix takes 1 h, so the response
never contains it and O1 (X's start to its containment, target 90 min) is not exercised.

To 09:40: the 08:30 and 09:00 probes are done (2 ``ack`` on time, 2 ``check`` late, 2 ``note``); the 09:30 probe's
``ack`` is done on time and its ``check`` (from 09:35) is still within its target at 09:40. So 8 background steps,
5 of them with a judged target, 2 late: late share 2 of 5 = 40 % (not 2 of 8). Stopped at 09:10: 5 steps, 3 with a
judged target (08:30's ``ack`` and ``check``, 09:00's ``ack``), 1 late: 1 of 3.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from cli_helpers import in_process

from ballotdrill.application import compare_runs
from ballotdrill.scoring.compare import Comparison, ComparisonRow
from ballotdrill.scoring.comparewords import DIFFERENT_WINDOWS, SEED_ONLY, InputDifference, notes

DESK = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        desk: {staff: 1}
        tech: {staff: 1}
      procedures:
        probe:
          trigger: {type: probe}
          steps:
            - {id: ack, actor: desk, duration: 5m, target: 30m}
            - {id: check, actor: desk, duration: 20m, target: 15m}
            - {id: note, actor: desk, duration: 5m}
        outage:
          trigger: {type: outage}
          steps:
            - {id: fix, actor: tech, duration: 1h, effect: {contain: 1.0}, target: 90m}
    scenarios:
      day:
        title: Day
        start: "08:00"
        end: "09:40"
        injects:
          - {id: P, every: 30m, from: "08:00", to: "09:35", incident: {type: probe, severity: 1}}
          - {at: "08:00", incident: {id: X, type: outage, severity: 3, duration: 20m}}
        objectives:
          - {id: O1, capability: Cyber, measure: {time: from incident X start to incident X containment}, target: 90m}
    """
)
X_DURATION = "scenarios.day.injects.1.incident.duration"
RUNS = {
    "whole": (),
    "seed2": ("--seed", "2"),
    "cut": ("--until", "09:10"),
    "seed2-cut": ("--seed", "2", "--until", "09:10"),
    "x30": ("--set", f"{X_DURATION}=30m"),
    "x3h": ("--set", f"{X_DURATION}=3h"),
}


class _Capture:
    def readouterr(self) -> tuple[str, str]:
        return "", ""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("compare-inputs")
    (work / "desk.yaml").write_text(DESK, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        for out, more in RUNS.items():
            result = in_process(("run", "day", "-f", "desk.yaml", "--out", out, *more), work, mp, _Capture())
            assert result.returncode == 0, result.stderr
    return work


def row(comparison: Comparison, section: str, item: str, measure: str) -> ComparisonRow:
    return next(r for r in comparison.rows if (r.section, r.item, r.measure) == (section, item, measure))


def test_a_different_stop_time_is_named_beside_the_seed_never_seed_only(
        runs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    comparison = compare_runs(runs / "whole", runs / "seed2-cut")
    assert [(d.what, d.a, d.b) for d in comparison.inputs] == [("stopped at", "09:40", "09:10"), ("seed", "1", "2")]
    assert SEED_ONLY not in comparison.notes
    head = comparison.notes[0]
    assert head.startswith("A and B differ in where they stopped (09:40 against 09:10) and their seed: ")
    assert DIFFERENT_WINDOWS in comparison.notes and "a difference can come from the stop alone" in DIFFERENT_WINDOWS
    assert not [r for r in comparison.rows if r.better or r.small]  # nor "≈ small" in the "better" column
    shown = in_process(("compare", "whole", "seed2-cut"), runs, monkeypatch, capsys)
    assert shown.returncode == 0, shown.stderr
    assert "differ only by their seed" not in shown.stdout
    assert "where they stopped (09:40 against 09:10) and their seed" in " ".join(shown.stdout.split())


def test_the_same_run_stopped_earlier_puts_every_difference_on_the_stop(runs: Path) -> None:
    comparison = compare_runs(runs / "whole", runs / "cut")
    assert [d.what for d in comparison.inputs] == ["stopped at"]
    assert comparison.notes[0] == ("A and B differ in where they stopped (09:40 against 09:10): with the same seed "
                                   "and the same inputs, every difference below comes from where they stopped.")


def test_only_a_seed_difference_is_two_draws_of_one_exercise(runs: Path) -> None:
    comparison = compare_runs(runs / "whole", runs / "seed2")
    assert [d.what for d in comparison.inputs] == ["seed"] and comparison.notes[0] == SEED_ONLY


def test_every_kind_of_input_difference_is_named() -> None:
    inputs = [InputDifference(what="stopped at", a="21:00", b="17:20"), InputDifference(what="seed", a="9", b="11"),
              InputDifference(what="overrides", a="[]", b='["x=1"]'),
              InputDifference(what="decisions", a="{}", b='{"k": "more"}'),
              InputDifference(what="version", a="0.9", b="1.0"),
              *(InputDifference(what=f"structure.actors.a{n}.staff", a="1", b="2") for n in range(5))]
    head = notes(inputs)[0]
    assert head.startswith(
        "A and B differ in where they stopped (21:00 against 17:20), their seed, their --set overrides, their recorded "
        "decisions, the version of ballotdrill that ran them (0.9 against 1.0) and 5 values of the scenario file "
        "(structure.actors.a0.staff, structure.actors.a1.staff, structure.actors.a2.staff and 2 more): ")
    same_seed = notes([InputDifference(what="decisions", a="{}", b='{"k": "more"}')])[0]
    assert same_seed.startswith("A and B differ in their recorded decisions: ") and "share their seed" in same_seed
    named_only = notes([InputDifference(what="seed", a="1", b="2"), InputDifference(what="source", a="x", b="y")])
    assert named_only[0].startswith("A and B differ in their seed and the scenario file they were read from (not "
                                    "its content): ")
    assert notes([]) == []


def test_an_objective_not_exercised_on_either_side_has_no_better_run_and_says_why(runs: Path) -> None:
    # X ends by itself after 20 min in A and after 30 min in B: neither response contained it
    both = compare_runs(runs / "whole", runs / "x30")
    value = row(both, "objective", "O1", "value")
    assert (value.a, value.b) == ("not exercised: ended by itself (after 20 min)",
                                  "not exercised: ended by itself (after 30 min)")
    assert value.diff is None and value.better == "" and not value.small
    assert row(both, "objective", "O1", "rating").better == ""
    # the incident row for the same quantity shows the times, unmarked
    contain = row(both, "incident", "X", "to_contain")
    assert (contain.a, contain.b, contain.better) == (20.0, 30.0, "")
    # X lasting 3 h: the fix contains it after 1 h (P); against a run where it was not exercised, no side is better
    one = compare_runs(runs / "whole", runs / "x3h")
    value = row(one, "objective", "O1", "value")
    assert (value.a, value.b, value.diff, value.better) == ("not exercised: ended by itself (after 20 min)", 60.0,
                                                            None, "")
    assert row(one, "objective", "O1", "rating").b == "P" and row(one, "objective", "O1", "rating").better == ""


def test_background_late_share_counts_only_steps_with_a_judged_target(
        runs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    comparison = compare_runs(runs / "whole", runs / "seed2-cut")
    for section, item in (("background", "P"), ("background type", "probe"), ("background load", "desk")):
        assert (row(comparison, section, item, "steps").a, row(comparison, section, item, "steps").b) == (8, 5)
        judged = row(comparison, section, item, "steps_with_target")
        assert (judged.a, judged.b) == (5, 3)
        late = row(comparison, section, item, "late share")
        assert (late.a, late.b) == (0.4, 0.333)
    shown = in_process(("compare", "whole", "seed2-cut"), runs, monkeypatch, capsys).stdout
    assert "late, share of steps with a target" in shown
    data = json.loads((runs / "whole" / "scores.json").read_text(encoding="utf-8"))["scores"]
    assert data["background"]["injects"][0]["steps_with_target"] == 5 and data["background"]["injects"][0][
        "late_steps"] == 2


def _json_lines_run(folder: Path) -> Path:
    """A run folder kept as JSON Lines (``journal.jsonl`` and ``meta.json``, no SQLite journal), which
    ``--force`` reads."""
    from scoring_helpers import sample_events, scenario_file

    from ballotdrill.exports import write_jsonl

    folder.mkdir()
    write_jsonl(sample_events(), folder / "journal.jsonl")
    meta = {"scenario": "demo", "seed": "7", "document": scenario_file().model_dump_json(by_alias=True)}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_compare_force_of_two_json_lines_runs_has_no_live_inputs_to_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _json_lines_run(tmp_path / "a"), _json_lines_run(tmp_path / "b")
    result = in_process(("compare", str(a), str(b), "--force", "--json"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["inputs"] == []


def test_compare_of_a_run_whose_journal_is_not_sqlite_says_it_is_damaged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _json_lines_run(tmp_path / "a"), _json_lines_run(tmp_path / "b")
    (b / "journal.sqlite").write_bytes(b"this is not a database")
    result = in_process(("compare", str(a), str(b), "--force"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "journal.sqlite is damaged" in result.stderr.splitlines()[-1], result.stderr
