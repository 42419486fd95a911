"""Same scenario + seed + decisions = the same journal, byte for byte, in any process; SQLite reads back exactly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from engine_helpers import ROOT, check_invariants, file_of, library, load

import ballotdrill.journal.store
from ballotdrill import scenarios
from ballotdrill.exercise import RunError, run_exercise
from ballotdrill.exercise.decisions import check_record
from ballotdrill.exports import write_jsonl
from ballotdrill.journal import JOURNAL_FILE, read_events, read_meta

LIBRARY = library()
NAMES = list(LIBRARY.scenarios)
DECISIONS = {"N1:disinfo-response:dis-choose-response:1": "takedown"}
"""A recorded answer that changes the course of results-night-ddos."""

_CHILD = """
import json, sys
from pathlib import Path
from ballotdrill import scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.exercise.decisions import check_record
from ballotdrill.exports import write_jsonl
out = Path(sys.argv[1])
doc = scenarios.load_file(scenarios.library_path())
decisions = json.loads(sys.argv[2])
for name in doc.scenarios:
    fits = {} if check_record(decisions, doc.structure, doc.scenarios[name]) else decisions
    for seed in (1, 7):
        events = run_exercise(doc, name, seed=seed, decisions=fits).events
        write_jsonl(events, out / f"{name}-{seed}.jsonl")
"""


def _jsonl_in_process(out: Path, decisions: dict[str, str]) -> None:
    for name in NAMES:
        # a record is refused where its keys cannot occur (another scenario's incidents): those replay none
        fits = {} if check_record(decisions, LIBRARY.structure, LIBRARY.scenarios[name]) else decisions
        for seed in (1, 7):
            events = run_exercise(LIBRARY, name, seed=seed, decisions=fits).events
            write_jsonl(events, out / f"{name}-{seed}.jsonl")


def _jsonl_in_child(out: Path, hashseed: str, decisions: dict[str, str]) -> None:
    import json

    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    subprocess.run([sys.executable, "-c", _CHILD, str(out), json.dumps(decisions)], cwd=ROOT, env=env,
                   check=True, timeout=120)


def test_the_journal_is_byte_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    _jsonl_in_process(here, DECISIONS)
    files = sorted(p.name for p in here.iterdir())
    assert len(files) == 2 * len(NAMES)
    for hashseed in ("0", "1", "random"):
        there = tmp_path / f"hash-{hashseed}"
        there.mkdir()
        _jsonl_in_child(there, hashseed, DECISIONS)
        assert sorted(p.name for p in there.iterdir()) == files
        for name in files:
            same = (there / name).read_bytes() == (here / name).read_bytes()
            assert same, f"{name} differs with PYTHONHASHSEED={hashseed}"


def test_the_recorded_decision_changes_the_journal() -> None:
    """The decisions passed to the determinism test matter (so that test covers them)."""
    plain = run_exercise(LIBRARY, "results-night-ddos", seed=1).events
    recorded = run_exercise(LIBRARY, "results-night-ddos", seed=1, decisions=DECISIONS).events
    made = [e for e in recorded if e.kind == "decision_made" and e.data["by"] == "recorded"]
    assert [e.data["option"] for e in made] == ["takedown"]
    assert plain != recorded


@pytest.mark.parametrize("name", NAMES)
def test_different_seeds_give_different_journals(name: str) -> None:
    journals = [[(e.t, e.kind, e.incident, e.actor, e.step, e.data) for e in
                 run_exercise(LIBRARY, name, seed=seed).events[1:]] for seed in (1, 2, 3)]
    assert journals[0] != journals[1] and journals[1] != journals[2] and journals[0] != journals[2]


def test_the_same_seed_twice_in_one_process_gives_the_same_events() -> None:
    for name in NAMES:
        assert run_exercise(LIBRARY, name, seed=11).events == run_exercise(LIBRARY, name, seed=11).events


@pytest.mark.parametrize("name", NAMES)
def test_the_sqlite_journal_reads_back_as_the_memory_journal(tmp_path: Path, name: str) -> None:
    memory = run_exercise(LIBRARY, name, seed=4).events
    result = run_exercise(LIBRARY, name, seed=4, out=tmp_path / "run", decisions={}, source="lib.yaml")
    stored = list(read_events(tmp_path / "run" / JOURNAL_FILE))
    assert stored == memory
    assert result.events == memory and result.count == len(memory)
    assert [e.to_json() for e in stored] == [e.to_json() for e in memory]
    meta = read_meta(tmp_path / "run" / JOURNAL_FILE)
    assert (meta["scenario"], meta["seed"], meta["source"], meta["format"]) == (name, "4", "lib.yaml", "1")
    # The file as the scenario played it: its roles resolved to the actors that played them.
    assert scenarios.ScenarioFile.model_validate_json(meta["document"]).structure == \
        scenarios.as_played(LIBRARY, name).structure
    # The finished journal is one self-contained file.
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == [JOURNAL_FILE]


def _busy_file() -> dict[str, Any]:
    """Background arrivals every minute for two days: some 20,000 journal rows."""
    return file_of(
        {"desk": {"staff": 2, "shifts": [{"from": "08:00", "to": "20:00", "staff": 3}]}},
        {"p": {"trigger": {"type": "call"}, "steps": [
            {"id": "take", "actor": "desk", "duration": {"dist": "exponential", "mean": "1m"}}]}},
        [{"id": "B1", "every": {"dist": "exponential", "mean": "1m"}, "incident": {"type": "call"}},
         {"id": "N1", "at": "12:00", "incident": {"type": "call", "title": "Ünïcode “quotes” and \\\\ slashes"}}],
        start="D-1 00:00", end="D+1 00:00")


@pytest.mark.parametrize("forking", [True, False], ids=["forked", "new interpreter"])
def test_a_long_run_goes_through_the_writer_process_and_reads_back_exactly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: bool) -> None:
    doc = load(_busy_file())
    started: list[list[str]] = []
    forks: list[object] = []
    popen, fork = subprocess.Popen, ballotdrill.journal.store.Forked

    def spy(args: list[str], *rest: Any, **kwargs: Any) -> Any:
        started.append(list(args))
        return popen(args, *rest, **kwargs)

    def forked(serve: Any) -> Any:
        forks.append(serve)
        return fork(serve)

    monkeypatch.setattr(ballotdrill.journal.store.subprocess, "Popen", spy)
    monkeypatch.setattr(ballotdrill.journal.store, "Forked", forked)
    if not forking:  # where this process cannot fork (another thread, no os.fork): a new interpreter
        monkeypatch.setattr(ballotdrill.journal.store, "can_fork", lambda: False)
    memory = run_exercise(doc, "s", seed=3).events
    assert len(memory) > 2 * 8192 and not started and not forks
    result = run_exercise(doc, "s", seed=3, out=tmp_path / "run")
    if forking:
        assert len(forks) == 1 and not started, "the writer process was not forked"
    else:
        assert len(started) == 1 and not forks, "the writer process was not used"
        assert started[0][1:4] == ["-P", "-m", "ballotdrill.journal.writer"]
    stored = list(read_events(tmp_path / "run" / JOURNAL_FILE))
    assert result.count == len(stored) == len(memory)
    assert stored == memory
    write_jsonl(stored, tmp_path / "stored.jsonl")
    write_jsonl(memory, tmp_path / "memory.jsonl")
    assert (tmp_path / "stored.jsonl").read_bytes() == (tmp_path / "memory.jsonl").read_bytes()
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == [JOURNAL_FILE]
    check_invariants(stored)


def test_jsonl_reads_back_as_written(tmp_path: Path) -> None:
    events = run_exercise(LIBRARY, "combined-hybrid-day", seed=2).events
    assert write_jsonl(events, tmp_path / "j.jsonl") == len(events)
    assert list(read_events(tmp_path / "j.jsonl")) == events


def test_a_run_folder_that_already_holds_a_journal_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_exercise(LIBRARY, "results-night-ddos", seed=1, out=out)
    before = (out / JOURNAL_FILE).read_bytes()
    with pytest.raises(RunError, match="already exists"):
        run_exercise(LIBRARY, "results-night-ddos", seed=2, out=out)
    assert (out / JOURNAL_FILE).read_bytes() == before, "a refused run must leave the earlier journal alone"
