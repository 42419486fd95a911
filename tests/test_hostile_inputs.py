"""Hostile and degenerate input: refused in one located line (exit 2), never a traceback, a hang or a smuggled
formula, escape sequence or Markdown image."""

from __future__ import annotations

import csv
import json
import re
import textwrap
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line

from ballotdrill.application import read_decisions
from ballotdrill.exercise import RunError, run_exercise
from ballotdrill.exercise.incidents import IncidentPlan, IncidentState
from ballotdrill.journal import Journal, Kind, MemorySink
from ballotdrill.journal.store import RunawayError
from ballotdrill.scenarios import BallotdrillError, ScenarioError, check_file, load_text
from ballotdrill.scenarios.safetext import csv_cell, markdown_text, terminal_text

MINI = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        desk: {staff: 1}
        boss: {staff: 1}
      procedures:
        fix:
          trigger: {type: outage}
          steps:
            - {id: triage, actor: desk, duration: 10m}
            - id: choose
              actor: boss
              decision: {options: {mend: {next: mend}, wait: {next: end}}, default: mend}
            - {id: mend, actor: desk, duration: 5m}
        loop:
          trigger: {type: rumour}
          steps:
            - {id: look, actor: desk, duration: 5m}
            - id: again
              actor: desk
              decision: {options: {more: {next: look}, stop: {next: end}}, default: stop}
    scenarios:
      mini:
        title: Mini
        start: "08:00"
        end: "12:00"
        injects:
          - {at: "09:00", incident: {id: X1, type: outage}}
          - {at: "09:30", incident: {id: R1, type: rumour}}
          - {every: 30m, from: "10:00", to: "11:00", limit: 3, incident: {id: BG, type: outage}}
    """
)


def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            *args: str, text: str = MINI) -> tuple[int, str, str]:
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    result = in_process(args, tmp_path, monkeypatch, capsys)
    return result.returncode, result.stdout, result.stderr


def refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            *args: str, text: str = MINI) -> str:
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    return one_line(in_process(args, tmp_path, monkeypatch, capsys))


def problem_of(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "s.yaml")
    assert len(caught.value.problems) == 1, caught.value.problems
    return str(caught.value.problems[0])


# -- scalars, overflow, absurd numbers -------------------------------------------------------------

@pytest.mark.parametrize("scalar", ["0x_", "0o_", "0x__", "0o"])
def test_a_base_prefix_without_digits_is_text_not_a_crash(scalar: str) -> None:
    line = problem_of(MINI.replace("desk: {staff: 1}", f"desk: {{staff: {scalar}}}"))
    assert f"'staff' must be a whole number (got '{scalar}')" in line
    assert line.startswith("s.yaml:4:")


def test_a_base_prefix_without_digits_in_set_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--set", "structure.actors.desk.staff=0x_")
    assert line.startswith("--set structure.actors.desk.staff=0x_:"), line
    assert "whole number" in line


def test_a_wave_uncontained_for_thousands_of_doublings_stays_at_its_cap() -> None:
    doc = load_text(MINI.replace("{id: R1, type: rumour}",  # a wave no procedure handles: never contained
                                 "{id: R1, type: wave, reach: {initial: 1, doubling: 1s, cap: 1000000}}"), "s.yaml")
    spec = doc.scenarios["mini"].injects[1].incident
    assert spec is not None
    state = IncidentState("R1", IncidentPlan(spec, "I2"), 0.0)
    assert state.reach(240.0) == 1_000_000  # 14,400 doublings: 2**14400 overflows a float
    assert state.reach(10**9) == 1_000_000
    result = run_exercise(doc, "mini", seed=1)
    ended = [e for e in result.events if e.kind == "run_ended"]
    assert ended and ended[0].data["harm"]["R1"]["reach"] == 1_000_000


def test_an_absurd_lognormal_p90_is_refused_where_it_is_written() -> None:
    line = problem_of(MINI.replace("duration: 10m}", "duration: {dist: lognormal, median: 1s, p90: 9999d}}"))
    assert line.startswith("s.yaml:10:")
    assert "is more than 1000 times 'median'" in line


# -- degenerate models ------------------------------------------------------------------------------

def test_arrivals_with_no_gap_and_no_limit_are_refused() -> None:
    line = problem_of(MINI.replace("{every: 30m, from: \"10:00\", to: \"11:00\", limit: 3,",
                                   "{every: 0m, from: \"10:00\", to: \"11:00\","))
    assert line.startswith("s.yaml:30:9:")
    assert "'every' has a mean gap of 0m between arrivals" in line and "give a 'limit'" in line
    vanishing = "{dist: empirical, values: [0m, 1h], weights: [1, 0.0000001]}"
    line = problem_of(MINI.replace("{every: 30m, from: \"10:00\", to: \"11:00\", limit: 3,",
                                   f"{{every: {vanishing}, from: \"10:00\", to: \"11:00\","))
    assert "'weights'" in line or "vanishing share" in line
    # a limit bounds them: allowed
    load_text(MINI.replace("every: 30m", "every: 0m"), "s.yaml")


def test_an_empirical_weight_that_vanishes_is_refused() -> None:
    line = problem_of(MINI.replace("duration: 10m}", "duration: {dist: empirical, values: [0m, 1h], "
                                                     "weights: [1, 0.000000000000000000000000000001]}}"))
    assert "weight 1e-30 is a vanishing share of the total" in line
    assert line.startswith("s.yaml:10:")


def test_a_loop_through_a_step_of_a_zeptosecond_is_refused() -> None:
    text = MINI.replace("{id: look, actor: desk, duration: 5m}",
                        "{id: look, actor: desk, duration: 0.000000000000000000001s}").replace(
                            "default: stop", "default: more")
    line = problem_of(text)
    assert "loops through steps that take no time (look -> again -> look" in line
    assert "under the 1s floor" in line
    load_text(text.replace("0.000000000000000000001s", "2s"), "s.yaml")  # above the floor: fine


# -- decisions files ----------------------------------------------------------------------------------

def test_a_decisions_file_that_never_ends_is_refused_after_a_mebibyte(tmp_path: Path) -> None:
    with pytest.raises(BallotdrillError, match="/dev/zero: the decisions file is over 1024 KiB"):
        read_decisions(Path("/dev/zero"))
    big = tmp_path / "big.json"
    big.write_text('{"a": "' + "x" * (2 * 1024 * 1024) + '"}', encoding="utf-8")
    with pytest.raises(BallotdrillError, match="over 1024 KiB"):
        read_decisions(big)


def test_a_decisions_file_with_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"X1:fix:choose:1": "mend", "X1:fix:choose:1": "wait"}', encoding="utf-8")
    with pytest.raises(BallotdrillError, match="duplicate key 'X1:fix:choose:1'; keep only one"):
        read_decisions(path)
    path.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(BallotdrillError, match=r"d\.json: cannot read the decisions file"):
        read_decisions(path)
    path.write_bytes(b'{"X1:fix:choose:1": "\xff"}')
    with pytest.raises(BallotdrillError, match="not UTF-8"):
        read_decisions(path)


@pytest.mark.parametrize(("key", "expected"), [
    ("N9:fix:choose:1", "names incident 'N9', which this scenario never starts (its incidents: X1, R1, BG-1)"),
    ("X9:fix:choose:1", "names incident 'X9', which this scenario never starts (did you mean 'X1'?)"),  # one X series
    ("ZZZ:fix:choose:1", "names incident 'ZZZ', which this scenario never starts (its incidents: X1, R1, BG-1)"),
    ("x1:fix:choose:1", "(did you mean 'X1'?)"),
    ("BG-4:fix:choose:1", "names incident 'BG-4'"),  # the arrivals stop at their limit (3)
    ("BG-0:fix:choose:1", "names incident 'BG-0'"),
    ("X1:fix:choose:0", "with n >= 1"),
    ("X1:fix:choose:01", "no leading zero"),  # a run asks 'X1:fix:choose:1': this key would never answer it
    ("X1:fix:choose:\u00b2", "with n >= 1"),  # a digit to str.isdigit, not to int()
    ("X1:fix:choose:1000000000", "at most 9 digits"),  # no run asks a step a billion times
    ("X1:fix:choose:99", "step 'choose' asks at most once per incident"),
    ("R1:fix:choose:1", "procedure 'fix' never runs for incident 'R1' (type rumour, severity 2)"),
    ("X1:fxi:choose:1", "(did you mean 'fix'?)"),
    ("X1:fix:chose:1", "(did you mean 'choose'?)"),
])
def test_a_decision_key_that_cannot_occur_is_refused_before_the_run(key: str, expected: str) -> None:
    doc = load_text(MINI, "s.yaml")
    option = "more" if ":loop:" in key else "mend"
    with pytest.raises(RunError, match="decision key") as caught:
        run_exercise(doc, "mini", seed=1, decisions={key: option})
    assert expected in str(caught.value)


def test_decision_keys_that_can_occur_are_replayed() -> None:
    doc = load_text(MINI, "s.yaml")
    record = {"X1:fix:choose:1": "wait", "BG-1:fix:choose:1": "wait", "R1:loop:again:1": "more",
              "R1:loop:again:7": "stop"}  # the loop can ask again, so any later occurrence may come
    events = run_exercise(doc, "mini", seed=1, decisions=record).events
    made = {e.data["request"]: e.data["by"] for e in events if e.kind == "decision_made"}
    assert made["X1:fix:choose:1"] == "recorded" and made["BG-1:fix:choose:1"] == "recorded"
    assert made["R1:loop:again:1"] == "recorded"


def test_a_bad_decisions_file_is_one_line_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--decisions", "/dev/zero", "--out", "r")
    assert line.endswith("it holds one line per recorded decision")
    (tmp_path / "d.json").write_text('{"x1:fix:choose:1": "mend"}', encoding="utf-8")
    line = refused(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--decisions", "d.json", "--out", "r")
    assert "d.json: decision key 'x1:fix:choose:1' names incident 'x1', which this scenario never starts " \
           "(did you mean 'X1'?)" in line  # the file named, as for its other problems
    (tmp_path / "d.json").write_text('{"X1:fix:choose:1": "mned"}', encoding="utf-8")
    line = refused(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--decisions", "d.json", "--out", "r")
    assert "d.json: decision 'X1:fix:choose:1': 'mned' is not an option of step 'choose'" in line
    assert not (tmp_path / "r").exists()


def test_a_huge_bad_decision_is_echoed_cut_and_many_are_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A bad key, option or part of a key is echoed to 80 characters at most, as a scenario's bad value is cut, and
    a file of many bad keys names the first five and counts the rest: one line a terminal can show."""
    huge = "Q" * 100_000  # six of them within the 1 MiB a decisions file may hold
    bad = {"X1:fix:choose:1": huge, f"{huge}:fix:choose:1": "mend", f"X1:{huge}:choose:1": "mend",
           f"X1:fix:{huge}:1": "mend", f"X1:fix:choose:{'9' * 100_000}": "mend", huge: "mend",
           **{f"N{k}:fix:choose:1": "mend" for k in range(20, 30)}}
    (tmp_path / "d.json").write_text(json.dumps(bad), encoding="utf-8")
    line = refused(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--decisions", "d.json", "--out", "r")
    assert len(line) < 2_000
    assert "d.json: decision 'X1:fix:choose:1': '" + "Q" * 77 + "...' is not an option of step 'choose'" in line
    assert "names incident '" + "Q" * 77 + "...', which this scenario never starts" in line
    assert "names procedure '" + "Q" * 77 + "...', which is not defined" in line
    assert "has no decision step '" + "Q" * 77 + "...'" in line
    assert "; and 11 more problem(s) like these" in line
    assert not (tmp_path / "r").exists()
    with pytest.raises(RunError) as caught:  # the run's own check, where the file is not known, alike
        run_exercise(load_text(MINI, "s.yaml"), "mini", seed=1, decisions=bad)
    assert len(str(caught.value)) < 2_000 and str(caught.value).endswith("; and 11 more problem(s) like these")


# -- dead configuration: warnings -----------------------------------------------------------------------

DEAD = MINI.replace("trigger: {type: outage}", "trigger: {type: outrage}").replace(
    "desk: {staff: 1}", "desk: {staff: 1, actions: [shout]}")


def test_dead_configuration_is_a_located_warning_with_exit_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(tmp_path, monkeypatch, capsys, "validate", "s.yaml", text=DEAD)
    assert out == ""
    assert code == 0, err
    lines = err.splitlines()
    assert lines[0] == "ok s.yaml (1 scenario, 2 warnings)"
    assert lines[1] == ("s.yaml:4:32: warning: actor 'desk' lists action 'shout', which no procedure's trigger "
                        "names, so taking it starts nothing")
    assert lines[2] == ("s.yaml:8:23: warning: procedure 'fix' is triggered by type 'outrage', which no incident "
                        "in this file has (did you mean 'outage'?)")
    code, _, err = run_cli(tmp_path, monkeypatch, capsys, "validate", "--strict", "s.yaml", text=DEAD)
    assert code == 2
    assert "ok " not in err and err.count("warning:") == 2


def test_run_prints_the_warnings_that_change_a_batch_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--out", "r", text=DEAD)
    assert code == 0, err
    assert "s.yaml:8:23: warning: procedure 'fix' is triggered by type 'outrage'" in err
    assert "shout" not in err  # only a live player could take it: not this run's concern


def test_a_procedure_that_nothing_can_start_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(MINI.replace("trigger: {type: outage}", "trigger: {type: outage, min_severity: 4}"),
                    encoding="utf-8")
    assert [w.message for w in check_file(path).warnings] == [
        "warning: procedure 'fix' never starts: no incident of type outage has severity 4 or more (highest: 2)"]
    path.write_text(MINI, encoding="utf-8")
    assert check_file(path).warnings == []


# -- the loader's locations ---------------------------------------------------------------------------

def test_a_flow_mapping_left_open_points_at_its_brace() -> None:
    line = problem_of(MINI.replace("{id: triage, actor: desk, duration: 10m}", "{id: triage, actor: desk"))
    assert line.startswith("s.yaml:10:11: this '{' is never closed (did not find expected ',' or '}' at line 11)")


def test_overlapping_shifts_point_at_the_shift() -> None:
    text = MINI.replace("desk: {staff: 1}", "desk:\n      staff: 1\n      shifts:\n"
                        "        - {from: \"06:00\", to: \"14:00\", staff: 2}\n"
                        "        - {from: \"12:00\", to: \"20:00\", staff: 2}")
    line = problem_of(text)
    assert line.startswith("s.yaml:8:11: shifts 1 (06:00-14:00) and 2 (12:00-20:00) overlap"), line


def test_a_colon_in_plain_text_gets_a_hint_to_quote_it() -> None:
    line = problem_of(MINI.replace("title: Mini", "title: Note: polls close"))
    assert "mapping values are not allowed" in line and "put quotes around text that holds ': '" in line


@pytest.mark.parametrize(("old", "new", "key"), [
    ("{id: triage, actor: desk, duration: 10m}", "{id: triage, actor: desk duration: 10m}", "duration"),
    ('{at: "09:00", incident: {id: X1', '{at: "09:00" incident: {id: X1', "incident"),
])
def test_a_missing_comma_in_braces_names_the_entry_after_it(old: str, new: str, key: str) -> None:
    text = MINI.replace(old, new)
    row = next(n for n, line in enumerate(text.splitlines(), 1) if new in line)
    column = text.splitlines()[row - 1].index(f"{key}:") + 1
    assert problem_of(text) == (f"s.yaml:{row}:{column}: a ',' is missing before '{key}': separate the entries of "
                                "{...} with commas (did not find expected ',' or '}')")


def test_a_list_item_indented_one_space_less_than_the_rest_is_the_line_blamed() -> None:
    """The first of three items one space left: the parser trips on the second, but the first is the odd one."""
    text = MINI.replace('      - {at: "09:00"', '     - {at: "09:00"')
    assert problem_of(text) == ("s.yaml:28:6: this list item is indented 5 spaces and the item at line 29 6: indent "
                                "the items of one list alike")


@pytest.mark.parametrize("spaces", [5, 7])
def test_a_list_item_indented_apart_from_the_one_before_is_named_with_it(spaces: int) -> None:
    text = MINI.replace('      - {at: "09:30"', " " * spaces + '- {at: "09:30"')
    assert problem_of(text) == (f"s.yaml:29:{spaces + 1}: this list item is indented {spaces} spaces and the item at "
                                "line 28 6: indent the items of one list alike")


# -- output hygiene ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_a_would_be_formula_is_neutralised(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell
    assert csv_cell("plain = fine") == "plain = fine"


def test_terminal_and_markdown_text_are_inert() -> None:
    hostile = "ok\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b1A\u202eevil"
    shown = terminal_text(hostile)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in shown)
    assert shown == "ok\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b1A\\u202eevil"
    assert terminal_text("a\nb", newlines=True) == "a\nb" and terminal_text("a\nb") == "a\\x0ab"
    md = markdown_text("![x](http://evil/x.png) [click](javascript:alert(1)) <img src=x> `code` a|b\nc")
    assert "![x](" not in md and "[click](" not in md and "<img" not in md
    assert md == ("!\\[x\\](http://evil/x.png) \\[click\\](javascript:alert(1)) &lt;img src=x&gt; \\`code\\` "
                  "a\\|b c")
    # emphasis cannot restyle the report either: each marker is shown as written
    assert markdown_text("**bold** _it_ __x__ *y*") == "\\*\\*bold\\*\\* \\_it\\_ \\_\\_x\\_\\_ \\*y\\*"


HOSTILE = MINI.replace("title: Mini", "title: \"Mini \\e[2J\\e]0;owned\\a ![i](http://evil/i.png)\"").replace(
    "{id: X1, type: outage}",
    "{id: X1, type: outage, title: \"=HYPERLINK(\\\"http://evil\\\")\"}, expected: \"@SUM(1)\", "
    "notes: \"\\e[1A\\e[2Kok\"")


def test_show_csv_and_terminal_carry_no_formula_and_no_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(tmp_path, monkeypatch, capsys, "show", "-f", "s.yaml", "--csv", "m.csv", text=HOSTILE)
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b[2J" in out
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'@SUM(1)" in cells and "\\x1b[1A\\x1b[2Kok" in cells  # the notes' escapes shown, as in a report
    raw = (tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    assert not [c for c in raw if (ord(c) < 32 and c not in "\r\n") or 0x7F <= ord(c) <= 0x9F], "a raw control"
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    for command in (("list", "-f", "s.yaml"), ("list", "-f", "s.yaml", "--json"), ("show", "-f", "s.yaml", "--json")):
        code, out, err = run_cli(tmp_path, monkeypatch, capsys, *command, text=HOSTILE)
        assert code == 0 and "\x1b" not in out + err and "\x07" not in out + err, command
    json.loads(out)


def test_an_unknown_key_echoed_by_validate_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    text = MINI.replace("title: Mini", "title: Mini\n    \"\\e[1A\\e[2Kok s.yaml\": 1")
    line = refused(tmp_path, monkeypatch, capsys, "validate", "s.yaml", text=text)
    assert "\x1b" not in line and "unknown key '\\x1b[1A\\x1b[2Kok s.yaml'" in line


def test_run_report_and_export_carry_no_escape_formula_or_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--out", "r", text=HOSTILE)
    assert code == 0, err
    assert "\x1b" not in err
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "\x1b" not in report and "\\[i\\](http://evil/i.png)" in report
    assert not re.search(r"(?<!\\)\]\(", report), "a Markdown link or image formed"
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "\x1b" not in page and "\x07" not in page, "a raw control character in the HTML report"
    assert "Mini \\x1b[2J\\x1b]0;owned\\x07" in page
    code, _, err = run_cli(tmp_path, monkeypatch, capsys, "export", "r", "--csv", "j.csv", text=HOSTILE)
    assert code == 0, err
    with open(tmp_path / "j.csv", encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


# -- the second line of defence: a run that stops advancing ------------------------------------------------

def test_a_journal_refuses_to_grow_past_its_budget_or_to_stall() -> None:
    journal = Journal(MemorySink(), batch=10, budget=25)
    for n in range(20):
        journal.record(float(n), Kind.DETECTED, "X1")
    with pytest.raises(RunawayError, match="passed 25 rows"):
        for n in range(20, 40):
            journal.record(float(n), Kind.DETECTED, "X1")
    stalled = Journal(MemorySink(), batch=1000)
    with pytest.raises(RunawayError, match="simulated time stayed at minute 5 for 200,000 journal rows"):
        for _ in range(300_000):
            stalled.record(5.0, Kind.DETECTED, "X1")
    assert stalled.written == 200_000  # what was journalled is kept


def test_arrivals_that_validation_lets_through_stop_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text = MINI.replace("{every: 30m, from: \"10:00\", to: \"11:00\", limit: 3,",
                        "{every: 0m, from: \"10:00\", to: \"11:00\", limit: 1000000000,")
    line = refused(tmp_path, monkeypatch, capsys, "run", "-f", "s.yaml", "--out", "r", text=text)
    assert "the run stopped: simulated time stayed at minute 120" in line
