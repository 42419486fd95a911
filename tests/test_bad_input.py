"""Input a user can get wrong, found by playing scenarios unlike the library's through every command: each is
refused in one line that says where, what and how to fix it (exit 2), or shown escaped — never a traceback, a
hang, or another role's file overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line

ROOT = Path(__file__).resolve().parent.parent

LONE = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        solo: {name: The only desk, staff: 1}
      procedures:
        handle:
          trigger: {type: outage}
          steps:
            - {id: look, actor: solo, duration: 10m, target: 5m}
            - id: decide
              actor: solo
              decision: {options: {stop: {next: end}, again: {next: look}}, default: stop, timeout: 1m}
    scenarios:
      lone:
        title: One desk
        start: "08:00"
        end: "09:00"
        injects:
          - {at: "08:05", incident: {id: L1, type: outage}}
          - id: M1
            at: "08:10"
            message: {to: solo, text: "ring \\x07 then \\x1b[2J clear"}
            questions: ["who \\x1b]52;c;aGk=\\x07 copies?"]
    """
)

RAW_CONTROL = ("\x1b", "\x07")


def bd(args: list[str], cwd: Path, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``ballotdrill ARGS`` in a fresh interpreter, as a user types it."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ballotdrill", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=cwd, env=env)


# -- live: what a facilitator's terminal shows -------------------------------------------------------------------

def test_live_plain_lines_show_control_characters_escaped(tmp_path: Path) -> None:
    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    commands = "note \x1b[31mred\x07 alarm\ninject {message: {to: solo, text: \"\\e]0;owned\\a\"}}\nend\n"
    # paused from the start, so the exercise cannot end before the commands are read, however busy the machine
    result = bd(["live", "--file", "lone.yaml", "--play", "solo", "--start-paused", "--speed", "100000",
                 "--out", "run"], tmp_path, stdin=commands)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for char in RAW_CONTROL:
        assert char not in result.stdout and char not in result.stderr
    assert "\\x1b[31mred\\x07 alarm" in result.stdout  # the note, as typed, shown escaped
    assert "\\x1b]0;owned\\x07" in result.stdout  # the ad-hoc message


def test_the_dashboard_shows_control_characters_escaped() -> None:
    import io
    from collections import deque

    from live_helpers import example

    from ballotdrill.live import inputs
    from ballotdrill.live.console import dashboard_console, render
    from ballotdrill.live.core import LiveCore
    from ballotdrill.live.session import Session
    from ballotdrill.live.store import MemoryStore

    core = LiveCore(example(), "wave", seed=1, played=("interior",), store=MemoryStore())
    core.advance(20.0)
    assert core.apply(inputs.adhoc_inject('{message: {to: interior, text: "bell \\a and \\e[2J"}}')).ok
    assert core.apply(inputs.note("\x1b]52;c;aGk=\x07 [bold]x[/bold]", by="facilitator")).ok
    out = io.StringIO()
    dashboard_console(out).print(render(core, Session(core), deque(["error: no inject '\x1b[1m'"])))
    text = out.getvalue()
    for char in RAW_CONTROL:
        assert char not in text
    assert "bell \\x07 and \\x1b[2J" in text and "\\x1b]52;c;aGk=\\x07 [bold]x[/bold]" in text
    assert "no inject '\\x1b[1m'" in text


def test_every_role_gets_its_own_token_file_whatever_the_actors_are_called(tmp_path: Path) -> None:
    import json

    from ballotdrill.live.tokens import Tokens

    played = ("facilitator", "Evaluator", "Desk", "desk", "desk-2")  # a role's name; names equal but for case
    tokens = Tokens.issue(played)
    tokens.write(tmp_path, "http://127.0.0.1:8765/")
    roles = json.loads((tmp_path / "tokens.json").read_text(encoding="utf-8"))["roles"]
    files = [Path(r["token_file"]) for r in roles]
    assert len({str(f).casefold() for f in files}) == len(roles) == len(played) + 2
    for role, file in zip(roles, files, strict=True):
        assert file.read_text(encoding="utf-8").strip() == role["token"], (role["actor"], role["role"], file)
    by_role = {(r["role"], r["actor"]): Path(r["token_file"]).name for r in roles}
    assert by_role[("facilitator", None)] == "facilitator.token"
    assert by_role[("evaluator", None)] == "evaluator.token"
    assert by_role[("player", "desk-2")] == "desk-2.token"


# -- sweeps too large to finish ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (["--runs", "1000000000000"], "--runs must be at most 100,000 (got 1,000,000,000,000)"),
    (["--runs", "2", "--grid", "structure.actors.solo.staff=" + ",".join(map(str, range(1, 41))),
      "--grid", "scenarios.lone.background_factor=" + ",".join(str(i / 10) for i in range(1, 41))],
     "--grid: 40 x 40 values make 1,600 points, more than 1,000"),
    (["--runs", "100000", "--grid", "structure.actors.solo.staff=1,2,3,4,5,6,7,8,9,10,11"],
     "--runs 100,000 at each of 11 points make 1,100,000 replications, more than 1,000,000"),
])
def test_a_sweep_too_large_to_finish_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str], args: list[str],
                                                        expected: str) -> None:
    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    result = in_process(("sweep", "lone", "--file", "lone.yaml", "--workers", "1", "--out", "sw", *args),
                        tmp_path, monkeypatch, capsys)
    one_line(result, expected)
    assert not (tmp_path / "sw").exists()


# -- run folders whose journal is not one this version can read -----------------------------------------------------

def _spoil(folder: Path, how: str) -> None:
    import shutil
    import sqlite3

    journal = folder / "journal.sqlite"
    if how == "another-programs-database":
        journal.unlink()
        with sqlite3.connect(journal) as db:
            db.execute("CREATE TABLE contacts (name TEXT)")
    elif how == "newer-format":
        with sqlite3.connect(journal) as db:
            db.execute("UPDATE meta SET value = '7' WHERE key = 'format'")
    elif how == "truncated":
        data = journal.read_bytes()
        journal.write_bytes(data[: len(data) // 2])
    elif how == "stored-scenario-not-json":
        with sqlite3.connect(journal) as db:
            db.execute("UPDATE meta SET value = '{not json' WHERE key = 'document'")
    else:
        shutil.rmtree(folder)
        raise AssertionError(how)


SPOILT = {
    "another-programs-database": ("r/journal.sqlite: an SQLite database, but not a ballotdrill journal "
                                  "(its tables: 'contacts'; a journal has 'events' and 'meta')"),
    "newer-format": ("r: its journal is in format '7', which this version of ballotdrill does not read "
                     "(it reads format 1); use the version of ballotdrill that wrote it"),
    "truncated": ("r: cannot read the run: its journal.sqlite is damaged or not an SQLite database",
                  "restore it from a copy, or run the scenario again"),
    "stored-scenario-not-json": ("r: the journal's stored scenario file ('document' in its meta) is not valid JSON",),
}


@pytest.mark.parametrize("how", list(SPOILT))
@pytest.mark.parametrize("command", [["report", "r"], ["export", "r", "--jsonl", "x.jsonl", "--force"],
                                     ["decisions", "r"], ["replay", "r"], ["resume", "r"]])
def test_a_journal_this_version_cannot_read_is_named_for_what_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str], how: str,
                                                                    command: list[str]) -> None:
    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    assert in_process(("run", "--file", "lone.yaml", "--out", "r"), tmp_path, monkeypatch, capsys).returncode == 0
    _spoil(tmp_path / "r", how)
    expected = SPOILT[how]
    if how == "stored-scenario-not-json" and command[0] == "report":
        expected = ("r: the journal was changed after the run ended",)  # its seal says so first
    result = in_process(tuple(command), tmp_path, monkeypatch, capsys)
    if how == "stored-scenario-not-json" and "--force" in command:  # the meta no longer matches its seal: with
        warning, *rest = result.stderr.splitlines()                  # --force that is said first, as a warning
        assert warning.startswith("warning: r: the journal was changed after the run ended"), result.stderr
        result = subprocess.CompletedProcess(result.args, result.returncode, result.stdout, "\n".join(rest))
    one_line(result, *((expected,) if isinstance(expected, str) else expected))
    assert not (tmp_path / "x.jsonl").exists()


# -- scenario files --------------------------------------------------------------------------------------------------

def test_a_name_with_a_letter_outside_ascii_says_which_letters_a_name_may_hold(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.yaml").write_text(LONE.replace("solo: {", "Ålesund: {"), encoding="utf-8")
    result = in_process(("validate", "s.yaml"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == ("s.yaml:4:5: 'Ålesund' must be a name of ASCII letters, digits, '-' and "
                                             "'_', starting with a letter or digit (got 'Ålesund')")


def test_a_file_of_a_newer_format_says_it_needs_a_newer_ballotdrill(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.yaml").write_text(LONE.replace("version: 1", "version: 2"), encoding="utf-8")
    one_line(in_process(("run", "--file", "s.yaml", "--out", "r"), tmp_path, monkeypatch, capsys),
             "s.yaml:1:10: 'version' must be 1, the only scenario format this version of ballotdrill reads (got 2); "
             "a file written for a newer format needs a newer ballotdrill")
    assert not (tmp_path / "r").exists()


def test_a_sweep_never_writes_through_a_link_left_in_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    (tmp_path / "sw").mkdir()
    (tmp_path / "sw" / "sweep.html").symlink_to(tmp_path / "elsewhere.html")  # dangling: exists() is False
    result = in_process(("sweep", "lone", "--file", "lone.yaml", "--runs", "2", "--workers", "1", "--out", "sw"),
                        tmp_path, monkeypatch, capsys)
    one_line(result, "sw already holds a sweep (sweep.html); choose a new --out folder")
    assert not (tmp_path / "elsewhere.html").exists()


def test_risks_of_your_own_scenario_file_without_your_own_register_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    one_line(in_process(("risks", "--file", "lone.yaml"), tmp_path, monkeypatch, capsys),
             "the built-in risk register names actors and incident types of the built-in library that this "
             "scenario file does not have", "give a register of your own with --register FILE")


# -- join ------------------------------------------------------------------------------------------------------------

def test_join_an_exercise_nobody_serves_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "t.token").write_text("not-a-real-token\n", encoding="utf-8")
    url = f"http://127.0.0.1:{port}/"
    one_line(in_process(("join", url, "--token-file", "t.token"), tmp_path, monkeypatch, capsys),
             f"{url}: cannot reach the exercise (", "check the join link, and that the exercise is being served")


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "t.token: the token file is empty; use a file from the exercise's 'tokens/' folder"),
    (b"\n\n  \n", "t.token: the token file is empty"),
    (b"\x87\x8c\xd3", "t.token: cannot read a token from it ("),
])
def test_a_token_file_that_holds_no_token_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], content: bytes,
                                                      expected: str) -> None:
    (tmp_path / "t.token").write_bytes(content)
    one_line(in_process(("join", "http://127.0.0.1:9/", "--token-file", "t.token"), tmp_path, monkeypatch, capsys),
             expected)


# -- outputs that must stay true for odd scenarios ----------------------------------------------------------------

QUIET = LONE.replace('      - {at: "08:05", incident: {id: L1, type: outage}}\n', "") + (
    "    objectives:\n      - {id: O1, capability: X, measure: {on_time: handle}, target: 1}\n")
"""The one desk's day with no incident: a message is all that happens."""


def test_an_exercise_where_nothing_happens_rates_nothing_and_finds_no_handoff(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    (tmp_path / "q.yaml").write_text(QUIET, encoding="utf-8")
    result = in_process(("run", "--file", "q.yaml", "--json", "--out", "r"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {k: o["rating"] for k, o in summary["objectives"].items()} == {"O1": "NE"}
    assert summary["totals"]["incidents"] == summary["totals"]["handoffs"] == summary["totals"]["ping_pongs"] == 0
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "0 incident(s), 0 handoff(s)" in report and "**P** 0, **S** 0, **M** 0, **U** 0, **NE** 1" in report
    assert "ping-pong" not in report.split("## 4. Handoff chains")[1].split("##")[0].replace("0 ping-pong(s)", "")


def test_the_key_findings_of_an_exercise_where_nothing_happens_say_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "q.yaml").write_text(QUIET, encoding="utf-8")
    assert in_process(("run", "--file", "q.yaml", "--out", "r"), tmp_path, monkeypatch, capsys).returncode == 0
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    findings = report.split("## Key findings")[1].split("## 1.")[0]
    assert "no incident" in findings.lower() or "nothing was exercised" in findings.lower(), findings


def test_one_actor_that_loops_back_to_itself_hands_nothing_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    import json

    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    (tmp_path / "again.json").write_text('{"L1:handle:decide:1": "again"}', encoding="utf-8")
    result = in_process(("run", "--file", "lone.yaml", "--decisions", "again.json", "--json", "--out", "r"),
                        tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    totals = json.loads(result.stdout)["totals"]
    assert totals["decisions"] >= 2 and totals["steps_completed"] >= 3  # the loop was taken: 'look' ran again
    assert totals["handoffs"] == totals["ping_pongs"] == totals["handoff_failures"] == 0
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "bounced back" not in report and "Work bounced" not in report


def test_serving_on_a_port_in_use_is_refused_before_a_run_folder_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        listen = f"127.0.0.1:{busy.getsockname()[1]}"
        result = in_process(("live", "--file", "lone.yaml", "--play", "solo", "--serve", listen, "--out", "r"),
                            tmp_path, monkeypatch, capsys)
    one_line(result, f"--serve {listen}: cannot listen there (")
    assert not (tmp_path / "r").exists()
