"""``ballotdrill run`` end to end, in a fresh interpreter: run folders, the JSON summary, seeds, --until, --set,
--file and --decisions, as a facilitator relies on them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ballotdrill import cli, scenarios

ROOT = Path(__file__).resolve().parent.parent
REPORT_FILES = {"journal.sqlite", "report.html", "report.md", "scores.json", ".ballotdrill-outputs.json"}

# Two desks, a lossy channel with a fallback, a decision and background arrivals: small, but busy enough for
# queues to form at the desk (staff 1), so a change of staff shows in the summary.
TINY = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        desk: {staff: 1}
        cell: {staff: 1}
      channels:
        phone: {latency: {dist: exponential, mean: 5m}, reliability: 0.8, fallback: mail}
        mail: {latency: 20m}
      procedures:
        respond:
          trigger: {type: outage}
          steps:
            - {id: triage, actor: desk, duration: {dist: exponential, mean: 30m}, target: 45m}
            - id: decide
              actor: cell
              via: phone
              decision:
                options:
                  fix: {next: fix}
                  wait: {next: end}
                default: fix
            - {id: fix, actor: cell, duration: {dist: triangular, min: 10m, mode: 20m, max: 1h},
               effect: {resolve: true}}
    scenarios:
      tiny:
        title: Tiny
        start: "08:00"
        end: "20:00"
        injects:
          - {at: "09:00", incident: {id: X1, type: outage, severity: 3}, detected_by: {actor: desk, after: 5m}}
          - {every: {dist: exponential, mean: 20m}, from: "08:00", to: "18:00", incident: {type: outage}}
        objectives:
          - {id: O1, capability: Ops, measure: {time: from incident X1 start to step fix}, target: 2h}
    """
)


def bd(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``ballotdrill ARGS`` in a fresh interpreter, run from ``cwd`` (so ``runs/`` lands there)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ballotdrill", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def summary(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The --json summary: stdout is one JSON document and nothing else."""
    data = json.loads(ok(result).stdout)
    assert isinstance(data, dict)
    return data


def one_line_failure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def export_jsonl(folder: Path, target: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli.app, ["export", str(folder), "--jsonl", str(target)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder holding tiny.yaml; runs made here land in its runs/."""
    path = tmp_path_factory.mktemp("cli-run")
    (path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(work: Path) -> dict[str, Any]:
    """``run --file tiny.yaml --seed 1 --json --out base``: the run the others are compared with."""
    return summary(bd("run", "--file", "tiny.yaml", "--seed", "1", "--json", "--out", "base", cwd=work))


# --- the built-in default scenario -----------------------------------------------------------------------------------

def test_run_without_a_scenario_runs_the_default_into_runs_and_never_reuses_a_folder(tmp_path: Path) -> None:
    library = scenarios.load_file(scenarios.library_path())
    name = library.default_scenario
    default = library.scenarios[name]
    first = bd("run", "--json", cwd=tmp_path)
    data = summary(first)
    assert data["scenario"] == name
    folder = tmp_path / "runs" / f"{name}-seed1"
    assert data["out"] == str(Path("runs") / f"{name}-seed1")
    assert {p.name for p in folder.iterdir()} >= REPORT_FILES
    assert all((folder / name).stat().st_size > 0 for name in REPORT_FILES)
    assert data["events"] > 100

    # the JSON summary: per actor where work waited, per incident how fast it went
    assert data["actors"] and data["incidents"]
    for actor, load in data["actors"].items():
        assert set(load) >= {"utilisation", "queue_wait", "max_queue"}, actor
        assert set(load["queue_wait"]) == {"mean", "p90", "max"}
        assert all(v is None or isinstance(v, int | float) for v in load["queue_wait"].values())
        assert isinstance(load["max_queue"], int)
        assert 0 <= load["utilisation"] <= 1
    for incident, times in data["incidents"].items():
        for key in ("detect", "contain", "resolve"):
            assert key in times, incident
            assert times[key] is None or isinstance(times[key], int | float)
    assert data["minutes"] == default.end - default.start

    # human output goes to stderr only
    assert f"{name} seed 1:" in first.stderr
    assert f"report: runs/{name}-seed1/report.html" in first.stderr
    assert "journal events" not in first.stdout

    second = ok(bd("run", cwd=tmp_path))
    assert second.stdout == ""
    names = {p.name for p in (tmp_path / "runs").iterdir()}
    assert names == {f"{name}-seed1", f"{name}-seed1-2"}
    assert {p.name for p in (tmp_path / "runs" / f"{name}-seed1-2").iterdir()} >= REPORT_FILES
    assert f"runs/{name}-seed1-2/report.html" in second.stderr


# --- a small file -----------------------------------------------------------------------------------------------------

def test_file_and_out_write_the_run_folder_there(work: Path, base: dict[str, Any]) -> None:
    assert base["scenario"] == "tiny" and base["seed"] == 1 and base["out"] == "base"
    assert {p.name for p in (work / "base").iterdir()} == REPORT_FILES
    assert base["minutes"] == 720.0
    assert set(base["actors"]) == {"desk", "cell"}
    assert "X1" in base["incidents"]
    assert base["objectives"]["O1"]["rating"] in {"P", "S", "M", "U", "NE"}


def test_an_existing_run_folder_is_refused(work: Path, base: dict[str, Any]) -> None:
    before = (work / "base" / "journal.sqlite").read_bytes()
    line = one_line_failure(bd("run", "--file", "tiny.yaml", "--out", "base", cwd=work))
    assert "base is not empty" in line and "journal.sqlite" in line and "choose another --out" in line
    assert (work / "base" / "journal.sqlite").read_bytes() == before


def test_seed_changes_results_and_the_same_seed_gives_the_same_journal(work: Path, base: dict[str, Any]) -> None:
    a = summary(bd("run", "--file", "tiny.yaml", "--seed", "2", "--json", "--out", "seed2a", cwd=work))
    b = summary(bd("run", "--file", "tiny.yaml", "--seed", "2", "--json", "--out", "seed2b", cwd=work))
    drop_out = {"out"}
    assert {k: v for k, v in a.items() if k not in drop_out} == {k: v for k, v in b.items() if k not in drop_out}
    assert (a["totals"], a["incidents"]) != (base["totals"], base["incidents"])
    export_jsonl(work / "seed2a", work / "seed2a.jsonl")
    export_jsonl(work / "seed2b", work / "seed2b.jsonl")
    assert (work / "seed2a.jsonl").read_bytes() == (work / "seed2b.jsonl").read_bytes()


def test_until_stops_early(work: Path, base: dict[str, Any]) -> None:
    early = summary(bd("run", "--file", "tiny.yaml", "--until", "12:00", "--json", "--out", "early", cwd=work))
    assert early["minutes"] == 240.0 < base["minutes"]
    assert early["totals"]["incidents"] < base["totals"]["incidents"]
    events = export_jsonl(work / "early", work / "early.jsonl")
    assert max(e["t"] for e in events) <= 240.0


def test_run_started_records_where_the_run_stops(work: Path, base: dict[str, Any]) -> None:
    events = export_jsonl(work / "base", work / "base-until.jsonl")
    started = next(e for e in events if e["kind"] == "run_started")
    # not the end of the first progress chunk (the CLI runs with a progress bar)
    assert started["data"]["until"] == base["minutes"]


def test_set_changes_the_structure_and_the_result(work: Path, base: dict[str, Any]) -> None:
    more = summary(bd("run", "--file", "tiny.yaml", "--set", "structure.actors.desk.staff=3", "--json",
                      "--out", "more-desk", cwd=work))
    assert more["actors"]["desk"]["queue_wait"]["p90"] < base["actors"]["desk"]["queue_wait"]["p90"]
    assert more["actors"]["desk"]["steps"] > base["actors"]["desk"]["steps"]
    # common random numbers: the same incidents arrive under either structure
    assert set(more["incidents"]) == set(base["incidents"])


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("structure.actors.desk.staf=3", "unknown key 'staf' (did you mean 'staff'?)"),
        ("structure.actors.nobody.staff=3", "no key 'nobody'"),
        ("structure.actors.desk.staff=many", "'staff' must be a whole number"),
        ("structure.actors.desk.staff", "expected PATH=VALUE"),
    ],
    ids=["unknown-key", "unknown-actor", "bad-value", "no-value"],
)
def test_a_bad_set_names_the_flag(work: Path, flag: str, expected: str) -> None:
    line = one_line_failure(bd("run", "--file", "tiny.yaml", "--set", flag, cwd=work))
    assert line.startswith(f"--set {flag}"), line
    assert expected in line


def test_decisions_replay_a_recorded_answer(work: Path, base: dict[str, Any]) -> None:
    events = export_jsonl(work / "base", work / "base.jsonl")
    requested = [e for e in events if e["kind"] == "decision_requested"]
    assert requested, "the tiny scenario asks for decisions"
    request = next(e for e in requested if e["incident"] == "X1")["data"]
    assert request["default"] == "fix"
    forced = next(o for o in request["options"] if o != request["default"])
    (work / "decisions.json").write_text(json.dumps({request["request"]: forced}), encoding="utf-8")

    ok(bd("run", "--file", "tiny.yaml", "--decisions", "decisions.json", "--out", "replay", cwd=work))
    replayed = export_jsonl(work / "replay", work / "replay.jsonl")
    made = [e for e in replayed if e["kind"] == "decision_made"]
    by_key = {e["data"]["request"]: e["data"] for e in made}
    assert by_key[request["request"]]["by"] == "recorded"
    assert by_key[request["request"]]["option"] == forced
    # every other request, absent from the record, took the default
    assert all(d["by"] == "default" for key, d in by_key.items() if key != request["request"])
    # 'wait' ends the procedure without the fix
    assert not any(e["kind"] == "step_completed" and e["incident"] == "X1" and e["step"] == "fix" for e in replayed)
