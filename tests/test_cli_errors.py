"""Every input a user can get wrong exits 2 with ONE line on stderr saying what, and never a traceback.

Every case goes through ``cli.main()`` in this process (fast: the error paths need no fresh interpreter), and a
representative few also run ``ballotdrill`` in a fresh interpreter, as a user would, side by side.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest
from cli_helpers import in_process
from format_helpers import one_desk
from typer.testing import CliRunner

from ballotdrill import cli

ROOT = Path(__file__).resolve().parent.parent

MINI = one_desk("mini", "Mini", ['{at: "09:00", incident: {id: X1, type: outage}}'])


class Case(NamedTuple):
    args: tuple[str, ...]
    expected: tuple[str, ...]
    """Texts the one line must hold."""


NOT_OVER_NOTES = ("notes.txt already exists; ballotdrill does not overwrite it: choose another name, or remove "
                  "the file first")
"""A file of the user's outside a run folder, refused in its own words (not a run folder's)."""

CASES: dict[str, Case] = {
    # the command line itself
    "seed-not-a-number": Case(("run", "--seed", "abc"),
                              ("ballotdrill run:", "'--seed'", "see 'ballotdrill run --help'")),
    "misspelt-option": Case(("run", "--sed", "3"), ("No such option: --sed", "--seed")),
    "replay-missing": Case(("replay", "missing"), ("missing: no such folder; give the folder of a live exercise (the "
                                                   "--out of 'ballotdrill live')",)),
    "seed-without-its-value": Case(("run", "--seed"), ("ballotdrill run: Option '--seed' requires an argument",
                                                       "see 'ballotdrill run --help'")),
    "export-file-without-its-name": Case(("export", "good", "--csv"), ("ballotdrill export: Option '--csv' requires",
                                                                      "see 'ballotdrill export --help'")),
    "unknown-command": Case(("frobnicate",), ("No such command 'frobnicate'",)),
    "missing-argument": Case(("validate",), ("ballotdrill validate:", "Missing argument")),
    # run
    "unknown-scenario": Case(("run", "combined-hybrid-dya"),
                             ("no scenario 'combined-hybrid-dya'", "did you mean 'combined-hybrid-day'?")),
    "unknown-scenario-in-file": Case(("run", "mnii", "--file", "mini.yaml"), ("'mnii'", "did you mean 'mini'?")),
    "until-not-a-time": Case(("run", "--file", "mini.yaml", "--until", "25:99"), ("--until", "'25:99'")),
    "until-garbage": Case(("run", "--file", "mini.yaml", "--until", "noon"), ("--until", "'noon'")),
    "until-before-start": Case(("run", "--file", "mini.yaml", "--until", "07:00", "--out", "never-1"),
                               ("--until (07:00) must lie after the scenario's start (08:00)",)),
    "until-after-end": Case(("run", "--file", "mini.yaml", "--until", "D+1 09:00", "--out", "never-2"),
                            ("--until (D+1 09:00)", "no later than its end (12:00)")),
    "decisions-missing": Case(("run", "--file", "mini.yaml", "--decisions", "nope.json", "--out", "never-3"),
                              ("nope.json: cannot read the decisions file",)),
    "decisions-not-json": Case(("run", "--file", "mini.yaml", "--decisions", "broken.json"),
                               ("broken.json:1:2: not valid JSON",)),
    "decisions-not-a-mapping": Case(("run", "--file", "mini.yaml", "--decisions", "list.json"),
                                    ("list.json: a decisions file is a JSON object of request key to option",
                                     "(this one holds a JSON array)")),
    "decisions-option-not-a-string": Case(("run", "--file", "mini.yaml", "--decisions", "number.json"),
                                          ("number.json: key 'N1:respond:choose:1' maps to a JSON number; each "
                                           "request key maps to an option's name as a string",)),
    "file-missing": Case(("run", "--file", "missing.yaml"), ("missing.yaml", "cannot read")),
    "file-bad": Case(("run", "--file", "bad.yaml"),
                     ("bad.yaml:9:", "names actor 'dsek'", "did you mean 'desk'?")),
    "out-is-a-file": Case(("run", "--file", "mini.yaml", "--out", "a-file"),
                          ("a-file is a file, not a folder", "give a new or empty folder for --out")),
    # report / compare / export on folders that hold no run
    "report-missing": Case(("report", "missing"), ("missing: no such folder; give the folder of a run",)),
    "report-empty": Case(("report", "empty"), ("empty: no journal.sqlite here",)),
    "report-garbage": Case(("report", "garbage"), ("garbage: cannot read the run",)),
    "report-unwritable": Case(("report", "unwritable"), ("unwritable/report.html was not written by ballotdrill",)),
    "report-format-pdf": Case(("report", "good", "--format", "pdf"), ("--format must be one of html, md, json",)),
    "compare-missing": Case(("compare", "good", "missing"), ("missing: no such folder; give the folder of a run",)),
    "compare-empty": Case(("compare", "empty", "good"), ("empty: no journal.sqlite here",)),
    "compare-garbage": Case(("compare", "good", "garbage"), ("garbage: cannot read the run",)),
    "export-missing": Case(("export", "missing", "--jsonl", "x.jsonl"),
                           ("missing: no such folder; give the folder of a run",)),
    "export-empty": Case(("export", "empty", "--csv", "x.csv"), ("empty: no journal.sqlite here",)),
    "export-garbage": Case(("export", "garbage", "--ocel", "x.json"), ("garbage: cannot read the run",)),
    "export-no-target": Case(("export", "good"), ("say what to export", "--jsonl", "--csv", "--ocel")),
    "export-jsonl-no-dir": Case(("export", "good", "--jsonl", "no-such-dir/j.jsonl"),
                                ("no-such-dir/j.jsonl: no folder 'no-such-dir'", "create the folder first")),
    "export-csv-no-dir": Case(("export", "good", "--csv", "no-such-dir/j.csv"),
                              ("no-such-dir/j.csv: no folder 'no-such-dir'", "create the folder first")),
    "export-ocel-no-dir": Case(("export", "good", "--ocel", "no-such-dir/o.json"),
                               ("no-such-dir/o.json: no folder 'no-such-dir'", "create the folder first")),
    "export-into-a-directory": Case(("export", "good", "--jsonl", "empty"), ("empty is a folder; give the name",)),
    "export-over-a-file": Case(("export", "good", "--csv", "notes.txt"),
                               (NOT_OVER_NOTES,)),
    "msel-over-a-file": Case(("show", "--file", "mini.yaml", "--csv", "notes.txt"),
                             (NOT_OVER_NOTES,)),
}


IN_A_FRESH_INTERPRETER = ("unknown-scenario", "until-not-a-time", "decisions-missing", "file-bad", "report-garbage",
                          "report-unwritable", "compare-missing", "export-no-target", "export-jsonl-no-dir",
                          "msel-over-a-file")


def _bd(args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ballotdrill", *args],
                          capture_output=True, text=True, timeout=60, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mini.yaml, a good run folder, and the bad things: an empty folder, a garbage journal, broken files."""
    path = tmp_path_factory.mktemp("cli-errors")
    (path / "mini.yaml").write_text(MINI, encoding="utf-8")
    (path / "bad.yaml").write_text(MINI.replace("actor: desk,", "actor: dsek,"), encoding="utf-8")
    (path / "broken.json").write_text("{", encoding="utf-8")
    (path / "list.json").write_text('["debunk"]', encoding="utf-8")
    (path / "number.json").write_text('{"N0:respond:choose:1": "debunk", "N1:respond:choose:1": 5}', encoding="utf-8")
    (path / "a-file").write_text("", encoding="utf-8")
    (path / "notes.txt").write_text("the only copy of my notes\n", encoding="utf-8")
    (path / "empty").mkdir()
    (path / "garbage").mkdir()
    (path / "garbage" / "journal.sqlite").write_bytes(b"this is not a database\n" * 100)
    result = CliRunner().invoke(cli.app, ["run", "--file", str(path / "mini.yaml"), "--out", str(path / "good")])
    assert result.exit_code == 0, result.output
    (path / "unwritable").mkdir()
    (path / "unwritable" / "journal.sqlite").write_bytes((path / "good" / "journal.sqlite").read_bytes())
    (path / "unwritable" / "report.html").mkdir()  # as a read-only or full disk would: the write fails
    return path


Results = dict[str, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def fresh(work: Path) -> Results:
    """The representative cases, each in a fresh interpreter, run side by side."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(_bd, CASES[name].args, work) for name in IN_A_FRESH_INTERPRETER}
        return {name: future.result() for name, future in futures.items()}


def assert_one_line(name: str, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for text in CASES[name].expected:
        assert text in lines[0], (text, lines[0])


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_line_and_exit_2(name: str, work: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line(name, in_process(CASES[name].args, work, monkeypatch, capsys))


@pytest.mark.parametrize("name", IN_A_FRESH_INTERPRETER)
def test_bad_input_in_a_fresh_interpreter(name: str, fresh: Results) -> None:
    assert_one_line(name, fresh[name])


def test_a_refused_run_leaves_no_folder_behind(work: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("until-before-start", "until-after-end", "decisions-missing"):
        assert in_process(CASES[name].args, work, monkeypatch, capsys).returncode == 2
    assert not any((work / f"never-{n}").exists() for n in (1, 2, 3))
    assert not (work / "runs").exists()


def test_the_refused_folders_are_left_as_they_were(work: Path, fresh: Results) -> None:
    assert fresh  # the fresh-interpreter cases have run too
    assert list((work / "empty").iterdir()) == []
    assert [p.name for p in (work / "garbage").iterdir()] == ["journal.sqlite"]
    assert not (work / "no-such-dir").exists()
    assert (work / "a-file").read_text(encoding="utf-8") == ""
    assert (work / "notes.txt").read_text(encoding="utf-8") == "the only copy of my notes\n"
