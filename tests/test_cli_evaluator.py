"""What an evaluator runs after an exercise: ``report``, ``compare``, ``export``, and ``--help`` everywhere.

Two runs are made once, in a fresh interpreter (one of them with a changed structure via ``--set``); the
commands on them run in a fresh interpreter for the main paths and through typer's CliRunner otherwise.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ballotdrill import cli

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

SMALL = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        watch: {staff: 1}
        cert: {staff: 1}
      channels:
        mail: {latency: {dist: exponential, mean: 10m}, reliability: 0.7, fallback: phone}
        phone: {latency: 2m}
      procedures:
        outage:
          trigger: {type: ddos}
          steps:
            - {id: assess, actor: watch, duration: {dist: exponential, mean: 20m}, target: 30m}
            - {id: mitigate, actor: cert, via: mail, duration: {dist: uniform, min: 20m, max: 1h},
               effect: {resolve: true}, target: 2h}
    scenarios:
      small:
        title: Small "day" <with> odd text & marks
        start: "09:00"
        end: "17:00"
        injects:
          - {at: "10:00", incident: {id: D1, type: ddos, severity: 3, voters: 1000},
             detected_by: {actor: watch, after: 5m}}
          - {every: {dist: exponential, mean: 30m}, incident: {type: ddos}}
        objectives:
          - {id: O1, capability: Cybersecurity, measure: {time: from incident D1 start to step mitigate}, target: 2h}
    """
)


def bd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "ballotdrill", *args],
                            capture_output=True, text=True, timeout=60, cwd=cwd, env=env)
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """runs/small-seed3 (the structure as written) and runs/small-seed3-2 (two CERT staff), both seed 3."""
    path = tmp_path_factory.mktemp("cli-evaluator")
    (path / "small.yaml").write_text(SMALL, encoding="utf-8")
    first = bd("run", "--file", "small.yaml", "--seed", "3", cwd=path)
    assert first.returncode == 0, first.stderr
    second = bd("run", "--file", "small.yaml", "--seed", "3", "--set", "structure.actors.cert.staff=2", cwd=path)
    assert second.returncode == 0, second.stderr
    return path


@pytest.fixture(scope="module")
def run_a(work: Path) -> Path:
    return work / "runs" / "small-seed3"


@pytest.fixture(scope="module")
def run_b(work: Path) -> Path:
    return work / "runs" / "small-seed3-2"


def journal_rows(folder: Path) -> int:
    with sqlite3.connect(folder / "journal.sqlite") as db:
        return int(db.execute("select count(*) from events").fetchone()[0])


# --- report ----------------------------------------------------------------------------------------------------------

def test_report_rebuilds_the_run_reports_byte_for_byte_from_the_journal_alone(tmp_path: Path, run_a: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "journal.sqlite").write_bytes((run_a / "journal.sqlite").read_bytes())
    result = bd("report", str(copy), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    for name in ("report.html", "report.md", "scores.json"):
        assert (copy / name).read_bytes() == (run_a / name).read_bytes(), name
        assert f"wrote {copy / name}" in result.stderr
    # the odd scenario title is escaped in the HTML report, never markup
    html = (copy / "report.html").read_text(encoding="utf-8")
    assert "<with>" not in html and "&lt;with&gt;" in html


def test_report_format_md_writes_only_report_md(tmp_path: Path, run_a: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "journal.sqlite").write_bytes((run_a / "journal.sqlite").read_bytes())
    result = runner.invoke(cli.app, ["report", str(copy), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in copy.iterdir()) == [".ballotdrill-outputs.json", "journal.sqlite", "report.md"]
    assert (copy / "report.md").read_bytes() == (run_a / "report.md").read_bytes()
    assert result.stderr.strip() == f"wrote {copy / 'report.md'}"


# --- compare ---------------------------------------------------------------------------------------------------------

def test_compare_shows_the_inputs_that_differ_then_a_summary_in_units(work: Path, run_a: Path, run_b: Path) -> None:
    result = bd("compare", "runs/small-seed3", "runs/small-seed3-2", cwd=work)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("A = runs/small-seed3 · B = runs/small-seed3-2")
    assert out.index("What differs in the inputs") < out.index("Summary")
    assert re.search(r"structure\.actors\.cert\.staff\s*│\s*1\s*│\s*2", out)
    assert re.search(r'overrides\s*│\s*\[\]\s*│\s*\["structure\.actors\.cert\.staff=2"\]', out)
    assert re.search(r"objective\s*│\s*O1\s*│\s*value\s*│\s*\d+ (h \d\d )?min", out)  # in minutes, not a float
    assert re.search(r"measures differ; --changed lists them", result.stderr)
    assert "ballotdrill sweep SCENARIO --variant FILE" in result.stderr
    detail = bd("compare", "runs/small-seed3", "runs/small-seed3-2", "--changed", cwd=work).stdout
    assert "Every measure that differs" in detail and re.search(r"load\s*│\s*cert", detail)


def test_compare_matches_background_arrivals_as_distributions_and_scripted_incidents_by_id(
        work: Path, run_a: Path, run_b: Path) -> None:
    rows = json.loads(bd("compare", str(run_a), str(run_b), "--json", cwd=work).stdout)["rows"]
    items = {(r["section"], r["item"]) for r in rows}
    assert ("incident", "D1") in items and not any(i.startswith("I2-") for _, i in items)
    background = {r["measure"]: r for r in rows if r["section"] == "background" and r["item"] == "I2"}
    assert {"arrivals", "open_at_end", "to_contain median", "to_contain p90", "to_contain max"} <= set(background)
    assert background["arrivals"]["unit"] == "count" and background["to_contain median"]["unit"] == "min"
    started = next(r for r in rows if (r["section"], r["item"], r["measure"]) == ("incident", "D1", "started"))
    assert (started["a"], started["unit"]) == (600.0, "clock")  # 10:00 on day D


def test_compare_json_holds_both_values_and_the_difference(work: Path, run_a: Path, run_b: Path) -> None:
    result = bd("compare", str(run_a), str(run_b), "--json", cwd=work)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["a"] == str(run_a) and data["b"] == str(run_b)
    assert {"what": "structure.actors.cert.staff", "a": "1", "b": "2"} in data["inputs"]
    rows = data["rows"]
    assert rows
    for row in rows:
        assert {"section", "item", "measure", "a", "b", "diff"} <= set(row), row
    numeric = [r for r in rows if isinstance(r["a"], int | float) and isinstance(r["b"], int | float)]
    assert numeric
    for row in numeric:
        assert row["diff"] == pytest.approx(row["b"] - row["a"], abs=1e-6), row
    # the same seed faces the same incidents under both structures, but the CERT's load differs
    by_key = {(r["section"], r["item"], r["measure"]): r for r in rows}
    incidents = next(r for k, r in by_key.items() if k[0] == "totals" and k[2] == "incidents")
    assert incidents["a"] == incidents["b"] and incidents["diff"] == 0
    cert = [r for k, r in by_key.items() if k[1] == "cert" and r["a"] != r["b"]]
    assert cert, "two CERT staff change the CERT's load"


def test_compare_with_itself_differs_nowhere(run_a: Path) -> None:
    result = runner.invoke(cli.app, ["compare", str(run_a), str(run_a), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["inputs"] == []
    assert all(r["diff"] in (0, 0.0, None) or r["a"] == r["b"] for r in data["rows"])


# --- export ----------------------------------------------------------------------------------------------------------

def test_export_writes_jsonl_csv_and_ocel(work: Path, run_a: Path) -> None:
    out = work / "exports"
    out.mkdir()
    result = bd("export", str(run_a), "--jsonl", str(out / "j.jsonl"), "--csv", str(out / "j.csv"),
                "--ocel", str(out / "log.ocel.json"), cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    count = journal_rows(run_a)

    lines = (out / "j.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == count
    assert [e["seq"] for e in events] == list(range(count))
    assert {"seq", "t", "kind", "incident", "actor", "step", "data"} == set(events[0])
    assert f"wrote {count:,} events to {out / 'j.jsonl'}" in result.stderr

    with (out / "j.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert ",".join(header) == "seq,t,kind,incident,actor,step,data"
    assert len(rows) == count
    assert [row[2] for row in rows] == [e["kind"] for e in events]

    ocel = json.loads((out / "log.ocel.json").read_text(encoding="utf-8"))
    assert {"objectTypes", "eventTypes", "objects", "events"} <= set(ocel)
    assert ocel["events"] and ocel["objects"]
    assert "OCEL 2.0" in result.stderr


def test_export_is_the_same_from_runner_and_subprocess(tmp_path: Path, work: Path, run_a: Path) -> None:
    result = runner.invoke(cli.app, ["export", str(run_a), "--jsonl", str(tmp_path / "j.jsonl")])
    assert result.exit_code == 0, result.output
    exported = work / "exports" / "j.jsonl"
    if exported.exists():  # written by the test above
        assert (tmp_path / "j.jsonl").read_bytes() == exported.read_bytes()
    assert len((tmp_path / "j.jsonl").read_text(encoding="utf-8").splitlines()) == journal_rows(run_a)


# --- help ------------------------------------------------------------------------------------------------------------

HELP_OPTIONS = {
    "run": ["--file", "--seed", "--until", "--set", "--out", "--decisions", "--json"],
    "report": ["--format"],
    "compare": ["--json"],
    "export": ["--jsonl", "--csv", "--ocel"],
    "list": ["--file", "--json"],
    "show": ["--file", "--json"],
    "validate": ["--json"],
    "schema": [],
}


@pytest.mark.parametrize("command", list(HELP_OPTIONS))
def test_help_lists_every_option(command: str) -> None:
    result = runner.invoke(cli.app, [command, "--help"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for option in [*HELP_OPTIONS[command], "--help"]:
        assert option in result.output, (command, option)


def test_top_level_help_lists_every_command() -> None:
    result = runner.invoke(cli.app, ["--help"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for command in HELP_OPTIONS:
        assert command in result.output


def test_help_in_a_fresh_interpreter(tmp_path: Path) -> None:
    result = bd("run", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--decisions" in result.stdout and "--until" in result.stdout
    assert not (tmp_path / "runs").exists()
