"""``compare`` of two runs on hand-made scenarios whose right answer is worked out by hand.

The day: the CERT (one analyst) fixes two DDoS of two hours (D0 at 09:00, D1 at 10:00); three low-severity
probes (P, every 30 min from 09:00) queue behind them at the CERT; a contingency C1 (12:30) is released only
if D1 is not contained by then. With one analyst D1 waits for D0: fixed at 13:00 (180 min), so C1 happens
and the probes (09:30, 10:00, 10:30) wait until 13:00: contained after 220, 200 and 180 min. With two,
D1 is fixed at 12:00 (120 min), C1 never happens, and the probes are contained after 10, 70 and 50 min.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line

from ballotdrill.application import compare_runs
from ballotdrill.journal import read_events
from ballotdrill.report.comparison import comparison_view
from ballotdrill.scoring import Scores, compare
from ballotdrill.scoring.compare import Comparison, ComparisonRow, is_small
from ballotdrill.scoring.comparewords import SAME_INPUTS_DIFFER, SEED_ONLY

DAY = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        watch: {staff: 1}
        cert: {staff: 1}
      procedures:
        outage:
          trigger: {type: ddos}
          steps:
            - {id: fix, actor: cert, duration: 2h, effect: {resolve: true}, target: 2h}
        probe:
          trigger: {type: probe}
          steps:
            - {id: check, actor: cert, duration: 10m, target: 1h}
        noise:
          trigger: {type: noise}
          steps:
            - {id: log, actor: watch, duration: 10m, target: 15m}
    scenarios:
      day:
        title: Day
        start: "08:00"
        end: "18:00"
        injects:
          - {at: "09:00", incident: {id: D0, type: ddos, severity: 3}}
          - {at: "10:00", incident: {id: D1, type: ddos, severity: 3}}
          - {id: C1, at: "12:30", when: {incident: D1, is_not: contained}, incident: {id: C1, type: noise}}
          - {id: P, every: 30m, from: "09:00", to: "10:45", incident: {type: probe, severity: 1}}
          - {every: {dist: exponential, mean: 40m}, incident: {type: noise}}
        objectives:
          - {id: O1, capability: Cybersecurity, measure: {time: from incident D1 start to step fix}, target: 150m}
      night:
        title: Night
        start: "18:00"
        end: "23:00"
        injects:
          - {at: "19:00", incident: {id: D1, type: ddos, severity: 3}}
    """
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``one`` (one CERT analyst) and ``two`` (two), seed 1; ``seed2`` (one analyst, seed 2); ``night``."""
    work = tmp_path_factory.mktemp("compare")
    (work / "day.yaml").write_text(DAY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        for out, *more in (("one",), ("two", "--set", "structure.actors.cert.staff=2"), ("seed2", "--seed", "2"),
                           ("night",)):
            scenario = "night" if out == "night" else "day"
            args = ("run", scenario, "-f", "day.yaml", "--out", out, *more)
            result = in_process(args, work, mp, _Capture())
            assert result.returncode == 0, result.stderr
    return work


class _Capture:
    """A stand-in for capsys in a module fixture: the commands' output is not looked at there."""

    def readouterr(self) -> tuple[str, str]:
        return "", ""


def rows(comparison: Comparison) -> dict[tuple[str, str, str], tuple[object, object]]:
    return {(r.section, r.item, r.measure): (r.a, r.b) for r in comparison.rows}


def copy_run(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ballotdrill-*"))
    return dest


def test_one_more_analyst_shows_as_computed_by_hand(runs: Path) -> None:
    comparison = compare_runs(runs / "one", runs / "two")
    got = rows(comparison)
    assert comparison.scored_from == {"a": "scores.json", "b": "scores.json"}
    assert [(d.what, d.a, d.b) for d in comparison.inputs if d.what != "overrides"] == [
        ("structure.actors.cert.staff", "1", "2")]
    assert got[("objective", "O1", "value")] == (180.0, 120.0)
    assert got[("objective", "O1", "rating")][1] == "P" and got[("objective", "O1", "rating")][0] != "P"
    assert got[("incident", "D1", "to_contain")] == (180.0, 120.0)
    assert got[("incident", "D0", "to_contain")] == (120.0, 120.0)  # the same incident, handled alike
    # the contingency happened in A only: A's values, a dash for B, no difference made up
    assert got[("incident", "C1", "started")] == (12 * 60 + 30, None)
    assert next(r for r in comparison.rows if (r.item, r.measure) == ("C1", "started")).diff is None
    # background probes as a distribution: count, median, p90 (nearest rank of three: the largest), late share
    assert got[("background", "P", "arrivals")] == (3, 3)
    assert got[("background", "P", "to_contain median")] == (200.0, 50.0)
    assert got[("background", "P", "to_contain p90")] == (220.0, 70.0)
    assert got[("background", "P", "late share")] == (1.0, 0.333)
    assert got[("background type", "probe", "to_contain median")] == (200.0, 50.0)
    assert got[("background load", "cert", "wait max")] == (210.0, 60.0)
    assert got[("load", "cert", "wait_max")] == (210.0, 60.0)
    # never arrival by arrival: no row names one background arrival
    assert not [r for r in comparison.rows if "-" in r.item and r.item[0] in "IP"]
    assert comparison.notes[0].startswith(  # the override is that value: one change, never read as two
        "A and B differ in their --set overrides, which set structure.actors.cert.staff (1 against 2): every "
        "difference below can come from that change. ")
    assert "They share their seed" in comparison.notes[0]


def test_the_summary_shows_what_changed_that_matters(runs: Path) -> None:
    view = comparison_view(compare_runs(runs / "one", runs / "two"))
    summary = [row[:3] + row[6:] for row in view.summary[1:]]
    assert ["objective", "O1", "rating", "B"] in summary
    assert ["incident", "C1", "started", ""] in summary  # happened in one run only
    assert ["incident", "D1", "time to contain", "B"] in summary
    assert ["background", "P", "time to contain, median", "B"] in summary
    assert not [row for row in summary if row[1] == "D0"]  # unchanged: left to --changed and --json
    assert len(view.summary) < len(view.detail) < view.total + 1


def test_from_scores_json_is_what_the_journals_give(runs: Path, tmp_path: Path) -> None:
    """The same comparison whether each run's scores come from its scores.json or from streaming its journal."""
    fast = compare_runs(runs / "one", runs / "two")
    a, b = copy_run(runs / "one", tmp_path / "one"), copy_run(runs / "two", tmp_path / "two")
    (a / "scores.json").unlink()
    (b / "scores.json").write_text("{not json", encoding="utf-8")
    told: list[str] = []
    slow = compare_runs(a, b, say=told.append)
    assert slow.rows == fast.rows and slow.inputs == fast.inputs
    assert told == [f"{a}: it has no scores.json; scoring its journal instead (one pass)",
                    f"{b}: its scores.json or journal is not readable (JSONDecodeError); scoring its journal "
                    "instead (one pass)"]
    assert slow.scored_from["a"] == "journal (it has no scores.json)"


def test_the_command_says_in_one_line_when_it_scores_a_journal(runs: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    a = copy_run(runs / "one", tmp_path / "one")
    (a / "scores.json").unlink()
    result = in_process(("compare", str(a), str(runs / "two")), tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"{a}: it has no scores.json; scoring its journal instead (one pass)"
    assert "Summary: what changed that matters" in result.stdout


def test_a_valid_scores_json_means_no_journal_row_is_read(runs: Path, tmp_path: Path) -> None:
    a = copy_run(runs / "one", tmp_path / "one")
    with sqlite3.connect(a / "journal.sqlite") as db:  # every row made unreadable; the meta (and seal) kept
        db.execute("UPDATE events SET data = 'not json', t = 'never'")
    db.close()
    with pytest.raises(ValueError):
        list(read_events(a / "journal.sqlite"))
    told: list[str] = []
    assert compare_runs(a, runs / "two", say=told.append).rows == compare_runs(runs / "one", runs / "two").rows
    assert told == []


def test_a_journal_with_a_row_deleted_is_refused_as_report_refuses_it(runs: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Rows deleted, meta and seal kept, scores.json valid: compare counts the rows against the seal, so it refuses
    the run in report's words and exit status, and with --force scores the rows left instead of the old file."""
    a = copy_run(runs / "one", tmp_path / "one")
    with sqlite3.connect(a / "journal.sqlite") as db:
        (sealed_rows,) = db.execute("SELECT count(*) FROM events").fetchone()
        db.execute("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")
    db.close()
    report = one_line(in_process(("report", str(a)), tmp_path, monkeypatch, capsys))
    refused = one_line(in_process(("compare", str(a), str(runs / "two")), tmp_path, monkeypatch, capsys))
    assert refused == report == (f"{a}: the journal was changed after the run ended (it was sealed with "
                                 f"{sealed_rows:,} journal rows and now holds {sealed_rows - 1:,}); add --force to "
                                 "use it anyway (the output is marked unverified)")
    told: list[str] = []
    comparison = compare_runs(a, runs / "two", force=True, say=told.append)
    assert told == [f"{a}: the journal was changed after the run ended (it was sealed with {sealed_rows:,} journal "
                    f"rows and now holds {sealed_rows - 1:,}); scoring its journal instead (one pass)"]
    assert comparison.scored_from["a"].startswith("journal (the journal was changed")


STALE = {
    "another run's": lambda folder, runs: shutil.copy(runs / "two" / "scores.json", folder / "scores.json"),
    "digest edited": lambda folder, runs: _edit_scores(folder, lambda d: d["journal"].update(digest="0" * 64)),
    "older version": lambda folder, runs: _edit_scores(folder, lambda d: d["journal"].update(scored_with="0.0.1")),
    "no source": lambda folder, runs: _edit_scores(folder, lambda d: d.pop("journal")),
    "made with --force": lambda folder, runs: _edit_scores(folder, lambda d: d.update(unverified="x")),
    "not scores": lambda folder, runs: _edit_scores(folder, lambda d: d["scores"].update(totals=[])),
    "a total edited": lambda folder, runs: _edit_scores(folder, lambda d: d["scores"]["totals"].update(late_steps=9)),
    "no digest of its scores": lambda folder, runs: _edit_scores(folder, lambda d: d["journal"].pop("scores_digest")),
}


def _edit_scores(folder: Path, change: object) -> None:
    path = folder / "scores.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("case", list(STALE))
def test_a_stale_scores_json_falls_back_to_the_journal(case: str, runs: Path, tmp_path: Path) -> None:
    a = copy_run(runs / "one", tmp_path / "one")
    STALE[case](a, runs)
    told: list[str] = []
    comparison = compare_runs(a, runs / "two", say=told.append)
    assert comparison.rows == compare_runs(runs / "one", runs / "two").rows  # the truth for A, from its journal
    assert len(told) == 1 and told[0].startswith(f"{a}: ") and "scoring its journal instead" in told[0]
    assert comparison.scored_from["a"].startswith("journal (") and comparison.scored_from["b"] == "scores.json"


def test_a_total_edited_in_scores_json_is_told_and_the_journal_scored(runs: Path, tmp_path: Path) -> None:
    """The newcomer's case: late steps edited in scores.json, journal untouched: compare scored the edit as a draw."""
    a = copy_run(runs / "one", tmp_path / "one")
    _edit_scores(a, lambda d: d["scores"]["totals"].update(late_steps=9))
    told: list[str] = []
    comparison = compare_runs(runs / "one", a, say=told.append)
    assert told == [f"{a}: its scores.json was changed after it was written (its scores no longer match their "
                    "digest); scoring its journal instead (one pass)"]
    assert not [r for r in comparison.rows if r.a != r.b]  # the same run twice: nothing differs


def test_same_inputs_yet_different_results_are_said_and_nothing_is_graded(runs: Path) -> None:
    scores = Scores.model_validate(json.loads((runs / "one" / "scores.json").read_text(encoding="utf-8"))["scores"])
    x, y = (scores.model_copy(update={"totals": scores.totals.model_copy(update={"late_steps": n})})
            for n in (1000, 1001))  # under 10 % apart: graded "≈ small" and B worse before
    comparison = compare(x, y, inputs=[])  # the inputs compared: none differs
    assert comparison.notes[0] == SAME_INPUTS_DIFFER
    assert not [r for r in comparison.rows if r.better or r.small]
    assert compare(x, x, inputs=[]).notes == [] and not compare(x, y).notes  # not told the inputs: nothing said


def test_runs_of_different_scenarios_are_refused(runs: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    line = one_line(in_process(("compare", "one", "night"), runs, monkeypatch, capsys),
                    "one is a run of scenario 'day' and night of 'night'", "two runs of one scenario")
    assert line


def test_runs_that_differ_only_by_seed_say_the_differences_are_chance(
        runs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    comparison = compare_runs(runs / "one", runs / "seed2")
    assert [d.what for d in comparison.inputs] == ["seed"]
    assert comparison.notes[0] == SEED_ONLY
    result = in_process(("compare", "one", "seed2"), runs, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert "differ only by their seed" in result.stdout and "every difference below is chance" in result.stdout
    assert "ballotdrill sweep SCENARIO --variant FILE" in result.stderr
    data = json.loads(in_process(("compare", "one", "seed2", "--json"), runs, monkeypatch, capsys).stdout)
    assert data["notes"][0] == SEED_ONLY and "sweep" in data["notes"][-1]


def test_user_text_is_shown_as_written(runs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    odd = DAY.replace("    title: Day\n", '    title: "Day \\e[2J [bold red]x[/bold red]"\n')
    assert odd != DAY
    (tmp_path / "day.yaml").write_text(DAY, encoding="utf-8")
    (tmp_path / "odd.yaml").write_text(odd, encoding="utf-8")
    for name in ("day", "odd"):
        assert in_process(("run", "day", "-f", f"{name}.yaml", "--out", name), tmp_path, monkeypatch,
                          capsys).returncode == 0
    shown = in_process(("compare", "day", "odd"), tmp_path, monkeypatch, capsys)
    assert shown.returncode == 0, shown.stderr
    assert "[bold red]x[/bold red]" in shown.stdout and "\x1b" not in shown.stdout and "\\x1b[2J" in shown.stdout
    data = json.loads(in_process(("compare", "day", "odd", "--json"), tmp_path, monkeypatch, capsys).stdout)
    assert {"what": "scenarios.day.title", "a": "Day", "b": "Day \x1b[2J [bold red]x[/bold red]"} in data["inputs"]


def test_a_small_difference_is_marked_and_a_clock_time_never_is() -> None:
    assert is_small(100.0, 108.0, "min") and not is_small(100.0, 120.0, "min")
    assert is_small(0.50, 0.54, "share") and not is_small(0.50, 0.60, "share")
    assert not is_small(600.0, 610.0, "clock") and not is_small(5.0, 5.0, "count") and not is_small(None, 5, "count")
    row = ComparisonRow(section="load", item="desk", measure="wait_p90", a=100.0, b=95.0, diff=-5.0, better="b",
                        unit="min", small=True)
    view = comparison_view(Comparison(a="A", b="B", rows=[row]))
    assert view.detail[1][-1] == "≈ small"


@pytest.mark.parametrize("unit", ["share", "min", "clock", "people", "voter-min", ""])
@pytest.mark.parametrize("diff", [0.004, -0.004, 0.3, -0.3, 0.0004, -12.5])
def test_a_difference_never_reads_as_zero_or_with_the_wrong_sign(unit: str, diff: float) -> None:
    from ballotdrill.report.comparison import diff_text

    text = diff_text(unit, diff)
    assert text[0] == ("+" if diff > 0 else "-"), text
    assert any(c in "123456789" for c in text), text


@pytest.mark.parametrize(("a", "b", "shown"), [
    (35.086, 39.585, ("35 min", "40 min", "+5 min")),  # 4.499 apart, shown 35 and 40: +5, never +4
    (39.585, 35.086, ("40 min", "35 min", "-5 min")),
    (35.2, 35.4, ("35 min", "35 min", "+12 s")),  # shown alike: the exact difference, never a zero it is not
    (60.4, 125.6, ("1 h 00 min", "2 h 06 min", "+1 h 06 min")),
    (0.4, 2.6, ("24 s", "3 min", "+2 min")),  # one shown in seconds: the exact difference (2.2 min)
    (1500.0, 1580.0, ("1 d 1 h 00 min", "1 d 2 h 20 min", "+1 h 20 min")),  # a day or more keeps its minutes
    (2536.98, 2500.47, ("1 d 18 h 17 min", "1 d 17 h 40 min", "-37 min")),  # before: 1 d 18 h, 1 d 17 h, -1 h 00 min
])
def test_a_difference_of_rounded_minutes_is_the_difference_of_the_values_shown(
        a: float, b: float, shown: tuple[str, str, str]) -> None:
    row = ComparisonRow(section="arrivals", item="VM", measure="to_contain p90", a=a, b=b, diff=round(b - a, 3),
                        unit="min")
    assert tuple(comparison_view(Comparison(a="A", b="B", rows=[row])).detail[1][3:6]) == shown


@pytest.mark.parametrize(("a", "b", "shown"), [
    (600.2, 600.8, ("10:00", "10:00", "+36 s")),  # seconds dropped alike: the exact difference, never "+1 min"
    (600.8, 602.1, ("10:00", "10:02", "+2 min")),  # 1.3 apart, shown 10:00 and 10:02
])
def test_a_difference_of_clock_times_is_the_difference_of_the_times_shown(
        a: float, b: float, shown: tuple[str, str, str]) -> None:
    row = ComparisonRow(section="incidents", item="N1", measure="started", a=a, b=b, diff=round(b - a, 3),
                        unit="clock")
    assert tuple(comparison_view(Comparison(a="A", b="B", rows=[row])).detail[1][3:6]) == shown


def test_a_difference_of_whole_people_is_the_difference_of_the_values_shown() -> None:
    row = ComparisonRow(section="harm", item="N1", measure="reach", a=1000.4, b=1002.6, diff=2.2, unit="people")
    assert tuple(comparison_view(Comparison(a="A", b="B", rows=[row])).detail[1][3:6]) == (
        "1,000 people", "1,003 people", "+3")


def test_what_the_differences_can_come_from_is_said_before_them(runs: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The note says 'every difference below': it is printed above the summary and the --changed table."""
    result = in_process(("compare", "one", "two", "--changed"), runs, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    [note] = [n for n, line in enumerate(lines) if "every difference below" in line]
    tables = [n for n, line in enumerate(lines) if line.startswith(("Summary:", "Every measure that differs"))]
    assert len(tables) == 2 and note < min(tables), lines
